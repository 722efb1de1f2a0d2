"""Reading and writing tables (CSV and XLSX) for imports and exports, with errors a user can
act on: wrong encoding, not a table, missing header, too large.

Reading is the door of hostile files (issue 9): every limit below holds before or while reading,
so that a small upload can cost neither minutes of CPU nor gigabytes of memory. An XLSX is a
ZIP of XML parts: its directory is checked before openpyxl opens it (sizes unpacked, ratio,
number of parts, compression method), the declared dimension of the sheet is ignored (openpyxl
pads every row to it), rows are counted empty ones included, columns are bounded, and a deadline
is checked each time the ZIP is read and at each row. Anything openpyxl or the XML parser raises
on a damaged file becomes a ``TableError``.

Writing neutralises formulas (OWASP's “CSV injection”): a text that a spreadsheet program would
take for a formula is written so that it stays text; see ``formula_like``. Every CSV and XLSX
export of the platform goes through ``write_csv`` and ``write_xlsx``
(tests/security/test_formula_injection.py checks that no other module writes one).
"""

import codecs
import csv
import io
import logging
import re
import time
import zipfile
from collections.abc import Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import IO, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000  # rows with a value
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows read, empty ones included
MAX_COLUMNS = 500
# To read a file, whatever its kind: a backstop for what the limits below do not foresee (the
# known bombs are refused by them within two seconds). A genuine workbook at the limits, 50,000
# rows of 12 columns, takes 8 s to read on an idle 2-core machine and 25 s on a busy one.
MAX_SECONDS = 30.0
# The parts of an XLSX, unpacked. openpyxl streams the worksheets but keeps every shared
# string in memory and parses the other parts (styles, workbook, relations) whole.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_SHARED_STRINGS = 20 * 1024 * 1024
MAX_OTHER_PART = 10 * 1024 * 1024
MAX_PARTS = 500
# Elements of an XML part: in a row (Excel's own maximum of cells, with room for rich text),
# and outside rows in any part but the shared strings.
MAX_ROW_CELLS = 16_384
MAX_ROW_ELEMENTS = 4 * MAX_ROW_CELLS
MAX_OTHER_ELEMENTS = 100_000
# Deflate packs a spreadsheet's XML 5 to 30 times; a bomb packs it a thousand times. Parts
# under a megabyte unpacked may be packed any way: their size is harmless.
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
# The first characters that make a spreadsheet program read a cell as a formula (OWASP), and
# their full-width forms, which some East Asian input methods and programs take for them.
FORMULA_START = "=+-@\uff1d\uff0b\uff0d\uff20"


class TableError(Exception):
    """The file cannot be read as a table; the message says why, in the user's language."""


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, str]]  # row number in the file is index + 2 (after the header)


# Formulas ---------------------------------------------------------------------------------------


def formula_like(value: str) -> bool:
    """Whether a spreadsheet program could read ``value`` as a formula: it starts with = + - @
    (or their full-width forms) after any white space, or with a tab or a carriage return
    (OWASP's list). Leading white space counts because some programs trim it before parsing."""
    if value[:1] in ("\t", "\r"):
        return True
    return value.lstrip()[:1] in FORMULA_START if value else False


def _quoted(value: str) -> bool:
    """A quote put before a formula-like text by ``write_csv`` (or by a spreadsheet user):
    quotes in front of such a text are doubled, so that one of them always marks it."""
    return value.startswith("'") and formula_like(value.lstrip("'"))


# Where a spreadsheet program may start a cell inside a field: Excel where the list separator
# is a semicolon (French, German, Dutch, Belgian settings) splits a comma-separated file on
# semicolons, and takes a quote for a quote only at the start of a field, so that the quotes
# around a field do not keep its semicolons in it; a tab splits it when pasted or read as
# text, and a line end in a field that was not taken for quoted ends the row. What follows
# one of them is a cell start: a formula there, even behind white space or quotes, gets a
# leading quote as ``neutralise`` gives one at the start of the field.
_SEGMENT = re.compile(r"(?<=[;\t\r\n])[^;\t\r\n]+")
_FORMULA_SEGMENT = re.compile(r'[\s"]*[' + re.escape(FORMULA_START) + "]")


def _mark_segment(found: re.Match[str]) -> str:
    segment = found.group()
    return "'" + segment if _FORMULA_SEGMENT.match(segment.lstrip("'")) else segment


def _unmark_segment(found: re.Match[str]) -> str:
    segment = found.group()
    marked = segment.startswith("'") and _FORMULA_SEGMENT.match(segment.lstrip("'"))
    return segment[1:] if marked else segment


