"""The embedded setup under load, with real processes on a real SQLite file: the task worker,
an import of 2,700 partners, a convocation and API writes at the same time; and the supervisor
of `secretariat serve` starting again a worker that dies."""

import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from secretariat.core.management.commands.serve import SUPERVISED_WORKER, WORKER, Supervisor
from tests import sqlite_processes
from tests.governance.smtp import Mailbox, free_port

ROOT = Path(__file__).resolve().parent.parent
REFNIS = ROOT / "tests" / "data" / "be_municipalities_refnis.csv"
# The import held the database 45 s against a busy timeout of 20 s. About the same ratio
# in a test that runs in seconds: a 3 s timeout against an import that, as one transaction,
# held the database 6 to 7 s.
BUSY_TIMEOUT = "3"


def _environ(data: Path, **extra: str) -> dict[str, str]:
    return sqlite_processes.environ(
        data, dropped=("PORT",), **{"SQLITE_BUSY_TIMEOUT": BUSY_TIMEOUT, **extra}
    )


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: Any) -> Path:
    """A migrated database file, made once and copied by each test."""
    return sqlite_processes.migrated(
        tmp_path_factory.mktemp("migrated"), dropped=("PORT",), SQLITE_BUSY_TIMEOUT=BUSY_TIMEOUT
    )


@pytest.fixture
def data(tmp_path: Path, migrated: Path) -> Path:
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    return tmp_path


def _run(data: Path, *args: str, **extra: str) -> dict[str, Any]:
    return sqlite_processes.run(_environ(data, **extra), *args)


def _start(data: Path, *args: str, **extra: str) -> "subprocess.Popen[str]":
    return subprocess.Popen(
        [sys.executable, "-m", "tests.embedded_processes", *args],
        env=_environ(data, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _result(process: "subprocess.Popen[str]") -> dict[str, Any]:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-3000:]
    return dict(json.loads(out.strip().splitlines()[-1]))


def _worker(data: Path, port: int, **extra: str) -> "subprocess.Popen[str]":
    env = _environ(data, EMAIL_URL=f"smtp://127.0.0.1:{port}", **extra)
    return subprocess.Popen(WORKER, env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _wait_for_mail(box: Mailbox, count: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while len(box.messages) < count and time.monotonic() < deadline:
        time.sleep(0.2)


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_every_connection_to_the_embedded_database_uses_wal_and_waits(data: Path) -> None:
    found = _run(data, "pragmas", SQLITE_BUSY_TIMEOUT="20")
    assert found == {"main": ["wal", 20000], "thread": ["wal", 20000]}


def test_the_worker_sends_a_convocation_while_2700_partners_are_imported_and_the_api_writes(
    data: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    ids = _run(data, "setup")
    worker = _worker(data, port)
    try:
        importing = _start(data, "import", str(REFNIS))
        writes = _start(data, "api-writes", ids["slug"], str(ids["partner"]), ids["token"], "4")
        time.sleep(1.5)  # the import is checking its rows, about to write
        convened = _run(data, "convene", str(ids["meeting"]))
        imported, written = _result(importing), _result(writes)
        _wait_for_mail(box, 30)
        alive = worker.poll() is None
    finally:
        worker.terminate()
        _out, worker_log = worker.communicate(timeout=10)
    assert imported["created"] == 2702, imported
    assert convened["queued"] == 30
    assert written["statuses"] == [200], written
    assert alive, worker_log[-3000:]
    assert len(box.messages) == 30
    assert "database is locked" not in worker_log
    # Short transactions: no writer waited long for another.
    assert imported["longest_transaction"] < 5, imported
    # The API stays usable while the worker sends (a loose bound: the figures are measured by
    # benchmarks/transactions.py; here, a write that waited for the whole import would fail).
    assert written["slowest"] < 5, written


def test_the_worker_carries_on_when_the_database_stays_locked_past_its_timeout(
    data: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    ids = _run(data, "setup")
    worker = _worker(data, port, SQLITE_BUSY_TIMEOUT="0.3")
    try:
        time.sleep(1.5)  # polling the queue
        # Someone else writes for longer than the worker's busy timeout.
        locker = sqlite3.connect(data / "db.sqlite3", isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        time.sleep(6)  # several of the worker's polls, even on a loaded machine
        locker.execute("ROLLBACK")
        locker.close()
        assert _run(data, "convene", str(ids["meeting"]))["queued"] == 30
        _wait_for_mail(box, 30)
        alive = worker.poll() is None
    finally:
        worker.terminate()
        _out, worker_log = worker.communicate(timeout=10)
    assert alive, worker_log[-3000:]
    assert "the worker carries on" in worker_log
    assert len(box.messages) == 30


def test_the_supervisor_starts_again_a_worker_that_dies(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="secretariat.serve")
    supervisor = Supervisor(WORKER, env=_environ(data), first_delay=0.2).start()
    try:
        first = _wait_for(lambda: supervisor.process)
        time.sleep(1)  # the worker is up and polling the queue
        os.kill(first.pid, signal.SIGKILL)
        second = _wait_for(lambda: supervisor.process if supervisor.process is not first else None)
        assert second.poll() is None
        assert supervisor.restarts == 1
        assert "stopped (exit code -9); starting it again in 0.2 s" in caplog.text
    finally:
        supervisor.stop()
    assert second.poll() is not None  # stopped with the server, not started again
    assert supervisor.restarts == 1


def _children(pid: int) -> list[int]:
    """The children of a process, whichever of its threads started them."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += [int(child) for child in task.read_text().split()]
        except OSError:
            continue  # the thread has just ended
    return children


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_serve_watches_its_worker_from_a_process_of_its_own(data: Path) -> None:
    """What `secretariat serve` starts beside the web server: killed, the worker comes back;
    asked to stop, the watcher stops it and ends."""
    watcher = subprocess.Popen(
        SUPERVISED_WORKER, env=_environ(data), stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        first = _wait_for(lambda: _children(watcher.pid)[:1])[0]
        time.sleep(1)
        os.kill(first, signal.SIGKILL)
        second = _wait_for(lambda: [c for c in _children(watcher.pid) if c != first][:1])[0]
    finally:
        watcher.terminate()
        _out, log = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, log[-3000:]
    assert "stopped (exit code -9); starting it again in 1 s" in log
    assert not Path(f"/proc/{second}").exists()


def test_the_supervisor_waits_longer_after_each_quick_exit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="secretariat.serve")
    supervisor = Supervisor(
        [sys.executable, "-c", "raise SystemExit(3)"], name="a test process", first_delay=0.1
    ).start()
    try:
        _wait_for(lambda: supervisor.restarts >= 3 or None, timeout=10)
    finally:
        supervisor.stop()
    waits = [r.getMessage().rsplit(" in ", 1)[1] for r in caplog.records]
    assert waits[:3] == ["0.1 s.", "0.2 s.", "0.4 s."]
    assert "A test process stopped (exit code 3)" in caplog.text


def _wait_for(probe: Any, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("not reached in time")
