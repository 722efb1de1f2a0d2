"""The termbase: checks on inflected forms in French, German and Dutch, forbidden and
untranslatable terms, TBX import of multilingual entries, warnings beside the texts."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEntry
from secretariat.translation import glossary
from secretariat.translation.models import Concept, Term
from tests import factories

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="fr"><martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
<text><body>
 <termEntry id="IATE-1">
  <descrip type="definition">Espace de coopération transfrontalière</descrip>
  <langSet xml:lang="fr"><tig><term>Grande Région</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
  <langSet xml:lang="de"><tig><term>Großregion</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>Grenzregion</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
  <langSet xml:lang="nl"><tig><term>Grote Regio</term></tig></langSet>
  <langSet xml:lang="it"><tig><term>Grande Regione</term></tig></langSet>
 </termEntry>
 <termEntry id="c2">
  <langSet xml:lang="fr"><tig><term>Directoire</term></tig></langSet>
  <langSet xml:lang="de"><tig><term>Vorstand</term></tig></langSet>
  <langSet xml:lang="nl"><tig><term>Directiecomité</term></tig></langSet>
 </termEntry>
 <termEntry id="c3">
  <langSet xml:lang="fr"><tig><term>QuattroPole</term><descrip type="Translation needed">No</descrip></tig></langSet>
 </termEntry>
</body></text></martif>"""


@pytest.fixture
def termbase(db: Any) -> Any:
    org = factories.organisation("gr-terms", languages=("fr", "de", "nl"))
    report = glossary.tbx_import(organisation=org, file=io.BytesIO(TBX.encode()))
    assert not report.error and report.concepts == 3
    assert report.unknown_languages == {"it"}
    return org


def issues(
    org: Any, source_language: str, source: str, target_language: str, target: str
) -> list[glossary.Issue]:
    return glossary.check(
        concepts=glossary.concepts_valid(org),
        source_language=source_language,
        source_text=source,
        target_language=target_language,
        target_text=target,
    )


def test_inflected_forms_count_as_the_term(termbase: Any) -> None:
    assert (
        issues(
            termbase,
            "fr",
            "Le Directoire de la Grande Région se réunit.",
            "de",
            "Der Vorstand der Großregion tritt zusammen.",
        )
        == []
    )
    # German genitive "des Vorstands", Dutch plural: still the terms.
    assert (
        issues(termbase, "fr", "Les membres du Directoire.", "de", "Die Mitglieder des Vorstands.")
        == []
    )
    assert (
        issues(
            termbase, "fr", "Les Directoires des villes.", "nl", "De directiecomités van de steden."
        )
        == []
    )


def test_a_missing_term_and_a_deprecated_one_are_flagged(termbase: Any) -> None:
    found = issues(
        termbase,
        "fr",
        "La Grande Région soutient le projet.",
        "de",
        "Die Grenzregion unterstützt das Projekt.",
    )
    kinds = {(i.kind, i.term) for i in found}
    assert kinds == {("forbidden", "Grenzregion"), ("missing", "Grande Région")}
    assert "Großregion" in found[0].message() + found[1].message()


def test_do_not_translate_terms_must_stay(termbase: Any) -> None:
    assert issues(termbase, "fr", "Le réseau QuattroPole", "de", "Das Netzwerk QuattroPole") == []
    assert [
        i.kind for i in issues(termbase, "fr", "Le réseau QuattroPole", "de", "Das Vierpol-Netz")
    ] == ["untranslated"]


def test_tbx_round_trip_keeps_every_language_status_and_flag(termbase: Any) -> None:
    exported = glossary.tbx_export(organisation=termbase)
    other = factories.organisation("gr-terms-2", languages=("fr", "de", "nl"))
    report = glossary.tbx_import(organisation=other, file=io.BytesIO(exported))
    assert (
        report.concepts == 3
        and report.terms == Term.objects.filter(concept__organisation=termbase).count()
    )
    original = set(
        Term.objects.filter(concept__organisation=termbase).values_list(
            "language", "text", "status", "do_not_translate"
        )
    )
    copied = set(
        Term.objects.filter(concept__organisation=other).values_list(
            "language", "text", "status", "do_not_translate"
        )
    )
    assert copied == original
    assert "Grande Région" in glossary.csv_export(organisation=termbase).decode("utf-8-sig")


