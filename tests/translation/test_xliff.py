"""XLIFF for agencies: exported 2.0 validates against the OASIS schema and reads back in
translate-toolkit with the same ids, texts and states; imports match units by id and refuse
other languages, unknown ids and changed sources, changing nothing."""

import io
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from secretariat.core import texts
from secretariat.core.text_rules import Status
from secretariat.governance import agenda
from secretariat.governance.models import ItemKind
from secretariat.translation import glossary, xliff
from tests import factories

SCHEMAS = Path(__file__).parent.parent / "data" / "xliff_schemas"


@pytest.fixture
def dossier(org: Any) -> dict[str, Any]:
    glossary.tbx_import(
        organisation=org,
        file=io.BytesIO(
            b'<martif><text><body><termEntry><langSet xml:lang="fr"><tig><term>Directoire</term></tig></langSet>'
            b'<langSet xml:lang="de"><tig><term>Vorstand</term></tig></langSet></termEntry></body></text></martif>'
        ),
    )
    body = factories.body(org)
    meeting = factories.meeting(body, title={"fr": "Réunion du Directoire"})
    items = [
        agenda.item_add(
            meeting=meeting,
            by=None,
            kind=ItemKind.DECISION,
            title={"fr": "Budget"},
            draft_decision={"fr": "Le Directoire adopte le budget."},
        ),
        agenda.item_add(
            meeting=meeting,
            by=None,
            title={"fr": "Divers"},
            description={"fr": "Questions diverses & <urgentes>."},
        ),
    ]
    units = xliff.units_of([meeting, *items], "fr", "de", org)
    return {"meeting": meeting, "items": items, "units": units}


def test_xliff2_export_validates_against_the_oasis_schema(org: Any, dossier: Any) -> None:
    content = xliff.export_xliff2(
        units=dossier["units"], source="fr", target="de", file_id="meeting-1"
    )
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.0.xsd")))
    document = etree.fromstring(content)
    assert schema.validate(document), schema.error_log
    glossary_schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "glossary.xsd")))
    for element in document.iter("{urn:oasis:names:tc:xliff:glossary:2.0}glossary"):
        assert glossary_schema.validate(etree.ElementTree(element)), glossary_schema.error_log
    assert b"Vorstand" in content  # the glossary travels with the unit


def test_translate_toolkit_reads_the_same_ids_texts_and_states(org: Any, dossier: Any) -> None:
    content = xliff.export_xliff2(
        units=dossier["units"], source="fr", target="de", file_id="meeting-1"
    )
    store = Xliff2File.parsestring(content)
    read = {
        unit.getid().split("\x04")[-1]: (unit.source, unit.target or "") for unit in store.units
    }
    assert read == {u.id: (u.source, u.target) for u in dossier["units"]}
    assert "Questions diverses & <urgentes>." in {s for s, _t in read.values()}


def test_the_agencys_file_comes_back_as_human_translations_with_their_state(
    org: Any, dossier: Any
) -> None:
    content = xliff.export_xliff2(
        units=dossier["units"], source="fr", target="de", file_id="meeting-1"
    )
    store = Xliff2File.parsestring(content)
    translations = {
        "Budget": "Haushalt",
        "Le Directoire adopte le budget.": "Der Vorstand beschließt den Haushalt.",
        "Réunion du Directoire": "Sitzung des Vorstands",
        "Divers": "Verschiedenes",
        "Questions diverses & <urgentes>.": "Verschiedene & <dringende> Fragen.",
    }
    for unit in store.units:
        unit.target = translations[unit.source]
    returned = bytes(store)
    document = etree.fromstring(returned)
    title_unit = f"governance.meeting:{dossier['meeting'].pk}:title"
    for unit in document.iter("{urn:oasis:names:tc:xliff:document:2.0}unit"):
        for segment in unit.iter("{urn:oasis:names:tc:xliff:document:2.0}segment"):
            segment.set("state", "final" if unit.get("id") == title_unit else "translated")
    returned = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    report = xliff.import_xliff(organisation=org, file=io.BytesIO(returned), by=None)
    assert report.ok, report.problems
    assert report.imported == 5
    item = dossier["items"][0]
    item.refresh_from_db()
    assert item.draft_decision == {
        "fr": "Le Directoire adopte le budget.",
        "de": "Der Vorstand beschließt den Haushalt.",
    }
    assert texts.statuses_of(item)["draft_decision"]["de"] == Status.UNREVIEWED  # "translated"
    dossier["meeting"].refresh_from_db()
    assert texts.statuses_of(dossier["meeting"])["title"]["de"] == Status.REVIEWED  # "final"
    again = xliff.import_xliff(organisation=org, file=io.BytesIO(returned), by=None)
    assert again.imported == 0 and again.unchanged == 5  # no duplicate translations


