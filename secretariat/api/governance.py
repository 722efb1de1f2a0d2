"""The governance API: meetings and agendas, convocation and answers, votes, the register of
decisions and their follow-up, the rules of bodies."""

import datetime
from decimal import Decimal
from typing import Any, Literal, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from secretariat.api import schemas
from secretariat.api.common import _access, _user
from secretariat.api.paging import Paging, page
from secretariat.api.schemas import Day, Moment, RowId, Year, omitted
from secretariat.api.texts import text_maps
from secretariat.core import permissions
from secretariat.core.access import Access
from secretariat.core.permissions import Perm
from secretariat.governance import (
    agenda,
    announcements,
    attendance,
    body_rules,
    convocation,
    decisions,
    rules,
    selectors,
)
from secretariat.governance.models import (
    ActionStatus,
    AgendaItem,
    Body,
    Decision,
    DecisionStatus,
    DeliveryStatus,
    FollowUpAction,
    Invitation,
    ItemKind,
    Meeting,
    MeetingMode,
    MeetingState,
    Vote,
)
from secretariat.network.models import Partner, Person

router = Router(tags=["governance"])
TextsIn = dict[str, str]
# Allowed values appear in the OpenAPI document.
Majority = Literal["", "simple", "absolute", "two_thirds", "unanimity", "consensus"]
Answer = Literal["", "in_person", "online", "excused", "proxy", "substitute"]


# Meetings ---------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    number: str
    parent_id: int | None
    kind: ItemKind
    public: bool
    rapporteur_id: int | None
    majority_kind: Majority = Field(description="Empty: the body's usual majority.")
    title: dict[str, Any]
    description: dict[str, Any]
    draft_decision: dict[str, Any]
    minutes: dict[str, Any]


class MeetingOut(Schema):
    id: int
    body_id: int
    title: dict[str, Any]
    start: datetime.datetime
    end: datetime.datetime
    timezone: str
    mode: MeetingMode
    place: str
    room: str
    address: str
    online_url: str
    state: MeetingState
    sequence: int
    convened_at: datetime.datetime | None
    items: list[ItemOut] = Field(default_factory=list)


class MeetingList(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingOut]


class MeetingIn(Schema):
    body_id: RowId
    title: TextsIn
    start: Moment
    end: Moment
    timezone: str = ""
    mode: MeetingMode = MeetingMode.IN_PERSON
    place: str = ""
    room: str = ""
    address: str = ""
    online_url: str = ""


class MeetingPatch(Schema):
    title: TextsIn = omitted()
    start: Moment = omitted()
    end: Moment = omitted()
    timezone: str = omitted()
    mode: MeetingMode = omitted()
    place: str = omitted()
    room: str = omitted()
    address: str = omitted()
    online_url: str = omitted()


MEETING_SCALARS = [
    "start",
    "end",
    "timezone",
    "mode",
    "place",
    "room",
    "address",
    "online_url",
    "state",
    "sequence",
    "convened_at",
]


def _meetings_out(
    meetings: list[Meeting], languages: list[str], with_items: bool
) -> list[dict[str, Any]]:
    texts = text_maps(meetings, languages)
    out = []
    for meeting in meetings:
        data = {
            "id": meeting.pk,
            "body_id": meeting.body_id,
            **{k: getattr(meeting, k) for k in MEETING_SCALARS},
            **texts[meeting.pk],
        }
        if with_items:
            data["items"] = _items_out(meeting, languages)
        out.append(data)
    return out


def _items_out(meeting: Meeting, languages: list[str]) -> list[dict[str, Any]]:
    items = agenda.ordered(meeting.items.all())
    numbers = agenda.numbering(items)
    item_texts = text_maps(items, languages)
    return [
        {
            "id": i.pk,
            "number": numbers[i.pk],
            "parent_id": i.parent_id,
            "kind": i.kind,
            "public": i.public,
            "rapporteur_id": i.rapporteur_id,
            "majority_kind": i.majority_kind,
            **item_texts[i.pk],
        }
        for i in items
    ]


def _item_out(meeting: Meeting, item: AgendaItem, languages: list[str]) -> dict[str, Any]:
    return next(i for i in _items_out(meeting, languages) if i["id"] == item.pk)


