"""Every route of the project and every operation of the API's OpenAPI document, and how to fill
their parameters with the rows of an organisation (tests/test_isolation.py).

A parameter is filled by its name, and ``pk`` by the segment before it (``partners/<pk>``):
a route with a parameter these tables do not know cannot be filled, and the isolation test
fails on it with a message that says what to add here. That is what covers a new route without
anyone listing it."""

import datetime
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from secretariat.core import text_purposes
from secretariat.core.texts import translatable_fields
from secretariat.documents import kinds
from secretariat.governance import dossier
from secretariat.network import views as network_views
from tests.isolation_world import World

# The kind of row a ``pk`` names, by the segment before it.
ROWS_BY_SEGMENT = {
    "partners": "partner",
    "people": "person",
    "affiliations": "affiliation",
    "bodies": "body",
    "members": "membership",
    "memberships": "membership",
    "presidency": "presidency",
    "presidencies": "presidency",
    "meetings": "meeting",
    "items": "item",
    "decisions": "decision",
    "actions": "action",
    "files": "file",
    "written": "procedure",
    "written-procedures": "procedure",
    "runs": "run",
    "glossary": "concept",
    "engines": "engine",
    "tokens": "token",
}
# The kind of row other parameters name.
ROWS_BY_PARAMETER = {
    "person_pk": "person",
    "body_pk": "body",
    "meeting_pk": "meeting",
    "item_pk": "item",
    "invitation_pk": "invitation",
    "answer_pk": "answer",
    "affiliation_pk": "affiliation",
}
# Personal links: the secret in the address is the key to one row, by the segment before it.
TOKENS_BY_SEGMENT = {"m": ("invitation",), "w": ("answer",), "calendar": ("feed", "body_feed")}
# Parameters that choose among a fixed set of values, by route and parameter: every value is
# requested (each may run its own query).
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("export", "kind"): tuple(sorted(network_views.KINDS)),
    ("export", "fmt"): ("csv", "xlsx"),
    ("import", "kind"): tuple(sorted(network_views.KINDS)),
    ("meeting_document", "kind"): tuple(dossier.KINDS),
    ("meeting_document", "fmt"): ("docx", "pdf"),
    ("default_template", "name"): tuple(
        sorted(k.default_name(b) for k in kinds.ordered() for b in (False, True))
    ),
}
# django-allauth's keys of e-mail confirmation and password reset: they name a user's
# account, no organisation's row. A made-up key must open nothing.
ACCOUNT_KEYS = {"key": "made-up-key", "uidb36": "0"}
ORGANISATION_PARAMETERS = {"org", "slug"}
# The API's own pages: its document, its browsable documentation, its root.
API_PAGES = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}
# Query parameters some pages need to find anything (the pages have no schema that says so):
# from the organisation of the address. A page that answers 404 for one's own rows may need one.
PAGE_QUERIES = {
    "bundle_xliff": lambda world: {"source": world.org.languages[0], "target": world.language},
    "queue_xliff": lambda world: {"source": world.org.languages[0], "target": world.language},
}
TOKEN_PARAMETERS = {"token", "reference"}
# The unit of translation work: ``<app.model>:<pk>:<field>`` in the API, the three parts in
# the pages' addresses.
UNIT_PARAMETERS = {"unit", "label", "field"}


class Unfillable(Exception):
    """A route whose parameters the walk cannot fill: the message says what to add."""


def unit_models() -> list[Any]:
    """The models whose texts are translation work: a unit of each is requested."""
    return [m for m in apps.get_models() if translatable_fields(m)]


def segment_before(route: str, parameter: str) -> str:
    parts = route.split("/")
    for i, part in enumerate(parts):
        if re.search(rf"<(?:\w+:)?{parameter}>|\{{{parameter}\}}", part):
            return parts[i - 1] if i else ""
    return ""


