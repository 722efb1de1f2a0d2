"""The permission matrix: rules on the whole organisation by role, and the object rules that
pages and the API both ask (``permissions.can(access, perm, obj)``)."""

from typing import Any

from secretariat.core import permissions
from secretariat.core.access import access_for
from secretariat.core.permissions import Perm
from secretariat.governance.models import Decision, FollowUpAction
from secretariat.network.models import Affiliation
from tests import factories


def test_a_decision_is_read_by_members_when_public_and_by_the_secretariat_and_partners_always(
    org: Any, other_org: Any
) -> None:
    public = Decision(organisation=org, public=True)
    confidential = Decision(organisation=org, public=False)
    metz = factories.partner(org)
    kinds = ("admin", "staff", "coordinator", "readonly", "member")
    reads = {}
    for kind in kinds:
        user = factories.member_of(org, kind, partner=metz if kind == "coordinator" else None)
        access = access_for(user, org.slug)
        reads[kind] = (
            permissions.can(access, Perm.DECISION_VIEW, public),
            permissions.can(access, Perm.DECISION_VIEW, confidential),
            permissions.can(access, Perm.DECISION_VIEW),  # every decision of the register
        )
    assert reads == {
        "admin": (True, True, True),
        "staff": (True, True, True),
        "coordinator": (True, True, True),
        "readonly": (True, True, True),
        "member": (True, False, False),
    }
    admin = access_for(factories.member_of(org, "admin"), org.slug)
    assert not permissions.can(
        admin, Perm.DECISION_VIEW, Decision(organisation=other_org, public=True)
    )


def test_a_follow_up_action_is_updated_by_the_secretariat_and_its_partners_coordinator(
    org: Any,
) -> None:
    metz, trier = factories.partner(org), factories.partner(org)
    theirs = FollowUpAction(organisation=org, owner_partner=metz)
    nobody = FollowUpAction(organisation=org, owner_partner=None)
    coordinator = access_for(factories.member_of(org, "coordinator", partner=metz), org.slug)
    other = access_for(factories.member_of(org, "coordinator", partner=trier), org.slug)
    staff = access_for(factories.member_of(org, "staff"), org.slug)
    member = access_for(factories.member_of(org, "member"), org.slug)
    assert permissions.can(coordinator, Perm.ACTION_EDIT, theirs)
    assert not permissions.can(coordinator, Perm.ACTION_EDIT, nobody)
    assert not permissions.can(coordinator, Perm.ACTION_EDIT)
    assert not permissions.can(other, Perm.ACTION_EDIT, theirs)
    assert permissions.can(staff, Perm.ACTION_EDIT, nobody)
    assert not permissions.can(member, Perm.ACTION_EDIT, theirs)


def test_a_coordinator_affiliates_to_their_partner_and_their_new_people_are_tied_to_it(
    org: Any,
) -> None:
    metz, trier = factories.partner(org), factories.partner(org)
    coordinator = access_for(factories.member_of(org, "coordinator", partner=metz), org.slug)
    assert permissions.can(
        coordinator, Perm.AFFILIATION_EDIT, Affiliation(organisation=org, partner=metz)
    )
    assert not permissions.can(
        coordinator, Perm.AFFILIATION_EDIT, Affiliation(organisation=org, partner=trier)
    )
    assert permissions.partner_of_new_people(coordinator) == metz.pk
    staff = access_for(factories.member_of(org, "staff"), org.slug)
    assert permissions.partner_of_new_people(staff) is None


def test_the_messages_sent_are_personal_data_not_shown_to_members(org: Any) -> None:
    metz = factories.partner(org)
    shown = {
        kind: permissions.can(
            access_for(
                factories.member_of(org, kind, partner=metz if kind == "coordinator" else None),
                org.slug,
            ),
            Perm.DELIVERY_VIEW,
        )
        for kind in ("admin", "staff", "coordinator", "readonly", "member")
    }
    assert shown == {
        "admin": True,
        "staff": True,
        "coordinator": True,
        "readonly": True,
        "member": False,
    }
