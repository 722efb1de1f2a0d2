"""Login throttling as an attacker meets it: failed attempts count in the cache every worker
shares (the database's on an embedded instance, Redis in production), per account and client
address and per address; the attacker's address is refused with 429 while the owner, from an
address that has not been failing, still gets in; each episode is in the audit trail."""

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from secretariat.core import history
from secretariat.core.models import AuditEntry
from tests import factories, sqlite_processes
from tests.conftest import REDIS_UP

ROOT = Path(__file__).resolve().parent.parent.parent
EMAIL, PASSWORD = "anna@grande-region.example", "a long and right password"
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


def _environ(data: Path, **extra: str) -> dict[str, str]:
    return sqlite_processes.environ(data, dropped=("REDIS_URL",), **extra)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: Any) -> Path:
    return sqlite_processes.migrated(
        tmp_path_factory.mktemp("throttle-migrated"), dropped=("REDIS_URL",)
    )


def _process(data: Path, *args: str, **extra: str) -> dict[str, Any]:
    """One worker process: it starts, runs its requests, and exits (its memory with it)."""
    return sqlite_processes.run(_environ(data, **extra), *args, timeout=120)


def _attack_through_two_processes(data: Path, **extra: str) -> None:
    _process(data, "account", EMAIL, PASSWORD, **extra)
    first = _process(data, "login", EMAIL, "guess-1", ATTACKER, "3", **extra)
    assert first["statuses"] == [200, 200, 200]
    # The second process knows of the first one's failures: two more, then refused.
    second = _process(data, "login", EMAIL, "guess-2", ATTACKER, "3", **extra)
    assert second["statuses"] == [200, 200, 429]
    # The right password from the attacker's address is refused as well: the attacker learns
    # nothing from it.
    assert _process(data, "login", EMAIL, PASSWORD, ATTACKER, "1", **extra)["statuses"] == [429]
    # The owner, from an address that has not been failing, gets in (302 to their home).
    assert _process(data, "login", EMAIL, PASSWORD, OWNER, "1", **extra)["statuses"] == [302]
    entries = _process(data, "audit", EMAIL, **extra)["entries"]
    throttled = [e for e in entries if e["action"] == "throttle"]
    assert len(throttled) == 1, entries  # one entry per episode, not one per refusal
    assert throttled[0]["organisation"] == "throttled"
    assert throttled[0]["changes"]["throttled"]["address"] == ATTACKER


def test_attempts_through_two_worker_processes_count_together_on_sqlite(
    tmp_path: Path, migrated: Path
) -> None:
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    _attack_through_two_processes(tmp_path)


@pytest.mark.skipif(not REDIS_UP, reason="Redis does not answer on 127.0.0.1:6379")
def test_attempts_through_two_worker_processes_count_together_in_redis(
    tmp_path: Path, migrated: Path
) -> None:
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    _attack_through_two_processes(
        tmp_path, REDIS_URL="redis://127.0.0.1:6379/0", CACHE_KEY_PREFIX=prefix
    )


def _attempt(address: str, password: str, login: str = EMAIL, **headers: str) -> Any:
    return Client(REMOTE_ADDR=address, headers=headers).post(
        "/accounts/login/", {"login": login, "password": password}
    )


@pytest.fixture
def anna(org: Any, settings: Any) -> Any:
    # The counts live in the cache, which is each test's own (tests/conftest.py).
    # A fast hasher: these tests make up to 50 attempts, each of which checks a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return factories.member_of(org, "staff", email=EMAIL, password=PASSWORD)


def test_the_throttled_page_answers_429_and_says_what_to_do_in_the_user_s_language(
    anna: Any,
) -> None:
    for n in range(5):
        assert _attempt(ATTACKER, f"guess-{n}").status_code == 200
    response = _attempt(ATTACKER, PASSWORD, **{"accept-language": "fr"})
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Trop de tentatives de connexion à ce compte ont échoué depuis votre adresse" in page
    assert "Too Many Requests" not in page


def test_the_owner_is_not_locked_out_by_guesses_from_many_addresses(anna: Any) -> None:
    """A botnet: one guess from each of 50 addresses. The account is then guarded: an
    address gets one attempt at it per quarter of an hour, so the owner still gets in."""
    for n in range(50):
        assert _attempt(f"192.0.2.{n + 1}", f"guess-{n}").status_code == 200
    assert _attempt("192.0.2.1", "guess-again").status_code == 429  # failed here before
    assert _attempt("192.0.2.200", "fresh-guess").status_code == 200
    assert _attempt("192.0.2.200", "and-another").status_code == 429
    assert _attempt(OWNER, PASSWORD).status_code == 302


def test_one_address_spraying_many_accounts_is_refused_on_every_account(anna: Any) -> None:
    for n in range(20):
        assert _attempt(ATTACKER, "password1", login=f"user{n}@example.org").status_code == 200
    assert _attempt(ATTACKER, PASSWORD).status_code == 429
    assert _attempt(OWNER, PASSWORD).status_code == 302


def test_a_successful_login_does_not_count_as_a_failure(anna: Any) -> None:
    for _n in range(8):
        assert _attempt(OWNER, PASSWORD).status_code == 302


def test_the_episode_reads_in_the_organisation_s_history(org: Any, anna: Any) -> None:
    for n in range(7):
        _attempt(ATTACKER, f"guess-{n}")
    entries = AuditEntry.objects.filter(organisation=org, action="throttle")
    assert entries.count() == 1
    [line] = history.lines(entries, organisation=org)
    assert EMAIL in line.summary and "refused" in line.summary
    assert ATTACKER in "".join(str(c.html()) for c in line.changes)


def test_too_many_requests_of_any_kind_answer_our_page_in_the_user_s_language(anna: Any) -> None:
    """allauth's own limit (30 logins a minute from one address, right or wrong) answers
    with the platform's page, not allauth's bare English one."""
    for _n in range(30):
        assert _attempt(OWNER, PASSWORD).status_code == 302
    response = _attempt(OWNER, PASSWORD, **{"accept-language": "de"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sie haben in kurzer Zeit zu viele Anfragen gesendet" in page
    assert "Too Many Requests" not in page
