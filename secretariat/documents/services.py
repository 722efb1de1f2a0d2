"""Writes of the documents app: an organisation's own Word templates, uploaded, replaced and
removed with their audit entry, whoever calls (the Templates page, later the API)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import Organisation, User
from secretariat.core.uploads import discard_on_commit
from secretariat.core.validation import Errors, add_error, collect
from secretariat.core.writes import delete_recorded, save_created, save_updated
from secretariat.documents import kinds, rendering
from secretariat.documents.models import DocumentTemplate

TEMPLATE_FIELDS = ["kind", "bilingual", "language", "file"]


def _check(organisation: Organisation, kind: str, language: str, file: Any) -> None:
    errors: Errors = {}
    if kinds.get(kind) is None:
        add_error(errors, "kind", _("Choose a kind of document."))
    if language and language not in organisation.languages:
        add_error(errors, "language", _("Choose one of the organisation's working languages."))
    if file.size > rendering.MAX_TEMPLATE_BYTES:
        add_error(errors, "file", _("A template is at most 5 MB."))
    else:
        try:
            rendering.check_template(file, organisation)
        except ValidationError as error:
            collect(errors, "file", error)
    if errors:
        raise ValidationError(errors)


def document_template_upload(
    *,
    organisation: Organisation,
    kind: str,
    bilingual: bool,
    language: str,
    file: Any,
    by: User | None,
) -> DocumentTemplate:
    """Documents of ``kind`` (bilingual or not, in ``language`` or, empty, in every language)
    are produced from ``file`` from now on. An earlier template of the same kind, variant and
    language is replaced: the audit entry keeps the stored names of the old and the new file."""
    _check(organisation, kind, language, file)
    with transaction.atomic():
        template = (
            DocumentTemplate.objects.select_for_update()
            .filter(organisation=organisation, kind=kind, bilingual=bilingual, language=language)
            .first()
        )
        if template is None:
            template = DocumentTemplate(
                organisation=organisation, kind=kind, bilingual=bilingual, language=language
            )
            # Stored first, so that the audit entry names the stored file.
            template.file.save(file.name, file, save=False)
            save_created(template, by=by, fields=TEMPLATE_FIELDS, texts=None, within=organisation)
            return template
        before = audit.snapshot(template, TEMPLATE_FIELDS)
        discard_on_commit(template.file.storage, template.file.name)
        template.file.save(file.name, file, save=False)
        template.uploaded_at = timezone.now()
        save_updated(
            template,
            by=by,
            fields=TEMPLATE_FIELDS,
            before=before,
            texts=None,
            within=organisation,
        )
    return template


def document_template_delete(*, template: DocumentTemplate, by: User | None) -> None:
    """The organisation's documents of this kind go back to the default template. The file
    leaves the storage once the removal is committed; the history keeps its name."""
    with transaction.atomic():
        discard_on_commit(template.file.storage, template.file.name)
        delete_recorded(template, by=by, fields=TEMPLATE_FIELDS, within=template.organisation)
