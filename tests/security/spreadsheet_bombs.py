"""Hostile spreadsheets, generated: the attacks of issue 9 on imports, as files.

Each function returns the bytes of an .xlsx (or .csv) file small enough to pass the 5 MB upload
limit; the workbook around the hostile part is a genuine one written by openpyxl, so that only
the attack makes it fail. Used by ``tests/security/test_spreadsheets.py`` and
``benchmarks/spreadsheet_bombs.py``; ``measure`` reads a file through ``read_table`` in a fresh
process and reports its wall time and peak memory.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
TYPES = "[Content_Types].xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>country</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>name_fr</t></is></c></row>'
)
Parts = Iterator[bytes]


def _genuine() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kind", "country", "name_fr"])
    sheet.append(["municipality", "FR", "Metz"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(replace: dict[str, bytes | Callable[[], Parts]]) -> bytes:
    """A genuine workbook with some members replaced; a callable gives a member's content in
    chunks, so that a member of a gigabyte is compressed without being held in memory."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_genuine())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
    ):
        names = source.namelist()
        if STRINGS in replace:
            # Declared in the manifest, as Excel does, or openpyxl would not read it.
            manifest = source.read(TYPES).replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
            replace = {**replace, TYPES: manifest}
        for name in [*names, *(n for n in replace if n not in names)]:
            content = replace.get(name, source.read(name) if name in names else b"")
            if callable(content):
                with target.open(name, "w", force_zip64=True) as member:
                    for chunk in content():
                        member.write(chunk)
            else:
                target.writestr(name, content)
    return out.getvalue()


def _sheet(rows: Callable[[], Parts], dimension: str = "") -> Callable[[], Parts]:
    def parts() -> Parts:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
        if dimension:
            yield f'<dimension ref="{dimension}"/>'.encode()
        yield b"<sheetData>" + HEADER_ROW.encode()
        yield from rows()
        yield b"</sheetData></worksheet>"

    return parts


