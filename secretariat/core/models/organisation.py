import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.texts import TranslatableField


class LegalForm(models.TextChoices):
    EV_DE = "ev_de", _("Registered association under German law (e.V.)")
    EGTC_LU = "egtc_lu", _("EGTC under Luxembourg law")
    EGTC_FR = "egtc_fr", _("EGTC under French law")
    EGTC_BE = "egtc_be", _("EGTC under Belgian law")
    EGTC_DE = "egtc_de", _("EGTC under German law")
    ASSOCIATION_FR = "association_fr", _("Association under French law (1901)")
    ASBL_BE = "asbl_be", _("Non-profit association under Belgian law (ASBL/VZW)")
    AISBL_BE = "aisbl_be", _("International non-profit association under Belgian law (AISBL)")
    ASBL_LU = "asbl_lu", _("Non-profit association under Luxembourg law (ASBL)")
    OTHER = "other", _("Other")


LOGOS = "logos/"  # the folder of the storage that holds the logos


class Organisation(models.Model):
    """The tenant: one cooperation body and its joint secretariat."""

    slug = models.SlugField(_("short address"), max_length=60, unique=True)
    name = TranslatableField(_("name"))
    short_name = models.CharField(_("short name"), max_length=80)
    description = TranslatableField(_("description"))
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    seat_street = models.CharField(_("street"), max_length=200, blank=True)
    seat_postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    seat_city = models.CharField(_("city"), max_length=100, blank=True)
    seat_country = models.CharField(_("country"), max_length=2)
    languages = models.JSONField(
        _("working languages"), default=list, help_text=_("In order of precedence.")
    )
    default_language = models.CharField(_("default language"), max_length=8)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("first month of the fiscal year"), default=1
    )
    logo = models.ImageField(_("logo"), upload_to=LOGOS, blank=True)
    machine_translation_external = models.BooleanField(
        _("non-confidential texts may go to external translation engines"), default=False
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication of administrators and staff"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name

    @property
    def organisation(self) -> "Organisation":
        """An organisation's own texts are in its own working languages."""
        return self

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> datetime.date:
        """Today at the organisation's seat (not the server's, nor UTC)."""
        return timezone.localdate(timezone.now(), self.tzinfo)

    @property
    def logo_url(self) -> str:
        """The logo's address on the platform, which streams it from the storage (never the
        storage's own address: a bucket stays private and pages load images from us only)."""
        if not self.logo:
            return ""
        return reverse("logo", args=[self.logo.name.removeprefix(LOGOS)])

    @property
    def seat_address(self) -> str:
        return ", ".join(
            p for p in [self.seat_street, f"{self.seat_postcode} {self.seat_city}".strip()] if p
        )


def default_languages() -> list[str]:
    return [code for code, _name in settings.CONTENT_LANGUAGES]
