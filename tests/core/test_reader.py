"""The reader (core/reader.py): a text in the reader's language with the organisation's
fallback order, and rendering for one reader that leaves nothing behind."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from secretariat.core.reader import Reader, reading

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@dataclass
class Org:
    languages: list[str] = field(default_factory=lambda: ["de", "fr", "nl"])
    default_language: str = "fr"
    tzinfo: zoneinfo.ZoneInfo = BRUSSELS


def test_a_reader_gets_their_language_else_the_default_else_the_working_languages_in_order() -> (
    None
):
    org = Org()
    texts = {"de": "Vorstand", "fr": "Bureau", "nl": ""}
    assert Reader.of(org, "de").text(texts) == "Vorstand"
    # Dutch is a working language without text: the default (French), labelled as missing.
    shown = Reader.of(org, "nl").shown(texts)
    assert (shown.text, shown.language, shown.missing) == ("Bureau", "fr", True)
    # Without the default's text, the working languages in the organisation's order.
    assert Reader.of(org, "nl").text({"nl": " ", "de": "Vorstand", "en": "Board"}) == "Vorstand"
    # English is not a working language: a fallback, but nothing is missing.
    assert Reader.of(org, "en").shown(texts).missing is False
    # Any text rather than none; nothing at all reads empty.
    assert Reader.of(org, "nl").text({"en": "Board"}) == "Board"
    assert Reader.of(org, "nl").text(None) == ""
    # Outside an organisation (no working languages), any text.
    assert Reader.of(None, "fr").text({"de": "Vorstand"}) == "Vorstand"


def test_reading_renders_in_the_readers_language_and_zone_and_restores_both() -> None:
    moment = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("UTC")):
        with reading(Org(), "nl") as reader:
            assert translation.get_language() == "nl"
            assert formats.date_format(timezone.localtime(moment), "DATE_FORMAT") == "1 maart 2027"
            assert timezone.localtime(moment).hour == 13  # Brussels, the organisation's zone
            assert reader.text({"fr": "Bureau", "nl": "Bestuur"}) == "Bestuur"
        with reading(Org(), "de", zone="America/New_York"):
            assert timezone.localtime(moment).hour == 7
            assert _("Draft decision:") == "Beschlussentwurf:"
        with pytest.raises(RuntimeError), reading(Org(), "fr"):
            raise RuntimeError("rendering failed")
        assert translation.get_language() == "en"
        assert timezone.get_current_timezone_name() == "UTC"
