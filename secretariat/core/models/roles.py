from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.core.models.owned import OrganisationOwned


class RoleKind(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Secretariat staff")
    COORDINATOR = "coordinator", _("Partner coordinator")
    MEMBER = "member", _("Member of bodies")
    READONLY = "readonly", _("Read-only")


class Role(OrganisationOwned):
    """What one user may do in one organisation; a user may hold roles in several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coordinator_roles",
        help_text=_("For a partner coordinator: the partner they coordinate."),
    )
    person = models.ForeignKey(
        "network.Person",
        verbose_name=_("person in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user_roles",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"],
                condition=models.Q(partner__isnull=True),
                name="role_unique_per_user_org_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "kind", "partner"],
                condition=models.Q(partner__isnull=False),
                name="role_unique_per_user_org_kind_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_kind_display()}"