def row_kind(route: str, parameter: str) -> str:
    """The kind of row a parameter of ``route`` names."""
    if parameter in ROWS_BY_PARAMETER:
        return ROWS_BY_PARAMETER[parameter]
    if parameter == "pk":
        segment = segment_before(route, parameter)
        if segment in ROWS_BY_SEGMENT:
            return ROWS_BY_SEGMENT[segment]
        raise Unfillable(
            f"{route}: no kind of row for the segment {segment!r} before <pk>; add it to "
            "ROWS_BY_SEGMENT in tests/route_walk.py (and a row of that kind to "
            "tests/isolation_world.py if there is none)"
        )
    raise Unfillable(
        f"{route}: the walk does not know the parameter {parameter!r}; say what it names in "
        "tests/route_walk.py (ROWS_BY_PARAMETER, CHOICES, ...) and add a row of that kind to "
        "tests/isolation_world.py"
    )


def object_of(world: World, kind: str) -> Any:
    try:
        return world.objects[kind]
    except KeyError:
        raise Unfillable(
            f"the isolation world has no {kind!r}: add one in tests/isolation_world.py"
        ) from None


def unit_object(world: World, model: Any) -> Any:
    for obj in world.objects.values():
        if type(obj) is model:
            return obj
    raise Unfillable(
        f"the isolation world names no {model._meta.label} (a model with translatable texts): "
        "add one to World.objects in tests/isolation_world.py"
    )


@dataclass(frozen=True)
class Target:
    """A route (a Django URL pattern, or an operation of the OpenAPI document) with its
    parameters, of which some name rows and the others are fixed for a variant."""

    route: str
    names: tuple[str, ...]
    parameters: tuple[str, ...]
    method: str = ""  # an operation of the OpenAPI document; empty for a URL pattern
    operation: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        if self.method:
            return f"{self.method.upper()} {self.route}"
        return "|".join(self.names) or self.route

    @property
    def is_api(self) -> bool:
        return bool(self.method) or self.route.startswith("api/")

    @property
    def kind(self) -> str:
        """organisation: an organisation's pages; api: an address of the API, requested
        operation by operation from its OpenAPI document; personal: a personal link or a
        callback, whose secret is the key; public file: a logo; account: the user's own pages,
        of no organisation."""
        if not self.method and self.names[0].startswith("api-v1:"):
            return "account" if self.names[0] in API_PAGES else "api"
        if ORGANISATION_PARAMETERS & set(self.parameters):
            return "organisation"
        if TOKEN_PARAMETERS & set(self.parameters):
            return "personal"
        if "path" in self.parameters:
            return "public file"
        return "account"

    def row_parameters(self) -> list[str]:
        """The parameters that name a row (swapped one at a time for another organisation's)."""
        rows = [
            p
            for p in self.parameters
            if p not in ORGANISATION_PARAMETERS | TOKEN_PARAMETERS | UNIT_PARAMETERS
            and p not in ("language", "path", *ACCOUNT_KEYS)
            and (self.names[0], p) not in CHOICES
            and not (p == "pk" and "label" in self.parameters)
        ]
        if "unit" in self.parameters or "label" in self.parameters:
            rows.append("unit")
        return rows

    def variants(self) -> list[dict[str, Any]]:
        """The fixed parameters of each request: every choice, every model of translation
        units, every kind of token."""
        axes: list[list[tuple[str, Any]]] = []
        for p in self.parameters:
            if (self.names[0], p) in CHOICES:
                axes.append([(p, v) for v in CHOICES[self.names[0], p]])
        if "unit" in self.parameters or "label" in self.parameters:
            models = unit_models()
            if self.names[0] == "bundle_xliff":  # the kinds whose app registered their parts
                models = [m for m in models if m._meta.label_lower in text_purposes.PARTS]
            axes.append([("unit", m) for m in models])
        if "token" in self.parameters:
            segment = segment_before(self.route, "token")
            if segment not in TOKENS_BY_SEGMENT:
                raise Unfillable(
                    f"{self.route}: no kind of personal link for the segment {segment!r}; add "
                    "it to TOKENS_BY_SEGMENT in tests/route_walk.py"
                )
            axes.append([("token", kind) for kind in TOKENS_BY_SEGMENT[segment]])
        return [dict(combination) for combination in itertools.product(*axes)]

    def values(
        self, variant: dict[str, Any], slug: World, rows: World, swapped: dict[str, World]
    ) -> dict[str, Any]:
        """The parameters: ``slug``'s organisation, the rows of ``rows`` except those of
        ``swapped`` (a parameter and the world whose row it names instead)."""
        out: dict[str, Any] = {}
        for p in self.parameters:
            world = swapped.get(p, rows)
            if p in ORGANISATION_PARAMETERS:
                out[p] = slug.slug
            elif p in variant and p not in ("unit", "token"):
                out[p] = variant[p]
            elif p == "language":
                out[p] = slug.language
            elif p == "token":
                out[p] = object_of(world, variant["token"]).token
            elif p == "reference":
                out[p] = object_of(world, "job").reference
            elif p == "path":
                out[p] = world.org.logo.name.removeprefix("logos/")
            elif p in ACCOUNT_KEYS:
                out[p] = ACCOUNT_KEYS[p]
            elif p in UNIT_PARAMETERS or (p == "pk" and "label" in self.parameters):
                unit_world = swapped.get("unit", rows)
                model = variant["unit"]
                obj = unit_object(unit_world, model)
                name = translatable_fields(model)[0]
                out[p] = {
                    "unit": f"{model._meta.label_lower}:{obj.pk}:{name}",
                    "label": model._meta.label_lower,
                    "pk": obj.pk,
                    "field": name,
                }[p]
            else:
                out[p] = object_of(world, row_kind(self.route, p)).pk
        return out

    def url(self, values: dict[str, Any], query: World | None = None) -> str:
        """The address; with ``query``, the query a page needs, from that organisation."""
        if self.method:
            return self.route.format(**values)
        url = reverse(self.names[0], kwargs=values)
        if query is not None and self.names[0] in PAGE_QUERIES:
            url += "?" + urlencode(PAGE_QUERIES[self.names[0]](query))
        return url


