"""Decisions by written procedure (procédure écrite, Umlaufverfahren): launched to every voting
member in their language with at least the body's days to answer, answered through a personal
link, reminded before the deadline, closed at the deadline by the daily job (or earlier once
everyone has answered), its outcome sent to the members, then registered in the register of
decisions, dated at the close.

The body's rules choose the kind: a silence procedure adopts the draft unless a member objects
(one objection breaks the silence); a written vote decides by the body's majority among the
members who answered, who must reach the body's quorum."""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from secretariat.core import audit, mailer, text_notes, text_rules
from secretariat.core.models import MailStatus, User
from secretariat.core.reader import reading
from secretariat.core.scope import row_scope
from secretariat.core.validation import Errors, add_error, stage_texts
from secretariat.core.writes import save_created
from secretariat.governance import body_rules, decisions, rules
from secretariat.governance.models import (
    Body,
    Decision,
    DecisionStatus,
    Membership,
    MembershipRole,
    WrittenAnswer,
    WrittenMessage,
    WrittenProcedure,
)
from secretariat.network.greetings import greeting

log = logging.getLogger(__name__)
FIELDS = ["title", "draft_decision", "deadline", "kind", "state", "deadline_override_reason"]
# Members who have not answered are reminded once, this long before the deadline.
REMIND_BEFORE = datetime.timedelta(days=2)
OPEN = WrittenProcedure.State.OPEN
CLOSED = WrittenProcedure.State.CLOSED


def earliest_deadline(body: Body, now: datetime.datetime) -> datetime.date:
    """The first day a deadline may fall on: the body's days to answer after today."""
    days = body_rules.rules_of(body).written_days
    return timezone.localdate(now, body.organisation.tzinfo) + datetime.timedelta(days=days)


def procedure_launch(
    *,
    body: Body,
    by: User | None,
    title: dict[str, str],
    draft_decision: dict[str, str],
    deadline: datetime.datetime,
    may_override: bool = False,
    override_reason: str = "",
    now: datetime.datetime | None = None,
) -> WrittenProcedure:
    """Send the draft to every voting member. A deadline shorter than the body's days to answer
    is refused, unless ``may_override`` (an administrator) gives a reason, which is kept."""
    now = now or timezone.now()
    if timezone.is_naive(deadline):  # a time without its zone is the organisation's
        deadline = deadline.replace(tzinfo=body.organisation.tzinfo)
    stored = body_rules.rules_of(body)
    if not stored.written_procedure_allowed:
        raise ValidationError(
            _("The rules of this body do not provide for decisions by written procedure.")
        )
    errors: Errors = {}
    override_reason = text_rules.normalise(override_reason or "")
    procedure = WrittenProcedure(
        organisation=body.organisation,
        body=body,
        deadline=deadline,
        kind=stored.written_kind,
        created_by=by,
    )
    texts = stage_texts(
        errors,
        procedure,
        {"title": title, "draft_decision": draft_decision},
        ["title", "draft_decision"],
    )
    for name, values in (("title", procedure.title), ("draft_decision", procedure.draft_decision)):
        missing = [
            lang for lang in body.organisation.languages if not (values or {}).get(lang, "").strip()
        ]
        if missing and name not in errors:
            add_error(
                errors,
                name,
                _("Missing in %(languages)s: every working language is needed before launching.")
                % {"languages": ", ".join(m.upper() for m in missing)},
            )
    earliest = earliest_deadline(body, now)
    if deadline <= now:
        add_error(errors, "deadline", _("The deadline must be in the future."))
    elif timezone.localdate(deadline, body.organisation.tzinfo) < earliest:
        too_short = ngettext(
            "The rules of this body give the members %(days)s day to answer: the deadline "
            "falls on %(date)s or later.",
            "The rules of this body give the members %(days)s days to answer: the deadline "
            "falls on %(date)s or later.",
            stored.written_days,
        ) % {
            "days": stored.written_days,
            "date": formats.date_format(earliest, "DATE_FORMAT"),
        }
        if not may_override:
            add_error(
                errors, "deadline", too_short + " " + _("Only an administrator may shorten it.")
            )
        elif not override_reason:
            add_error(
                errors,
                "override_reason",
                too_short + " " + _("Give the reason for a shorter deadline."),
            )
        else:
            procedure.deadline_override_reason = override_reason
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate(now, body.organisation.tzinfo)
    members = (
        Membership.objects.filter(body=body, voting=True)
        .exclude(role=MembershipRole.SUBSTITUTE)
        .filter(Q(start__isnull=True) | Q(start__lte=today))
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("person")
        .prefetch_related("person__emails")
        .order_by("id")
    )
    organisation = body.organisation
    with transaction.atomic():
        save_created(procedure, by=by, fields=FIELDS, texts=texts, within=body)
        seen: set[int] = set()
        answers = []
        for membership in members:
            if membership.person_id in seen:
                continue
            seen.add(membership.person_id)
            emails = list(membership.person.emails.all())
            answers.append(
                WrittenAnswer(
                    procedure=procedure,
                    person=membership.person,
                    membership=membership,
                    language=membership.person.language_in(
                        organisation.languages, organisation.default_language
                    ),
                    address=emails[0].email if emails else "",
                )
            )
        WrittenAnswer.objects.bulk_create(answers)
        _queue(procedure, "launch")
        _send_later(procedure, "launch")
    return procedure


