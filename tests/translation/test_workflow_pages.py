"""Pre-translation in the background, the words ledger, and the pages of the glossary, memory
and engines, each kept to its organisation and to the roles allowed."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.text_rules import Status
from secretariat.core.texts import statuses_of
from secretariat.translation import accounting, memory, queue
from secretariat.translation.models import (
    Concept,
    EngineSetting,
    MemoryOrigin,
    PretranslationRun,
    TranslatedWords,
)
from tests import factories


@pytest.fixture
def immediate(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def logged_in(user: Any, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_pretranslating_the_queue_fills_from_memory_and_engine_and_says_what_failed(
    org: Any, staff: Any, immediate: None, fake: str, django_capture_on_commit_callbacks: Any
) -> None:
    memory.memory_add(
        organisation=org,
        source_language="fr",
        target_language="de",
        source="Ville de Metz",
        target="Stadt Metz",
        origin=MemoryOrigin.REVIEWED,
    )
    known = factories.partner(org, name={"fr": "Ville de Metz"})
    unknown = factories.partner(org, name={"fr": "Ville de Trèves"})
    client = logged_in(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("translation_pretranslate", args=[org.slug]), {"language": "de"}
        )
    run = PretranslationRun.objects.get(organisation=org)
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    assert run.state == PretranslationRun.State.DONE
    known.refresh_from_db()
    assert known.name["de"] == "Stadt Metz"
    assert statuses_of(known)["name"]["de"] == Status.MACHINE  # never shown as reviewed
    assert run.done >= 1 and run.failed >= 1
    assert any(unit == f"network.partner:{unknown.pk}:name" for unit, _m in run.problems)
    # With an engine configured, the rest is machine-translated.
    EngineSetting.objects.create(organisation=org, kind="libretranslate", url=fake)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("translation_pretranslate", args=[org.slug]), {"language": "de"})
    unknown.refresh_from_db()
    assert unknown.name["de"] == "[de] Ville de Trèves"
    page = client.get(reverse("translation_run", args=[org.slug, run.pk])).content.decode()
    assert "progress" in page
    # The ledger counted both, by origin.
    origins = set(TranslatedWords.objects.filter(organisation=org).values_list("origin", flat=True))
    assert {"memory", "machine"} <= origins


def test_confidential_texts_are_not_sent_outside_even_when_external_engines_are_allowed(
    org: Any, staff: Any, fake: str
) -> None:
    from secretariat.governance import agenda
    from secretariat.translation import pretranslate

    org.machine_translation_external = True
    org.save()
    EngineSetting.objects.create(organisation=org, kind="deepl", secret="k", url=fake)
    body = factories.body(org)
    meeting = factories.meeting(body)
    closed = agenda.item_add(meeting=meeting, by=None, title={"fr": "Personnel"}, public=False)
    run = PretranslationRun.objects.create(
        organisation=org,
        language="de",
        units=[f"governance.agendaitem:{closed.pk}:title"],
        total=1,
    )
    pretranslate.execute(run)
    closed.refresh_from_db()
    assert "de" not in closed.title and run.failed == 1


def test_words_are_counted_per_language_and_origin_and_exported(org: Any, staff: Any) -> None:
    from secretariat.network import services as network

    partner = factories.partner(org, name={"fr": "La Ville de Luxembourg"})
    network.partner_update(partner=partner, by=staff, name={"de": "Die Stadt Luxemburg"})
    figures = accounting.monthly(org)
    assert figures[0].language == "de" and figures[0].words["human"] == 4
    client = logged_in(staff)
    csv = client.get(reverse("translated_words", args=[org.slug]) + "?format=csv").content
    assert b"month,language,memory,machine,human,agency,total" in csv.replace(b"\r", b"")
    assert b",de,0,0,4,0,4" in csv
    xlsx = client.get(reverse("translated_words", args=[org.slug]) + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_a_concept_is_added_in_the_form_and_a_csv_glossary_imported_once(
    org: Any, staff: Any
) -> None:
    client = logged_in(staff)
    response = client.post(
        reverse("concept_create", args=[org.slug]),
        {
            "preferred_fr": "Directoire",
            "preferred_de": "Vorstand",
            "forbidden_de": "Direktorium; Direktion",
            "note": "Organe exécutif",
        },
    )
    assert response.status_code == 302
    concept = Concept.objects.get(organisation=org)
    assert {(t.language, t.text, t.status) for t in concept.terms.all()} == {
        ("fr", "Directoire", "preferred"),
        ("de", "Vorstand", "preferred"),
        ("de", "Direktorium", "forbidden"),
        ("de", "Direktion", "forbidden"),
    }
    table = "concept,language,term,status\n1,fr,Grande Région,preferred\n1,de,Großregion,preferred\n1,nl,Grote Regio,preferred\n"
    for _ in range(2):
        upload = io.BytesIO(table.encode())
        upload.name = "terms.csv"
        response = client.post(reverse("glossary", args=[org.slug]), {"file": upload})
        assert response.status_code == 302
    assert Concept.objects.filter(organisation=org).count() == 2  # not twice
    bad = io.BytesIO(b"concept,language,term,status\n1,fr,X,wrong\n")
    bad.name = "bad.csv"
    response = logged_in(staff, "fr").post(reverse("glossary", args=[org.slug]), {"file": bad})
    assert response.status_code == 400 and "Ligne 2" in response.content.decode()
    page = client.get(reverse("glossary", args=[org.slug]) + "?q=Vorstand").content.decode()
    assert "Vorstand" in page and "Großregion" not in page
    tbx = client.get(reverse("glossary", args=[org.slug]) + "?export=tbx").content
    assert b"Gro\xc3\x9fregion" in tbx


def test_the_memory_page_imports_tmx_looks_up_and_exports(org: Any, staff: Any) -> None:
    tmx = """<?xml version="1.0"?><tmx version="1.4"><header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>
    <body><tu><tuv xml:lang="fr"><seg>La séance est ouverte.</seg></tuv><tuv xml:lang="de"><seg>Die Sitzung ist eröffnet.</seg></tuv></tu></body></tmx>""".encode()
    upload = io.BytesIO(tmx)
    upload.name = "m.tmx"
    client = logged_in(staff)
    assert client.post(reverse("memory", args=[org.slug]), {"file": upload}).status_code == 302
    page = client.get(
        reverse("memory", args=[org.slug]) + "?source=fr&target=de&q=La+séance+est+ouverte."
    ).content.decode()
    assert "Die Sitzung ist eröffnet." in page and "100 %" in page
    hostile = io.BytesIO(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><tmx>&e;</tmx>'
    )
    hostile.name = "x.tmx"
    response = client.post(reverse("memory", args=[org.slug]), {"file": hostile})
    assert response.status_code == 400 and "root:" not in response.content.decode()
    exported = client.get(reverse("memory", args=[org.slug]) + "?export=tmx").content
    assert "Die Sitzung ist eröffnet.".encode() in exported


def test_engines_are_configured_by_administrators_and_keys_are_never_shown(
    org: Any, admin: Any, staff: Any
) -> None:
    url = reverse("engines", args=[org.slug])
    assert logged_in(staff).get(url).status_code == 403
    client = logged_in(admin)
    response = client.post(
        url, {"kind": "deepl", "url": "", "secret": "", "position": 1, "enabled": "on"}
    )
    assert response.status_code == 400 and "key" in response.content.decode()
    client.post(
        url,
        {
            "kind": "deepl",
            "url": "https://api.deepl.com",
            "secret": "SECRET-KEY",
            "position": 1,
            "enabled": "on",
        },
    )
    setting = EngineSetting.objects.get(organisation=org)
    assert setting.secret == "SECRET-KEY"
    edit = client.get(reverse("engine_edit", args=[org.slug, setting.pk])).content.decode()
    assert "SECRET-KEY" not in edit
    # Saving again without a key keeps the one saved.
    client.post(
        url,
        {
            "pk": setting.pk,
            "kind": "deepl",
            "url": "https://api.deepl.com",
            "secret": "",
            "position": 2,
            "enabled": "on",
        },
    )
    setting.refresh_from_db()
    assert setting.secret == "SECRET-KEY" and setting.position == 2
    client.post(url, {"policy": "1", "machine_translation_external": "on"})
    org.refresh_from_db()
    assert org.machine_translation_external
    from secretariat.core.models import AuditEntry

    assert not AuditEntry.objects.filter(changes__icontains="SECRET-KEY").exists()


def test_resource_pages_are_kept_to_their_organisation(org: Any, other_org: Any) -> None:
    outsider = factories.member_of(other_org, "admin")
    member = factories.member_of(org, "member")
    concept = Concept.objects.create(organisation=org)
    setting = EngineSetting.objects.create(organisation=org, kind="libretranslate", url="http://x")
    run = PretranslationRun.objects.create(organisation=org, language="de", units=[], total=0)
    urls = [
        reverse("glossary", args=[org.slug]),
        reverse("concept_edit", args=[org.slug, concept.pk]),
        reverse("memory", args=[org.slug]),
        reverse("engines", args=[org.slug]),
        reverse("engine_edit", args=[org.slug, setting.pk]),
        reverse("translated_words", args=[org.slug]),
        reverse("translation_run", args=[org.slug, run.pk]),
        reverse("queue_xliff", args=[org.slug]) + "?source=fr&target=de",
    ]
    for user, expected in ((outsider, 404), (member, 403)):
        client = logged_in(user)
        for url in urls:
            assert client.get(url).status_code == expected, (user, url)
        posts = [
            (reverse("translation_pretranslate", args=[org.slug]), {"language": "de"}),
            (reverse("glossary", args=[org.slug]), {}),
            (reverse("concept_create", args=[org.slug]), {"preferred_fr": "x"}),
            (reverse("concept_edit", args=[org.slug, concept.pk]), {"delete": "1"}),
            (reverse("memory", args=[org.slug]), {}),
            (reverse("engines", args=[org.slug]), {"pk": setting.pk, "delete": "1"}),
            (reverse("xliff_import", args=[org.slug]), {}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == expected, (user, url)
    assert Concept.objects.filter(pk=concept.pk).exists()
    assert EngineSetting.objects.filter(pk=setting.pk).exists()
    # Their own organisation's address with our object ids: not found.
    client = logged_in(outsider)
    assert client.get(reverse("concept_edit", args=[other_org.slug, concept.pk])).status_code == 404
    assert client.get(reverse("engine_edit", args=[other_org.slug, setting.pk])).status_code == 404
    assert client.get(reverse("translation_run", args=[other_org.slug, run.pk])).status_code == 404


def test_the_queue_exports_as_one_xliff_package(org: Any, staff: Any) -> None:
    from lxml import etree

    partner = factories.partner(org, name={"fr": "Ville de Sarrebruck"})
    response = logged_in(staff).get(
        reverse("queue_xliff", args=[org.slug]) + "?source=fr&target=de"
    )
    root = etree.fromstring(response.content)
    ids = [u.get("id") for u in root.iter("{urn:oasis:names:tc:xliff:document:2.0}unit")]
    assert f"network.partner:{partner.pk}:name" in ids
    assert all(i in queue.all_units(org, "de", queue.OPEN) for i in ids)


def test_a_meeting_is_pretranslated_with_its_agenda_from_its_page(
    org: Any, staff: Any, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    from secretariat.governance import agenda

    for source, target in (("Budget", "Haushalt"), ("Réunion de printemps", "Frühjahrssitzung")):
        memory.memory_add(
            organisation=org,
            source_language="fr",
            target_language="de",
            source=source,
            target=target,
            origin=MemoryOrigin.REVIEWED,
        )
    meeting = factories.meeting(factories.body(org), title={"fr": "Réunion de printemps"})
    item = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget"})
    client = logged_in(staff)
    page = client.get(reverse("meeting_detail", args=[org.slug, meeting.pk])).content.decode()
    assert reverse("translation_pretranslate", args=[org.slug]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("translation_pretranslate", args=[org.slug]),
            {"language": "de", "model": "governance.meeting", "pk": meeting.pk},
        )
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.title["de"] == "Frühjahrssitzung" and item.title["de"] == "Haushalt"
    run = PretranslationRun.objects.get(organisation=org)
    assert run.total == 2 and run.done == 2
