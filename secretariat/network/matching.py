"""Which existing partner or person a row of an import describes, so that a file imported twice
updates rather than doubles. Each index reads the organisation's rows once (a few queries for a
file of thousands of rows) and remembers which row claimed what, to refuse two rows for one
partner or person.

Partners are recognised by their id, else by one of their codes (``identifiers.py``), else by
their official name in any language and their country, without accents or case. People by
their id, else by any of their e-mail addresses (unique in an organisation), else, for people
without an address, by their name.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from secretariat.core.models import Organisation, TextVersion
from secretariat.core.search import fold
from secretariat.network import identifiers
from secretariat.network.models import (
    Affiliation,
    EmailAddress,
    Partner,
    PartnerIdentifier,
    Person,
)

CHUNK = 500  # ids per IN (…) when reading the rows of thousands of objects


def parse_id(value: str, column: str) -> int:
    """An id from a cell (spreadsheets write 12 as 12.0)."""
    try:
        return int(float(value))
    except ValueError as error:
        raise ValidationError(
            {column: [_("“%(value)s” is not a number.") % {"value": value}]}
        ) from error


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class PartnerIndex:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.partners: dict[int, Partner] = {}
        self.by_name: dict[tuple[str, str], set[int]] = defaultdict(set)
        for partner in Partner.objects.filter(organisation=organisation):
            partner.organisation = organisation  # read by every check; no query per row
            self.partners[partner.pk] = partner
            for name in (partner.name or {}).values():
                self.by_name[(partner.country, fold(name).strip())].add(partner.pk)
        self.codes: dict[int, dict[str, str]] = defaultdict(dict)
        self.taken: dict[tuple[str, str], int] = {}
        for scheme, code, partner_id in identifiers_of(organisation):
            self.codes[partner_id][scheme] = code
            self.taken[(scheme, code)] = partner_id
        # What earlier rows of the file claimed: partners and codes; names of new partners.
        self.claimed: dict[object, int] = {}
        self.new_names: dict[tuple[str, str, str], tuple[int, bool]] = {}

    def match(self, row: dict[str, str]) -> Partner | None:
        """The partner the row describes, or None for a new one; ``ValidationError`` when the
        row is ambiguous."""
        if row.get("id"):
            partner = self.partners.get(parse_id(row["id"], "id"))
            if partner is None:
                raise ValidationError({"id": [_("No partner with this id in this organisation.")]})
            return partner
        codes = self._codes(row)
        holders = {self.taken[key] for key in codes.items() if key in self.taken}
        if len(holders) > 1:
            first, second = (self.partners[pk] for pk in sorted(holders)[:2])
            raise ValidationError(
                _("The codes of this row belong to two partners: %(first)s and %(second)s.")
                % {"first": first, "second": second}
            )
        if holders:
            return self.partners[holders.pop()]
        country = (row.get("country") or "").strip().upper()
        found: set[int] = set()
        for name in self._names(row):
            found |= self.by_name.get((country, name), set())
        # A partner with another code in one of the row's schemes is another partner.
        found = {
            pk
            for pk in found
            if all(self.codes[pk].get(s, code) == code for s, code in codes.items())
        }
        if len(found) > 1:
            raise ValidationError(
                _(
                    "Several partners are named “%(name)s” in %(country)s: add an id or code "
                    "column (e.g. code_nis) to say which one this row is."
                )
                % {"name": self._names(row)[0], "country": country}
            )
        return self.partners[found.pop()] if found else None

    def _codes(self, row: dict[str, str]) -> dict[str, str]:
        codes = {}
        for column, value in row.items():
            scheme = identifiers.scheme_of_column(column)
            if scheme and value.strip():
                try:
                    codes[scheme] = identifiers.normalise(scheme, value)
                except identifiers.InvalidCode:
                    continue  # reported by the partner's check
        return codes

    @staticmethod
    def _names(row: dict[str, str]) -> list[str]:
        return [
            fold(value).strip()
            for column, value in row.items()
            if column.startswith("name_") and value.strip()
        ]

    def claim(self, number: int, partner: Partner, codes: dict[str, str]) -> None:
        """Record what row ``number`` describes; refuse what an earlier row described."""
        errors: dict[str, list[str]] = {}

        def refuse(key: object, column: str, message: str, **params: str) -> None:
            first = self.claimed.setdefault(key, number)
            if first != number:
                errors.setdefault(column, []).append(message % {**params, "row": str(first)})

        if partner.pk:
            refuse(
                ("partner", partner.pk),
                "",
                _("This row describes the same partner as row %(row)s."),
            )
        else:
            # Two new partners of one name and country are two only if codes tell them apart.
            for name in {fold(n).strip() for n in (partner.name or {}).values()}:
                key = ("name", partner.country, name)
                first = self.new_names.setdefault(key, (number, bool(codes)))
                if first[0] != number and not (codes and first[1]):
                    errors.setdefault("", []).append(
                        _(
                            "This row has the same official name and country as row %(row)s: "
                            "add a code column (e.g. code_nis) to tell the two partners apart."
                        )
                        % {"row": first[0]}
                    )
                    break
        for scheme, code in codes.items():
            if self.taken.get((scheme, code)) not in (None, partner.pk):
                continue  # held by another partner: the partner's check says so
            refuse(
                ("code", scheme, code),
                identifiers.column(scheme),
                _("The code %(code)s is also in row %(row)s."),
                code=code,
            )
        if errors:
            raise ValidationError(errors)

    def text_rows(self, partner_ids: list[int]) -> dict[int, list[TextVersion]]:
        """The language states of these partners, read at once."""
        content_type = ContentType.objects.get_for_model(Partner)
        rows: dict[int, list[TextVersion]] = defaultdict(list)
        for ids in _chunks(partner_ids):
            for row in TextVersion.objects.filter(content_type=content_type, object_id__in=ids):
                rows[row.object_id].append(row)
        return rows


def identifiers_of(organisation: Organisation) -> Iterable[tuple[str, str, int]]:
    return PartnerIdentifier.objects.filter(organisation=organisation).values_list(
        "scheme", "code", "partner_id"
    )


class PersonIndex:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.by_email: dict[str, int] = {
            email.lower(): person_id
            for email, person_id in EmailAddress.objects.filter(
                organisation=organisation
            ).values_list("email", "person_id")
        }
        with_address = set(self.by_email.values())
        self.by_name: dict[tuple[str, str], set[int]] = defaultdict(set)
        for pk, given, family in Person.objects.filter(organisation=organisation).values_list(
            "pk", "given_name", "family_name"
        ):
            if pk not in with_address:
                self.by_name[(fold(given).strip(), fold(family).strip())].add(pk)
        self.partner_ids = set(
            Partner.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
        self.affiliated: dict[int, set[int]] = defaultdict(set)
        for person_id, partner_id in Affiliation.objects.filter(
            organisation=organisation, end__isnull=True
        ).values_list("person_id", "partner_id"):
            self.affiliated[person_id].add(partner_id)
        self.claimed: dict[object, int] = {}

    def match(self, row: dict[str, str], emails: list[str]) -> int | None:
        """The id of the person the row describes, or None for a new one."""
        if row.get("id"):
            pk = parse_id(row["id"], "id")
            if not Person.objects.filter(organisation=self.organisation, pk=pk).exists():
                raise ValidationError({"id": [_("No person with this id in this organisation.")]})
            return pk
        holders = {self.by_email[e.lower()] for e in emails if e.lower() in self.by_email}
        if len(holders) > 1:
            raise ValidationError(
                {
                    "email": [
                        _(
                            "The addresses of this row belong to two different people; give "
                            "each person their own row."
                        )
                    ]
                }
            )
        if holders:
            return holders.pop()
        if emails:
            return None
        found = self.by_name.get(
            (fold(row.get("given_name", "")).strip(), fold(row.get("family_name", "")).strip()),
            set(),
        )
        partner = row.get("partner_id", "").strip()
        if partner and len(found) > 1:
            found = {pk for pk in found if parse_id(partner, "partner_id") in self.affiliated[pk]}
        if len(found) > 1:
            raise ValidationError(
                {
                    "family_name": [
                        _(
                            "Several people without an e-mail address have this name: add an id "
                            "or e-mail column to say which one this row is."
                        )
                    ]
                }
            )
        return found.pop() if found else None

    def claim(self, number: int, person_id: int | None, emails: list[str]) -> None:
        errors: dict[str, list[str]] = {}
        if person_id is not None:
            first = self.claimed.setdefault(("person", person_id), number)
            if first != number:
                errors["id"] = [
                    _("This row describes the same person as row %(row)s.") % {"row": first}
                ]
        for email in emails:
            first = self.claimed.setdefault(("email", email.lower()), number)
            if first != number:
                errors.setdefault("email", []).append(
                    _("The e-mail address %(email)s is also in row %(row)s.")
                    % {"email": email, "row": first}
                )
        if errors:
            raise ValidationError(errors)
