"""Reminders that go out without anyone pressing a button: to convened members who have not
answered as the meeting approaches, to the owners of follow-up actions that fall due, and the
written procedures' deadlines. Run daily by ``secretariat daily`` (cron, a systemd timer).

One failure (a refused address, a server away) is logged and counted, and the others go on;
what failed is tried again on the next run."""

import contextlib
import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from secretariat.core import daily, text_rules
from secretariat.core.models import Organisation
from secretariat.governance import convocation
from secretariat.governance.models import ActionStatus, FollowUpAction, Meeting, MeetingState
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


def remind_actions(today: datetime.date | None = None, failures: list[str] | None = None) -> int:
    today = today or timezone.localdate()
    due = (
        FollowUpAction.objects.filter(
            due__lte=today,
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            owner_person__isnull=False,
        )
        .exclude(reminded_on__gt=today - ACTION_EVERY)
        .select_related("decision__body", "organisation", "owner_person")
        .prefetch_related("owner_person__emails")
    )
    sent = 0
    connection = mail.get_connection()
    for action in due:
        person = action.owner_person
        assert person is not None
        emails = [e.email for e in person.emails.all()]
        if not emails:
            continue
        organisation = action.organisation
        language = person.language_in(organisation.languages, organisation.default_language)

        def pick(
            texts: dict[str, str] | None, lang: str = language, org: Organisation = organisation
        ) -> str:
            return text_rules.pick(texts, lang, org.languages, org.default_language).text

        with translation.override(language):
            subject = _("Follow-up due: %(action)s (%(number)s)") % {
                "action": pick(action.title),
                "number": action.decision.number,
            }
            body = render_to_string(
                "governance/mail/action_reminder.txt",
                {
                    "greeting": greeting(person, language),
                    "action": action,
                    "title": pick(action.title),
                    "decision": pick(action.decision.text),
                    "body_name": pick(action.decision.body.name),
                },
            )
        message = mail.EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [emails[0]],
            connection=connection,
            headers={"Content-Language": language},
        )
        try:
            # Sent first, then marked: a transaction open during the SMTP dialogue would hold
            # the embedded database's write lock for as long.
            message.send()
            FollowUpAction.objects.filter(pk=action.pk).update(reminded_on=today)
        except Exception as error:  # not marked reminded: tried again on the next run
            log.warning("reminder of action %s to %s failed: %s", action.pk, emails[0], error)
            if failures is not None:
                failures.append(f"action {action.pk} <{emails[0]}>: {error}")
            with contextlib.suppress(Exception):
                connection.close()
            connection = mail.get_connection()
            continue
        sent += 1
    with contextlib.suppress(Exception):
        connection.close()
    return sent


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
