"""Import and export of partners and people as CSV or XLSX.

The columns of an export are the columns an import accepts, so that a file can go out to a
partner, be completed in Excel and come back. An import first checks every row and matches it
to the partner or person it describes (``matching.py``), writing nothing; if any row has a
problem, nothing is imported and the report names every bad row. Then it writes in batches,
each a short transaction, so that a file of thousands of rows never holds the database for long
(SQLite has one writer at a time: the task worker and web requests wait meanwhile). A row that
changes nothing writes nothing: a file imported twice creates nothing the second time.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from secretariat.core.models import Organisation, User
from secretariat.core.tables import Table, TableError, check_columns, read_table
from secretariat.network import identifiers, services
from secretariat.network.matching import PartnerIndex, PersonIndex, parse_id
from secretariat.network.models import Affiliation, Partner, Person

PARTNER_COLUMNS = [
    "id",
    "kind",
    "country",
    "subdivision",
    "member_since",
    "member_until",
    "contribution_share",
    "vote_weight",
    "website",
]
CODE_COLUMNS = [identifiers.column(scheme) for scheme in identifiers.SCHEMES]
PERSON_COLUMNS = [
    "id",
    "given_name",
    "family_name",
    "email",
    "other_emails",
    "phones",
    "languages",
    "legal_basis",
    "consent_given_on",
    "consent_note",
    "tags",
    "partner_id",
    "affiliation_start",
]
PERSON_VALUES = [*services.PERSON_FIELDS, "tags"]  # the columns given to the services as is
LANGUAGE_COLUMNS = {
    "partners": ["name", "short_name"],
    "people": ["title", "salutation", "function"],
}
# Rows written per transaction: a batch of partners takes a few tens of milliseconds on SQLite,
# a batch of people (addresses, tags, affiliations, one by one) a little more.
PARTNER_BATCH = 100
PERSON_BATCH = 50
MAX_PAUSE = 0.05  # seconds between two batches, at most


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import did, row by row (numbers as in the file, the header being row 1)."""

    file: str = ""
    created_rows: list[int] = field(default_factory=list)
    updated_rows: list[int] = field(default_factory=list)
    unchanged_rows: list[int] = field(default_factory=list)
    former_rows: list[int] = field(default_factory=list)  # partners whose membership has ended
    errors: list[RowError] = field(default_factory=list)
    # The file was checked, and writing stopped partway: the rows before stay imported.
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return len(self.created_rows)

    @property
    def updated(self) -> int:
        return len(self.updated_rows)

    @property
    def unchanged(self) -> int:
        return len(self.unchanged_rows)

    @property
    def ranges(self) -> dict[str, str]:
        """The row numbers of each outcome, as ranges (rows 2 to 25 and 27: "2\u201325, 27")."""
        return {
            "created": row_ranges(self.created_rows),
            "updated": row_ranges(self.updated_rows),
            "unchanged": row_ranges(self.unchanged_rows),
            "former": row_ranges(self.former_rows),
        }

    def nothing_imported(self) -> None:
        for rows in (
            self.created_rows,
            self.updated_rows,
            self.unchanged_rows,
            self.former_rows,
        ):
            rows.clear()


def row_ranges(numbers: Iterable[int]) -> str:
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def partner_columns(organisation: Organisation) -> list[str]:
    return (
        PARTNER_COLUMNS
        + CODE_COLUMNS
        + [
            f"{name}_{lang}"
            for name in LANGUAGE_COLUMNS["partners"]
            for lang in organisation.languages
        ]
    )


def person_columns(organisation: Organisation) -> list[str]:
    return PERSON_COLUMNS + [
        f"{name}_{lang}" for name in LANGUAGE_COLUMNS["people"] for lang in organisation.languages
    ]


def _language_column_problems(
    table: Table, organisation: Organisation, kinds: list[str]
) -> list[str]:
    problems = []
    for column in table.columns:
        base, _sep, lang = column.rpartition("_")
        if base in kinds and lang and lang not in organisation.languages:
            problems.append(
                _(
                    "Column “%(column)s”: “%(language)s” is not a working language of "
                    "%(organisation)s (%(languages)s)."
                )
                % {
                    "column": column,
                    "language": lang,
                    "organisation": organisation.short_name,
                    "languages": ", ".join(organisation.languages),
                }
            )
    return problems


def _texts(row: dict[str, str], name: str, organisation: Organisation) -> dict[str, str] | None:
    keys = [f"{name}_{lang}" for lang in organisation.languages if f"{name}_{lang}" in row]
    if not keys:
        return None
    return {key.rpartition("_")[2]: row[key] for key in keys}


