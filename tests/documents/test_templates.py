"""An organisation's own Word templates: every upload, replacement and removal is a service
that records its audit entry, whether it comes from the page or elsewhere."""

import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from secretariat.core import audit
from secretariat.core.models import AuditEntry
from secretariat.documents.models import DocumentTemplate


def word_template(marker: str) -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph(f"{marker} {{{{ organisation }}}}")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{marker.lower()}.docx", buffer.getvalue())


def template_entries(org: Any) -> Any:
    return AuditEntry.objects.filter(
        organisation=org, content_type=ContentType.objects.get_for_model(DocumentTemplate)
    ).order_by("at", "id")


def test_replacing_and_removing_a_template_on_the_page_leave_audit_entries(
    client: Client, org: Any, admin: Any
) -> None:
    client.force_login(admin)
    url = reverse("document_templates", args=[org.slug])
    upload = {"kind": "dossier", "language": "de"}
    assert client.post(url, {**upload, "file": word_template("ERSTE")}).status_code == 302
    first = DocumentTemplate.objects.get().file.name
    assert client.post(url, {**upload, "file": word_template("ZWEITE")}).status_code == 302
    template = DocumentTemplate.objects.get()  # one template per kind, variant and language
    assert template.file.name != first
    created, replaced = template_entries(org)
    assert created.action == "create" and created.changes["file"] == [None, first]
    assert replaced.action == "update" and replaced.actor == admin
    assert replaced.changes["file"] == [first, template.file.name]
    assert client.post(url, {"delete": template.pk}).status_code == 302
    assert not DocumentTemplate.objects.exists()
    removed = template_entries(org).last()
    assert removed.action == "delete" and removed.actor == admin
    assert removed.changes["file"] == template.file.name and removed.changes["language"] == "de"
    # The organisation's history shows all three.
    assert set(template_entries(org)) <= set(audit.entries_for(org))


def test_an_upload_is_checked_by_the_service(org: Any, admin: Any) -> None:
    from secretariat.documents import services

    garbage = SimpleUploadedFile("x.docx", b"not a word file")
    with pytest.raises(ValidationError) as error:
        services.document_template_upload(
            organisation=org, kind="dossier", bilingual=False, language="", file=garbage, by=admin
        )
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.document_template_upload(
            organisation=org,
            kind="agenda",
            bilingual=False,
            language="nl",  # not a working language of this organisation
            file=word_template("X"),
            by=admin,
        )
    assert {"kind", "language"} <= set(error.value.message_dict)
    assert not DocumentTemplate.objects.exists() and not template_entries(org).exists()
