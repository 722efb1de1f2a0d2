"""Public holidays are named in the page's language: from the ``holidays`` library where it
knows that language for the country, else by the same holiday's name in a neighbour that
speaks it, else as the country names it, never in American English on a French page."""

import datetime
from typing import Any

import pytest
from django.utils import translation

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


def test_the_date_finder_shows_the_days_of_belgian_communities_with_the_partners_concerned(
    org: Any,
) -> None:
    from secretariat.governance import scheduling
    from tests import factories

    body = factories.body(org)
    for country, subdivision, name in [
        ("BE", "BE-DG", {"fr": "Ville d'Eupen", "de": "Stadt Eupen"}),
        ("BE", "BE-VWV", {"fr": "Courtrai", "de": "Kortrijk"}),
        ("BE", "BE-WHT", {"fr": "Tournai", "de": "Doornik"}),
        ("BE", "BE-BRU", {"fr": "Bruxelles", "de": "Brüssel"}),
    ]:
        partner = factories.partner(org, country=country, subdivision=subdivision, name=name)
        factories.membership(body, partner=partner)
    days = [
        datetime.date(2027, 5, 8),
        datetime.date(2027, 7, 11),
        datetime.date(2027, 9, 27),
        datetime.date(2027, 11, 15),
    ]
    with translation.override("fr"):
        found = {
            c.day: {(h.name, h.partners) for h in c.holidays}
            for c in scheduling.candidates(
                body=body, days=days, language="fr", today=datetime.date(2027, 1, 4)
            )
        }
    assert found[datetime.date(2027, 11, 15)] == {
        ("Fête de la Communauté germanophone", ("Ville d'Eupen",))
    }
    assert ("Fête de la Communauté flamande", ("Courtrai",)) in found[datetime.date(2027, 7, 11)]
    french_day = {partners for _name, partners in found[datetime.date(2027, 9, 27)]}
    assert ("Tournai",) in french_day and ("Ville d'Eupen",) not in french_day
    assert any("Iris" in name for name, _p in found[datetime.date(2027, 5, 8)])
    with translation.override("de"):
        german = scheduling.candidates(
            body=body, days=days[3:], language="de", today=datetime.date(2027, 1, 4)
        )
    assert [(h.name, h.partners) for h in german[0].holidays] == [
        ("Tag der Deutschsprachigen Gemeinschaft", ("Stadt Eupen",))
    ]


def test_a_partner_can_be_placed_in_a_belgian_community(org: Any) -> None:
    from django.core.exceptions import ValidationError

    from tests import factories

    assert factories.partner(org, country="BE", subdivision="be-dg").subdivision == "BE-DG"
    with pytest.raises(ValidationError):
        factories.partner(org, country="FR", subdivision="BE-DG")
