from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secretariat.core.models import OrganisationOwned, OutgoingMail, TranslatableField
from secretariat.core.scope import OrganisationManager
from secretariat.governance.models.body import WrittenKind
from secretariat.governance.models.convocation import new_token


class WrittenProcedure(OrganisationOwned):
    """A decision taken without a meeting: every voting member answers by a deadline, and where
    the rules say so, silence counts as consent (procédure écrite, Umlaufverfahren)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", pgettext_lazy("state of a written procedure", "withdrawn")

    # A closed procedure waits to be registered until its decision has a number.

    body = models.ForeignKey(
        "governance.Body", on_delete=models.CASCADE, related_name="written_procedures"
    )
    title = TranslatableField(_("title"))
    draft_decision = TranslatableField(_("draft decision"))
    deadline = models.DateTimeField(_("answers by"))
    deadline_override_reason = models.TextField(
        _("why the deadline is shorter than the body's rules"), blank=True
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=WrittenKind.choices, default=WrittenKind.SILENCE
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    decision = models.OneToOneField(
        "governance.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="written_procedure",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_data = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("written procedure")
        verbose_name_plural = _("written procedures")

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.title, f"#{self.pk}")


class WrittenAnswerManager(OrganisationManager["WrittenAnswer"]):
    path = "procedure__organisation"


class WrittenAnswer(models.Model):
    class Choice(models.TextChoices):
        NONE = "", _("no answer yet")
        YES = "yes", _("agrees")
        NO = "no", _("objects")
        ABSTAIN = "abstain", _("abstains")

    procedure = models.ForeignKey(
        WrittenProcedure, on_delete=models.CASCADE, related_name="answers"
    )
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        "governance.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=8)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    choice = models.CharField(
        _("answer"), max_length=8, choices=Choice.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    address = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = WrittenAnswerManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "person"], name="written_answer_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.choice or '-'}"


class WrittenMessage(OutgoingMail):
    """One message of a written procedure to one member (sent by ``core/mailer.py``): the
    launch, the reminder, the outcome or the withdrawal, each once."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("launch")
        REMINDER = "reminder", _("reminder")
        OUTCOME = "outcome", _("outcome")
        WITHDRAWAL = "withdrawal", _("withdrawal")

    answer = models.ForeignKey(WrittenAnswer, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "kind"], name="written_message_once")
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.answer} {self.kind}: {self.status}"
