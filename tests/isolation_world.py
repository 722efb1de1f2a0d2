"""Two organisations with a row of every kind, for the isolation test that walks every route
(tests/test_isolation.py), and a fingerprint of all the rows of one organisation.

Every text of an organisation carries its marker (``ZQXA``, ``ZQXB``): an answer given to
someone of the other organisation must not contain it. Markers are ASCII so that JSON's
escapes, HTML's and the lower-casing of e-mail addresses do not hide them."""

import contextlib
import datetime
import hashlib
import io
import secrets
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.utils import timezone

from secretariat.core import services as core
from secretariat.core.models import Organisation, Role, User
from secretariat.core.tokens import token_create
from secretariat.governance import convocation, decisions, feeds, written
from secretariat.governance import services as governance
from secretariat.governance.models import (
    ActionReminder,
    AgendaItem,
    Decision,
    DocumentFile,
    Invitation,
    ItemKind,
    Vote,
)
from secretariat.network import services as network
from secretariat.translation import pretranslate, queue, workbench
from secretariat.translation.models import MachineJob
from tests import factories


@dataclass
class World:
    """One organisation, its administrator (a role there and nowhere else), their API token,
    and one row of each kind a route can name, by kind."""

    org: Organisation
    admin: User
    secret: str
    marker: str
    media: Path
    objects: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.org.slug

    @property
    def language(self) -> str:
        """A working language that is not the original of the texts: a translation's target."""
        return self.org.languages[1]


