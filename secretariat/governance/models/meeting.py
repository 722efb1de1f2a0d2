import datetime
import uuid
import zoneinfo

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secretariat.core.models import OrganisationOwned, TranslatableField
from secretariat.core.scope import OrganisationManager


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONVENED = "convened", _("convened")
    HELD = "held", _("held")
    MINUTES_APPROVED = "minutes_approved", _("minutes approved")
    CANCELLED = "cancelled", pgettext_lazy("state of a meeting", "cancelled")
    POSTPONED = "postponed", pgettext_lazy("state of a meeting", "postponed")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class Meeting(OrganisationOwned):
    """A meeting of a body, from planning to approved minutes."""

    body = models.ForeignKey("governance.Body", on_delete=models.CASCADE, related_name="meetings")
    title = TranslatableField(_("title"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    timezone = models.CharField(_("time zone"), max_length=64)
    mode = models.CharField(
        _("form"), max_length=10, choices=MeetingMode.choices, default="in_person"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    # The calendar identity of the meeting: the UID stays, the sequence rises with each update.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    convened_at = models.DateTimeField(_("convened on"), null=True, blank=True)
    # What the members were last told (announcements.visible_state) and what changed then.
    announced = models.JSONField(default=dict, blank=True, editable=False)
    notice_override_reason = models.TextField(
        _("why the convocation went out after the notice period"), blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["organisation", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.title, f"{self.body} {self.start:%Y-%m-%d}")

    @property
    def local_start(self) -> datetime.datetime:
        """The start in the meeting's own time zone (its day is the meeting's day)."""
        return self.start.astimezone(zoneinfo.ZoneInfo(self.timezone))


class ItemKind(models.TextChoices):
    INFORMATION = "information", _("information")
    DISCUSSION = "discussion", _("discussion")
    # Not the name of a decision (its model's): the kind of an item brought "for decision".
    DECISION = "decision", pgettext_lazy("kind of agenda item", "decision")
    MINUTES_APPROVAL = "minutes_approval", _("approval of the minutes")


class AgendaItem(OrganisationOwned):
    """An item of a meeting's agenda; sub-items have a parent. Numbers follow the order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ItemKind.choices, default="information"
    )
    title = TranslatableField(_("title"))
    description = TranslatableField(_("explanation"))
    draft_decision = TranslatableField(_("draft decision"))
    minutes = TranslatableField(_("minutes"))
    rapporteur = models.ForeignKey(
        "network.Person",
        verbose_name=_("rapporteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    public = models.BooleanField(_("public"), default=True)
    majority_kind = models.CharField(
        _("majority required (if not the body's usual one)"), max_length=12, blank=True
    )
    # For an approval of the minutes: the earlier meeting whose minutes are approved.
    approves = models.ForeignKey(
        Meeting,
        verbose_name=_("minutes of the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_by_items",
    )

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.title, f"#{self.pk}")


class AgendaDocument(OrganisationOwned):
    """A document attached to an agenda item, with one file per language."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = TranslatableField(_("title"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        from secretariat.core.texts import object_label

        return object_label(self.title, f"#{self.pk}")


def document_path(instance: "DocumentFile", filename: str) -> str:
    return f"documents/{instance.document.organisation_id}/{uuid.uuid4().hex}/{filename}"


class DocumentFileManager(OrganisationManager["DocumentFile"]):
    path = "document__organisation"


class DocumentFile(models.Model):
    document = models.ForeignKey(AgendaDocument, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=document_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentFileManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="document_file_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.language}]"