class MeetingFilters(Paging):
    body: RowId | None = None
    after: Moment | None = None
    before: Moment | None = None
    when: Literal["upcoming", "past"] | None = Field(
        None,
        description="upcoming: not ended yet, soonest first (the meetings page); past: ended, "
        "latest first; none: every meeting in the order of its start.",
    )


@router.get("/{slug}/meetings", response=MeetingList)
def meeting_list(request: HttpRequest, slug: str, filters: Query[MeetingFilters]) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_VIEW)
    meetings = selectors.meeting_list(
        body=filters.body, when=filters.when, after=filters.after, before=filters.before
    )
    count, items, limit, offset = page(meetings, filters)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": _meetings_out(items, access.organisation.languages, False),
    }


def _meeting(access: Access, pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=pk)


@router.get("/{slug}/meetings/{pk}", response=MeetingOut)
def meeting_get(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_VIEW)
    return _meetings_out([_meeting(access, pk)], access.organisation.languages, True)[0]


@router.post("/{slug}/meetings", response={201: MeetingOut})
def meeting_create(request: HttpRequest, slug: str, payload: MeetingIn) -> Status:
    access = _access(request, slug, Perm.MEETING_EDIT)
    values = payload.dict()
    body = get_object_or_404(Body, pk=values.pop("body_id"))
    if not values["timezone"]:
        values.pop("timezone")
    meeting = agenda.meeting_plan(body=body, by=_user(request), **values)
    return Status(201, _meetings_out([meeting], access.organisation.languages, True)[0])


@router.patch("/{slug}/meetings/{pk}", response=MeetingOut)
def meeting_patch(
    request: HttpRequest, slug: str, pk: int, payload: MeetingPatch
) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    agenda.meeting_update(meeting=meeting, by=_user(request), **payload.dict(exclude_unset=True))
    return _meetings_out([meeting], access.organisation.languages, True)[0]


class ItemIn(Schema):
    title: TextsIn
    kind: ItemKind = ItemKind.INFORMATION
    parent_id: RowId | None = None
    description: TextsIn = Field(default_factory=dict)
    draft_decision: TextsIn = Field(default_factory=dict)
    rapporteur_id: RowId | None = None
    public: bool = True
    majority_kind: Majority = Field("", description="Empty: the body's usual majority.")


class ItemPatch(Schema):
    title: TextsIn = omitted()
    kind: ItemKind = omitted()
    description: TextsIn = omitted()
    draft_decision: TextsIn = omitted()
    minutes: TextsIn = omitted()
    rapporteur_id: RowId | None = None
    public: bool = omitted()
    majority_kind: Majority = omitted()


def _rapporteur(access: Access, values: dict[str, Any]) -> dict[str, Any]:
    if "rapporteur_id" in values:
        pk = values.pop("rapporteur_id")
        values["rapporteur"] = get_object_or_404(Person, pk=pk) if pk else None
    return values


@router.post("/{slug}/meetings/{pk}/items", response={201: ItemOut})
def item_create(request: HttpRequest, slug: str, pk: int, payload: ItemIn) -> Status:
    """Add an item to the agenda; the answer is the new item, with its number."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    values = _rapporteur(access, payload.dict())
    parent_id = values.pop("parent_id")
    parent = get_object_or_404(meeting.items.all(), pk=parent_id) if parent_id else None
    item = agenda.item_add(meeting=meeting, by=_user(request), parent=parent, **values)
    return Status(201, _item_out(meeting, item, access.organisation.languages))


@router.patch("/{slug}/meetings/{pk}/items/{item_pk}", response=ItemOut)
def item_patch(
    request: HttpRequest, slug: str, pk: int, item_pk: int, payload: ItemPatch
) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    item = get_object_or_404(meeting.items.all(), pk=item_pk)
    agenda.item_update(
        item=item, by=_user(request), **_rapporteur(access, payload.dict(exclude_unset=True))
    )
    return _item_out(meeting, item, access.organisation.languages)


@router.delete("/{slug}/meetings/{pk}/items/{item_pk}", response={204: None})
def item_delete(request: HttpRequest, slug: str, pk: int, item_pk: int) -> Status:
    access = _access(request, slug, Perm.MEETING_EDIT)
    item = get_object_or_404(_meeting(access, pk).items.all(), pk=item_pk)
    agenda.item_delete(item=item, by=_user(request))
    return Status(204, None)


class StateIn(Schema):
    state: Literal["held", "cancelled", "postponed", "planned"] = Field(
        description="cancelled or postponed: everyone convened is told at once; held: on the "
        "meeting's day or after it; planned: a postponed meeting planned again."
    )


@router.post("/{slug}/meetings/{pk}/state", response=MeetingOut)
def meeting_state(request: HttpRequest, slug: str, pk: int, payload: StateIn) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    convocation.meeting_set_state(meeting=meeting, state=payload.state, by=_user(request))
    return _meetings_out([meeting], access.organisation.languages, True)[0]


class Changes(Schema):
    changes: list[str] = Field(description="What the members see differently, as sentences.")
    queued: int = 0


@router.get("/{slug}/meetings/{pk}/changes", response=Changes)
def meeting_changes(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    """What the members of a convened meeting would be told by sending the changes now, in the
    request's language (empty: nothing to send)."""
    access = _access(request, slug, Perm.MEETING_VIEW)
    meeting = _meeting(access, pk)
    return {"changes": _change_lines(meeting)}


