"""Schemathesis over the whole OpenAPI document, as an attacker with a valid token would: every
operation, reads and writes, with data the schema allows and data it refuses. No answer may be
a 5xx, and every answer must be one the document lists, in the shape it describes.

The requests go through Django's WSGI application into the test database (SQLite or
PostgreSQL, whichever the suite runs on), inside the test's transaction."""

import functools
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from secretariat.core.tokens import token_create
from secretariat.governance import agenda, body_rules, convocation, written
from secretariat.governance.models import ItemKind
from secretariat.translation import glossary
from tests import factories

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25
# The segment before a path parameter names the rows it is an id of.
ID_SEGMENT = re.compile(r"([\w-]+)/\{(\w+)\}")


@pytest.fixture
def world(db: Any, settings: Any) -> dict[str, Any]:
    """An organisation with a row of every kind the API reaches, and an administrator's token."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    org = factories.organisation("fuzz", languages=("fr", "de"))
    admin = factories.member_of(org, "admin")
    partner = factories.partner(org, name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    people = [factories.person(org) for _ in range(3)]
    body = factories.body(org, short_code="DIR")
    rules = body_rules.rules_of(body)
    rules.written_procedure_allowed = True
    rules.save()
    for person in people:
        factories.membership(body, person, partner=partner)
    meeting = factories.meeting(body, title={"fr": "Directoire", "de": "Vorstand"})
    agenda.item_add(
        meeting=meeting,
        by=None,
        title={"fr": "Budget", "de": "Haushalt"},
        kind=ItemKind.DECISION,
        draft_decision={"fr": "Adopté.", "de": "Beschlossen."},
    )
    convocation.meeting_convene(meeting=meeting, by=None)
    factories.meeting(body, start=factories.days_ahead(90))
    procedure = written.procedure_launch(
        body=body,
        by=None,
        title={"fr": "Rapport annuel", "de": "Jahresbericht"},
        draft_decision={"fr": "Le rapport est approuvé.", "de": "Der Bericht ist genehmigt."},
        deadline=factories.days_ahead(40),
    )
    for answer in procedure.answers.all():
        written.procedure_answer(answer=answer, choice="yes")
    procedure = written.procedure_close(procedure=procedure, by=None)
    written.procedure_register(procedure=procedure, by=None)
    written.procedure_launch(
        body=body,
        by=None,
        title={"fr": "Budget rectificatif", "de": "Nachtragshaushalt"},
        draft_decision={"fr": "Le budget est modifié.", "de": "Der Haushalt ist geändert."},
        deadline=factories.days_ahead(40),
    )
    glossary.concept_save(
        organisation=org,
        concept=None,
        terms=[("fr", "Directoire", "preferred"), ("de", "Vorstand", "preferred")],
        by=None,
    )
    _token, secret = token_create(user=admin, name="fuzz")
    return {"org": org, "auth": {"Authorization": f"Bearer {secret}"}}


@functools.cache
def _document() -> Any:
    """The OpenAPI document, read once per process from the application itself."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_schema(world: dict[str, Any]) -> Iterator[Any]:
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _document()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _existing_ids(org: Any) -> dict[str, list[int]]:
    from secretariat.governance.models import (
        AgendaItem,
        Body,
        Decision,
        FollowUpAction,
        Invitation,
        Meeting,
        Membership,
        WrittenAnswer,
        WrittenProcedure,
    )
    from secretariat.network.models import Partner, Person
    from secretariat.translation.models import Concept, PretranslationRun

    models: dict[str, Any] = {
        "partners": Partner,
        "people": Person,
        "bodies": Body,
        "memberships": Membership,
        "meetings": Meeting,
        "items": AgendaItem,
        "invitations": Invitation,
        "decisions": Decision,
        "actions": FollowUpAction,
        "written-procedures": WrittenProcedure,
        "answers": WrittenAnswer,
        "runs": PretranslationRun,
        "glossary": Concept,
    }
    return {
        segment: list(
            model._default_manager.filter(
                **{"procedure__organisation" if model is WrittenAnswer else "organisation": org}
            ).values_list("pk", flat=True)
        )
        for segment, model in models.items()
    }


def _aim(case: Any, org: Any, existing: dict[str, list[int]]) -> None:
    """Point the generated case at the organisation's rows: small generated ids become ids of
    existing rows (large, negative and malformed ones are kept, to be refused)."""
    parameters = case.path_parameters or {}
    for segment, name in ID_SEGMENT.findall(case.operation.path):
        value = parameters.get(name)
        ids = existing.get(segment)
        if ids and isinstance(value, int) and 0 <= value < 1000:
            parameters[name] = ids[value % len(ids)]
    if "unit" in parameters and isinstance(parameters["unit"], str) and len(parameters["unit"]) < 3:
        parameters["unit"] = f"network.partner:{existing['partners'][0]}:name"
    language = parameters.get("language")
    if isinstance(language, str) and len(language) < 2:
        parameters["language"] = org.languages[1]


def _fuzz(operation: Any, mode: GenerationMode, world: dict[str, Any]) -> list[str]:
    """The failures found on one operation, as "METHOD path: reason" lines."""
    org = world["org"]
    failures: list[str] = []
    existing = _existing_ids(org)  # once per operation: a query per example would double the time

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # A failure is reported with the input that caused it; shrinking it costs requests.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(mode, path_parameters={"slug": org.slug}))
    def run(case: Any) -> None:
        _aim(case, org, existing)
        case.call_and_validate(headers=world["auth"], checks=CHECKS)

    try:
        run()
    except (
        Exception,
        BaseExceptionGroup,
    ) as error:  # each operation's failures are reported, then the next runs
        failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {error}")
    return failures


# One test per part of the API, so that pytest-xdist spreads them over its workers.
TAGS = [
    "organisations",
    "partners",
    "people",
    "bodies",
    "governance",
    "written procedures",
    "translation",
]


@pytest.mark.parametrize("tag", TAGS)
def test_no_operation_answers_a_server_error_or_off_its_schema(
    api_schema: Any, world: dict[str, Any], tag: str
) -> None:
    failures: list[str] = []
    operations = [
        result.ok() for result in api_schema.get_all_operations() if tag in (result.ok().tags or [])
    ]
    assert operations
    for operation in operations:
        started = time.monotonic()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _fuzz(operation, mode, world)
        print(f"{time.monotonic() - started:6.1f} s  {operation.method.upper()} {operation.path}")
    assert not failures, "\n\n".join(failures)


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    """A new router's tag must join TAGS, or its operations would never be fuzzed."""
    tags = {tag for result in api_schema.get_all_operations() for tag in result.ok().tags or []}
    assert tags == set(TAGS)
