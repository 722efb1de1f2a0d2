"""Reminders that go out without anyone pressing a button: to convened members who have not
answered as the meeting approaches, and to the owners of follow-up actions that fall due.
Run daily: ``secretariat reminders`` (e.g. from cron or a systemd timer)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from secretariat.core import text_rules
from secretariat.core.models import Organisation
from secretariat.governance import convocation
from secretariat.governance.models import ActionStatus, FollowUpAction, Meeting, MeetingState

DAYS_BEFORE = 7  # remind the unanswered a week ahead…
AGAIN_AFTER = datetime.timedelta(days=3)  # …and again three days later if still silent
ACTION_EVERY = datetime.timedelta(days=7)


@dataclass
class Sent:
    invitations: int = 0
    actions: int = 0


def remind_meetings(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    total = 0
    soon = Meeting.objects.filter(
        state=MeetingState.CONVENED,
        start__gt=now,
        start__lte=now + datetime.timedelta(days=DAYS_BEFORE),
    ).select_related("organisation", "body")
    for meeting in soon:
        waiting = meeting.invitations.filter(answer="").exclude(reminded_at__gt=now - AGAIN_AFTER)
        if waiting.exists():
            total += convocation.remind_unanswered(meeting=meeting, by=None, only=waiting, now=now)
    return total


def remind_actions(today: datetime.date | None = None) -> int:
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
                    "person": person,
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
        with transaction.atomic():
            message.send()
            FollowUpAction.objects.filter(pk=action.pk).update(reminded_on=today)
        sent += 1
    connection.close()
    return sent


def run(now: datetime.datetime | None = None) -> Sent:
    now = now or timezone.now()
    return Sent(invitations=remind_meetings(now), actions=remind_actions(timezone.localdate(now)))
