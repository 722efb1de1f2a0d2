"""In a real browser: from the work queue to the editor, insert an exact match of the memory,
save and mark it reviewed; the text keeps its memory origin and the queue empties."""

from typing import Any

import pytest

from secretariat.core.models import TextVersion
from secretariat.translation import memory
from secretariat.translation.models import MemoryOrigin, TranslatedWords
from tests import factories

pytestmark = pytest.mark.browser


def test_translate_from_the_queue_with_a_memory_match(
    live_server: Any, browser_page: Any, transactional_db: Any
) -> None:
    org = factories.organisation("qp-translation", languages=("fr", "de"))
    factories.member_of(
        org, "staff", email="translator@quattropole.example", password="a long demo password"
    )
    partner = factories.partner(org, name={"fr": "Ville de Sarrebruck"})
    memory.memory_add(
        organisation=org,
        source_language="fr",
        target_language="de",
        source="Ville de Sarrebruck",
        target="Landeshauptstadt Saarbrücken",
        origin=MemoryOrigin.REVIEWED,
    )
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "translator@quattropole.example")
    page.fill("input[name=password]", "a long demo password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.goto(f"{live_server.url}/o/{org.slug}/translation/?language=de")
    row = page.locator("tr", has_text="Ville de Sarrebruck").first
    with page.expect_navigation():
        row.locator("a.button").click()
    assert "/translation/edit/network.partner/" in page.url
    page.locator("button.use-suggestion").first.click()
    area = page.locator("textarea[name=text]")
    assert area.input_value() == "Landeshauptstadt Saarbrücken"
    with page.expect_navigation():
        page.locator("button[value=save_review]").click()
    partner.refresh_from_db()
    assert partner.name["de"] == "Landeshauptstadt Saarbrücken"
    version = TextVersion.objects.get(object_id=partner.pk, field="name", language="de")
    assert version.origin == "machine" and version.engine == "memory"
    assert version.reviewed_at is not None
    assert TranslatedWords.objects.get(organisation=org, language="de").origin == "memory"
    page.goto(f"{live_server.url}/o/{org.slug}/translation/?language=de")
    assert "Ville de Sarrebruck" not in page.locator("main table").inner_text()
