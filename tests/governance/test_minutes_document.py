"""The documents a secretary signs and sends, opened and read back (python-docx, pypdf): the
minutes with attendance, quorum, votes, decision numbers and signatures; the dossier with each
item's explanation; the convocation letter; any pair of working languages side by side; and a
visible mark on a text shown in another language than the document's.

The meeting is built through the services, convened ahead of its day, then held: the clock is
moved to the meeting's day before members sign in and vote, so nothing depends on today."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.table import Table

from secretariat.governance import agenda, attendance, convocation, decisions, dossier, rules
from secretariat.governance.models import Invitation, ItemKind, Vote
from tests import factories
from tests.governance.test_documents import pdf_text


def docx_in_order(content: bytes) -> str:
    """The paragraphs and table cells of a Word document in reading order."""
    parts = []
    for block in Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, Table):
            parts.extend(cell.text for row in block.rows for cell in row.cells)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def read(fmt: str, content: bytes) -> str:
    """The document's text with every run of white space as one space (PDF lines wrap)."""
    text = docx_in_order(content) if fmt == "docx" else pdf_text(content)
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def held(db: Any, settings: Any, time_machine: Any) -> dict[str, Any]:
    """An assembly of a body working in French, German and Dutch, held and voted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    org = factories.organisation("trio", languages=("fr", "de", "nl"))
    body = factories.body(
        org,
        short_code="AG",
        name={
            "fr": "Assemblée générale",
            "de": "Mitgliederversammlung",
            "nl": "Algemene vergadering",
        },
    )

    def member(given: str, family: str, **values: Any) -> Any:
        person = factories.person(org, given_name=given, family_name=family)
        factories.membership(body, person, **values)
        return person

    people = {
        "chair": member("Anne", "Weber", role="chair"),
        "secretary": member("Sam", "Peeters", role="secretary", voting=False),
        "holder": member("Bernard", "Lefèvre"),
        "giver": member("Carla", "Jansen"),
        "excused": member("Dieter", "Schmitt"),
        "absent": member("Eva", "Dubois"),
    }
    meeting = factories.meeting(
        body,
        title={"fr": "AG de printemps", "de": "Frühjahrsversammlung", "nl": "Voorjaarsvergadering"},
        start=factories.days_ahead(40, 14),
        end=factories.days_ahead(40, 17),
        place="Luxembourg",
    )
    opening = agenda.item_add(
        meeting=meeting,
        by=None,
        title={"fr": "Ouverture", "de": "Eröffnung", "nl": "Opening"},
        description={
            "fr": "La présidente ouvre la séance.",
            "de": "Die Vorsitzende eröffnet die Sitzung.",
            "nl": "De voorzitter opent de vergadering.",
        },
    )

    def decision_item(title: dict[str, str], draft: dict[str, str], **extra: Any) -> Any:
        return agenda.item_add(
            meeting=meeting,
            by=None,
            kind=ItemKind.DECISION,
            title=title,
            draft_decision=draft,
            **extra,
        )

    budget = decision_item(
        {"fr": "Budget", "de": "Haushalt", "nl": "Begroting"},
        {
            "fr": "Le budget est adopté.",
            "de": "Der Haushalt wird beschlossen.",
            "nl": "De begroting wordt vastgesteld.",
        },
        # Written in French only: the German and Dutch dossiers show it, marked.
        description={"fr": "Le budget augmente de 2 %."},
    )
    statutes = decision_item(
        {"fr": "Statuts", "de": "Satzung", "nl": "Statuten"},
        {
            "fr": "Les statuts sont modifiés.",
            "de": "Die Satzung wird geändert.",
            "nl": "De statuten worden gewijzigd.",
        },
    )
    convocation.meeting_convene(meeting=meeting, by=None, deliver=False)
    invitation = {i.person_id: i for i in Invitation.objects.filter(meeting=meeting)}

    def of(key: str) -> Invitation:
        return invitation[people[key].pk]

    for key in ("chair", "secretary", "holder"):
        attendance.invitation_answer(invitation=of(key), answer="in_person", by=None)
    attendance.invitation_answer(
        invitation=of("giver"), answer="proxy", proxy_to=of("holder"), by=None
    )
    attendance.invitation_answer(invitation=of("excused"), answer="excused", by=None)
    # The meeting is held on its day.
    time_machine.move_to(meeting.start + datetime.timedelta(minutes=5), tick=False)
    for key in ("chair", "secretary", "holder"):
        decisions.invitation_arrive(invitation=of(key), by=None)
    decisions.vote_record(item=budget, by=None, yes=2, no=0, abstain=1)
    decisions.vote_record(
        item=statutes,
        by=None,
        ballots={of("chair").pk: "yes", of("holder").pk: "no", of("giver").pk: "yes"},
    )
    agenda.item_update(
        item=opening,
        by=None,
        # No Dutch minutes yet: the Dutch minutes show the French text, marked.
        minutes={
            "fr": "La séance est ouverte à 14 h 05.",
            "de": "Die Sitzung wird um 14.05 Uhr eröffnet.",
        },
    )
    return {
        "org": org,
        "body": body,
        "meeting": meeting,
        "people": people,
        "opening": opening,
        "budget": budget,
        "statutes": statutes,
        "year": meeting.local_start.year,
    }


def produced(meeting: Any, kind: str, fmt: str, languages: list[str]) -> str:
    """The text of a document as produced for download, read back."""
    _name, content, _type = dossier.produce(meeting, kind, fmt, languages)
    return read(fmt, content)


def reasoning(item: Any, language: str) -> str:
    """The vote's reasoning as the stored outcome reads in ``language``."""
    with translation.override(language):
        return rules.reason_from_data(Vote.objects.get(item=item).outcome_data)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_minutes_hold_attendance_quorum_votes_decisions_and_signatures(
    held: Any, fmt: str
) -> None:
    text = produced(held["meeting"], "minutes", fmt, ["de"])
    assert "Protokoll" in text and "Frühjahrsversammlung" in text
    assert "Anwesend: Bernard Lefèvre, Sam Peeters, Anne Weber" in text
    assert "Vertreten: Carla Jansen (Vollmacht erteilt an Bernard Lefèvre)" in text
    assert "Entschuldigt: Dieter Schmitt" in text
    assert "Abwesend: Eva Dubois" in text
    # The quorum of each of the three items: three of the five voting members are present or
    # represented (the secretary does not vote), three are required.
    quorum = "Beschlussfähigkeit gegeben: 3 von 5 anwesend oder vertreten, 3 erforderlich."
    assert text.count(quorum) == 3
    assert "Stimmen dafür: 2; dagegen: 0; Enthaltungen: 1." in text
    assert "Stimmen dafür: 2; dagegen: 1; Enthaltungen: 0." in text
    assert "Dafür gestimmt: Carla Jansen, Anne Weber." in text
    assert "Dagegen gestimmt: Bernard Lefèvre." in text
    for item in (held["budget"], held["statutes"]):
        assert f"Ergebnis: {reasoning(item, 'de')}" in text
    year = held["year"]
    assert f"Beschluss AG-{year}-01: angenommen." in text
    assert f"Beschluss AG-{year}-02: angenommen." in text
    assert "Der Haushalt wird beschlossen." in text  # the text of the decision
    assert "Die Sitzung wird um 14.05 Uhr eröffnet." in text  # the item's minutes
    assert "Unterschriften" in text
    assert "Vorsitzende(r)" in text and "Sekretär(in)" in text
    # Under each signatory, a line for the place and date, and one for the signature.
    assert text.count("Ort und Datum") == 2 and text.count("Unterschrift") == 1 + 2
    signatures = text[text.index("Unterschriften") :]
    assert "Anne Weber" in signatures and "Sam Peeters" in signatures


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_minutes_side_by_side_in_any_pair_of_working_languages(held: Any, fmt: str) -> None:
    name, content, _type = dossier.produce(held["meeting"], "minutes", fmt, ["de", "nl"])
    assert name.endswith(f"-minutes-de-nl.{fmt}")
    text = read(fmt, content)
    assert "Mitgliederversammlung" in text and "Algemene vergadering" in text
    assert "Assemblée générale" not in text
    assert "Anwesend: Bernard Lefèvre, Sam Peeters, Anne Weber" in text
    assert "Aanwezig: Bernard Lefèvre, Sam Peeters, Anne Weber" in text
    assert "Vertegenwoordigd: Carla Jansen (volmacht gegeven aan Bernard Lefèvre)" in text
    assert "Stemmen voor: 2; tegen: 0; onthoudingen: 1." in text
    for item in (held["budget"], held["statutes"]):
        assert reasoning(item, "de") in text and reasoning(item, "nl") in text
    assert f"AG-{held['year']}-01" in text and f"AG-{held['year']}-02" in text
    # Signed once, with the labels of both languages.
    assert text.count("Ort und Datum / Plaats en datum") == 2
    assert "Anne Weber" in text[text.index("Unterschriften") :]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_text_shown_in_another_language_says_so_in_the_documents_language(
    held: Any, fmt: str
) -> None:
    text = produced(held["meeting"], "minutes", fmt, ["nl"])
    # The opening's minutes exist in French and German only.
    assert "La séance est ouverte à 14 h 05." in text
    assert "[FR] Nog niet vertaald; weergegeven in het Frans." in text
    assert "Noch nicht übersetzt" not in produced(held["meeting"], "minutes", fmt, ["de"])
    # The budget's explanation exists in French only.
    text = produced(held["meeting"], "dossier", fmt, ["de"])
    assert (
        "Le budget augmente de 2 %. [FR] Noch nicht übersetzt; wiedergegeben auf Französisch."
        in text
    )
    assert "Pas encore traduit" not in produced(held["meeting"], "dossier", fmt, ["fr"])


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_dossier_gives_each_items_explanation(held: Any, fmt: str) -> None:
    text = produced(held["meeting"], "dossier", fmt, ["de"])
    assert "Erläuterung Die Vorsitzende eröffnet die Sitzung." in text
    assert "Beschlussentwurf Der Haushalt wird beschlossen." in text
    text = produced(held["meeting"], "dossier", fmt, ["fr", "nl"])
    assert "La présidente ouvre la séance." in text
    assert "De voorzitter opent de vergadering." in text


