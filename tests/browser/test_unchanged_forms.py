"""In a real browser, in French, German and Dutch: every edit form, opened and saved unchanged,
changes nothing and writes no audit entry. Chromium sends what browsers send: CRLF in text
areas, ISO dates from the date pickers (a date shown in the page's format would be empty, and
saving would erase it)."""

import re
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.urls import get_resolver, reverse

from secretariat.core.models import AuditEntry, TextVersion
from secretariat.governance import agenda, body_rules, decisions, services
from secretariat.governance.models import ItemKind
from secretariat.network import services as network
from secretariat.translation import glossary
from secretariat.translation.models import EngineSetting
from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = "a long demo password"
# Every page whose form edits something that exists: a new one is added here, or this fails.
EDIT_PAGES = {
    "partner_edit",
    "person_edit",
    "affiliation_edit",
    "body_edit",
    "membership_edit",
    "body_rules",
    "meeting_edit",
    "item_edit",
    "action_edit",
    "presidency_edit",
    "concept_edit",
    "engine_edit",
    "organisation_settings",
    "profile",
}


def test_every_edit_page_is_tried_unchanged_in_the_browser() -> None:
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and re.search(r"_(edit|settings|rules)$", name)
    }
    assert names <= EDIT_PAGES, f"add these edit pages to the browser test: {names - EDIT_PAGES}"


def _world(org: Any) -> dict[str, Any]:
    """One of everything that has an edit form, with every date and a text of two lines."""
    days = factories.days_ahead
    two_lines = {"fr": "Première ligne\nSeconde ligne", "de": "Erste Zeile\nZweite Zeile"}
    partner = factories.partner(
        org,
        country="DE",
        subdivision="DE-RP",
        name={"fr": "Ville de Trèves", "de": "Stadt Trier"},
        member_since="2008-01-01",
        member_until=days(700).date(),
        website="https://www.trier.de",
    )
    person = factories.person(
        org,
        given_name="Wolfgang",
        family_name="Lintz",
        emails=["w.lintz@trier.example", "buero@trier.example"],
        phones=["+49 651 718 0", "+49 651 718 1"],
        languages=["de", "fr"],
        legal_basis="consent",
        consent_given_on="2024-05-02",
        consent_note="Formulaire signé",
        salutation={"de": "Sehr geehrter Herr Oberbürgermeister", "fr": "Monsieur le Maire"},
        tags=["maires", "Directoire"],
    )
    affiliation = network.affiliation_create(
        person=person,
        partner=partner,
        by=None,
        function={"fr": "Maire", "de": "Oberbürgermeister"},
        start="2015-04-01",
        end=days(900).date(),
    )
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"}, description=two_lines)
    membership = factories.membership(
        body, person, partner=partner, start="2020-01-01", end=days(800).date()
    )
    rules = body_rules.rules_of(body)
    rules.written_procedure_allowed = True
    rules.save()
    meeting = factories.meeting(
        body, title={"fr": "Directoire de printemps", "de": "Frühjahrsvorstand"}
    )
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget", "de": "Haushalt"},
        description=two_lines,
        draft_decision=two_lines,
    )
    presidency = services.presidency_create(
        organisation=org, partner=partner, start="2026-01-01", end="2027-12-31", by=None
    )
    from secretariat.governance.models import Decision

    decided_on = days(-60).date()
    decision = Decision.objects.create(
        organisation=org,
        body=body,
        year=decided_on.year,
        sequence=1,
        number=f"DIR-{decided_on.year}-01",
        text={"fr": "Adopté."},
        status="adopted",
        decided_on=decided_on,
    )
    action = decisions.action_create(
        decision=decision,
        by=None,
        title={"fr": "Publier le budget", "de": "Den Haushalt veröffentlichen"},
        owner_person=person,
        due=days(30).date(),
        note="Premier point\nSecond point",
    )
    concept = glossary.concept_save(
        organisation=org,
        concept=None,
        terms=[("fr", "Directoire", "preferred"), ("de", "Vorstand", "preferred")],
        by=None,
        note="L'organe exécutif.\nArt. 12 des statuts.",
        domain="gouvernance",
        valid_from=days(-2000).date(),
        valid_until=days(1000).date(),
    )
    engine = EngineSetting.objects.create(
        organisation=org, kind="libretranslate", url="https://translate.example", position=1
    )
    return {
        "partner": partner,
        "person": person,
        "affiliation": affiliation,
        "body": body,
        "membership": membership,
        "rules": rules,
        "meeting": meeting,
        "item": item,
        "action": action,
        "presidency": presidency,
        "concept": concept,
        "engine": engine,
    }


