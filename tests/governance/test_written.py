"""Decisions by written procedure: launched in each member's language, answered through the
personal link, closed with the silence rule into the register."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.governance import body_rules, written
from secretariat.governance.models import WrittenAnswer
from tests import factories
from tests.governance.smtp import Mailbox


@pytest.fixture
def summit(org: Any) -> dict[str, Any]:
    body = factories.body(org, short_code="SOM", name={"fr": "Sommet", "de": "Gipfel"})
    rules = body_rules.rules_of(body)
    rules.written_procedure_allowed, rules.written_silence_is_consent, rules.majority_kind = (
        True,
        True,
        "consensus",
    )
    rules.save()
    people = [
        factories.person(
            org, emails=[f"exec{i}@gr.example"], languages=["de", "fr"] if i % 2 else ["fr", "de"]
        )
        for i in range(5)
    ]
    for person in people:
        factories.membership(body, person, partner=factories.partner(org))
    return {"body": body, "people": people}


def launch(summit: Any, capture: Any, **kwargs: Any) -> Any:
    values = {
        "title": {"fr": "Déclaration sur la santé", "de": "Erklärung zur Gesundheit"},
        "draft_decision": {
            "fr": "Le Sommet adopte la déclaration.",
            "de": "Der Gipfel verabschiedet die Erklärung.",
        },
        "deadline": timezone.now() + datetime.timedelta(days=10),
    }
    values.update(kwargs)
    with capture(execute=True):
        return written.procedure_launch(body=summit["body"], by=None, **values)


def test_launch_answer_and_close_with_the_silence_rule(
    mailbox: Mailbox, summit: Any, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    procedure = launch(summit, django_capture_on_commit_callbacks)
    assert len(mailbox.messages) == 5
    german = mailbox.to("exec1@gr.example")[0]
    assert german["Content-Language"] == "de" and "Erklärung zur Gesundheit" in german["Subject"]
    answers = list(WrittenAnswer.objects.filter(procedure=procedure).order_by("id"))
    page = reverse("written_answer", args=[answers[0].token])
    assert client.get(page).status_code == 200
    assert client.post(page, {"choice": "yes"}).status_code == 302
    written.procedure_answer(answer=answers[1], choice="abstain")
    with pytest.raises(ValidationError, match="not every member"):
        written.procedure_close(procedure=procedure, by=None)
    later = procedure.deadline + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="closed"):
        written.procedure_answer(answer=answers[2], choice="no", now=later)
    decision = written.procedure_close(procedure=procedure, by=None, now=later)
    assert decision.by_written_procedure and decision.status == "adopted"
    assert decision.number == f"SOM-{timezone.localdate(later).year}-01"
    assert "4 for, 0 against, 1 abstentions" in decision.outcome
    assert client.post(page, {"choice": "no"}).status_code == 400


def test_an_objection_blocks_a_consensus(summit: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    procedure = written.procedure_launch(
        body=summit["body"],
        by=None,
        title={"fr": "X", "de": "X"},
        draft_decision={"fr": "Y", "de": "Y"},
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    answers = list(procedure.answers.all())
    for answer in answers[:-1]:
        written.procedure_answer(answer=answer, choice="yes")
    written.procedure_answer(answer=answers[-1], choice="no")
    decision = written.procedure_close(
        procedure=procedure, by=None
    )  # everyone answered: no need to wait
    assert decision.status == "rejected"


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
    rules = body_rules.rules_of(summit["body"])
    rules.written_procedure_allowed = False
    rules.save()
    with pytest.raises(ValidationError, match="do not provide"):
        written.procedure_launch(
            body=summit["body"],
            by=None,
            title={"fr": "X", "de": "X"},
            draft_decision={"fr": "Y", "de": "Y"},
            deadline=timezone.now() + datetime.timedelta(days=1),
        )


def test_written_procedure_pages(
    client: Client, org: Any, other_org: Any, staff: Any, summit: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(staff)
    url = reverse("written_list", args=[org.slug, summit["body"].pk])
    assert client.get(url).status_code == 200
    deadline = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
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
    assert client.get(detail).status_code == 200
    client.force_login(factories.member_of(other_org, "admin"))
    assert client.get(url).status_code == 404 and client.get(detail).status_code == 404
    assert (
        client.get(reverse("written_detail", args=[other_org.slug, procedure.pk])).status_code
        == 404
    )
    client.force_login(factories.member_of(org, "readonly"))
    assert client.post(detail).status_code == 403
    assert client.get(reverse("written_answer", args=["nope"])).status_code == 404


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
    WrittenAnswer.objects.filter(procedure=procedure, address="exec1@gr.example").update(
        sent_at=None
    )
    written.deliver(procedure=procedure)
    text = mailbox.to("exec1@gr.example")[-1].get_body().get_content()
    assert "Der Gipfel nimmt die Erklärung an." in text
    assert "[Maschinelle Übersetzung, nicht geprüft; das Original ist auf Französisch.]" in text
