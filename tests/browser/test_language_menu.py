"""The language menu (WCAG 3.2.2 On Input): arrowing through it with the keyboard changes
nothing; choosing a language and submitting it does."""

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_arrowing_through_the_language_menu_changes_nothing_until_submitted(
    live_server: Any, browser_page: Any, transactional_db: Any
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    address = page.url
    assert page.locator("html").get_attribute("lang") == "en"
    menu = page.locator("#ui-language")
    menu.focus()
    for _step in range(3):  # English is last: up through Nederlands, Deutsch, Français
        page.keyboard.press("ArrowUp")
    page.wait_for_timeout(700)  # time enough for a submit to have started
    assert menu.input_value() == "fr"
    assert page.url == address
    assert page.locator("html").get_attribute("lang") == "en"
    # Each language is named in its own language, and says so.
    options = menu.locator("option")
    assert options.all_inner_texts() == ["Français", "Deutsch", "Nederlands", "English"]
    assert [options.nth(i).get_attribute("lang") for i in range(4)] == ["fr", "de", "nl", "en"]

    page.keyboard.press("ArrowDown")  # Deutsch
    with page.expect_navigation():
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # the button next to the menu
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.url == address
    assert page.locator("#ui-language").input_value() == "de"
