"""The one place that decides who may see or change what; the UI and the API both ask it."""

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
    CONFIDENTIAL_VIEW = "decision.confidential_view"
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
    Perm.NOTICE_OVERRIDE: {ADMIN},
    # Engines hold keys and decide where texts may go: administrators only.
    Perm.TRANSLATION_ENGINES: {ADMIN},
    # Members of bodies read the public decisions; the secretariat and partners all of them.
    Perm.CONFIDENTIAL_VIEW: {ADMIN, STAFF, COORDINATOR, READONLY},
}


def _coordinates(access: Access, perm: Perm, obj: Any) -> bool:
    """A partner coordinator edits what concerns their own partner."""
    if COORDINATOR not in access.kinds or obj is None or not access.partner_ids:
        return False
    if perm == Perm.PARTNER_EDIT:
        return obj.pk in access.partner_ids
    if perm == Perm.PERSON_EDIT:
        return obj.affiliations.filter(partner_id__in=access.partner_ids).exists()
    if perm == Perm.MEMBERSHIP_EDIT:
        return obj.partner_id in access.partner_ids
    return False


def can(access: Access, perm: Perm, obj: Any = None) -> bool:
    if obj is not None and getattr(obj, "organisation_id", access.organisation.pk) != (
        access.organisation.pk
    ):
        return False
    if access.kinds & GRANTS[perm]:
        return True
    return _coordinates(access, perm, obj)


def require(access: Access, perm: Perm, obj: Any = None) -> None:
    if not can(access, perm, obj):
        raise PermissionDenied


def allowed(access: Access) -> dict[str, bool]:
    """Organisation-wide permissions by name, for templates (``perms.partner_create``)."""
    return {p.name.lower(): bool(access.kinds & GRANTS[p]) for p in Perm}