def pixel() -> bytes:
    """A PNG of one pixel: the organisation's logo."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    return out.getvalue()


def build(slug: str, languages: tuple[str, str], marker: str, media: Path) -> World:
    """An organisation as it is after a few months of use: its network, a body that met, voted
    and decided, an open written procedure, documents, templates and translation work."""
    first, second = languages

    def text(what: str) -> dict[str, str]:
        return {first: f"{what} {marker}", second: f"{what} ({second}) {marker}"}

    org = factories.organisation(slug, languages=languages)
    core.organisation_update(
        organisation=org,
        by=None,
        name={first: f"Organisation {marker}"},
        logo=SimpleUploadedFile(f"{slug}.png", pixel(), content_type="image/png"),
    )
    admin = factories.member_of(org, "admin", email=f"admin-{slug}@test.example")
    token, secret = token_create(user=admin, name=f"Jeton {marker}")
    w = World(org=org, admin=admin, secret=secret, marker=marker, media=media)
    o = w.objects
    o["organisation"], o["token"], o["user"] = org, token, admin
    o["role"] = Role.objects.get(user=admin, organisation=org)

    # The partner's name is in the first language only: its translation is done below.
    o["partner"] = factories.partner(
        org, name={first: f"Ville {marker}"}, identifiers={"own": f"{marker}-1"}
    )
    people = [
        factories.person(
            org,
            family_name=f"{marker}{n}",
            title=text("Maire"),
            emails=[f"{marker.lower()}-{n}@test.example"],
            tags=[f"tag-{marker}"],
        )
        for n in range(2)
    ]
    o["person"] = people[0]
    for person in people:
        network.affiliation_create(
            person=person, partner=o["partner"], function=text("Maire"), by=None
        )
    o["affiliation"] = people[0].affiliations.get()
    o["body"] = body = factories.body(org, short_code=f"B{marker}", name=text("Assemblée"))
    memberships = [factories.membership(body, p, partner=o["partner"]) for p in people]
    o["membership"], o["other_membership"] = memberships
    # A past term: a new term that the walk proposes (from two months ahead) overlaps none.
    o["presidency"] = governance.presidency_create(
        organisation=org,
        partner=o["partner"],
        start=timezone.localdate() - datetime.timedelta(days=400),
        end=timezone.localdate() - datetime.timedelta(days=10),
        by=None,
    )

    # A meeting of ten days ago: convened in time, attended, voted, decided, minuted.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40), tick=False):
        meeting = factories.meeting(body, title=text("Réunion"), start=factories.days_ahead(30))
        item = factories.agenda_item(
            meeting,
            kind=ItemKind.DECISION,
            title=text("Budget"),
            draft_decision=text("Le budget est adopté."),
        )
        o["document"] = factories.document(item, text=f"Rapport {marker}", title=text("Rapport"))
        convocation.meeting_convene(meeting=meeting, by=None)
        convocation.deliver_pending(meeting=meeting)  # as the worker does (to Django's outbox)
    with time_machine.travel(meeting.start + datetime.timedelta(minutes=5), tick=False):
        invitations = list(Invitation.objects.filter(meeting=meeting).order_by("pk"))
        for invitation in invitations:
            decisions.invitation_arrive(invitation=invitation, by=None)
        decisions.vote_record(item=item, by=None, ballots={i.pk: "yes" for i in invitations})
        decision = Decision.objects.get(item=item)
        o["action"] = decisions.action_create(
            decision=decision, by=None, title=text("Suivi"), owner_person=people[0]
        )
        o["minutes"] = decisions.minutes_snapshot(meeting=meeting, by=None)
    o["meeting"], o["item"], o["decision"], o["invitation"] = (
        meeting,
        item,
        decision,
        invitations[0],
    )
    o["vote"] = Vote.objects.get(item=item)
    o["file"] = DocumentFile.objects.get(document=o["document"])
    o["planned_meeting"] = factories.meeting(body, title=text("Prochaine réunion"))

    o["procedure"] = procedure = factories.written_procedure(
        body, title=text("Procédure"), draft_decision=text("Le rapport est approuvé.")
    )
    o["answer"] = procedure.answers.order_by("pk").first()
    written.procedure_answer(answer=o["answer"], choice="yes")
    o["body_feed"] = feeds.feed_for_body(body)
    o["feed"] = feeds.feed_for_person(people[0])

    o["template"] = factories.document_template(org, "minutes")
    o["concept"] = factories.concept(org, (first, f"Directoire {marker}"))
    o["memory"] = factories.memory_unit(org, f"Ville {marker}", f"Stadt {marker}")
    o["engine"] = factories.engine(org, url=f"http://127.0.0.1:9/{marker}")
    # A translation (which the ledger of words counts), an assignment, a pre-translation run.
    workbench.save_translation(
        obj=o["partner"], field="name", language=second, text=f"Stad {marker}", by=admin
    )
    o["assignment"] = queue.assign(
        organisation=org,
        obj=item,
        field="title",
        language=second,
        assignee=admin,
        due=timezone.localdate() + datetime.timedelta(days=10),
        by=admin,
    )
    o["run"] = pretranslate.start(
        organisation=org,
        language=second,
        units=[f"governance.agendaitem:{item.pk}:title"],
        by=admin,
    )
    # An eTranslation job waiting for its callback. No service creates one without calling the
    # engine, and the callback only needs the stored job.
    o["job"] = MachineJob.objects.create(
        organisation=org,
        engine="etranslation",
        reference=secrets.token_urlsafe(24),
        content_type=ContentType.objects.get_for_model(AgendaItem),
        object_id=item.pk,
        field="title",
        source_language=first,
        target_language=second,
        source_digest="x",
    )
    # A reminder of the follow-up action, as the daily job records it (it names the action).
    o["reminder"] = ActionReminder.objects.create(
        organisation=org, action=o["action"], day=timezone.localdate(), address="owner@test.example"
    )
    missing = [m._meta.label for m in owned_models() if not rows_of(m, org).exists()]
    assert not missing, f"the isolation world has no row of {missing}: add one in build()"
    return w


# Fingerprints ------------------------------------------------------------------------------------

# Models that hold no organisation's data: Django's own tables, the sessions (a login writes one),
# the queues of background tasks (the database's rows name ids, and a task's effect shows in
# the rows; RQ's dashboard is a model without a table).
UNOWNED_APPS = {
    "contenttypes",
    "auth",
    "sessions",
    "django_tasks_database",
    "django_tasks_db",
    "django_rq",
}


def _related(f: Any) -> type[models.Model] | None:
    """The model a field points to, if it is a relation."""
    target = f.related_model if f.is_relation else None
    return target if isinstance(target, type) else None


def _organisation_path(model: type[models.Model]) -> str | None:
    """The lookup from a row of ``model`` to its organisation, if it has one."""
    names = {f.name for f in model._meta.concrete_fields}
    if "organisation" in names:
        return "organisation"
    for f in model._meta.concrete_fields:
        target = _related(f)
        if target is not None and "organisation" in {g.name for g in target._meta.concrete_fields}:
            return f"{f.name}__organisation"
    return None


def _user_path(model: type[models.Model]) -> str | None:
    """The lookup from a row of ``model`` to its user, directly or through one parent."""
    for f in model._meta.concrete_fields:
        if _related(f) is User:
            return f.name
    for f in model._meta.concrete_fields:
        target = _related(f)
        for g in target._meta.concrete_fields if target is not None else []:
            if _related(g) is User:
                return f"{f.name}__{g.name}"
    return None


def owned_models() -> list[type[models.Model]]:
    """The models of the project whose rows belong to an organisation."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("secretariat.") and _organisation_path(m) is not None
    ]


def rows_of(model: type[models.Model], org: Organisation) -> models.QuerySet[Any]:
    """The rows of ``model`` that are ``org``'s: its own, its users' and their tokens."""
    manager = model._base_manager
    if model is Organisation:
        return manager.filter(pk=org.pk)
    if model is User:
        return manager.filter(roles__organisation=org)
    path = _organisation_path(model)
    if path is not None:
        return manager.filter(**{path: org})
    user = _user_path(model)
    if user is not None:
        return manager.filter(**{f"{user}__roles__organisation": org})
    raise LookupError(
        f"{model._meta.label} has no organisation, no parent with one and no user: say in "
        "tests/isolation_world.py whose rows they are (UNOWNED_APPS or rows_of)."
    )


