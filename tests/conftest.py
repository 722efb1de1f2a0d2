import os
import socket
from typing import Any

import pytest

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


def pytest_report_header(config: Any) -> list[str]:
    lines = [f"database: {os.environ.get('DATABASE_URL') or 'embedded SQLite'}"]
    if not POSTGRES_UP:
        lines.append("NOTICE: PostgreSQL does not answer on 127.0.0.1:5432; its tests are skipped")
    if not REDIS_UP:
        lines.append("NOTICE: Redis does not answer on 127.0.0.1:6379; its tests are skipped")
    if not os.path.exists(CHROMIUM):
        lines.append("NOTICE: /usr/bin/chromium is missing; the browser tests are skipped")
    return lines


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


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
