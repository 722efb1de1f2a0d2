"""Reminders that go out without anyone pressing a button: to convened members who have not
answered as the meeting approaches, to the owners of follow-up actions that fall due, and the
written procedures' deadlines. Run daily by ``secretariat daily`` (cron, a systemd timer).

One failure (a refused address, a server away) is logged and counted, and the others go on;
what failed is tried again on the next run."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import daily, mailer
from secretariat.core.models import MailStatus
from secretariat.core.reader import reading
from secretariat.governance import convocation
from secretariat.governance.models import (
    ActionReminder,
    ActionStatus,
    FollowUpAction,
    Meeting,
    MeetingState,
)
from secretariat.network.greetings import greeting

DAYS_BEFORE = 7  # remind the unanswered a week ahead…
AGAIN_AFTER = datetime.timedelta(days=3)  # …and again three days later if still silent
ACTION_EVERY = datetime.timedelta(days=7)


log = logging.getLogger(__name__)


@dataclass
class Sent:
    invitations: int = 0
    actions: int = 0
    procedures_closed: int = 0
    procedures_reminded: int = 0
    failures: list[str] = field(default_factory=list)


def remind_meetings(now: datetime.datetime | None = None, failures: list[str] | None = None) -> int:
    now = now or timezone.now()
    total = 0
    soon = Meeting.objects.filter(
        state=MeetingState.CONVENED,
        start__gt=now,
        start__lte=now + datetime.timedelta(days=DAYS_BEFORE),
    ).select_related("organisation", "body")
    for meeting in soon:
        waiting = meeting.invitations.filter(answer="").exclude(reminded_at__gt=now - AGAIN_AFTER)
        try:
            if waiting.exists():
                total += convocation.remind_unanswered(
                    meeting=meeting, by=None, only=waiting, now=now
                )
        except Exception as error:
            log.exception("reminders of meeting %s failed", meeting.pk)
            if failures is not None:
                failures.append(f"meeting {meeting.pk}: {error}")
    return total


def _queue_action_reminders(today: datetime.date) -> int:
    """A reminder for every due action whose owner has an address, was not reminded in the
    last week and has none waiting or being sent (a failed one is tried again instead)."""
    unsent = ActionReminder.objects.filter(
        Q(status__in=[MailStatus.QUEUED, MailStatus.SENDING])
        | Q(status=MailStatus.FAILED, attempts__lt=mailer.MAX_ATTEMPTS)
    )
    due = (
        FollowUpAction.objects.filter(
            due__lte=today,
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            owner_person__isnull=False,
        )
        .exclude(reminded_on__gt=today - ACTION_EVERY)
        .exclude(reminders__in=unsent)
        .select_related("owner_person")
        .prefetch_related("owner_person__emails")
    )
    new = []
    for action in due:
        assert action.owner_person is not None
        emails = [e.email for e in action.owner_person.emails.all()]
        if emails:
            new.append(
                ActionReminder(
                    organisation_id=action.organisation_id,
                    action=action,
                    day=today,
                    address=emails[0],
                )
            )
    # A second run on the same day finds them queued (action and day are unique).
    ActionReminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _render_action_reminder(reminder: ActionReminder) -> mail.EmailMessage:
    action = reminder.action
    person = action.owner_person
    assert person is not None
    organisation = action.organisation
    language = person.language_in(organisation.languages, organisation.default_language)
    with reading(organisation, language) as reader:
        subject = _("Follow-up due: %(action)s (%(number)s)") % {
            "action": reader.text(action.title),
            "number": action.decision.number,
        }
        body = render_to_string(
            "governance/mail/action_reminder.txt",
            {
                "greeting": greeting(person, language),
                "action": action,
                "title": reader.text(action.title),
                "decision": reader.text(action.decision.text),
                "body_name": reader.text(action.decision.body.name),
            },
        )
    return mailer.compose(subject=subject, text=body, to=reminder.address, language=language)


def remind_actions(today: datetime.date | None = None, failures: list[str] | None = None) -> int:
    """Remind the owners of the actions that fell due, weekly until done, through the mailer;
    a reminder that failed is tried again by the next run. Returns how many were sent."""
    today = today or timezone.localdate()
    _queue_action_reminders(today)

    def reminded(reminder: ActionReminder) -> None:
        FollowUpAction.objects.filter(pk=reminder.action_id).update(reminded_on=today)

    done = mailer.mail_send(
        records=ActionReminder.objects.filter(
            day__lte=today,
            action__status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            action__owner_person__isnull=False,
        ).select_related("action__decision__body", "action__organisation", "action__owner_person"),
        render=_render_action_reminder,
        on_sent=reminded,
    )
    if failures is not None:
        failures.extend(f"action {f.record.action_id} {f}" for f in done.failures)
    return done.sent


def run(now: datetime.datetime | None = None) -> Sent:
    from secretariat.governance import written

    now = now or timezone.now()
    sent = Sent()
    sent.invitations = remind_meetings(now, sent.failures)
    sent.actions = remind_actions(timezone.localdate(now), sent.failures)
    procedures = written.run_daily(now)
    sent.procedures_closed = procedures["closed"]
    sent.procedures_reminded = procedures["reminded"]
    sent.failures.extend(procedures["problems"])
    return sent


def daily_job() -> daily.Outcome:
    """Governance's part of ``secretariat daily`` (registered in ``GovernanceConfig.ready``)."""
    sent = run()
    return daily.Outcome(
        f"Reminders queued for {sent.invitations} members; {sent.actions} action owners "
        f"reminded; {sent.procedures_closed} written procedures closed and "
        f"{sent.procedures_reminded} members reminded of one.",
        sent.failures,
    )