def _walk(patterns: list[Any], prefix: str, namespace: str) -> list[tuple[str, str, list[str]]]:
    found = []
    for p in patterns:
        pattern = prefix + str(p.pattern)
        parameters = list(p.pattern.regex.groupindex)
        if isinstance(p, URLResolver):
            inner = p.namespace or namespace
            for route, name, more in _walk(p.url_patterns, pattern, inner):
                found.append((route, name, parameters + more))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            found.append((pattern, name, parameters))
    return found


def url_patterns() -> list[Target]:
    """Every URL pattern of the project, through every include (django-allauth's, the API's),
    one target per address (ninja repeats an address once per operation name)."""
    by_route: dict[str, Target] = {}
    for route, name, parameters in _walk(get_resolver().url_patterns, "", ""):
        if not name:
            raise Unfillable(f"the URL pattern {route} has no name: give it one")
        known = by_route.get(route)
        names = (known.names if known else ()) + (name,)
        by_route[route] = Target(route=route, names=names, parameters=tuple(parameters))
    return list(by_route.values())


def api_operations() -> list[Target]:
    """Every operation of the API's OpenAPI document."""
    from secretariat.api.urls import api

    document = api.get_openapi_schema()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = tuple(
                p["name"] for p in operation.get("parameters", []) if p["in"] == "path"
            )
            found.append(
                Target(
                    route=path,
                    names=(operation["operationId"],),
                    parameters=parameters,
                    method=method,
                    operation={"document": document, **operation},
                )
            )
    return found


# Bodies of API requests ------------------------------------------------------------------------

