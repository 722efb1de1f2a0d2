import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from secretariat.governance.models import BodyKind, MembershipRole
from secretariat.network.models import LegalBasis, PartnerKind


class TextVersionOut(Schema):
    text: str
    status: Literal["missing", "original", "outdated", "machine", "unreviewed", "reviewed"]
    origin: str | None = None
    source_language: str | None = None
    reviewed: bool = False


Texts = dict[str, TextVersionOut]
TextsIn = dict[str, str]


class Page(Schema):
    count: int
    limit: int
    offset: int


class OrganisationOut(Schema):
    slug: str
    short_name: str
    name: Texts
    description: Texts
    legal_form: str
    seat_street: str
    seat_postcode: str
    seat_city: str
    seat_country: str
    languages: list[str]
    default_language: str
    timezone: str
    fiscal_year_start_month: int
    require_two_factor: bool
    roles: list[str]


class OrganisationPatch(Schema):
    short_name: str | None = None
    name: TextsIn | None = None
    description: TextsIn | None = None
    legal_form: str | None = None
    seat_street: str | None = None
    seat_postcode: str | None = None
    seat_city: str | None = None
    seat_country: str | None = None
    languages: list[str] | None = None
    default_language: str | None = None
    timezone: str | None = None
    fiscal_year_start_month: int | None = None
    require_two_factor: bool | None = None


# The identifier schemes of ``network/identifiers.py`` (a test keeps the two lists equal).
IdentifierScheme = Literal["nis", "insee", "siren", "ags", "lau", "nuts", "own"]
Identifiers = dict[IdentifierScheme, str]


class PartnerOut(Schema):
    id: int
    kind: PartnerKind
    name: Texts
    short_name: Texts
    country: str
    subdivision: str
    member_since: datetime.date | None
    member_until: datetime.date | None
    contribution_share: Decimal | None
    vote_weight: Decimal | None
    website: str
    identifiers: Identifiers = Field(
        description="Codes in public registers, by scheme: nis (Belgium, 5 digits), insee "
        "(France, 5 characters), siren (France, 9 digits with a Luhn check digit), ags "
        "(Germany, 8 digits), lau, nuts, own (the organisation's own code)."
    )


class PartnerIn(Schema):
    kind: PartnerKind
    name: TextsIn
    short_name: TextsIn = Field(default_factory=dict)
    country: str
    subdivision: str = ""
    member_since: datetime.date | None = None
    member_until: datetime.date | None = None
    contribution_share: Decimal | None = None
    vote_weight: Decimal | None = None
    website: str = ""
    identifiers: Identifiers = Field(default_factory=dict)


class PartnerPatch(Schema):
    kind: PartnerKind | None = None
    name: TextsIn | None = None
    short_name: TextsIn | None = None
    country: str | None = None
    subdivision: str | None = None
    member_since: datetime.date | None = None
    member_until: datetime.date | None = None
    contribution_share: Decimal | None = None
    vote_weight: Decimal | None = None
    website: str | None = None
    identifiers: Identifiers | None = Field(
        default=None, description="The schemes given are set; an empty code removes one."
    )


class PartnerList(Page):
    items: list[PartnerOut]


class AffiliationOut(Schema):
    id: int
    partner_id: int
    function: Texts
    start: datetime.date | None
    end: datetime.date | None


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    title: Texts
    salutation: Texts
    emails: list[str]
    phones: list[str]
    languages: list[str]
    legal_basis: LegalBasis
    consent_given_on: datetime.date | None
    tags: list[str]
    affiliations: list[AffiliationOut]


class PersonIn(Schema):
    given_name: str = ""
    family_name: str
    title: TextsIn = Field(default_factory=dict)
    salutation: TextsIn = Field(default_factory=dict)
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    legal_basis: LegalBasis = LegalBasis.PUBLIC_TASK
    consent_given_on: datetime.date | None = None
    consent_note: str = ""
    tags: list[str] = Field(default_factory=list)


class PersonPatch(Schema):
    given_name: str | None = None
    family_name: str | None = None
    title: TextsIn | None = None
    salutation: TextsIn | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    languages: list[str] | None = None
    legal_basis: LegalBasis | None = None
    consent_given_on: datetime.date | None = None
    consent_note: str | None = None
    tags: list[str] | None = None


class PersonList(Page):
    items: list[PersonOut]


class BodyOut(Schema):
    id: int
    kind: BodyKind
    short_code: str
    name: Texts
    description: Texts


class BodyIn(Schema):
    kind: BodyKind
    short_code: str
    name: TextsIn
    description: TextsIn = Field(default_factory=dict)


class BodyPatch(Schema):
    kind: BodyKind | None = None
    short_code: str | None = None
    name: TextsIn | None = None
    description: TextsIn | None = None


class BodyList(Page):
    items: list[BodyOut]


class MembershipOut(Schema):
    id: int
    body_id: int
    person_id: int
    role: MembershipRole
    partner_id: int | None
    voting: bool
    substitute_for_id: int | None
    start: datetime.date | None
    end: datetime.date | None


class MembershipIn(Schema):
    body_id: int
    person_id: int
    role: MembershipRole = MembershipRole.MEMBER
    partner_id: int | None = None
    voting: bool = True
    substitute_for_id: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


class MembershipPatch(Schema):
    person_id: int | None = None
    role: MembershipRole | None = None
    partner_id: int | None = None
    voting: bool | None = None
    substitute_for_id: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


class MembershipList(Page):
    items: list[MembershipOut]


class ImportProblem(Schema):
    row: int = Field(description="The row in the file (the header is row 1; 0: the whole file).")
    field: str = Field(description="The column concerned, if one.")
    message: str = Field(description="In the request's language.")


class ImportReportOut(Schema):
    file: str
    created: int
    updated: int
    unchanged: int
    created_rows: list[int]
    updated_rows: list[int]
    unchanged_rows: list[int]
    former_rows: list[int] = Field(
        description="Partners whose membership has ended (member_until in the past)."
    )
    errors: list[ImportProblem] = Field(
        description="Every problem found; when there is one, nothing was imported (422), "
        "unless stopped."
    )
    stopped: bool = Field(
        description="The file was valid but writing stopped partway (someone changed the same "
        "records meanwhile): the rows reported created or updated were imported; importing the "
        "file again completes it."
    )
