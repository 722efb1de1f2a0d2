"""Login throttling across worker processes, as an attacker meets it: how many guesses at one
account the platform checks when they come through two processes, and whether the owner, from
another address, still gets in. Each "process" is a fresh Python process on one SQLite file
(``tests/embedded_processes.py``), as gunicorn's workers are.

    .venv/bin/python -m benchmarks.login_throttling [PROCESSES] [GUESSES_EACH]
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "anna@grande-region.example", "a long and right password"


def _run(data: Path, *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env |= {
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "SECRETARIAT_DATA_DIR": str(data),
        "STATIC_MANIFEST": "0",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1])) if out.strip() else {}


def main(processes: int = 2, guesses: int = 10) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        _run(data, "-c", "from secretariat.cli import main; main(['migrate', '-v0'])")
        _run(data, "-m", "tests.embedded_processes", "account", EMAIL, PASSWORD)
        runs = [
            _run(
                data,
                "-m",
                "tests.embedded_processes",
                "login",
                EMAIL,
                f"guess-{n}",
                "203.0.113.7",
                str(guesses),
            )
            for n in range(processes)
        ]
        owner = _run(
            data, "-m", "tests.embedded_processes", "login", EMAIL, PASSWORD, "198.51.100.20", "1"
        )
        attacker = _run(
            data, "-m", "tests.embedded_processes", "login", EMAIL, PASSWORD, "203.0.113.7", "1"
        )
    for n, run in enumerate(runs):
        print(
            f"process {n + 1}: {guesses} guesses, {run['checked']} checked, statuses "
            f"{run['statuses']}, {run['seconds']:.2f} s, max RSS {run['max_rss_kb'] / 1024:.0f} MB"
        )
    print(f"guesses checked in all: {sum(r['checked'] for r in runs)} of {processes * guesses}")
    print(
        f"owner, right password, other address: {owner['statuses'][0]}"
        f" ({'in' if owner['statuses'][0] == 302 else 'refused'})"
    )
    print(f"right password from the attacker's address: {attacker['statuses'][0]}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
