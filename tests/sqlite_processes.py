"""The environment of a real process on its own SQLite file, and a migrated file to copy, for
the tests that run several processes against one database (tests/test_embedded_sqlite.py,
tests/security/test_login_throttling.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def environ(data: Path, *, dropped: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """This process's environment for a process on ``data``/db.sqlite3, without the variables
    that would send it elsewhere (DATABASE_URL, and those starting with ``dropped``) or take it
    out of the embedded setup (REDIS_URL: the Redis queue; S3_: a bucket), unless in ``extra``."""
    leave = ("DATABASE_URL", "REDIS_URL", "S3_", *dropped)
    env = {k: v for k, v in os.environ.items() if not k.startswith(leave)}
    return env | {
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "SECRETARIAT_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "secretariat.settings",
        "STATIC_MANIFEST": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def migrated(data: Path, *, dropped: tuple[str, ...] = (), **extra: str) -> Path:
    """``data``/db.sqlite3, migrated by a process of its own (in the environment the processes
    that use it will have: ``dropped`` and ``extra`` as for ``environ``)."""
    subprocess.run(
        [sys.executable, "-c", "from secretariat.cli import main; main(['migrate', '-v0'])"],
        env=environ(data, dropped=dropped, **extra),
        check=True,
        cwd=ROOT,
    )
    return data / "db.sqlite3"


def run(env: dict[str, str], *args: str, timeout: float = 60) -> dict[str, Any]:
    """One ``tests.embedded_processes`` command in a process of its own: it starts, does its
    work, prints its line of JSON and exits (its memory with it)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.embedded_processes", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))
