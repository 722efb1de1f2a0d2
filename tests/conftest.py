import copy
import datetime
import os
import socket
import uuid
from typing import Any

import pytest
import time_machine

from tests import factories


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


POSTGRES_UP = _answers("127.0.0.1", 5432)
REDIS_UP = _answers("127.0.0.1", 6379)
CHROMIUM = "/usr/bin/chromium"


# CI runs the suite a second time with the clock moved (SECRETARIAT_TEST_CLOCK, an ISO date
# and time), so that a test which trusts today's calendar fails in CI rather than on main months
# later. Tests that travel themselves (time_machine) nest inside this move.
MOVED_CLOCK = os.environ.get("SECRETARIAT_TEST_CLOCK", "")


def pytest_configure(config: Any) -> None:
    if MOVED_CLOCK:
        moment = datetime.datetime.fromisoformat(MOVED_CLOCK)
        if moment.tzinfo is None:
            raise pytest.UsageError("SECRETARIAT_TEST_CLOCK needs a UTC offset, e.g. +00:00")
        time_machine.travel(moment, tick=True).start()


def pytest_report_header(config: Any) -> list[str]:
    lines = [f"database: {os.environ.get('DATABASE_URL') or 'embedded SQLite'}"]
    if MOVED_CLOCK:
        lines.append(f"clock moved to {MOVED_CLOCK}")
    if not POSTGRES_UP:
        lines.append("NOTICE: PostgreSQL does not answer on 127.0.0.1:5432; its tests are skipped")
    if not REDIS_UP:
        lines.append("NOTICE: Redis does not answer on 127.0.0.1:6379; its tests are skipped")
    if not os.path.exists(CHROMIUM):
        lines.append("NOTICE: /usr/bin/chromium is missing; the browser tests are skipped")
    return lines


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    """Files in a folder of the test's own, whatever S3_BUCKET says (tests/test_storage.py runs
    the flows on a bucket)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    """Tasks go to the database queue, whatever REDIS_URL says (CI's PostgreSQL run sets it):
    a test reads its own queue, and leaves nothing in a Redis that outlives it. The Redis
    queue has its own tests (tests/test_production.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """Each test has a cache of its own: with Redis (the PostgreSQL run of CI) the cache outlives
    the test and is shared by the parallel workers, so counts such as failed logins would carry
    over from one test to the next."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _everywhere() -> Any:
    """Test code reads and checks any organisation's rows; the code under test opens its own
    scope (the middleware for pages and the API, tasks and commands for theirs), and inside
    it reads one organisation's rows only, as in production."""
    from secretariat.core.scope import everywhere

    with everywhere():
        yield


@pytest.fixture(autouse=True)
def _language() -> Any:
    """Each test starts in the default language: a request of an earlier test leaves its
    language active in the thread."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def org(db: Any) -> Any:
    return factories.organisation("alpha", languages=("fr", "de"))


@pytest.fixture
def other_org(db: Any) -> Any:
    return factories.organisation("beta", languages=("fr", "nl"))


@pytest.fixture
def staff(org: Any) -> Any:
    return factories.member_of(org, "staff")


@pytest.fixture
def admin(org: Any) -> Any:
    return factories.member_of(org, "admin")
