"""Processes that share one SQLite file, for tests/test_embedded_sqlite.py and the import
benchmark: each runs as ``python -m tests.embedded_processes <command> …`` with DATABASE_URL
set, prints one line of JSON, and exits.

- ``setup``: an organisation, a body of 30 members with e-mail addresses, a meeting with one
  item, a partner and an API token of a staff member;
- ``import FILE``: the partner import of a table, with the longest time a write transaction
  held the database;
- ``convene MEETING``: the convocation (queued for the worker);
- ``api-writes SLUG PARTNER TOKEN SECONDS``: PATCHes through the API, one every 50 ms, with
  their statuses and the slowest answer;
- ``pragmas``: the journal mode and busy timeout of a connection of the main thread and of
  another thread;
- ``account EMAIL PASSWORD``: a member of the staff of an organisation, who logs in with these;
- ``login EMAIL PASSWORD ADDRESS COUNT``: as many attempts to log in from that client address,
  with their statuses (429: throttled) and the language of the last page;
- ``audit EMAIL``: the audit entries about that account.
"""

import io
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")


UNSCOPED: Any = None


def _setup() -> dict[str, Any]:
    from secretariat.core.tokens import token_create
    from secretariat.governance import agenda
    from tests import factories

    org = factories.organisation("embedded", languages=("fr", "nl", "de"))
    body = factories.body(org, name={"fr": "Assemblée", "nl": "Vergadering"})
    for n in range(30):
        factories.membership(body, factories.person(org, emails=[f"member{n}@embedded.example"]))
    meeting = factories.meeting(
        body, title={"fr": "Assemblée", "nl": "Vergadering", "de": "Versammlung"}
    )
    agenda.item_add(
        meeting=meeting, by=None, title={"fr": "Ouverture", "nl": "Opening", "de": "Eröffnung"}
    )
    partner = factories.partner(org, country="BE", name={"fr": "Eurométropole"})
    _token, secret = token_create(user=factories.member_of(org, "staff"), name="load")
    return {"slug": org.slug, "meeting": meeting.pk, "partner": partner.pk, "token": secret}


def _import(path: str) -> dict[str, Any]:
    from benchmarks.transactions import TransactionClock
    from secretariat.core.models import Organisation
    from secretariat.network import exchange

    organisation = Organisation.objects.get(slug="embedded")
    clock = TransactionClock()
    started = time.perf_counter()
    report = exchange.partners_import(
        organisation=organisation,
        file=io.BytesIO(Path(path).read_bytes()),
        name=Path(path).name,
        by=None,
    )
    return {
        "seconds": time.perf_counter() - started,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": [e.message for e in report.errors[:5]],
        "transactions": clock.count,
        "longest_transaction": clock.longest,
    }


def _convene(meeting_id: int) -> dict[str, Any]:
    from secretariat.governance import convocation
    from secretariat.governance.models import Meeting

    meeting = Meeting.objects.select_related("organisation", "body").get(pk=meeting_id)
    started = time.perf_counter()
    queued = convocation.meeting_convene(meeting=meeting, by=None)
    return {"queued": queued, "seconds": time.perf_counter() - started}


def _api_writes(slug: str, partner: int, token: str, seconds: float) -> dict[str, Any]:
    from django.test import Client

    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(f"/api/v1/organisations/{slug}/partners/{partner}")  # loads the code once
    statuses: list[int] = []
    slowest = 0.0
    until = time.monotonic() + seconds
    n = 0
    while time.monotonic() < until:
        n += 1
        started = time.perf_counter()
        response = client.patch(
            f"/api/v1/organisations/{slug}/partners/{partner}",
            {"website": f"https://eurometropolis.example/{n}"},
            content_type="application/json",
        )
        slowest = max(slowest, time.perf_counter() - started)
        statuses.append(response.status_code)
        time.sleep(0.05)
    return {"statuses": sorted(set(statuses)), "count": len(statuses), "slowest": slowest}


def _pragmas() -> dict[str, Any]:
    from django.db import connection

    def read() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            timeout = cursor.fetchone()[0]
        connection.close()
        return [mode, timeout]

    found: dict[str, Any] = {"main": read()}
    thread = threading.Thread(target=lambda: found.update(thread=read()))
    thread.start()
    thread.join()
    return found


def _account(email: str, password: str) -> dict[str, Any]:
    from tests import factories

    org = factories.organisation("throttled", languages=("fr", "de"))
    user = factories.member_of(org, "staff", email=email, password=password)
    return {"user": user.pk, "organisation": org.slug}


def _login(email: str, password: str, address: str, count: int) -> dict[str, Any]:
    import resource

    from django.test import Client

    client = Client(raise_request_exception=False, REMOTE_ADDR=address)
    statuses, checked = [], 0
    started = time.perf_counter()
    for _n in range(count):
        response = client.post("/accounts/login/", {"login": email, "password": password})
        statuses.append(response.status_code)
        # Refused: 429, or (allauth's own count, before) the form's "Too many failed login
        # attempts"; otherwise the password was checked.
        page = response.content.decode()
        checked += response.status_code != 429 and "Too many failed login" not in page
    return {
        "statuses": statuses,
        "checked": checked,
        "seconds": time.perf_counter() - started,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "page": page,
    }


def _audit(email: str) -> dict[str, Any]:
    from secretariat.core.models import AuditEntry, User

    user = User.objects.get(email=email)
    entries = AuditEntry.objects.filter(content_type__model="user", object_id=user.pk)
    return {
        "entries": [
            {
                "action": e.action,
                "organisation": e.organisation.slug if e.organisation else None,
                "changes": e.changes,
            }
            for e in entries
        ]
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    # A script that works for every organisation it made: it reads without a scope (the pages,
    # the API and the tasks it measures open theirs).
    from django_scopes import scopes_disabled

    global UNSCOPED  # kept: the context ends when its generator is collected
    UNSCOPED = scopes_disabled()
    UNSCOPED.__enter__()
    command, *args = argv
    if command == "setup":
        out = _setup()
    elif command == "import":
        out = _import(args[0])
    elif command == "convene":
        out = _convene(int(args[0]))
    elif command == "api-writes":
        out = _api_writes(args[0], int(args[1]), args[2], float(args[3]))
    elif command == "pragmas":
        out = _pragmas()
    elif command == "account":
        out = _account(args[0], args[1])
    elif command == "login":
        out = _login(args[0], args[1], args[2], int(args[3]))
    elif command == "audit":
        out = _audit(args[0])
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