def _change_lines(meeting: Meeting, changes: list[dict[str, Any]] | None = None) -> list[str]:
    organisation = meeting.organisation
    return announcements.change_lines(
        convocation.pending_changes(meeting) if changes is None else changes,
        (get_language() or organisation.default_language)[:2],
        organisation.languages,
        organisation.default_language,
    )


@router.post("/{slug}/meetings/{pk}/changes", response=Changes)
def meeting_announce(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    """Send the changes to everyone convened (422, code "unchanged", when nothing changed)."""
    access = _access(request, slug, Perm.MEETING_CONVENE)
    meeting = _meeting(access, pk)
    queued = convocation.meeting_announce(meeting=meeting, by=_user(request))
    return {"changes": _change_lines(meeting, meeting.announced["changes"]), "queued": queued}


class OrderIn(Schema):
    order: list[tuple[int, int | None]]


@router.post("/{slug}/meetings/{pk}/agenda/order", response=MeetingOut)
def agenda_order(request: HttpRequest, slug: str, pk: int, payload: OrderIn) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    agenda.agenda_reorder(meeting=meeting, by=_user(request), order=payload.order)
    return _meetings_out([meeting], access.organisation.languages, True)[0]


@router.post("/{slug}/meetings/{pk}/items/{item_pk}/move", response=MeetingOut)
def item_move(
    request: HttpRequest, slug: str, pk: int, item_pk: int, payload: schemas.MoveIn
) -> dict[str, Any]:
    """Move an item one place up or down, as the arrows of the meeting page do; the answer is
    the meeting with its agenda renumbered."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    item = get_object_or_404(meeting.items.all(), pk=item_pk)
    agenda.item_move(item=item, direction=payload.direction, by=_user(request))
    return _meetings_out([meeting], access.organisation.languages, True)[0]


class ConveneIn(Schema):
    override_reason: str = ""


class Queued(Schema):
    queued: int


@router.post("/{slug}/meetings/{pk}/convene", response=Queued)
def meeting_convene(request: HttpRequest, slug: str, pk: int, payload: ConveneIn) -> dict[str, int]:
    access = _access(request, slug, Perm.MEETING_CONVENE)
    meeting = _meeting(access, pk)
    queued = convocation.meeting_convene(
        meeting=meeting,
        by=_user(request),
        may_override=permissions.can(access, Perm.NOTICE_OVERRIDE),
        override_reason=payload.override_reason,
    )
    return {"queued": queued}


@router.post("/{slug}/meetings/{pk}/deliveries/retry", response=Queued)
def deliveries_retry(request: HttpRequest, slug: str, pk: int) -> dict[str, int]:
    """Send again the meeting's messages that failed (422 when none did)."""
    access = _access(request, slug, Perm.MEETING_CONVENE)
    queued = convocation.deliveries_retry(meeting=_meeting(access, pk), by=_user(request))
    return {"queued": queued}


@router.post("/{slug}/meetings/{pk}/remind", response=Queued)
def meeting_remind(request: HttpRequest, slug: str, pk: int) -> dict[str, int]:
    """Remind the members convened who have not answered yet (those with an e-mail address);
    the answer says how many reminders are being sent (0 when the meeting is not convened)."""
    access = _access(request, slug, Perm.MEETING_CONVENE)
    queued = convocation.remind_unanswered(meeting=_meeting(access, pk), by=_user(request))
    return {"queued": queued}


class DeliveryFilters(Paging):
    status: DeliveryStatus | None = None


@router.get("/{slug}/meetings/{pk}/deliveries", response=schemas.DeliveryList)
def delivery_list(
    request: HttpRequest, slug: str, pk: int, filters: Query[DeliveryFilters]
) -> dict[str, Any]:
    """The meeting's messages, the latest first: to whom, at which address, and whether they
    went (personal data: not for members of bodies)."""
    access = _access(request, slug, Perm.DELIVERY_VIEW)
    deliveries = selectors.delivery_list(
        reader=access, meeting=_meeting(access, pk), status=filters.status
    )
    count, items, limit, offset = page(deliveries, filters)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "id": d.pk,
                "invitation_id": d.invitation_id,
                "person_id": d.invitation.person_id,
                **{
                    k: getattr(d, k)
                    for k in (
                        "kind",
                        "sequence",
                        "status",
                        "address",
                        "attempts",
                        "error",
                        "queued_at",
                        "sent_at",
                    )
                },
            }
            for d in items
        ],
    }


