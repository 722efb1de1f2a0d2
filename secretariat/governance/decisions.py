"""On the day and after: sign-in, live quorum per item, votes and their outcome, the numbered
register of decisions, minutes versions and the follow-up of decisions."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.core import audit, text_rules
from secretariat.core.models import User
from secretariat.core.validation import Errors, add_error, parse_date, stage_texts
from secretariat.core.writes import save_created, save_updated
from secretariat.governance import agenda, attendance, body_rules, rules
from secretariat.governance.models import (
    ActionStatus,
    AgendaItem,
    Ballot,
    Body,
    Decision,
    DecisionStatus,
    FollowUpAction,
    Invitation,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Movement,
    Vote,
)

VOTABLE = {ItemKind.DECISION, ItemKind.MINUTES_APPROVAL}
ON_THE_DAY = {MeetingState.CONVENED, MeetingState.HELD}


# Presence on the day ----------------------------------------------------------------------------


def _check_movement(invitation: Invitation, item: AgendaItem | None) -> None:
    meeting = invitation.meeting
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("This item is not on the agenda."))
    if meeting.state not in ON_THE_DAY:
        raise ValidationError(_("Sign-in opens once the meeting is convened."))
    _require_meeting_day(
        meeting, _("Sign-in is possible from the day of the meeting (%(date)s) onwards.")
    )


def invitation_arrive(
    *, invitation: Invitation, by: User | None, item: AgendaItem | None = None
) -> None:
    """Record an arrival, at the start or at ``item``; the first one signs the member in.
    From the meeting's day, once it is convened."""
    _check_movement(invitation, item)
    with transaction.atomic():
        if invitation.signed_in_at is None:
            invitation.signed_in_at = timezone.now()
            invitation.save(update_fields=["signed_in_at"])
        Movement.objects.create(
            organisation=invitation.organisation,
            invitation=invitation,
            item=item,
            kind=Movement.Kind.ARRIVE,
        )
        audit.record(
            by=by,
            action="update",
            obj=invitation,
            changes={"arrives": [None, str(item or "")]},
            within=invitation.meeting,
        )


def invitation_leave(
    *, invitation: Invitation, by: User | None, item: AgendaItem | None = None
) -> None:
    """Record a departure, before ``item`` is dealt with (or at the start); recorded on the
    same days as arrivals."""
    _check_movement(invitation, item)
    with transaction.atomic():
        Movement.objects.create(
            organisation=invitation.organisation,
            invitation=invitation,
            item=item,
            kind=Movement.Kind.LEAVE,
        )
        audit.record(
            by=by,
            action="update",
            obj=invitation,
            changes={"leaves": [None, str(item or "")]},
            within=invitation.meeting,
        )


def presence_at(meeting: Meeting, item: AgendaItem | None) -> rules.Presence:
    """Who is in the room for ``item``: arrived at or before it, and not left before it."""
    order = {i.pk: n for n, i in enumerate(agenda.ordered(meeting.items.all()))}
    position = order.get(item.pk, 0) if item else 0
    movements = Movement.objects.filter(invitation__meeting=meeting).order_by("at", "id")
    last: dict[int, tuple[int, str]] = {}
    for movement in movements:
        at = order.get(movement.item_id, -1) if movement.item_id else -1
        if at <= position:
            last[movement.invitation_id] = (at, movement.kind)
    inside = {
        invitation for invitation, (_at, kind) in last.items() if kind == Movement.Kind.ARRIVE
    }
    return attendance.presence_of(meeting, inside=inside)


def quorum_at(meeting: Meeting, item: AgendaItem | None) -> rules.Count:
    stored = body_rules.rules_of(meeting.body)
    return rules.quorum(
        body_rules.quorum_rule(stored), attendance.seats_of(meeting), presence_at(meeting, item)
    )


# Votes and the register -------------------------------------------------------------------------


