"""End to end: a convocation through a real SMTP server on loopback, each member in their own
language, with an iCalendar invitation that parses back; updates, cancellation, SMTP faults."""

import datetime
import zoneinfo
from typing import Any

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from secretariat.governance import agenda, attendance, convocation
from secretariat.governance.models import (
    Delivery,
    DeliveryStatus,
    Invitation,
    ItemKind,
    MeetingState,
)
from tests import factories
from tests.governance.smtp import Mailbox

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")
# The meetings of these tests are on fixed days; the clock is set a few weeks before them.
pytestmark = pytest.mark.time_machine(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LU))


@pytest.fixture
def assembly(org: Any) -> dict[str, Any]:
    body = factories.body(org, name={"fr": "Assemblée générale", "de": "Mitgliederversammlung"})
    metz, trier = (
        factories.partner(org, country="FR", subdivision="FR-57"),
        factories.partner(org, country="DE", subdivision="DE-RP"),
    )
    claire = factories.person(
        org,
        given_name="Claire",
        family_name="Weber",
        emails=["claire@metz.example"],
        languages=["fr", "de"],
        salutation={"fr": "Madame la Maire", "de": "Sehr geehrte Frau Bürgermeisterin"},
    )
    jonas = factories.person(
        org,
        given_name="Jonas",
        family_name="Becker",
        emails=["jonas@trier.example"],
        languages=["de", "fr"],
        salutation={"de": "Herr"},
    )
    anne = factories.person(
        org,
        given_name="Anne",
        family_name="Schmit",
        emails=["anne@vdl.example"],
        languages=["lb", "de", "fr"],
    )
    paper = factories.person(
        org, given_name="Paul", family_name="Papier", emails=[], languages=["fr"]
    )
    for person, partner in [(claire, metz), (jonas, trier), (anne, trier), (paper, metz)]:
        factories.membership(body, person, partner=partner)
    meeting = factories.meeting(
        body,
        title={"fr": "Assemblée générale d'automne", "de": "Herbst-Mitgliederversammlung"},
        start=datetime.datetime(2026, 12, 10, 14, 0, tzinfo=LU),
        end=datetime.datetime(2026, 12, 10, 17, 0, tzinfo=LU),
    )
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Ouverture", "de": "Eröffnung"})
    agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget 2027", "de": "Haushalt 2027"},
        draft_decision={
            "fr": "L'Assemblée adopte le budget 2027.",
            "de": "Die Versammlung beschließt den Haushalt 2027.",
        },
    )
    return {
        "body": body,
        "meeting": meeting,
        "claire": claire,
        "jonas": jonas,
        "anne": anne,
        "paper": paper,
    }


def convene(meeting: Any, capture: Any, **kwargs: Any) -> int:
    with capture(execute=True):
        return convocation.meeting_convene(meeting=meeting, by=None, **kwargs)


def calendar_of(message: Any) -> icalendar.Calendar:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(
        part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode()
    )


