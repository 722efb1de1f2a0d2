"""Files users attach: only documents, images and text are accepted, by name and content
together; and a file nothing refers to any more leaves the storage once the change is committed."""

import io
import os
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from PIL import Image

from secretariat.core import services as core_services
from secretariat.documents import services as document_services
from secretariat.governance import agenda, item_documents
from secretariat.governance.models import DocumentFile
from tests import factories


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def docx(text: str = "Ordre du jour") -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def item(org: Any) -> Any:
    meeting = factories.meeting(factories.body(org))
    return agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget"})


def attach(client: Client, org: Any, item: Any, name: str, content: bytes) -> Any:
    return client.post(
        reverse("item_documents", args=[org.slug, item.meeting.pk, item.pk]),
        {"doc_title__fr": "Annexe", "doc_file__fr": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


HOSTILE = {
    "page.html": b"<html><script>alert(document.cookie)</script></html>",
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "setup.exe": b"MZ\x90\x00\x03\x00\x00\x00",
    "script.js": b"fetch('/o/')",
    "report.pdf": b"<html><body>not a PDF</body></html>",
    "minutes.docx": b"<!DOCTYPE html><title>x</title>",
    "notes.txt": b"<script>alert(1)</script>",
    "photo.png": b"GIF89a\x01\x00",
    "binary.txt": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
    "no-extension": b"%PDF-1.7",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_file_that_is_not_a_document_is_not_attached(
    name: str, client: Client, org: Any, admin: Any, item: Any
) -> None:
    client.force_login(admin)
    response = attach(client, org, item, name, HOSTILE[name])
    assert response.status_code == 200
    page = response.content.decode()
    assert name in page and ("not a kind of file" in page or "does not contain" in page)
    assert not DocumentFile.objects.exists()


ACCEPTED = {
    "budget.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "ordre-du-jour.docx": docx(),
    "plan.png": png(),
    "liste.txt": "Liste des présents\r\nMüller, Dupont\r\n".encode(),
    "ancien.csv": "nom;ville\r\nLefèvre;Liège\r\n".encode("cp1252"),
    "tableau.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "note.odt": b"PK\x03\x04" + b"\x00" * 100,
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_documents_images_and_text_are_attached(
    name: str, client: Client, org: Any, admin: Any, item: Any
) -> None:
    client.force_login(admin)
    response = attach(client, org, item, name, ACCEPTED[name])
    assert "The document was attached." in response.content.decode()
    stored = DocumentFile.objects.get()
    assert stored.file.read() == ACCEPTED[name]
    download = client.get(reverse("document_file", args=[org.slug, stored.pk]))
    assert download["Content-Disposition"].startswith("attachment")


def test_a_replaced_or_removed_template_leaves_the_storage(
    org: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def upload(text: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return document_services.document_template_upload(
                organisation=org,
                kind="dossier",
                bilingual=False,
                language="",
                file=SimpleUploadedFile("t.docx", docx(text)),
                by=admin,
            )

    first = upload("first").file.name
    assert default_storage.exists(first)
    template = upload("second")
    second = template.file.name
    assert default_storage.exists(second) and not default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        document_services.document_template_delete(template=template, by=admin)
    assert not default_storage.exists(second)


def test_a_replaced_logo_leaves_the_storage_and_a_refused_change_keeps_it(
    org: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def update(**values: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            core_services.organisation_update(organisation=org, by=admin, **values)

    update(logo=SimpleUploadedFile("a.png", png()))
    first = org.logo.name
    assert default_storage.exists(first)
    with pytest.raises(ValidationError):
        update(logo=SimpleUploadedFile("b.png", png()), short_name="")
    assert default_storage.exists(first)
    org.refresh_from_db()
    update(logo=SimpleUploadedFile("b.png", png()))
    second = org.logo.name
    assert default_storage.exists(second) and not default_storage.exists(first)
    update(logo=False)
    org.refresh_from_db()
    assert not org.logo and not default_storage.exists(second)


def test_a_removed_agenda_document_leaves_the_storage(
    org: Any, admin: Any, item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = item_documents.document_add(
        item=item,
        by=admin,
        title={"fr": "Annexe"},
        files={"fr": SimpleUploadedFile("annexe.pdf", b"%PDF-1.7\n")},
    )
    name = document.files.get().file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        item_documents.document_delete(document=document, by=admin)
    assert not default_storage.exists(name)


def png_with_hidden_pdf() -> bytes:
    """A real PNG whose text chunk carries a PDF that runs JavaScript when opened (from the
    security review: served as /media/logos/report.pdf, inline, from the platform's address)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(
        "Comment", "%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def test_a_logo_is_served_as_a_png_drawn_afresh_whatever_was_uploaded(
    client: Client, org: Any, admin: Any
) -> None:
    core_services.organisation_update(
        organisation=org, by=admin, logo=SimpleUploadedFile("report.pdf", png_with_hidden_pdf())
    )
    org.refresh_from_db()
    assert org.logo.name.endswith(".png")
    stored = org.logo.read()
    assert stored.startswith(b"\x89PNG") and b"JavaScript" not in stored and b"%PDF" not in stored
    response = client.get(org.logo_url)
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.pdf", b"%PDF-1.7\n1 0 obj\n"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("huge.png", None),
        ("heavy.png", None),
    ],
)
def test_a_logo_that_is_not_a_plain_image_is_refused(
    org: Any, admin: Any, name: str, content: bytes | None
) -> None:
    if name == "huge.png":  # 10,000 by 10,000 pixels in a few kilobytes
        buffer = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(buffer, format="PNG")
        content = buffer.getvalue()
    if name == "heavy.png":  # a genuine image of 2 megapixels, but 6 MB of noise
        buffer = io.BytesIO()
        Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(buffer, "PNG")
        content = buffer.getvalue()
        assert len(content) > 5 * 1024 * 1024
    assert content is not None
    with pytest.raises(ValidationError) as refused:
        core_services.organisation_update(
            organisation=org, by=admin, logo=SimpleUploadedFile(name, content)
        )
    assert "logo" in refused.value.message_dict
    org.refresh_from_db()
    assert not org.logo


def test_the_logo_address_serves_a_current_logo_only(
    client: Client, org: Any, admin: Any, item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Anyone may fetch a logo, so that address must not reach another file of the storage: an
    agenda document, a template, or a logo since replaced."""
    with django_capture_on_commit_callbacks(execute=True):
        core_services.organisation_update(
            organisation=org, by=admin, logo=SimpleUploadedFile("a.png", png())
        )
    replaced = org.logo_url
    with django_capture_on_commit_callbacks(execute=True):
        core_services.organisation_update(
            organisation=org, by=admin, logo=SimpleUploadedFile("b.png", png())
        )
    assert client.get(org.logo_url).status_code == 200
    assert client.get(replaced).status_code == 404
    document = item_documents.document_add(
        item=item,
        by=admin,
        title={"fr": "Annexe"},
        files={"fr": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")},
    )
    stored = document.files.get().file.name
    assert default_storage.exists(stored)
    for path in (f"../{stored}", stored, f"..%2F{stored}"):
        assert client.get(f"/media/logos/{path}").status_code == 404
