import datetime

import pytest
from django.core.exceptions import ValidationError

from secretariat.governance import selectors, services
from tests import factories


def test_a_membership_that_ends_before_it_starts_is_refused(org) -> None:
    body = factories.body(org)
    with pytest.raises(ValidationError) as error:
        factories.membership(body, start="2026-01-01", end="2025-12-31")
    assert "end" in error.value.message_dict


def test_a_substitute_stands_in_for_a_member_of_the_same_body(org) -> None:
    assembly, board = factories.body(org), factories.body(org)
    member = factories.membership(assembly)
    elsewhere = factories.membership(board)
    substitute = factories.membership(
        assembly, role="substitute", substitute_for=member, voting=False
    )
    assert substitute.substitute_for == member
    with pytest.raises(ValidationError) as error:
        factories.membership(assembly, role="substitute", substitute_for=elsewhere)
    assert "is not one" in error.value.message_dict["substitute_for"][0]
    with pytest.raises(ValidationError):
        factories.membership(assembly, role="substitute")
    with pytest.raises(ValidationError):
        factories.membership(assembly, role="member", substitute_for=member)


def test_a_member_with_substitutes_cannot_be_removed_before_them(org) -> None:
    body = factories.body(org)
    member = factories.membership(body)
    factories.membership(body, role="substitute", substitute_for=member)
    with pytest.raises(ValidationError):
        services.membership_delete(membership=member, by=None)


def test_people_and_partners_of_another_organisation_cannot_sit_in_a_body(org, other_org) -> None:
    body = factories.body(org)
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            body=body,
            person=factories.person(other_org),
            partner=factories.partner(other_org),
            by=None,
        )
    assert {"person", "partner"} <= set(error.value.message_dict)


def test_presidency_terms_do_not_overlap(org) -> None:
    metz, trier = factories.partner(org), factories.partner(org)
    services.presidency_create(
        organisation=org, partner=metz, start="2025-01-01", end="2026-12-31", by=None
    )
    with pytest.raises(ValidationError) as error:
        services.presidency_create(
            organisation=org, partner=trier, start="2026-06-01", end="2028-05-31", by=None
        )
    assert "overlaps" in error.value.message_dict["start"][0]
    services.presidency_create(
        organisation=org, partner=trier, start="2027-01-01", end="2028-12-31", by=None
    )
    current = selectors.current_presidency(organisation=org, on=datetime.date(2027, 3, 1))
    assert current is not None and current.partner == trier


def test_body_short_codes_are_unique_per_organisation(org, other_org) -> None:
    factories.body(org, short_code="AG")
    factories.body(other_org, short_code="AG")
    with pytest.raises(ValidationError):
        factories.body(org, short_code="ag")


def test_current_members_exclude_ended_and_future_seats(org) -> None:
    body = factories.body(org)
    current = factories.membership(body, start="2020-01-01")
    factories.membership(body, start="2020-01-01", end="2021-01-01")
    factories.membership(body, start="2099-01-01")
    assert list(selectors.memberships_of(body=body, on=datetime.date(2026, 11, 23))) == [current]
    assert selectors.memberships_of(body=body, current_only=False).count() == 3
