"""Two-factor authentication (TOTP, from django-allauth's mfa app), which an organisation may
require of its administrators and secretariat staff."""

from allauth.mfa.models import Authenticator

from secretariat.core.access import Access
from secretariat.core.models import RoleKind


def has_totp(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_enrol(access: Access) -> bool:
    """True when the organisation requires a second factor of this user and they have none."""
    return (
        access.organisation.require_two_factor
        and access.has(RoleKind.ADMIN, RoleKind.STAFF)
        and not has_totp(access.user)
    )