def test_mismatching_files_are_refused_and_nothing_changes(
    org: Any, other_org: Any, dossier: Any
) -> None:
    content = xliff.export_xliff2(
        units=dossier["units"], source="fr", target="de", file_id="meeting-1"
    )
    filled = content.replace(
        b"<source>Budget</source>", b"<source>Budget</source><target>Haushalt</target>"
    )
    wrong_languages = filled.replace(b'trgLang="de"', b'trgLang="it"')
    assert (
        "works in"
        in xliff.import_xliff(organisation=org, file=io.BytesIO(wrong_languages), by=None).problems[
            0
        ][1]
    )
    report = xliff.import_xliff(
        organisation=other_org,
        file=io.BytesIO(filled.replace(b'trgLang="de"', b'trgLang="nl"')),
        by=None,
    )
    assert report.problems and all(
        "No text of this organisation" in m for _id, m in report.problems
    )
    agenda.item_update(item=dossier["items"][0], by=None, title={"fr": "Budget 2027"})
    report = xliff.import_xliff(organisation=org, file=io.BytesIO(filled), by=None)
    assert any("changed since the export" in m for _id, m in report.problems)
    dossier["items"][0].refresh_from_db()
    assert "de" not in dossier["items"][0].title
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff version="2.0">&a;</xliff>'
    )
    assert xliff.import_xliff(organisation=org, file=io.BytesIO(hostile), by=None).problems


def test_xliff12_export_for_older_tools(org: Any, dossier: Any) -> None:
    content = xliff.export_xliff12(
        units=dossier["units"], source="fr", target="de", original="meeting-1"
    )
    from translate.storage import xliff as xliff1

    store = xliff1.xlifffile.parsestring(content)
    assert {u.getid().split("\x04")[-1] for u in store.units} == {u.id for u in dossier["units"]}
    report = xliff.import_xliff(
        organisation=org,
        file=io.BytesIO(
            content.replace(
                b"<source>Divers</source>", b"<source>Divers</source><target>Verschiedenes</target>"
            )
        ),
        by=None,
    )
    assert report.ok and report.imported == 1


def test_xliff_pages_round_trip_and_are_isolated(
    client: Any, org: Any, other_org: Any, dossier: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    staff = factories.member_of(org, "staff")
    client.force_login(staff)
    url = (
        reverse("bundle_xliff", args=[org.slug, "governance.meeting", dossier["meeting"].pk])
        + "?source=fr&target=de"
    )
    response = client.get(url)
    assert response.status_code == 200 and b'trgLang="de"' in response.content
    assert (
        reverse("bundle_xliff", args=[org.slug, "governance.meeting", dossier["meeting"].pk])
        in client.get(
            reverse("meeting_detail", args=[org.slug, dossier["meeting"].pk])
        ).content.decode()
    )
    filled = response.content.replace(
        b"<source>Divers</source>", b"<source>Divers</source><target>Verschiedenes</target>"
    )
    imported = client.post(
        reverse("xliff_import", args=[org.slug]), {"file": SimpleUploadedFile("back.xlf", filled)}
    )
    assert imported.status_code == 302
    dossier["items"][1].refresh_from_db()
    assert dossier["items"][1].title["de"] == "Verschiedenes"
    refused = client.post(
        reverse("xliff_import", args=[org.slug]), {"file": SimpleUploadedFile("x.xlf", b"<nope/>")}
    )
    assert refused.status_code == 400
    client.force_login(factories.member_of(other_org, "admin"))
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse(
                "bundle_xliff", args=[other_org.slug, "governance.meeting", dossier["meeting"].pk]
            )
            + "?source=fr&target=nl"
        ).status_code
        == 404
    )
    client.force_login(factories.member_of(org, "readonly"))
    assert client.get(url).status_code == 403


def test_an_xliff_package_is_offered_only_for_kinds_registered_with_their_parts(
    client: Any, org: Any, dossier: Any
) -> None:
    """The kinds come from the apps' registrations (a meeting and its agenda); any other model
    label, translatable or not, names no package."""
    from django.urls import reverse

    client.force_login(factories.member_of(org, "staff"))
    meeting = dossier["meeting"]
    response = client.get(
        reverse("bundle_xliff", args=[org.slug, "governance.meeting", meeting.pk])
        + "?source=fr&target=de"
    )
    assert response.status_code == 200
    assert f"{org.slug}-meeting-{meeting.pk}-fr-de" in response["Content-Disposition"]
    assert "Divers" in response.content.decode()  # an agenda item: a part of the meeting
    item = dossier["items"][1]
    for label, pk in [
        ("governance.agendaitem", item.pk),
        ("core.organisation", org.pk),
        ("core.user", 1),
        ("nothing.here", 1),
    ]:
        url = reverse("bundle_xliff", args=[org.slug, label, pk]) + "?source=fr&target=de"
        assert client.get(url).status_code == 404, label