def _row_errors(number: int, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(number, "" if name == "__all__" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(number, "", message) for message in error.messages]


def _read(file: IO[bytes], name: str) -> Table | ImportReport:
    try:
        return read_table(file, name)
    except TableError as error:
        return ImportReport(file=name, errors=[RowError(0, "", str(error))])


def _write(
    report: ImportReport,
    planned: Sequence[tuple[int, Any]],
    size: int,
    write: Callable[[list[Any]], None],
) -> None:
    """Write the checked rows in batches, one short transaction each. Only a change saved by
    someone else meanwhile can make a batch fail: the batches before it stay imported, and
    importing the file again completes the import (rows are matched, so nothing doubles)."""
    held = 0.0
    for start in range(0, len(planned), size):
        batch = planned[start : start + size]
        if held:
            # Give way: SQLite's busy handler polls, at most every 100 ms, and is not fair; a
            # writer waiting (the task worker, a web request) must find the database free
            # between two batches, or it starves until its timeout.
            time.sleep(min(held, MAX_PAUSE))
        began = time.monotonic()
        try:
            with transaction.atomic():
                write([change for _number, change in batch])
        except (ValidationError, IntegrityError, DatabaseError) as error:
            done = {number for number, _change in planned[:start]}
            for rows in (report.created_rows, report.updated_rows, report.former_rows):
                rows[:] = [n for n in rows if n in done]
            report.stopped = True
            report.errors.append(
                RowError(
                    batch[0][0],
                    "",
                    _(
                        "Rows %(first)s to %(last)s could not be saved, as another change was "
                        "saved meanwhile (%(error)s). The rows before them were imported; import "
                        "the file again to complete the import."
                    )
                    % {"first": batch[0][0], "last": batch[-1][0], "error": error},
                )
            )
            return
        held = time.monotonic() - began


# Partners ---------------------------------------------------------------------------------------


def _partner_values(row: dict[str, str], organisation: Organisation) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: row[key] for key in PARTNER_COLUMNS if key in row and key != "id"
    }
    for name in LANGUAGE_COLUMNS["partners"]:
        texts = _texts(row, name, organisation)
        if texts is not None:
            values[name] = texts
    codes = {
        scheme: row[column]
        for column in row
        if (scheme := identifiers.scheme_of_column(column)) is not None
    }
    if codes:
        values["identifiers"] = codes
    return values


def partners_import(
    *, organisation: Organisation, file: IO[bytes], name: str = "", by: User | None
) -> ImportReport:
    """Import partners from a table; see the module's docstring for what a caller may rely on."""
    table = _read(file, name)
    if isinstance(table, ImportReport):
        return table
    report = ImportReport(file=name)
    problems = _language_column_problems(table, organisation, LANGUAGE_COLUMNS["partners"])
    problems += check_columns(
        table, required=["kind", "country"], allowed=partner_columns(organisation)
    )
    if not problems and not any(c.startswith("name_") for c in table.columns):
        problems.append(_("Missing columns: %(columns)s.") % {"columns": "name_…"})
    if problems:
        report.errors = [RowError(1, "", p) for p in problems]
        return report

    index = PartnerIndex(organisation)
    matched: list[tuple[int, dict[str, str], Partner | None]] = []
    for row in table.rows:
        number = int(row.pop("#"))
        try:
            matched.append((number, row, index.match(row)))
        except ValidationError as error:
            report.errors.extend(_row_errors(number, error))
    text_rows = index.text_rows([p.pk for _n, _r, p in matched if p is not None])
    planned: list[tuple[int, services.PartnerChange]] = []
    for number, row, partner in matched:
        try:
            change = services.partner_check(
                organisation=organisation,
                partner=partner,
                values=_partner_values(row, organisation),
                codes=index.codes.get(partner.pk, {}) if partner else {},
                text_rows=text_rows.get(partner.pk, []) if partner else [],
                taken=index.taken,
            )
            index.claim(number, change.partner, change.identifiers)
        except ValidationError as error:
            report.errors.extend(_row_errors(number, error))
            continue
        planned.append((number, change))
        rows = (
            report.created_rows
            if change.created
            else report.updated_rows
            if change.changed
            else report.unchanged_rows
        )
        rows.append(number)
        if change.partner.is_former:
            report.former_rows.append(number)
    if report.errors:
        report.nothing_imported()
        report.errors.sort(key=lambda e: e.row)
        return report
    _write(
        report,
        [(n, c) for n, c in planned if c.changed],
        PARTNER_BATCH,
        lambda changes: services.partners_save(changes=changes, by=by),
    )
    return report


# People -----------------------------------------------------------------------------------------


@dataclass
class _PersonRow:
    change: services.PersonChange
    partner: Partner | None
    function: dict[str, str]
    start: str
    affiliation: Affiliation | None  # the open affiliation with ``partner``, if any

    @property
    def affiliation_changes(self) -> bool:
        if self.partner is None:
            return False
        if self.affiliation is None:
            return True
        current = self.affiliation.function or {}
        return any(text.strip() != current.get(lang, "") for lang, text in self.function.items())


def _person_values(row: dict[str, str], organisation: Organisation) -> dict[str, Any]:
    values: dict[str, Any] = {key: row[key] for key in PERSON_VALUES if key in row}
    if "legal_basis" in values and not values["legal_basis"]:
        values.pop("legal_basis")
    if "email" in row or "other_emails" in row:
        values["emails"] = _emails(row)
    for name in ("title", "salutation"):
        texts = _texts(row, name, organisation)
        if texts is not None:
            values[name] = texts
    return values


