import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest

from secretariat.governance import agenda
from secretariat.governance.models import ItemKind
from tests import factories
from tests.governance.smtp import Mailbox, smtp_server

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")


@pytest.fixture
def planned(org: Any, settings: Any) -> dict[str, Any]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    people = [factories.person(org, emails=[f"m{i}@test.example"]) for i in range(3)]
    for person in people:
        factories.membership(body, person)
    meeting = factories.meeting(
        body,
        title={"fr": "Directoire de décembre", "de": "Vorstand im Dezember"},
        start=factories.days_ahead(50, 10),
        end=factories.days_ahead(50, 12),
    )
    a = agenda.item_add(meeting=meeting, by=None, title={"fr": "Ouverture", "de": "Eröffnung"})
    b = agenda.item_add(
        meeting=meeting,
        by=None,
        title={"fr": "Budget", "de": "Haushalt"},
        kind=ItemKind.DECISION,
        draft_decision={"fr": "Adopté", "de": "Beschlossen"},
    )
    return {"body": body, "meeting": meeting, "a": a, "b": b, "people": people}


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with smtp_server(settings) as box:
        yield box