def test_the_pdf_convocation_has_the_letter_text_of_the_word_one(held: Any) -> None:
    for fmt in ("pdf", "docx"):
        text = produced(held["meeting"], "convocation", fmt, ["de"])
        assert "Hiermit werden Sie zu der unten genannten Sitzung eingeladen." in text
        assert "Das Sekretariat" in text
        # Without a recipient (a letter for all), a greeting for all.
        assert "Sehr geehrte Damen und Herren," in text
    for languages in (["nl"], ["de", "nl"]):
        word = produced(held["meeting"], "convocation", "docx", languages)
        pdf = produced(held["meeting"], "convocation", "pdf", languages)
        letter = dossier.context(held["meeting"], "convocation", languages[-1])["letter"]
        for line in [letter["salutation"], *letter["paragraphs"], letter["closing"]]:
            assert line in word and line in pdf, line


def test_the_meeting_page_offers_any_pair_and_the_download_follows_it(
    client: Client, held: Any
) -> None:
    org, meeting = held["org"], held["meeting"]
    client.force_login(factories.member_of(org, "staff"))
    page = client.get(reverse("meeting_detail", args=[org.slug, meeting.pk]))
    html = page.content.decode()
    # One choice of the pair per kind of document, offering every working language.
    assert html.count('name="lang"') == 2 * 3
    url = reverse("meeting_document", args=[org.slug, meeting.pk, "minutes", "docx"])
    response = client.get(url, {"lang": ["de", "nl"]})
    assert response.status_code == 200
    text = read("docx", response.content)
    assert "Anwesend:" in text and "Aanwezig:" in text and "Présents" not in text
    response = client.get(url, {"lang": ["nl", "nl"]})  # the same language twice: one column
    assert "Aanwezig:" in read("docx", response.content)
    assert "-minutes-nl.docx" in response["Content-Disposition"]
    response = client.get(url + "?lang=nl,de")  # a link written by hand
    assert response.status_code == 200 and "nl-de" in response["Content-Disposition"]


