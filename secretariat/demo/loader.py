"""Load the four demo organisations from ``data/*.json``; running it again changes nothing
that is already there (rows are matched by slug, names, e-mail addresses and codes)."""

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from secretariat.core import services as core
from secretariat.core.models import Organisation, RoleKind, User
from secretariat.core.scope import everywhere, organisation_scope
from secretariat.governance import services as governance
from secretariat.governance.models import Body, Membership, Presidency
from secretariat.network import services as network
from secretariat.network.models import EmailAddress, Partner, Person

DATA = Path(__file__).parent / "data"
SLUGS = ["quattropole", "sommet-grande-region", "eurometropole", "cemr"]
ADMIN_EMAIL = "admin@secretariat.example"


@dataclass
class DemoLogins:
    password: str
    generated: bool
    admin: str = ADMIN_EMAIL
    staff: dict[str, str] = field(default_factory=dict)


def _date(value: Any) -> Any:
    return value or None


def _organisation(data: dict[str, Any]) -> Organisation:
    seat = data.get("seat") or {}
    values = {
        "name": data["name"],
        "description": data.get("description") or {},
        "short_name": data["short_name"],
        "legal_form": data["legal_form"],
        "seat_street": seat.get("street", ""),
        "seat_postcode": seat.get("postcode", ""),
        "seat_city": seat.get("city", ""),
        "seat_country": seat.get("country", ""),
        "languages": data["languages"],
        "default_language": data["default_language"],
        "timezone": data["timezone"],
        "fiscal_year_start_month": data.get("fiscal_year_start_month", 1),
    }
    existing = Organisation.objects.filter(slug=data["slug"]).first()
    if existing:
        return core.organisation_update(organisation=existing, by=None, **values)
    return core.organisation_create(by=None, slug=data["slug"], **values)


def _partners(organisation: Organisation, data: dict[str, Any]) -> dict[str, Partner]:
    by_key = {}
    existing = {
        (p.name or {}).get(organisation.default_language, ""): p
        for p in Partner.objects.filter(organisation=organisation)
    }
    for item in data["partners"]:
        values = {
            "kind": item["kind"],
            "name": item["name"],
            "short_name": item.get("short_name") or {},
            "country": item["country"],
            "subdivision": item.get("subdivision") or "",
            "member_since": _date(item.get("member_since")),
            "member_until": _date(item.get("member_until")),
            "contribution_share": item.get("contribution_share"),
            "vote_weight": item.get("vote_weight"),
            "website": item.get("website") or "",
        }
        partner = existing.get(item["name"].get(organisation.default_language, ""))
        if partner is None:
            partner = network.partner_create(organisation=organisation, by=None, **values)
        else:
            network.partner_update(partner=partner, by=None, **values)
        by_key[item["key"]] = partner
    return by_key


def _people(
    organisation: Organisation, data: dict[str, Any], partners: dict[str, Partner]
) -> dict[str, Person]:
    by_key = {}
    for item in data["people"]:
        values = {
            "given_name": item["given_name"],
            "family_name": item["family_name"],
            "title": item.get("title") or {},
            "salutation": item.get("salutation") or {},
            "emails": [item["email"]] if item.get("email") else [],
            "languages": item.get("languages") or [],
            "legal_basis": item.get("legal_basis") or "public_task",
            "consent_given_on": _date(item.get("consent_given_on")),
            "tags": item.get("tags") or [],
        }
        address = (
            EmailAddress.objects.filter(organisation=organisation, email__iexact=item["email"])
            .select_related("person")
            .first()
            if item.get("email")
            else None
        )
        if address is None:
            person = network.person_create(organisation=organisation, by=None, **values)
        else:
            person = network.person_update(person=address.person, by=None, **values)
        for affiliation in item.get("affiliations") or []:
            partner = partners[affiliation["partner"]]
            if not person.affiliations.filter(partner=partner).exists():
                network.affiliation_create(
                    person=person,
                    partner=partner,
                    function=affiliation.get("function") or {},
                    start=_date(affiliation.get("start")),
                    end=_date(affiliation.get("end")),
                    by=None,
                )
        by_key[item["key"]] = person
    return by_key


