"""Importing 2,700 partners: every Belgian municipality since 1970 (Statbel REFNIS, with their
NIS codes, French, Dutch and German names, and 2,121 former ones), twice.

    .venv/bin/python benchmarks/partner_import.py [--postgres]

Prints the time of the first import (everything created) and of the second (everything
unchanged), the number of write transactions and the longest of them; on SQLite also how long
a concurrent writer in another process (a tiny write every 20 ms, as the task worker or a web
request would) had to wait at most. Target (issue 8): no writer waits more than a fraction of
a second; the import stays within seconds.
"""

import argparse
import io
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import OUT, setup  # noqa: E402 - after the path

DATA = ROOT / "tests" / "data" / "be_municipalities_refnis.csv"
# Another process writing as the worker does, with the platform's busy timeout; it stops when
# the file named second appears, and prints its writes and its longest wait.
PROBE = """
import os, sqlite3, sys, time
db, stop = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(db, timeout=20, isolation_level=None)
connection.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
longest, writes = 0.0, 0
while not os.path.exists(stop):
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO bench_probe VALUES (?)", (started,))
    connection.execute("COMMIT")
    longest, writes = max(longest, time.perf_counter() - started), writes + 1
    time.sleep(0.02)
print(writes, longest)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = setup("secretariat_bench_import", postgres=args.postgres, fresh=True)
    from django.conf import settings

    from benchmarks.transactions import TransactionClock
    from secretariat.core import services as core
    from secretariat.network import exchange

    organisation = core.organisation_create(
        by=None,
        slug="bench-import",
        name={"fr": "Eurométropole"},
        short_name="EURO",
        legal_form="egtc_fr",
        seat_country="FR",
        languages=["fr", "nl", "de"],
        default_language="fr",
        timezone="Europe/Brussels",
    )
    content = DATA.read_bytes()
    rows = content.count(b"\n") - 1
    stop = OUT / "partner_import.stop"
    stop.unlink(missing_ok=True)
    probe = None
    if not args.postgres:
        probe = subprocess.Popen(
            [sys.executable, "-c", PROBE, settings.DATABASES["default"]["NAME"], str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.5)
    print(f"\n{database}: {rows:,} partners (Statbel REFNIS), languages fr, nl, de\n")
    try:
        for label in ("first import (all created)", "second import (all unchanged)"):
            clock = TransactionClock()
            started = time.perf_counter()
            report = exchange.partners_import(
                organisation=organisation, file=io.BytesIO(content), name=DATA.name, by=None
            )
            seconds = time.perf_counter() - started
            assert report.ok, report.errors[:3]
            print(
                f"{label:32} {seconds:6.2f} s   created {report.created:5}, updated "
                f"{report.updated}, unchanged {report.unchanged:5}, former "
                f"{len(report.former_rows)}"
            )
            print(
                f"{'':32} {clock.count:3} write transactions, the longest "
                f"{clock.longest * 1000:.0f} ms"
            )
    finally:
        stop.touch()
    if probe is not None:
        writes, longest = probe.communicate(timeout=60)[0].split()
        print(
            f"\nconcurrent writer (another process): {writes} writes, longest wait "
            f"{float(longest) * 1000:.0f} ms"
        )
    stop.unlink()


if __name__ == "__main__":
    main()
