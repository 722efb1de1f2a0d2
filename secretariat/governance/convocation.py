"""Convening a meeting: who is convened, in which language, what they receive, and the delivery
of every message through the task queue with a log per recipient.

Messages are rendered at sending time in each recipient's language, from the meeting as it is;
while deliveries are queued the agenda and the meeting cannot change (``agenda.py``), so that
every member of one sending receives the same convocation.
"""

import datetime
from dataclasses import dataclass
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
from secretariat.core.models import User
from secretariat.core.reader import reading
from secretariat.core.scope import row_scope
from secretariat.core.writes import save_updated
from secretariat.governance import agenda, announcements, body_rules, calendar, rules
from secretariat.governance.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Invitation,
    ItemKind,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
)
from secretariat.network import greetings


def convocation_problems(meeting: Meeting) -> list[str]:
    """What must exist before the convocation may go out: an agenda, a place, and every text in
    every working language."""
    languages = meeting.organisation.languages
    problems = []

    def check(texts: dict[str, str] | None, what: str) -> None:
        missing = [lang for lang in languages if not (texts or {}).get(lang, "").strip()]
        if missing:
            problems.append(
                _("%(what)s is missing in %(languages)s.")
                % {"what": what, "languages": ", ".join(lang.upper() for lang in missing)}
            )

    check(meeting.title, _("The title of the meeting"))
    items = list(meeting.items.all())
    if not items:
        problems.append(_("The agenda is empty: add its items before convening the members."))
    numbers = agenda.numbering(items)
    for item in agenda.ordered(items):
        check(item.title, _("The title of item %(number)s") % {"number": numbers[item.pk]})
        if item.kind == ItemKind.DECISION:
            check(
                item.draft_decision,
                _("The draft decision of item %(number)s") % {"number": numbers[item.pk]},
            )
    if not (meeting.place or meeting.online_url):
        problems.append(_("The meeting has neither a place nor an online link."))
    return problems


@dataclass(frozen=True)
class Notice:
    met: bool
    send_by: datetime.date
    days: int
    counting: str


def notice_of(meeting: Meeting, today: datetime.date | None = None) -> Notice:
    stored = body_rules.rules_of(meeting.body)
    day = meeting.local_start.date()
    counting = rules.Counting(stored.notice_counting)
    today = today or timezone.localdate()
    return Notice(
        met=rules.notice_met(today, day, stored.notice_days, counting),
        send_by=rules.notice_deadline(day, stored.notice_days, counting),
        days=stored.notice_days,
        counting=stored.notice_counting,
    )


def convened_memberships(meeting: Meeting) -> list[Membership]:
    """The members on the day of the meeting, and their substitutes where the body allows."""
    day = meeting.local_start.date()
    current = (
        Membership.objects.filter(body=meeting.body)
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("person")
        .order_by("id")
    )
    allowed = body_rules.rules_of(meeting.body).substitutes_allowed
    return [m for m in current if allowed or m.role != MembershipRole.SUBSTITUTE]


def _queue(meeting: Meeting, kind: str) -> int:
    """A delivery for every invitation of this version of the meeting; never twice."""
    existing = set(
        Delivery.objects.filter(
            invitation__meeting=meeting, kind=kind, sequence=meeting.sequence
        ).values_list("invitation_id", flat=True)
    )
    new = [
        Delivery(
            organisation=meeting.organisation,
            invitation=invitation,
            kind=kind,
            sequence=meeting.sequence,
            address=(
                invitation.person.emails.all()[0].email if invitation.person.emails.all() else ""
            ),
            status=DeliveryStatus.QUEUED
            if invitation.person.emails.all()
            else DeliveryStatus.NO_ADDRESS,
        )
        for invitation in meeting.invitations.select_related("person").prefetch_related(
            "person__emails"
        )
        if invitation.pk not in existing
    ]
    Delivery.objects.bulk_create(new)
    return sum(1 for d in new if d.status == DeliveryStatus.QUEUED)


