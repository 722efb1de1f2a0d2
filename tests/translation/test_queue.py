"""The work queue: what is missing, outdated, machine-made or awaiting review per language,
ordered by when it is needed; assignment; and every page of it kept to its organisation."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.text_rules import Status
from secretariat.governance import agenda
from secretariat.network import services as network
from secretariat.translation import queue, workbench
from tests import factories

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def content(org: Any) -> dict[str, Any]:
    """A partner translated long ago, and a meeting in January whose agenda is French only."""
    partner = factories.partner(org, name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    meeting = factories.meeting(
        body,
        title={"fr": "Directoire de janvier"},
        start=datetime.datetime(2027, 1, 20, 10, 0, tzinfo=datetime.UTC),
    )
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        title={"fr": "Budget 2027"},
        draft_decision={"fr": "Le Directoire adopte le budget 2027 de la Grande Région."},
    )
    return {"partner": partner, "body": body, "meeting": meeting, "item": item}


def statuses(page: queue.Page) -> dict[str, str]:
    return {item.unit_id: item.status for item in page.items}


def test_the_queue_lists_what_is_missing_and_puts_the_convocation_first(
    content: dict[str, Any], org: Any
) -> None:
    page = queue.page(org, "de", today=TODAY)
    found = statuses(page)
    meeting, item = content["meeting"], content["item"]
    assert found[f"governance.meeting:{meeting.pk}:title"] == Status.MISSING
    assert found[f"governance.agendaitem:{item.pk}:draft_decision"] == Status.MISSING
    # Written in both languages by its author: a translation nobody has reviewed yet.
    assert found[f"network.partner:{content['partner'].pk}:name"] == Status.UNREVIEWED
    # The meeting's texts are needed by the convocation's send-by date, before anything else.
    first = page.items[0]
    assert first.deadline is not None and first.day is not None and first.day < meeting.start.date()
    assert "convocation" in first.deadline.reason
    assert first.words > 0
    missing = [i for i in page.items if i.status == Status.MISSING]
    assert queue.counts(org)["de"][Status.MISSING] == len(missing) == 4
    assert len(page.items) == page.total


def test_a_changed_source_makes_the_translation_outdated_and_the_editor_shows_what_changed(
    content: dict[str, Any], org: Any, staff: Any
) -> None:
    partner = content["partner"]
    network.partner_update(partner=partner, by=staff, name={"fr": "Ville de Metz Métropole"})
    page = queue.page(org, "de", today=TODAY)
    unit = f"network.partner:{partner.pk}:name"
    assert statuses(page)[unit] == Status.OUTDATED
    client = Client()
    client.force_login(staff)
    url = reverse(
        "translation_editor", args=[org.slug, "network.partner", partner.pk, "name", "de"]
    )
    html = client.get(url).content.decode()
    assert "<ins>Métropole</ins>" in html or "<ins> Métropole</ins>" in html
    assert "Stadt Metz" in html


def test_saving_in_the_editor_is_a_human_translation_awaiting_review_then_reviewed(
    content: dict[str, Any], org: Any, staff: Any
) -> None:
    item = content["item"]
    client = Client()
    client.force_login(staff)
    url = reverse(
        "translation_editor", args=[org.slug, "governance.agendaitem", item.pk, "title", "de"]
    )
    response = client.post(url, {"text": "Haushalt 2027", "action": "save"})
    assert response.status_code == 302
    unit = f"governance.agendaitem:{item.pk}:title"
    assert statuses(queue.page(org, "de", today=TODAY))[unit] == Status.UNREVIEWED
    client.post(url, {"action": "review"})
    assert unit not in statuses(queue.page(org, "de", today=TODAY))
    item.refresh_from_db()
    assert item.title == {"fr": "Budget 2027", "de": "Haushalt 2027"}


def test_an_empty_translation_is_refused_with_a_message_and_nothing_changes(
    content: dict[str, Any], org: Any, staff: Any
) -> None:
    item = content["item"]
    client = Client(headers={"accept-language": "de"})
    client.force_login(staff)
    url = reverse(
        "translation_editor", args=[org.slug, "governance.agendaitem", item.pk, "title", "de"]
    )
    response = client.post(url, {"text": "  ", "action": "save"})
    assert response.status_code == 400
    assert "Übersetzung" in response.content.decode()
    item.refresh_from_db()
    assert item.title == {"fr": "Budget 2027"}


def test_an_accepted_memory_suggestion_keeps_its_origin_until_reviewed(
    content: dict[str, Any], org: Any, staff: Any
) -> None:
    item = content["item"]
    workbench.save_translation(
        obj=item,
        field="title",
        language="de",
        text="Haushalt 2027",
        by=staff,
        suggested_engine="memory",
        suggested_text="Haushalt 2027",
    )
    unit = f"governance.agendaitem:{item.pk}:title"
    assert statuses(queue.page(org, "de", today=TODAY))[unit] == Status.MACHINE


def test_assignment_filters_the_queue_and_its_due_date_orders_it(
    content: dict[str, Any], org: Any, staff: Any
) -> None:
    partner = content["partner"]
    network.partner_update(partner=partner, by=staff, name={"fr": "Metz Métropole"})
    client = Client()
    client.force_login(staff)
    url = reverse(
        "translation_editor", args=[org.slug, "network.partner", partner.pk, "name", "de"]
    )
    response = client.post(url, {"action": "assign", "assignee": staff.pk, "due": "2026-11-25"})
    assert response.status_code == 302
    mine = queue.page(org, "de", assignee=staff, today=TODAY)
    assert [i.unit_id for i in mine.items] == [f"network.partner:{partner.pk}:name"]
    assert mine.items[0].assignee == staff
    everything = queue.page(org, "de", today=TODAY)
    assert everything.items[0].unit_id == f"network.partner:{partner.pk}:name"  # due first
    page = client.get(reverse("translation_queue", args=[org.slug]) + "?language=de&who=me")
    assert staff.email in page.content.decode()


def test_queue_pages_follow_each_other_without_repeating(org: Any) -> None:
    for n in range(7):
        factories.partner(org, name={"fr": f"Commune {n}"})
    first = queue.page(org, "de", model="network.partner", per_page=5, today=TODAY)
    second = queue.page(org, "de", model="network.partner", per_page=5, number=2, today=TODAY)
    assert first.total == 7 and first.pages == 2
    ids = [i.unit_id for i in first.items] + [i.unit_id for i in second.items]
    assert len(ids) == len(set(ids)) == 7


def test_queue_pages_are_for_the_secretariat_of_the_organisation_only(
    content: dict[str, Any], org: Any, other_org: Any
) -> None:
    item = content["item"]
    editor = reverse(
        "translation_editor", args=[org.slug, "governance.agendaitem", item.pk, "title", "de"]
    )
    outsider = factories.member_of(other_org, "admin")
    member = factories.member_of(org, "member")
    client = Client()
    for user, expected in ((outsider, 404), (member, 403)):
        client.force_login(user)
        for url in (reverse("translation_queue", args=[org.slug]), editor):
            assert client.get(url).status_code == expected, (user, url)
        assert client.post(editor, {"text": "x", "action": "save"}).status_code == expected
    # An object of another organisation, asked through one's own organisation: not found.
    client.force_login(outsider)
    foreign = reverse(
        "translation_editor", args=[other_org.slug, "governance.agendaitem", item.pk, "title", "nl"]
    )
    assert client.get(foreign).status_code == 404
    item.refresh_from_db()
    assert "de" not in item.title


def test_the_queue_page_shows_counts_and_items(
    content: dict[str, Any], org: Any, staff: Any
) -> None:
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("translation_queue", args=[org.slug]) + "?language=de")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Budget 2027" in html
    assert (
        reverse(
            "translation_editor",
            args=[org.slug, "governance.agendaitem", content["item"].pk, "title", "de"],
        )
        in html
    )


def test_the_counts_agree_with_the_items_in_every_state(org: Any, staff: Any) -> None:
    from secretariat.core.texts import text_review

    missing = factories.partner(org, name={"fr": "Ville de Metz"})
    unreviewed = factories.partner(org, name={"fr": "Ville de Trèves", "de": "Stadt Trier"})
    reviewed = factories.partner(org, name={"fr": "Sarrebruck", "de": "Saarbrücken"})
    text_review(obj=reviewed, field_name="name", language="de", by=staff)
    outdated = factories.partner(org, name={"fr": "Luxembourg", "de": "Luxemburg"})
    network.partner_update(partner=outdated, by=staff, name={"fr": "Ville de Luxembourg"})
    machine = factories.partner(org, name={"fr": "Ville de Thionville"})
    workbench.save_translation(
        obj=machine,
        field="name",
        language="de",
        text="Stadt Diedenhofen",
        by=staff,
        suggested_engine="deepl",
        suggested_text="Stadt Diedenhofen",
    )
    page = queue.page(org, "de", model="network.partner", today=TODAY)
    found = statuses(page)
    assert found == {
        f"network.partner:{missing.pk}:name": Status.MISSING,
        f"network.partner:{unreviewed.pk}:name": Status.UNREVIEWED,
        f"network.partner:{outdated.pk}:name": Status.OUTDATED,
        f"network.partner:{machine.pk}:name": Status.MACHINE,
    }
    everything = queue.page(org, "de", today=TODAY)
    by_status: dict[str, int] = {}
    for item in everything.items:
        by_status[item.status] = by_status.get(item.status, 0) + 1
    assert queue.counts(org)["de"] == {s.value: by_status.get(s.value, 0) for s in queue.OPEN}
    assert everything.total == len(everything.items)
    assert queue.page(org, "de", statuses=["outdated"], today=TODAY).total == 1
