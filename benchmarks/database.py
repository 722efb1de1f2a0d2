"""The database a benchmark runs on: a file of its own in benchmarks/out (SQLite) or a
database of its own on the local PostgreSQL; Django set up and migrated."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


UNSCOPED: Any = None


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], capture_output=True)


def setup(name: str, *, postgres: bool, fresh: bool) -> str:
    """Point Django at the benchmark's database ``name`` (emptied first when ``fresh``), set
    Django up, migrate; returns the database's label for the report."""
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "secretariat.settings"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["SECRETARIAT_DATA_DIR"] = str(OUT)
    if postgres:
        if fresh:
            _psql(f"DROP DATABASE IF EXISTS {name}")
        _psql(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        database = OUT / f"{name}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(str(database) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # A script that works for every organisation it made: it reads without a scope (the pages,
    # the API and the tasks it measures open theirs).
    from django_scopes import scopes_disabled

    global UNSCOPED  # kept: the context ends when its generator is collected
    UNSCOPED = scopes_disabled()
    UNSCOPED.__enter__()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return "PostgreSQL" if postgres else "SQLite"
