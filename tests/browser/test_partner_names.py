"""In a real browser: log in, switch the interface language, edit a partner's names in two
languages side by side, and find the change in the partner's history."""

from typing import Any

import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_edit_names_side_by_side_and_see_the_audit_entry(
    live_server: Any, browser_page: Any, transactional_db: Any, tmp_path: Any
) -> None:
    screenshots = tmp_path
    org = factories.organisation("quattropole-test", languages=("fr", "de"))
    factories.member_of(
        org, "staff", email="officer@quattropole.example", password="a long demo password"
    )
    partner = factories.partner(
        org, name={"fr": "Ville de Trèves"}, country="DE", subdivision="DE-RP"
    )
    page = browser_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "officer@quattropole.example")
    page.fill("input[name=password]", "a long demo password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/o/{org.slug}/"

    page.select_option("#ui-language", "de")
    with page.expect_navigation():
        page.click("form.language button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("link", name="Partner").first.is_visible()

    page.goto(f"{live_server.url}/o/{org.slug}/partners/{partner.pk}/edit/")
    french = page.locator("input[name=name__fr]")
    german = page.locator("input[name=name__de]")
    page.screenshot(path=str(screenshots / "partner-edit.png"), full_page=True)
    fr_box, de_box = french.bounding_box(), german.bounding_box()
    assert abs(fr_box["y"] - de_box["y"]) < fr_box["height"] / 2  # side by side, not stacked
    assert fr_box["x"] + fr_box["width"] <= de_box["x"]
    french.fill("Ville de Trèves (Trier)")
    german.fill("Stadt Trier")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/o/{org.slug}/partners/{partner.pk}/")

    history = page.locator("section.audit")
    assert "officer@quattropole.example" in history.inner_text()
    assert "Stadt Trier" in history.inner_text()
    assert "Ville de Trèves (Trier)" in page.locator("table.texts").inner_text()
    partner.refresh_from_db()
    assert partner.name == {"fr": "Ville de Trèves (Trier)", "de": "Stadt Trier"}
