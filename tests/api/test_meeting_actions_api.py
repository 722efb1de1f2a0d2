"""The actions of the meeting pages through the API: the same services, so the same rules,
history and messages; each endpoint kept to its organisation and to those who may act."""

from typing import Any

import pytest
from django.test import Client

from secretariat.core.models import AuditEntry
from secretariat.core.tokens import token_create
from secretariat.governance import agenda, convocation, decisions
from secretariat.governance.models import (
    Decision,
    Delivery,
    DeliveryKind,
    Invitation,
    ItemKind,
    MeetingState,
    Movement,
)
from tests import factories


@pytest.fixture(autouse=True)
def _no_mail(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def post(client: Client, url: str, payload: Any, headers: dict[str, str]) -> Any:
    return client.post(url, payload, content_type="application/json", **headers)


@pytest.fixture
def convened(org: Any) -> dict[str, Any]:
    body = factories.body(org, short_code="DIR", name={"fr": "Directoire", "de": "Vorstand"})
    people = [factories.person(org) for _n in range(3)]
    for person in people:
        factories.membership(body, person)
    meeting = factories.meeting(body, title={"fr": "Directoire", "de": "Vorstand"})
    opening = agenda.item_add(
        meeting=meeting, by=None, title={"fr": "Ouverture", "de": "Eröffnung"}
    )
    budget = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget", "de": "Haushalt"},
        draft_decision={"fr": "Adopté.", "de": "Beschlossen."},
    )
    convocation.meeting_convene(meeting=meeting, by=None)
    Delivery.objects.update(status="sent")
    return {
        "body": body,
        "meeting": meeting,
        "opening": opening,
        "budget": budget,
        "people": people,
        "url": f"/api/v1/organisations/{org.slug}/meetings/{meeting.pk}",
    }


