"""Public holidays of the member territories, from the PyPI ``holidays`` package (offline).

Partners carry ISO 3166-2 codes; ``holidays`` knows some subdivisions under its own names:
Moselle is "57" in France (Good Friday and St Stephen's Day), Saarland "SL" in Germany, and
Belgium's holidays differ by community, reached here through the province or region.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import holidays as holidays_lib

BELGIAN_COMMUNITIES = {
    "BE-VLG": "Flemish",
    "BE-VAN": "Flemish",
    "BE-VBR": "Flemish",
    "BE-VLI": "Flemish",
    "BE-VOV": "Flemish",
    "BE-VWV": "Flemish",
    "BE-WAL": "French",
    "BE-WBR": "French",
    "BE-WHT": "French",
    "BE-WLX": "French",
    "BE-WNA": "French",
    "BE-WLG": "French",
    "BE-BRU": "French",
}


@cache
def _supported() -> dict[str, list[str]]:
    """Countries the library covers, with their subdivision codes."""
    return holidays_lib.list_supported_countries()


@dataclass(frozen=True)
class Territory:
    country: str
    subdivision: str = ""

    def library_subdivision(self) -> str | None:
        if not self.subdivision:
            return None
        if self.country == "BE":
            return BELGIAN_COMMUNITIES.get(self.subdivision)
        if self.country not in _supported():
            return None
        code = self.subdivision.split("-", 1)[1]
        supported = _supported()[self.country]
        return code if code in supported else None

    @property
    def label(self) -> str:
        return self.subdivision or self.country


@dataclass(frozen=True)
class Holiday:
    day: datetime.date
    territory: Territory
    name: str


@cache
def _calendar(
    country: str, subdivision: str | None, year: int, language: str
) -> dict[datetime.date, str]:
    if country not in _supported():
        return {}  # a country the library does not cover has no known holidays
    calendar = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
    supported = calendar.supported_languages
    chosen = language if language in supported else None
    named = holidays_lib.country_holidays(country, subdiv=subdivision, years=year, language=chosen)
    return dict(named.items())


def holidays_between(
    territories: Iterable[Territory], start: datetime.date, end: datetime.date, language: str
) -> list[Holiday]:
    """Every public holiday of any of ``territories`` from ``start`` to ``end`` included."""
    found: list[Holiday] = []
    for territory in sorted(set(territories), key=lambda t: t.label):
        for year in range(start.year, end.year + 1):
            days = _calendar(territory.country, territory.library_subdivision(), year, language)
            found.extend(
                Holiday(day, territory, name) for day, name in days.items() if start <= day <= end
            )
    return sorted(found, key=lambda h: (h.day, h.territory.label))