def _enqueue_sending(meeting: Meeting) -> None:
    transaction.on_commit(lambda: send_meeting_mail.enqueue(meeting.pk))


def meeting_convene(
    *,
    meeting: Meeting,
    by: User | None,
    may_override: bool = False,
    override_reason: str = "",
    deliver: bool = True,
    today: datetime.date | None = None,
) -> int:
    """Convene every member in their language; returns the number of messages queued.

    Refused while a working-language version is missing. After the notice deadline, refused
    unless ``may_override`` (an administrator) gives a reason, which is recorded. With
    ``deliver=False`` the convocation is recorded as sent by other means (post, an earlier
    tool): members are invited, no message is queued."""
    if meeting.state != MeetingState.PLANNED:
        raise ValidationError(_("Only a planned meeting can be convened."))
    problems = convocation_problems(meeting)
    if problems:
        raise ValidationError(problems)
    notice = notice_of(meeting, today)
    if not notice.met:
        message = ngettext(
            "The notice period of %(days)s day is no longer met: the convocation should have "
            "gone out by %(date)s.",
            "The notice period of %(days)s days is no longer met: the convocation should have "
            "gone out by %(date)s.",
            notice.days,
        ) % {"days": notice.days, "date": formats.date_format(notice.send_by, "DATE_FORMAT")}
        if not may_override:
            raise ValidationError(message + " " + _("Only an administrator may send it anyway."))
        if not override_reason.strip():
            raise ValidationError(message + " " + _("Give the reason for sending it anyway."))
    organisation = meeting.organisation
    with transaction.atomic():
        people: dict[int, Membership] = {}
        for membership in convened_memberships(meeting):
            people.setdefault(membership.person_id, membership)
        for person_id, membership in people.items():
            Invitation.objects.get_or_create(
                meeting=meeting,
                person_id=person_id,
                defaults={
                    "organisation": organisation,
                    "membership": membership,
                    "language": membership.person.language_in(
                        organisation.languages, organisation.default_language
                    ),
                },
            )
        meeting.state = MeetingState.CONVENED
        meeting.convened_at = timezone.now()
        meeting.notice_override_reason = (
            text_rules.normalise(override_reason) if not notice.met else ""
        )
        meeting.announced = {"state": announcements.visible_state(meeting), "changes": []}
        meeting.save(update_fields=["state", "convened_at", "notice_override_reason", "announced"])
        queued = _queue(meeting, DeliveryKind.CONVOCATION) if deliver else 0
        audit.record(
            by=by,
            action="update",
            obj=meeting,
            changes={
                "state": [MeetingState.PLANNED, MeetingState.CONVENED],
                "convocation": [None, f"{len(people)} members"],
                **({"notice_override_reason": [None, override_reason]} if not notice.met else {}),
            },
            within=meeting.body,
        )
        if deliver:
            _enqueue_sending(meeting)
    return queued


def pending_changes(meeting: Meeting) -> list[dict[str, Any]]:
    """What the members see differently since their last message (empty: nothing to send)."""
    if meeting.state != MeetingState.CONVENED:
        return []
    before = dict(meeting.announced.get("state") or {})
    return announcements.changes_between(before, announcements.visible_state(meeting))


def meeting_announce(*, meeting: Meeting, by: User | None) -> int:
    """Send the changes of a convened meeting to everyone convened, saying what changed.
    Refused when nothing a member sees has changed since their last message. (A cancellation
    or postponement is announced when it is decided: ``announce_cancellation``.)"""
    if not meeting.convened_at:
        raise ValidationError(_("This meeting has not been convened yet."))
    if meeting.state != MeetingState.CONVENED:
        raise ValidationError(_("Only the changes of a convened meeting are sent."))
    agenda._require_not_sending(meeting)
    changes = pending_changes(meeting)
    if not changes:
        raise ValidationError(
            _(
                "Nothing visible to the members has changed since the last message sent to them: nothing was sent."
            ),
            code="unchanged",
        )
    with transaction.atomic():
        told = (meeting.announced.get("state") or {}).get("sequence", -1)
        if meeting.sequence <= told:  # calendars take an update only with a higher sequence
            meeting.sequence = told + 1
        meeting.announced = {
            "state": announcements.visible_state(meeting),
            "changes": changes,
        }
        meeting.save(update_fields=["sequence", "announced"])
        queued = _queue(meeting, DeliveryKind.UPDATE)
        audit.record(
            by=by,
            action="update",
            obj=meeting,
            changes={DeliveryKind.UPDATE: [None, changes]},
            within=meeting.body,
        )
        _enqueue_sending(meeting)
    return queued


