"""Importing TMX, TBX and XLIFF files at their size limit: time and peak memory, each in a fresh
process (the peak of a process never goes down, so one process per file).

    .venv/bin/python benchmarks/xml_limits.py [--size-mb 49] [--stored] [--postgres [NAME]]

Without ``--size-mb`` each format is generated just under its limit. The units are in languages
the organisation does not work in (nothing stored: the figures are those of reading the file);
with ``--stored`` they are in its working languages and are stored too (TMX and TBX; the XLIFF
units name texts that do not exist, so that file is always read in full and then refused).

With ``--postgres`` each from typing import Any
import runs on a fresh PostgreSQL database (127.0.0.1:5432, user
postgres) copied from a migrated template: NAME (``secretariat_bench_xml`` by default) and
NAME_template, both dropped at the end; otherwise on a copy of a migrated SQLite file.

The security tests (tests/security/test_xml.py) run the ``--one`` mode of this script.
Target (issue 9): under 250 MB more than the process held before the import, whatever the file.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("tmx", "tbx", "xliff")


UNSCOPED: Any = None


def _units_until(size: int, head: str, unit: str, tail: str) -> Iterator[bytes]:
    """``head``, then ``unit`` (formatted with n) repeated while the whole stays under ``size``
    bytes, then ``tail``."""
    yield head.encode()
    total = len(head.encode()) + len(tail.encode())
    n = 0
    while True:
        piece = unit.format(n=n).encode()
        if total + len(piece) > size:
            break
        yield piece
        total += len(piece)
        n += 1
    yield tail.encode()


def generate(kind: str, size: int, *, stored: bool = False, dense: bool = True) -> bytes:
    return b"".join(pieces(kind, size, stored=stored, dense=dense))


def write(path: Path, kind: str, size: int, *, stored: bool = False, dense: bool = True) -> None:
    """``generate`` into a file, without holding it in memory."""
    with path.open("wb") as file:
        for piece in pieces(kind, size, stored=stored, dense=dense):
            file.write(piece)


def pieces(kind: str, size: int, *, stored: bool = False, dense: bool = True) -> Iterator[bytes]:
    """A well-formed file of ``kind`` of at most ``size`` bytes, made of many units; ``dense``
    units are mostly tiny inline elements (placeholders, empty notes), the shape that costs the
    most memory per byte in a tree."""
    one, two = ("fr", "de") if stored else ("it", "es")
    tags = ("<ph/>" if kind == "tmx" else '<ph id="1"/>' if kind == "xliff" else "<note/>") * (
        40 if dense else 0
    )
    if kind == "tmx":
        return _units_until(
            size,
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="b"'
            ' creationtoolversion="1" segtype="sentence" o-tmf="b" adminlang="en" srclang="*all*"'
            ' datatype="plaintext"/><body>\n',
            f'<tu><tuv xml:lang="{one}"><seg>La phrase numéro {{n}} de la mémoire de traduction'
            f' du secrétariat.{tags}</seg></tuv><tuv xml:lang="{two}"><seg>Der Satz Nummer {{n}} des'
            " Übersetzungsspeichers des Sekretariats.</seg></tuv></tu>\n",
            "</body></tmx>\n",
        )
    if kind == "tbx":
        return _units_until(
            size,
            '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX"><martifHeader><fileDesc>'
            "<sourceDesc><p>b</p></sourceDesc></fileDesc></martifHeader><text><body>\n",
            f'<termEntry id="c{{n}}"><descrip type="definition">Notion {{n}}</descrip>'
            f'<langSet xml:lang="{one}"><tig><term>Terme {{n}}</term><termNote'
            ' type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>'
            f'<langSet xml:lang="{two}"><tig><term>Begriff {{n}}</term>{tags}</tig></langSet>'
            "</termEntry>\n",
            "</body></text></martif>\n",
        )
    if kind == "xliff":
        return _units_until(
            size,
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:'
            'document:2.0" version="2.0" srcLang="fr" trgLang="de"><file id="f">\n',
            '<unit id="nothing.nothing:{n}:name"><segment state="translated"><source>La phrase'
            f" numéro {{n}} du dossier de la réunion.{tags}</source><target>Der Satz Nummer"
            " {n} der Sitzungsunterlagen.</target></segment></unit>\n",
            "</file></xliff>\n",
        )
    raise ValueError(kind)


def _django(data: Path, postgres: str = "") -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "secretariat.settings"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["SECRETARIAT_DATA_DIR"] = str(data)
    os.environ["DATABASE_URL"] = (
        f"postgres://postgres@127.0.0.1:5432/{postgres}"
        if postgres
        else f"sqlite:///{data / 'db.sqlite3'}"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # A script that works for every organisation it made: it reads without a scope (the pages,
    # the API and the tasks it measures open theirs).
    from django_scopes import scopes_disabled

    global UNSCOPED  # kept: the context ends when its generator is collected
    UNSCOPED = scopes_disabled()
    UNSCOPED.__enter__()


def _megabytes(kilobytes: int) -> float:
    return round(kilobytes / 1024, 1)  # ru_maxrss is in kilobytes on Linux


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True
    )


def one(kind: str, size: int, data: Path, stored: bool, postgres: str = "") -> dict[str, object]:
    """Import one generated file in this process; its time and the growth of the peak memory."""
    _django(data, postgres)
    from secretariat.core import services as core
    from secretariat.translation import glossary, memory, xliff

    organisation = core.organisation_create(
        by=None,
        slug=f"bench-{kind}",
        name={"fr": "X"},
        short_name="X",
        legal_form="other",
        seat_country="BE",
        languages=["fr", "de"],
        default_language="fr",
    )
    path = data / f"file.{kind}"
    write(path, kind, size, stored=stored)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with path.open("rb") as file:
        if kind == "tmx":
            report: object = memory.memory_import(
                organisation=organisation, file=file, name=path.name, by=None
            )
            outcome = {"error": report.error, "units": report.units, "added": report.added}  # type: ignore[attr-defined]
        elif kind == "tbx":
            report = glossary.glossary_import(
                organisation=organisation, file=file, name=path.name, by=None
            )
            outcome = {"error": report.error, "concepts": report.concepts}  # type: ignore[attr-defined]
        else:
            report = xliff.import_xliff(organisation=organisation, file=file, by=None)
            problems = report.problems  # type: ignore[attr-defined]
            outcome = {"problems": len(problems), "first": problems[0][1] if problems else ""}
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from django.db import connection

    return {
        "database": connection.vendor,
        "format": kind,
        "megabytes": round(path.stat().st_size / 1024 / 1024, 1),
        "seconds": round(seconds, 2),
        "peak_mb": _megabytes(peak),
        "growth_mb": _megabytes(peak - before),
        **outcome,
    }


def prepare(data: Path, postgres: str = "") -> None:
    """A migrated database in ``data`` (or the PostgreSQL database ``postgres``), to be copied
    for each measuring process."""
    _django(data, postgres)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure(
    kind: str, size: int, template: Path, stored: bool = False, postgres: str = ""
) -> dict[str, object]:
    """Run ``one`` in a fresh process on a copy of the migrated database ``template`` (on
    PostgreSQL: of the database ``<postgres>_template`` into ``postgres``)."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--one", kind, "--size", str(size), "--data", folder]
        if postgres:
            _psql(f"DROP DATABASE IF EXISTS {postgres}")
            _psql(f"CREATE DATABASE {postgres} TEMPLATE {postgres}_template")
            command += ["--postgres", postgres]
        else:
            shutil.copy(template / "db.sqlite3", Path(folder) / "db.sqlite3")
        if stored:
            command.append("--stored")
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def limit_of(kind: str) -> int:
    sys.path.insert(0, str(ROOT))
    from secretariat.translation import safe_xml

    return safe_xml.LIMITS[kind]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", choices=FORMATS)
    parser.add_argument("--size", type=int)
    parser.add_argument("--size-mb", type=float)
    parser.add_argument("--data")
    parser.add_argument("--prepare")
    parser.add_argument("--stored", action="store_true")
    parser.add_argument("--postgres", nargs="?", const="secretariat_bench_xml", default="")
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare), args.postgres)
        return
    if args.one:
        print(json.dumps(one(args.one, args.size, Path(args.data), args.stored, args.postgres)))
        return
    database = args.postgres
    with tempfile.TemporaryDirectory() as template:
        command = [sys.executable, __file__, "--prepare", template]
        if database:
            _psql(f"DROP DATABASE IF EXISTS {database}_template")
            _psql(f"CREATE DATABASE {database}_template")
            command += ["--postgres", f"{database}_template"]
        subprocess.run(command, check=True)
        try:
            for kind in args.formats.split(","):
                size = (
                    int(args.size_mb * 1024 * 1024) if args.size_mb else limit_of(kind) - 64 * 1024
                )
                figures = measure(kind, size, Path(template), args.stored, database)
                print(json.dumps(figures), flush=True)
        finally:
            if database:
                _psql(f"DROP DATABASE IF EXISTS {database}")
                _psql(f"DROP DATABASE IF EXISTS {database}_template")


if __name__ == "__main__":
    main()