def neutralise(value: Any) -> Any:
    """A cell of a CSV export: a text a spreadsheet program could run as a formula gets a
    leading quote, which the program shows as text, and so does each part of it after a
    semicolon, a tab or a line end (``_SEGMENT``); numbers, dates and other texts as they
    are. ``unquote`` undoes it on import, so that an export imports back unchanged."""
    if not isinstance(value, str):
        return value
    if formula_like(value.lstrip("'")):
        value = "'" + value
    return _SEGMENT.sub(_mark_segment, value)


def unquote(value: str) -> str:
    value = _SEGMENT.sub(_unmark_segment, value)
    return value[1:] if _quoted(value) else value


# Reading ----------------------------------------------------------------------------------------


class _OutOfTime(Exception):
    pass


class _Deadline:
    def __init__(self) -> None:
        self.at = time.monotonic() + MAX_SECONDS

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise _OutOfTime


class _TimedBytes(io.BytesIO):
    """The packed workbook, which checks the deadline each time openpyxl reads from it (a few
    kilobytes at a time): parsing any part of the workbook stops when time is up."""

    def __init__(self, data: bytes, deadline: _Deadline) -> None:
        super().__init__(data)
        self.deadline = deadline

    def read(self, size: int | None = -1, /) -> bytes:
        self.deadline.check()
        return super().read(size)


def _out_of_time() -> TableError:
    return TableError(
        ngettext(
            "Reading the file took more than %(seconds)s second; split it into smaller files.",
            "Reading the file took more than %(seconds)s seconds; split it into smaller files.",
            int(MAX_SECONDS),
        )
        % {"seconds": int(MAX_SECONDS)}
    )


def _too_many_columns() -> TableError:
    return TableError(
        ngettext(
            "The table has more than %(max)s column.",
            "The table has more than %(max)s columns.",
            MAX_COLUMNS,
        )
        % {"max": MAX_COLUMNS}
    )


def _too_many_rows(*, counting_empty: bool) -> TableError:
    if counting_empty:
        return TableError(
            ngettext(
                "The sheet has more than %(max)s row, counting the empty ones; delete the "
                "empty rows below the table or split the file.",
                "The sheet has more than %(max)s rows, counting the empty ones; delete the "
                "empty rows below the table or split the file.",
                MAX_SHEET_ROWS,
            )
            % {"max": number_format(MAX_SHEET_ROWS, force_grouping=True)}
        )
    return TableError(
        _("The file has more than %(max)s rows.")
        % {"max": number_format(MAX_ROWS, force_grouping=True)}
    )


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


def _read_csv(data: bytes, deadline: _Deadline) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    # Python's csv refuses a field longer than csv.field_size_limit() (128 KiB, left as it is:
    # the limit is global to the process); the upload limit bounds the rest.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise TableError(_("The file is empty or has no header row."))
        if len(header) > MAX_COLUMNS:
            raise _too_many_columns()
        columns = _normalise(header)
        rows = []
        for number, values in enumerate(reader, start=2):
            if number > MAX_SHEET_ROWS + 1:
                raise _too_many_rows(counting_empty=True)
            if number % 256 == 0:
                deadline.check()
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                raise TableError(
                    _("Row %(row)s has more values than the header has columns.") % {"row": number}
                )
            cells = [unquote(v.strip()).strip() for v in values]
            rows.append(dict(zip(columns, cells, strict=False)) | {"#": str(number)})
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(counting_empty=False)
    except csv.Error as error:
        if "field limit" in str(error):
            raise TableError(
                ngettext(
                    "A value on line %(line)s is longer than %(max)s character.",
                    "A value on line %(line)s is longer than %(max)s characters.",
                    csv.field_size_limit(),
                )
                % {"line": reader.line_num, "max": csv.field_size_limit()}
            ) from error
        raise TableError(
            _("The file is not a valid CSV file: %(error)s") % {"error": error}
        ) from error
    return Table(columns, rows)


