"""A form saved unchanged from a browser (CRLF in text areas, dates as the pickers show them)
changes nothing and writes no audit entry, in every language of the interface."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core import texts
from secretariat.core.models import AuditEntry, TextVersion
from secretariat.governance import agenda
from secretariat.governance.models import ItemKind
from secretariat.translation.models import TranslatedWords
from tests import factories
from tests.browser_forms import resubmit


@pytest.mark.parametrize("language", ["fr", "de", "nl"])
def test_an_agenda_item_saved_unchanged_keeps_its_reviews_and_outdated_flags(
    client: Client, org: Any, admin: Any, language: str
) -> None:
    meeting = factories.meeting(factories.body(org))
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget 2027", "de": "Haushalt 2027"},
        description={"fr": "Le budget.\nDeux lignes.", "de": "Der Haushalt.\nZwei Zeilen."},
        draft_decision={"fr": "Adopté.", "de": "Beschlossen."},
    )
    texts.text_review(obj=item, field_name="description", language="de", by=admin)
    agenda.item_update(item=item, by=admin, draft_decision={"fr": "Adopté tel quel.\nFin."})
    states = list(TextVersion.objects.order_by("id").values())
    audit_entries, words = AuditEntry.objects.count(), TranslatedWords.objects.count()
    admin.language = language
    admin.save()
    client.force_login(admin)

    response = resubmit(client, reverse("item_edit", args=[org.slug, meeting.pk, item.pk]))

    assert response.status_code == 302
    assert list(TextVersion.objects.order_by("id").values()) == states
    assert AuditEntry.objects.count() == audit_entries
    assert TranslatedWords.objects.count() == words
    statuses = texts.statuses_of(item)
    assert statuses["description"]["de"] == "reviewed"
    assert statuses["draft_decision"]["de"] == "outdated"
