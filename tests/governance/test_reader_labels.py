"""Readers are told when the version they get is machine-made or outdated, with the original:
in the convocation they receive, on their personal page and on the meeting's page."""

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse

from secretariat.core.text_rules import MACHINE
from secretariat.core.texts import texts_commit, texts_stage
from secretariat.governance import agenda, convocation
from secretariat.governance.models import Invitation
from tests import factories
from tests.governance.smtp import Mailbox


def machine_version(obj: Any, field: str, language: str, text: str) -> None:
    update = texts_stage(
        obj=obj, values={field: {language: text}}, origin=MACHINE, engine="libretranslate"
    )
    obj.save()
    texts_commit(update, by=None)


def test_machine_and_outdated_versions_say_so_where_they_are_read_and_sent(
    org: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    reader = factories.person(org, emails=["jonas@trier.example"], languages=["de"])
    factories.membership(body, reader)
    meeting = factories.meeting(
        body,
        title={"fr": "Directoire de janvier", "de": "Vorstand im Januar"},
        start=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40),
    )
    item = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget de la Grande Région"})
    machine_version(item, "title", "de", "Haushalt der Großregion")
    other = agenda.item_add(meeting=meeting, by=None, title={"fr": "Divers", "de": "Verschiedenes"})
    agenda.item_update(item=other, by=None, title={"fr": "Questions diverses"})  # now outdated
    with django_capture_on_commit_callbacks(execute=True):
        convocation.meeting_convene(meeting=meeting, by=None)
    text = mailbox.to("jonas@trier.example")[0].get_body().get_content()
    assert "Haushalt der Großregion" in text
    assert "[Maschinelle Übersetzung, nicht geprüft; das Original ist auf Französisch.]" in text
    assert "noch nicht an eine Änderung des Originals auf Französisch angepasst" in text
    assert text.count("[") == 2  # the reviewed title carries no label
    invitation = Invitation.objects.get(person=reader)
    page = Client().get(reverse("invitation", args=[invitation.token])).content.decode()
    assert "Maschinelle Übersetzung, nicht geprüft" in page
    assert "Budget de la Grande Région" in page  # the original, to unfold
    staff = factories.member_of(org, "staff")
    client = Client(headers={"accept-language": "de"})
    client.force_login(staff)
    detail = client.get(reverse("meeting_detail", args=[org.slug, meeting.pk])).content.decode()
    assert 'class="text-note text-note-machine"' in detail
    assert 'class="text-note text-note-outdated"' in detail
    french = Client(headers={"accept-language": "fr"})
    french.force_login(staff)
    original = french.get(reverse("meeting_detail", args=[org.slug, meeting.pk])).content.decode()
    assert "text-note" not in original  # readers of the original see no label