def _send_later(procedure: WrittenProcedure, kind: str) -> None:
    transaction.on_commit(lambda: send_procedure_mail.enqueue(procedure.pk, kind))


def answer_url(answer: WrittenAnswer) -> str:
    return settings.SITE_URL + reverse("written_answer", args=[answer.token])


# What each kind of message is sent to, and the answer's field that records it reached them.
MESSAGES: dict[str, tuple[str, Q]] = {
    "launch": ("sent_at", Q()),
    "reminder": ("reminded_at", Q(choice="")),
    "outcome": ("outcome_sent_at", Q()),
    # Only those the procedure reached are told it is withdrawn.
    "withdrawal": ("outcome_sent_at", Q(sent_at__isnull=False)),
}
# The messages that still make sense in each state: a launch or a reminder that could not go
# out before the close is not sent after it.
DUE: dict[str, tuple[str, ...]] = {
    OPEN: ("launch", "reminder"),
    CLOSED: ("outcome",),
    WrittenProcedure.State.CANCELLED: ("withdrawal",),
}


def _queue(procedure: WrittenProcedure, kind: str) -> int:
    """A message of ``kind`` to every member it is meant for and has not reached, once each
    (the unique constraint holds it); returns how many were queued."""
    marker, who = MESSAGES[kind]
    answers = (
        procedure.answers.filter(who, **{f"{marker}__isnull": True})
        .exclude(address="")
        .exclude(messages__kind=kind)
    )
    new = [
        WrittenMessage(
            organisation_id=procedure.organisation_id,
            answer=answer,
            kind=kind,
            address=answer.address,
        )
        for answer in answers
    ]
    WrittenMessage.objects.bulk_create(new)
    return len(new)


def deliver(*, procedure: WrittenProcedure, kind: str | None = None) -> tuple[int, int]:
    """Send the procedure's queued messages (of one ``kind``, or all) that its state still
    calls for, and retry those that failed, through the mailer: each marked on its own, so a
    refusal or a lost connection is recorded and the next run sends what is missing, never
    twice. Returns (sent, failed)."""
    organisation = procedure.organisation
    kinds = [k for k in DUE.get(procedure.state, ()) if kind is None or k == kind]
    notes: dict[str, list[str]] = {}  # per language: the readers' notes of its texts

    def render(message: WrittenMessage) -> mail.EmailMessage:
        answer = message.answer
        language = answer.language
        with reading(organisation, language) as reader:
            if language not in notes:
                found = text_notes.notes_for([procedure], language)
                notes[language] = list(dict.fromkeys(n.label() for n in found.values()))
            title = reader.text(procedure.title)
            deadline = timezone.localtime(procedure.deadline)
            subject = {
                "launch": _("Written procedure: %(title)s — answer by %(date)s"),
                "reminder": _("Reminder: %(title)s — answer by %(date)s"),
                "outcome": _("Outcome of the written procedure: %(title)s"),
                "withdrawal": _("Written procedure withdrawn: %(title)s"),
            }[message.kind] % {
                "title": title,
                "date": formats.date_format(deadline, "DATE_FORMAT"),
            }
            body = render_to_string(
                "governance/mail/written_procedure.txt",
                {
                    "kind": message.kind,
                    "greeting": greeting(answer.person, language),
                    "title": title,
                    "decision": reader.text(procedure.draft_decision),
                    "deadline": deadline,
                    "silence": procedure.kind == rules.WrittenKind.SILENCE,
                    "url": answer_url(answer),
                    "body_name": reader.text(procedure.body.name),
                    "notes": notes[language],
                    "outcome": rules.reason_or(procedure.outcome_data, procedure.outcome),
                    "adopted": bool(procedure.outcome_data.get("adopted")),
                },
            )
        return mailer.compose(subject=subject, text=body, to=message.address, language=language)

    def reached(message: WrittenMessage) -> None:
        # The answer keeps when the member was reached (pages, API) and the last error.
        answer = message.answer
        marker = MESSAGES[message.kind][0]
        setattr(answer, marker, message.sent_at)
        answer.error = ""
        answer.save(update_fields=[marker, "error"])

    def missed(message: WrittenMessage) -> None:
        message.answer.error = message.error
        message.answer.save(update_fields=["error"])

    done = mailer.mail_send(
        records=WrittenMessage.objects.filter(
            answer__procedure=procedure, kind__in=kinds
        ).select_related("answer__person"),
        render=render,
        on_sent=reached,
        on_failed=missed,
    )
    return done.sent, done.failed