def _pages(org: Any, world: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    slug = org.slug
    return {
        "partner_edit": (reverse("partner_edit", args=[slug, world["partner"].pk]), "partner"),
        "person_edit": (reverse("person_edit", args=[slug, world["person"].pk]), "person"),
        "affiliation_edit": (
            reverse("affiliation_edit", args=[slug, world["person"].pk, world["affiliation"].pk]),
            "affiliation",
        ),
        "body_edit": (reverse("body_edit", args=[slug, world["body"].pk]), "body"),
        "membership_edit": (
            reverse("membership_edit", args=[slug, world["body"].pk, world["membership"].pk]),
            "membership",
        ),
        "body_rules": (reverse("body_rules", args=[slug, world["body"].pk]), "rules"),
        "meeting_edit": (reverse("meeting_edit", args=[slug, world["meeting"].pk]), "meeting"),
        "item_edit": (
            reverse("item_edit", args=[slug, world["meeting"].pk, world["item"].pk]),
            "item",
        ),
        "action_edit": (reverse("action_edit", args=[slug, world["action"].pk]), "action"),
        "presidency_edit": (
            reverse("presidency_edit", args=[slug, world["presidency"].pk]),
            "presidency",
        ),
        "concept_edit": (reverse("concept_edit", args=[slug, world["concept"].pk]), "concept"),
        "engine_edit": (reverse("engine_edit", args=[slug, world["engine"].pk]), "engine"),
        "organisation_settings": (reverse("organisation_settings", args=[slug]), "organisation"),
        "profile": (reverse("profile"), "user"),
    }


def _state(obj: Any) -> dict[str, Any]:
    obj.refresh_from_db()
    state = model_to_dict(obj)
    state.pop("updated_at", None)
    related = {}
    for name in ("emails", "tags", "terms"):
        if hasattr(obj, name):
            related[name] = sorted(str(r) for r in getattr(obj, name).all())
    return {**state, **related}


@pytest.mark.parametrize("language", ["fr", "de", "nl"])
def test_every_edit_form_saved_unchanged_changes_nothing(
    live_server: Any, browser_page: Any, transactional_db: Any, language: str
) -> None:
    org = factories.organisation(f"unchanged-{language}", languages=("fr", "de", "nl"))
    admin = factories.member_of(
        org, "admin", email=f"admin-{language}@test.example", password=PASSWORD
    )
    admin.language = language
    admin.save()
    world = {**_world(org), "organisation": org, "user": admin}
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    pages = _pages(org, world)
    assert set(pages) == EDIT_PAGES
    for name, (url, key) in pages.items():
        obj = world[key]
        before = _state(obj)
        versions = list(TextVersion.objects.order_by("id").values())
        entries = AuditEntry.objects.count()
        page.goto(live_server.url + url)
        form = page.locator("main form[method=post]").filter(
            has=page.locator("button[type=submit], button:not([type])")
        )
        if name == "engine_edit":  # the page holds the policy form first
            form = (
                page.locator("main form[method=post]")
                .filter(has=page.locator("input[name=pk]").and_(page.locator("[type=hidden]")))
                .filter(has=page.locator("input[name=url]"))
            )
        button = form.first.locator(
            "button[type=submit]:not(.danger):not([name=delete]), "
            "button:not([type]):not(.danger):not([name=delete])"
        ).first
        with page.expect_navigation() as navigation:
            button.click()
        # Saved: the browser was sent elsewhere (a refused form answers 400 with its errors).
        assert navigation.value.status == 200 and navigation.value.request.redirected_from, (
            name,
            page.locator("main").inner_text()[:2000],
        )
        assert AuditEntry.objects.count() == entries, (
            name,
            list(
                AuditEntry.objects.order_by("-id").values("changes")[
                    : AuditEntry.objects.count() - entries
                ]
            ),
        )
        assert _state(obj) == before, name
        assert list(TextVersion.objects.order_by("id").values()) == versions, name