# Answers and votes ------------------------------------------------------------------------------


class InvitationOut(Schema):
    id: int
    person_id: int
    membership_id: int | None
    language: str
    answer: Answer = Field(description="Empty: no answer yet.")
    proxy_to_id: int | None
    answered_at: datetime.datetime | None
    signed_in_at: datetime.datetime | None


@router.get("/{slug}/meetings/{pk}/invitations", response=list[InvitationOut])
def invitation_list(request: HttpRequest, slug: str, pk: int) -> Any:
    access = _access(request, slug, Perm.MEETING_VIEW)
    return list(_meeting(access, pk).invitations.order_by("id"))


class AnswerIn(Schema):
    answer: Invitation.Answer = Field(
        description="Only the answers that apply to the member (their substitute, the "
        "meeting's form, a proxy where the body allows it)."
    )
    proxy_to_id: RowId | None = Field(None, description="The invitation carrying the proxy.")


@router.post("/{slug}/meetings/{pk}/invitations/{invitation_pk}/answer", response=InvitationOut)
def invitation_answer(
    request: HttpRequest, slug: str, pk: int, invitation_pk: int, payload: AnswerIn
) -> Invitation:
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    invitation = get_object_or_404(meeting.invitations.all(), pk=invitation_pk)
    proxy_to = (
        get_object_or_404(meeting.invitations.all(), pk=payload.proxy_to_id)
        if payload.proxy_to_id
        else None
    )
    return attendance.invitation_answer(
        invitation=invitation, answer=payload.answer, proxy_to=proxy_to, by=_user(request)
    )


def _movement(
    request: HttpRequest, slug: str, pk: int, invitation_pk: int, payload: schemas.MovementIn
) -> tuple[Invitation, AgendaItem | None]:
    access = _access(request, slug, Perm.MEETING_EDIT)
    meeting = _meeting(access, pk)
    invitation = get_object_or_404(meeting.invitations.all(), pk=invitation_pk)
    item = get_object_or_404(meeting.items.all(), pk=payload.item_id) if payload.item_id else None
    return invitation, item


@router.post("/{slug}/meetings/{pk}/invitations/{invitation_pk}/arrive", response=InvitationOut)
def invitation_arrive(
    request: HttpRequest, slug: str, pk: int, invitation_pk: int, payload: schemas.MovementIn
) -> Invitation:
    """Sign a member in, or record that they came back (at an item, or at the start); from
    the meeting's day, once it is convened."""
    invitation, item = _movement(request, slug, pk, invitation_pk, payload)
    decisions.invitation_arrive(invitation=invitation, by=_user(request), item=item)
    return invitation