def test_each_member_is_convened_in_their_language_with_a_calendar_invitation(
    mailbox: Mailbox, assembly: Any, django_capture_on_commit_callbacks: Any, freezer: Any = None
) -> None:
    meeting = assembly["meeting"]
    queued = convene(meeting, django_capture_on_commit_callbacks)
    assert queued == 3
    assert len(mailbox.messages) == 3
    french = mailbox.to("claire@metz.example")[0]
    german = mailbox.to("jonas@trier.example")[0]
    luxembourgish_reader = mailbox.to("anne@vdl.example")[0]
    with translation.override("fr"):
        expected = _("Convocation: %(title)s, %(date)s") % {
            "title": "Assemblée générale d'automne",
            "date": "10 décembre 2026",
        }
    assert french["Content-Language"] == "fr" and french["Subject"].strip() == expected
    assert german["Content-Language"] == "de" and german["Subject"].strip().startswith(
        "Einberufung"
    )
    assert (
        "Herbst-Mitgliederversammlung" in german["Subject"]
        and "10. Dezember 2026" in german["Subject"]
    )
    assert (
        luxembourgish_reader["Content-Language"] == "de"
    )  # lb is not a working language; de comes next
    body = french.get_body(preferencelist=("plain",)).get_content()
    assert (
        "Madame la Maire," in body
        and "Budget 2027" in body
        and "L'Assemblée adopte le budget 2027." in body
    )
    german_text = german.get_body(preferencelist=("plain",)).get_content()
    assert "Haushalt 2027" in german_text
    assert german_text.splitlines()[0] == "Sehr geehrter Herr Becker,"
    invitation = Invitation.objects.get(meeting=meeting, person=assembly["claire"])
    assert f"/m/{invitation.token}/" in body

    ics = calendar_of(french)
    assert ics["METHOD"] == "REQUEST"
    event = ics.walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@secretariat"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime.datetime(2026, 12, 10, 14, 0, tzinfo=LU)
    assert event["DTSTART"].params["TZID"] == "Europe/Luxembourg"
    assert ics.walk("VTIMEZONE")[0]["TZID"] == "Europe/Luxembourg"
    assert str(event["SUMMARY"]) == "Assemblée générale d'automne"

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CONVENED
    deliveries = Delivery.objects.filter(invitation__meeting=meeting)
    assert sorted(deliveries.values_list("status", flat=True)) == [
        "no_address",
        "sent",
        "sent",
        "sent",
    ]

    # Nothing changed: nothing is sent.
    with pytest.raises(ValidationError, match="Nothing visible to the members has changed"):
        convocation.meeting_announce(meeting=meeting, by=None)
    assert len(mailbox.messages) == 3
    # An update keeps the UID, raises the sequence and says what changed; a cancellation says
    # CANCEL, and goes out as soon as the meeting is cancelled.
    with django_capture_on_commit_callbacks(execute=True):
        agenda.meeting_update(meeting=meeting, by=None, room="Salle Robert Schuman")
        agenda.item_add(meeting=meeting, by=None, title={"fr": "Divers", "de": "Verschiedenes"})
        convocation.meeting_announce(meeting=meeting, by=None)
    update = mailbox.to("jonas@trier.example")[-1]
    assert update["Subject"].strip().startswith("Geändert")
    text = update.get_body(preferencelist=("plain",)).get_content()
    assert "Punkt 3 wurde hinzugefügt: Verschiedenes." in text, text
    assert "Salle Robert Schuman" in text.split("Sitzung")[1]
    event = calendar_of(update).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@secretariat" and event["SEQUENCE"] == 1
    assert "Salle Robert Schuman" in str(event["LOCATION"])
    with pytest.raises(ValidationError, match="Nothing visible to the members has changed"):
        convocation.meeting_announce(meeting=meeting, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        convocation.meeting_set_state(meeting=meeting, state=MeetingState.CANCELLED, by=None)
    cancellation = mailbox.to("claire@metz.example")[-1]
    ics = calendar_of(cancellation)
    assert ics["METHOD"] == "CANCEL" and ics.walk("VEVENT")[0]["SEQUENCE"] == 2
    assert str(ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert len(mailbox.messages) == 9


def test_sending_is_refused_while_a_working_language_is_missing(
    mailbox: Mailbox, assembly: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = assembly["meeting"]
    agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Statuts"},
        draft_decision={"fr": "Modification"},
    )
    with pytest.raises(ValidationError) as error:
        convene(meeting, django_capture_on_commit_callbacks)
    assert any("item 3" in m and "DE" in m for m in error.value.messages)
    assert not mailbox.messages and not Invitation.objects.exists()


def test_a_meeting_with_an_empty_agenda_is_not_convened(
    mailbox: Mailbox, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = factories.body(org)
    factories.membership(body, factories.person(org, emails=["maire@metz.example"]))
    meeting = factories.meeting(body, title={"fr": "Bureau", "de": "Präsidium"})
    assert not meeting.items.exists()
    with pytest.raises(ValidationError, match="agenda is empty"):
        convene(meeting, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    assert not mailbox.messages and not Invitation.objects.exists()


def test_after_the_notice_deadline_only_an_administrator_sends_with_a_reason(
    mailbox: Mailbox, assembly: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = assembly["meeting"]
    agenda.meeting_update(
        meeting=meeting,
        by=None,
        start=datetime.datetime.now(LU) + datetime.timedelta(days=3),
        end=datetime.datetime.now(LU) + datetime.timedelta(days=3, hours=2),
    )
    with pytest.raises(ValidationError, match="no longer met"):
        convene(meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="reason"):
        convene(meeting, django_capture_on_commit_callbacks, may_override=True)
    assert (
        convene(
            meeting,
            django_capture_on_commit_callbacks,
            may_override=True,
            override_reason="Urgent budget vote",
        )
        == 3
    )
    meeting.refresh_from_db()
    assert meeting.notice_override_reason == "Urgent budget vote"


def test_a_refusing_or_vanishing_smtp_server_loses_nothing_and_convenes_nobody_twice(
    mailbox: Mailbox, assembly: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = assembly["meeting"]
    mailbox.refuse = {"jonas@trier.example"}
    mailbox.fail_after = 1
    convene(meeting, django_capture_on_commit_callbacks)
    assert len(mailbox.messages) == 1
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    assert failed.count() == 2
    assert any("550" in d.error for d in failed) and any("421" in d.error for d in failed)
    # The server is back: a retry sends what failed, and only that.
    mailbox.refuse, mailbox.fail_after = set(), None
    sent, still_failed = convocation.deliver_pending(meeting=meeting)
    assert (sent, still_failed) == (2, 0)
    assert sorted(m["To"] for m in mailbox.messages) == [
        "anne@vdl.example",
        "claire@metz.example",
        "jonas@trier.example",
    ]
    assert convocation.deliver_pending(meeting=meeting) == (0, 0)


def test_the_agenda_cannot_change_while_the_convocation_is_being_sent(
    assembly: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    meeting = assembly["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)  # queued, not sent yet
    items = list(meeting.items.all())
    with pytest.raises(ValidationError, match="being sent"):
        agenda.agenda_reorder(
            meeting=meeting, by=None, order=[(items[1].pk, None), (items[0].pk, None)]
        )


def test_members_answer_and_proxies_follow_the_rules(assembly: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    meeting = assembly["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    claire, jonas, anne, paul = (
        Invitation.objects.get(meeting=meeting, person=assembly[k])
        for k in ("claire", "jonas", "anne", "paper")
    )
    # A member who has not answered yet may carry a proxy.
    attendance.invitation_answer(invitation=jonas, answer="proxy", proxy_to=claire, by=None)
    with pytest.raises(ValidationError, match="maximum"):
        attendance.invitation_answer(invitation=anne, answer="proxy", proxy_to=claire, by=None)
    attendance.invitation_answer(invitation=paul, answer="excused", by=None)
    with pytest.raises(ValidationError, match="not attending"):
        attendance.invitation_answer(invitation=anne, answer="proxy", proxy_to=paul, by=None)
    attendance.invitation_answer(invitation=claire, answer="in_person", by=None)
    presence = attendance.presence_of(meeting, expected=True)
    assert presence.present == {claire.pk} and presence.represented() == {jonas.pk}
    attendance.invitation_answer(invitation=claire, answer="excused", by=None)
    jonas.refresh_from_db()
    assert jonas.proxy_to is None and jonas.answer == ""  # the proxy fell with its holder


def test_members_are_offered_only_the_answers_that_apply_to_them(
    org: Any, settings: Any, client: Any
) -> None:
    from django.urls import reverse

    from secretariat.governance import body_rules
    from secretariat.governance.models import MembershipRole

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    body = factories.body(org)
    mayor, deputy, observer, lone = (factories.person(org) for _ in range(4))
    seat = factories.membership(body, mayor)
    factories.membership(body, deputy, role=MembershipRole.SUBSTITUTE, substitute_for=seat)
    factories.membership(body, observer, role=MembershipRole.OBSERVER, voting=False)
    factories.membership(body, lone)
    meeting = factories.meeting(body, title={"fr": "Bureau", "de": "Präsidium"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Point", "de": "Punkt"})
    convocation.meeting_convene(meeting=meeting, by=None)
    options = attendance.answer_options(meeting)
    by_person = {i.person_id: i for i in meeting.invitations.all()}
    mayors, lones, observers = (options[by_person[p.pk].pk] for p in (mayor, lone, observer))
    assert "substitute" in dict(mayors.answers) and "substitute" not in dict(lones.answers)
    # In person only: the meeting is not online.
    assert "online" not in dict(lones.answers) and "in_person" in dict(lones.answers)
    # Proxies go to voting members only: not to the observer, nor from them.
    assert by_person[observer.pk] not in lones.holders and "proxy" not in dict(observers.answers)
    with pytest.raises(ValidationError, match="not an answer"):
        attendance.invitation_answer(invitation=by_person[lone.pk], answer="substitute", by=None)
    page = client.get(reverse("invitation", args=[by_person[lone.pk].token])).content.decode()
    assert 'value="substitute"' not in page and 'value="online"' not in page

    # A body without voting members offers no proxy and shows no quorum.
    stored = body_rules.rules_of(body)
    assert stored.proxies_allowed
    club = factories.body(org)
    for person in (mayor, lone):
        factories.membership(club, person, voting=False)
    gathering = factories.meeting(club, title={"fr": "Rencontre", "de": "Treffen"})
    agenda.item_add(meeting=gathering, by=None, title={"fr": "Point", "de": "Punkt"})
    convocation.meeting_convene(meeting=gathering, by=None)
    assert all(
        "proxy" not in dict(o.answers) for o in attendance.answer_options(gathering).values()
    )
    staff = factories.member_of(org, "staff")
    client.force_login(staff)
    html = client.get(reverse("meeting_detail", args=[org.slug, gathering.pk])).content.decode()
    assert "Expected quorum" not in html and "0 / 0" not in html
    session = client.get(reverse("meeting_session", args=[org.slug, gathering.pk]))
    assert 'class="quorum' not in session.content.decode()


def test_daily_reminders_reach_the_silent_before_the_meeting_and_owners_of_due_actions(
    mailbox: Mailbox, assembly: Any, django_capture_on_commit_callbacks: Any, time_machine: Any
) -> None:
    from django.core.management import call_command

    from secretariat.governance import decisions, reminders
    from secretariat.governance.models import Decision, DeliveryKind

    meeting = assembly["meeting"]
    convene(meeting, django_capture_on_commit_callbacks)
    claire = Invitation.objects.get(meeting=meeting, person=assembly["claire"])
    attendance.invitation_answer(invitation=claire, answer="in_person", by=None)
    too_early = meeting.start - datetime.timedelta(days=10)
    assert reminders.remind_meetings(too_early) == 0
    week_before = meeting.start - datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_meetings(week_before) == 2  # Jonas and Anne; Paul has no e-mail
    reminded = [
        m
        for m in mailbox.messages
        if "Erinnerung" in m["Subject"] or "Rappel" in m["Subject"] or "Reminder" in m["Subject"]
    ]
    assert sorted(m["To"] for m in reminded) == ["anne@vdl.example", "jonas@trier.example"]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_meetings(week_before + datetime.timedelta(days=1)) == 0  # not daily
    assert Delivery.objects.filter(kind=DeliveryKind.REMINDER).count() == 2

    time_machine.move_to(meeting.start)
    for invitation in Invitation.objects.filter(meeting=meeting):
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=meeting.items.get(kind="decision"), by=None, yes=3)
    decision = Decision.objects.get()
    decisions.action_create(
        decision=decision,
        by=None,
        title={"fr": "Publier le budget", "de": "Den Haushalt veröffentlichen"},
        owner_person=assembly["jonas"],
        due=datetime.date(2026, 12, 20),
    )
    assert reminders.remind_actions(datetime.date(2026, 12, 19)) == 0
    assert reminders.remind_actions(datetime.date(2026, 12, 21)) == 1
    assert reminders.remind_actions(datetime.date(2026, 12, 22)) == 0
    last = mailbox.messages[-1]
    assert (
        last["To"] == "jonas@trier.example"
        and "Den Haushalt veröffentlichen" in last.get_body(preferencelist=("plain",)).get_content()
    )
    call_command("reminders")


def test_a_meeting_convened_before_states_were_kept_offers_no_change_until_one_is_made(
    assembly: Any, settings: Any
) -> None:
    import importlib

    from django.apps import apps

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    meeting = assembly["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    Delivery.objects.update(status="sent")
    type(meeting).objects.filter(pk=meeting.pk).update(announced={})
    migration = importlib.import_module(
        "secretariat.governance.migrations.0010_announced_state_of_meetings_convened_before"
    )
    migration.record_states(apps, None)
    meeting.refresh_from_db()
    assert convocation.pending_changes(meeting) == []
    agenda.meeting_update(meeting=meeting, by=None, room="Salle 2")
    assert [c["change"] for c in convocation.pending_changes(meeting)] == ["where"]
