"""Codes that identify a partner in a public register (a scheme and a code), and how each is
checked. Pure rules, no ORM: the services, the forms, the API and the imports all call
``normalise``, so a code is stored in one form whatever way it came in.

Imports match partners by these codes first, so a file imported twice updates rather than
doubles: a code is unique per organisation and scheme, and a partner has one code per scheme.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class InvalidCode(ValueError):
    """The code breaks its scheme's rule; the message says which, in the user's language."""


@dataclass(frozen=True)
class Scheme:
    label: Promise
    check: Callable[[str], str]  # the code without its spaces -> the stored code, or raise
    country: str = ""  # the ISO 3166 country whose partners have such codes; "" for any
    foreign: Promise | None = None  # the refusal when the partner is in another country


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum, which SIREN numbers end with: it catches any single mistyped digit
    and most swaps of neighbours."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _digits(count: int, wrong: Promise, short: Promise) -> Callable[[str], str]:
    pattern = re.compile(rf"[0-9]{{{count}}}")

    def check(code: str) -> str:
        if pattern.fullmatch(code):
            return code
        # Spreadsheets read codes as numbers and drop their leading zeros.
        message = short if code.isdigit() and len(code) < count else wrong
        raise InvalidCode(message % {"code": code})

    return check


_nis = _digits(
    5,
    gettext_lazy("A Belgian NIS code has 5 digits, e.g. 34022 (Kortrijk); “%(code)s” does not."),
    gettext_lazy(
        "A Belgian NIS code has 5 digits, e.g. 34022 (Kortrijk); “%(code)s” has fewer: if a "
        "spreadsheet dropped a leading zero, format the column as text."
    ),
)
_ags = _digits(
    8,
    gettext_lazy("A German AGS has 8 digits, e.g. 07211000 (Trier); “%(code)s” does not."),
    gettext_lazy(
        "A German AGS has 8 digits, e.g. 07211000 (Trier); “%(code)s” has fewer: if a "
        "spreadsheet dropped a leading zero, format the column as text."
    ),
)


def _capitals(pattern: str, message: Promise) -> Callable[[str], str]:
    """Codes of letters and digits, whose letters are written in capitals."""
    regex = re.compile(pattern)

    def check(code: str) -> str:
        code = code.upper()
        if not regex.fullmatch(code):
            raise InvalidCode(message % {"code": code})
        return code

    return check


_insee = _capitals(
    r"(?:[0-9]{2}|2[AB])[0-9]{3}",
    gettext_lazy(
        "A French INSEE commune code has 5 characters: the département (2 digits, or 2A or 2B "
        "in Corsica) and 3 digits, e.g. 57463 (Metz); “%(code)s” is not one."
    ),
)
_nuts = _capitals(
    r"[A-Z]{2}[A-Z0-9]{0,3}",
    gettext_lazy(
        "A NUTS code is a country code followed by up to 3 letters or digits, e.g. BE25 or "
        "FRF33; “%(code)s” is not one."
    ),
)


def _siren(code: str) -> str:
    if not re.fullmatch(r"[0-9]{9}", code):
        raise InvalidCode(_("A SIREN number has 9 digits; “%(code)s” does not.") % {"code": code})
    if not luhn_valid(code):
        raise InvalidCode(
            _("The check digit of the SIREN number %(code)s is wrong: look for a typing error.")
            % {"code": code}
        )
    return code


def _free(length: int, pattern: str = "") -> Callable[[str], str]:
    def check(code: str) -> str:
        if len(code) > length or any(ord(c) < 32 for c in code):
            raise InvalidCode(
                _("A code has at most %(length)s characters, on one line.") % {"length": length}
            )
        if pattern and not re.fullmatch(pattern, code):
            raise InvalidCode(
                _("A LAU code is made of letters, digits and _ - . / only; “%(code)s” is not.")
                % {"code": code}
            )
        return code

    return check


SCHEMES: dict[str, Scheme] = {
    "nis": Scheme(
        gettext_lazy("NIS code (Belgium, Statbel REFNIS)"),
        _nis,
        "BE",
        gettext_lazy("NIS codes identify Belgian partners, and this partner is in %(country)s."),
    ),
    "insee": Scheme(
        gettext_lazy("INSEE commune code (France)"),
        _insee,
        "FR",
        gettext_lazy(
            "INSEE commune codes identify French partners, and this partner is in %(country)s."
        ),
    ),
    "siren": Scheme(
        gettext_lazy("SIREN number (France)"),
        _siren,
        "FR",
        gettext_lazy("SIREN numbers identify French partners, and this partner is in %(country)s."),
    ),
    "ags": Scheme(
        gettext_lazy("Official municipality key, AGS (Germany)"),
        _ags,
        "DE",
        gettext_lazy("AGS codes identify German partners, and this partner is in %(country)s."),
    ),
    "lau": Scheme(gettext_lazy("LAU code (EU local administrative unit)"), _free(20, r"[\w.\-/]+")),
    "nuts": Scheme(gettext_lazy("NUTS code (EU region)"), _nuts),
    "own": Scheme(gettext_lazy("Our own code"), _free(40)),
}
# NUTS writes Greece EL and the United Kingdom UK where ISO 3166 has GR and GB.
NUTS_COUNTRY = {"EL": "GR", "UK": "GB"}
NO_SPACES = {"nis", "insee", "siren", "ags", "nuts"}  # registers print them in groups
COLUMN_PREFIX = "code_"


def choices() -> list[tuple[str, Promise]]:
    return [(code, scheme.label) for code, scheme in SCHEMES.items()]


def column(scheme: str) -> str:
    """The column of a scheme in import and export files (and the form field, the error key)."""
    return COLUMN_PREFIX + scheme


def scheme_of_column(name: str) -> str | None:
    scheme = name.removeprefix(COLUMN_PREFIX)
    return scheme if name.startswith(COLUMN_PREFIX) and scheme in SCHEMES else None


def normalise(scheme: str, raw: str, *, country: str = "") -> str:
    """The code as stored, or "" for no code; raises ``InvalidCode`` with the rule it breaks.

    Spaces around a code are dropped, and inside the codes that registers print in groups;
    letters of INSEE and NUTS codes are written in capitals. ``country`` is the partner's: a
    national scheme's codes are only for that country's partners."""
    rule = SCHEMES[scheme]
    code = (raw or "").strip()
    if scheme in NO_SPACES:
        code = re.sub(r"\s+", "", code)
    if not code:
        return ""
    code = rule.check(code)
    if country and rule.foreign is not None and country != rule.country:
        raise InvalidCode(rule.foreign % {"country": country})
    if scheme == "nuts" and country and NUTS_COUNTRY.get(code[:2], code[:2]) != country:
        raise InvalidCode(
            _("The NUTS code %(code)s does not start with the partner's country (%(country)s).")
            % {"code": code, "country": country}
        )
    return code