@router.post("/{slug}/meetings/{pk}/invitations/{invitation_pk}/leave", response=InvitationOut)
def invitation_leave(
    request: HttpRequest, slug: str, pk: int, invitation_pk: int, payload: schemas.MovementIn
) -> Invitation:
    """Record that a member left (at an item, or at the start): they no longer count for the
    quorum of the items that follow."""
    invitation, item = _movement(request, slug, pk, invitation_pk, payload)
    decisions.invitation_leave(invitation=invitation, by=_user(request), item=item)
    return invitation


Choice = Literal["yes", "no", "abstain"]


class VoteIn(Schema):
    """A vote by counts (yes, no, abstain), by roll call (ballots) or by roll call per
    delegation (delegation_ballots)."""

    yes: Decimal | None = Field(None, description="Votes for (a vote by counts).")
    no: Decimal | None = Field(None, description="Votes against (a vote by counts).")
    abstain: Decimal | None = Field(None, description="Abstentions (a vote by counts).")
    ballots: dict[int, Choice] | None = Field(
        None,
        description="A roll call: the id of each voting member's invitation, with their vote.",
    )
    delegation_ballots: dict[int, Choice] | None = Field(
        None,
        description="A roll call per delegation: the id of each partner, with the vote its "
        "members present or represented cast together.",
    )
    confirm_incomplete: bool = Field(
        False,
        description="Record a vote by delegations although a delegation present did not vote "
        "(refused with code 'incomplete' otherwise).",
    )


class VoteCorrectionIn(VoteIn):
    correction_reason: str = Field(description="Why the recorded vote is corrected.")


class VoteOut(Schema):
    item_id: int
    method: Literal["counts", "roll_call"]
    yes: Decimal
    no: Decimal
    abstain: Decimal
    adopted: bool
    reason: str = Field(description="The outcome and its reasoning, in the request's language.")
    decision_number: str | None


def _vote_out(vote: Vote) -> dict[str, Any]:
    decision = Decision.objects.filter(item_id=vote.item_id).first()
    return {
        "item_id": vote.item_id,
        "method": vote.method,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "adopted": vote.adopted,
        "reason": rules.reason_or(vote.outcome_data, vote.reason),
        "decision_number": decision.number if decision else None,
    }


def _counted(payload: VoteIn) -> dict[str, Any]:
    return {
        "yes": payload.yes,
        "no": payload.no,
        "abstain": payload.abstain,
        "ballots": payload.ballots,
        "delegation_ballots": payload.delegation_ballots,
        "confirm_incomplete": payload.confirm_incomplete,
    }


@router.get("/{slug}/meetings/{pk}/items/{item_pk}/vote", response=VoteOut)
def vote_get(request: HttpRequest, slug: str, pk: int, item_pk: int) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_VIEW)
    item = get_object_or_404(_meeting(access, pk).items.all(), pk=item_pk)
    permissions.require(access, Perm.DECISION_VIEW, item)  # as the decision it made
    return _vote_out(get_object_or_404(Vote.objects.filter(item=item)))


@router.post("/{slug}/meetings/{pk}/items/{item_pk}/vote", response=VoteOut)
def vote(request: HttpRequest, slug: str, pk: int, item_pk: int, payload: VoteIn) -> dict[str, Any]:
    """Record the vote on an item; an item is voted once (a correction is a PUT, with its
    reason)."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    item = get_object_or_404(_meeting(access, pk).items.all(), pk=item_pk)
    return _vote_out(decisions.vote_record(item=item, by=_user(request), **_counted(payload)))


@router.put("/{slug}/meetings/{pk}/items/{item_pk}/vote", response=VoteOut)
def vote_correct(
    request: HttpRequest, slug: str, pk: int, item_pk: int, payload: VoteCorrectionIn
) -> dict[str, Any]:
    """Correct a recorded vote; the history keeps the former figures and the reason."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    item = get_object_or_404(_meeting(access, pk).items.all(), pk=item_pk)
    return _vote_out(
        decisions.vote_correct(
            item=item, by=_user(request), reason=payload.correction_reason, **_counted(payload)
        )
    )


