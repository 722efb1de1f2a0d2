from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.models import OrganisationOwned, TranslatableField
from secretariat.core.scope import OrganisationManager


class BodyKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
    BOARD = "board", _("Board")
    COLLEGE = "college", _("College of personal representatives")
    SUMMIT = "summit", _("Summit of executives")
    COORDINATION_COMMITTEE = "coordination_committee", _("Coordination committee")
    COMMITTEE = "committee", _("Committee")
    WORKING_GROUP = "working_group", _("Working group")
    ACTION_GROUP = "action_group", _("Action group")
    PROJECT_GROUP = "project_group", _("Project group")
    OTHER = "other", _("Other")


class WrittenKind(models.TextChoices):
    SILENCE = "silence", _("silence procedure: adopted unless a member objects by the deadline")
    VOTE = "vote", _("written vote: the body's majority among the members who answer")


class Body(OrganisationOwned):
    """A statutory body or group of the organisation."""

    kind = models.CharField(_("kind"), max_length=24, choices=BodyKind.choices)
    name = TranslatableField(_("name"))
    description = TranslatableField(_("description"))
    short_code = models.CharField(
        _("short code"), max_length=10, help_text=_("Used to number decisions, e.g. AG-2026-07.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "short_code"], name="body_short_code_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.name, self.short_code)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    OBSERVER = "observer", _("Observer")
    CO_LEAD = "co_lead", _("Co-lead")
    SECRETARY = "secretary", _("Secretary")


class Membership(OrganisationOwned):
    """A person's seat in a body, for a period, possibly representing a partner."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "network.Person", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=MembershipRole.choices)
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("represented partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    voting = models.BooleanField(_("voting right"), default=True)
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("substitute of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="substitutes",
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["body", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class Presidency(OrganisationOwned):
    """A term of the organisation's (rotating) presidency."""

    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("presiding partner"),
        on_delete=models.PROTECT,
        related_name="presidencies",
    )
    president = models.ForeignKey(
        "network.Person",
        verbose_name=_("president"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presidencies",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("presidency")
        verbose_name_plural = _("presidencies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="presidency_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.start:%Y}–{self.end:%Y}"


class BodyRulesManager(OrganisationManager["BodyRules"]):
    path = "body__organisation"


class BodyRules(models.Model):
    """The statutory rules of one body; defaults come from the organisation's legal form."""

    class Counting(models.TextChoices):
        CALENDAR = "calendar", _("calendar days")
        CLEAR = "clear", _("clear days (neither the day of sending nor of the meeting)")

    class QuorumBasis(models.TextChoices):
        MEMBERS = "members", _("members")
        WEIGHT = "weight", _("voting weight")
        DELEGATIONS = "delegations", _("partner delegations")

    class MajorityKind(models.TextChoices):
        SIMPLE = "simple", _("simple majority")
        ABSOLUTE = "absolute", _("absolute majority")
        TWO_THIRDS = "two_thirds", _("two-thirds majority")
        UNANIMITY = "unanimity", _("unanimity")
        CONSENSUS = "consensus", _("consensus")

    class MajorityBase(models.TextChoices):
        CAST = "cast", _("of the votes cast")
        CAST_AND_ABSTENTIONS = "cast_and_abstentions", _("of the votes cast and abstentions")
        PRESENT = "present", _("of the members present or represented")
        MEMBERS = "members", _("of all members")

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="rules")
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=14)
    notice_counting = models.CharField(
        _("counting of the notice period"),
        max_length=10,
        choices=Counting.choices,
        default="calendar",
    )
    quorum_basis = models.CharField(
        _("quorum counted in"), max_length=12, choices=QuorumBasis.choices, default="members"
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum share: numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum share: denominator"), default=2)
    quorum_strict = models.BooleanField(
        _("more than the share (rather than at least)"), default=True
    )
    quorum_with_represented = models.BooleanField(
        _("members represented by proxy count for the quorum"), default=True
    )
    majority_kind = models.CharField(
        _("majority for decisions"), max_length=12, choices=MajorityKind.choices, default="simple"
    )
    majority_base = models.CharField(
        _("majority counted"), max_length=24, choices=MajorityBase.choices, default="cast"
    )
    double_majority = models.BooleanField(
        _("also a majority of the partner delegations"), default=False
    )
    weighted_votes = models.BooleanField(
        _("votes weighted by the partners' vote weight"), default=False
    )
    delegation_block_vote = models.BooleanField(
        _("each delegation votes as a block"), default=False
    )
    proxies_allowed = models.BooleanField(_("proxies allowed"), default=True)
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        _("proxies one member may carry"), default=1
    )
    proxies_within_delegation = models.BooleanField(
        _("proxies only within one's own delegation"), default=False
    )
    substitutes_allowed = models.BooleanField(_("substitutes may attend"), default=True)
    written_procedure_allowed = models.BooleanField(
        _("decisions by written procedure"), default=False
    )
    written_kind = models.CharField(
        _("kind of written procedure"),
        max_length=8,
        choices=WrittenKind.choices,
        default=WrittenKind.SILENCE,
    )
    written_days = models.PositiveSmallIntegerField(
        _("days to answer a written procedure"), default=10
    )

    objects = BodyRulesManager()

    class Meta:
        verbose_name = _("rules of the body")
        verbose_name_plural = _("rules of bodies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_denominator__gt=0)
                & models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="body_rules_quorum_share_is_a_fraction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.body}"
