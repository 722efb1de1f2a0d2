from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.owned import OrganisationOwned


class MailStatus(models.TextChoices):
    """Where one message to one recipient stands (``core/mailer.py`` moves it on)."""

    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingMail(OrganisationOwned):
    """One message to one recipient, with its status: the record the mailer sends from.

    Abstract: each sender keeps its own table (a meeting's deliveries, a written procedure's
    messages, a newsletter's dispatch), with the foreign keys and the unique constraint that
    say what the message is about and that it is queued once."""

    status = models.CharField(max_length=12, choices=MailStatus.choices, default="queued")
    address = models.EmailField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    tried_at = models.DateTimeField(null=True, blank=True)  # the start of the last attempt
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