def test_hostile_tbx_is_refused(db: Any) -> None:
    org = factories.organisation("gr-terms-3", languages=("fr", "de"))
    payload = b'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><martif><text><body><termEntry><langSet xml:lang="fr"><tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>'
    report = glossary.tbx_import(organisation=org, file=io.BytesIO(payload))
    assert report.error and not Concept.objects.filter(organisation=org).exists()


def test_deviations_show_beside_the_translation(client: Client, termbase: Any) -> None:
    partner = factories.partner(
        termbase,
        name={"fr": "Secrétariat de la Grande Région", "de": "Sekretariat der Grenzregion"},
    )
    client.force_login(factories.member_of(termbase, "staff"))
    html = client.get(reverse("partner_detail", args=[termbase.slug, partner.pk])).content.decode()
    assert 'class="warning"' in html and "Grenzregion" in html and "Großregion" in html


def test_deleting_a_concept_on_the_page_or_through_the_api_is_in_the_history(org: Any) -> None:
    from secretariat.core.models import AuditEntry
    from secretariat.core.tokens import token_create

    def concept(fr: str, de: str) -> Concept:
        return glossary.concept_save(
            organisation=org,
            concept=None,
            terms=[("fr", fr, "preferred"), ("de", de, "preferred")],
            by=None,
            note="Organe exécutif",
        )

    staff = factories.member_of(org, "staff")
    on_page, by_api = concept("Directoire", "Vorstand"), concept("Sommet", "Gipfel")
    client = Client()
    client.force_login(staff)
    response = client.post(reverse("concept_edit", args=[org.slug, on_page.pk]), {"delete": "1"})
    assert response.status_code == 302
    token = token_create(user=staff, name="t")[1]
    deleted = Client().delete(
        f"/api/v1/organisations/{org.slug}/translation/glossary/{by_api.pk}",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert deleted.status_code == 204
    assert not Concept.objects.filter(pk__in=[on_page.pk, by_api.pk]).exists()
    entries = AuditEntry.objects.filter(organisation=org, action="delete").order_by("id")
    assert [(e.actor, e.object_id) for e in entries] == [
        (staff, on_page.pk),
        (staff, by_api.pk),
    ]
    assert entries[0].changes["terms"] == {"fr": ["Directoire"], "de": ["Vorstand"]}
    assert entries[0].changes["note"] == "Organe exécutif"
    # Shown in the organisation's history, where the glossary's imports are.
    client.force_login(factories.member_of(org, "admin"))
    settings_page = client.get(reverse("organisation_settings", args=[org.slug])).content.decode()
    assert "Directoire" in settings_page and "Gipfel" in settings_page


def test_importing_the_same_tbx_twice_adds_no_concept(termbase: Any) -> None:
    terms = Term.objects.filter(concept__organisation=termbase).count()
    again = glossary.tbx_import(organisation=termbase, file=io.BytesIO(TBX.encode()))
    assert (again.concepts, again.updated, again.unchanged, again.terms) == (0, 0, 3, 0)
    assert Concept.objects.filter(organisation=termbase).count() == 3
    assert Term.objects.filter(concept__organisation=termbase).count() == terms
    # Our own export read back: recognised by its terms (its ids are ours, "c<pk>").
    exported = glossary.tbx_export(organisation=termbase)
    back = glossary.tbx_import(organisation=termbase, file=io.BytesIO(exported))
    assert (back.concepts, back.unchanged) == (0, 3)


def test_a_known_concept_is_completed_not_duplicated(termbase: Any) -> None:
    changed = TBX.replace(
        "<tig><term>Grote Regio</term></tig>",
        "<tig><term>Grote Regio</term></tig><tig><term>Grensregio</term><termNote"
        ' type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>',
    ).replace("Espace de coopération transfrontalière", "Espace de coopération")
    report = glossary.tbx_import(organisation=termbase, file=io.BytesIO(changed.encode()))
    assert (report.concepts, report.updated, report.unchanged, report.terms) == (0, 1, 2, 1)
    concept = Concept.objects.get(organisation=termbase, external_id="IATE-1")
    assert concept.note == "Espace de coopération"
    assert concept.terms.get(text="Grensregio").status == "deprecated"
    # A term the file no longer has stays; a status the file does not state is kept.
    assert concept.terms.get(text="Grenzregion").status == "deprecated"
    assert report.summary() == (
        "0 concepts added, 1 known concept updated, 2 concepts already there; 1 new term in all."
    )


def test_an_identifier_reused_by_another_file_for_another_notion_adds_it(
    termbase: Any,
) -> None:
    other = (
        '<martif type="TBX"><text><body><termEntry id="c2"><langSet xml:lang="fr"><tig>'
        "<term>Budget</term></tig></langSet></termEntry></body></text></martif>"
    )
    report = glossary.tbx_import(organisation=termbase, file=io.BytesIO(other.encode()))
    assert report.concepts == 1
    assert Concept.objects.filter(organisation=termbase, external_id="c2").count() == 2


def test_the_page_and_the_history_tell_what_a_second_import_did(
    client: Client, termbase: Any
) -> None:
    client.force_login(factories.member_of(termbase, "staff"))
    tbx = io.BytesIO(TBX.encode())
    tbx.name = "iate.tbx"
    page = client.post(reverse("glossary", args=[termbase.slug]), {"file": tbx}, follow=True)
    assert "0 concepts added, 0 known concepts updated, 3 concepts already there" in (
        page.content.decode()
    )
    assert Concept.objects.filter(organisation=termbase).count() == 3
    from secretariat.core.history import lines

    entry = AuditEntry.objects.filter(organisation=termbase, action="import").latest("id")
    told = [change.sentence for change in lines([entry])[0].changes]
    assert told == [
        "Glossary imported from “iate.tbx”: 0 concepts added, 0 known concepts updated,"
        " 3 concepts already there; 0 new terms in all."
    ]


def test_saving_a_concept_on_the_page_or_through_the_api_is_in_the_history(org: Any) -> None:
    from secretariat.core.tokens import token_create

    staff = factories.member_of(org, "staff")
    client = Client()
    client.force_login(staff)
    created = client.post(
        reverse("concept_create", args=[org.slug]),
        {"preferred_fr": "Directoire", "preferred_de": "Vorstand", "note": "Organe exécutif"},
    )
    assert created.status_code == 302
    concept = Concept.objects.get()
    concepts = AuditEntry.objects.filter(content_type__model="concept", object_id=concept.pk)
    entry = concepts.get(action="create")
    assert entry.actor == staff
    assert entry.changes["preferred"] == [None, {"fr": ["Directoire"], "de": ["Vorstand"]}]
    token = token_create(user=staff, name="t")[1]
    url = f"/api/v1/organisations/{org.slug}/translation/glossary/{concept.pk}"
    payload = {
        "terms": [
            {"language": "fr", "text": "Directoire", "status": "preferred"},
            {"language": "de", "text": "Vorstand", "status": "preferred"},
            {"language": "de", "text": "Direktorium", "status": "forbidden"},
        ],
        "note": "Organe exécutif",
    }
    for _twice in range(2):
        answer = Client().put(
            url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert answer.status_code == 200
    # Saved unchanged the second time: one update only, saying what changed.
    update = concepts.get(action="update")
    assert update.changes == {"forbidden": [{}, {"de": ["Direktorium"]}]}
    client.force_login(factories.member_of(org, "admin"))
    history = client.get(
        reverse("organisation_settings", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Direktorium" in history and "Forbidden" in history
