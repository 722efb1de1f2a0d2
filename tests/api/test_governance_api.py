"""The governance API end to end, with isolation and permissions."""

import datetime
from typing import Any

import icalendar  # noqa: F401 - the calendar is covered elsewhere
import pytest
from django.test import Client

from secretariat.core.tokens import token_create
from tests import factories


@pytest.fixture(autouse=True)
def _no_mail(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def test_plan_build_agenda_convene_vote_and_follow_up_through_the_api(
    client: Client, org: Any, time_machine: Any
) -> None:
    staff = bearer(factories.member_of(org, "staff"))
    body = factories.body(org, short_code="DIR")
    people = [factories.person(org) for _ in range(3)]
    for person in people:
        factories.membership(body, person)
    base = f"/api/v1/organisations/{org.slug}"
    start = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40)).replace(
        microsecond=0
    )
    created = client.post(
        f"{base}/meetings",
        {
            "body_id": body.pk,
            "title": {"fr": "Directoire", "de": "Vorstand"},
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
            "place": "Trèves",
        },
        content_type="application/json",
        **staff,
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    url = f"{base}/meetings/{meeting['id']}"
    item = client.post(
        f"{url}/items",
        {
            "title": {"fr": "Budget", "de": "Haushalt"},
            "kind": "decision",
            "draft_decision": {"fr": "Adopté.", "de": "Beschlossen."},
        },
        content_type="application/json",
        **staff,
    )
    assert item.status_code == 201 and item.json()["number"] == "1", item.content
    item = item.json()
    other = client.post(
        f"{url}/items",
        {"title": {"fr": "Divers", "de": "Verschiedenes"}},
        content_type="application/json",
        **staff,
    ).json()
    assert other["number"] == "2" and other["title"]["de"]["text"] == "Verschiedenes"
    reordered = client.post(
        f"{url}/agenda/order",
        {"order": [[other["id"], None], [item["id"], None]]},
        content_type="application/json",
        **staff,
    ).json()
    assert [i["number"] for i in reordered["items"]] == ["1", "2"] and reordered["items"][0][
        "id"
    ] == other["id"]
    assert reordered["items"][1]["title"]["de"]["text"] == "Haushalt"
    assert client.post(f"{url}/convene", {}, content_type="application/json", **staff).json() == {
        "queued": 3
    }
    invitations = client.get(f"{url}/invitations", **staff).json()
    assert len(invitations) == 3
    for invitation in invitations:
        assert (
            client.post(
                f"{url}/invitations/{invitation['id']}/answer",
                {"answer": "in_person"},
                content_type="application/json",
                **staff,
            ).status_code
            == 200
        )
    from secretariat.governance import decisions
    from secretariat.governance.models import Invitation

    time_machine.move_to(start)
    for invitation in Invitation.objects.all():
        decisions.invitation_arrive(invitation=invitation, by=None)
    too_many = client.post(
        f"{url}/items/{item['id']}/vote", {"yes": 5}, content_type="application/json", **staff
    )
    assert too_many.status_code == 422
    voted = client.post(
        f"{url}/items/{item['id']}/vote", {"yes": 3}, content_type="application/json", **staff
    ).json()
    assert voted["adopted"] and voted["decision_number"] == f"DIR-{start.year}-01"
    register = client.get(f"{base}/decisions", **staff).json()
    decision = register["items"][0]
    assert decision["text"]["fr"]["text"] == "Adopté."
    with_action = client.post(
        f"{base}/decisions/{decision['id']}/actions",
        {"title": {"fr": "Publier"}, "owner_person_id": people[0].pk, "due": "2027-03-01"},
        content_type="application/json",
        **staff,
    )
    assert with_action.status_code == 201
    action_id = with_action.json()["actions"][0]["id"]
    patched = client.patch(
        f"{base}/actions/{action_id}", {"status": "done"}, content_type="application/json", **staff
    ).json()
    assert patched["progress"] == 100
    rules = client.patch(
        f"{base}/bodies/{body.pk}/rules",
        {"notice_days": 21, "majority_kind": "two_thirds"},
        content_type="application/json",
        **staff,
    )
    assert rules.status_code == 200 and rules.json()["notice_days"] == 21
    bad = client.patch(
        f"{base}/bodies/{body.pk}/rules",
        {"quorum_denominator": 0, "colour": "red"},
        content_type="application/json",
        **staff,
    )
    assert bad.status_code == 422


def test_governance_api_isolation_and_permissions(client: Client, org: Any, other_org: Any) -> None:
    from secretariat.governance import agenda

    body = factories.body(org)
    factories.membership(body)
    meeting = factories.meeting(body)
    item = agenda.item_add(meeting=meeting, by=None, title={"fr": "Point", "de": "Punkt"})
    base = f"/api/v1/organisations/{org.slug}"
    outsider = bearer(factories.member_of(other_org, "admin"))
    # Every write of another organisation's meeting is unknown to the outsider.
    for method, path, payload in [
        ("get", f"/meetings/{meeting.pk}/changes", None),
        ("post", f"/meetings/{meeting.pk}/changes", {}),
        ("post", f"/meetings/{meeting.pk}/state", {"state": "cancelled"}),
        ("get", f"/meetings/{meeting.pk}/items/{item.pk}/vote", None),
        ("post", f"/meetings/{meeting.pk}/items/{item.pk}/vote", {"yes": 1}),
        ("put", f"/meetings/{meeting.pk}/items/{item.pk}/vote", {"correction_reason": "x"}),
        ("delete", f"/meetings/{meeting.pk}/items/{item.pk}", None),
        ("patch", f"/meetings/{meeting.pk}/items/{item.pk}", {"public": False}),
    ]:
        for slug in (org.slug, other_org.slug):
            url = f"/api/v1/organisations/{slug}{path}"
            call = getattr(client, method)
            answer = (
                call(url, **outsider)
                if payload is None
                else call(url, payload, content_type="application/json", **outsider)
            )
            assert answer.status_code == 404, (method, url, answer.status_code)
    assert meeting.items.filter(pk=item.pk, public=True).exists()
    for path in [
        "/meetings",
        f"/meetings/{meeting.pk}",
        f"/meetings/{meeting.pk}/invitations",
        "/decisions",
        f"/bodies/{body.pk}/rules",
    ]:
        assert client.get(base + path, **outsider).status_code == 404, path
        assert client.get(
            f"/api/v1/organisations/{other_org.slug}{path}", **outsider
        ).status_code in (200, 404), path
    assert (
        client.get(
            f"/api/v1/organisations/{other_org.slug}/meetings/{meeting.pk}", **outsider
        ).status_code
        == 404
    )
    reader = bearer(factories.member_of(org, "readonly"))
    assert client.get(f"{base}/meetings/{meeting.pk}", **reader).status_code == 200
    assert (
        client.post(
            f"{base}/meetings/{meeting.pk}/convene", {}, content_type="application/json", **reader
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{base}/meetings/{meeting.pk}",
            {"room": "B"},
            content_type="application/json",
            **reader,
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{base}/bodies/{body.pk}/rules",
            {"notice_days": 3},
            content_type="application/json",
            **reader,
        ).status_code
        == 403
    )


def test_a_vote_is_corrected_only_with_a_reason_and_reads_in_the_requests_language(
    client: Client, org: Any, time_machine: Any
) -> None:
    from secretariat.governance import agenda, body_rules, convocation, decisions
    from secretariat.governance.models import Decision, ItemKind

    staff = bearer(factories.member_of(org, "staff"))
    body = factories.body(org, short_code="AG")
    stored = body_rules.rules_of(body)
    stored.delegation_block_vote = True
    stored.save()
    metz, trier = factories.partner(org), factories.partner(org)
    for n in range(4):
        factories.membership(body, partner=metz if n % 2 else trier)
    meeting = factories.meeting(body, title={"fr": "AG", "de": "MV"})
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget", "de": "Haushalt"},
        draft_decision={"fr": "Adopté.", "de": "Beschlossen."},
    )
    convocation.meeting_convene(meeting=meeting, by=None)
    time_machine.move_to(meeting.start)
    for invitation in meeting.invitations.all():
        decisions.invitation_arrive(invitation=invitation, by=None)
    url = f"/api/v1/organisations/{org.slug}/meetings/{meeting.pk}/items/{item.pk}/vote"

    alone = client.post(
        url, {"delegation_ballots": {metz.pk: "yes"}}, content_type="application/json", **staff
    )
    assert alone.status_code == 422 and alone.json()["codes"] == ["incomplete"]
    split = client.post(url, {"yes": 3, "no": 1}, content_type="application/json", **staff)
    assert split.status_code == 422 and "block" in str(split.json()["errors"])
    recorded = client.post(
        url,
        {"delegation_ballots": {metz.pk: "yes", trier.pk: "yes"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **staff,
    )
    assert recorded.status_code == 200 and recorded.json()["adopted"]
    assert recorded.json()["reason"].lower().startswith("angenommen"), recorded.json()["reason"]
    again = client.post(
        url,
        {"delegation_ballots": {metz.pk: "no", trier.pk: "no"}},
        content_type="application/json",
        **staff,
    )
    assert again.status_code == 422 and again.json()["codes"] == ["voted"]
    unexplained = client.put(
        url,
        {"delegation_ballots": {metz.pk: "no", trier.pk: "no"}, "correction_reason": " "},
        content_type="application/json",
        **staff,
    )
    assert unexplained.status_code == 422
    assert Decision.objects.get(item=item).status == "adopted"
    corrected = client.put(
        url,
        {
            "delegation_ballots": {metz.pk: "no", trier.pk: "no"},
            "correction_reason": "Les délégations avaient voté contre.",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
        **staff,
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["reason"].lower().startswith("rejet"), corrected.json()["reason"]
    assert Decision.objects.get(item=item).status == "rejected"
    assert (
        client.get(url, HTTP_ACCEPT_LANGUAGE="en", **staff).json()["reason"].startswith("Rejected")
    )


def test_the_api_sends_changes_only_when_something_changed_and_cancels_with_notice(
    client: Client, org: Any
) -> None:
    from secretariat.governance import agenda, convocation
    from secretariat.governance.models import Delivery

    staff = bearer(factories.member_of(org, "staff"))
    body = factories.body(org)
    for _n in range(2):
        factories.membership(body)
    meeting = factories.meeting(body, title={"fr": "Bureau", "de": "Präsidium"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Point", "de": "Punkt"})
    convocation.meeting_convene(meeting=meeting, by=None)
    Delivery.objects.update(status="sent")
    url = f"/api/v1/organisations/{org.slug}/meetings/{meeting.pk}"
    assert client.get(f"{url}/changes", **staff).json()["changes"] == []
    unchanged = client.post(f"{url}/changes", content_type="application/json", **staff)
    assert unchanged.status_code == 422 and unchanged.json()["codes"] == ["unchanged"]
    added = client.post(
        f"{url}/items",
        {"title": {"fr": "Divers", "de": "Verschiedenes"}},
        content_type="application/json",
        **staff,
    )
    assert added.status_code == 201 and added.json()["number"] == "2"
    pending = client.get(f"{url}/changes", HTTP_ACCEPT_LANGUAGE="de", **staff).json()
    assert pending["changes"] == ["Punkt 2 wurde hinzugefügt: Verschiedenes."]
    sent = client.post(f"{url}/changes", content_type="application/json", **staff).json()
    assert sent["queued"] == 2 and Delivery.objects.filter(kind="update").count() == 2
    cancelled = client.post(
        f"{url}/state", {"state": "cancelled"}, content_type="application/json", **staff
    )
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert Delivery.objects.filter(kind="cancellation").count() == 2
    wrong = client.post(f"{url}/state", {"state": "open"}, content_type="application/json", **staff)
    assert wrong.status_code == 422


def test_the_openapi_document_lists_the_allowed_values(client: Client, db: Any) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    def allowed(schema: str, field: str) -> set[str]:
        found = schemas[schema]["properties"][field]
        options = found.get("anyOf", found.get("allOf", [found]))
        values: set[str] = set()
        for option in options:
            target = schemas[option["$ref"].split("/")[-1]] if "$ref" in option else option
            values |= set(target.get("enum", []))
        return values

    assert {"decision", "minutes_approval"} <= allowed("ItemIn", "kind")
    assert {"two_thirds", "unanimity", ""} <= allowed("ItemIn", "majority_kind")
    assert {"proxy", "substitute"} <= allowed("AnswerIn", "answer")
    ballots = schemas["VoteIn"]["properties"]["ballots"]
    assert "invitation" in ballots["description"]
    values = ballots["anyOf"][0]["additionalProperties"]
    assert set(values.get("enum", [])) == {"yes", "no", "abstain"}
    assert {"silence", "vote"} <= allowed("RulesPatch", "written_kind")
    assert {"chair", "substitute", "observer"} <= allowed("MembershipIn", "role")
    assert {"general_assembly", "action_group"} <= allowed("BodyIn", "kind")
    assert {"municipality"} <= allowed("PartnerIn", "kind")
    assert {"consent", "public_task"} <= allowed("PersonIn", "legal_basis")
