"""Isolation between organisations, by construction: every route of the project (every Django
URL pattern, through every include) and every operation of the API's OpenAPI document is
requested by the administrator of organisation A with the rows of organisation B, and must show
nothing of B and change nothing of B. A new route is covered the day it is added: the walk fills
its parameters by their names (tests/route_walk.py) and fails, saying what to add, on a
parameter it does not know.

Then the permissions of roles within one organisation, which no walk can know."""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django_scopes import scopes_disabled

from secretariat.core.tokens import token_create
from secretariat.network import services
from secretariat.translation.models import PretranslationRun
from tests import factories, isolation_world, route_walk
from tests.isolation_world import World
from tests.route_walk import Target, Unfillable

ROUTES = route_walk.url_patterns()
OPERATIONS = route_walk.api_operations()
# What the walks found when they were written (URL patterns, one per address; operations).
ROUTES_WRITTEN, OPERATIONS_WRITTEN = 148, 71

# How another organisation's row or address is refused: not found (404), or a method the route
# does not have (405, decided before anything is looked up).
REFUSED = {404, 405}
# An empty form may also be refused as invalid before any row is looked up (400): the answer
# shows nothing of the other organisation and nothing of it changes (both checked).
REFUSED_EMPTY_FORM = REFUSED | {400}
# A body naming another organisation's row beside one's own rows: refused, however.
REFUSED_BODY = {400, 403, 404, 409, 422}
LOGIN = "/accounts/login/"
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# During the walk, the tasks a request starts run when it ends (as if its transaction had
# committed): what they do is checked with the rest.
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def worlds(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[World, World]]:
    """Organisations A and B, built once for the module inside a transaction that is rolled
    back at its end (each test runs in a savepoint within it): other modules never see them."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the build makes users
    with (
        django_db_blocker.unblock(),
        scopes_disabled(),
        override_settings(MEDIA_ROOT=media, TASKS=TASKS, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        a = isolation_world.build("alpha-iso", ("fr", "de"), "ZQXA", media)
        b = isolation_world.build("beta-iso", ("fr", "nl"), "ZQXB", media)
        yield a, b
        transaction.set_rollback(True)


@pytest.fixture
def ab(worlds: tuple[World, World], db: Any, settings: Any) -> tuple[World, World]:
    settings.MEDIA_ROOT = worlds[0].media
    settings.TASKS = IMMEDIATE
    return worlds


@pytest.fixture
def walker(django_capture_on_commit_callbacks: Any) -> "Walker":
    """A client that answers an error with its 500 (reported with the rest) and its traceback
    in the log, rather than stopping the walk; and runs what a request leaves for after its
    commit (tasks) when it ends."""
    return Walker(django_capture_on_commit_callbacks)


class Walker(Client):
    def __init__(self, on_commit: Any) -> None:
        super().__init__(raise_request_exception=False)
        self.on_commit = on_commit

    def request(self, **request: Any) -> Any:
        with self.on_commit(execute=True):
            return super().request(**request)


def content(response: Any) -> str:
    """What the answer shows, lower-cased (read once: a file is streamed)."""
    if not hasattr(response, "shown"):
        data = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        response.shown = isolation_world.readable(data)
    return str(response.shown)


class Walk:
    """The requests of one test, and what was wrong with their answers."""

    def __init__(self, client: "Walker", target: Target) -> None:
        self.client, self.target = client, target
        self.problems: list[str] = []
        self.sent = 0
        self.vacuous: list[str] = []

    def send(
        self, method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        """A request; ``body``: the API's JSON or files, or a page's form as (name, value)
        pairs (empty if none)."""
        self.sent += 1
        headers = headers or {}
        if method == "get":
            return self.client.get(url, headers=headers)
        data: bytes | str
        if isinstance(body, dict) and any(isinstance(v, SimpleUploadedFile) for v in body.values()):
            data, content_type = encode_multipart(BOUNDARY, body), MULTIPART_CONTENT
        elif self.target.method:
            data, content_type = json.dumps(body or {}), "application/json"
        else:
            data, content_type = urlencode(body or []), "application/x-www-form-urlencoded"
        return self.client.generic(
            method.upper(), url, data, content_type=content_type, headers=headers
        )

    def expect(
        self,
        response: Any,
        what: str,
        *,
        status: set[int] | None = None,
        hidden: World | None = None,
        found: bool = False,
    ) -> None:
        """Note a problem: an error; a status outside ``status``; ``hidden``'s marker in the
        answer; (``found``) one's own row not found."""
        code = response.status_code
        if code >= 500:
            self.problems.append(f"{what}: {code} (the traceback is in the captured log)")
        elif status is not None and code not in status:
            detail = content(response)[:300] if code in (400, 422) else ""
            self.problems.append(f"{what}: {code}, expected {sorted(status)} {detail}".strip())
        elif found and code == 404:
            self.problems.append(
                f"{what}: 404 for one's own rows: the walk fills this route wrongly, or the "
                "world lacks a row it needs (tests/isolation_world.py), or a page needs a query "
                "(PAGE_QUERIES in tests/route_walk.py)"
            )
        if hidden is not None and hidden.marker.lower() in content(response):
            self.problems.append(f"{what}: shows {hidden.marker}, the other organisation's data")

    def finish(self, untouched: World, before: dict[str, tuple[int, str]]) -> None:
        """Fail with every problem: of the answers; ``untouched``'s rows changed since
        ``before``; a row of one organisation naming another's; a body naming A's own row
        refused as well as B's (then the refusal of B's proves nothing)."""
        with scopes_disabled():
            after = isolation_world.fingerprint(untouched.org)
            crossing = isolation_world.cross_references()
        problems = list(self.problems)
        problems += [
            f"{untouched.slug} changed: {c}" for c in isolation_world.changes(before, after)
        ]
        problems += crossing
        problems += [f"{v} (see BODY_COMPANIONS)" for v in self.vacuous]
        assert not problems, "\n".join(problems)

    def anonymous(self, method: str, url: str, what: str, body: Any = None) -> None:
        """Without a session or a token: the login page (401 from the API), never data."""
        self.client.logout()
        api = self.target.is_api
        for headers in ({}, {"Authorization": "Bearer sec_wrong"}) if api else ({},):
            response = self.send(method, url, body=body, headers=headers)
            code = response.status_code
            if api:
                ok = code == 401
            else:
                ok = code == 405 or (code == 302 and response["Location"].startswith(LOGIN))
            if not ok:
                expected = "401" if api else "the login page"
                self.problems.append(f"{what} {headers}: {code}, expected {expected}".strip())


