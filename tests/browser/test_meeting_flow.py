"""In a real browser: plan a meeting, add an item, convene, and answer as a member through the
personal link received by e-mail."""

import re
from typing import Any

import pytest
from django.core import mail

from secretariat.governance.models import Invitation
from tests import factories

pytestmark = pytest.mark.browser


def test_plan_add_an_item_convene_and_answer(
    live_server: Any, browser_page: Any, transactional_db: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    org = factories.organisation("quattropole-flow", languages=("fr", "de"))
    factories.member_of(
        org, "staff", email="sg@quattropole.example", password="a long demo password"
    )
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"}, short_code="DIR")
    mayor = factories.person(
        org,
        given_name="Wolfgang",
        family_name="Lintz",
        emails=["w.lintz@trier.example"],
        languages=["de", "fr"],
    )
    deputy = factories.person(
        org,
        given_name="Hélène",
        family_name="Roux",
        emails=["h.roux@metz.example"],
        languages=["fr", "de"],
    )
    factories.membership(body, mayor)
    factories.membership(body, deputy)
    page = browser_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "sg@quattropole.example")
    page.fill("input[name=password]", "a long demo password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.goto(f"{live_server.url}/o/{org.slug}/bodies/{body.pk}/meetings/new/")
    page.fill("input[name=title__fr]", "Directoire de printemps")
    page.fill("input[name=title__de]", "Frühjahrsvorstand")
    day = factories.days_ahead(45).date().isoformat()
    page.fill("form[method=post] input[name=start]", f"{day}T10:00")
    page.fill("form[method=post] input[name=end]", f"{day}T12:00")
    page.fill("input[name=place]", "Rathaus Trier")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    assert "/meetings/" in page.url and "/new/" not in page.url
    meeting_url = page.url

    page.click("text=Add an item")
    page.select_option("select[name=kind]", "decision")
    page.fill("input[name=title__fr]", "Budget 2027")
    page.fill("input[name=title__de]", "Haushalt 2027")
    page.fill("textarea[name=draft_decision__fr]", "Le Directoire adopte le budget.")
    page.fill("textarea[name=draft_decision__de]", "Der Vorstand beschließt den Haushalt.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url == meeting_url
    assert "Budget 2027" in page.locator("#agenda").inner_text()

    with page.expect_navigation():
        page.click("button[value=convene]")
    assert len(mail.outbox) == 2
    german = next(m for m in mail.outbox if m.to == ["w.lintz@trier.example"])
    assert german.subject.startswith("Einberufung") and "Haushalt 2027" in german.body
    link = re.search(r"https?://\S+/m/\S+/", german.body)
    assert link is not None

    page.goto(link.group(0))
    assert page.locator("html [lang=de] h1").inner_text() == "Frühjahrsvorstand"
    page.check("input[name=answer][value=in_person]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert Invitation.objects.get(person=mayor).answer == "in_person"
    assert "Frühjahrsvorstand" in page.content()
