"""The one mailer (core/mailer.py) and the one reader (core/reader.py), through the senders that
use them, against a real SMTP server on loopback: one connection per run, a status per
recipient, failures recorded and retried, nothing sent twice however runs are stopped or
overlap, and every message in its reader's language."""

import datetime
import zoneinfo
from typing import Any

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from secretariat.core import history, mailer
from secretariat.core.models import AuditEntry
from secretariat.core.tokens import token_create
from secretariat.governance import agenda, body_rules, convocation, decisions, reminders, written
from secretariat.governance.models import (
    ActionReminder,
    Decision,
    Delivery,
    DeliveryStatus,
    ItemKind,
    WrittenMessage,
)
from tests import factories
from tests.governance.smtp import Mailbox

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")
LANGUAGES = ("fr", "de", "nl", "en")
TITLE = {
    "fr": "Assemblée générale",
    "de": "Mitgliederversammlung",
    "nl": "Algemene vergadering",
    "en": "General assembly",
}
ITEM = {"fr": "Budget", "de": "Haushalt", "nl": "Begroting", "en": "Budget plan"}
DRAFT = {
    "fr": "Le budget est adopté.",
    "de": "Der Haushalt wird beschlossen.",
    "nl": "De begroting wordt goedgekeurd.",
    "en": "The budget is adopted.",
}


