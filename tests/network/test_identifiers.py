"""The rules of partner identifiers: each scheme's format, the SIREN check digit, the country."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secretariat.network import identifiers
from secretariat.network.identifiers import InvalidCode, luhn_valid, normalise


@pytest.mark.parametrize(
    ("scheme", "raw", "country", "code"),
    [
        ("nis", "34022", "BE", "34022"),  # Kortrijk
        ("nis", " 57 081 ", "BE", "57081"),  # Tournai, typed with spaces
        ("insee", "57463", "FR", "57463"),  # Metz
        ("insee", "2a004", "FR", "2A004"),  # Ajaccio: Corsica's départements are 2A and 2B
        ("insee", "97411", "FR", "97411"),  # Saint-Denis (La Réunion)
        ("siren", "356 000 000", "FR", "356000000"),  # La Poste
        ("ags", "07211000", "DE", "07211000"),  # Trier
        ("nuts", "be25", "BE", "BE25"),  # West-Vlaanderen
        ("nuts", "EL30", "GR", "EL30"),  # Greece is EL in NUTS, GR in ISO 3166
        ("nuts", "FR", "FR", "FR"),
        ("lau", "BE_34022", "BE", "BE_34022"),
        ("own", "  Membre n° 12 ", "LU", "Membre n° 12"),
        ("nis", "", "BE", ""),  # no code
    ],
)
def test_codes_in_their_register_format_are_accepted(scheme, raw, country, code) -> None:
    assert normalise(scheme, raw, country=country) == code


@pytest.mark.parametrize(
    ("scheme", "raw", "country", "words"),
    [
        ("nis", "3402", "BE", "5 digits"),
        ("nis", "3402A", "BE", "5 digits"),
        ("insee", "5746", "FR", "5 characters"),
        ("insee", "2C004", "FR", "5 characters"),
        ("siren", "356000001", "FR", "check digit"),
        ("siren", "35600000", "FR", "9 digits"),
        ("ags", "7211000", "DE", "leading zero"),  # a spreadsheet dropped the zero
        ("nuts", "BE2566", "BE", "up to 3"),
        ("nuts", "DE12", "BE", "BE"),
        ("nis", "34022", "FR", "Belgian"),
        ("ags", "07211000", "LU", "German"),
        ("lau", "BE 34022 Kortrijk Courtrai", "BE", "20"),
        ("own", "x" * 41, "BE", "40"),
    ],
)
def test_wrong_codes_are_refused_with_the_rule_they_break(scheme, raw, country, words) -> None:
    with pytest.raises(InvalidCode) as error:
        normalise(scheme, raw, country=country)
    assert words in str(error.value)


def test_an_unknown_scheme_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        normalise("iban", "BE68539007547034")


def _luhn_digit(body: str) -> str:
    return next(str(d) for d in range(10) if luhn_valid(body + str(d)))


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_eight_digits_have_exactly_one_siren_check_digit(body: str) -> None:
    valid = [d for d in "0123456789" if luhn_valid(body + d)]
    assert len(valid) == 1
    assert normalise("siren", body + valid[0], country="FR") == body + valid[0]


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=1, max_value=9),
)
def test_a_mistyped_siren_digit_is_caught(body: str, position: int, shift: int) -> None:
    siren = body + _luhn_digit(body)
    wrong = siren[:position] + str((int(siren[position]) + shift) % 10) + siren[position + 1 :]
    assert not luhn_valid(wrong)


def test_every_scheme_has_a_label_and_a_column() -> None:
    assert [c for c, _label in identifiers.choices()] == list(identifiers.SCHEMES)
    assert identifiers.column("nis") == "code_nis"
    assert identifiers.scheme_of_column("code_siren") == "siren"
    assert identifiers.scheme_of_column("name_fr") is None