def _repeat(chunk: bytes, total: int) -> Parts:
    block = chunk * max(1, (1 << 20) // len(chunk))
    for _ in range(total // len(block)):
        yield block


# The attacks ------------------------------------------------------------------------------------


def huge_shared_strings(unpacked: int = 1_100_000_000) -> bytes:
    """About a megabyte that unpacks to ``unpacked`` bytes of shared strings, all of which
    openpyxl keeps in memory even in read-only mode."""

    def parts() -> Parts:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        yield from _repeat(b"<si><t>" + b"A" * 100 + b"</t></si>", unpacked)
        yield b"</sst>"

    return xlsx({STRINGS: parts})


def huge_sheet(unpacked: int = 1_100_000_000) -> bytes:
    """A worksheet unpacking to ``unpacked`` bytes: one row whose one cell holds it all."""

    def rows() -> Parts:
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield from _repeat(b"A" * 1024, unpacked)
        yield b"</t></is></c></row>"

    return xlsx({SHEET: _sheet(rows, "A1:C2")})


def empty_rows(count: int = 1_048_575) -> bytes:
    """A header, then a million rows with nothing in them (as Excel writes formatted rows)."""

    def rows() -> Parts:
        for start in range(2, count + 2, 10_000):
            yield "".join(
                f'<row r="{n}" spans="1:3"/>' for n in range(start, min(start + 10_000, count + 2))
            ).encode()

    return xlsx({SHEET: _sheet(rows, f"A1:C{count + 1}")})


def wide_dimension(last_row: int = 1_048_576) -> bytes:
    """A sheet that declares the largest size Excel allows, 16,384 columns by 1,048,576 rows,
    with a header and a value in column A of ``last_row``: read-only openpyxl pads every row
    in between to the declared width."""

    def rows() -> Parts:
        yield (
            f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>municipality</t>'
            "</is></c></row>"
        ).encode()

    return xlsx({SHEET: _sheet(rows, "A1:XFD1048576")})


def cells_at_xfd(count: int = 20_000) -> bytes:
    """Rows with one value in column A and one in the last column (XFD), with no dimension."""

    def rows() -> Parts:
        for n in range(2, count + 2):
            yield (
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>municipality</t></is></c>'
                f'<c r="XFD{n}"><v>1</v></c></row>'
            ).encode()

    return xlsx({SHEET: _sheet(rows)})


def broken(member: str) -> bytes:
    """A workbook whose ``member`` (sheet, shared strings or workbook) is not well-formed XML."""
    content = {
        SHEET: f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></row>',
        STRINGS: f'<sst xmlns="{MAIN}"><si><t>kind</si></sst>',
        WORKBOOK: f'<workbook xmlns="{MAIN}"><sheets><sheet name="x"',
    }[member]
    return xlsx({member: content.encode()})


def long_csv_line(size: int = 5_000_000) -> bytes:
    """One CSV line of ``size`` bytes: a single huge field after the header."""
    return b"kind,country,name_fr\nmunicipality,FR," + b"A" * size + b"\n"


def wide_csv(columns: int = 1_000_000) -> bytes:
    """A header of a million columns (two bytes each)."""
    return b",".join(b"c%d" % (n % 10) for n in range(columns)) + b"\n"


def empty_csv_lines(count: int = 4_000_000) -> bytes:
    """A header and then only line ends: four million empty rows."""
    return b"kind,country,name_fr\n" + b"\n" * count


ATTACKS: dict[str, Callable[[], bytes]] = {
    "unpacked: 1.1 GB of shared strings": huge_shared_strings,
    "unpacked: a 1.1 GB cell in the sheet": huge_sheet,
    "a million empty rows": empty_rows,
    "dimension A1:XFD1048576, a value in the last row": wide_dimension,
    "20,000 rows with a cell at XFD": cells_at_xfd,
    "broken sheet XML": lambda: broken(SHEET),
    "broken sharedStrings XML": lambda: broken(STRINGS),
    "broken workbook.xml": lambda: broken(WORKBOOK),
    "CSV: a 5 MB field": long_csv_line,
    "CSV: a million columns": wide_csv,
    "CSV: four million empty lines": empty_csv_lines,
}


# Measuring --------------------------------------------------------------------------------------


@dataclass
class Measure:
    outcome: str  # "refused", "read" or "crashed" (an exception other than TableError)
    message: str
    seconds: float
    peak_mb: float  # the peak resident memory of the reading process
    baseline_mb: float  # its peak before reading (Django and openpyxl imported)
    killed: bool = False

    @property
    def extra_mb(self) -> float:
        return self.peak_mb - self.baseline_mb


# The peak is VmHWM, the high-water mark of this process's own memory: ru_maxrss would count
# the memory of the parent it was forked from (Linux keeps the larger across exec).
_READER = """
import io, json, sys, time
import django
django.setup()
import openpyxl  # imported before the baseline: it is part of any running server
from secretariat.core.tables import TableError, read_table
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
path, name = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
baseline = peak()
began = time.monotonic()
try:
    table = read_table(io.BytesIO(data), name)
    outcome, message = "read", f"{len(table.rows)} rows"
except TableError as error:
    outcome, message = "refused", str(error)
except Exception as error:
    outcome, message = "crashed", f"{type(error).__name__}: {error}"[:300]
seconds = time.monotonic() - began
print(json.dumps({"outcome": outcome, "message": message, "seconds": seconds,
                  "peak_mb": peak(), "baseline_mb": baseline}))
"""


def measure(content: bytes, name: str, *, timeout: float = 120) -> Measure:
    """Read ``content`` with ``read_table`` in a fresh Python process; a process still reading
    after ``timeout`` seconds is killed and reported as such."""
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as file:
        file.write(content)
        file.flush()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "secretariat.settings"}
        process = subprocess.Popen(
            [sys.executable, "-c", _READER, file.name, name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            peak = _peak_mb(process.pid)
            process.kill()
            process.communicate()
            return Measure("killed", f"still reading after {timeout:.0f} s", timeout, peak, 0, True)
    if process.returncode != 0:
        return Measure("crashed", stderr[-500:], 0, 0, 0)
    return Measure(**json.loads(stdout.strip().splitlines()[-1]))


def _peak_mb(pid: int) -> float:
    """The peak resident memory so far of a running process (Linux), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0


# Within the size limits: what the parser keeps in memory ---------------------------------------


def _varied(template: str, count: int) -> Parts:
    """``count`` elements made from ``template`` with a varying number in them, so that they
    pack only some twenty times, as a genuine sheet does."""
    for start in range(0, count, 10_000):
        yield "".join(template.format(n=n % 997) for n in range(start, start + 10_000)).encode()


def one_wide_row(cells: int = 4_000_000) -> bytes:
    """One row of millions of cells: the parser holds the whole row, each cell a dict."""

    def rows() -> Parts:
        yield b'<row r="2">'
        yield from _varied("<c><v>{n}</v></c>", cells)
        yield b"</row>"

    return xlsx({SHEET: _sheet(rows)})


def many_other_elements(count: int = 5_000_000) -> bytes:
    """Millions of elements after the sheet's data, which the parser never lets go of."""

    def rows() -> Parts:
        yield b"</sheetData><extLst>"
        yield from _varied('<ext uri="{n}"/>', count)
        yield b"</extLst><sheetData>"

    return xlsx({SHEET: _sheet(rows)})


def many_styles(count: int = 180_000) -> bytes:
    """A stylesheet of hundreds of thousands of cell formats, parsed whole into objects."""

    def parts() -> Parts:
        yield f'<styleSheet xmlns="{MAIN}"><cellXfs count="{count}">'.encode()
        yield from _varied('<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0"/>', count)
        yield b"</cellXfs></styleSheet>"

    return xlsx({"xl/styles.xml": parts})


def many_shared_strings(count: int = 1_000_000) -> bytes:
    """A million short shared strings, all kept in memory."""

    def parts() -> Parts:
        yield f'<sst xmlns="{MAIN}">'.encode()
        yield from _varied("<si><t>{n}</t></si>", count)
        yield b"</sst>"

    return xlsx({STRINGS: parts})


def renamed(workbook: bytes, old: str, new: str, pad: bytes = b"") -> bytes:
    """``workbook`` with its part ``old`` renamed ``new`` in the workbook's relationships and
    the manifest too, its content after ``pad`` (white space, which XML allows before the root
    element). openpyxl opens a part by the name the relationships give, whatever its extension:
    a check of the parts named .xml alone let a bomb through."""
    before, after = old.removeprefix("xl/").encode(), new.removeprefix("xl/").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            renaming = member.filename == old
            with (
                source.open(member) as content,
                target.open(new if renaming else member.filename, "w", force_zip64=True) as copy,
            ):
                if member.filename in ("xl/_rels/workbook.xml.rels", TYPES):
                    copy.write(content.read().replace(before, after))
                    continue
                copy.write(pad if renaming else b"")
                while chunk := content.read(1 << 20):
                    copy.write(chunk)
    return out.getvalue()


def renamed_sheet() -> bytes:
    """The wide row, in a sheet named .bin (the attacker's 942 KB workbook of 12 million cells
    took 35 s and 3.8 GB)."""
    return renamed(one_wide_row(), SHEET, "xl/worksheets/sheet1.bin")


def renamed_padded_sheet() -> bytes:
    """The same, its sheet starting with 300 KB of white space (allowed before the root)."""
    return renamed(one_wide_row(), SHEET, "xl/worksheets/sheet1.bin", pad=b" \r\n" * 100_000)


ATTACKS |= {
    "one row of 4 million cells": one_wide_row,
    "one row of 4 million cells, the sheet named .bin": renamed_sheet,
    "one row of 4 million cells, named .bin, after white space": renamed_padded_sheet,
    "5 million elements after the data": many_other_elements,
    "180,000 cell formats in styles.xml": many_styles,
    "a million shared strings": many_shared_strings,
}