def _variants(target: Target) -> list[dict[str, Any]]:
    try:
        return target.variants()
    except Unfillable as error:
        pytest.fail(str(error))


def _url(target: Target, variant: dict[str, Any], **worlds: Any) -> str:
    try:
        return target.url(target.values(variant, **worlds), query=worlds["slug"])
    except Unfillable as error:
        pytest.fail(str(error))


def _swaps(target: Target, other: World) -> list[dict[str, World]]:
    """Another organisation's rows in one's own address: all of them, then one at a time (a
    view that checks the meeting but not the item of the meeting is caught by the latter)."""
    rows = target.row_parameters()
    if not rows:
        return []
    every = {p: other for p in rows}
    return [every] + ([{p: other} for p in rows] if len(rows) > 1 else [])


# Every URL pattern ------------------------------------------------------------------------------


def _organisation_route(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    """An organisation's page: B's address, or B's rows in A's address, is not found; A's own
    is found and shows nothing of B; without a login, the login page."""
    target = walk.target
    walk.client.force_login(a.admin)
    theirs = _url(target, variant, slug=b, rows=b, swapped={})
    walk.expect(walk.send("get", theirs), f"get {theirs}", status=REFUSED, hidden=b)
    walk.expect(walk.send("post", theirs), f"post {theirs}", status=REFUSED, hidden=b)
    for swapped in _swaps(target, b):
        url = _url(target, variant, slug=a, rows=a, swapped=swapped)
        what = f"{url} ({', '.join(swapped)} of {b.slug})"
        walk.expect(walk.send("get", url), f"get {what}", status=REFUSED, hidden=b)
        walk.expect(walk.send("post", url), f"post {what}", status=REFUSED_EMPTY_FORM, hidden=b)
    ours = _url(target, variant, slug=a, rows=a, swapped={})
    response = walk.send("get", ours)
    walk.expect(response, f"get {ours} (own)", hidden=b, found=True)
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        _forms(walk, ours, response.content.decode(), a, b)
    for method in ("get", "post"):
        walk.anonymous(method, theirs, f"anonymous {method} {theirs}")


def _forms(walk: Walk, page: str, html: str, a: World, b: World) -> None:
    """A's own forms, as the page shows them, each field that names a row given B's row
    instead: refused or ignored. Nothing of B is shown, nothing of B changes, and no row of A
    comes to name one of B (checked at the end of the test)."""
    try:
        forms = [(form, form.row_fields()) for form in route_walk.post_forms(page, html)]
    except Unfillable as error:
        pytest.fail(str(error))
    for form, rows in forms:
        for name, kind in rows.items():
            values = [(k, v) for k, v in form.values if k != name]
            values.append((name, str(form.row_value(name, kind, b))))
            walk.client.force_login(a.admin)  # a form may log out
            response = walk.send("post", form.action, body=values)
            walk.expect(response, f"post {form.action} ({name} of {b.slug})", hidden=b)


def _api_route(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    """An address of the API: requested once per operation of its OpenAPI document, with a
    body that passes validation (test_every_api_operation_...); so it must be in the document."""
    route = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", walk.target.route)
    operations = [t for t in OPERATIONS if t.route == route]
    if not operations:
        walk.problems.append(f"{route} is not in the OpenAPI document, which the walk follows")
    walk.sent += len(operations)


def _personal_route(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    """A personal link or an engine's callback: the secret in the address is the key, whoever
    sends it. B's key opens B's row (its purpose) and shows nothing of A; A's rows named beside
    it are not found; a made-up key opens nothing, and a personal page (/m/<token>/,
    /w/<token>/) then says that the link does not work."""
    target = walk.target
    walk.client.logout()
    theirs = _url(target, variant, slug=b, rows=b, swapped={})
    walk.expect(walk.send("get", theirs), f"get {theirs}", hidden=a, found=True)
    walk.expect(walk.send("post", theirs), f"post {theirs}", hidden=a)
    for swapped in _swaps(target, a):
        url = _url(target, variant, slug=b, rows=b, swapped=swapped)
        what = f"{url} ({', '.join(swapped)} of {a.slug})"
        walk.expect(walk.send("get", url), f"get {what}", status=REFUSED, hidden=a)
    secret = next(p for p in target.parameters if p in route_walk.TOKEN_PARAMETERS)
    values = target.values(variant, slug=b, rows=b, swapped={})
    made_up = target.url({**values, secret: "made-up-key"})
    for method in ("get", "post"):
        response = walk.send(method, made_up)
        walk.expect(response, f"{method} {made_up}", status=REFUSED, hidden=a)
        page = target.route.endswith("<str:token>/") and response.status_code == 404
        if page and "governance/personal_link.html" not in [t.name for t in response.templates]:
            walk.problems.append(f"{method} {made_up}: not the page of an unknown link")


def _public_file_route(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    """Logos are public (they head letters and pages): B's is served to anyone, and the
    address reaches no other file (B's documents are one directory up)."""
    target = walk.target
    walk.client.logout()
    logo = _url(target, variant, slug=b, rows=b, swapped={})
    walk.expect(walk.send("get", logo), f"get {logo}", status={200})
    elsewhere = "../" + b.objects["file"].file.name
    for path in (elsewhere, "../../" + elsewhere):
        url = target.url({"path": path})
        walk.expect(walk.send("get", url), f"get {url}", status={400, 404}, hidden=b)


def _account_route(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    """The user's own pages (django-allauth's, the profile, the API's list of one's
    organisations and its documentation): nothing of an organisation in which one has no
    role; another user's rows (a token) not found."""
    target = walk.target
    ours = _url(target, variant, slug=a, rows=a, swapped={})
    for method in ("get", "post"):
        walk.client.force_login(a.admin)  # a post may log out
        walk.expect(walk.send(method, ours), f"{method} {ours}", hidden=b)
    for swapped in _swaps(target, b):
        url = _url(target, variant, slug=a, rows=a, swapped=swapped)
        for method in ("get", "post"):
            walk.client.force_login(a.admin)
            walk.expect(walk.send(method, url), f"{method} {url}", status=REFUSED, hidden=b)
    walk.client.logout()
    walk.expect(walk.send("get", ours), f"anonymous get {ours}", hidden=b)


WALKS = {
    "organisation": _organisation_route,
    "api": _api_route,
    "personal": _personal_route,
    "public file": _public_file_route,
    "account": _account_route,
}


@pytest.mark.parametrize("target", ROUTES, ids=[t.id for t in ROUTES])
def test_every_route_shows_and_changes_nothing_of_another_organisation(
    target: Target, ab: tuple[World, World], walker: "Walker"
) -> None:
    a, b = ab
    # A personal link may change its holder's rows (an answer), never the other organisation's.
    untouched = a if target.kind == "personal" else b
    walk = Walk(walker, target)
    with scopes_disabled():
        before = isolation_world.fingerprint(untouched.org)
    for variant in _variants(target):
        WALKS[target.kind](walk, variant, a, b)
    walk.finish(untouched, before)
    assert walk.sent


# Every operation of the OpenAPI document --------------------------------------------------------


def _body(target: Target, rows: World, texts: World, field: str = "", row: Any = None) -> Any:
    """The operation's request body, with its required fields, naming ``rows``'s rows (and
    ``field``, required or not, naming ``row``'s)."""
    request = target.operation.get("requestBody")
    if not request:
        return None
    document = target.operation["document"]
    media, spec = next(iter(request["content"].items()))
    if media == "multipart/form-data":
        return {
            name: SimpleUploadedFile(f"{name}.csv", b"name\nNouveau\n")
            for name in spec["schema"].get("properties", {})
        }
    try:
        body = route_walk.example(document, spec["schema"], "", rows, texts)
        if field:
            body[field] = route_walk.example(document, {}, field, row, texts)
            companions = route_walk.BODY_COMPANIONS.get(field, {})
            body.update(companions() if callable(companions) else companions)
    except Unfillable as error:
        pytest.fail(f"{target.id}: {error}")
    return body


def _body_rows(target: Target) -> list[str]:
    request = target.operation.get("requestBody")
    if not request:
        return []
    media, spec = next(iter(request["content"].items()))
    if media != "application/json":
        return []
    return route_walk.body_rows(target.operation["document"], spec["schema"])


def _query(target: Target, slug: World) -> dict[str, Any]:
    """The query parameters the operation requires, for ``slug``'s organisation."""
    values: dict[str, Any] = {}
    for p in target.operation.get("parameters", []):
        if p["in"] != "query" or not p.get("required"):
            continue
        name = p["name"]
        if name in ("language", "target"):
            values[name] = slug.language
        elif name == "source":
            values[name] = slug.org.languages[0]
        elif name == "text":
            values[name] = "Ville"
        else:
            pytest.fail(
                f"{target.id}: the walk cannot fill the required query parameter {name!r}; "
                "say in _query (tests/test_isolation.py) what it takes"
            )
    return values


def _with(url: str, query: dict[str, Any]) -> str:
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def _query_rows(target: Target, other: World) -> list[tuple[str, Any]]:
    """The optional query parameters that name a row, with ``other``'s: one's own list
    filtered by another organisation's row must show nothing of it."""
    found = []
    for p in target.operation.get("parameters", []):
        name = p["name"]
        if p["in"] != "query":
            continue
        if name in route_walk.ROWS_BY_QUERY:
            found.append((name, other.objects[route_walk.ROWS_BY_QUERY[name]].pk))
        elif name == "tag":
            found.append((name, f"tag-{other.marker}"))
        elif name == "units":
            found.append((name, f"governance.agendaitem:{other.objects['item'].pk}:title"))
    return found


def _operation(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    target, method = walk.target, walk.target.method
    mine = {"Authorization": f"Bearer {a.secret}"}
    # B's organisation, B's rows in the address and the body: not found, with A's token or
    # A's session (the API takes both). A 422 here means the walk's body does not pass
    # validation: see example() in tests/route_walk.py.
    theirs = _with(_url(target, variant, slug=b, rows=b, swapped={}), _query(target, b))
    response = walk.send(method, theirs, body=_body(target, b, b), headers=mine)
    walk.expect(response, f"{target.id} in {b.slug}", status={404}, hidden=b)
    walk.client.force_login(a.admin)
    response = walk.send(method, theirs, body=_body(target, b, b))
    walk.expect(response, f"{target.id} in {b.slug}, session", status={404}, hidden=b)
    walk.client.logout()
    # A's organisation, B's rows in the address: not found.
    for swapped in _swaps(target, b):
        url = _with(_url(target, variant, slug=a, rows=a, swapped=swapped), _query(target, a))
        response = walk.send(method, url, body=_body(target, a, a), headers=mine)
        what = f"{target.id} ({', '.join(swapped)} of {b.slug})"
        walk.expect(response, what, status={404}, hidden=b)
    ours = _with(_url(target, variant, slug=a, rows=a, swapped={}), _query(target, a))
    # A's list filtered by B's row: nothing of B.
    for name, value in _query_rows(target, b):
        response = walk.send(
            method, ours + ("&" if "?" in ours else "?") + urlencode({name: value}), headers=mine
        )
        walk.expect(response, f"{target.id} ?{name}= of {b.slug}", hidden=b)
    # A's rows, with B's row named in one field of the body: refused. The same body naming
    # A's row is sent after it, to know that the refusal was for B's row.
    body = _body(target, a, a)
    for name in _body_rows(target):
        response = walk.send(method, ours, body=_body(target, a, a, name, b), headers=mine)
        what = f"{target.id}, {name} of {b.slug}"
        deferred = DEFERRED.get((target.id, name))
        walk.expect(response, what, status=None if deferred else REFUSED_BODY, hidden=b)
        if deferred and not deferred(response):
            walk.problems.append(f"{what}: {response.status_code} {content(response)[:300]}")
        response = walk.send(method, ours, body=_body(target, a, a, name, a), headers=mine)
        if response.status_code >= 300:
            walk.vacuous.append(f"{what}: {response.status_code} {content(response)[:200]}")
    # A's own rows: found (so the walk fills the operation rightly), nothing of B. Last: it may
    # change A (a deletion), which the test's savepoint undoes.
    response = walk.send(method, ours, body=body, headers=mine)
    walk.expect(response, f"{target.id} (own)", hidden=b, found=True)
    walk.anonymous(method, theirs, f"{target.id} anonymous", body=_body(target, b, b))


def _run_refused_the_unit(response: Any) -> bool:
    """The pre-translation run (executed when its request ended) failed on the unit."""
    with scopes_disabled():
        run = PretranslationRun.objects.get(pk=json.loads(response.content)["id"])
    return run.failed == 1 and len(run.problems) == 1


# Operations that accept another organisation's row in their body and refuse it later, by
# (operation, field), with the check that it was refused: a run of pre-translation looks each
# unit up in its own organisation as it executes.
DEFERRED = {
    ("POST /api/v1/organisations/{slug}/translation/pretranslate", "units"): _run_refused_the_unit
}


def _account_operation(walk: Walk, variant: dict[str, Any], a: World, b: World) -> None:
    """The list of one's organisations: nothing of one in which one has no role."""
    target, method = walk.target, walk.target.method
    ours = _url(target, variant, slug=a, rows=a, swapped={})
    headers = {"Authorization": f"Bearer {a.secret}"}
    response = walk.send(method, ours, body=_body(target, a, a), headers=headers)
    walk.expect(response, target.id, hidden=b, found=True)
    walk.anonymous(method, ours, f"{target.id} anonymous")


@pytest.mark.parametrize("target", OPERATIONS, ids=[t.id for t in OPERATIONS])
def test_every_api_operation_shows_and_changes_nothing_of_another_organisation(
    target: Target, ab: tuple[World, World], walker: "Walker"
) -> None:
    a, b = ab
    walk = Walk(walker, target)
    with scopes_disabled():
        before = isolation_world.fingerprint(b.org)
    for variant in _variants(target):
        (_operation if "slug" in target.parameters else _account_operation)(walk, variant, a, b)
    walk.finish(b, before)


# The walks themselves ---------------------------------------------------------------------------


def test_the_walks_find_every_route_and_every_operation() -> None:
    """Every address of the API is in its OpenAPI document (whose walk sends writes with valid
    bodies), every route is of a kind the walk knows, and the walks find at least what there
    was when they were written (fewer: routes escaped them, or were removed on purpose, and the
    numbers above are to be lowered)."""
    addresses = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", t.route) for t in ROUTES if t.kind == "api"
    }
    assert addresses == {t.route for t in OPERATIONS}
    assert {t.kind for t in ROUTES} == set(WALKS)
    assert len(ROUTES) >= ROUTES_WRITTEN and len(OPERATIONS) >= OPERATIONS_WRITTEN


def test_the_walk_reads_what_every_kind_of_answer_shows(
    ab: tuple[World, World], client: Client
) -> None:
    """Meeting documents (DOCX, PDF) and spreadsheets (XLSX) are compressed: the marker check
    unpacks them, and so sees their organisation's data."""
    a, _b = ab
    client.force_login(a.admin)
    meeting = a.objects["meeting"].pk
    urls = [
        reverse("meeting_document", args=[a.slug, meeting, "minutes", "docx"]),
        reverse("meeting_document", args=[a.slug, meeting, "minutes", "pdf"]),
        reverse("export", args=[a.slug, "people", "xlsx"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert a.marker.lower() in content(response), url


# Roles within one organisation ------------------------------------------------------------------


@pytest.fixture
def world(org: Any, other_org: Any) -> dict[str, Any]:
    partner = factories.partner(org, name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    other_partner = factories.partner(org, name={"fr": "Ville de Trèves"})
    person = factories.person(org)
    services.affiliation_create(person=person, partner=partner, by=None)
    affiliation = person.affiliations.get()
    body = factories.body(org)
    membership = factories.membership(body, person, partner=partner)
    from secretariat.governance import services as governance

    term = governance.presidency_create(
        organisation=org, partner=partner, start="2025-01-01", end="2026-12-31", by=None
    )
    other_membership = factories.membership(body, partner=other_partner)
    b_partner = factories.partner(other_org, name={"fr": "Ville de Lille"})
    return {
        "org": org,
        "partner": partner,
        "other_partner": other_partner,
        "person": person,
        "affiliation": affiliation,
        "body": body,
        "membership": membership,
        "other_membership": other_membership,
        "b_partner": b_partner,
        "term": term,
    }


def test_read_only_users_see_but_cannot_change(client: Client, world: Any) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "readonly"))
    assert (
        client.get(reverse("partner_detail", args=[org.slug, world["partner"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("person_detail", args=[org.slug, world["person"].pk])).status_code == 200
    )
    for name, args in [
        ("partner_edit", [world["partner"].pk]),
        ("partner_create", []),
        ("person_edit", [world["person"].pk]),
        ("body_edit", [world["body"].pk]),
        ("membership_edit", [world["body"].pk, world["membership"].pk]),
        ("organisation_settings", []),
        ("organisation_roles", []),
        ("presidency_edit", [world["term"].pk]),
    ]:
        url = reverse(name, args=[org.slug, *args])
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"kind": "state"}).status_code == 403, url
    assert client.get(reverse("export", args=[org.slug, "partners", "csv"])).status_code == 403
    assert client.post(reverse("import", args=[org.slug, "partners"])).status_code == 403
    assert (
        client.post(reverse("partner_delete", args=[org.slug, world["partner"].pk])).status_code
        == 403
    )


def test_members_of_bodies_do_not_see_the_directory_of_people(client: Client, world: Any) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "member"))
    assert client.get(reverse("body_detail", args=[org.slug, world["body"].pk])).status_code == 200
    assert client.get(reverse("person_list", args=[org.slug])).status_code == 403
    assert (
        client.get(reverse("person_detail", args=[org.slug, world["person"].pk])).status_code == 403
    )


def test_a_partner_coordinator_edits_their_own_partner_only(client: Client, world: Any) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "coordinator", partner=world["partner"]))
    assert (
        client.get(reverse("partner_edit", args=[org.slug, world["partner"].pk])).status_code == 200
    )
    assert (
        client.get(reverse("partner_edit", args=[org.slug, world["other_partner"].pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("person_edit", args=[org.slug, world["person"].pk])).status_code == 200
    )
    assert (
        client.get(
            reverse("membership_edit", args=[org.slug, world["body"].pk, world["membership"].pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse(
                "membership_edit", args=[org.slug, world["body"].pk, world["other_membership"].pk]
            )
        ).status_code
        == 403
    )
    assert client.get(reverse("body_edit", args=[org.slug, world["body"].pk])).status_code == 403
    response = client.post(
        reverse("partner_edit", args=[org.slug, world["partner"].pk]),
        {
            "kind": "municipality",
            "country": "FR",
            "name__fr": "Ville de Metz",
            "name__de": "Stadt Metz",
            "short_name__fr": "Metz",
        },
    )
    assert response.status_code == 302


def test_a_coordinator_who_adds_a_person_ties_them_to_their_partner(
    client: Client, world: Any
) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "coordinator", partner=world["partner"]))
    response = client.post(
        reverse("person_create", args=[org.slug]),
        {
            "given_name": "Jean",
            "family_name": "Dupont",
            "languages": "fr",
            "legal_basis": "public_task",
            "emails": "jean.dupont@metz.example",
        },
    )
    assert response.status_code == 302
    from secretariat.network.models import Person

    with scopes_disabled():
        person = Person.objects.get(family_name="Dupont")
        partners = list(person.affiliations.values_list("partner_id", flat=True))
    assert partners == [world["partner"].pk]


# API --------------------------------------------------------------------------------------------


def bearer(user: Any) -> dict[str, Any]:
    _token, secret = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_follows_the_same_permissions_as_the_ui(client: Client, world: Any) -> None:
    org = world["org"]
    base = f"/api/v1/organisations/{org.slug}"
    readonly = bearer(factories.member_of(org, "readonly"))
    assert client.get(f"{base}/people", **readonly).status_code == 200
    assert (
        client.patch(
            f"{base}/partners/{world['partner'].pk}",
            {"website": "https://metz.fr"},
            content_type="application/json",
            **readonly,
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{base}/partners",
            {"kind": "state", "country": "FR", "name": {"fr": "France"}},
            content_type="application/json",
            **readonly,
        ).status_code
        == 403
    )
    assert (
        client.patch(
            base, {"short_name": "X"}, content_type="application/json", **readonly
        ).status_code
        == 403
    )
    member = bearer(factories.member_of(org, "member"))
    assert client.get(f"{base}/people", **member).status_code == 403
    assert client.get(f"{base}/bodies", **member).status_code == 200
    coordinator = bearer(factories.member_of(org, "coordinator", partner=world["partner"]))
    assert (
        client.patch(
            f"{base}/partners/{world['partner'].pk}",
            {"website": "https://metz.fr"},
            content_type="application/json",
            **coordinator,
        ).status_code
        == 200
    )
    assert (
        client.patch(
            f"{base}/partners/{world['other_partner'].pk}",
            {"website": "https://trier.de"},
            content_type="application/json",
            **coordinator,
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{base}/memberships/{world['other_membership'].pk}",
            {"voting": False},
            content_type="application/json",
            **coordinator,
        ).status_code
        == 403
    )


def test_api_refuses_references_to_another_organisations_rows(
    client: Client, world: Any, other_org: Any
) -> None:
    org = world["org"]
    headers = bearer(factories.member_of(org, "staff"))
    response = client.post(
        f"/api/v1/organisations/{org.slug}/memberships",
        {
            "body_id": world["body"].pk,
            "person_id": world["person"].pk,
            "partner_id": world["b_partner"].pk,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert "partner" in response.json()["errors"]


def test_text_review_of_another_organisations_object_is_404(
    client: Client, world: Any, other_org: Any
) -> None:
    client.force_login(factories.member_of(other_org, "staff"))
    data = {
        "model": "network.partner",
        "pk": world["partner"].pk,
        "field": "name",
        "language": "de",
    }
    assert client.post(reverse("text_review", args=[world["org"].slug]), data).status_code == 404
    assert client.post(reverse("text_review", args=[other_org.slug]), data).status_code == 404
    data["model"] = "core.user"
    assert client.post(reverse("text_review", args=[other_org.slug]), data).status_code == 404


def test_text_review_needs_the_review_permission(client: Client, world: Any) -> None:
    client.force_login(factories.member_of(world["org"], "readonly"))
    data = {
        "model": "network.partner",
        "pk": world["partner"].pk,
        "field": "name",
        "language": "de",
    }
    assert client.post(reverse("text_review", args=[world["org"].slug]), data).status_code == 403


def test_a_user_cannot_revoke_someone_elses_token(client: Client, world: Any) -> None:
    owner = factories.member_of(world["org"], "staff")
    token, _secret = token_create(user=owner, name="mine")
    client.force_login(factories.member_of(world["org"], "admin"))
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    client.force_login(owner)
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 302
    assert not owner.api_tokens.exists()
