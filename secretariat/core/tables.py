"""Reading and writing tables (CSV and XLSX) for imports and exports, with errors a user can
act on: wrong encoding, not a table, missing header, too large."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"


class TableError(Exception):
    """The file cannot be read as a table; the message says why, in the user's language."""


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, str]]  # row number in the file is index + 2 (after the header)


def _normalise(header: Iterable[Any]) -> list[str]:
    return [str(h or "").strip().lower().replace(" ", "_") for h in header]


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise TableError(_("The file claims to be UTF-16 but is not.")) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            _(
                "The file is not encoded in UTF-8 (problem at byte %(position)s). "
                "In Excel, save it as “CSV UTF-8”."
            )
            % {"position": error.start}
        ) from error
    if "\x00" in text or sum(1 for c in text[:10000] if ord(c) < 32 and c not in "\r\n\t") > 10:
        raise TableError(_("The file does not look like a CSV text file."))
    return text


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise TableError(_("The file is empty or has no header row."))
        columns = _normalise(header)
        rows = []
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                raise TableError(
                    _("Row %(row)s has more values than the header has columns.") % {"row": number}
                )
            rows.append(
                dict(zip(columns, [v.strip() for v in values], strict=False)) | {"#": str(number)}
            )
            if len(rows) > MAX_ROWS:
                raise TableError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    except csv.Error as error:
        raise TableError(
            _("The file is not a valid CSV file: %(error)s") % {"error": error}
        ) from error
    return Table(columns, rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise TableError(_("The file is not a valid Excel workbook (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if not header or not any(header):
        raise TableError(_("The file is empty or has no header row."))
    columns = _normalise(header)
    rows = []
    for number, row in enumerate(values, start=2):
        cells = [
            "" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)).strip()
            for v in row
        ]
        if not any(cells):
            continue
        rows.append(dict(zip(columns, cells, strict=False)) | {"#": str(number)})
        if len(rows) > MAX_ROWS:
            raise TableError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    workbook.close()
    return Table(columns, rows)


def read_table(file: IO[bytes], name: str = "") -> Table:
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TableError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise TableError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC) or name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def check_columns(table: Table, *, required: Sequence[str], allowed: Iterable[str]) -> list[str]:
    """Problems with the header: missing required columns, unknown ones."""
    problems = []
    allowed_set = set(allowed) | set(required)
    missing = [c for c in required if c not in table.columns]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [c for c in table.columns if c and c not in allowed_set]
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ", ".join(sorted(allowed_set))}
        )
    return problems


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    # A byte-order mark, so that Excel opens UTF-8 with the accents intact.
    return codecs.BOM_UTF8 + buffer.getvalue().encode()


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
