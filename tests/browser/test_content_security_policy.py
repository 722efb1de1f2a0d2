"""In Chromium, with the Content-Security-Policy in force: the main kinds of page, an HTMX
search and an HTMX post, the confirmations and filters that were inline handlers, and the
translation editor, with no console error and no policy violation."""

from typing import Any

import pytest

from secretariat.governance import agenda, convocation
from secretariat.governance.models import Body, Invitation
from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = "a long demo password"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def test_the_main_pages_work_under_the_policy_without_a_console_error(
    live_server: Any, browser_page: Any, transactional_db: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    org = factories.organisation("qp-csp", languages=("fr", "de"))
    factories.member_of(org, "admin", email="admin@quattropole.example", password=PASSWORD)
    factories.partner(org, name={"fr": "Ville de Sarrebruck"})
    factories.partner(org, name={"fr": "Ville de Luxembourg"})
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    factories.membership(body, factories.person(org, emails=["jonas@trier.example"]))
    meeting = factories.meeting(
        body, title={"fr": "Directoire", "de": "Vorstand"}, start=factories.days_ahead(30)
    )
    first = agenda.item_add(meeting=meeting, by=None, title={"fr": "Ouverture", "de": "Eröffnung"})
    second = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget", "de": "Haushalt"})
    convocation.meeting_convene(meeting=meeting, by=None, deliver=False)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    assert invitation is not None

    page = browser_page
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    base = live_server.url

    def visit(path: str, status: int = 200) -> None:
        response = page.goto(base + path)
        assert response is not None and response.status == status, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path

    visit("/accounts/login/")
    page.fill("input[name=login]", "admin@quattropole.example")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    visit(f"/o/{org.slug}/")
    # HTMX: the search replaces the rows as one types.
    visit(f"/o/{org.slug}/partners/")
    with page.expect_response(lambda r: "q=Sarre" in r.url):
        page.fill("input[name=q]", "Sarre")
    page.wait_for_function("!document.querySelector('#rows').innerText.includes('Luxembourg')")
    assert "Sarrebruck" in page.locator("#rows").inner_text()
    # HTMX post with the CSRF token of hx-headers: the agenda is reordered in place.
    visit(f"/o/{org.slug}/meetings/{meeting.pk}/")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#agenda button[value=down]").first.click()
    page.wait_for_function(
        "document.querySelector('#agenda').innerText.indexOf('Budget') < "
        "document.querySelector('#agenda').innerText.indexOf('Ouverture')"
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.position > second.position
    # A filter that submits itself when its menu changes.
    visit(f"/o/{org.slug}/meetings/")
    with page.expect_navigation():
        page.select_option("select[name=when]", "past")
    assert "when=past" in page.url
    # A confirmation, dismissed: nothing is deleted.
    visit(f"/o/{org.slug}/bodies/{body.pk}/edit/")
    page.locator("button[name=delete]").click()
    assert dialogs and "Delete this body" in dialogs[-1]
    assert Body.objects.filter(pk=body.pk).exists()
    # The translation editor and its script.
    visit(f"/o/{org.slug}/translation/?language=de")
    row = page.locator("tr", has_text="Ville de Sarrebruck").first
    with page.expect_navigation():
        row.locator("a.button").click()
    assert "/translation/edit/network.partner/" in page.url
    page.fill("textarea[name=text]", "Landeshauptstadt Saarbrücken")
    visit(f"/o/{org.slug}/bodies/{body.pk}/")
    visit(f"/m/{invitation.token}/")
    assert problems == [], problems
    # Pages that answer 404 on purpose: Chromium reports the status of the page itself, and
    # nothing else.
    for path in ("/m/no-such-link/", "/no/such/page/"):
        visit(path, status=404)
        assert problems == [f"{NOT_FOUND} {base}{path}"], problems
        problems.clear()
