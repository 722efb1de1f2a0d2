"""How network's values read in the history (``core/history.py``): countries and their
subdivisions by their names in the reader's language, not their ISO codes."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

from secretariat.core.history import describe
from secretariat.core.territories import country_choices, subdivision_name


def _language() -> str:
    return (get_language() or "en")[:2]


@cache
def _countries(language: str) -> dict[str, str]:
    return dict(country_choices(language))


@cache
def _subdivisions(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country(code: object) -> str:
    return _countries(_language()).get(str(code), str(code))


def subdivision(code: object) -> str:
    name = subdivision_name(str(code))
    return _subdivisions(_language()).gettext(name) if name != code else str(code)


describe("network.partner", "country", value=country)
describe("network.partner", "subdivision", value=subdivision)
describe("core.organisation", "seat_country", value=country)
