"""Translation memory: TMX import of real DGT-TM files (UTF-16), exact and fuzzy matches,
round trip, hostile XML, learning from reviewed translations."""

import io
from pathlib import Path
from typing import Any

import pytest

from secretariat.core import texts
from secretariat.translation import memory, segments
from secretariat.translation.models import MemoryUnit
from tests import factories

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def eu(db: Any) -> Any:
    return factories.organisation("eu-like", languages=("fr", "de", "en"))


def test_real_dgt_tmx_files_in_utf16_import_every_working_language_pair(eu: Any) -> None:
    report = memory.tmx_import(
        organisation=eu, file=(DATA / "22019D0391.tmx").open("rb"), name="22019D0391.tmx"
    )
    assert not report.error and report.units > 5
    assert (
        report.skipped_languages
        and "nl" in report.skipped_languages
        and "it" in report.skipped_languages
    )
    pairs = set(
        MemoryUnit.objects.filter(organisation=eu).values_list("source_language", "target_language")
    )
    assert pairs == {
        ("fr", "de"),
        ("de", "fr"),
        ("fr", "en"),
        ("en", "fr"),
        ("de", "en"),
        ("en", "de"),
    }
    title = MemoryUnit.objects.filter(
        organisation=eu,
        source_language="en",
        target_language="de",
        source_text__startswith="Decision No 1/2019",
    ).get()
    assert title.target_text.startswith("Beschluss Nr.\u00a01/2019")  # with its non-breaking space
    again = memory.tmx_import(organisation=eu, file=(DATA / "22019D0391.tmx").open("rb"))
    assert again.added == 0  # nothing twice


def test_exact_and_fuzzy_matches_with_score_and_origin(eu: Any) -> None:
    memory.tmx_import(
        organisation=eu, file=(DATA / "22019D0556.tmx").open("rb"), name="22019D0556.tmx"
    )
    unit = MemoryUnit.objects.filter(
        organisation=eu, source_language="en", target_language="fr"
    ).order_by("id")[3]
    exact = memory.lookup(
        organisation=eu, source_language="en", target_language="fr", text=unit.source_text.upper()
    )
    assert (
        exact[0].score == 100 and exact[0].target == unit.target_text and exact[0].origin == "tmx"
    )
    assert exact[0].note == "22019D0556.tmx"
    changed = unit.source_text[:-3] + "xyz"
    fuzzy = memory.lookup(organisation=eu, source_language="en", target_language="fr", text=changed)
    assert fuzzy and 80 <= fuzzy[0].score < 100 and fuzzy[0].target == unit.target_text
    assert (
        memory.lookup(
            organisation=eu,
            source_language="en",
            target_language="fr",
            text="Completely unrelated words about cheese",
        )
        == []
    )


def test_tmx_export_reimports_into_another_organisation(eu: Any) -> None:
    memory.tmx_import(organisation=eu, file=(DATA / "22019D0391.tmx").open("rb"))
    exported = memory.tmx_export(organisation=eu)
    other = factories.organisation("other-tm", languages=("fr", "de", "en"))
    report = memory.tmx_import(organisation=other, file=io.BytesIO(exported))
    assert not report.error
    original = set(
        MemoryUnit.objects.filter(organisation=eu).values_list(
            "source_language", "target_language", "source_text", "target_text"
        )
    )
    copied = set(
        MemoryUnit.objects.filter(organisation=other).values_list(
            "source_language", "target_language", "source_text", "target_text"
        )
    )
    assert copied == original


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>&xxe;</seg></tuv></tu></body></tmx>',
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><tmx><body>&lol2;</body></tmx>',
        b"<tmx><body><tu>",
        b"\xff\xfe\x00garbage",
        b"<xliff/>",
    ],
)
def test_hostile_or_broken_xml_is_refused_and_changes_nothing(eu: Any, payload: bytes) -> None:
    report = memory.tmx_import(organisation=eu, file=io.BytesIO(payload))
    assert report.error
    assert not MemoryUnit.objects.exists()
    assert "root:" not in report.error


def test_a_reviewed_translation_enters_the_memory_sentence_by_sentence(eu: Any) -> None:
    partner = factories.partner(
        eu,
        name={
            "fr": "Ville de Metz. Chef-lieu de la Moselle.",
            "de": "Stadt Metz. Hauptstadt des Departements Mosel.",
        },
    )
    texts.text_review(obj=partner, field_name="name", language="de", by=None)  # type: ignore[arg-type]
    pairs = set(
        MemoryUnit.objects.filter(organisation=eu).values_list(
            "source_text", "target_text", "origin"
        )
    )
    assert pairs == {
        ("Ville de Metz.", "Stadt Metz.", "reviewed"),
        ("Chef-lieu de la Moselle.", "Hauptstadt des Departements Mosel.", "reviewed"),
    }
    suggestion, share = memory.suggest(
        organisation=eu,
        source_language="fr",
        target_language="de",
        text="Chef-lieu de la Moselle. Une ville d'art.",
    )
    assert suggestion.startswith("Hauptstadt des Departements Mosel.") and 0 < share < 1


def test_sentences_split_without_breaking_abbreviations_or_dates() -> None:
    assert segments.split("Voir Art. 5 des statuts. La séance est ouverte.") == [
        "Voir Art. 5 des statuts.",
        "La séance est ouverte.",
    ]
    assert segments.split(
        "Die Sitzung am 1. März 2027. Der Vorstand, d. h. alle, entscheidet."
    ) == ["Die Sitzung am 1. März 2027.", "Der Vorstand, d. h. alle, entscheidet."]
