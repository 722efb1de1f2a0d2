"""Public holidays of the member territories, from the PyPI ``holidays`` package (offline).

Partners carry ISO 3166-2 codes; ``holidays`` knows some subdivisions under its own names:
Moselle is "57" in France (Good Friday and St Stephen's Day), Saarland "SL" in Germany, and
Belgium's holidays differ by community, reached here through the province or region, or the
community itself (``core.territories.JURISDICTIONS``). The library counts the days of the
Belgian communities and of the Brussels-Capital Region only as school holidays; their public
services close on them, so the date finder shows them (``REGIONAL_DAYS``).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import holidays as holidays_lib
from django.utils import translation
from django.utils.translation import gettext_lazy

# Days on which the public services of a Belgian community or region close, by the library's
# community (or the ISO code of the region): (month, day, name).
REGIONAL_DAYS: dict[str, list[tuple[int, int, object]]] = {
    "Flemish": [(7, 11, gettext_lazy("Day of the Flemish Community"))],
    "French": [(9, 27, gettext_lazy("Day of the French Community (Wallonia-Brussels Federation)"))],
    "German": [(11, 15, gettext_lazy("Day of the German-speaking Community"))],
    "BE-BRU": [(5, 8, gettext_lazy("Iris Day (Brussels-Capital Region)"))],
}

BELGIAN_COMMUNITIES = {
    "BE-VG": "Flemish",
    "BE-FWB": "French",
    "BE-DG": "German",
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
    partners: tuple[str, ...] = ()  # the partners concerned, as the reader names them


# The countries whose holidays the library names in each interface language. A holiday of a
# country the library cannot name in the reader's language takes the name these give the same
# holiday (matched by the library's English name: "Easter Monday", "All Saints' Day").
SPEAKERS = {
    "fr": ("FR", "BE", "LU", "CH"),
    "de": ("DE", "AT", "LU", "BE", "CH"),
    "nl": ("NL", "BE"),
}
ENGLISH = "en_US"  # the library's reference names


def _library_language(language: str, supported: Iterable[str]) -> str | None:
    """The library's code for ``language`` (English: British if it has it, else American)."""
    supported = list(supported)
    wanted = ["en_GB", "en_US"] if language == "en" else [language]
    return next((code for code in wanted if code in supported), None)


def _named(
    country: str, subdivision: str | None, year: int, language: str
) -> dict[datetime.date, list[str]]:
    calendar = holidays_lib.country_holidays(
        country, subdiv=subdivision, years=year, language=language
    )
    return {day: name.split("; ") for day, name in calendar.items()}


@cache
def _translations(language: str, year: int) -> dict[str, str]:
    """English name → name in ``language``, from the countries that speak it, all regions."""
    found: dict[str, str] = {}
    for country in SPEAKERS.get(language, ()):
        if country not in _supported():
            continue
        for subdivision in [None, *_supported()[country]]:
            english = _named(country, subdivision, year, ENGLISH)
            local = _named(country, subdivision, year, language)
            for day, names in english.items():
                translated = local.get(day, [])
                if len(translated) == len(names):  # the same holidays, in the same order
                    for name, in_language in zip(names, translated, strict=True):
                        found.setdefault(name, in_language)
    return found


@cache
def _calendar(
    country: str, subdivision: str | None, year: int, language: str
) -> dict[datetime.date, str]:
    """The holidays named in ``language``: by the library if it knows the language for this
    country; else by the name the countries that speak it give the same holiday; else as the
    country itself names it (never in American English on a French page)."""
    if country not in _supported():
        return {}  # a country the library does not cover has no known holidays
    calendar = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
    own = _library_language(language, calendar.supported_languages)
    if own is not None:
        return {
            day: "; ".join(names) for day, names in _named(country, subdivision, year, own).items()
        }
    translations = _translations(language, year)
    english = _named(country, subdivision, year, ENGLISH)
    local = _named(country, subdivision, year, calendar.default_language or ENGLISH)
    out = {}
    for day, names in english.items():
        local_names = local.get(day, names)
        if len(local_names) != len(names):
            out[day] = "; ".join(local_names)
            continue
        out[day] = "; ".join(
            translations.get(name, local_name)
            for name, local_name in zip(names, local_names, strict=True)
        )
    return out


def _regional(territory: Territory, year: int, language: str) -> dict[datetime.date, str]:
    keys = (
        [territory.library_subdivision(), territory.subdivision]
        if territory.country == "BE"
        else []
    )
    found = {}
    with translation.override(language):
        for key in keys:
            for month, day, name in REGIONAL_DAYS.get(key or "", []):
                found[datetime.date(year, month, day)] = str(name)
    return found


def holidays_between(
    territories: Iterable[Territory], start: datetime.date, end: datetime.date, language: str
) -> list[Holiday]:
    """Every public holiday of any of ``territories`` from ``start`` to ``end`` included."""
    found: list[Holiday] = []
    for territory in sorted(set(territories), key=lambda t: t.label):
        for year in range(start.year, end.year + 1):
            days = dict(
                _calendar(territory.country, territory.library_subdivision(), year, language)
            )
            for day, name in _regional(territory, year, language).items():
                days[day] = f"{days[day]}; {name}" if day in days else name
            found.extend(
                Holiday(day, territory, name) for day, name in days.items() if start <= day <= end
            )
    return sorted(found, key=lambda h: (h.day, h.territory.label))
