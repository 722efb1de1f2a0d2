"""Public holidays are named in the page's language: from the ``holidays`` library where it
knows that language for the country, else by the same holiday's name in a neighbour that
speaks it, else as the country names it, never in American English on a French page."""

import datetime

import pytest

from secretariat.governance.holidays import Territory, holidays_between

SAARLAND, MOSELLE, LUXEMBOURG = Territory("DE", "DE-SL"), Territory("FR", "FR-57"), Territory("LU")
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def names(territory: Territory, language: str) -> dict[datetime.date, str]:
    return {h.day: h.name for h in holidays_between([territory], *YEAR, language)}


def test_german_holidays_on_a_french_page() -> None:
    found = names(SAARLAND, "fr")
    assert found[datetime.date(2026, 4, 6)] == "Lundi de Pâques"
    assert found[datetime.date(2026, 12, 25)] == "Noël"
    assert found[datetime.date(2026, 5, 1)] == "Fête du Travail"
    # No French name anywhere: as the Saarland says it, not in English.
    assert found[datetime.date(2026, 10, 3)] == "Tag der Deutschen Einheit"
    english = {"Easter Monday", "Christmas Day", "Labor Day", "German Unity Day", "Corpus Christi"}
    assert not english & set(found.values())


def test_french_holidays_on_a_dutch_and_a_german_page() -> None:
    dutch = names(MOSELLE, "nl")
    assert dutch[datetime.date(2026, 11, 1)] == "Allerheiligen"
    assert dutch[datetime.date(2026, 5, 8)] == "Fête de la Victoire"  # no Dutch name known
    german = names(MOSELLE, "de")
    assert german[datetime.date(2026, 12, 26)] == "Stephanstag"


@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", "Fête nationale"), ("de", "Nationalfeiertag"), ("en", "National Day")],
)
def test_the_library_s_own_language_comes_first(language: str, name: str) -> None:
    assert names(LUXEMBOURG, language)[datetime.date(2026, 6, 23)] == name
