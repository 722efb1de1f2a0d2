"""The one place that decides who may see or change what; the UI and the API both ask it.

``GRANTS`` gives each permission to role kinds on the whole organisation; ``OBJECT_RULES``
gives it on one object to whoever the rule names (a coordinator on their partner's rows, a
member on a public decision). Pages and endpoints ask ``can(access, perm, obj)`` and never
write a rule of their own."""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from secretariat.core.access import Access
from secretariat.core.models import RoleKind


class Perm(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    ROLES_MANAGE = "roles.manage"
    PARTNER_VIEW = "partner.view"
    PARTNER_CREATE = "partner.create"
    PARTNER_EDIT = "partner.edit"
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_EDIT = "person.edit"
    AFFILIATION_EDIT = "affiliation.edit"
    BODY_VIEW = "body.view"
    BODY_EDIT = "body.edit"
    MEMBERSHIP_EDIT = "membership.edit"
    PRESIDENCY_EDIT = "presidency.edit"
    DATA_IMPORT = "data.import"
    DATA_EXPORT = "data.export"
    AUDIT_VIEW = "audit.view"
    TEXT_REVIEW = "text.review"
    MEETING_VIEW = "meeting.view"
    MEETING_EDIT = "meeting.edit"
    MEETING_CONVENE = "meeting.convene"
    NOTICE_OVERRIDE = "meeting.notice_override"
    # Without an object: every decision, confidential ones included; with one: that one.
    DECISION_VIEW = "decision.view"
    ACTION_EDIT = "action.edit"
    # Who was sent what, at which address: personal data, as the directory of people.
    DELIVERY_VIEW = "delivery.view"
    TRANSLATION_ENGINES = "translation.engines"


ADMIN, STAFF, COORDINATOR, MEMBER, READONLY = (
    RoleKind.ADMIN,
    RoleKind.STAFF,
    RoleKind.COORDINATOR,
    RoleKind.MEMBER,
    RoleKind.READONLY,
)
EVERYONE = {ADMIN, STAFF, COORDINATOR, MEMBER, READONLY}
SECRETARIAT = {ADMIN, STAFF}

# Role kinds granted each permission on the whole organisation. Members of bodies see the
# network and the bodies but not the directory of people, which holds personal data.
GRANTS: dict[Perm, set[RoleKind]] = {
    Perm.ORG_VIEW: EVERYONE,
    Perm.ORG_MANAGE: {ADMIN},
    Perm.ROLES_MANAGE: {ADMIN},
    Perm.PARTNER_VIEW: EVERYONE,
    Perm.PARTNER_CREATE: SECRETARIAT,
    Perm.PARTNER_EDIT: SECRETARIAT,
    Perm.PERSON_VIEW: {ADMIN, STAFF, COORDINATOR, READONLY},
    Perm.PERSON_CREATE: SECRETARIAT | {COORDINATOR},
    Perm.PERSON_EDIT: SECRETARIAT,
    Perm.AFFILIATION_EDIT: SECRETARIAT,
    Perm.BODY_VIEW: EVERYONE,
    Perm.BODY_EDIT: SECRETARIAT,
    Perm.MEMBERSHIP_EDIT: SECRETARIAT,
    Perm.PRESIDENCY_EDIT: SECRETARIAT,
    Perm.DATA_IMPORT: SECRETARIAT,
    Perm.DATA_EXPORT: SECRETARIAT,
    Perm.AUDIT_VIEW: {ADMIN, STAFF, COORDINATOR, READONLY},
    Perm.TEXT_REVIEW: SECRETARIAT,
    Perm.MEETING_VIEW: EVERYONE,
    Perm.MEETING_EDIT: SECRETARIAT,
    Perm.MEETING_CONVENE: SECRETARIAT,
    Perm.ACTION_EDIT: SECRETARIAT,
    Perm.DELIVERY_VIEW: {ADMIN, STAFF, COORDINATOR, READONLY},
    Perm.NOTICE_OVERRIDE: {ADMIN},
    # Engines hold keys and decide where texts may go: administrators only.
    Perm.TRANSLATION_ENGINES: {ADMIN},
    # Members of bodies read the public decisions (OBJECT_RULES); the secretariat and partners
    # all of them.
    Perm.DECISION_VIEW: {ADMIN, STAFF, COORDINATOR, READONLY},
}


# Object rules: who else may do something on one object. ``access.partner_ids`` holds the
# partners a user coordinates (coordinator roles only).


def _own_partner(access: Access, obj: Any) -> bool:
    """A partner coordinator edits their own partner."""
    return bool(obj.pk in access.partner_ids)


def _own_person(access: Access, obj: Any) -> bool:
    """... the people affiliated to it."""
    return bool(
        access.partner_ids and obj.affiliations.filter(partner_id__in=access.partner_ids).exists()
    )


def _own_seat(access: Access, obj: Any) -> bool:
    """... its seats in bodies, and the affiliations of people to it."""
    return bool(obj.partner_id in access.partner_ids)


def _own_action(access: Access, obj: Any) -> bool:
    """... and the follow-up actions it owns (its progress, its note)."""
    return bool(obj.owner_partner_id in access.partner_ids)


def _public(access: Access, obj: Any) -> bool:
    """Whoever sees the meetings reads a public decision, and the vote of a public item."""
    return bool(obj.public) and can(access, Perm.MEETING_VIEW)


OBJECT_RULES: dict[Perm, Callable[[Access, Any], bool]] = {
    Perm.PARTNER_EDIT: _own_partner,
    Perm.PERSON_EDIT: _own_person,
    Perm.MEMBERSHIP_EDIT: _own_seat,
    Perm.AFFILIATION_EDIT: _own_seat,
    Perm.ACTION_EDIT: _own_action,
    Perm.DECISION_VIEW: _public,
}


def can(access: Access, perm: Perm, obj: Any = None) -> bool:
    """May ``access`` do ``perm`` on the whole organisation or, given ``obj``, on that row
    (never on another organisation's)."""
    if obj is not None and getattr(obj, "organisation_id", access.organisation.pk) != (
        access.organisation.pk
    ):
        return False
    if access.kinds & GRANTS[perm]:
        return True
    rule = OBJECT_RULES.get(perm)
    return obj is not None and rule is not None and rule(access, obj)


def require(access: Access, perm: Perm, obj: Any = None) -> None:
    if not can(access, perm, obj):
        raise PermissionDenied


def partner_of_new_people(access: Access) -> int | None:
    """The partner a coordinator's new person is affiliated to, so that they stay editable by
    them (the lowest id when they coordinate several); None for the secretariat."""
    if access.has(ADMIN, STAFF) or not access.partner_ids:
        return None
    return min(access.partner_ids)


def allowed(access: Access) -> dict[str, bool]:
    """Organisation-wide permissions by name, for templates (``perms.partner_create``)."""
    return {p.name.lower(): bool(access.kinds & GRANTS[p]) for p in Perm}
