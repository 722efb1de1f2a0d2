import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field

from secretariat.core.row_ids import MAX_ID
from secretariat.governance.models import (
    ActionStatus,
    BodyKind,
    DecisionStatus,
    DeliveryKind,
    DeliveryStatus,
    MembershipRole,
)
from secretariat.network.models import LegalBasis, PartnerKind

# Input types that refuse what the database or the calendar cannot hold, so that such input is a
# 422 naming the field instead of an error deep down.

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=datetime.MINYEAR, le=datetime.MAXYEAR)]


def _on_the_calendar(value: Any) -> Any:
    # A day away from the calendar's ends: moving a time to another zone (at most a day) or a
    # date by a day never overflows.
    if not datetime.MINYEAR < value.year < datetime.MAXYEAR:
        raise ValueError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": datetime.MINYEAR + 1, "last": datetime.MAXYEAR - 1}
        )
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # In UTC: Python takes offsets up to ±23:59, PostgreSQL only up to ±15:59.
        return value.astimezone(datetime.UTC)
    return value


Moment = Annotated[datetime.datetime, AfterValidator(_on_the_calendar)]
Day = Annotated[datetime.date, AfterValidator(_on_the_calendar)]


def omitted(description: str | None = None) -> Any:
    """A field a PATCH may leave out but not set to null (null is no value it can store)."""
    return Field(default=None, description=description, json_schema_extra=_without_default)


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


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
    short_name: str = omitted()
    name: TextsIn = omitted()
    description: TextsIn = omitted()
    legal_form: str = omitted()
    seat_street: str = omitted()
    seat_postcode: str = omitted()
    seat_city: str = omitted()
    seat_country: str = omitted()
    languages: list[str] = omitted()
    default_language: str = omitted()
    timezone: str = omitted()
    fiscal_year_start_month: int = omitted()
    require_two_factor: bool = omitted()


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
    member_since: Day | None = None
    member_until: Day | None = None
    contribution_share: Decimal | None = None
    vote_weight: Decimal | None = None
    website: str = ""
    identifiers: Identifiers = Field(default_factory=dict)


class PartnerPatch(Schema):
    kind: PartnerKind = omitted()
    name: TextsIn = omitted()
    short_name: TextsIn = omitted()
    country: str = omitted()
    subdivision: str = omitted()
    member_since: Day | None = None
    member_until: Day | None = None
    contribution_share: Decimal | None = None
    vote_weight: Decimal | None = None
    website: str = omitted()
    identifiers: Identifiers = omitted("The schemes given are set; an empty code removes one.")


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
    consent_given_on: Day | None = None
    consent_note: str = ""
    tags: list[str] = Field(default_factory=list)


class PersonPatch(Schema):
    given_name: str = omitted()
    family_name: str = omitted()
    title: TextsIn = omitted()
    salutation: TextsIn = omitted()
    emails: list[str] = omitted()
    phones: list[str] = omitted()
    languages: list[str] = omitted()
    legal_basis: LegalBasis = omitted()
    consent_given_on: Day | None = None
    consent_note: str = omitted()
    tags: list[str] = omitted()


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
    kind: BodyKind = omitted()
    short_code: str = omitted()
    name: TextsIn = omitted()
    description: TextsIn = omitted()


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
    body_id: RowId
    person_id: RowId
    role: MembershipRole = MembershipRole.MEMBER
    partner_id: RowId | None = None
    voting: bool = True
    substitute_for_id: RowId | None = None
    start: Day | None = None
    end: Day | None = None


class MembershipPatch(Schema):
    person_id: RowId = omitted()
    role: MembershipRole = omitted()
    partner_id: RowId | None = None
    voting: bool = omitted()
    substitute_for_id: RowId | None = None
    start: Day | None = None
    end: Day | None = None


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


# Affiliations and presidency terms --------------------------------------------------------------


class AffiliationIn(Schema):
    partner_id: RowId = Field(
        description="For a partner coordinator, one of the partners they coordinate."
    )
    function: TextsIn = Field(default_factory=dict)
    start: Day | None = None
    end: Day | None = None


class AffiliationPatch(Schema):
    partner_id: RowId = omitted("For a partner coordinator, one of the partners they coordinate.")
    function: TextsIn = omitted()
    start: Day | None = None
    end: Day | None = None


class PresidencyOut(Schema):
    id: int
    partner_id: int
    president_id: int | None
    start: datetime.date
    end: datetime.date


class PresidencyIn(Schema):
    partner_id: RowId
    president_id: RowId | None = None
    start: Day
    end: Day


# The day of a meeting and its follow-up ---------------------------------------------------------


class MoveIn(Schema):
    direction: Literal["up", "down"] = Field(
        description="One place among the item's siblings (a sub-item stays under its item)."
    )


class MovementIn(Schema):
    item_id: RowId | None = Field(
        None, description="The agenda item at which the member arrives or leaves; none: the start."
    )


class ItemStatusIn(Schema):
    status: Literal["postponed", "withdrawn"] = Field(
        description="Entered in the register with a number, as a decision postponed or withdrawn."
    )


class RegisteredOut(Schema):
    decision_id: int
    number: str
    status: DecisionStatus


class FollowUpOut(Schema):
    id: int
    decision_id: int
    decision_number: str
    body_id: int
    title: Texts
    owner_person_id: int | None
    owner_partner_id: int | None
    due: datetime.date | None
    status: ActionStatus
    progress: int
    note: str


class FollowUpList(Page):
    items: list[FollowUpOut]


class DeliveryOut(Schema):
    id: int
    invitation_id: int
    person_id: int
    kind: DeliveryKind
    sequence: int
    status: DeliveryStatus = Field(description="no_address: a letter is printed instead.")
    address: str
    attempts: int
    error: str
    queued_at: datetime.datetime
    sent_at: datetime.datetime | None


class DeliveryList(Page):
    items: list[DeliveryOut]
