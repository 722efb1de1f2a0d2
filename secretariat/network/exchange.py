"""Import and export of partners and people as CSV or XLSX.

The columns of an export are the columns an import accepts, so that a file can go out to a
partner, be completed in Excel and come back. An import with any error changes nothing: every
row is applied inside one transaction that is rolled back if a single row fails, and the report
lists each failing row with its field and message.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from secretariat.core.models import Organisation, User
from secretariat.core.tables import Table, TableError, check_columns, read_table
from secretariat.network import services
from secretariat.network.models import Affiliation, EmailAddress, Partner, Person

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
LANGUAGE_COLUMNS = {
    "partners": ["name", "short_name"],
    "people": ["title", "salutation", "function"],
}


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def partner_columns(organisation: Organisation) -> list[str]:
    return PARTNER_COLUMNS + [
        f"{name}_{lang}" for name in LANGUAGE_COLUMNS["partners"] for lang in organisation.languages
    ]


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
            RowError(number, name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(number, "", message) for message in error.messages]


def _run(table: Table, apply_row: Any, header_problems: list[str]) -> ImportReport:
    report = ImportReport()
    if header_problems:
        report.errors = [RowError(1, "", p) for p in header_problems]
        return report
    with transaction.atomic():
        for row in table.rows:
            number = int(row.pop("#"))
            try:
                with transaction.atomic():
                    created = apply_row(row, number)
            except ValidationError as error:
                report.errors.extend(_row_errors(number, error))
                continue
            except IntegrityError:
                report.errors.append(
                    RowError(number, "", _("This row conflicts with another row or record."))
                )
                continue
            if created:
                report.created += 1
            else:
                report.updated += 1
        if report.errors:
            transaction.set_rollback(True)
    if report.errors:
        report.created = report.updated = 0
    return report


def _read(file: IO[bytes], name: str) -> Table | ImportReport:
    try:
        return read_table(file, name)
    except TableError as error:
        return ImportReport(errors=[RowError(0, "", str(error))])


def partners_import(
    *, organisation: Organisation, file: IO[bytes], name: str = "", by: User | None
) -> ImportReport:
    table = _read(file, name)
    if isinstance(table, ImportReport):
        return table
    problems = _language_column_problems(table, organisation, LANGUAGE_COLUMNS["partners"])
    problems += check_columns(
        table, required=["kind", "country"], allowed=partner_columns(organisation)
    )
    if not problems and not any(c.startswith("name_") for c in table.columns):
        problems.append(_("Missing columns: %(columns)s.") % {"columns": "name_…"})

    def apply_row(row: dict[str, str], number: int) -> bool:
        values: dict[str, Any] = {
            key: row[key] for key in PARTNER_COLUMNS if key in row and key != "id"
        }
        for name in LANGUAGE_COLUMNS["partners"]:
            texts = _texts(row, name, organisation)
            if texts is not None:
                values[name] = texts
        if row.get("id"):
            partner = Partner.objects.filter(organisation=organisation, pk=_int(row["id"])).first()
            if partner is None:
                raise ValidationError({"id": [_("No partner with this id in this organisation.")]})
            services.partner_update(partner=partner, by=by, **values)
            return False
        services.partner_create(organisation=organisation, by=by, **values)
        return True

    return _run(table, apply_row, problems)


def _int(value: str) -> int:
    try:
        return int(float(value))
    except ValueError as error:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from error


def people_import(
    *, organisation: Organisation, file: IO[bytes], name: str = "", by: User | None
) -> ImportReport:
    table = _read(file, name)
    if isinstance(table, ImportReport):
        return table
    problems = _language_column_problems(table, organisation, LANGUAGE_COLUMNS["people"])
    problems += check_columns(table, required=["family_name"], allowed=person_columns(organisation))
    seen_emails: dict[str, int] = {}

    def apply_row(row: dict[str, str], number: int) -> bool:
        values: dict[str, Any] = {
            key: row[key]
            for key in (
                "given_name",
                "family_name",
                "phones",
                "languages",
                "legal_basis",
                "consent_given_on",
                "consent_note",
                "tags",
            )
            if key in row
        }
        if "legal_basis" in values and not values["legal_basis"]:
            values.pop("legal_basis")
        if "email" in row or "other_emails" in row:
            emails = [
                row.get("email", ""),
                *row.get("other_emails", "").replace(",", ";").split(";"),
            ]
            values["emails"] = [e.strip() for e in emails if e.strip()]
            for email in values["emails"]:
                first = seen_emails.setdefault(email.lower(), number)
                if first != number:
                    raise ValidationError(
                        {
                            "email": [
                                _("The e-mail address %(email)s is also in row %(row)s.")
                                % {"email": email, "row": first}
                            ]
                        }
                    )
        for name in ("title", "salutation"):
            texts = _texts(row, name, organisation)
            if texts is not None:
                values[name] = texts
        person = None
        if row.get("id"):
            person = Person.objects.filter(organisation=organisation, pk=_int(row["id"])).first()
            if person is None:
                raise ValidationError({"id": [_("No person with this id in this organisation.")]})
        elif row.get("email"):
            address = (
                EmailAddress.objects.filter(
                    organisation=organisation, email__iexact=row["email"].strip()
                )
                .select_related("person")
                .first()
            )
            person = address.person if address else None
        if person is None:
            person = services.person_create(organisation=organisation, by=by, **values)
            created = True
        else:
            services.person_update(person=person, by=by, **values)
            created = False
        if row.get("partner_id"):
            partner = Partner.objects.filter(
                organisation=organisation, pk=_int(row["partner_id"])
            ).first()
            if partner is None:
                raise ValidationError(
                    {"partner_id": [_("No partner with this id in this organisation.")]}
                )
            function = _texts(row, "function", organisation) or {}
            affiliation = person.affiliations.filter(partner=partner, end__isnull=True).first()
            if affiliation is None:
                services.affiliation_create(
                    person=person,
                    partner=partner,
                    function=function,
                    start=row.get("affiliation_start") or None,
                    by=by,
                )
            else:
                services.affiliation_update(affiliation=affiliation, function=function, by=by)
        return created

    return _run(table, apply_row, problems)


# Export -----------------------------------------------------------------------------------------


def partner_rows(organisation: Organisation, partners: Iterable[Partner]) -> Iterable[list[Any]]:
    for p in partners:
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