def announce_cancellation(*, meeting: Meeting, by: User | None) -> int:
    """Tell everyone convened that the meeting is cancelled or postponed (their calendars
    remove it); called by the service that cancels or postpones."""
    with transaction.atomic():
        queued = _queue(meeting, DeliveryKind.CANCELLATION)
        audit.record(
            by=by,
            action="update",
            obj=meeting,
            changes={DeliveryKind.CANCELLATION: [None, meeting.sequence]},
            within=meeting.body,
        )
        _enqueue_sending(meeting)
    return queued


def meeting_set_state(*, meeting: Meeting, state: str, by: User | None) -> Meeting:
    """Move a meeting along its states; cancelling or postponing a convened meeting tells its
    members (their calendars remove it)."""
    allowed = {
        MeetingState.PLANNED: {MeetingState.CANCELLED, MeetingState.POSTPONED},
        MeetingState.CONVENED: {MeetingState.HELD, MeetingState.CANCELLED, MeetingState.POSTPONED},
        MeetingState.POSTPONED: {MeetingState.PLANNED},
        MeetingState.HELD: set(),
    }
    if state not in allowed.get(MeetingState(meeting.state), set()):
        raise ValidationError(
            _("A meeting that is %(from)s cannot become %(to)s.")
            % {"from": meeting.get_state_display(), "to": MeetingState(state).label}
        )
    day = meeting.local_start.date()
    if (
        state == MeetingState.HELD
        and timezone.localdate(timezone.now(), meeting.local_start.tzinfo) < day
    ):
        raise ValidationError(
            _("A meeting can be marked as held from its day (%(date)s) onwards.")
            % {"date": formats.date_format(day, "DATE_FORMAT")}
        )
    before = audit.snapshot(meeting, agenda.MEETING_FIELDS)
    meeting.state = state
    with transaction.atomic():
        save_updated(
            meeting,
            by=by,
            fields=agenda.MEETING_FIELDS,
            before=before,
            texts=None,
            within=meeting.body,
        )
        if state in (MeetingState.CANCELLED, MeetingState.POSTPONED) and meeting.convened_at:
            Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1)
            meeting.sequence += 1
            # Everyone convened is told at once, whoever cancels (page, API).
            announce_cancellation(meeting=meeting, by=by)
    return meeting


def preview(meeting: Meeting, kind: str) -> list[dict[str, Any]]:
    """The message each language's members would receive now, with placeholders for the
    greeting and the personal link, and how many members read each language."""
    items = agenda.ordered(meeting.items.all())
    counts: dict[str, int] = {}
    for language in meeting.invitations.values_list("language", flat=True):
        counts[language] = counts.get(language, 0) + 1
    out = []
    for language in [lang for lang in meeting.organisation.languages if lang in counts]:
        changes = pending_changes(meeting) if kind == DeliveryKind.UPDATE else None
        prepared = prepare(meeting, kind, language, items, changes=changes)
        with reading(meeting.organisation, language):
            text = prepared.text.replace(GREETING, _("[the member's greeting]")).replace(
                URL, _("[the member's personal link]")
            )
        out.append(
            {
                "language": language,
                "members": counts[language],
                "subject": prepared.subject,
                "text": text,
            }
        )
    return out


