"""Documents from templates: Word with docxtpl (templates an organisation can replace) and PDF
from HTML with xhtml2pdf.

PDF choice: xhtml2pdf (on ReportLab) installs from PyPI alone, so that the two README commands
keep working on a fresh machine; WeasyPrint renders CSS better but needs Pango from the system.
"""

import io
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from secretariat.core.models import Organisation
from secretariat.documents.models import DocumentTemplate

DEFAULTS = Path(__file__).parent / "defaults"


def template_file(organisation: Organisation, kind: str, bilingual: bool, language: str) -> Any:
    """The organisation's own template if it has one (for this language, else for all), else ours."""
    own = DocumentTemplate.objects.filter(organisation=organisation, kind=kind, bilingual=bilingual)
    chosen = own.filter(language=language).first() or own.filter(language="").first()
    if chosen is not None:
        return chosen.file.open("rb")
    return (DEFAULTS / f"{kind}{'_bilingual' if bilingual else ''}.docx").open("rb")


def render_docx(template: Any, context: dict[str, Any]) -> bytes:
    try:
        document = DocxTemplate(template)
        document.render(context, autoescape=True)
    except Exception as error:  # a broken uploaded template: say so, do not crash the page
        raise ValidationError(
            _("The Word template could not be filled in: %(error)s") % {"error": error}
        ) from error
    finally:
        if hasattr(template, "close"):
            template.close()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from xhtml2pdf import pisa

    html = render_to_string(template_name, context)
    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        raise ValidationError(_("The PDF could not be produced."))
    return buffer.getvalue()


def check_template(file: Any) -> None:
    """Refuse an upload that is not a Word document docxtpl can open."""
    try:
        DocxTemplate(file).get_undeclared_template_variables()
    except Exception as error:
        raise ValidationError(
            _("This file is not a Word template (.docx) that can be used.")
        ) from error
    finally:
        file.seek(0)
