"""Generated documents opened and read back: Word with python-docx, PDF with pypdf."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from secretariat.governance import dossier
from tests import factories


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_dossier_in_each_language_and_side_by_side(planned: Any, fmt: str) -> None:
    meeting = planned["meeting"]
    read = docx_text if fmt == "docx" else pdf_text
    _name, french, _type = dossier.produce(meeting, "dossier", fmt, ["fr"])
    _name, german, _type = dossier.produce(meeting, "dossier", fmt, ["de"])
    assert (
        "Directoire de décembre" in read(french)
        and "Adopté" in read(french)
        and "Budget" in read(french)
    )
    assert (
        "Vorstand im Dezember" in read(german)
        and "Beschlossen" in read(german)
        and "Haushalt" in read(german)
    )
    assert "Haushalt" not in read(french)
    name, both, content_type = dossier.produce(meeting, "dossier", fmt, ["fr", "de"])
    text = read(both)
    assert "Budget" in text and "Haushalt" in text and name.endswith(f"-dossier-fr-de.{fmt}")
    assert content_type in (dossier.DOCX, "application/pdf")


def test_minutes_and_convocation_letter(planned: Any) -> None:
    from secretariat.governance import agenda

    meeting = planned["meeting"]
    agenda.item_update(
        item=planned["b"],
        by=None,
        minutes={
            "fr": "Le budget est adopté à l'unanimité.",
            "de": "Der Haushalt wird einstimmig beschlossen.",
        },
    )
    _n, minutes, _t = dossier.produce(meeting, "minutes", "docx", ["fr", "de"])
    assert "einstimmig" in docx_text(minutes) and "unanimité" in docx_text(minutes)
    _n, letter, _t = dossier.produce(meeting, "convocation", "pdf", ["de"])
    assert "Einberufung" in pdf_text(letter)


def test_an_organisation_uploads_its_own_template(
    client: Client, org: Any, admin: Any, planned: Any
) -> None:
    document = Document()
    document.add_paragraph("EIGENE VORLAGE {{ organisation }}")
    document.add_paragraph("{{ heading }}")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "vorlage.docx"
    client.force_login(admin)
    url = reverse("document_templates", args=[org.slug])
    assert client.get(url).status_code == 200
    garbage = io.BytesIO(b"not a word file")
    garbage.name = "x.docx"
    assert (
        client.post(url, {"kind": "dossier", "language": "de", "file": garbage}).status_code == 400
    )
    assert (
        client.post(url, {"kind": "dossier", "language": "de", "file": buffer}).status_code == 302
    )
    response = client.get(
        reverse("meeting_document", args=[org.slug, planned["meeting"].pk, "dossier", "docx"])
        + "?lang=de"
    )
    assert response.status_code == 200 and "EIGENE VORLAGE" in docx_text(response.content)
    response = client.get(
        reverse("meeting_document", args=[org.slug, planned["meeting"].pk, "dossier", "docx"])
        + "?lang=fr"
    )
    assert "EIGENE VORLAGE" not in docx_text(response.content)  # French still uses the default
    assert (
        client.get(
            reverse("default_template", args=[org.slug, "dossier_bilingual.docx"])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("default_template", args=[org.slug, "settings.py"])).status_code == 404
    )


def test_documents_are_isolated_and_need_a_role(
    client: Client, org: Any, other_org: Any, planned: Any
) -> None:
    url = reverse("meeting_document", args=[org.slug, planned["meeting"].pk, "dossier", "pdf"])
    client.force_login(factories.member_of(other_org, "admin"))
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse(
                "meeting_document", args=[other_org.slug, planned["meeting"].pk, "dossier", "pdf"]
            )
        ).status_code
        == 404
    )
    client.force_login(factories.member_of(org, "member"))
    assert client.get(url).status_code == 200
    assert client.get(reverse("document_templates", args=[org.slug])).status_code == 403