def _versions_in_every_state(org: Any) -> dict[str, Any]:
    """Five agenda items whose German version is reviewed, translated by a person, made by a
    machine, outdated (the French original changed since) and missing."""
    from secretariat.core.text_rules import MACHINE
    from secretariat.core.texts import text_review, texts_commit, texts_stage

    meeting = factories.meeting(factories.body(org), title={"fr": "Réunion"})

    def item(fr: str, de: str = "") -> Any:
        return agenda.item_add(
            meeting=meeting, by=None, title={"fr": fr, **({"de": de} if de else {})}
        )

    reviewed = item("Budget", "Haushalt")
    text_review(obj=reviewed, field_name="title", language="de", by=None)
    human = item("Divers", "Verschiedenes")
    machine = item("Rapport annuel")
    update = texts_stage(
        obj=machine, values={"title": {"de": "Jahresbericht"}}, origin=MACHINE, engine="deepl"
    )
    machine.save()
    texts_commit(update, by=None)
    outdated = item("Statuts", "Satzung")
    agenda.item_update(item=outdated, by=None, title={"fr": "Statuts révisés"})
    missing = item("Questions")
    return {
        "reviewed": reviewed,
        "human": human,
        "machine": machine,
        "outdated": outdated,
        "missing": missing,
    }


def test_xliff2_states_say_what_each_existing_translation_is(org: Any) -> None:
    made = _versions_in_every_state(org)
    units = xliff.units_of(list(made.values()), "fr", "de", org)
    document = etree.fromstring(
        xliff.export_xliff2(units=units, source="fr", target="de", file_id="states")
    )
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    states = {
        unit.get("id"): (
            unit.find(f"{ns}segment").get("state"),
            unit.find(f"{ns}segment").get("subState"),
        )
        for unit in document.iter(f"{ns}unit")
    }

    def of(name: str) -> tuple[str, str | None]:
        return states[f"governance.agendaitem:{made[name].pk}:title"]

    assert of("reviewed") == ("reviewed", None)
    assert of("human") == ("translated", None)
    assert of("machine") == ("initial", "secretariat:machine")
    assert of("outdated") == ("initial", "secretariat:outdated")
    assert of("missing") == ("initial", None)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.0.xsd")))
    assert schema.validate(document), schema.error_log


def test_xliff12_states_say_what_each_existing_translation_is(org: Any) -> None:
    from translate.storage import xliff as xliff1

    made = _versions_in_every_state(org)
    units = xliff.units_of(list(made.values()), "fr", "de", org)
    content = xliff.export_xliff12(units=units, source="fr", target="de", original="states")
    document = etree.fromstring(content)
    ns = "{urn:oasis:names:tc:xliff:document:1.2}"
    targets = {
        unit.get("id"): unit.find(f"{ns}target") for unit in document.iter(f"{ns}trans-unit")
    }

    def of(name: str) -> tuple[str | None, str | None]:
        target = targets[f"governance.agendaitem:{made[name].pk}:title"]
        return (target.get("state"), target.get("state-qualifier")) if target is not None else None  # type: ignore[return-value]

    assert of("reviewed") == ("signed-off", None)
    assert of("human") == ("translated", None)
    assert of("machine") == ("needs-review-translation", "mt-suggestion")
    assert of("outdated") == ("needs-translation", None)
    assert of("missing") is None
    # Tools read them as such: the outdated one needs work, the machine's needs review, the
    # reviewed one is approved.
    from translate.storage.workflow import StateEnum as state

    store = {u.getid().split("\x04")[-1]: u for u in xliff1.xlifffile.parsestring(content).units}

    def state_of(name: str) -> int:
        return store[f"governance.agendaitem:{made[name].pk}:title"].get_state_n()

    assert state.NEEDS_WORK <= state_of("outdated") < state.NEEDS_REVIEW
    assert state.NEEDS_REVIEW <= state_of("machine") < state.UNREVIEWED
    assert state.UNREVIEWED <= state_of("human") < state.FINAL
    assert store[f"governance.agendaitem:{made['reviewed'].pk}:title"].isapproved()


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_paragraph_breaks_survive_a_round_trip_through_translate_toolkit(
    org: Any, version: str
) -> None:
    from translate.storage import xliff as xliff1

    meeting = factories.meeting(factories.body(org), title={"fr": "Réunion"})
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        title={"fr": "Budget"},
        description={"fr": "Premier paragraphe.\n\nSecond paragraphe,\nsur deux lignes."},
    )
    units = xliff.units_of([item], "fr", "de", org)
    if version == "2.0":
        content = xliff.export_xliff2(units=units, source="fr", target="de", file_id="p")
        store: Any = Xliff2File.parsestring(content)
    else:
        content = xliff.export_xliff12(units=units, source="fr", target="de", original="p")
        store = xliff1.xlifffile.parsestring(content)
    unit_id = f"governance.agendaitem:{item.pk}:description"
    read = {u.getid().split("\x04")[-1]: u for u in store.units}
    assert read[unit_id].source == "Premier paragraphe.\n\nSecond paragraphe,\nsur deux lignes."
    read[unit_id].target = "Erster Absatz.\n\nZweiter Absatz,\nauf zwei Zeilen."
    read[f"governance.agendaitem:{item.pk}:title"].target = "Haushalt"
    report = xliff.import_xliff(organisation=org, file=io.BytesIO(bytes(store)), by=None)
    assert report.ok, report.problems
    item.refresh_from_db()
    assert item.description["de"] == "Erster Absatz.\n\nZweiter Absatz,\nauf zwei Zeilen."