# The task lives beside the services that queue it (see convocation.send_meeting_mail).
@task()
def send_procedure_mail(procedure_id: int, kind: str = "launch") -> dict[str, int]:
    with row_scope(WrittenProcedure, pk=procedure_id):
        procedure = WrittenProcedure.objects.select_related("organisation", "body").get(
            pk=procedure_id
        )
        sent, failed = deliver(procedure=procedure, kind=kind)
    return {"sent": sent, "failed": failed}


def procedure_answer(
    *,
    answer: WrittenAnswer,
    choice: str,
    by: User | None = None,
    now: datetime.datetime | None = None,
) -> WrittenAnswer:
    """A member's answer, through their personal link (``by`` None) or recorded by the
    secretariat when it came by letter or e-mail (``by`` the user who recorded it)."""
    now = now or timezone.now()
    procedure = answer.procedure
    if procedure.state != OPEN or now >= procedure.deadline:
        raise ValidationError(_("This written procedure is closed; answers are no longer taken."))
    if choice not in ("yes", "no", "abstain"):
        raise ValidationError(_("Choose whether you agree, object or abstain."))
    if choice == answer.choice:
        return answer
    with transaction.atomic():
        before = answer.choice
        answer.choice = choice
        answer.answered_at = now
        answer.save(update_fields=["choice", "answered_at"])
        audit.record(
            by=by,
            action="update",
            obj=procedure,
            changes={"answer": [f"{answer.person}: {before}", f"{answer.person}: {choice}"]},
            within=procedure.body,
        )
    return answer


def procedure_close(
    *, procedure: WrittenProcedure, by: User | None, now: datetime.datetime | None = None
) -> WrittenProcedure:
    """Count the answers once the deadline has passed (or once everyone answered) and send the
    outcome to the members. The procedure then waits to be registered."""
    now = now or timezone.now()
    if procedure.state != OPEN:
        raise ValidationError(_("This written procedure is already closed."))
    answers = list(procedure.answers.select_related("membership__partner"))
    if now < procedure.deadline and not all(a.choice for a in answers):
        raise ValidationError(_("The deadline has not passed and not every member has answered."))
    stored = body_rules.rules_of(procedure.body)
    seats = [
        rules.Seat(member=a.pk, delegation=a.membership.partner_id if a.membership else None)
        for a in answers
    ]
    _adopted, data = rules.written_outcome(
        rules.WrittenKind(procedure.kind),
        seats,
        {a.pk: a.choice for a in answers if a.choice},
        body_rules.majority_rule(stored),
        body_rules.quorum_rule(stored),
    )
    with transaction.atomic():
        # The daily job and a person may close it at the same moment: only one counts.
        if WrittenProcedure.objects.select_for_update().get(pk=procedure.pk).state != OPEN:
            raise ValidationError(_("This written procedure is already closed."))
        procedure.state = CLOSED
        # Closed by the daily job after the deadline, it closed at the deadline.
        procedure.closed_at = min(now, procedure.deadline)
        procedure.outcome_data = data
        procedure.outcome = rules.reason_from_data(data)
        procedure.save(update_fields=["state", "outcome", "outcome_data", "closed_at"])
        audit.record(
            by=by,
            action="update",
            obj=procedure,
            changes={"state": [OPEN, CLOSED], "outcome": [None, data]},
            within=procedure.body,
        )
        _queue(procedure, "outcome")
        _send_later(procedure, "outcome")
    return procedure