@pytest.fixture
def network(db: Any, settings: Any) -> dict[str, Any]:
    """An organisation working in four languages, and a body with one member reading each."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    org = factories.organisation("four", languages=LANGUAGES)
    body = factories.body(
        org,
        name={"fr": "Bureau", "de": "Vorstand", "nl": "Bestuur", "en": "Board"},
    )
    people = {
        lang: factories.person(org, emails=[f"{lang}@members.example"], languages=[lang])
        for lang in LANGUAGES
    }
    for person in people.values():
        factories.membership(body, person)
    meeting = factories.meeting(
        body,
        title=TITLE,
        start=factories.days_ahead(50, 14),
        end=factories.days_ahead(50, 16),
    )
    agenda.item_add(
        meeting=meeting, by=None, title=ITEM, kind=ItemKind.DECISION, draft_decision=DRAFT
    )
    return {"org": org, "body": body, "people": people, "meeting": meeting}


def convene_queued(meeting: Any) -> None:
    """Convened with the worker away: the deliveries wait in the queue."""
    convocation.meeting_convene(meeting=meeting, by=None)


def test_a_convocation_goes_through_one_connection_and_a_refused_address_is_retried(
    network: Any, mailbox: Mailbox
) -> None:
    meeting = network["meeting"]
    convene_queued(meeting)
    mailbox.refuse = {"nl@members.example"}
    assert convocation.deliver_pending(meeting=meeting) == (3, 1)
    # One SMTP session for the whole run: the refusal did not cost the others a connection.
    assert mailbox.connections == 1
    assert sorted(m["To"] for m in mailbox.messages) == [
        "de@members.example",
        "en@members.example",
        "fr@members.example",
    ]
    refused = Delivery.objects.get(address="nl@members.example")
    assert refused.status == DeliveryStatus.FAILED and "550" in refused.error
    assert refused.attempts == 1 and refused.sent_at is None
    # The address accepts mail again: the next run sends it, and only it.
    mailbox.refuse = set()
    assert convocation.deliver_pending(meeting=meeting) == (1, 0)
    refused.refresh_from_db()
    assert (refused.status, refused.error, refused.attempts) == ("sent", "", 2)
    assert [m["To"] for m in mailbox.messages[3:]] == ["nl@members.example"]
    assert mailbox.connections == 2
    # Nothing left: a run opens no connection at all.
    assert convocation.deliver_pending(meeting=meeting) == (0, 0)
    assert mailbox.connections == 2 and len(mailbox.messages) == 4


def test_a_run_stopped_halfway_and_run_again_sends_every_member_once(
    network: Any, mailbox: Mailbox
) -> None:
    meeting = network["meeting"]
    convene_queued(meeting)
    items = agenda.ordered(meeting.items.all())
    rendered: list[str] = []

    def render_until_stopped(delivery: Delivery) -> Any:
        if len(rendered) == 2:
            raise KeyboardInterrupt  # the worker is stopped while it renders the third
        rendered.append(delivery.address)
        return convocation.render(delivery, items)

    with pytest.raises(KeyboardInterrupt):
        mailer.mail_send(
            records=Delivery.objects.filter(invitation__meeting=meeting),
            render=render_until_stopped,
        )
    assert len(mailbox.messages) == 2
    # The third was given back untouched: queued, not tried.
    statuses = dict(Delivery.objects.values_list("address", "status"))
    assert sorted(statuses.values()) == ["queued", "queued", "sent", "sent"]
    assert Delivery.objects.filter(status="queued", attempts=0).count() == 2
    # The next run sends the other two; the two already sent are not sent again.
    assert convocation.deliver_pending(meeting=meeting) == (2, 0)
    addresses = sorted(m["To"] for m in mailbox.messages)
    assert addresses == sorted(f"{lang}@members.example" for lang in LANGUAGES)
    assert convocation.deliver_pending(meeting=meeting) == (0, 0)
    assert len(mailbox.messages) == 4


def test_a_message_left_being_sent_by_a_dead_run_waits_then_goes_once(
    network: Any, mailbox: Mailbox, time_machine: Any
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    meeting = network["meeting"]
    convene_queued(meeting)
    # A run died during the SMTP dialogue of this message: whether it went out is unknown.
    Delivery.objects.filter(address="de@members.example").update(
        status=DeliveryStatus.SENDING, attempts=1, tried_at=timezone.now()
    )
    assert convocation.deliver_pending(meeting=meeting) == (3, 0)
    assert not mailbox.to("de@members.example")
    # The agenda stays frozen while a message may be on its way.
    with pytest.raises(ValidationError, match="being sent"):
        agenda.item_add(meeting=meeting, by=None, title=ITEM)
    time_machine.shift(mailer.STALE_AFTER + datetime.timedelta(seconds=1))
    assert convocation.deliver_pending(meeting=meeting) == (1, 0)
    assert len(mailbox.to("de@members.example")) == 1
    assert Delivery.objects.get(address="de@members.example").attempts == 2


def test_two_runs_at_once_never_send_a_message_twice(network: Any, mailbox: Mailbox) -> None:
    meeting = network["meeting"]
    convene_queued(meeting)
    items = agenda.ordered(meeting.items.all())
    deliveries = Delivery.objects.filter(invitation__meeting=meeting)
    second: list[mailer.Sending] = []

    def render_while_another_worker_runs(delivery: Delivery) -> Any:
        if not second:  # a second worker takes the same meeting while the first is at work
            second.append(
                mailer.mail_send(records=deliveries, render=lambda d: convocation.render(d, items))
            )
        return convocation.render(delivery, items)

    first = mailer.mail_send(records=deliveries, render=render_while_another_worker_runs)
    # The second run left the message the first was sending; the first skipped those the
    # second had sent.
    assert (first.sent, second[0].sent) == (1, 3)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(
        f"{lang}@members.example" for lang in LANGUAGES
    )
    assert set(deliveries.values_list("status", "attempts")) == {("sent", 1)}


def test_every_member_reads_the_convocation_in_their_language(
    network: Any, mailbox: Mailbox
) -> None:
    meeting = network["meeting"]
    convene_queued(meeting)
    convocation.deliver_pending(meeting=meeting)
    subjects = set()
    for lang in LANGUAGES:
        (message,) = mailbox.to(f"{lang}@members.example")
        with translation.override(lang):
            expected = _("Convocation: %(title)s, %(date)s") % {
                "title": TITLE[lang],
                "date": formats.date_format(meeting.local_start.date(), "DATE_FORMAT"),
            }
            when = _("When:")
            draft = _("Draft decision:")
        assert message["Subject"].strip() == expected
        assert message["Content-Language"] == lang
        assert message["Auto-Submitted"] == "auto-generated"
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"{ITEM[lang]} (" in text and f"{draft} {DRAFT[lang]}" in text
        assert when in text and "14:00" in text.split(when)[1].splitlines()[0]
        # The invitation is attached, in the member's language, with them as attendee.
        part = next(p for p in message.iter_attachments() if "calendar" in p.get_content_type())
        content = part.get_content()
        ics = icalendar.Calendar.from_ical(
            content if isinstance(content, str) else content.decode()
        )
        event = ics.walk("VEVENT")[0]
        assert ics["METHOD"] == "REQUEST" and str(event["SUMMARY"]) == TITLE[lang]
        assert str(event["ATTENDEE"]) == f"mailto:{lang}@members.example"
        subjects.add(message["Subject"].split(":")[0].strip())
    assert subjects == {"Convocation", "Einberufung", "Oproeping"}


def test_a_meeting_in_another_time_zone_reads_in_its_own(network: Any, mailbox: Mailbox) -> None:
    meeting = network["meeting"]
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    day = factories.days_ahead(50).date()
    agenda.meeting_update(
        meeting=meeting,
        by=None,
        timezone="Europe/Lisbon",
        start=datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=lisbon),
        end=datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=lisbon),
    )
    convene_queued(meeting)
    convocation.deliver_pending(meeting=meeting)
    text = mailbox.to("en@members.example")[0].get_body(preferencelist=("plain",)).get_content()
    line = next(line for line in text.splitlines() if line.startswith("When:"))
    assert "09:30" in line and "11:00" in line and "(Europe/Lisbon)" in line, line


def test_every_member_reads_a_written_procedure_and_an_action_reminder_in_their_language(
    network: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any, time_machine: Any
) -> None:
    time_machine.move_to(timezone.now())
    org, body = network["org"], network["body"]
    stored = body_rules.rules_of(body)
    stored.written_procedure_allowed, stored.written_days = True, 5
    stored.save()
    with django_capture_on_commit_callbacks(execute=True):
        procedure = written.procedure_launch(
            body=body,
            by=None,
            title=TITLE,
            draft_decision=DRAFT,
            deadline=timezone.now() + datetime.timedelta(days=8),
        )
    # Sent by the task the launch queued, one message per member, through one connection.
    assert mailbox.connections == 1
    assert set(WrittenMessage.objects.values_list("kind", "status")) == {("launch", "sent")}
    deadline = timezone.localtime(procedure.deadline, org.tzinfo)
    for lang in LANGUAGES:
        (message,) = mailbox.to(f"{lang}@members.example")
        with translation.override(lang):
            expected = _("Written procedure: %(title)s — answer by %(date)s") % {
                "title": TITLE[lang],
                "date": formats.date_format(deadline, "DATE_FORMAT"),
            }
        assert message["Subject"].strip() == expected and message["Content-Language"] == lang
        assert DRAFT[lang] in message.get_body(preferencelist=("plain",)).get_content()

    decision = Decision.objects.create(
        organisation=org,
        body=body,
        year=2026,
        sequence=1,
        number="B-2026-01",
        text=DRAFT,
        status="adopted",
        decided_on=timezone.localdate(),
    )
    for person in network["people"].values():
        decisions.action_create(
            decision=decision,
            by=None,
            title={"fr": "Publier", "de": "Veröffentlichen", "nl": "Publiceren", "en": "Publish"},
            owner_person=person,
            due=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert reminders.remind_actions(timezone.localdate()) == 4
    assert mailbox.connections == 2
    titles = {"fr": "Publier", "de": "Veröffentlichen", "nl": "Publiceren", "en": "Publish"}
    for lang in LANGUAGES:
        message = mailbox.to(f"{lang}@members.example")[-1]
        with translation.override(lang):
            expected = _("Follow-up due: %(action)s (%(number)s)") % {
                "action": titles[lang],
                "number": "B-2026-01",
            }
        assert message["Subject"].strip() == expected and message["Content-Language"] == lang
    assert set(ActionReminder.objects.values_list("status", flat=True)) == {"sent"}
    # Reminded this week: the next run queues nothing and opens no connection.
    assert reminders.remind_actions(timezone.localdate()) == 0
    assert mailbox.connections == 2


def test_staff_send_again_what_failed_too_often_and_the_history_says_so(
    network: Any, mailbox: Mailbox, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    org, meeting = network["org"], network["meeting"]
    convene_queued(meeting)
    mailbox.refuse = {"de@members.example", "nl@members.example"}
    for _run in range(mailer.MAX_ATTEMPTS):
        convocation.deliver_pending(meeting=meeting)
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    assert failed.count() == 2 and {d.attempts for d in failed} == {mailer.MAX_ATTEMPTS}
    # Past its attempts, a failed message waits for a person.
    mailbox.refuse = set()
    assert convocation.deliver_pending(meeting=meeting) == (0, 0)

    staff = factories.member_of(org, "staff")
    client.force_login(staff)
    page = reverse("meeting_detail", args=[org.slug, meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"action": "retry"})
    assert response.status_code == 302
    assert sorted(m["To"] for m in mailbox.messages[2:]) == [
        "de@members.example",
        "nl@members.example",
    ]
    assert not Delivery.objects.filter(status=DeliveryStatus.FAILED).exists()
    entry = AuditEntry.objects.filter(object_id=meeting.pk, changes__has_key="retry").get()
    assert entry.actor == staff and entry.changes["retry"] == [None, 2]
    with translation.override("en"):
        lines = [c.sentence for line in history.lines([entry]) for c in line.changes]
    assert "2 messages that had failed were sent again." in lines

    # Nothing failed any more: the API refuses to retry, and says why.
    secret = token_create(user=staff, name="t")[1]
    api = f"/api/v1/organisations/{org.slug}/meetings/{meeting.pk}/deliveries/retry"
    refused = client.post(api, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 422
    assert "nothing was sent again" in refused.content.decode()
    Delivery.objects.filter(address="fr@members.example").update(status="failed", error="x")
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(api, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert retried.status_code == 200 and retried.json() == {"queued": 1}
    assert len(mailbox.to("fr@members.example")) == 2
    assert AuditEntry.objects.filter(object_id=meeting.pk, changes__has_key="retry").count() == 2


def test_a_reminder_to_the_silent_is_recorded_in_the_meetings_history(
    network: Any, mailbox: Mailbox
) -> None:
    meeting = network["meeting"]
    convene_queued(meeting)
    assert convocation.remind_unanswered(meeting=meeting, by=None) == 4
    entry = AuditEntry.objects.get(object_id=meeting.pk, changes__has_key="reminder")
    with translation.override("en"):
        lines = [c.sentence for line in history.lines([entry]) for c in line.changes]
    assert "A reminder was sent to 4 members who had not answered." in lines


def test_a_written_procedures_failed_message_is_recorded_and_the_daily_job_sends_it(
    network: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any, time_machine: Any
) -> None:
    time_machine.move_to(timezone.now())
    body = network["body"]
    stored = body_rules.rules_of(body)
    stored.written_procedure_allowed, stored.written_days = True, 5
    stored.save()
    mailbox.refuse = {"nl@members.example"}
    with django_capture_on_commit_callbacks(execute=True):
        procedure = written.procedure_launch(
            body=body,
            by=None,
            title=TITLE,
            draft_decision=DRAFT,
            deadline=timezone.now() + datetime.timedelta(days=8),
        )
    missed = WrittenMessage.objects.get(address="nl@members.example")
    assert missed.status == "failed" and "550" in missed.error
    assert missed.answer.sent_at is None and "550" in missed.answer.error
    mailbox.refuse = set()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run()
    missed.refresh_from_db()
    assert missed.status == "sent" and missed.answer.sent_at == missed.sent_at
    assert len(mailbox.to("nl@members.example")) == 1 and len(mailbox.messages) == 4
    # Once closed, a launch that never went out is not sent any more.
    WrittenMessage.objects.filter(pk=missed.pk).update(status="failed")
    time_machine.move_to(procedure.deadline + datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run()
    # The outcome goes to all four; the launch that failed again is left alone.
    assert sorted(m["To"] for m in mailbox.messages[4:]) == sorted(
        f"{lang}@members.example" for lang in LANGUAGES
    )
    assert WrittenMessage.objects.get(pk=missed.pk).status == "failed"
    assert set(WrittenMessage.objects.filter(kind="outcome").values_list("status", flat=True)) == {
        "sent"
    }