def test_a_member_replaced_by_their_substitute_is_listed_as_represented(
    db: Any, settings: Any, time_machine: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    org = factories.organisation("duo", languages=("fr", "de"))
    body = factories.body(org, name={"fr": "Comité", "de": "Ausschuss"})
    member = factories.person(org, given_name="Frank", family_name="Muller")
    seat = factories.membership(body, member)
    substitute = factories.person(org, given_name="Greta", family_name="Hoffmann")
    factories.membership(body, substitute, role="substitute", substitute_for=seat)
    other = factories.person(org, given_name="Hugo", family_name="Klein")
    factories.membership(body, other, role="substitute", substitute_for=seat)
    meeting = factories.meeting(body, title={"fr": "Comité", "de": "Ausschuss"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Point", "de": "Punkt"})
    convocation.meeting_convene(meeting=meeting, by=None, deliver=False)
    invitation = {i.person_id: i for i in Invitation.objects.filter(meeting=meeting)}
    attendance.invitation_answer(invitation=invitation[member.pk], answer="substitute", by=None)
    time_machine.move_to(meeting.start, tick=False)
    decisions.invitation_arrive(invitation=invitation[substitute.pk], by=None)
    text = produced(meeting, "minutes", "docx", ["de"])
    assert "Anwesend: Greta Hoffmann" in text
    assert (
        "Vertreten: Frank Muller (vertreten durch das stellvertretende Mitglied Greta Hoffmann)"
        in text
    )
    # The other substitute was not needed: neither absent nor excused.
    assert "Hugo Klein" not in text


def test_templates_receive_plain_data_only(held: Any) -> None:
    """Strings, numbers, lists and dicts: a template (an organisation's own, too) reaches no
    model and calls nothing, so that its rendering can be sandboxed."""

    def plain(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                assert isinstance(key, str), path
                plain(inner, f"{path}.{key}")
        elif isinstance(value, list):
            for n, inner in enumerate(value):
                plain(inner, f"{path}[{n}]")
        else:
            # type() rather than isinstance: a lazy translation or a SafeString is not plain.
            assert type(value) in (str, int, bool, type(None)), (path, type(value))

    for kind in dossier.KINDS:
        for languages in (["nl"], ["de", "nl"]):
            plain(dossier.document_context(held["meeting"], kind, languages), kind)
