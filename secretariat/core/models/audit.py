from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.scope import OrganisationManager


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    REVIEW = "review", _("reviewed")
    IMPORT = "import", _("imported")
    # Logins to an account refused for a while after repeated failures (core/login_throttle.py).
    THROTTLE = "throttle", _("logins slowed down")


class AuditEntry(models.Model):
    """One write, with who made it and the fields it changed (old and new values)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", null=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict)
    # The object whose history this entry also belongs to: the body of a membership, the
    # person of an affiliation, so that each page shows the changes of its parts.
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Read inside the organisation's scope; an entry of no organisation (a refused login of an
    # account without roles) only by code that says it reads everywhere.
    objects = OrganisationManager["AuditEntry"]()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["scope_type", "scope_id", "-at"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"
