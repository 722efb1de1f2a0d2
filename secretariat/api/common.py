"""What every router of the API shares: the authenticated user, the organisation scope with
the permission an operation needs (always named by the operation: there is no default), and
a payload's fields as service arguments."""

from typing import Any, cast

from django.http import HttpRequest
from ninja import Schema

from secretariat.core import permissions
from secretariat.core.access import Access, access_for
from secretariat.core.models import User
from secretariat.core.permissions import Perm


def _user(request: HttpRequest) -> User:
    """The user the authentication classes found (ninja sets ``request.auth``)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def _access(request: HttpRequest, slug: str, perm: Perm) -> Access:
    """The caller's access to the organisation ``slug`` (404 without a role), refused (403)
    without ``perm``."""
    access = access_for(_user(request), slug)
    permissions.require(access, perm)
    return access


def _values(payload: Schema, **renames: str) -> dict[str, Any]:
    """The fields the caller sent (not the defaults), renamed for the service."""
    data = payload.dict(exclude_unset=True)
    return {renames.get(k, k): v for k, v in data.items()}
