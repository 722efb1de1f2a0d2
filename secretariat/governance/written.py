"""Decisions by written procedure: launched to every voting member in their language, answered
through a personal link by a deadline, closed into the register of decisions."""

import contextlib
import datetime
import logging
from fractions import Fraction

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from secretariat.core import audit, text_notes, text_rules
from secretariat.core.models import User
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
    WrittenProcedure,
)

log = logging.getLogger(__name__)
FIELDS = ["title", "draft_decision", "deadline", "silence_is_consent", "state"]


def procedure_launch(
    *,
    body: Body,
    by: User | None,
    title: dict[str, str],
    draft_decision: dict[str, str],
    deadline: datetime.datetime,
    now: datetime.datetime | None = None,
) -> WrittenProcedure:
    now = now or timezone.now()
    stored = body_rules.rules_of(body)
    if not stored.written_procedure_allowed:
        raise ValidationError(
            _("The rules of this body do not provide for decisions by written procedure.")
        )
    errors: Errors = {}
    procedure = WrittenProcedure(
        organisation=body.organisation,
        body=body,
        deadline=deadline,
        silence_is_consent=stored.written_silence_is_consent,
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
    if deadline <= now:
        add_error(errors, "deadline", _("The deadline must be in the future."))
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate(now)
    members = (
        Membership.objects.filter(body=body, voting=True)
        .exclude(role=MembershipRole.SUBSTITUTE)
        .filter(Q(start__isnull=True) | Q(start__lte=today))
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("person")
        .prefetch_related("person__emails")
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
        from secretariat.governance.tasks import send_procedure_mail

        transaction.on_commit(lambda: send_procedure_mail.enqueue(procedure.pk))
    return procedure


def answer_url(answer: WrittenAnswer) -> str:
    return settings.SITE_URL + reverse("written_answer", args=[answer.token])


def deliver(*, procedure: WrittenProcedure) -> tuple[int, int]:
    """Send the procedure to every member not yet reached, each marked on its own."""
    organisation = procedure.organisation
    sent = failed = 0
    connection = mail.get_connection()
    notes: dict[str, list[str]] = {}  # per language: the readers' notes of its texts
    for answer in (
        procedure.answers.filter(sent_at__isnull=True).exclude(address="").select_related("person")
    ):
        language = answer.language

        def pick(texts: dict[str, str] | None, lang: str = language) -> str:
            return text_rules.pick(
                texts, lang, organisation.languages, organisation.default_language
            ).text

        with translation.override(language):
            if language not in notes:
                found = text_notes.notes_for([procedure], language)
                notes[language] = list(dict.fromkeys(n.label() for n in found.values()))
            title = pick(procedure.title)
            subject = _("Written procedure: %(title)s — answer by %(date)s") % {
                "title": title,
                "date": formats.date_format(timezone.localtime(procedure.deadline), "DATE_FORMAT"),
            }
            body = render_to_string(
                "governance/mail/written_procedure.txt",
                {
                    "person": answer.person,
                    "title": title,
                    "decision": pick(procedure.draft_decision),
                    "deadline": timezone.localtime(procedure.deadline),
                    "silence": procedure.silence_is_consent,
                    "url": answer_url(answer),
                    "body_name": pick(procedure.body.name),
                    "notes": notes[language],
                },
            )
        try:
            mail.EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [answer.address],
                connection=connection,
                headers={"Content-Language": language},
            ).send()
        except Exception as error:  # refused, lost connection: recorded, retried next time
            log.warning(
                "written procedure %s to %s failed: %s", procedure.pk, answer.address, error
            )
            answer.error = f"{type(error).__name__}: {error}"[:1000]
            answer.save(update_fields=["error"])
            failed += 1
            with contextlib.suppress(Exception):
                connection.close()
            connection = mail.get_connection()
            continue
        answer.sent_at = timezone.now()
        answer.error = ""
        answer.save(update_fields=["sent_at", "error"])
        sent += 1
    with contextlib.suppress(Exception):
        connection.close()
    return sent, failed


def procedure_answer(
    *, answer: WrittenAnswer, choice: str, now: datetime.datetime | None = None
) -> WrittenAnswer:
    now = now or timezone.now()
    procedure = answer.procedure
    if procedure.state != WrittenProcedure.State.OPEN or now >= procedure.deadline:
        raise ValidationError(_("This written procedure is closed; answers are no longer taken."))
    if choice not in ("yes", "no", "abstain"):
        raise ValidationError(_("Choose whether you agree, object or abstain."))
    with transaction.atomic():
        before = answer.choice
        answer.choice = choice
        answer.answered_at = now
        answer.save(update_fields=["choice", "answered_at"])
        audit.record(
            by=None,
            action="update",
            obj=procedure,
            changes={"answer": [f"{answer.person}: {before}", f"{answer.person}: {choice}"]},
            within=procedure.body,
        )
    return answer


def procedure_close(
    *, procedure: WrittenProcedure, by: User | None, now: datetime.datetime | None = None
) -> Decision:
    """After the deadline (or once everyone answered): count, with the silence rule, and enter
    the outcome in the register."""
    now = now or timezone.now()
    if procedure.state != WrittenProcedure.State.OPEN:
        raise ValidationError(_("This written procedure is already closed."))
    answers = list(procedure.answers.select_related("membership__partner"))
    everyone = all(a.choice for a in answers)
    if now < procedure.deadline and not everyone:
        raise ValidationError(_("The deadline has not passed and not every member has answered."))
    stored = body_rules.rules_of(procedure.body)
    written = rules.WrittenProcedure(
        deadline=min(now, procedure.deadline), silence_is_consent=procedure.silence_is_consent
    )
    members = [a.pk for a in answers]
    tally = rules.written_tally(
        written,
        members,
        {a.pk: a.choice for a in answers if a.choice},
        now=max(now, procedure.deadline),
    )
    assert tally is not None
    seats = [
        rules.Seat(member=a.pk, delegation=a.membership.partner_id if a.membership else None)
        for a in answers
    ]
    # Every member was consulted: the quorum of a written procedure is the whole body.
    majority = body_rules.majority_rule(stored)
    everyone_consulted = rules.QuorumRule(share=Fraction(0), strict=False)
    outcome = rules.decide(
        majority=majority,
        quorum_rule=everyone_consulted,
        seats=seats,
        presence=rules.Presence(frozenset(members)),
        votes=tally,
    )
    with transaction.atomic():
        day = timezone.localdate(now)
        sequence, number = decisions.next_decision_number(procedure.body, day.year)
        decision = Decision.objects.create(
            organisation=procedure.organisation,
            body=procedure.body,
            year=day.year,
            sequence=sequence,
            number=number,
            text=procedure.draft_decision or procedure.title,
            status=DecisionStatus.ADOPTED if outcome.adopted else DecisionStatus.REJECTED,
            decided_on=day,
            outcome=outcome.reason,
            outcome_data=rules.outcome_data(outcome, majority, everyone_consulted),
            by_written_procedure=True,
        )
        procedure.state = WrittenProcedure.State.CLOSED
        procedure.decision = decision
        procedure.outcome = outcome.reason
        procedure.outcome_data = rules.outcome_data(outcome, majority, everyone_consulted)
        procedure.closed_at = now
        procedure.save(update_fields=["state", "decision", "outcome", "outcome_data", "closed_at"])
        audit.record(
            by=by,
            action="update",
            obj=procedure,
            changes={"state": ["open", "closed"], "outcome": [None, outcome.reason]},
            within=procedure.body,
        )
        audit.record(
            by=by,
            action="create",
            obj=decision,
            changes={"status": [None, decision.status]},
            within=procedure.body,
        )
    return decision