def _number(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def next_decision_number(body: Body, year: int) -> tuple[int, str]:
    """The next number of the body's register for the year; call inside a transaction."""
    Body.objects.select_for_update().filter(pk=body.pk).first()  # one numbering at a time
    last = (
        Decision.objects.filter(body=body, year=year).aggregate(last=Max("sequence"))["last"] or 0
    )
    sequence = last + 1
    return sequence, f"{body.short_code}-{year}-{sequence:02d}"


def _register(
    item: AgendaItem, status: str, outcome: str, by: User | None, data: dict | None = None
) -> Decision:
    meeting = item.meeting
    decision = Decision.objects.filter(item=item).first()
    # The register follows the meeting's own calendar: a meeting on 1 January at 00:30 in
    # Luxembourg decides in the new year, although it is still 31 December in UTC.
    day = meeting.local_start.date()
    created = decision is None
    if decision is None:
        sequence, number = next_decision_number(meeting.body, day.year)
        decision = Decision(
            organisation=meeting.organisation,
            body=meeting.body,
            year=day.year,
            sequence=sequence,
            number=number,
            meeting=meeting,
            item=item,
            decided_on=day,
        )
    # The history keeps the outcome as data, read in each reader's language.
    before = {
        "status": None if created else decision.status,
        "outcome": decision.outcome_data or decision.outcome or None,
    }
    decision.text = item.draft_decision or item.title
    decision.status = status
    decision.public = item.public
    decision.outcome = outcome
    decision.outcome_data = data or {}
    decision.save()
    audit.record(
        by=by,
        action="create" if created else "update",
        obj=decision,
        changes=audit.diff(before, {"status": status, "outcome": data or outcome or None}),
        within=meeting.body,
    )
    return decision


def _require_meeting_day(meeting: Meeting, message: str) -> None:
    """Presence and votes are recorded on the meeting's day or after it, never before: a
    meeting held late is recorded after the fact, not in advance."""
    today = timezone.localdate(timezone.now(), meeting.local_start.tzinfo)
    if today < meeting.local_start.date():
        raise ValidationError(
            message % {"date": formats.date_format(meeting.local_start.date(), "DATE_FORMAT")}
        )


@dataclass(frozen=True)
class Count:
    """A vote as the body's rules count it, before it is stored."""

    method: str
    tally: rules.Tally
    ballots: dict[int, str] | None
    outcome: rules.Outcome
    data: dict[str, Any]


def _delegation_names(ids: list[int | None]) -> str:
    from secretariat.network.models import Partner

    names = {p.pk: str(p) for p in Partner.objects.filter(pk__in=[i for i in ids if i])}
    return ", ".join(names.get(i or 0, _("members without a delegation")) for i in ids)


def _count(
    item: AgendaItem,
    *,
    yes: Any,
    no: Any,
    abstain: Any,
    ballots: dict[int, str] | None,
    delegation_ballots: dict[int, str] | None,
    confirm_incomplete: bool,
) -> Count:
    meeting = item.meeting
    if item.kind not in VOTABLE:
        raise ValidationError(_("Only decision items and the approval of minutes are voted."))
    if meeting.state not in ON_THE_DAY:
        raise ValidationError(_("Votes are recorded once the meeting is convened."))
    _require_meeting_day(
        meeting, _("Votes can be recorded from the day of the meeting (%(date)s) onwards.")
    )
    stored = body_rules.rules_of(meeting.body)
    seats = attendance.seats_of(meeting)
    presence = presence_at(meeting, item)
    quorum_rule = body_rules.quorum_rule(stored)
    count = rules.quorum(quorum_rule, seats, presence)
    number = agenda.numbering(meeting.items.all())[item.pk]
    if not count.met:
        raise ValidationError(
            _(
                "The quorum is not met for item %(number)s: %(have)s of %(total)s counted, "
                "%(need)s required. The item cannot be put to the vote."
            )
            % {
                "number": number,
                "have": rules.figure(count.have),
                "total": rules.figure(count.total),
                "need": rules.figure(count.need),
            }
        )
    weighted = stored.weighted_votes
    counted = presence.counted(True) & {s.member for s in seats}
    capacity = sum(
        (s.weight if weighted else Fraction(1) for s in seats if s.member in counted), Fraction(0)
    )
    delegation_votes = None
    if delegation_ballots is not None:
        # A roll call per delegation: each delegation's choice is cast by all its members
        # present or represented.
        ballots = {
            seat.member: delegation_ballots[seat.delegation]
            for seat in seats
            if seat.delegation in delegation_ballots and seat.member in counted
        }
    if ballots is not None:
        unknown = [member for member in ballots if member not in counted]
        if unknown:
            raise ValidationError(_("Only members present or represented vote."))
        if any(choice not in Ballot.Choice.values for choice in ballots.values()):
            raise ValidationError(_("Each member votes for, against or abstains."))
        votes = [rules.Vote(member, choice) for member, choice in ballots.items()]
        if stored.delegation_block_vote:
            split = rules.split_delegations(seats, votes)
            if split:
                raise ValidationError(
                    ngettext(
                        "In this body each delegation votes as a block, but the members of "
                        "this delegation did not all vote alike: %(delegations)s.",
                        "In this body each delegation votes as a block, but the members of "
                        "these delegations did not all vote alike: %(delegations)s.",
                        len(split),
                    )
                    % {"delegations": _delegation_names(split)}
                )
            votes = rules.block_votes(seats, frozenset(counted), votes)
            ballots = {vote.member: vote.choice for vote in votes}
        if delegation_ballots is not None or stored.delegation_block_vote:
            silent = rules.silent_delegations(seats, presence, votes)
            if silent and not confirm_incomplete:
                raise ValidationError(
                    ngettext(
                        "This delegation is present but did not vote: %(delegations)s. If it "
                        "chose not to take part, confirm and record the vote.",
                        "These delegations are present but did not vote: %(delegations)s. If "
                        "they chose not to take part, confirm and record the vote.",
                        len(silent),
                    )
                    % {"delegations": _delegation_names(silent)},
                    code="incomplete",
                )
        tally = rules.tally(seats, votes, weighted=weighted)
        delegation_votes = rules.delegation_tally(seats, votes)
    else:
        if stored.delegation_block_vote:
            raise ValidationError(
                _(
                    "In this body each delegation votes as a block: record the vote per "
                    "delegation or by roll call."
                )
            )
        errors: Errors = {}
        values = []
        for name, raw in (("yes", yes), ("no", no), ("abstain", abstain)):
            try:
                value = Fraction(str(raw or 0))
            except (ValueError, ZeroDivisionError):
                add_error(errors, name, _("Enter a number."))
                value = Fraction(0)
            if value < 0:
                add_error(errors, name, _("Enter a number."))
            values.append(value)
        if errors:
            raise ValidationError(errors)
        tally = rules.Tally(*values)
        if stored.double_majority:
            raise ValidationError(_("A double majority is computed from a roll call per member."))
    cast = tally.yes + tally.no + tally.abstain
    if cast > capacity:
        raise ValidationError(
            ngettext(
                "%(votes)s votes are more than the %(capacity)s member present or represented.",
                "%(votes)s votes are more than the %(capacity)s members present or represented.",
                rules.plural(capacity),
            )
            % {"votes": rules.figure(cast), "capacity": rules.figure(capacity)}
        )
    majority = body_rules.majority_rule(stored, item.majority_kind)
    outcome = rules.decide(
        majority=majority,
        quorum_rule=quorum_rule,
        seats=seats,
        presence=presence,
        votes=tally,
        weighted=weighted,
        delegation_votes=delegation_votes,
    )
    return Count(
        method=Vote.Method.ROLL_CALL if ballots is not None else Vote.Method.COUNTS,
        tally=tally,
        ballots=ballots,
        outcome=outcome,
        data=rules.outcome_data(outcome, majority, quorum_rule),
    )


def _store(vote: Vote, count: Count, by: User | None) -> None:
    vote.method = count.method
    vote.yes = _number(count.tally.yes)
    vote.no = _number(count.tally.no)
    vote.abstain = _number(count.tally.abstain)
    vote.adopted = count.outcome.adopted
    vote.reason = count.outcome.reason
    vote.outcome_data = count.data
    vote.recorded_by = by
    vote.save()
    vote.ballots.all().delete()
    if count.ballots is not None:
        Ballot.objects.bulk_create(
            Ballot(vote=vote, invitation_id=m, choice=c) for m, c in count.ballots.items()
        )


def _figures(vote: Vote) -> dict[str, Any]:
    """A vote's figures and outcome as the history keeps them."""
    return {
        "for": str(vote.yes.normalize()),
        "against": str(vote.no.normalize()),
        "abstentions": str(vote.abstain.normalize()),
        "vote": vote.outcome_data or vote.reason,
    }


def _follow(item: AgendaItem, count: Count, by: User | None) -> None:
    """What the outcome means beyond the vote: the register, or the approval of minutes."""
    if item.kind == ItemKind.DECISION:
        _register(
            item,
            DecisionStatus.ADOPTED if count.outcome.adopted else DecisionStatus.REJECTED,
            count.outcome.reason,
            by,
            count.data,
        )
    elif item.approves is not None:
        approved = item.approves.state == MeetingState.MINUTES_APPROVED
        if count.outcome.adopted and not approved:
            minutes_approve(meeting=item.approves, at=item.meeting, by=by)
        elif approved and not count.outcome.adopted:
            minutes_approval_withdraw(meeting=item.approves, at=item.meeting, by=by)


def vote_record(
    *,
    item: AgendaItem,
    by: User | None,
    yes: Any = None,
    no: Any = None,
    abstain: Any = None,
    ballots: dict[int, str] | None = None,
    delegation_ballots: dict[int, str] | None = None,
    confirm_incomplete: bool = False,
) -> Vote:
    """Record the vote on an item (counts, a roll call ``{invitation id: choice}``, or a roll
    call per delegation ``{partner id: choice}``), compute the outcome from the body's rules
    and enter the decision in the register.

    An item is voted once: a second vote would silently overturn a registered decision, so a
    mistake is mended with ``vote_correct`` and its reason. A vote by delegations in which a
    delegation present did not vote is refused (code ``incomplete``) unless
    ``confirm_incomplete``."""
    count = _count(
        item,
        yes=yes,
        no=no,
        abstain=abstain,
        ballots=ballots,
        delegation_ballots=delegation_ballots,
        confirm_incomplete=confirm_incomplete,
    )
    with transaction.atomic():
        AgendaItem.objects.select_for_update().filter(pk=item.pk).first()  # one vote at a time
        if Vote.objects.filter(item=item).exists():
            number = agenda.numbering(item.meeting.items.all())[item.pk]
            raise ValidationError(
                _(
                    "Item %(number)s has already been put to the vote. To change the result, "
                    "correct the vote and give the reason."
                )
                % {"number": number},
                code="voted",
            )
        vote = Vote(organisation=item.organisation, item=item)
        _store(vote, count, by)
        audit.record(
            by=by,
            action="update",
            obj=item,
            changes={"vote": [None, count.data]},
            within=item.meeting,
        )
        _follow(item, count, by)
    return vote


def vote_correct(
    *,
    item: AgendaItem,
    by: User | None,
    reason: str,
    yes: Any = None,
    no: Any = None,
    abstain: Any = None,
    ballots: dict[int, str] | None = None,
    delegation_ballots: dict[int, str] | None = None,
    confirm_incomplete: bool = False,
) -> Vote:
    """Correct a recorded vote (a miscount, a ballot entered for the wrong member), with the
    reason. The decision keeps its number and follows the corrected outcome; the history keeps
    the former figures and outcome beside the new ones, and the reason."""
    reason = text_rules.normalise(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Say why the vote is corrected.")]})
    vote = Vote.objects.filter(item=item).first()
    if vote is None:
        raise ValidationError(_("This item has not been put to the vote yet: record its vote."))
    count = _count(
        item,
        yes=yes,
        no=no,
        abstain=abstain,
        ballots=ballots,
        delegation_ballots=delegation_ballots,
        confirm_incomplete=confirm_incomplete,
    )
    before = _figures(vote)
    with transaction.atomic():
        _store(vote, count, by)
        audit.record(
            by=by,
            action="update",
            obj=item,
            changes={**audit.diff(before, _figures(vote)), "correction": [None, reason]},
            within=item.meeting,
        )
        _follow(item, count, by)
    return vote


def item_set_status(*, item: AgendaItem, status: str, by: User | None) -> Decision:
    """Register a decision item as postponed or withdrawn."""
    if status not in (DecisionStatus.POSTPONED, DecisionStatus.WITHDRAWN):
        raise ValidationError(_("An item is postponed or withdrawn; adoption comes from a vote."))
    if item.kind != ItemKind.DECISION:
        raise ValidationError(_("Only decision items enter the register."))
    with transaction.atomic():
        return _register(item, status, "", by)


# Minutes ----------------------------------------------------------------------------------------


def minutes_snapshot(*, meeting: Meeting, by: User | None) -> MinutesVersion:
    """Keep the minutes as they are now, as a new version."""
    content = {str(i.pk): dict(i.minutes or {}) for i in agenda.ordered(meeting.items.all())}
    last = meeting.minutes_versions.aggregate(last=Max("number"))["last"] or 0
    return MinutesVersion.objects.create(
        organisation=meeting.organisation,
        meeting=meeting,
        number=last + 1,
        content=content,
        created_by=by,
    )


def minutes_approval_withdraw(*, meeting: Meeting, at: Meeting, by: User | None) -> None:
    """A corrected vote no longer approves the minutes: they are held again, unapproved."""
    with transaction.atomic():
        meeting.minutes_versions.filter(approved_at_meeting=at).update(approved_at_meeting=None)
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state"])
        audit.record(
            by=by,
            action="update",
            obj=meeting,
            changes={"state": [MeetingState.MINUTES_APPROVED, MeetingState.HELD]},
            within=meeting.body,
        )


def minutes_approve(*, meeting: Meeting, at: Meeting, by: User | None) -> MinutesVersion:
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("Only the minutes of a meeting that was held can be approved."))
    with transaction.atomic():
        version = minutes_snapshot(meeting=meeting, by=by)
        version.approved_at_meeting = at
        version.save(update_fields=["approved_at_meeting"])
        meeting.state = MeetingState.MINUTES_APPROVED
        meeting.save(update_fields=["state"])
        audit.record(
            by=by,
            action="update",
            obj=meeting,
            changes={"state": [MeetingState.HELD, MeetingState.MINUTES_APPROVED]},
            within=meeting.body,
        )
    return version


# Follow-up --------------------------------------------------------------------------------------

ACTION_FIELDS = ["title", "owner_person", "owner_partner", "due", "status", "progress", "note"]


def _action_apply(action: FollowUpAction, values: dict[str, Any]) -> Any:
    errors: Errors = {}
    for name in ("owner_person", "owner_partner"):
        if name in values:
            owner = values[name]
            if owner is not None and owner.organisation_id != action.organisation_id:
                add_error(errors, name, _("Choose one of this organisation's own records."))
            else:
                setattr(action, name, owner)
    if "due" in values:
        action.due = parse_date(errors, "due", values["due"])
    if "status" in values:
        if values["status"] not in ActionStatus.values:
            add_error(errors, "status", _("Unknown status."))
        else:
            action.status = values["status"]
    if "progress" in values:
        try:
            progress = int(values["progress"] or 0)
        except (TypeError, ValueError):
            progress = -1
        if not 0 <= progress <= 100:
            add_error(errors, "progress", _("Progress is a percentage from 0 to 100."))
        else:
            action.progress = progress
    if action.status == ActionStatus.DONE:
        action.progress = 100
    if "note" in values:
        action.note = text_rules.normalise(values["note"] or "")
    texts = stage_texts(errors, action, values, ["title"])
    if not action.title and "title" not in errors:
        add_error(errors, "title", _("Say what is to be done, in at least one language."))
    if not action.owner_person and not action.owner_partner and "owner_person" not in errors:
        add_error(errors, "owner_person", _("Give the action an owner: a person or a partner."))
    if errors:
        raise ValidationError(errors)
    return texts


def action_create(*, decision: Decision, by: User | None, **values: Any) -> FollowUpAction:
    action = FollowUpAction(organisation=decision.organisation, decision=decision)
    texts = _action_apply(action, values)
    save_created(action, by=by, fields=ACTION_FIELDS, texts=texts, within=decision)
    return action


def action_update(*, action: FollowUpAction, by: User | None, **values: Any) -> FollowUpAction:
    before = audit.snapshot(action, ACTION_FIELDS)
    texts = _action_apply(action, values)
    save_updated(
        action, by=by, fields=ACTION_FIELDS, before=before, texts=texts, within=action.decision
    )
    return action


def actions_due(*, organisation: Any, on: datetime.date) -> Any:
    return FollowUpAction.objects.filter(
        organisation=organisation,
        due__lte=on,
        status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
    ).select_related("decision", "owner_person", "owner_partner")