def _emails(row: dict[str, str]) -> list[str]:
    emails = [row.get("email", ""), *row.get("other_emails", "").replace(",", ";").split(";")]
    return [e.strip() for e in emails if e.strip()]


def _person_row(
    organisation: Organisation, index: PersonIndex, number: int, row: dict[str, str]
) -> _PersonRow:
    emails = _emails(row)
    person_id = index.match(row, emails)
    index.claim(number, person_id, emails)
    person = (
        Person.objects.prefetch_related("emails", "tags").get(pk=person_id)
        if person_id is not None
        else None
    )
    change = services.person_check(
        organisation=organisation, person=person, values=_person_values(row, organisation)
    )
    partner = affiliation = None
    if row.get("partner_id"):
        partner = Partner.objects.filter(
            organisation=organisation, pk=parse_id(row["partner_id"], "partner_id")
        ).first()
        if partner is None:
            raise ValidationError(
                {"partner_id": [_("No partner with this id in this organisation.")]}
            )
        if person is not None:
            affiliation = person.affiliations.filter(partner=partner, end__isnull=True).first()
    return _PersonRow(
        change,
        partner,
        _texts(row, "function", organisation) or {},
        row.get("affiliation_start", ""),
        affiliation,
    )


def _people_save(rows: list[_PersonRow], by: User | None) -> None:
    for planned in rows:
        services.person_save(change=planned.change, by=by)
        if planned.partner is None or not planned.affiliation_changes:
            continue
        if planned.affiliation is None:
            services.affiliation_create(
                person=planned.change.person,
                partner=planned.partner,
                function=planned.function,
                start=planned.start or None,
                by=by,
            )
        else:
            services.affiliation_update(
                affiliation=planned.affiliation, function=planned.function, by=by
            )


def people_import(
    *, organisation: Organisation, file: IO[bytes], name: str = "", by: User | None
) -> ImportReport:
    """Import people (and their affiliation to a partner) from a table; a row is matched to a
    person by id, else by e-mail address, else (people without one) by name."""
    table = _read(file, name)
    if isinstance(table, ImportReport):
        return table
    report = ImportReport(file=name)
    problems = _language_column_problems(table, organisation, LANGUAGE_COLUMNS["people"])
    problems += check_columns(table, required=["family_name"], allowed=person_columns(organisation))
    if problems:
        report.errors = [RowError(1, "", p) for p in problems]
        return report
    index = PersonIndex(organisation)
    planned: list[tuple[int, _PersonRow]] = []
    for row in table.rows:
        number = int(row.pop("#"))
        try:
            checked = _person_row(organisation, index, number, row)
        except ValidationError as error:
            report.errors.extend(_row_errors(number, error))
            continue
        planned.append((number, checked))
        if checked.change.created:
            report.created_rows.append(number)
        elif checked.change.changed or checked.affiliation_changes:
            report.updated_rows.append(number)
        else:
            report.unchanged_rows.append(number)
    if report.errors:
        report.nothing_imported()
        return report
    _write(
        report,
        [(n, p) for n, p in planned if p.change.changed or p.affiliation_changes],
        PERSON_BATCH,
        lambda rows: _people_save(rows, by),
    )
    return report


# Export -----------------------------------------------------------------------------------------


def partner_rows(organisation: Organisation, partners: Iterable[Partner]) -> Iterable[list[Any]]:
    """The rows of an export; ``partners`` with their identifiers prefetched."""
    for p in partners:
        codes = {i.scheme: i.code for i in p.identifiers.all()}
        yield [
            p.pk,
            p.kind,
            p.country,
            p.subdivision,
            p.member_since,
            p.member_until,
            p.contribution_share,
            p.vote_weight,
            p.website,
            *[codes.get(scheme, "") for scheme in identifiers.SCHEMES],
            *[(p.name or {}).get(lang, "") for lang in organisation.languages],
            *[(p.short_name or {}).get(lang, "") for lang in organisation.languages],
        ]


def people_for_export(queryset: Any) -> Any:
    return queryset.prefetch_related(
        "emails",
        "tags",
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(end__isnull=True).order_by("-start", "id"),
        ),
    )


def person_rows(organisation: Organisation, people: Iterable[Person]) -> Iterable[list[Any]]:
    langs = organisation.languages
    for p in people:
        emails = [e.email for e in p.emails.all()]
        affiliations = list(p.affiliations.all())
        first = affiliations[0] if affiliations else None
        yield [
            p.pk,
            p.given_name,
            p.family_name,
            emails[0] if emails else "",
            "; ".join(emails[1:]),
            "; ".join(p.phones),
            ", ".join(p.languages),
            p.legal_basis,
            p.consent_given_on,
            p.consent_note,
            ", ".join(t.name for t in p.tags.all()),
            first.partner_id if first else "",
            first.start if first else "",
            *[(p.title or {}).get(lang, "") for lang in langs],
            *[(p.salutation or {}).get(lang, "") for lang in langs],
            *[((first.function if first else None) or {}).get(lang, "") for lang in langs],
        ]
