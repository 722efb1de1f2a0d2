"""The organisation scope: who is acting, in which organisation, with which roles.

Every organisation-scoped view and API endpoint obtains an ``Access`` through
``access_for``; a user without a role in the organisation gets a 404, exactly as for an
organisation that does not exist, so that tenants cannot even be probed.
"""

import re
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.http import Http404

from secretariat.core.models import Organisation, Role, RoleKind, User
from secretariat.core.scope import everywhere

M = TypeVar("M", bound=models.Model)
# What a SlugField holds: anything else (a NUL character, which PostgreSQL refuses in a query)
# names no organisation and never reaches the database.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


@dataclass(frozen=True)
class Access:
    user: User
    organisation: Organisation
    kinds: frozenset[str]
    partner_ids: frozenset[int]  # partners this user coordinates

    @property
    def is_admin(self) -> bool:
        return RoleKind.ADMIN in self.kinds

    def has(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))


def access_for(user: User, slug: str) -> Access:
    if not user.is_authenticated or not SLUG.fullmatch(slug):
        raise Http404
    # The one read that crosses organisations by nature: which ones this user may enter.
    with everywhere():
        roles = list(
            Role.objects.filter(user=user, organisation__slug=slug).select_related("organisation")
        )
    if not roles:
        raise Http404
    return Access(
        user=user,
        organisation=roles[0].organisation,
        kinds=frozenset(r.kind for r in roles),
        partner_ids=frozenset(
            r.partner_id for r in roles if r.kind == RoleKind.COORDINATOR and r.partner_id
        ),
    )


def organisations_of(user: User) -> models.QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(roles__user=user).distinct().order_by("short_name")


def scoped(queryset: models.QuerySet[M], access: Access) -> models.QuerySet[M]:
    """Rows of the acting organisation only; every organisation-scoped read goes through it."""
    return queryset.filter(organisation=access.organisation)