def _check_zip(data: bytes) -> None:
    """Refuse a workbook whose ZIP directory announces a bomb, before any part is unpacked.
    The sizes announced can be trusted: Python's zipfile never unpacks more than a part's
    announced size (and then fails on its checksum); but only with deflate, which bounds each
    step, hence the refusal of other methods (bzip2 or LZMA can unpack gigabytes in one step,
    and spreadsheet programs never use them)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise TableError(_("The file is not a valid Excel workbook (.xlsx).")) from error
    if len(parts) > MAX_PARTS:
        raise TableError(
            ngettext(
                "The workbook has more than %(max)s part; save the table alone in a new workbook.",
                "The workbook has more than %(max)s parts; save the table alone in a new workbook.",
                MAX_PARTS,
            )
            % {"max": MAX_PARTS}
        )
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise TableError(_("The workbook is protected by a password; save it without one."))
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TableError(
                _(
                    "The workbook is compressed in a way spreadsheet programs do not use; "
                    "save it again from your spreadsheet program."
                )
            )
        name = part.filename.lower()
        if name.startswith("xl/worksheets/"):
            limit = MAX_UNPACKED
        elif name == "xl/sharedstrings.xml":
            limit = MAX_SHARED_STRINGS
        else:
            limit = MAX_OTHER_PART
        total += part.file_size
        if part.file_size > limit or total > MAX_UNPACKED:
            raise TableError(
                _("The workbook unpacks to more than %(size)s MB; split it into smaller files.")
                % {"size": min(limit, MAX_UNPACKED) // (1024 * 1024)}
            )
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            raise TableError(
                _(
                    "The workbook is packed far more tightly than a spreadsheet program packs "
                    "one; it is refused as a precaution."
                )
            )


class _XmlRefused(Exception):
    pass


def _check_xml(archive: zipfile.ZipFile, name: str, deadline: _Deadline, *, sheet: bool) -> None:
    """Count the elements of a part before openpyxl parses it: its parser keeps a whole row
    in memory (a dict per cell), and never lets go of the elements it does not know (each
    one stays in the tree), so that a hundred megabytes of tiny elements cost gigabytes. A
    row may hold as many cells as Excel allows, and elements outside rows (merged cells,
    formats, links…) are bounded. The shared strings, all of which openpyxl keeps anyway,
    are bounded by their size. A DOCTYPE, which no workbook has, is refused. The rows of a
    ``sheet`` are counted too, so that a million empty ones are refused at the first
    100,000 (every sheet, not only the one read: openpyxl opens them all)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    in_row = 0  # depth inside the current row, 0 outside rows
    row_elements = cells = outside = rows = 0

    def start(tag: str, _attributes: Any) -> None:
        nonlocal in_row, row_elements, cells, outside, rows
        local = tag.rpartition(":")[2]
        if in_row:
            in_row += 1
            row_elements += 1
            if in_row == 2 and local == "c":
                cells += 1
            if cells > MAX_ROW_CELLS or row_elements > MAX_ROW_ELEMENTS:
                raise _XmlRefused
        elif local == "row":
            in_row, row_elements, cells = 1, 0, 0
            rows += 1
            if sheet and rows > MAX_SHEET_ROWS + 1:
                raise _too_many_rows(counting_empty=True)
        else:
            outside += 1
            if outside > MAX_OTHER_ELEMENTS:
                raise _XmlRefused

    def end(_tag: str) -> None:
        nonlocal in_row
        if in_row:
            in_row -= 1

    def doctype(*_args: Any) -> None:
        raise _XmlRefused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    with archive.open(name) as source:
        while chunk := source.read(64 * 1024):
            deadline.check()
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


# What may come before the first "<" of an XML part: a byte-order mark, white space, and the
# zero bytes of UTF-16 or UTF-32. And how "<?xm" starts in EBCDIC, which lxml (the parser
# openpyxl uses for every part but the sheets) recognises too.
_BEFORE_XML = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"


def _reads_as_xml(archive: zipfile.ZipFile, name: str, deadline: _Deadline) -> bool:
    """Whether a part starts as an XML document, whatever its name: openpyxl opens the parts
    the relationships name, whatever their extension. White space before the root element
    is allowed however long it is, so it is skipped whatever its length."""
    with archive.open(name) as source:
        while chunk := source.read(64 * 1024):
            deadline.check()
            if chunk.startswith(_EBCDIC_XML):
                return True
            start = chunk.lstrip(_BEFORE_XML)
            if start:
                return start.startswith(b"<")
    return False


RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _sheets_named_xml(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether every worksheet a relationships part names is named .xml, as every spreadsheet
    program names them (the part is small: ``_check_xml`` has bounded it)."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(archive.read(name))
    return all(
        relation.get("Target", "").lower().endswith(".xml")
        for relation in root.iter(RELATIONSHIP)
        if relation.get("Type", "").endswith("/worksheet")
    )


def _check_parts(data: bytes, deadline: _Deadline) -> None:
    """Count the elements of every part that reads as XML (``_check_xml``) and refuse a
    worksheet not named .xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            name = part.filename.lower()
            if name == "xl/sharedstrings.xml" or not _reads_as_xml(
                archive, part.filename, deadline
            ):
                continue
            try:
                _check_xml(
                    archive, part.filename, deadline, sheet=name.startswith("xl/worksheets/")
                )
            except _XmlRefused:
                raise TableError(
                    _(
                        "The workbook is too complex to read (in its part %(part)s); copy "
                        "the table alone into a new workbook."
                    )
                    % {"part": part.filename}
                ) from None
        for part in archive.infolist():
            if part.filename.lower().endswith(".rels") and not _sheets_named_xml(
                archive, part.filename
            ):
                raise TableError(_("The file is not a valid Excel workbook (.xlsx)."))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat()[:10])
    # No ``unquote`` here: ``write_xlsx`` marks a formula-like text with quotePrefix, and
    # leaves its value as it is.
    return str(value).strip()


def _xlsx_rows(data: bytes, deadline: _Deadline) -> Generator[tuple[int, list[str]], None, None]:
    """The rows of the first sheet as texts, numbered from 1, the header first and empty rows
    included, each as wide as the header (cells beyond it are not read)."""
    from openpyxl import load_workbook

    workbook = load_workbook(_TimedBytes(data, deadline), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        # The dimension a sheet declares (up to A1:XFD1048576) is whatever its author wrote:
        # read-only openpyxl would pad every row, and add rows, to it.
        sheet.reset_dimensions()
        first = sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True)
        header = [_cell(v) for v in next(first, ())]
        first.close()
        while header and not header[-1]:
            header.pop()
        if len(header) > MAX_COLUMNS:
            raise _too_many_columns()
        yield 1, header
        if not header:
            return
        for number, row in enumerate(
            sheet.iter_rows(min_row=2, max_col=len(header), values_only=True), start=2
        ):
            deadline.check()
            if number > MAX_SHEET_ROWS + 1:
                raise _too_many_rows(counting_empty=True)
            yield number, [_cell(v) for v in row]
    finally:
        workbook.close()


def _read_xlsx(data: bytes, deadline: _Deadline) -> Table:
    _check_zip(data)
    rows = []
    try:
        _check_parts(data, deadline)
        with closing(_xlsx_rows(data, deadline)) as lines:
            _first, header = next(lines)
            if not any(header):
                raise TableError(_("The file is empty or has no header row."))
            columns = _normalise(header)
            for number, cells in lines:
                if not any(cells):
                    continue
                rows.append(dict(zip(columns, cells, strict=False)) | {"#": str(number)})
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows(counting_empty=False)
    except (TableError, _OutOfTime, MemoryError):
        raise
    except Exception as error:
        # A damaged or hostile workbook makes openpyxl, zipfile or the XML parser raise about
        # anything (ParseError, KeyError, IndexError, zlib.error, BadZipFile…); all of them
        # mean the same thing to the user. Logged: the cause helps if a genuine file is refused.
        logger.info("Unreadable workbook: %r", error)
        raise TableError(_("The file is not a valid Excel workbook (.xlsx).")) from error
    return Table(columns, rows)


def read_table(file: IO[bytes], name: str = "") -> Table:
    """The first sheet (or the CSV) as rows of texts keyed by the normalised header, empty
    rows left out. Raises ``TableError``, with a message for the user, for anything else than
    a table within the limits of this module, including a file that takes more than
    ``MAX_SECONDS`` to read; never another exception because of the file's content."""
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TableError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise TableError(_("The file is empty."))
    deadline = _Deadline()
    try:
        if data.startswith(XLSX_MAGIC) or name.lower().endswith(".xlsx"):
            return _read_xlsx(data, deadline)
        return _read_csv(data, deadline)
    except _OutOfTime:
        raise _out_of_time() from None


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
    """A CSV file for Excel (UTF-8 with a byte-order mark) in which no cell is a formula: a
    text that looks like one gets a leading quote (``neutralise``); the records keep their
    values."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(c) for c in columns])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    # A byte-order mark, so that Excel opens UTF-8 with the accents intact.
    return codecs.BOM_UTF8 + buffer.getvalue().encode()


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """A workbook of one sheet in which no cell is a formula: every text is a text cell,
    and one that looks like a formula also carries Excel's own mark for a text typed with a
    leading quote (``quotePrefix``), so that editing the cell keeps it text. The value is the
    one stored, so the export imports back unchanged."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return "" if value is None else value
        text = WriteOnlyCell(sheet, value)
        # openpyxl takes any text starting with “=” for a formula.
        text.data_type = "s"
        if formula_like(value.lstrip("'")):
            text.quotePrefix = True
        return text

    sheet.append([cell(c) for c in columns])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
