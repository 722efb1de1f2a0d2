"""Decisions by written procedure: launched in each member's language with the body's days to
answer, answered through the personal link, reminded, closed at the deadline by the daily job,
the outcome sent, then registered; a silence procedure broken by one objection; a written
vote by the majority of the answers."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.governance import body_rules, reminders, written
from secretariat.governance.models import ActionReminder, Decision, WrittenAnswer, WrittenMessage
from tests import factories
from tests.governance.smtp import Mailbox


@pytest.fixture
def summit(org: Any) -> dict[str, Any]:
    """The Summit of the Greater Region: eleven executives who decide by silence procedure."""
    body = factories.body(org, short_code="SOM", name={"fr": "Sommet", "de": "Gipfel"})
    stored = body_rules.rules_of(body)
    stored.written_procedure_allowed, stored.written_kind, stored.written_days = (
        True,
        "silence",
        10,
    )
    stored.save()
    people = [
        factories.person(
            org, emails=[f"exec{i}@gr.example"], languages=["de", "fr"] if i % 2 else ["fr", "de"]
        )
        for i in range(11)
    ]
    for person in people:
        factories.membership(body, person, partner=factories.partner(org))
    return {"body": body, "people": people}


def launch(summit: Any, capture: Any, days: int = 12, **kwargs: Any) -> Any:
    values = {
        "title": {"fr": "Déclaration sur la santé", "de": "Erklärung zur Gesundheit"},
        "draft_decision": {
            "fr": "Le Sommet adopte la déclaration.",
            "de": "Der Gipfel verabschiedet die Erklärung.",
        },
        "deadline": timezone.now() + datetime.timedelta(days=days),
    }
    values.update(kwargs)
    with capture(execute=True):
        return written.procedure_launch(body=summit["body"], by=None, **values)


def daily(capture: Any) -> reminders.Sent:
    with capture(execute=True):
        return reminders.run()


def test_one_objection_breaks_the_silence_and_the_daily_job_closes_at_the_deadline(
    mailbox: Mailbox,
    summit: Any,
    django_capture_on_commit_callbacks: Any,
    client: Client,
    time_machine: Any,
) -> None:
    time_machine.move_to(timezone.now())
    procedure = launch(summit, django_capture_on_commit_callbacks)
    assert len(mailbox.messages) == 11
    german = mailbox.to("exec1@gr.example")[0]
    assert german["Content-Language"] == "de" and "Erklärung zur Gesundheit" in german["Subject"]
    answers = list(WrittenAnswer.objects.filter(procedure=procedure).order_by("id"))
    page = reverse("written_answer", args=[answers[0].token])
    assert client.get(page).status_code == 200
    assert client.post(page, {"choice": "no"}).status_code == 302
    for answer in answers[1:8]:
        written.procedure_answer(answer=answer, choice="yes")

    # Two days before the deadline, the three silent members are reminded, once.
    time_machine.move_to(procedure.deadline - datetime.timedelta(days=1))
    assert daily(django_capture_on_commit_callbacks).procedures_reminded == 3
    assert daily(django_capture_on_commit_callbacks).procedures_reminded == 0
    reminded = [m for m in mailbox.messages[11:]]
    assert sorted(m["To"] for m in reminded) == sorted(a.address for a in answers[8:])

    # After the deadline, the daily job closes it: ten agree or are silent, one objects.
    time_machine.move_to(procedure.deadline + datetime.timedelta(hours=9))
    with pytest.raises(ValidationError, match="closed"):
        written.procedure_answer(answer=answers[9], choice="no")
    assert daily(django_capture_on_commit_callbacks).procedures_closed == 1
    procedure.refresh_from_db()
    assert procedure.state == "closed" and procedure.closed_at == procedure.deadline
    assert not procedure.outcome_data["adopted"]
    assert procedure.outcome.startswith("Not adopted: 1 member objected")
    outcome_mails = mailbox.messages[14:]
    assert len(outcome_mails) == 11
    assert any("Ergebnis" in m["Subject"] for m in outcome_mails if m["To"] == "exec1@gr.example")
    assert written.waits_to_be_registered(procedure)

    decision = written.procedure_register(procedure=procedure, by=None)
    assert decision.by_written_procedure and decision.status == "rejected"
    assert decision.decided_on == timezone.localdate(
        procedure.deadline, procedure.organisation.tzinfo
    )
    with pytest.raises(ValidationError, match="registered already"):
        written.procedure_register(procedure=procedure, by=None)
    assert client.post(page, {"choice": "yes"}).status_code == 400


def test_silence_adopts_when_nobody_objects(summit: Any, settings: Any, time_machine: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    time_machine.move_to(timezone.now())
    procedure = written.procedure_launch(
        body=summit["body"],
        by=None,
        title={"fr": "X", "de": "X"},
        draft_decision={"fr": "Y", "de": "Y"},
        deadline=timezone.now() + datetime.timedelta(days=11),
    )
    answers = list(procedure.answers.all())
    written.procedure_answer(answer=answers[0], choice="yes")
    written.procedure_answer(answer=answers[1], choice="abstain")
    with pytest.raises(ValidationError, match="not every member"):
        written.procedure_close(procedure=procedure, by=None)
    time_machine.move_to(procedure.deadline)
    written.procedure_close(procedure=procedure, by=None)
    assert procedure.outcome_data["adopted"]
    assert procedure.outcome == (
        "Adopted by silence procedure: no member objected by the deadline (1 member agreed, "
        "0 members objected, 1 member abstained, 9 members did not answer)."
    )


def test_a_written_vote_decides_by_the_majority_of_the_answers_within_the_quorum(
    summit: Any, settings: Any, time_machine: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    stored = body_rules.rules_of(summit["body"])
    stored.written_kind, stored.majority_kind = "vote", "simple"
    stored.save()
    time_machine.move_to(timezone.now())
    procedure = written.procedure_launch(
        body=summit["body"],
        by=None,
        title={"fr": "Budget", "de": "Haushalt"},
        draft_decision={"fr": "Adopté.", "de": "Beschlossen."},
        deadline=timezone.now() + datetime.timedelta(days=11),
    )
    assert procedure.kind == "vote"
    answers = list(procedure.answers.all())
    for answer, choice in zip(answers, ["yes"] * 4 + ["no"] * 2, strict=False):
        written.procedure_answer(answer=answer, choice=choice)
    time_machine.move_to(procedure.deadline)
    written.procedure_close(procedure=procedure, by=None)
    # Six of eleven answered: more than half, the quorum is met; four for, two against.
    assert procedure.outcome_data["adopted"]
    assert "6 of 11 members answered" in procedure.outcome
    assert "5 members did not answer" in procedure.outcome


def test_a_deadline_shorter_than_the_rules_needs_an_administrator_and_a_reason(
    summit: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    values = {
        "body": summit["body"],
        "by": None,
        "title": {"fr": "Urgence", "de": "Dringlichkeit"},
        "draft_decision": {"fr": "Y", "de": "Y"},
        "deadline": timezone.now() + datetime.timedelta(days=3),
    }
    with pytest.raises(ValidationError, match="10 days to answer") as refused:
        written.procedure_launch(**values)
    assert "deadline" in refused.value.message_dict
    with pytest.raises(ValidationError, match="reason"):
        written.procedure_launch(**values, may_override=True, override_reason=" \r\n")
    assert not summit["body"].written_procedures.exists()
    procedure = written.procedure_launch(
        **values, may_override=True, override_reason="Health emergency."
    )
    assert procedure.deadline_override_reason == "Health emergency."


def test_launch_is_refused_without_the_rule_all_languages_or_a_future_deadline(
    summit: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with pytest.raises(ValidationError) as error:
        written.procedure_launch(
            body=summit["body"],
            by=None,
            title={"fr": "X"},
            draft_decision={"fr": "Y", "de": "Y"},
            deadline=timezone.now() - datetime.timedelta(days=1),
        )
    assert {"title", "deadline"} <= set(error.value.message_dict)
    stored = body_rules.rules_of(summit["body"])
    stored.written_procedure_allowed = False
    stored.save()
    with pytest.raises(ValidationError, match="do not provide"):
        written.procedure_launch(
            body=summit["body"],
            by=None,
            title={"fr": "X", "de": "X"},
            draft_decision={"fr": "Y", "de": "Y"},
            deadline=timezone.now() + datetime.timedelta(days=11),
        )


def test_written_procedure_pages(
    client: Client,
    org: Any,
    other_org: Any,
    staff: Any,
    summit: Any,
    settings: Any,
    time_machine: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    time_machine.move_to(timezone.now())
    client.force_login(staff)
    url = reverse("written_list", args=[org.slug, summit["body"].pk])
    assert client.get(url).status_code == 200
    deadline = (timezone.localtime() + datetime.timedelta(days=12)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "title__fr": "Avis",
            "title__de": "Stellungnahme",
            "draft_decision__fr": "Avis favorable.",
            "draft_decision__de": "Zustimmende Stellungnahme.",
            "deadline": deadline,
        },
    )
    assert response.status_code == 302
    procedure = summit["body"].written_procedures.get()
    detail = reverse("written_detail", args=[org.slug, procedure.pk])
    first = procedure.answers.first()
    client.post(detail, {"action": "answer", "answer": first.pk, "choice": "no"})
    first.refresh_from_db()
    assert first.choice == "no"
    time_machine.move_to(procedure.deadline + datetime.timedelta(minutes=1))
    assert "to be closed" in client.get(url).content.decode()
    client.post(detail, {"action": "close"})
    assert "to be entered in the register" in client.get(url).content.decode()
    client.post(detail, {"action": "register"})
    assert Decision.objects.get(written_procedure=procedure).status == "rejected"
    client.force_login(factories.member_of(other_org, "admin"))
    assert client.get(url).status_code == 404 and client.get(detail).status_code == 404
    assert (
        client.get(reverse("written_detail", args=[other_org.slug, procedure.pk])).status_code
        == 404
    )
    client.force_login(factories.member_of(org, "readonly"))
    assert client.post(detail, {"action": "close"}).status_code == 403
    assert client.get(reverse("written_answer", args=["nope"])).status_code == 404


def test_the_api_launches_records_closes_and_registers(
    client: Client, org: Any, summit: Any, settings: Any, time_machine: Any
) -> None:
    from secretariat.core.tokens import token_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    time_machine.move_to(timezone.now())
    staff = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_create(user=factories.member_of(org, "staff"), name="t")[1]
    }
    base = f"/api/v1/organisations/{org.slug}/written-procedures"
    too_soon = client.post(
        base,
        {
            "body_id": summit["body"].pk,
            "title": {"fr": "Avis", "de": "Stellungnahme"},
            "draft_decision": {"fr": "Oui.", "de": "Ja."},
            "deadline": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
            "override_reason": "Staff may not shorten it.",
        },
        content_type="application/json",
        **staff,
    )
    assert too_soon.status_code == 422 and "deadline" in too_soon.json()["errors"]
    launched = client.post(
        base,
        {
            "body_id": summit["body"].pk,
            "title": {"fr": "Avis", "de": "Stellungnahme"},
            "draft_decision": {"fr": "Oui.", "de": "Ja."},
            "deadline": (timezone.now() + datetime.timedelta(days=12)).isoformat(),
        },
        content_type="application/json",
        **staff,
    )
    assert launched.status_code == 201, launched.content
    procedure = launched.json()
    assert procedure["kind"] == "silence" and len(procedure["answers"]) == 11
    url = f"{base}/{procedure['id']}"
    for answer in procedure["answers"]:
        recorded = client.post(
            f"{url}/answers/{answer['id']}",
            {"choice": "yes"},
            content_type="application/json",
            **staff,
        )
        assert recorded.status_code == 200 and recorded.json()["choice"] == "yes"
    not_yet = client.post(f"{url}/register", content_type="application/json", **staff)
    assert not_yet.status_code == 422
    closed = client.post(f"{url}/close", content_type="application/json", **staff).json()
    assert closed["state"] == "closed" and closed["adopted"] and closed["waits_to_be_registered"]
    registered = client.post(f"{url}/register", content_type="application/json", **staff).json()
    assert registered["decision_number"].startswith("SOM-")
    assert not registered["waits_to_be_registered"]
    outsider = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_create(user=factories.member_of(factories.organisation(), "admin"), name="t")[1]
    }
    assert client.get(url, **outsider).status_code == 404
    answer_id = procedure["answers"][0]["id"]
    for path, payload in [
        (f"{url}/answers/{answer_id}", {"choice": "no"}),
        (f"{url}/close", {}),
        (f"{url}/register", {}),
        (f"{url}/withdraw", {"reason": "x"}),
    ]:
        refused = client.post(path, payload, content_type="application/json", **outsider)
        assert refused.status_code == 404, path


def test_a_refused_address_does_not_stop_the_days_reminders(
    mailbox: Mailbox, org: Any, time_machine: Any
) -> None:
    from secretariat.governance import decisions
    from secretariat.governance.models import Decision as DecisionModel

    body = factories.body(org, short_code="BUR")
    meeting = factories.meeting(body)
    decision = DecisionModel.objects.create(
        organisation=org,
        body=body,
        year=timezone.localdate().year,
        sequence=1,
        number=f"BUR-{timezone.localdate().year}-01",
        text={"fr": "Publier"},
        status="adopted",
        decided_on=timezone.localdate(),
        meeting=meeting,
    )
    owners = [
        factories.person(org, emails=[f"owner{i}@test.example"], languages=["fr"]) for i in range(3)
    ]
    for owner in owners:
        decisions.action_create(
            decision=decision,
            by=None,
            title={"fr": "Publier"},
            owner_person=owner,
            due=timezone.localdate() - datetime.timedelta(days=1),
        )
    mailbox.refuse = {"owner0@test.example"}
    out = __import__("io").StringIO()
    err = __import__("io").StringIO()
    call_command("reminders", stdout=out, stderr=err)
    assert sorted(m["To"] for m in mailbox.messages) == [
        "owner1@test.example",
        "owner2@test.example",
    ]
    assert "owner0@test.example" in err.getvalue()
    refused = ActionReminder.objects.get(address="owner0@test.example")
    assert refused.status == "failed" and "550" in refused.error
    # The next day, once the address accepts mail again, the missing reminder goes out.
    mailbox.refuse = set()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    call_command("reminders", stdout=out, stderr=err)
    assert [m["To"] for m in mailbox.messages[2:]] == ["owner0@test.example"]
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("sent", 2)
    assert ActionReminder.objects.count() == 3  # retried, not queued anew


def test_a_machine_made_draft_says_so_in_the_message(
    mailbox: Mailbox, summit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from secretariat.core.text_rules import MACHINE
    from secretariat.core.texts import texts_commit, texts_stage

    procedure = launch(summit, django_capture_on_commit_callbacks)
    update = texts_stage(
        obj=procedure,
        values={"draft_decision": {"de": "Der Gipfel nimmt die Erklärung an."}},
        origin=MACHINE,
        engine="deepl",
    )
    procedure.save()
    texts_commit(update, by=None)
    # A message that failed earlier goes out again, now with the machine-made draft.
    WrittenMessage.objects.filter(answer__procedure=procedure, address="exec1@gr.example").update(
        status="failed", error="SMTPRecipientsRefused"
    )
    assert written.deliver(procedure=procedure) == (1, 0)
    text = mailbox.to("exec1@gr.example")[-1].get_body().get_content()
    assert "Der Gipfel nimmt die Erklärung an." in text
    assert "[Maschinelle Übersetzung, nicht geprüft; das Original ist auf Französisch.]" in text


def test_a_deadline_given_without_its_time_zone_is_the_organisations(
    client: Client, org: Any, summit: Any, settings: Any, time_machine: Any
) -> None:
    from secretariat.core.tokens import token_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    time_machine.move_to(timezone.now())
    staff = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_create(user=factories.member_of(org, "staff"), name="t")[1]
    }
    day = timezone.localdate(timezone.now(), org.tzinfo) + datetime.timedelta(days=14)
    launched = client.post(
        f"/api/v1/organisations/{org.slug}/written-procedures",
        {
            "body_id": summit["body"].pk,
            "title": {"fr": "Avis", "de": "Stellungnahme"},
            "draft_decision": {"fr": "Oui.", "de": "Ja."},
            "deadline": f"{day.isoformat()}T18:00:00",
        },
        content_type="application/json",
        **staff,
    )
    assert launched.status_code == 201, launched.content
    procedure = summit["body"].written_procedures.get()
    local = procedure.deadline.astimezone(org.tzinfo)
    assert (local.date(), local.hour) == (day, 18)


def test_a_procedure_withdrawn_decides_nothing_and_tells_the_members_it_reached(
    mailbox: Mailbox,
    summit: Any,
    django_capture_on_commit_callbacks: Any,
    client: Client,
    org: Any,
    staff: Any,
) -> None:
    procedure = launch(summit, django_capture_on_commit_callbacks)
    answer = procedure.answers.first()
    client.force_login(staff)
    detail = reverse("written_detail", args=[org.slug, procedure.pk])
    asked = client.post(detail, {"action": "withdraw", "reason": "Wrong draft."})
    assert asked.status_code == 200 and "Withdraw this written procedure?" in asked.content.decode()
    procedure.refresh_from_db()
    assert procedure.state == "open"
    with pytest.raises(ValidationError, match="why"):
        written.procedure_withdraw(procedure=procedure, by=None, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "withdraw", "reason": "Wrong draft.", "confirmed": "yes"})
    procedure.refresh_from_db()
    assert procedure.state == "cancelled" and procedure.decision is None
    withdrawn = [m for m in mailbox.messages[11:]]
    assert len(withdrawn) == 11
    assert any("zurückgezogen" in m["Subject"] for m in withdrawn if m["To"] == "exec1@gr.example")
    assert client.get(reverse("written_answer", args=[answer.token])).status_code == 410
    with pytest.raises(ValidationError):
        written.procedure_close(procedure=procedure, by=None)