def remind_unanswered(
    *, meeting: Meeting, by: User | None, only: Any = None, now: datetime.datetime | None = None
) -> int:
    """A reminder to those who have not answered yet (or to ``only`` those invitations),
    recorded in the meeting's history; returns how many are queued."""
    if meeting.state != MeetingState.CONVENED:
        return 0
    with transaction.atomic():
        waiting = (
            (only if only is not None else meeting.invitations.filter(answer=""))
            .select_related("person")
            .prefetch_related("person__emails")
        )
        new = []
        for invitation in waiting:
            emails = list(invitation.person.emails.all())
            if not emails:
                continue
            number = Delivery.objects.filter(
                invitation=invitation, kind=DeliveryKind.REMINDER
            ).count()
            new.append(
                Delivery(
                    organisation=meeting.organisation,
                    invitation=invitation,
                    kind=DeliveryKind.REMINDER,
                    sequence=number + 1,
                    address=emails[0].email,
                )
            )
        Delivery.objects.bulk_create(new)
        meeting.invitations.filter(pk__in=[d.invitation_id for d in new]).update(
            reminded_at=now or timezone.now()
        )
        if new:
            audit.record(
                by=by,
                action="update",
                obj=meeting,
                changes={DeliveryKind.REMINDER: [None, len(new)]},
                within=meeting.body,
            )
        _enqueue_sending(meeting)
    return len(new)


# Rendering --------------------------------------------------------------------------------------


def personal_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation", args=[invitation.token])


GREETING = "\x00greeting\x00"
URL = "\x00url\x00"


@dataclass(frozen=True)
class Prepared:
    """What every recipient of one language gets for one version of the meeting; the greeting,
    the personal link and the attendee are put in per recipient."""

    subject: str
    text: str
    ics: bytes
    method: str


def _fold(line: str) -> bytes:
    """An iCalendar content line folded at 75 octets (RFC 5545, 3.1)."""
    data = line.encode()
    parts: list[bytes] = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
    parts.append(data)
    return b"\r\n ".join(parts) + b"\r\n"


def prepare(
    meeting: Meeting,
    kind: str,
    language: str,
    items: list[Any],
    changes: list[dict[str, Any]] | None = None,
) -> Prepared:
    """One language's message for one version of the meeting; an update says what changed
    (``changes``, else those recorded when it was announced)."""
    numbers = agenda.numbering(items)
    organisation = meeting.organisation
    if kind == DeliveryKind.UPDATE and changes is None:
        changes = meeting.announced.get("changes") or []
    change_lines = announcements.change_lines(
        changes or [], language, organisation.languages, organisation.default_language
    )
    notes = text_notes.notes_for([meeting, *items], language)

    def note(obj: Any, *fields: str) -> str:
        found = [notes.get((obj._meta.label_lower, obj.pk, name)) for name in fields]
        return next((n.label() for n in found if n is not None), "")

    # Times read in the meeting's own zone, which the message names.
    with reading(organisation, language, zone=meeting.timezone) as reader:
        title = reader.text(meeting.title)
        start = timezone.localtime(meeting.start)
        context: dict[str, Any] = {
            "greeting": GREETING,
            "meeting": meeting,
            "title": title,
            "title_note": note(meeting, "title"),
            "body": reader.text(meeting.body.name),
            "organisation": reader.text(organisation.name),
            "start": start,
            "end": timezone.localtime(meeting.end),
            "items": [
                {
                    "number": numbers[item.pk],
                    "title": reader.text(item.title),
                    "kind": item.get_kind_display(),
                    "sub": item.parent_id is not None,
                    "note": note(item, "title", "draft_decision"),
                    "draft_decision": reader.text(item.draft_decision)
                    if item.kind == ItemKind.DECISION
                    else "",
                }
                for item in items
            ],
            "url": URL,
            "kind": kind,
            "changes": change_lines if kind == DeliveryKind.UPDATE else [],
        }
        subjects = {
            DeliveryKind.CONVOCATION: _("Convocation: %(title)s, %(date)s"),
            DeliveryKind.UPDATE: _("Changed: %(title)s, %(date)s"),
            DeliveryKind.CANCELLATION: _("Cancelled: %(title)s, %(date)s"),
            DeliveryKind.REMINDER: _("Reminder: %(title)s, %(date)s — please answer"),
        }
        subject = subjects[DeliveryKind(kind)] % {
            "title": title,
            "date": formats.date_format(start.date(), "DATE_FORMAT"),
        }
        text = render_to_string("governance/mail/convocation.txt", context)
        agenda_text = "\n".join(f"{i['number']}. {i['title']}" for i in context["items"])
    method = "CANCEL" if kind == DeliveryKind.CANCELLATION else "REQUEST"
    event = calendar.meeting_event(meeting, summary=title, description=agenda_text)
    return Prepared(subject, text, calendar.calendar_of([event], method=method), method)


