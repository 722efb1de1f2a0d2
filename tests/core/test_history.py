"""The history on every object page reads in the reader's language at read time, with times
in the organisation's time zone: field labels are the models' names for them, choices their
labels, dates in the reader's format, translatable fields per language, and no internal key,
id or code; entries stored by every service render so, and a page reads them in one query."""

import datetime
import re
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.core import audit
from secretariat.core.models import AuditEntry
from secretariat.network import services as network
from tests import factories

LUXEMBOURG = zoneinfo.ZoneInfo("Europe/Luxembourg")
# 13:30 UTC is 14:30 in Luxembourg, 13:30 on a server that would keep UTC.
WRITTEN = datetime.datetime(2026, 12, 1, 13, 30, tzinfo=datetime.UTC)


def history(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    start = page.index('<section class="audit"')
    section = page[start : page.index("</section>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).replace("&#x27;", "'")


def reader(org: Any, language: str) -> Client:
    client = Client()
    client.force_login(factories.member_of(org, "staff", language=language))
    return client


@pytest.fixture
def partner(org: Any, time_machine: Any) -> Any:
    time_machine.move_to(WRITTEN)
    editor = factories.member_of(org, "staff", full_name="Claire Martin")
    created = network.partner_create(
        organisation=org, by=editor, kind="municipality", country="FR", name={"fr": "Metz"}
    )
    network.partner_update(
        partner=created,
        by=editor,
        kind="region",
        name={"fr": "Ville de Metz", "de": "Stadt Metz"},
        member_since=datetime.date(2024, 3, 1),
        vote_weight=Decimal("1.5"),
    )
    return created


def test_a_change_reads_in_german_for_a_german_reader(org: Any, partner: Any) -> None:
    text = history(reader(org, "de"), reverse("partner_detail", args=[org.slug, partner.pk]))
    assert "01.12.2026 14:30" in text  # Luxembourg time, German format
    assert "Claire Martin hat „Ville de Metz“ (Partner) geändert." in text
    assert "Offizielle Bezeichnung (Französisch): Metz → Ville de Metz" in text
    assert "Offizielle Bezeichnung (Deutsch): — → Stadt Metz" in text
    assert "Art: Gemeinde → Region" in text
    assert "Mitglied seit: — → 1. März 2024" in text
    assert "Stimmgewicht: — → 1,50" in text
    for internal in ("member_since", "municipality", "vote_weight", "2024-03-01", "(#", " FR:"):
        assert internal not in text, internal


def test_the_same_change_reads_in_french_and_in_english(org: Any, partner: Any) -> None:
    url = reverse("partner_detail", args=[org.slug, partner.pk])
    french = history(reader(org, "fr"), url)
    assert "01/12/2026 14:30" in french
    assert "Claire Martin a modifié « Ville de Metz » (partenaire)." in french
    assert "Dénomination officielle (allemand) : — → Stadt Metz" in french
    assert "Membre depuis le : — → 1 mars 2024" in french
    english = history(reader(org, "en"), url)
    assert "01/12/2026 14:30" in english
    assert "Claire Martin changed “Ville de Metz” (partner)." in english
    assert "Member since: — → 1 March 2024" in english
    assert "Claire Martin created “Metz” (partner)." in english
    assert "Country: France" in english


def _stored(org: Any, obj: Any, action: str, changes: dict[str, Any], **extra: Any) -> None:
    """An entry as a service stored it (the shapes below are what they record today)."""
    AuditEntry.objects.create(
        organisation=org,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj),
        changes=changes,
        **extra,
    )


def test_every_kind_of_stored_entry_reads_without_internal_keys(org: Any) -> None:
    from secretariat.governance import agenda

    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    person = factories.person(org, given_name="Jonas", family_name="Weber")
    membership = factories.membership(body, person)
    meeting = factories.meeting(body, title={"fr": "Directoire de mars"})
    item = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget"})
    within_body = {
        "scope_type": ContentType.objects.get_for_model(body),
        "scope_id": body.pk,
    }
    within_meeting = {
        "scope_type": ContentType.objects.get_for_model(meeting),
        "scope_id": meeting.pk,
    }
    # core/services.py role_grant, role_revoke; translation/machine.py policy_set,
    # engine_save, engine_remove; glossary.py glossary_import; memory.py memory_import;
    # documents/views.py templates.
    _stored(org, org, "update", {"roles": [None, "anna@example.org: staff"]})
    _stored(org, org, "update", {"roles": ["otto@example.org: admin", None]})
    _stored(org, org, "update", {"machine_translation_external": [False, True]})
    _stored(org, org, "update", {"engine": [None, "deepl https://api.deepl.com"]})
    _stored(org, org, "update", {"engine": ["libretranslate", None]})
    _stored(org, org, "import", {"glossary": ["iate.tbx", "12 / 30"]})
    _stored(org, org, "import", {"memory": ["dgt.tmx", "1 / 1"]})
    _stored(org, org, "update", {"template": [None, "Convocation fr"]})
    # governance/convocation.py meeting_convene and meeting_announce; agenda.py
    # agenda_reorder; meeting state through core/writes.py.
    _stored(
        org,
        meeting,
        "update",
        {
            "state": ["planned", "convened"],
            "convocation": [None, "12 members"],
            "notice_override_reason": [None, "Urgence budgétaire"],
        },
        **within_body,
    )
    _stored(org, meeting, "update", {"update": [None, 2]}, **within_body)
    _stored(org, meeting, "update", {"cancellation": [None, 3]}, **within_body)
    _stored(org, meeting, "update", {"agenda": [["1", "2"], ["1", "2"]]}, **within_body)
    _stored(
        org,
        meeting,
        "update",
        {"start": ["2027-03-10 09:00:00+00:00", "2027-03-11 13:30:00+00:00"]},
        **within_body,
    )
    # governance/item_documents.py; decisions.py vote_record; texts.py text_review;
    # translation/machine.py _apply; queue.py assignment; workbench and XLIFF imports.
    _stored(org, item, "update", {"document": [None, "Rapport (fr, de)"]}, **within_meeting)
    _stored(org, item, "update", {"vote": [None, "Adopted: 12 for, 1 against."]}, **within_meeting)
    _stored(org, meeting, "review", {"title": ["de", "reviewed"]}, **within_body)
    _stored(org, meeting, "update", {"title": [None, "de: deepl"]}, **within_body)
    _stored(org, meeting, "update", {"title": ["de", "anna@example.org 2027-02-01"]}, **within_body)
    _stored(
        org,
        meeting,
        "update",
        {"title": [{"fr": "Directoire de mars"}, {"fr": "Directoire de mars", "de": "Vorstand"}]},
        **within_body,
    )
    # governance/services.py membership (a foreign key, a boolean).
    _stored(
        org,
        membership,
        "update",
        {"voting": [True, False], "person": [None, f"Jonas Weber (#{person.pk})"]},
        **within_body,
    )
    german = reader(org, "de")
    admin = Client()  # the organisation's page and its history are for administrators
    admin.force_login(factories.member_of(org, "admin", language="de"))
    settings_text = history(admin, reverse("organisation_settings", args=[org.slug]))
    assert "anna@example.org hat die Rolle „Sekretariatspersonal“ erhalten." in settings_text
    assert "otto@example.org hat die Rolle „Administrator(in)“ nicht mehr." in settings_text
    assert "ja" in settings_text and "nein" in settings_text
    assert "Übersetzungsdienst gespeichert: DeepL (https://api.deepl.com)." in settings_text
    assert "Übersetzungsdienst entfernt: LibreTranslate" in settings_text
    assert "Glossar aus „iate.tbx“ importiert: 12 Begriffe, 30 Benennungen." in settings_text
    assert "Translation Memory aus „dgt.tmx“ importiert: 1 Einheit gelesen, 1 hinzugefügt." in (
        settings_text
    )
    assert "Dokumentvorlage hinzugefügt: Convocation fr." in settings_text
    meeting_text = history(german, reverse("meeting_detail", args=[org.slug, meeting.pk]))
    assert "Status: geplant → einberufen" in meeting_text
    assert "12 Mitglieder einberufen." in meeting_text
    assert "Die Änderungen wurden an die Einberufenen gesendet." in meeting_text
    assert "Die Absage wurde an die Einberufenen gesendet." in meeting_text
    assert "Die Tagesordnung wurde neu geordnet." in meeting_text
    assert "10. März 2027 10:00 → 11. März 2027 14:30" in meeting_text
    assert "Dokument hinzugefügt: Rapport (fr, de)." in meeting_text
    assert "Titel (Deutsch): geprüft" in meeting_text
    assert "Titel (Deutsch): — → maschinelle Übersetzung (DeepL)" in meeting_text
    assert "Titel (Deutsch): zugewiesen an anna@example.org, fällig am 1. Februar 2027" in (
        meeting_text
    )
    assert "Titel (Deutsch): — → Vorstand" in meeting_text
    body_text = history(german, reverse("body_detail", args=[org.slug, body.pk]))
    assert "Stimmrecht: ja → nein" in body_text
    assert "Person: — → Jonas Weber" in body_text
    for text in (settings_text, meeting_text, body_text):
        for internal in (
            "roles",
            "engine",
            "convocation",
            "cancellation",
            "notice_override_reason",
            "(#",
            ": staff",
            "de: deepl",
            "planned",
            "2027-",
        ):
            assert internal not in text, (internal, text)


def test_a_page_reads_its_history_in_one_query_whatever_its_length(
    org: Any, partner: Any, django_assert_num_queries: Any
) -> None:
    url = reverse("partner_detail", args=[org.slug, partner.pk])
    client = reader(org, "fr")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    audit_queries = [q for q in captured if "core_auditentry" in q["sql"]]
    assert len(audit_queries) == 1
    others = [factories.member_of(org, "staff"), factories.member_of(org, "admin")]
    for n in range(30):
        audit.record(
            by=others[n % 2],
            action="update",
            obj=partner,
            changes={"vote_weight": [str(n), str(n + 1)], "member_since": [None, "2025-01-01"]},
        )
    with django_assert_num_queries(len(captured)):
        page = client.get(url)
    assert page.content.decode().count("1 janvier 2025") == 30