def procedure_withdraw(*, procedure: WrittenProcedure, by: User | None, reason: str) -> None:
    """Withdraw an open procedure (a draft that turned out wrong): nothing is decided, and
    the members it reached are told that no answer is needed any more."""
    reason = text_rules.normalise(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Say why the written procedure is withdrawn.")]})
    with transaction.atomic():
        if WrittenProcedure.objects.select_for_update().get(pk=procedure.pk).state != OPEN:
            raise ValidationError(_("Only an open written procedure can be withdrawn."))
        procedure.state = WrittenProcedure.State.CANCELLED
        procedure.closed_at = timezone.now()
        procedure.save(update_fields=["state", "closed_at"])
        audit.record(
            by=by,
            action="update",
            obj=procedure,
            changes={"state": [OPEN, procedure.state], "reason": [None, reason]},
            within=procedure.body,
        )
        _queue(procedure, "withdrawal")
        _send_later(procedure, "withdrawal")


def procedure_register(*, procedure: WrittenProcedure, by: User | None) -> Decision:
    """Enter a closed procedure's outcome in the register of decisions, numbered in the year of
    its close and dated at it."""
    if procedure.state != CLOSED:
        raise ValidationError(_("Only a closed written procedure is registered."))
    if procedure.decision_id:
        raise ValidationError(
            _("This written procedure is registered already as %(number)s.")
            % {"number": procedure.decision.number if procedure.decision else ""}
        )
    assert procedure.closed_at is not None
    day = timezone.localdate(procedure.closed_at, procedure.organisation.tzinfo)
    adopted = bool(procedure.outcome_data.get("adopted"))
    with transaction.atomic():
        # Two clicks, or two people: the second finds it registered.
        locked = WrittenProcedure.objects.select_for_update().get(pk=procedure.pk)
        if locked.decision_id:
            raise ValidationError(_("This written procedure is registered already."))
        sequence, number = decisions.next_decision_number(procedure.body, day.year)
        decision = Decision.objects.create(
            organisation=procedure.organisation,
            body=procedure.body,
            year=day.year,
            sequence=sequence,
            number=number,
            text=procedure.draft_decision or procedure.title,
            status=DecisionStatus.ADOPTED if adopted else DecisionStatus.REJECTED,
            decided_on=day,
            outcome=procedure.outcome,
            outcome_data=procedure.outcome_data,
            by_written_procedure=True,
        )
        procedure.decision = decision
        procedure.save(update_fields=["decision"])
        audit.record(
            by=by,
            action="create",
            obj=decision,
            changes={"status": [None, decision.status], "number": [None, number]},
            within=procedure.body,
        )
    return decision


def waits_to_be_registered(procedure: WrittenProcedure) -> bool:
    return procedure.state == CLOSED and procedure.decision_id is None


def run_daily(now: datetime.datetime | None = None) -> dict[str, Any]:
    """The daily job: close what reached its deadline, remind those who have not answered as
    the deadline nears, and send again what failed. Each procedure on its own: one failure is
    logged and the others go on."""
    now = now or timezone.now()
    closed = reminded = 0
    problems: list[str] = []
    for procedure in WrittenProcedure.objects.filter(state=OPEN, deadline__lte=now):
        try:
            procedure_close(procedure=procedure, by=None, now=now)
            closed += 1
        except Exception as error:
            log.exception("written procedure %s could not be closed", procedure.pk)
            problems.append(f"{procedure.pk}: {error}")
    due = WrittenProcedure.objects.filter(
        state=OPEN, deadline__gt=now, deadline__lte=now + REMIND_BEFORE
    ).select_related("organisation", "body")
    # Messages that failed earlier (a refusal, a server away) are tried again.
    still_due = Q()
    for state, kinds in DUE.items():
        still_due |= Q(state=state, answers__messages__kind__in=kinds)
    failed = WrittenProcedure.objects.filter(
        still_due,
        answers__messages__status=MailStatus.FAILED,
        answers__messages__attempts__lt=mailer.MAX_ATTEMPTS,
    ).distinct()
    for kind, procedures in (("reminder", due), ("again", failed)):
        for procedure in procedures:
            try:
                if kind == "reminder":
                    with transaction.atomic():
                        _queue(procedure, "reminder")
                    reminded += deliver(procedure=procedure, kind="reminder")[0]
                else:
                    deliver(procedure=procedure)
            except Exception as error:
                log.exception("written procedure %s: %s failed", procedure.pk, kind)
                problems.append(f"{procedure.pk}: {error}")
    return {"closed": closed, "reminded": reminded, "problems": problems}
