"""On the day and after: sign-in, live quorum per item, votes and their outcome, the numbered
register of decisions, minutes versions and the follow-up of decisions."""

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

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


def sign_in(*, invitation: Invitation, by: User | None, item: AgendaItem | None = None) -> None:
    """Record an arrival (at the start, or at an item)."""
    if invitation.meeting.state not in ON_THE_DAY:
        raise ValidationError(_("Sign-in opens once the meeting is convened."))
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


def leave(*, invitation: Invitation, by: User | None, item: AgendaItem | None = None) -> None:
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
    expected = attendance.presence_of(meeting)
    return rules.Presence(frozenset(inside), expected.proxies)


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
    day = meeting.start.date()
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
        )
    decision.text = item.draft_decision or item.title
    decision.status = status
    decision.public = item.public
    decision.decided_on = day
    decision.outcome = outcome
    decision.outcome_data = data or {}
    created = decision.pk is None
    decision.save()
    audit.record(
        by=by,
        action="create" if created else "update",
        obj=decision,
        changes={"status": [None, status], "outcome": [None, outcome]},
        within=meeting.body,
    )
    return decision


def vote_record(
    *,
    item: AgendaItem,
    by: User | None,
    yes: Any = None,
    no: Any = None,
    abstain: Any = None,
    ballots: dict[int, str] | None = None,
    delegation_ballots: dict[int, str] | None = None,
) -> Vote:
    """Record the vote on an item (counts, or a roll call ``{invitation id: choice}``), compute
    the outcome from the body's rules and enter the decision in the register."""
    meeting = item.meeting
    if item.kind not in VOTABLE:
        raise ValidationError(_("Only decision items and the approval of minutes are voted."))
    if meeting.state not in ON_THE_DAY:
        raise ValidationError(_("Votes are recorded once the meeting is convened."))
    stored = body_rules.rules_of(meeting.body)
    seats = attendance.seats_of(meeting)
    presence = presence_at(meeting, item)
    quorum_rule = body_rules.quorum_rule(stored)
    count = rules.quorum(quorum_rule, seats, presence)
    number = agenda.numbering(meeting.items.all())[item.pk]
    if not count.met:
        raise ValidationError(
            _(
                "The quorum is not met for item %(number)s: %(have)s of %(total)s present or represented, %(need)s required. The item cannot be voted."
            )
            % {"number": number, "have": count.have, "total": count.total, "need": count.need}
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
        tally = rules.tally(seats, votes, weighted=weighted)
        delegation_votes = rules.delegation_tally(seats, votes)
    else:
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
    if tally.yes + tally.no + tally.abstain > capacity:
        raise ValidationError(
            _("%(votes)s votes are more than the %(capacity)s members present or represented.")
            % {
                "votes": rules._number(tally.yes + tally.no + tally.abstain),
                "capacity": rules._number(capacity),
            }
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
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(
            item=item,
            defaults={
                "organisation": meeting.organisation,
                "method": Vote.Method.ROLL_CALL if ballots is not None else Vote.Method.COUNTS,
                "yes": _number(tally.yes),
                "no": _number(tally.no),
                "abstain": _number(tally.abstain),
                "adopted": outcome.adopted,
                "reason": outcome.reason,
                "outcome_data": rules.outcome_data(outcome, majority, quorum_rule),
                "recorded_by": by,
            },
        )
        vote.ballots.all().delete()
        if ballots is not None:
            Ballot.objects.bulk_create(
                Ballot(vote=vote, invitation_id=m, choice=c) for m, c in ballots.items()
            )
        audit.record(
            by=by,
            action="update",
            obj=item,
            changes={"vote": [None, outcome.reason]},
            within=meeting,
        )
        if item.kind == ItemKind.DECISION:
            _register(
                item,
                DecisionStatus.ADOPTED if outcome.adopted else DecisionStatus.REJECTED,
                outcome.reason,
                by,
                rules.outcome_data(outcome, majority, quorum_rule),
            )
        elif outcome.adopted and item.approves is not None:
            minutes_approve(meeting=item.approves, at=meeting, by=by)
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
