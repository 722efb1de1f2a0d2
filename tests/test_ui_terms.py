"""Words that mean two things in English are told apart for translators (pgettext), and
language names follow one rule: in the language menu each in its own language, elsewhere in
the page's language."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from secretariat.governance.models import Decision, ItemKind
from secretariat.translation.models import TermStatus
from tests import factories


@pytest.mark.parametrize(
    ("language", "status", "country"),
    [("fr", "Statut", "État"), ("de", "Status", "Staat"), ("nl", "Status", "Staat")],
)
def test_the_queue_speaks_of_the_status_of_a_translation_not_of_a_country(
    org: Any, language: str, status: str, country: str
) -> None:
    client = Client(headers={"accept-language": language})
    client.force_login(factories.member_of(org, "staff"))
    page = client.get(reverse("translation_queue", args=[org.slug])).content.decode()
    headers = re.findall(r'<th scope="col">(.*?)</th>', page)
    legends = re.findall(r"<legend>(.*?)</legend>", page)
    assert status in headers and status in legends
    assert country not in headers + legends
    assert "Maßnahme" not in page  # the buttons' column is no follow-up action


def test_a_decision_is_not_named_as_the_kind_of_an_agenda_item() -> None:
    with translation.override("fr"):
        assert str(Decision._meta.verbose_name) == "décision"
        assert str(ItemKind.DECISION.label) == "pour décision"
    with translation.override("de"):
        assert str(Decision._meta.verbose_name) == "Beschluss"
        assert str(ItemKind.DECISION.label) == "zur Beschlussfassung"


def test_a_preferred_term_agrees_with_term_not_with_language() -> None:
    with translation.override("fr"):
        assert str(TermStatus.PREFERRED.label) == "privilégié"
        assert translation.gettext("preferred") == "préférée"  # a person's language


def test_language_names_in_the_menu_in_their_own_language_elsewhere_in_the_page_s(
    org: Any,
) -> None:
    client = Client(headers={"accept-language": "fr"})
    client.force_login(factories.member_of(org, "staff"))
    page = client.get(reverse("profile")).content.decode()
    menu = page[page.index('id="ui-language"') : page.index("</select>", page.index("ui-language"))]
    assert re.findall(r'lang="(\w+)"[^>]*>([^<]+)<', menu) == [
        ("fr", "Français"),
        ("de", "Deutsch"),
        ("nl", "Nederlands"),
        ("en", "English"),
    ]
    profile = page[page.index('name="language"', page.index("</header>")) :]
    profile = profile[: profile.index("</select>")]
    assert re.findall(r'<option value="(\w*)"[^>]*>([^<]+)<', profile) == [
        ("", "Comme dans mon navigateur"),
        ("fr", "Français"),
        ("de", "Allemand"),
        ("nl", "Néerlandais"),
        ("en", "Anglais"),
    ]