def test_an_item_moves_up_and_down_as_on_the_page_and_the_agenda_is_renumbered(
    client: Client, org: Any, convened: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    url, budget = convened["url"], convened["budget"]
    moved = post(client, f"{url}/items/{budget.pk}/move", {"direction": "up"}, staff)
    assert moved.status_code == 200, moved.content
    items = moved.json()["items"]
    assert [(i["id"], i["number"]) for i in items] == [
        (budget.pk, "1"),
        (convened["opening"].pk, "2"),
    ]
    # The first item moved up stays first; the move is in the meeting's history.
    again = post(client, f"{url}/items/{budget.pk}/move", {"direction": "up"}, staff)
    assert again.json()["items"][0]["id"] == budget.pk
    assert AuditEntry.objects.filter(object_id=convened["meeting"].pk, changes__has_key="agenda")
    wrong = post(client, f"{url}/items/{budget.pk}/move", {"direction": "left"}, staff)
    assert wrong.status_code == 422


def test_a_meeting_postponed_through_the_api_tells_the_members_and_can_be_planned_again(
    client: Client, org: Any, convened: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    url, meeting = convened["url"], convened["meeting"]
    postponed = post(client, f"{url}/state", {"state": "postponed"}, staff)
    assert postponed.status_code == 200 and postponed.json()["state"] == "postponed"
    told = Delivery.objects.filter(invitation__meeting=meeting, kind=DeliveryKind.CANCELLATION)
    assert told.count() == 3
    assert AuditEntry.objects.filter(object_id=meeting.pk, changes__has_key="cancellation")
    assert post(client, f"{url}/state", {"state": "planned"}, staff).json()["state"] == "planned"
    reader = bearer(factories.member_of(org, "readonly"))
    assert post(client, f"{url}/state", {"state": "cancelled"}, reader).status_code == 403


def test_a_meeting_is_marked_held_through_the_api_from_its_day(
    client: Client, org: Any, convened: Any, time_machine: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    url, meeting = convened["url"], convened["meeting"]
    early = post(client, f"{url}/state", {"state": "held"}, staff)
    assert early.status_code == 422 and "held" in early.json()["errors"]["__all__"][0]
    time_machine.move_to(meeting.start)
    held = post(client, f"{url}/state", {"state": "held"}, staff)
    assert held.status_code == 200 and held.json()["state"] == MeetingState.HELD
    assert not Delivery.objects.filter(kind=DeliveryKind.CANCELLATION).exists()


def test_those_who_have_not_answered_are_reminded_through_the_api(
    client: Client, org: Any, convened: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    answered = Invitation.objects.filter(meeting=convened["meeting"]).first()
    assert answered is not None
    post(
        client,
        f"{convened['url']}/invitations/{answered.pk}/answer",
        {"answer": "in_person"},
        staff,
    )
    reminded = post(client, f"{convened['url']}/remind", {}, staff)
    assert reminded.status_code == 200 and reminded.json() == {"queued": 2}
    assert Delivery.objects.filter(kind=DeliveryKind.REMINDER).count() == 2
    reader = bearer(factories.member_of(org, "readonly"))
    assert post(client, f"{convened['url']}/remind", {}, reader).status_code == 403


def test_arrivals_and_departures_through_the_api_count_for_the_quorum(
    client: Client, org: Any, convened: Any, time_machine: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    url, meeting, budget = convened["url"], convened["meeting"], convened["budget"]
    invitations = list(Invitation.objects.filter(meeting=meeting).order_by("id"))
    first = invitations[0]
    before = post(client, f"{url}/invitations/{first.pk}/arrive", {}, staff)
    assert before.status_code == 422  # not before the meeting's day
    time_machine.move_to(meeting.start)
    for invitation in invitations:
        arrived = post(client, f"{url}/invitations/{invitation.pk}/arrive", {}, staff)
        assert arrived.status_code == 200 and arrived.json()["signed_in_at"], arrived.content
    left = post(client, f"{url}/invitations/{first.pk}/leave", {"item_id": budget.pk}, staff)
    assert left.status_code == 200
    assert Movement.objects.filter(invitation=first, item=budget, kind="leave").exists()
    present = decisions.presence_at(meeting, budget).counted(True)
    assert first.pk not in present and len(present) == 2
    assert decisions.presence_at(meeting, convened["opening"]).counted(True) >= {first.pk}
    # An item of another meeting is not on this agenda.
    other = factories.meeting(convened["body"])
    elsewhere = agenda.item_add(meeting=other, by=None, title={"fr": "Ailleurs"})
    assert (
        post(
            client, f"{url}/invitations/{first.pk}/arrive", {"item_id": elsewhere.pk}, staff
        ).status_code
        == 404
    )
    reader = bearer(factories.member_of(org, "readonly"))
    assert post(client, f"{url}/invitations/{first.pk}/arrive", {}, reader).status_code == 403


def test_a_decision_item_is_registered_postponed_through_the_api(
    client: Client, org: Any, convened: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    url, budget = convened["url"], convened["budget"]
    registered = post(client, f"{url}/items/{budget.pk}/status", {"status": "postponed"}, staff)
    assert registered.status_code == 200, registered.content
    decision = Decision.objects.get(item=budget)
    assert registered.json() == {
        "decision_id": decision.pk,
        "number": decision.number,
        "status": "postponed",
    }
    opening = convened["opening"]
    refused = post(client, f"{url}/items/{opening.pk}/status", {"status": "withdrawn"}, staff)
    assert refused.status_code == 422  # an information item enters no register
    adopted = post(client, f"{url}/items/{budget.pk}/status", {"status": "adopted"}, staff)
    assert adopted.status_code == 422


def test_the_messages_of_a_meeting_are_listed_for_the_secretariat_not_for_members(
    client: Client, org: Any, convened: Any
) -> None:
    from django.urls import reverse

    first = Delivery.objects.order_by("id")[:1].get()
    Delivery.objects.filter(pk=first.pk).update(status="failed", error="550 mailbox unavailable")
    staff = bearer(factories.member_of(org, "staff"))
    listed = client.get(f"{convened['url']}/deliveries", **staff).json()
    assert listed["count"] == 3
    assert {d["person_id"] for d in listed["items"]} == {p.pk for p in convened["people"]}
    assert all(d["kind"] == "convocation" and d["address"] for d in listed["items"])
    failed = client.get(f"{convened['url']}/deliveries?status=failed", **staff).json()
    assert failed["count"] == 1 and failed["items"][0]["error"] == "550 mailbox unavailable"
    member = factories.member_of(org, "member")
    assert client.get(f"{convened['url']}/deliveries", **bearer(member)).status_code == 403
    # The page decides alike: a member of a body sees no addresses on the meeting's page.
    client.force_login(member)
    page = client.get(reverse("meeting_detail", args=[org.slug, convened["meeting"].pk]))
    address = convened["people"][0].emails.first().email
    assert page.status_code == 200 and address not in page.content.decode()
    client.force_login(factories.member_of(org, "staff"))
    page = client.get(reverse("meeting_detail", args=[org.slug, convened["meeting"].pk]))
    assert address in page.content.decode()


def test_the_follow_up_list_is_the_pages_and_hides_the_actions_of_confidential_decisions(
    client: Client, org: Any, convened: Any, time_machine: Any
) -> None:
    from django.urls import reverse

    meeting, budget = convened["meeting"], convened["budget"]
    secret = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        public=False,
        title={"fr": "Personnel", "de": "Personal"},
    )
    time_machine.move_to(meeting.start)
    for invitation in Invitation.objects.filter(meeting=meeting):
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=budget, by=None, yes=3)
    decisions.vote_record(item=secret, by=None, yes=3)
    metz = factories.partner(org, name={"fr": "Metz"})
    public = decisions.action_create(
        decision=Decision.objects.get(item=budget),
        by=None,
        title={"fr": "Publier le budget"},
        owner_partner=metz,
    )
    hidden = decisions.action_create(
        decision=Decision.objects.get(item=secret),
        by=None,
        title={"fr": "Recruter en secret"},
        owner_person=convened["people"][0],
    )
    base = f"/api/v1/organisations/{org.slug}"
    staff = bearer(factories.member_of(org, "staff"))
    listed = client.get(f"{base}/actions", **staff).json()
    assert [a["id"] for a in listed["items"]] == sorted([public.pk, hidden.pk])
    assert listed["items"][0]["decision_number"] == Decision.objects.get(item=budget).number
    assert [
        a["id"] for a in client.get(f"{base}/actions?partner={metz.pk}", **staff).json()["items"]
    ] == [public.pk]
    member = factories.member_of(org, "member")
    seen = client.get(f"{base}/actions", **bearer(member)).json()
    assert [a["id"] for a in seen["items"]] == [public.pk]
    client.force_login(member)
    page = client.get(reverse("follow_up", args=[org.slug])).content.decode()
    assert "Publier le budget" in page and "Recruter en secret" not in page
    # Done actions are listed on asking for all of them.
    decisions.action_update(action=public, by=None, status="done")
    assert client.get(f"{base}/actions", **staff).json()["count"] == 1
    assert client.get(f"{base}/actions?all=true", **staff).json()["count"] == 2


def test_a_coordinator_updates_the_actions_of_their_partner_only(
    client: Client, org: Any, convened: Any, time_machine: Any
) -> None:
    from django.urls import reverse

    meeting, budget = convened["meeting"], convened["budget"]
    time_machine.move_to(meeting.start)
    for invitation in Invitation.objects.filter(meeting=meeting):
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=budget, by=None, yes=3)
    decision = Decision.objects.get(item=budget)
    metz, trier = factories.partner(org), factories.partner(org)
    ours = decisions.action_create(
        decision=decision, by=None, title={"fr": "Nôtre"}, owner_partner=metz
    )
    theirs = decisions.action_create(
        decision=decision, by=None, title={"fr": "Leur"}, owner_partner=trier
    )
    user = factories.member_of(org, "coordinator", partner=metz)
    coordinator = bearer(user)
    base = f"/api/v1/organisations/{org.slug}"
    own = client.patch(
        f"{base}/actions/{ours.pk}",
        {"progress": 40},
        content_type="application/json",
        **coordinator,
    )
    assert own.status_code == 200 and own.json()["progress"] == 40
    other = client.patch(
        f"{base}/actions/{theirs.pk}",
        {"progress": 40},
        content_type="application/json",
        **coordinator,
    )
    assert other.status_code == 403
    client.force_login(user)
    assert client.get(reverse("action_edit", args=[org.slug, ours.pk])).status_code == 200
    assert client.get(reverse("action_edit", args=[org.slug, theirs.pk])).status_code == 403


def test_every_new_meeting_action_is_unknown_to_another_organisation(
    client: Client, org: Any, other_org: Any, convened: Any
) -> None:
    outsider = bearer(factories.member_of(other_org, "admin"))
    invitation = Invitation.objects.filter(meeting=convened["meeting"]).first()
    assert invitation is not None
    item = convened["budget"]
    for slug in (org.slug, other_org.slug):
        url = f"/api/v1/organisations/{slug}/meetings/{convened['meeting'].pk}"
        for path, payload in [
            (f"/items/{item.pk}/move", {"direction": "up"}),
            ("/remind", {}),
            (f"/invitations/{invitation.pk}/arrive", {}),
            (f"/invitations/{invitation.pk}/leave", {}),
            (f"/items/{item.pk}/status", {"status": "postponed"}),
        ]:
            assert post(client, url + path, payload, outsider).status_code == 404, (slug, path)
        assert client.get(f"{url}/deliveries", **outsider).status_code == 404
    assert client.get(f"/api/v1/organisations/{org.slug}/actions", **outsider).status_code == 404
    assert not Decision.objects.exists() and not Movement.objects.exists()


def test_the_meeting_list_of_the_api_is_the_pages_upcoming_or_past(
    client: Client, org: Any, convened: Any, time_machine: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    base = f"/api/v1/organisations/{org.slug}/meetings"
    meeting = convened["meeting"]
    later = factories.meeting(convened["body"], start=factories.days_ahead(90))
    upcoming = client.get(f"{base}?when=upcoming", **staff).json()
    assert [m["id"] for m in upcoming["items"]] == [meeting.pk, later.pk]
    assert client.get(f"{base}?when=past", **staff).json()["count"] == 0
    time_machine.move_to(later.end + (later.end - later.start))
    past = client.get(f"{base}?when=past", **staff).json()
    assert [m["id"] for m in past["items"]] == [later.pk, meeting.pk]
