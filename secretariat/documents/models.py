import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.owned import OrganisationOwned
from secretariat.documents import kinds


def template_path(instance: "DocumentTemplate", filename: str) -> str:
    return f"templates/{instance.organisation_id}/{uuid.uuid4().hex}.docx"


class DocumentTemplate(OrganisationOwned):
    """An organisation's own Word template for a kind of document, replacing the default."""

    # The kinds the apps register (``documents/kinds.py``).
    kind = models.CharField(_("document"), max_length=20, choices=kinds.choices)
    bilingual = models.BooleanField(_("bilingual side by side"), default=False)
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("Empty: for every language.")
    )
    file = models.FileField(_("Word template (.docx)"), upload_to=template_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "bilingual", "language"],
                name="one_template_per_kind_variant_language",
            )
        ]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.language or '*'}{' (2)' if self.bilingual else ''}"