def _bodies(
    organisation: Organisation,
    data: dict[str, Any],
    partners: dict[str, Partner],
    people: dict[str, Person],
) -> None:
    for item in data["bodies"]:
        values = {
            "kind": item["kind"],
            "name": item["name"],
            "description": item.get("description") or {},
            "short_code": item["short_code"],
        }
        body = Body.objects.filter(organisation=organisation, short_code=item["short_code"]).first()
        if body is None:
            body = governance.body_create(organisation=organisation, by=None, **values)
        else:
            governance.body_update(body=body, by=None, **values)
        seats: dict[str, Membership] = {}
        # Members first, so that substitutes find the member they stand in for.
        ordered = sorted(item["memberships"], key=lambda m: m["role"] == "substitute")
        for seat in ordered:
            person = people[seat["person"]]
            values = {
                "person": person,
                "role": seat["role"],
                "partner": partners[seat["partner"]] if seat.get("partner") else None,
                "voting": seat.get("voting", True),
                "start": _date(seat.get("start")),
                "end": _date(seat.get("end")),
                "substitute_for": seats.get(seat.get("substitute_for") or ""),
            }
            membership = Membership.objects.filter(
                body=body, person=person, role=seat["role"]
            ).first()
            if membership is None:
                membership = governance.membership_create(body=body, by=None, **values)
            else:
                governance.membership_update(membership=membership, by=None, **values)
            seats[seat["person"]] = membership


def _presidencies(
    organisation: Organisation,
    data: dict[str, Any],
    partners: dict[str, Partner],
    people: dict[str, Person],
) -> None:
    for item in data.get("presidencies") or []:
        values = {
            "partner": partners[item["partner"]],
            "president": people.get(item.get("president") or ""),
            "start": item["start"],
            "end": item["end"],
        }
        term = Presidency.objects.filter(organisation=organisation, start=item["start"]).first()
        if term is None:
            governance.presidency_create(organisation=organisation, by=None, **values)
        else:
            governance.presidency_update(presidency=term, by=None, **values)


def _user(email: str, name: str, password: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _organisation_rows(
    organisation: Organisation, data: dict[str, Any], admin: User, password: str
) -> str:
    """The organisation's network, bodies and logins; the e-mail address of its staff login."""
    partners = _partners(organisation, data)
    people = _people(organisation, data, partners)
    _bodies(organisation, data, partners, people)
    _presidencies(organisation, data, partners, people)
    core.role_grant(organisation=organisation, user=admin, kind=RoleKind.ADMIN, by=None)
    staff_email = f"staff@{organisation.slug}.example"
    staff = _user(staff_email, f"Demo staff {data['short_name']}", password)
    staff.language = data["default_language"] if data["default_language"] != "lb" else "fr"
    staff.save(update_fields=["language"])
    core.role_grant(organisation=organisation, user=staff, kind=RoleKind.STAFF, by=None)
    return staff_email


def load_demo(*, password: str = "") -> DemoLogins:
    """Load every demo organisation and (re)set the demo logins' password."""
    logins = DemoLogins(password=password or secrets.token_urlsafe(9), generated=not password)
    admin = _user(ADMIN_EMAIL, "Demo Administrator", logins.password)
    for slug in SLUGS:
        data = json.loads((DATA / f"{slug}.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            organisation = _organisation(data)
            with organisation_scope(organisation.pk):
                staff_email = _organisation_rows(organisation, data, admin, logins.password)
        logins.staff[slug] = staff_email
    from secretariat.demo.meetings import load_meetings
    from secretariat.demo.translation import load_translation

    # The meetings and translations of the four organisations, loaded together.
    with transaction.atomic(), everywhere():
        load_meetings()
        load_translation(list(Organisation.objects.filter(slug__in=SLUGS)), timezone.localdate())
    return logins
