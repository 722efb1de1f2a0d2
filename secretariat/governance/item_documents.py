"""Documents of agenda items, one file per language, served only to those entitled: members of
the organisation with the right role, or the convened member through their personal link."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.core.scope import scoped_by
from secretariat.core.texts import texts_commit
from secretariat.core.uploads import check_attachment, discard_on_commit
from secretariat.core.validation import Errors, add_error, stage_texts
from secretariat.governance.models import AgendaDocument, AgendaItem, DocumentFile, Invitation

MAX_BYTES = 20 * 1024 * 1024


def document_add(
    *, item: AgendaItem, by: User | None, title: dict[str, str], files: dict[str, Any]
) -> AgendaDocument:
    organisation = item.organisation
    errors: Errors = {}
    document = AgendaDocument(organisation=organisation, item=item)
    texts = stage_texts(errors, document, {"title": title}, ["title"])
    if not document.title and "title" not in errors:
        add_error(errors, "title", _("The title is required in at least one language."))
    uploads = {lang: f for lang, f in files.items() if f}
    if not uploads:
        add_error(errors, "files", _("Attach the file in at least one language."))
    for language, upload in uploads.items():
        if language not in organisation.languages:
            add_error(
                errors,
                "files",
                _("“%(language)s” is not a working language.") % {"language": language},
            )
        elif upload.size > MAX_BYTES:
            add_error(errors, "files", _("A document is at most 20 MB."))
        elif refused := check_attachment(upload, upload.name or ""):
            add_error(errors, "files", refused)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document.position = item.documents.count() + 1
        document.save()
        if texts:
            texts_commit(texts, by=by)
        for language, upload in uploads.items():
            DocumentFile.objects.create(document=document, language=language, file=upload)
        audit.record(
            by=by,
            action="update",
            obj=item,
            changes={"document": [None, f"{document} ({', '.join(sorted(uploads))})"]},
            within=item.meeting,
        )
    return document


def document_delete(*, document: AgendaDocument, by: User | None) -> None:
    with transaction.atomic():
        audit.record(
            by=by,
            action="update",
            obj=document.item,
            changes={"document": [str(document), None]},
            within=document.item.meeting,
        )
        for stored in document.files.all():
            discard_on_commit(stored.file.storage, stored.file.name)
        document.delete()


def serve(stored: DocumentFile) -> FileResponse:
    name = stored.file.name.rsplit("/", 1)[-1]
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=name)


@scoped_by(Invitation)
def file_for_member(request: HttpRequest, token: str, pk: int) -> FileResponse:
    """A document of the meeting to which the personal link's holder is convened."""
    invitation = get_object_or_404(Invitation, token=token)
    stored = get_object_or_404(
        DocumentFile.objects.select_related("document__item"),
        pk=pk,
        document__item__meeting_id=invitation.meeting_id,
    )
    if not stored.document.item.public and invitation.membership_id is None:
        raise Http404  # confidential items are for members of the body only
    return serve(stored)
