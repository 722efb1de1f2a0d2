import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.models import OrganisationOwned, TranslatableField
from secretariat.network import identifiers


class PartnerKind(models.TextChoices):
    STATE = "state", _("State")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    DEPARTEMENT = "departement", _("Département")
    MUNICIPALITY = "municipality", _("Municipality")
    INTERMUNICIPAL = "intermunicipal", _("Inter-municipal body")
    ASSOCIATION = "association", _("Association")
    NATIONAL_ASSOCIATION = "national_association", _("National association")
    INSTITUTION = "institution", _("Institution")
    OTHER = "other", _("Other")


class Partner(OrganisationOwned):
    """A member entity of the organisation: a state, region, city, association…"""

    kind = models.CharField(_("kind"), max_length=24, choices=PartnerKind.choices)
    name = TranslatableField(_("official name"))
    short_name = TranslatableField(_("short name"))
    country = models.CharField(_("country"), max_length=2)
    subdivision = models.CharField(_("subdivision (ISO 3166-2)"), max_length=10, blank=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    member_until = models.DateField(_("member until"), null=True, blank=True)
    contribution_share = models.DecimalField(
        _("statutory contribution share (%)"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
    )
    vote_weight = models.DecimalField(
        _("vote weight"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    # Every name in every language, folded to lower case without accents, so that "treves"
    # finds Trèves on SQLite and PostgreSQL alike.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            models.Index(fields=["organisation", "kind"]),
            models.Index(fields=["organisation", "country"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_until__isnull=True)
                | models.Q(member_since__isnull=True)
                | models.Q(member_until__gte=models.F("member_since")),
                name="partner_membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.short_name) or object_label(self.name, f"#{self.pk}")

    def is_former_on(self, day: datetime.date | None = None) -> bool:
        """Whether the membership had ended by ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.member_until is not None and self.member_until < day

    @property
    def is_former(self) -> bool:
        return self.is_former_on()


class PartnerIdentifier(OrganisationOwned):
    """A partner's code in a public register (or the organisation's own numbering): how an
    import recognises a partner it has seen before."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(_("scheme"), max_length=8, choices=identifiers.choices())
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        ordering = ["partner_id", "scheme"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme", "code"], name="identifier_unique_per_org"
            ),
            models.UniqueConstraint(fields=["partner", "scheme"], name="identifier_one_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.code}"
