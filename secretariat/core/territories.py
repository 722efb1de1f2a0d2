"""Countries (ISO 3166-1) and their subdivisions (ISO 3166-2), from pycountry's ISO data: pure
helpers that the organisation's seat (core) and the partners (network) both use."""

import gettext as gettext_module
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from secretariat.core.search import fold

# Jurisdictions that ISO 3166-2 lacks but that a partner belongs to, with holidays of their own:
# Belgium's communities. Eupen is in the province of Liège (BE-WLG), whose holidays are the
# French Community's, yet it keeps the German-speaking Community's day; Brussels belongs to
# both the French and the Flemish communities. The Flemish Community is one with the Flemish
# Region (BE-VLG); the codes below are this platform's own, not ISO's.
JURISDICTIONS = {
    "BE-DG": gettext_lazy("German-speaking Community of Belgium"),
    "BE-FWB": gettext_lazy("French Community of Belgium (Wallonia-Brussels Federation)"),
    "BE-VG": gettext_lazy("Flemish Community of Belgium"),
}


@cache
def _subdivisions(country: str) -> dict[str, str]:
    return {s.code: s.name for s in pycountry.subdivisions.get(country_code=country) or []}


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return country.name if country else code


@cache
def _iso_translation(domain: str, language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Countries named in the interface language (pycountry ships the ISO translations)."""
    language = (language or get_language() or "en")[:2]
    translate = _iso_translation("iso3166-1", language).gettext
    choices = [(c.alpha_2, translate(c.name)) for c in pycountry.countries]
    return sorted(choices, key=lambda c: fold(c[1]))


def check_country(code: str) -> str:
    code = (code or "").strip().upper()
    if not code or pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            _("“%(code)s” is not a country code (ISO 3166-1, two letters, e.g. FR, DE, LU).")
            % {"code": code},
            code="unknown_country",
        )
    return code


def check_subdivision(country: str, code: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        return ""
    if code not in _subdivisions(country) and not (
        code in JURISDICTIONS and code.startswith(f"{country}-")
    ):
        raise ValidationError(
            _(
                "“%(code)s” is not a subdivision of %(country)s "
                "(ISO 3166-2, e.g. FR-57, DE-SL, BE-WHT; for Belgium's communities BE-DG, "
                "BE-FWB, BE-VG)."
            )
            % {"code": code, "country": country_name(country)},
            code="unknown_subdivision",
        )
    return code


def subdivision_name(code: str) -> str:
    if not code or "-" not in code:
        return code
    if code in JURISDICTIONS:
        return str(JURISDICTIONS[code])
    return _subdivisions(code.split("-")[0]).get(code, code)
