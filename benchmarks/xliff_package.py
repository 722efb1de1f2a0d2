"""XLIFF export and import of a 10,000-segment package (5,000 partners, names and short names).

    .venv/bin/python benchmarks/xliff_package.py [--postgres]

Target (issue 4): under 3 s each.
"""

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "secretariat.settings"
    os.environ["SECRETARIAT_DATA_DIR"] = str(OUT)
    if args.postgres:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "DROP DATABASE IF EXISTS secretariat_bench_xliff",
            ],
            capture_output=True,
        )
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE secretariat_bench_xliff",
            ],
            capture_output=True,
        )
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/secretariat_bench_xliff"
    else:
        database = OUT / "bench_xliff.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from secretariat.core import services as core
    from secretariat.core.search import search_text
    from secretariat.network.models import Partner
    from secretariat.translation import xliff

    call_command("migrate", verbosity=0)
    organisation = core.organisation_create(
        by=None,
        slug="bench-xliff",
        name={"fr": "X"},
        short_name="X",
        legal_form="other",
        seat_country="BE",
        languages=["fr", "nl"],
        default_language="fr",
    )
    Partner.objects.bulk_create(
        Partner(
            organisation=organisation,
            kind="municipality",
            country="BE",
            name={"fr": f"Commune numéro {n} de la province"},
            short_name={"fr": f"Commune {n}"},
            search_text=search_text([f"Commune {n}"]),
        )
        for n in range(5000)
    )
    partners = list(Partner.objects.filter(organisation=organisation).order_by("id"))
    began = time.perf_counter()
    units = xliff.units_of(partners, "fr", "nl", organisation)
    content = xliff.export_xliff2(units=units, source="fr", target="nl", file_id="bench")
    exported = time.perf_counter() - began
    filled = content.replace(b"</source>", b"</source><target>Vertaald</target>")
    began = time.perf_counter()
    report = xliff.import_xliff(organisation=organisation, file=io.BytesIO(filled), by=None)
    imported = time.perf_counter() - began
    assert report.ok and report.imported == len(units), report.problems[:3]
    print(
        f"\n{'PostgreSQL' if args.postgres else 'SQLite'}: {len(units):,} segments, {len(content) / 1e6:.1f} MB"
    )
    print(f"{'export':10} {exported:6.2f} s")
    print(f"{'import':10} {imported:6.2f} s")


if __name__ == "__main__":
    main()
