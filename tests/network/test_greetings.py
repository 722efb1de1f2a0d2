"""Greetings as a letter in each language opens: the stored form of address as a whole phrase,
in its own language only; a bare title completed, never "Herr,"."""

from typing import Any

import pytest

from secretariat.network.greetings import greeting
from tests import factories


@pytest.mark.parametrize(
    ("salutation", "language", "expected"),
    [
        (
            {"de": "Sehr geehrter Herr Ministerpräsident"},
            "de",
            "Sehr geehrter Herr Ministerpräsident,",
        ),
        ({"de": "Herr"}, "de", "Sehr geehrter Herr Weber,"),
        ({"de": "Frau Dr."}, "de", "Sehr geehrte Frau Dr. Weber,"),
        ({"fr": "Madame la Maire"}, "fr", "Madame la Maire,"),
        ({"fr": "Monsieur,"}, "fr", "Monsieur,"),
        ({"nl": "mevrouw"}, "nl", "Geachte mevrouw Weber,"),
        ({"nl": "de heer"}, "nl", "Geachte heer Weber,"),
        ({"en": "Ms"}, "en", "Dear Ms Weber,"),
        ({"en": "Dear Councillor Weber"}, "en", "Dear Councillor Weber,"),
    ],
)
def test_the_stored_form_of_address_opens_the_letter_as_a_whole_phrase(
    org: Any, salutation: dict[str, str], language: str, expected: str
) -> None:
    person = factories.person(org, given_name="Anna", family_name="Weber", languages=[language])
    person.salutation = salutation
    assert greeting(person, language) == expected


def test_a_form_of_address_in_another_language_is_never_used(org: Any) -> None:
    person = factories.person(org, given_name="Claire", family_name="Weber")
    person.salutation = {"fr": "Madame la Maire"}
    assert greeting(person, "de") == "Guten Tag Claire Weber,"
    person.salutation = {"de": "Bürgermeisterin"}  # a bare title of its own: named instead
    assert greeting(person, "de") == "Guten Tag Claire Weber,"