# A field of a request body that names a row, by name: ``<name>_id`` and these.
ROWS_BY_FIELD = {
    "body_id": "body",
    "person_id": "person",
    "partner_id": "partner",
    "owner_person_id": "person",
    "owner_partner_id": "partner",
    "rapporteur_id": "person",
    "parent_id": "item",
    "substitute_for_id": "other_membership",  # another seat than the one changed
    "proxy_to_id": "invitation",
    "assignee_id": "user",
    "item_id": "item",
    "president_id": "person",
}
# Other fields of a request body that name rows: the agenda's order ([item id, parent id]),
# units of translation work.
ROWS_IN_BODY = {"order", "units"}
# Fields that go with a row field for the body to make sense: a substitute's role; a term of
# the presidency of its own (the probe of partner_id, made before, holds the walk's dates).
BODY_COMPANIONS: dict[str, Any] = {
    "substitute_for_id": {"role": "substitute"},
    "president_id": lambda: {
        "start": (timezone.localdate() + datetime.timedelta(days=400)).isoformat(),
        "end": (timezone.localdate() + datetime.timedelta(days=430)).isoformat(),
    },
}
# Query parameters that name a row: under one's own organisation, another's row must find
# nothing. Their values are what the API takes (an id, a tag's name, units).
ROWS_BY_QUERY = {"body": "body", "person": "person", "partner": "partner"}