@router.post("/{slug}/meetings/{pk}/items/{item_pk}/status", response=schemas.RegisteredOut)
def item_status(
    request: HttpRequest, slug: str, pk: int, item_pk: int, payload: schemas.ItemStatusIn
) -> dict[str, Any]:
    """Register a decision item as postponed or withdrawn (the session page's buttons); the
    register gives it a number."""
    access = _access(request, slug, Perm.MEETING_EDIT)
    item = get_object_or_404(_meeting(access, pk).items.all(), pk=item_pk)
    decision = decisions.item_set_status(item=item, status=payload.status, by=_user(request))
    return {"decision_id": decision.pk, "number": decision.number, "status": decision.status}


# Register and follow-up -------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    title: dict[str, Any]
    owner_person_id: int | None
    owner_partner_id: int | None
    due: datetime.date | None
    status: ActionStatus
    progress: int
    note: str


class DecisionOut(Schema):
    id: int
    number: str
    body_id: int
    year: int
    status: DecisionStatus
    public: bool
    decided_on: datetime.date
    meeting_id: int | None
    item_id: int | None
    outcome: str = Field(description="The outcome and its reasoning, in the request's language.")
    text: dict[str, Any]
    actions: list[ActionOut]


class DecisionList(Schema):
    count: int
    limit: int
    offset: int
    items: list[DecisionOut]


def _decisions_out(found: list[Decision], languages: list[str]) -> list[dict[str, Any]]:
    texts = text_maps(found, languages)
    actions = [a for d in found for a in d.actions.all()]
    action_texts = text_maps(actions, languages)
    return [
        {
            **{
                k: getattr(d, k)
                for k in (
                    "number",
                    "body_id",
                    "year",
                    "status",
                    "public",
                    "decided_on",
                    "meeting_id",
                    "item_id",
                )
            },
            "outcome": rules.reason_or(d.outcome_data, d.outcome),
            "id": d.pk,
            **texts[d.pk],
            "actions": [
                {
                    **{
                        k: getattr(a, k)
                        for k in (
                            "owner_person_id",
                            "owner_partner_id",
                            "due",
                            "status",
                            "progress",
                            "note",
                        )
                    },
                    "id": a.pk,
                    **action_texts[a.pk],
                }
                for a in d.actions.all()
            ],
        }
        for d in found
    ]


class DecisionFilters(Paging):
    body: RowId | None = None
    year: Year | None = None
    status: DecisionStatus | None = None


@router.get("/{slug}/decisions", response=DecisionList)
def decision_list(
    request: HttpRequest, slug: str, filters: Query[DecisionFilters]
) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_VIEW)
    found = selectors.decision_list(
        reader=access, body=filters.body, year=filters.year, status=filters.status
    ).prefetch_related("actions")
    count, items, limit, offset = page(found, filters)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": _decisions_out(items, access.organisation.languages),
    }


@router.get("/{slug}/decisions/{pk}", response=DecisionOut)
def decision_get(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_VIEW)
    decision = get_object_or_404(Decision, pk=pk)
    permissions.require(access, Perm.DECISION_VIEW, decision)
    return _decisions_out([decision], access.organisation.languages)[0]


class ActionIn(Schema):
    title: TextsIn
    owner_person_id: RowId | None = None
    owner_partner_id: RowId | None = None
    due: Day | None = None
    status: ActionStatus = ActionStatus.OPEN
    progress: int = 0
    note: str = ""


class ActionPatch(Schema):
    title: TextsIn = omitted()
    owner_person_id: RowId | None = None
    owner_partner_id: RowId | None = None
    due: Day | None = None
    status: ActionStatus = omitted()
    progress: int = omitted()
    note: str = omitted()


def _owners(access: Access, values: dict[str, Any]) -> dict[str, Any]:
    for key, model in (("owner_person_id", Person), ("owner_partner_id", Partner)):
        if key in values:
            pk = values.pop(key)
            found = model._default_manager.filter(pk=pk).first() if pk else None
            if pk and found is None:
                raise ValidationError({key[:-3]: ["No such record in this organisation."]})
            values[key[:-3]] = found
    return values


@router.post("/{slug}/decisions/{pk}/actions", response={201: DecisionOut})
def action_create(request: HttpRequest, slug: str, pk: int, payload: ActionIn) -> Status:
    access = _access(request, slug, Perm.MEETING_EDIT)
    decision = get_object_or_404(Decision, pk=pk)
    decisions.action_create(decision=decision, by=_user(request), **_owners(access, payload.dict()))
    return Status(201, _decisions_out([decision], access.organisation.languages)[0])


