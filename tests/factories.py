"""Factories: every test makes its own data through the services, as users do."""

import itertools
from typing import Any

from secretariat.core import services as core
from secretariat.core.models import Organisation, RoleKind, User
from secretariat.governance import services as governance
from secretariat.governance.models import Body, Membership
from secretariat.network import services as network
from secretariat.network.models import Partner, Person

_counter = itertools.count(1)


def organisation(
    slug: str | None = None, languages: tuple[str, ...] = ("fr", "de"), **extra: Any
) -> Organisation:
    n = next(_counter)
    slug = slug or f"org-{n}"
    values: dict[str, Any] = {
        "name": {languages[0]: f"Organisation {n}"},
        "short_name": slug.upper(),
        "legal_form": "egtc_lu",
        "seat_country": "LU",
        "languages": list(languages),
        "default_language": languages[0],
        "timezone": "Europe/Luxembourg",
    }
    values.update(extra)
    return core.organisation_create(by=None, slug=slug, **values)


def user(email: str | None = None, password: str = "correct horse battery", **extra: Any) -> User:
    email = email or f"user{next(_counter)}@test.example"
    return User.objects.create_user(email=email, password=password, **extra)


def member_of(
    org: Organisation, kind: str = RoleKind.STAFF, partner: Partner | None = None, **extra: Any
) -> User:
    u = user(**extra)
    core.role_grant(organisation=org, user=u, kind=kind, partner=partner, by=None)
    return u


def partner(org: Organisation, **values: Any) -> Partner:
    n = next(_counter)
    values.setdefault("kind", "municipality")
    values.setdefault("country", "FR")
    values.setdefault("name", {org.languages[0]: f"Ville {n}"})
    return network.partner_create(organisation=org, by=None, **values)


def person(org: Organisation, **values: Any) -> Person:
    n = next(_counter)
    values.setdefault("given_name", "Claire")
    values.setdefault("family_name", f"Martin{n}")
    values.setdefault("emails", [f"person{n}@test.example"])
    values.setdefault("languages", list(org.languages))
    return network.person_create(organisation=org, by=None, **values)


def body(org: Organisation, **values: Any) -> Body:
    n = next(_counter)
    values.setdefault("kind", "general_assembly")
    values.setdefault("short_code", f"B{n}")
    values.setdefault("name", {org.languages[0]: f"Assemblée {n}"})
    return governance.body_create(organisation=org, by=None, **values)


def membership(b: Body, p: Person | None = None, **values: Any) -> Membership:
    return governance.membership_create(
        body=b, person=p or person(b.organisation), by=None, **values
    )


def meeting(b: Body, **values: Any) -> Any:
    import datetime
    import zoneinfo

    from secretariat.governance import agenda

    tz = zoneinfo.ZoneInfo("Europe/Luxembourg")
    values.setdefault("title", {b.organisation.languages[0]: f"Réunion de {b}"})
    values.setdefault("start", datetime.datetime(2026, 12, 10, 10, 0, tzinfo=tz))
    values.setdefault("end", values["start"] + datetime.timedelta(hours=2))
    values.setdefault("place", "Maison de la Grande Région")
    return agenda.meeting_plan(body=b, by=None, **values)