def body_rows(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The fields of a request body that name rows, required or not."""
    properties = _resolve(document, schema).get("properties", {})
    return [k for k in properties if k in ROWS_BY_FIELD or k in ROWS_IN_BODY or k.endswith("_id")]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if len(schema.get("allOf", [])) == 1:
        return _resolve(document, schema["allOf"][0])
    return schema


def example(
    document: dict[str, Any], schema: dict[str, Any], name: str, rows: World, texts: World
) -> Any:
    """A value the schema accepts and the services can take; rows named by ``rows``."""
    schema = _resolve(document, schema)
    if name in ROWS_BY_FIELD:
        return object_of(rows, ROWS_BY_FIELD[name]).pk
    if name.endswith("_id"):
        raise Unfillable(
            f"the body field {name!r} names a row the walk does not know: add it to "
            "ROWS_BY_FIELD in tests/route_walk.py"
        )
    if name == "order":  # the agenda's order: [item id, parent id]
        return [[object_of(rows, "item").pk, None]]
    if name == "units":
        item = object_of(rows, "item")
        return [f"governance.agendaitem:{item.pk}:title"]
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if _resolve(document, o).get("type") != "null"]
        return example(document, options[0], name, rows, texts)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v), schema["enum"][0])
    kind = schema.get("type")
    languages = texts.org.languages
    if kind == "object":
        if "properties" not in schema:  # a map of language to text
            return {lang: f"Nouveau {lang}" for lang in languages}
        wanted = set(schema.get("required", []))
        return {
            k: example(document, v, k, rows, texts)
            for k, v in schema["properties"].items()
            if k in wanted
        }
    if kind == "array":
        if name == "languages":
            return list(languages)
        return [example(document, schema.get("items", {}), name, rows, texts)]
    if kind == "integer" or kind == "number":
        return 1
    if kind == "boolean":
        return False
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=60)
    if schema.get("format") == "date":
        return when.date().isoformat()
    if schema.get("format") == "date-time":
        return (when + datetime.timedelta(hours=2 if name == "end" else 0)).isoformat()
    return {
        "country": "FR",
        "seat_country": "FR",
        "language": texts.language,
        "emails": "neu@test.example",
        "short_code": "NEU",
        "timezone": "Europe/Luxembourg",
    }.get(name, "Nouveau")


# Forms of the pages ------------------------------------------------------------------------------

# The fields of a page's form that name a row: by name, or by the route that takes the form
# and the name. "model": the row of the model the form's ``model`` field names.
FORM_ROWS: dict[Any, str] = {
    "partner": "partner",
    "person": "person",
    "president": "person",
    "rapporteur": "person",
    "owner_person": "person",
    "owner_partner": "partner",
    "parent": "item",
    "substitute_for": "membership",
    "assignee": "user",
    "proxy_to": "invitation",
    "invitation": "invitation",
    "item": "item",
    "answer": "answer",
    "revoke": "role",
    ("affiliation_edit", "delete"): "affiliation",
    ("body_edit", "delete"): "body",
    ("concept_edit", "delete"): "concept",
    ("document_templates", "delete"): "template",
    ("engines", "pk"): "engine",
    ("item_documents", "delete"): "document",
    ("item_edit", "delete"): "item",
    ("membership_edit", "delete"): "membership",
    ("presidency", "delete"): "presidency",
    ("text_review", "pk"): "model",
    ("translation_pretranslate", "pk"): "model",
}
# Fields with a number that is not a row: the engines' policy and removal are yes/no, a month.
NOT_ROWS: set[Any] = {"policy", ("engines", "delete"), "fiscal_year_start_month"}


@dataclass
class Form:
    """A form of a page that posts, with the values the page shows in it."""

    action: str
    handler: str  # the name of the route that takes it
    values: list[tuple[str, str]]
    numbers: list[str]  # the fields whose value or choices are numbers: rows, mostly

    def row_fields(self) -> dict[str, str]:
        """The fields that name a row, with the kind of row."""
        found = {}
        for name in self.numbers:
            if name in NOT_ROWS or (self.handler, name) in NOT_ROWS:
                continue
            kind = FORM_ROWS.get((self.handler, name), FORM_ROWS.get(name))
            if kind is None:
                raise Unfillable(
                    f"the form of {self.handler} ({self.action}) has a field {name!r} with a "
                    "number: say in FORM_ROWS (tests/route_walk.py) which row it names, or in "
                    "NOT_ROWS that it names none"
                )
            found[name] = kind
        return found

    def row_value(self, name: str, kind: str, world: World) -> Any:
        if kind == "model":
            label = dict(self.values)["model"]
            return unit_object(world, apps.get_model(label)).pk
        return object_of(world, kind).pk


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": a.get("action")})
            self.forms[-1].update(values=[], numbers=[])
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self.select is not None:
                self.select[1].append((a.get("value", ""), "selected" in a))
            return
        form, name, value = self.forms[-1], a["name"], a.get("value", "")
        kind = a.get("type", "text").lower()
        if (tag == "input" and kind not in ("checkbox", "radio", "submit", "file", "button")) or (
            tag == "input" and kind in ("checkbox", "radio") and "checked" in a
        ):
            form["values"].append((name, value))
        elif tag == "select":
            self.select = (name, [])
        elif tag == "textarea":
            self.textarea = name
            form["values"].append((name, ""))
        # Hidden fields and buttons with a number name a row, mostly (a number typed in is a
        # quantity).
        if (tag == "button" or kind in ("hidden", "submit")) and value.isdigit():
            form["numbers"].append(name)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and self.forms:
            name, text = self.forms[-1]["values"][-1]
            self.forms[-1]["values"][-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        if tag == "select" and self.select is not None and self.forms:
            name, options = self.select
            chosen = [v for v, selected in options if selected] or [v for v, _s in options[:1]]
            self.forms[-1]["values"] += [(name, v) for v in chosen]
            if any(v.isdigit() for v, _s in options):
                self.forms[-1]["numbers"].append(name)
            self.select = None


def post_forms(page: str, html: str) -> list[Form]:
    """The forms of a page that post to the project's own routes."""
    from django.urls import Resolver404, resolve

    reader = _FormReader()
    reader.feed(html)
    found = []
    for form in reader.forms:
        if form["method"] != "post":
            continue
        action = urljoin(page, form["action"] or page)
        try:
            handler = resolve(urlsplit(action).path).url_name or ""
        except Resolver404:
            continue
        found.append(Form(action, handler, form["values"], list(dict.fromkeys(form["numbers"]))))
    return found
