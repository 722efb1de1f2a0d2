from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from secretariat.core.models import OrganisationOwned, TranslatableField


class LegalBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", _("Public task")
    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")


class Tag(OrganisationOwned):
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="tag_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Person(OrganisationOwned):
    """Someone the secretariat works with; fictional in the demo, personal data in real life."""

    title = TranslatableField(_("title"))
    salutation = TranslatableField(_("form of address"))
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    phones = models.JSONField(_("phones"), default=list, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("In order of preference; the first is preferred.")
    )
    legal_basis = models.CharField(
        _("legal basis for processing"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.PUBLIC_TASK,
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people", verbose_name=_("tags"))
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name", "id"]),
            # The preferred language is the first of the list; lists filter on it.
            models.Index("organisation", F("languages__0"), name="person_preferred_language"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def preferred_language(self) -> str:
        return self.languages[0] if self.languages else ""

    def language_in(self, languages: list[str], default: str) -> str:
        """The language to write to this person in, among an organisation's languages."""
        return next((lang for lang in self.languages if lang in languages), default)


class EmailAddress(OrganisationOwned):
    """A person's e-mail address; unique within an organisation, whatever its case."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("e-mail address"))
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("email"), name="email_unique_per_org_case_insensitive"
            )
        ]

    def __str__(self) -> str:
        return self.email


class Affiliation(OrganisationOwned):
    """A person's function at a partner, for a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    partner = models.ForeignKey(
        "network.Partner", on_delete=models.CASCADE, related_name="affiliations"
    )
    function = TranslatableField(_("function"))
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="affiliation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.partner}"
