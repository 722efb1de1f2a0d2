from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secretariat.core.models import OrganisationOwned, OutgoingMail, TranslatableField
from secretariat.core.scope import OrganisationManager


class Movement(OrganisationOwned):
    """An arrival or departure of a convened member on the day, at an agenda item."""

    class Kind(models.TextChoices):
        ARRIVE = "arrive", _("arrives")
        LEAVE = "leave", _("leaves")

    invitation = models.ForeignKey(
        "governance.Invitation", on_delete=models.CASCADE, related_name="movements"
    )
    item = models.ForeignKey(
        "governance.AgendaItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=6, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.invitation} {self.kind}"


class Vote(OrganisationOwned):
    """The vote on one agenda item: counts, or a roll call per member; and its outcome."""

    class Method(models.TextChoices):
        COUNTS = "counts", _("counts (for, against, abstentions)")
        ROLL_CALL = "roll_call", _("roll call per member")

    item = models.OneToOneField(
        "governance.AgendaItem", on_delete=models.CASCADE, related_name="vote"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default="counts")
    yes = models.DecimalField(_("for"), max_digits=12, decimal_places=4, default=0)
    no = models.DecimalField(_("against"), max_digits=12, decimal_places=4, default=0)
    abstain = models.DecimalField(_("abstentions"), max_digits=12, decimal_places=4, default=0)
    adopted = models.BooleanField(_("adopted"), default=False)
    reason = models.TextField(_("reasoning"), blank=True)
    outcome_data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.item}: {self.yes}/{self.no}/{self.abstain}"


class BallotManager(OrganisationManager["Ballot"]):
    path = "vote__organisation"


class Ballot(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("for")
        NO = "no", _("against")
        ABSTAIN = "abstain", _("abstention")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    invitation = models.ForeignKey(
        "governance.Invitation", on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(max_length=8, choices=Choice.choices)

    objects = BallotManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "invitation"], name="ballot_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.invitation}: {self.choice}"


class DecisionStatus(models.TextChoices):
    ADOPTED = "adopted", pgettext_lazy("status of a decision", "adopted")
    REJECTED = "rejected", pgettext_lazy("status of a decision", "rejected")
    POSTPONED = "postponed", pgettext_lazy("status of a decision", "postponed")
    WITHDRAWN = "withdrawn", pgettext_lazy("status of a decision", "withdrawn")


class Decision(OrganisationOwned):
    """An entry of the register of decisions, numbered per body and year (e.g. AG-2026-07)."""

    body = models.ForeignKey("governance.Body", on_delete=models.CASCADE, related_name="decisions")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=30)
    text = TranslatableField(_("text of the decision"))
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices)
    public = models.BooleanField(_("public"), default=True)
    decided_on = models.DateField(_("decided on"))
    meeting = models.ForeignKey(
        "governance.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    item = models.OneToOneField(
        "governance.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_data = models.JSONField(default=dict, blank=True)
    by_written_procedure = models.BooleanField(_("by written procedure"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "sequence"], name="decision_number_per_body_and_year"
            )
        ]

    def __str__(self) -> str:
        return self.number


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", pgettext_lazy("status of a follow-up action", "cancelled")


class FollowUpAction(OrganisationOwned):
    """What a decision requires someone to do, by when, and how far it is."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    title = TranslatableField(_("action"))
    owner_person = models.ForeignKey(
        "network.Person",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    owner_partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("owning partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    due = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default="open"
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    note = models.TextField(_("note"), blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="action_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.title, f"#{self.pk}")


class ActionReminder(OutgoingMail):
    """A reminder to the owner of a follow-up action that fell due, one per action and day it
    was decided (sent by ``core/mailer.py``)."""

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "day"], name="action_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.day}: {self.status}"


class MinutesVersion(OrganisationOwned):
    """A snapshot of a meeting's minutes in every language; the approved one is kept as such."""

    meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.CASCADE, related_name="minutes_versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)  # {item id: {language: text}}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at_meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"
