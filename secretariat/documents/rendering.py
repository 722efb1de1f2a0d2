"""Documents from templates: Word with docxtpl (templates an organisation can replace), filled
in the sandbox of ``documents.sandbox``, and PDF from HTML with xhtml2pdf (our own templates).

PDF choice: xhtml2pdf (on ReportLab) installs from PyPI alone, so that the two README commands
keep working on a fresh machine; WeasyPrint renders CSS better but needs Pango from the system.
"""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from secretariat.core.models import Organisation
from secretariat.documents import kinds, sandbox
from secretariat.documents.models import DocumentTemplate


def template_file(organisation: Organisation, kind: str, bilingual: bool, language: str) -> Any:
    """The organisation's own template if it has one (for this language, else for all), else
    the default of the app that registered the kind."""
    own = DocumentTemplate.objects.filter(organisation=organisation, kind=kind, bilingual=bilingual)
    chosen = own.filter(language=language).first() or own.filter(language="").first()
    if chosen is not None:
        return chosen.file.open("rb")
    registered = kinds.get(kind)
    if registered is None:
        raise ValueError(f"No app registered the kind of document {kind!r}.")
    return registered.default_template(bilingual).open("rb")


MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def refusal(refused: sandbox.TemplateRefused) -> str:
    """Why a template cannot be used, in the user's language."""
    if refused.code == sandbox.NOT_WORD:
        return _("This file is not a Word template (.docx) that can be used.")
    if refused.code == sandbox.SYNTAX:
        return _("The Word template has a mistake in its fields: %(error)s") % {
            "error": refused.detail
        }
    if refused.code == sandbox.FORBIDDEN:
        return _(
            "The Word template uses “%(what)s”, which templates may not use: a template may "
            "show the document’s data, with conditions, loops and simple filters, but not call "
            "functions or reach anything else."
        ) % {"what": refused.detail}
    if refused.code == sandbox.BUSY:
        return _("Too many documents are being produced right now; try again in a moment.")
    if refused.code == sandbox.TOO_COSTLY:
        return _("The Word template takes too much time or memory to fill in; simplify its loops.")
    return _("The Word template could not be filled in: %(error)s") % {"error": refused.detail}


def _read(template: Any) -> bytes:
    try:
        data: bytes = template.read(MAX_TEMPLATE_BYTES + 1)
    finally:
        if hasattr(template, "close"):
            template.close()
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError(_("A template is at most 5 MB."))
    return data


def render_docx(template: Any, context: dict[str, Any], organisation: Organisation) -> bytes:
    """The Word document from ``template`` (an open file) and plain-data ``context``, filled in
    one of ``organisation``'s places in the sandbox."""
    try:
        return sandbox.fill(_read(template), context, owner=organisation.slug)
    except sandbox.TemplateRefused as refused:
        raise ValidationError(refusal(refused)) from refused


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from xhtml2pdf import pisa

    html = render_to_string(template_name, context)
    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        raise ValidationError(_("The PDF could not be produced."))
    return buffer.getvalue()


def check_template(file: Any, organisation: Organisation) -> None:
    """Refuse an upload that is not a Word document, has a broken field, or uses anything but
    the document's data, before it is stored."""
    data = file.read(MAX_TEMPLATE_BYTES + 1)
    file.seek(0)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError(_("A template is at most 5 MB."))
    try:
        sandbox.check(data, owner=organisation.slug)
    except sandbox.TemplateRefused as refused:
        raise ValidationError(refusal(refused)) from refused
