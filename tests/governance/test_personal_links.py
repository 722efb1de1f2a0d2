"""A personal link that no longer opens anything (/m/<token>/ for a meeting, /w/<token>/ for a
written procedure) says what happened and what to do, in the holder's language when the link
is known, else in the browser's; never a bare "Not Found"."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.governance import body_rules, convocation, written
from secretariat.governance.models import Invitation, MeetingState, WrittenProcedure
from tests import factories

CONTACT = "secretariat@grande-region.example"


@pytest.fixture(autouse=True)
def _contact(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = CONTACT
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.mark.parametrize("name", ["invitation", "written_answer"])
def test_an_unknown_link_says_what_may_have_happened_and_whom_to_ask(name: str, db: Any) -> None:
    response = Client(headers={"accept-language": "nl"}).get(reverse(name, args=["no-such-key"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="nl">' in page and "secretariat/app.css" in page  # our look, in Dutch
    assert "Deze persoonlijke link werkt niet" in page
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in page
    assert "Not Found" not in page


def test_without_a_known_address_it_still_says_whom_to_ask(settings: Any, db: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "secretariat@localhost"  # the embedded default: no address
    page = Client(headers={"accept-language": "fr"}).get(reverse("invitation", args=["x"]))
    text = page.content.decode()
    assert page.status_code == 404 and "mailto:" not in text
    assert "Ce lien personnel ne fonctionne pas" in text and "secrétariat" in text


def test_the_link_to_a_cancelled_meeting_says_so_in_its_holder_s_language(
    planned: dict[str, Any],
) -> None:
    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None, deliver=False)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    assert invitation is not None
    Invitation.objects.filter(pk=invitation.pk).update(language="de")
    convocation.meeting_set_state(meeting=meeting, state=MeetingState.CANCELLED, by=None)
    browser_in_french = Client(headers={"accept-language": "fr"})
    response = browser_in_french.get(reverse("invitation", args=[invitation.token]))
    assert response.status_code == 410
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "Vorstand im Dezember" in page and "wurde abgesagt" in page
    assert f"mailto:{CONTACT}" in page
    assert 'name="answer"' not in page  # nothing more to answer


def test_the_link_to_a_withdrawn_written_procedure_says_so_in_its_holder_s_language(
    org: Any, settings: Any
) -> None:
    body = factories.body(org, name={"fr": "Sommet", "de": "Gipfel"})
    rules = body_rules.rules_of(body)
    rules.written_procedure_allowed = True
    rules.save()
    factories.membership(body, factories.person(org, languages=["de", "fr"]))
    procedure = written.procedure_launch(
        body=body,
        by=None,
        title={"fr": "Déclaration sur la santé", "de": "Erklärung zur Gesundheit"},
        draft_decision={"fr": "Le Sommet adopte.", "de": "Der Gipfel beschließt."},
        deadline=timezone.now() + datetime.timedelta(days=10),
    )
    answer = procedure.answers.get()
    WrittenProcedure.objects.filter(pk=procedure.pk).update(state=WrittenProcedure.State.CANCELLED)
    response = Client(headers={"accept-language": "nl"}).get(
        reverse("written_answer", args=[answer.token])
    )
    assert response.status_code == 410
    page = response.content.decode()
    assert '<html lang="de">' in page and "Erklärung zur Gesundheit" in page
    assert "zurückgezogen" in page and 'name="choice"' not in page
