"""Factories: every test makes its own data through the services, as users do.

Dates are relative to the (possibly moved) clock: a test that needs a particular calendar day
moves the clock itself (time_machine)."""

import datetime
import itertools
import zoneinfo
from typing import Any

from django.utils import timezone

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


LU = zoneinfo.ZoneInfo("Europe/Luxembourg")


def days_ahead(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A time in Luxembourg ``days`` after today, at ``hour``:``minute``."""
    day = timezone.localdate(timezone.now(), LU) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LU)


def meeting(b: Body, **values: Any) -> Any:
    from secretariat.governance import agenda

    values.setdefault("title", {b.organisation.languages[0]: f"Réunion de {b}"})
    # Far enough ahead for any notice period of the tests' bodies.
    values.setdefault("start", days_ahead(60))
    values.setdefault("end", values["start"] + datetime.timedelta(hours=2))
    values.setdefault("place", "Maison de la Grande Région")
    return agenda.meeting_plan(body=b, by=None, **values)


def agenda_item(m: Any, **values: Any) -> Any:
    from secretariat.governance import agenda

    n = next(_counter)
    values.setdefault("title", {m.organisation.languages[0]: f"Point {n}"})
    return agenda.item_add(meeting=m, by=None, **values)


def document(item: Any, text: str = "Rapport", **values: Any) -> Any:
    """A document of an agenda item: a text file in the organisation's first language."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.governance import item_documents

    language = item.organisation.languages[0]
    values.setdefault("title", {language: f"Document {next(_counter)}"})
    upload = SimpleUploadedFile("document.txt", text.encode(), content_type="text/plain")
    return item_documents.document_add(item=item, by=None, files={language: upload}, **values)


def written_procedure(b: Body, **values: Any) -> Any:
    """An open written procedure of a body whose rules provide for them."""
    from secretariat.governance import body_rules, written

    rules = body_rules.rules_of(b)
    if not rules.written_procedure_allowed:
        rules.written_procedure_allowed = True
        rules.save()
    language = b.organisation.languages[0]
    values.setdefault("title", {language: f"Procédure écrite {next(_counter)}"})
    values.setdefault("draft_decision", {language: "Le rapport est approuvé."})
    values.setdefault("deadline", days_ahead(40))
    return written.procedure_launch(body=b, by=None, **values)


def concept(org: Organisation, *terms: tuple[str, str]) -> Any:
    """A glossary concept with one preferred term per (language, text)."""
    from secretariat.translation import glossary

    return glossary.concept_save(
        organisation=org,
        concept=None,
        terms=[(language, text, "preferred") for language, text in terms],
        by=None,
    )


def memory_unit(org: Organisation, source: str, target: str) -> Any:
    """A reviewed sentence pair from the first working language into the second."""
    from secretariat.translation import memory
    from secretariat.translation.models import MemoryOrigin, MemoryUnit

    memory.memory_add(
        organisation=org,
        source_language=org.languages[0],
        target_language=org.languages[1],
        source=source,
        target=target,
        origin=MemoryOrigin.REVIEWED,
    )
    return MemoryUnit.objects.filter(organisation=org).latest("pk")


def engine(org: Organisation, kind: str = "libretranslate", url: str = "") -> Any:
    from secretariat.translation import machine
    from secretariat.translation.models import EngineSetting

    setting = EngineSetting(organisation=org, kind=kind, url=url or "http://127.0.0.1:9")
    return machine.engine_save(setting=setting, secret="", by=None)


def document_template(org: Organisation, kind: str = "minutes") -> Any:
    """The organisation's own Word template of ``kind``: a copy of our default one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.documents import kinds, services

    registered = kinds.get(kind)
    assert registered is not None, kind
    content = registered.default_template(False).read_bytes()
    upload = SimpleUploadedFile(f"{kind}.docx", content)
    return services.document_template_upload(
        organisation=org, kind=kind, bilingual=False, language="", file=upload, by=None
    )
