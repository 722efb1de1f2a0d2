import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.models import OrganisationOwned, OutgoingMail


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(OrganisationOwned):
    """One member (or substitute) convened to one meeting: their language, their personal link,
    their answer and, on the day, their attendance."""

    class Answer(models.TextChoices):
        NONE = "", _("no answer yet")
        IN_PERSON = "in_person", _("attends in person")
        ONLINE = "online", _("attends online")
        EXCUSED = "excused", _("excused")
        PROXY = "proxy", _("gives a proxy")
        SUBSTITUTE = "substitute", _("sends the substitute")

    meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        "network.Person", on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        "governance.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answer = models.CharField(
        _("answer"), max_length=12, choices=Answer.choices, blank=True, default=""
    )
    proxy_to = models.ForeignKey(
        "self",
        verbose_name=_("proxy given to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proxies_held",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person__family_name", "person__given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitation_once_per_person")
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.person} → {self.meeting}"


class DeliveryKind(models.TextChoices):
    CONVOCATION = "convocation", _("convocation")
    UPDATE = "update", _("update")
    CANCELLATION = "cancellation", _("cancellation")
    REMINDER = "reminder", _("reminder")


class DeliveryStatus(models.TextChoices):
    """The mailer's statuses (``core.models.MailStatus``) and a letter for those without an
    address."""

    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NO_ADDRESS = "no_address", _("no e-mail address: printed letter")


class Delivery(OutgoingMail):
    """One message to one invitee: what was sent, when, and what went wrong (sent by
    ``core/mailer.py``; a member without an address is ``no_address``: a printed letter)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=12, choices=DeliveryKind.choices)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default="queued")

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            # A member is convened once per version of the meeting, whatever is retried.
            models.UniqueConstraint(
                fields=["invitation", "kind", "sequence"], name="delivery_once_per_version"
            )
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.invitation} {self.kind} #{self.sequence}: {self.status}"


class CalendarFeed(OrganisationOwned):
    """A secret address at which a calendar application reads the meetings of one body or of
    one person (the bodies they sit in)."""

    body = models.OneToOneField(
        "governance.Body", on_delete=models.CASCADE, null=True, blank=True, related_name="feed"
    )
    person = models.OneToOneField(
        "network.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=False, person__isnull=True)
                | models.Q(body__isnull=True, person__isnull=False),
                name="feed_of_a_body_or_a_person",
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.body or self.person}"