@router.patch("/{slug}/actions/{pk}", response=ActionOut)
def action_patch(request: HttpRequest, slug: str, pk: int, payload: ActionPatch) -> dict[str, Any]:
    access = _access(request, slug, Perm.MEETING_VIEW)
    action = get_object_or_404(FollowUpAction, pk=pk)
    permissions.require(access, Perm.ACTION_EDIT, action)
    decisions.action_update(
        action=action, by=_user(request), **_owners(access, payload.dict(exclude_unset=True))
    )
    texts = text_maps([action], access.organisation.languages)[action.pk]
    return {
        **{
            k: getattr(action, k)
            for k in ("owner_person_id", "owner_partner_id", "due", "status", "progress", "note")
        },
        "id": action.pk,
        **texts,
    }


class FollowUpFilters(Paging):
    body: RowId | None = None
    partner: RowId | None = Field(
        None, description="Owned by this partner or by people affiliated to it."
    )
    all: bool = Field(False, description="Done and cancelled actions too (else open ones).")


@router.get("/{slug}/actions", response=schemas.FollowUpList)
def action_list(request: HttpRequest, slug: str, filters: Query[FollowUpFilters]) -> dict[str, Any]:
    """The follow-up of decisions, as the follow-up page lists it: the earliest due first,
    without the actions of decisions the reader may not read."""
    access = _access(request, slug, Perm.MEETING_VIEW)
    found = selectors.action_list(
        reader=access, body=filters.body, partner=filters.partner, open_only=not filters.all
    )
    count, items, limit, offset = page(found, filters)
    texts = text_maps(items, access.organisation.languages)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "id": a.pk,
                "decision_id": a.decision_id,
                "decision_number": a.decision.number,
                "body_id": a.decision.body_id,
                **{
                    k: getattr(a, k)
                    for k in (
                        "owner_person_id",
                        "owner_partner_id",
                        "due",
                        "status",
                        "progress",
                        "note",
                    )
                },
                **texts[a.pk],
            }
            for a in items
        ],
    }


# Rules ------------------------------------------------------------------------------------------

RULE_FIELDS = body_rules.RULE_FIELDS


@router.get("/{slug}/bodies/{pk}/rules", response=dict[str, Any])
def rules_get(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    _access(request, slug, Perm.BODY_VIEW)
    body = get_object_or_404(Body, pk=pk)
    stored = body_rules.rules_of(body)
    return {name: getattr(stored, name) for name in RULE_FIELDS}


class RulesPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    notice_days: int = omitted()
    notice_counting: Literal["calendar", "clear"] = omitted()
    quorum_basis: Literal["members", "weight", "delegations"] = omitted()
    quorum_numerator: int = omitted()
    quorum_denominator: int = omitted()
    quorum_strict: bool = omitted()
    quorum_with_represented: bool = omitted()
    majority_kind: Literal["simple", "absolute", "two_thirds", "unanimity", "consensus"] = omitted()
    majority_base: Literal["cast", "cast_and_abstentions", "present", "members"] = omitted()
    double_majority: bool = omitted()
    weighted_votes: bool = omitted()
    delegation_block_vote: bool = omitted()
    proxies_allowed: bool = omitted()
    max_proxies_per_holder: int = omitted()
    proxies_within_delegation: bool = omitted()
    substitutes_allowed: bool = omitted()
    written_procedure_allowed: bool = omitted()
    written_kind: Literal["silence", "vote"] = omitted()
    written_days: int = omitted()


@router.patch("/{slug}/bodies/{pk}/rules", response=dict[str, Any])
def rules_patch(request: HttpRequest, slug: str, pk: int, payload: RulesPatch) -> dict[str, Any]:
    _access(request, slug, Perm.BODY_EDIT)
    body = get_object_or_404(Body, pk=pk)
    values = cast(body_rules.RuleValues, payload.dict(exclude_unset=True))
    saved = body_rules.body_rules_update(body=body, by=_user(request), **values)
    return {name: getattr(saved, name) for name in RULE_FIELDS}
