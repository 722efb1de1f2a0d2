"""The translation API end to end: queue, one version with suggestions, save and review,
assignment, pre-translation, glossary, memory, XLIFF and words; isolation and permissions on
every endpoint."""

import io
from typing import Any

import pytest
from django.test import Client

from secretariat.core.tokens import token_create
from secretariat.translation import memory
from secretariat.translation.models import Concept, MemoryOrigin, PretranslationRun
from tests import factories


@pytest.fixture(autouse=True)
def _no_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


@pytest.fixture
def partner(org: Any) -> Any:
    return factories.partner(org, name={"fr": "Le Directoire de la Grande Région"})


def test_translate_a_unit_through_the_api_from_queue_to_review(
    client: Client, org: Any, partner: Any
) -> None:
    staff = factories.member_of(org, "staff")
    auth = bearer(staff)
    base = f"/api/v1/organisations/{org.slug}/translation"
    memory.memory_add(
        organisation=org,
        source_language="fr",
        target_language="de",
        source="Le Directoire de la Grande Région",
        target="Der Vorstand der Großregion",
        origin=MemoryOrigin.TMX,
    )
    Concept.objects.create(organisation=org)  # an empty concept changes nothing
    client.post(
        f"{base}/glossary",
        {
            "terms": [
                {"language": "fr", "text": "Directoire"},
                {"language": "de", "text": "Vorstand"},
                {"language": "de", "text": "Direktorium", "status": "forbidden"},
            ]
        },
        content_type="application/json",
        **auth,
    )
    listed = client.get(f"{base}/queue?language=de", **auth).json()
    unit = f"network.partner:{partner.pk}:name"
    assert unit in [i["unit"] for i in listed["items"]]
    assert listed["count"] == len(listed["items"])
    shown = client.get(f"{base}/units/{unit}/de", **auth).json()
    assert shown["status"] == "missing"
    assert shown["memory"][0]["matches"][0] == {
        "score": 100.0,
        "source": "Le Directoire de la Grande Région",
        "target": "Der Vorstand der Großregion",
        "origin": "tmx",
        "note": "",
    }
    assert ["Directoire", "Vorstand · not: Direktorium"] in shown["glossary"]
    saved = client.put(
        f"{base}/units/{unit}/de",
        {"text": "Das Direktorium der Großregion"},
        content_type="application/json",
        **auth,
    ).json()
    assert saved["status"] == "unreviewed" and saved["origin"] == "human"
    assert any("Direktorium" in w for w in saved["warnings"])
    reviewed = client.post(f"{base}/units/{unit}/de/review", **auth).json()
    assert reviewed["status"] == "reviewed"
    assigned = client.put(
        f"{base}/units/{unit}/de/assignment",
        {"assignee_id": staff.pk, "due": "2026-12-01"},
        content_type="application/json",
        **auth,
    )
    assert assigned.json() == {"assignee_id": staff.pk, "due": "2026-12-01"}
    outsider = factories.member_of(factories.organisation(), "staff")
    refused = client.put(
        f"{base}/units/{unit}/de/assignment",
        {"assignee_id": outsider.pk},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 422
    words = client.get(f"{base}/words", **auth).json()
    assert words[0]["language"] == "de" and words[0]["words"]["human"] == 6


def test_bad_input_gets_clear_errors_and_changes_nothing(
    client: Client, org: Any, partner: Any
) -> None:
    auth = bearer(factories.member_of(org, "staff"))
    base = f"/api/v1/organisations/{org.slug}/translation"
    unit = f"network.partner:{partner.pk}:name"
    empty = client.put(
        f"{base}/units/{unit}/de",
        {"text": " "},
        content_type="application/json",
        **auth,
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert empty.status_code == 422
    assert "Übersetzung" in str(empty.json()["errors"])
    assert client.get(f"{base}/units/{unit}/en", **auth).status_code == 404
    assert client.get(f"{base}/units/network.partner:999999:name/de", **auth).status_code == 404
    assert (
        client.get(f"{base}/units/network.partner:{partner.pk}:website/de", **auth).status_code
        == 404
    )
    assert client.get(f"{base}/queue?language=xx", **auth).status_code == 422
    changed = (
        b"""<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="de"><file id="f"><unit id="network.partner:%d:name"><segment><source>Autre texte</source><target>X</target></segment></unit></file></xliff>"""
        % partner.pk
    )
    upload = io.BytesIO(changed)
    upload.name = "back.xlf"
    report = client.post(f"{base}/xliff", {"file": upload}, **auth)
    assert report.status_code == 422
    assert report.json()["problems"][0][0] == f"network.partner:{partner.pk}:name"
    partner.refresh_from_db()
    assert partner.name == {"fr": "Le Directoire de la Grande Région"}


def test_xliff_round_trip_and_glossary_and_memory_files_through_the_api(
    client: Client, org: Any, partner: Any
) -> None:
    auth = bearer(factories.member_of(org, "staff"))
    base = f"/api/v1/organisations/{org.slug}/translation"
    exported = client.get(f"{base}/xliff?source=fr&target=de", **auth)
    assert exported.status_code == 200
    filled = exported.content.replace(
        b"</source>", "</source><target>Der Vorstand der Großregion</target>".encode()
    )
    upload = io.BytesIO(filled)
    upload.name = "back.xlf"
    report = client.post(f"{base}/xliff", {"file": upload}, **auth).json()
    assert report["imported"] >= 1 and report["problems"] == []
    partner.refresh_from_db()
    assert partner.name["de"] == "Der Vorstand der Großregion"
    tbx = client.get(f"{base}/glossary/export?format=tbx", **auth)
    assert tbx.status_code == 200 and tbx.content.startswith(b"<?xml")
    table = io.BytesIO(b"concept,language,term\n1,fr,Sommet\n1,de,Gipfel\n1,it,Vertice\n")
    table.name = "g.csv"
    imported = client.post(f"{base}/glossary/import", {"file": table}, **auth).json()
    assert imported == {
        "imported": 1,
        "terms": 2,
        "updated": 0,
        "unchanged": 0,
        "left_out_languages": ["it"],
    }
    from secretariat.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        organisation=org, action="import", changes__has_key="glossary"
    ).exists()  # imports through the API are in the history like those of the pages
    listed = client.get(f"{base}/glossary?q=Gipfel", **auth).json()
    assert listed["count"] == 1
    concept_id = listed["items"][0]["id"]
    assert client.delete(f"{base}/glossary/{concept_id}", **auth).status_code == 204
    tmx = client.get(f"{base}/memory/export", **auth)
    assert tmx.status_code == 200 and b"<tmx" in tmx.content
    found = client.get(
        f"{base}/memory?source=fr&target=de&text=Le Directoire de la Grande Région", **auth
    )
    assert found.status_code == 200


def test_pretranslation_is_started_and_followed_through_the_api(
    client: Client, org: Any, partner: Any
) -> None:
    auth = bearer(factories.member_of(org, "staff"))
    base = f"/api/v1/organisations/{org.slug}/translation"
    started = client.post(
        f"{base}/pretranslate", {"language": "de"}, content_type="application/json", **auth
    )
    assert started.status_code == 202
    run = started.json()
    assert run["total"] >= 1 and run["state"] == "queued"
    assert client.get(f"{base}/runs/{run['id']}", **auth).json()["id"] == run["id"]
    nothing = client.post(
        f"{base}/pretranslate",
        {"language": "de", "units": []},
        content_type="application/json",
        **auth,
    )
    assert nothing.status_code == 422


def test_every_translation_endpoint_is_kept_to_its_organisation_and_roles(
    client: Client, org: Any, other_org: Any, partner: Any
) -> None:
    concept = Concept.objects.create(organisation=org)
    run = PretranslationRun.objects.create(organisation=org, language="de", units=[], total=0)
    unit = f"network.partner:{partner.pk}:name"
    base = f"/api/v1/organisations/{org.slug}/translation"
    gets = [
        f"{base}/queue?language=de",
        f"{base}/units/{unit}/de",
        f"{base}/runs/{run.pk}",
        f"{base}/glossary",
        f"{base}/glossary/export",
        f"{base}/memory?source=fr&target=de&text=x",
        f"{base}/memory/export",
        f"{base}/xliff?source=fr&target=de",
        f"{base}/words",
    ]
    writes = [
        ("put", f"{base}/units/{unit}/de", {"text": "x"}),
        ("post", f"{base}/units/{unit}/de/review", {}),
        ("post", f"{base}/units/{unit}/de/machine", {}),
        ("put", f"{base}/units/{unit}/de/assignment", {}),
        ("post", f"{base}/pretranslate", {"language": "de"}),
        ("post", f"{base}/glossary", {"terms": [{"language": "fr", "text": "x"}]}),
        ("put", f"{base}/glossary/{concept.pk}", {"terms": [{"language": "fr", "text": "x"}]}),
        ("delete", f"{base}/glossary/{concept.pk}", None),
    ]
    for user, expected in (
        (factories.member_of(other_org, "admin"), 404),
        (factories.member_of(org, "member"), 403),
    ):
        auth = bearer(user)
        for url in gets:
            assert client.get(url, **auth).status_code == expected, url
        for method, url, payload in writes:
            response = (
                getattr(client, method)(url, payload, content_type="application/json", **auth)
                if payload is not None
                else getattr(client, method)(url, **auth)
            )
            assert response.status_code == expected, url
    # Ids of this organisation asked through another's address: not found.
    auth = bearer(factories.member_of(other_org, "admin"))
    other = f"/api/v1/organisations/{other_org.slug}/translation"
    assert client.get(f"{other}/units/{unit}/nl", **auth).status_code == 404
    assert client.get(f"{other}/runs/{run.pk}", **auth).status_code == 404
    assert client.delete(f"{other}/glossary/{concept.pk}", **auth).status_code == 404
    partner.refresh_from_db()
    assert partner.name == {"fr": "Le Directoire de la Grande Région"}
    assert Concept.objects.filter(pk=concept.pk).exists()