def render(
    delivery: Delivery,
    items: list[Any] | None = None,
    cache: dict[tuple[str, str, int], Prepared] | None = None,
) -> mail.EmailMessage:
    """The message of one delivery, in its recipient's language, with the calendar attached."""
    invitation = delivery.invitation
    meeting = invitation.meeting
    language = invitation.language
    key = (language, delivery.kind, meeting.sequence)
    prepared = cache.get(key) if cache is not None else None
    if prepared is None:
        items = items if items is not None else agenda.ordered(meeting.items.all())
        prepared = prepare(meeting, delivery.kind, language, items)
        if cache is not None:
            cache[key] = prepared
    greeting = greetings.greeting(invitation.person, language)
    url = personal_url(invitation)
    personal = _fold(f"URL:{url}")
    if delivery.address:
        personal += _fold(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{delivery.address}")
    ics = prepared.ics.replace(b"END:VEVENT\r\n", personal + b"END:VEVENT\r\n", 1)
    return mailer.compose(
        subject=prepared.subject,
        text=prepared.text.replace(GREETING, greeting).replace(URL, url),
        to=delivery.address,
        language=language,
        attachments=[
            ("invite.ics", ics, f"text/calendar; charset=utf-8; method={prepared.method}")
        ],
    )


# Delivery ---------------------------------------------------------------------------------------


def deliver_pending(*, meeting: Meeting, batch: int = mailer.BATCH) -> tuple[int, int]:
    """Send what is queued (and retry what failed) for a meeting, through the mailer: one SMTP
    connection, each delivery marked sent or failed on its own, so that a connection lost
    halfway costs nobody a duplicate. Returns (sent, failed)."""
    items = agenda.ordered(meeting.items.all())
    cache: dict[tuple[str, str, int], Prepared] = {}
    deliveries = Delivery.objects.filter(invitation__meeting=meeting).select_related(
        "invitation__person", "invitation__meeting__body", "invitation__meeting__organisation"
    )
    done = mailer.mail_send(
        records=deliveries,
        render=lambda delivery: render(delivery, items, cache),
        batch=batch,
    )
    return done.sent, done.failed


def deliveries_retry(*, meeting: Meeting, by: User | None) -> int:
    """Send again the meeting's messages that failed, however often they were tried (staff
    asks once the address or the server is mended); returns how many are queued again.
    Refused when none failed."""
    failed = Delivery.objects.filter(invitation__meeting=meeting, status=DeliveryStatus.FAILED)
    with transaction.atomic():
        queued = mailer.requeue_failed(records=failed)
        if not queued:
            raise ValidationError(_("No message of this meeting failed: nothing was sent again."))
        audit.record(
            by=by,
            action="update",
            obj=meeting,
            changes={"retry": [None, queued]},
            within=meeting.body,
        )
        _enqueue_sending(meeting)
    return queued


# The task lives beside the services that queue it: a task module that imported them back
# would close an import cycle.
@task()
def send_meeting_mail(meeting_id: int) -> dict[str, int]:
    with row_scope(Meeting, pk=meeting_id):
        meeting = Meeting.objects.select_related("organisation", "body").get(pk=meeting_id)
        sent, failed = deliver_pending(meeting=meeting)
    return {"sent": sent, "failed": failed}