def _statements(org: Organisation) -> dict[str, tuple[str, Any]]:
    """Per table, the SQL that reads ``org``'s rows (compiled once: building 46 querysets
    a request would cost more than the requests)."""
    found = _STATEMENTS.get(org.pk)
    if found is None:
        found = {}
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in UNOWNED_APPS:
                continue
            query = rows_of(model, org).order_by("pk").values_list().query
            found[model._meta.label] = query.get_compiler(using="default").as_sql()
        _STATEMENTS[org.pk] = found
    return found


_STATEMENTS: dict[int, dict[str, tuple[str, Any]]] = {}


def fingerprint(org: Organisation) -> dict[str, tuple[int, str]]:
    """Per table, how many rows are ``org``'s and a digest of their values (many-to-many tables
    included): two equal fingerprints mean nothing of the organisation changed."""
    found = {}
    with connection.cursor() as cursor:
        for label, (sql, params) in _statements(org).items():
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            found[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return found


def changes(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [
        f"{label}: {before.get(label, (0, ''))[0]} rows -> {after.get(label, (0, ''))[0]} rows"
        for label in sorted(set(before) | set(after))
        if before.get(label) != after.get(label)
    ]


def _foreign_keys() -> list[tuple[type[models.Model], str, str]]:
    """(model, lookup of its organisation, lookup of the organisation of a row it names) for
    every foreign key between organisations' rows."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        own = _organisation_path(model)
        if own is None or not model.__module__.startswith(("secretariat.", "django.db")):
            continue
        for f in model._meta.concrete_fields:
            target = _related(f)
            if target is None or f.name == own.split("__")[0]:
                continue
            path = "pk" if target is Organisation else _organisation_path(target)
            if path is not None:
                found.append((model, own, f"{f.name}__{path}".removesuffix("__pk")))
    return found


def _generic_keys() -> list[tuple[type[models.Model], str, str]]:
    """(model, content type field, object id field) of the rows that name any row."""
    found = []
    for model in owned_models():
        names = {f.name for f in model._meta.concrete_fields}
        for kind, key in (("content_type", "object_id"), ("scope_type", "scope_id")):
            if {kind, key} <= names:
                found.append((model, kind, key))
    return found


def _reference_statement() -> tuple[str, Any]:
    """One SQL statement (a union, one round trip) that finds a few rows naming another
    organisation's row, by a foreign key or a generic one, of every kind."""
    global _REFERENCES
    if _REFERENCES is not None:
        return _REFERENCES
    parts = []
    for model, own, theirs in _foreign_keys():
        parts.append(
            model._base_manager.exclude(**{f"{theirs}__isnull": True})
            .exclude(**{own: F(theirs)})
            .annotate(what=Value(f"{model._meta.label}.{theirs.split('__')[0]}", CharField()))
            .values_list("what", "pk")[:3]
        )
    targets: list[type[models.Model]] = [
        m for m in apps.get_models() if _organisation_path(m) is not None
    ]
    targets.append(Organisation)
    for model, kind, key in _generic_keys():
        for target in targets:
            path = "pk" if target is Organisation else (_organisation_path(target) or "")
            other = target._base_manager.filter(pk=OuterRef(key)).exclude(
                **{path: OuterRef("organisation")}
            )
            content_type = ContentType.objects.get_for_model(target)
            parts.append(
                model._base_manager.filter(**{kind: content_type})
                .filter(Exists(other))
                .annotate(
                    what=Value(f"{model._meta.label}.{kind} {target._meta.label}", CharField())
                )
                .values_list("what", "pk")[:3]
            )
    sql, params = [], []
    for n, queryset in enumerate(parts):
        text, values = queryset.query.get_compiler(using="default").as_sql()
        sql.append(f"SELECT * FROM ({text}) AS part{n}")
        params.extend(values)
    _REFERENCES = (" UNION ALL ".join(sql), params)
    return _REFERENCES


_REFERENCES: tuple[str, Any] | None = None


def cross_references() -> list[str]:
    """Rows of one organisation that name a row of another, by a foreign key or a generic
    one (audit entries, text versions, assignments...): there must be none, whatever a page or
    the API was sent."""
    sql, params = _reference_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [f"{what} {pk}: names another organisation's row" for what, pk in cursor.fetchall()]


# What an answer shows ----------------------------------------------------------------------------


def readable(content: bytes) -> str:
    """The text of an answer as a reader would see it, lower-cased: a ZIP (XLSX, DOCX) unpacked,
    a PDF's compressed streams inflated."""
    parts = [content]
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    elif content.startswith(b"%PDF"):
        for chunk in content.split(b"stream")[1:]:
            data = chunk.lstrip(b"\r\n").split(b"endstream")[0]
            with contextlib.suppress(zlib.error):  # an image, or a stream not compressed
                parts.append(zlib.decompress(data))
    return b"\n".join(parts).decode("utf-8", "replace").lower()
