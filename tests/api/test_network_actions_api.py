"""The actions of the network and body pages through the API: affiliations, a coordinator's
new person, deletions and the presidency, with the object rules of the permission matrix."""

from typing import Any

from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEntry
from secretariat.core.tokens import token_create
from secretariat.governance import services as governance
from secretariat.governance.models import Body, Membership, Presidency
from secretariat.network import services as network
from secretariat.network.models import Affiliation, Partner, Person
from tests import factories


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def send(client: Client, method: str, url: str, payload: Any, headers: dict[str, str]) -> Any:
    call = getattr(client, method)
    if payload is None:
        return call(url, **headers)
    return call(url, payload, content_type="application/json", **headers)


PERSON = {
    "given_name": "Jean",
    "family_name": "Dupont",
    "languages": ["fr"],
    "legal_basis": "public_task",
    "emails": ["jean.dupont@metz.example"],
}


def test_a_coordinators_new_person_is_tied_to_their_partner_on_the_page_and_through_the_api(
    client: Client, org: Any
) -> None:
    metz = factories.partner(org, name={"fr": "Metz"})
    base = f"/api/v1/organisations/{org.slug}"
    coordinator = factories.member_of(org, "coordinator", partner=metz)
    created = send(client, "post", f"{base}/people", PERSON, bearer(coordinator))
    assert created.status_code == 201, created.content
    assert [a["partner_id"] for a in created.json()["affiliations"]] == [metz.pk]
    person = Person.objects.get(pk=created.json()["id"])
    # Tied to their partner, the person stays theirs to edit.
    patched = send(
        client,
        "patch",
        f"{base}/people/{person.pk}",
        {"phones": ["+33 3 87 00 00 00"]},
        bearer(coordinator),
    )
    assert patched.status_code == 200
    staff = bearer(factories.member_of(org, "staff"))
    by_staff = send(
        client, "post", f"{base}/people", {**PERSON, "emails": ["j.d@metz.example"]}, staff
    )
    assert by_staff.status_code == 201 and by_staff.json()["affiliations"] == []
    member = bearer(factories.member_of(org, "member"))
    assert send(client, "post", f"{base}/people", PERSON, member).status_code == 403


def test_affiliations_are_written_through_the_api_with_their_history(
    client: Client, org: Any
) -> None:
    metz, trier = factories.partner(org), factories.partner(org)
    person = factories.person(org)
    base = f"/api/v1/organisations/{org.slug}/people/{person.pk}/affiliations"
    staff = bearer(factories.member_of(org, "staff"))
    created = send(
        client,
        "post",
        base,
        {"partner_id": metz.pk, "function": {"fr": "Maire", "de": "Bürgermeister"}},
        staff,
    )
    assert created.status_code == 201, created.content
    affiliation = Affiliation.objects.get(pk=created.json()["id"])
    assert created.json()["function"]["de"]["text"] == "Bürgermeister"
    ended = send(
        client,
        "patch",
        f"{base}/{affiliation.pk}",
        {"partner_id": trier.pk, "start": "2024-01-01", "end": "2023-12-31"},
        staff,
    )
    assert ended.status_code == 422 and "end" in ended.json()["errors"]
    moved = send(client, "patch", f"{base}/{affiliation.pk}", {"partner_id": trier.pk}, staff)
    assert moved.status_code == 200 and moved.json()["partner_id"] == trier.pk
    assert send(client, "delete", f"{base}/{affiliation.pk}", None, staff).status_code == 204
    assert not person.affiliations.exists()
    actions = list(
        AuditEntry.objects.filter(object_id=affiliation.pk, content_type__model="affiliation")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_a_coordinator_affiliates_people_to_their_own_partner_only(
    client: Client, org: Any, other_org: Any
) -> None:
    metz, trier = factories.partner(org), factories.partner(org)
    ours = factories.person(org)
    network.affiliation_create(person=ours, partner=metz, by=None)
    stranger = factories.person(org)
    base = f"/api/v1/organisations/{org.slug}/people"
    coordinator = bearer(factories.member_of(org, "coordinator", partner=metz))
    again = send(
        client, "post", f"{base}/{ours.pk}/affiliations", {"partner_id": metz.pk}, coordinator
    )
    assert again.status_code == 201
    elsewhere = send(
        client, "post", f"{base}/{ours.pk}/affiliations", {"partner_id": trier.pk}, coordinator
    )
    assert elsewhere.status_code == 403
    not_theirs = send(
        client, "post", f"{base}/{stranger.pk}/affiliations", {"partner_id": metz.pk}, coordinator
    )
    assert not_theirs.status_code == 403
    lille = factories.partner(other_org)
    staff = bearer(factories.member_of(org, "staff"))
    foreign = send(
        client, "post", f"{base}/{ours.pk}/affiliations", {"partner_id": lille.pk}, staff
    )
    assert foreign.status_code == 422 and "partner" in foreign.json()["errors"]
    reader = bearer(factories.member_of(org, "readonly"))
    assert (
        send(
            client, "post", f"{base}/{ours.pk}/affiliations", {"partner_id": metz.pk}, reader
        ).status_code
        == 403
    )
    assert ours.affiliations.count() == 2


def test_partners_people_bodies_and_memberships_are_deleted_through_the_api(
    client: Client, org: Any
) -> None:
    base = f"/api/v1/organisations/{org.slug}"
    staff = bearer(factories.member_of(org, "staff"))
    metz = factories.partner(org)
    body = factories.body(org)
    seat = factories.membership(body, partner=metz)
    refused = send(client, "delete", f"{base}/partners/{metz.pk}", None, staff)
    assert refused.status_code == 422  # it holds a seat
    substitute = factories.membership(body, role="substitute", substitute_for=seat)
    held = send(client, "delete", f"{base}/memberships/{seat.pk}", None, staff)
    assert held.status_code == 422  # its substitute goes first
    assert (
        send(client, "delete", f"{base}/memberships/{substitute.pk}", None, staff).status_code
        == 204
    )
    assert send(client, "delete", f"{base}/memberships/{seat.pk}", None, staff).status_code == 204
    assert send(client, "delete", f"{base}/partners/{metz.pk}", None, staff).status_code == 204
    person = seat.person
    assert send(client, "delete", f"{base}/people/{person.pk}", None, staff).status_code == 204
    assert send(client, "delete", f"{base}/bodies/{body.pk}", None, staff).status_code == 204
    assert not Partner.objects.filter(pk=metz.pk).exists()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Body.objects.filter(pk=body.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=person.pk).exists()


def test_deletions_follow_the_permissions_of_the_pages(client: Client, org: Any) -> None:
    base = f"/api/v1/organisations/{org.slug}"
    metz, trier = factories.partner(org), factories.partner(org)
    body = factories.body(org)
    ours = factories.membership(body, partner=metz)
    theirs = factories.membership(body, partner=trier)
    coordinator = bearer(factories.member_of(org, "coordinator", partner=metz))
    assert (
        send(client, "delete", f"{base}/memberships/{theirs.pk}", None, coordinator).status_code
        == 403
    )
    assert (
        send(client, "delete", f"{base}/memberships/{ours.pk}", None, coordinator).status_code
        == 204
    )
    assert (
        send(client, "delete", f"{base}/partners/{metz.pk}", None, coordinator).status_code == 403
    )
    assert send(client, "delete", f"{base}/bodies/{body.pk}", None, coordinator).status_code == 403
    reader = bearer(factories.member_of(org, "readonly"))
    person = factories.person(org)
    assert send(client, "delete", f"{base}/people/{person.pk}", None, reader).status_code == 403
    assert Membership.objects.filter(pk=theirs.pk).exists() and Person.objects.filter(pk=person.pk)


def test_the_presidency_is_kept_through_the_api_as_on_its_page(client: Client, org: Any) -> None:
    base = f"/api/v1/organisations/{org.slug}/presidencies"
    staff = bearer(factories.member_of(org, "staff"))
    metz, trier = factories.partner(org), factories.partner(org)
    president = factories.person(org)
    created = send(
        client,
        "post",
        base,
        {
            "partner_id": metz.pk,
            "president_id": president.pk,
            "start": "2027-01-01",
            "end": "2027-06-30",
        },
        staff,
    )
    assert created.status_code == 201, created.content
    term = created.json()
    overlapping = send(
        client,
        "post",
        base,
        {"partner_id": trier.pk, "start": "2027-06-01", "end": "2027-12-31"},
        staff,
    )
    assert overlapping.status_code == 422 and "start" in overlapping.json()["errors"]
    updated = send(
        client,
        "put",
        f"{base}/{term['id']}",
        {"partner_id": metz.pk, "start": "2027-01-01", "end": "2027-05-31"},
        staff,
    )
    assert updated.status_code == 200 and updated.json()["president_id"] is None
    following = send(
        client,
        "post",
        base,
        {"partner_id": trier.pk, "start": "2027-06-01", "end": "2027-12-31"},
        staff,
    )
    assert following.status_code == 201
    listed = client.get(base, **bearer(factories.member_of(org, "member"))).json()
    assert {t["partner_id"] for t in listed} == {metz.pk, trier.pk}
    reader = bearer(factories.member_of(org, "readonly"))
    assert send(client, "delete", f"{base}/{term['id']}", None, reader).status_code == 403
    assert send(client, "delete", f"{base}/{term['id']}", None, staff).status_code == 204
    assert list(Presidency.objects.values_list("partner_id", flat=True)) == [trier.pk]
    # As on the page, which shows the same terms.
    client.force_login(factories.member_of(org, "staff"))
    page = client.get(reverse("presidency", args=[org.slug]))
    assert [t.pk for t in page.context["terms"]] == [following.json()["id"]]


def test_the_new_network_actions_are_unknown_to_another_organisation(
    client: Client, org: Any, other_org: Any
) -> None:
    metz = factories.partner(org)
    person = factories.person(org)
    network.affiliation_create(person=person, partner=metz, by=None)
    affiliation = person.affiliations.get()
    body = factories.body(org)
    seat = factories.membership(body, partner=metz)
    term = governance.presidency_create(
        organisation=org, partner=metz, start="2027-01-01", end="2027-06-30", by=None
    )
    outsider = bearer(factories.member_of(other_org, "admin"))
    for slug in (org.slug, other_org.slug):
        base = f"/api/v1/organisations/{slug}"
        for method, path, payload in [
            ("post", f"/people/{person.pk}/affiliations", {"partner_id": metz.pk}),
            ("patch", f"/people/{person.pk}/affiliations/{affiliation.pk}", {"end": "2030-01-01"}),
            ("delete", f"/people/{person.pk}/affiliations/{affiliation.pk}", None),
            ("delete", f"/partners/{metz.pk}", None),
            ("delete", f"/people/{person.pk}", None),
            ("delete", f"/bodies/{body.pk}", None),
            ("delete", f"/memberships/{seat.pk}", None),
            (
                "put",
                f"/presidencies/{term.pk}",
                {"partner_id": metz.pk, "start": "2027-01-01", "end": "2027-02-01"},
            ),
            ("delete", f"/presidencies/{term.pk}", None),
        ]:
            answer = send(client, method, base + path, payload, outsider)
            assert answer.status_code == 404, (slug, method, path, answer.status_code)
    assert (
        client.get(f"/api/v1/organisations/{org.slug}/presidencies", **outsider).status_code == 404
    )
    assert Presidency.objects.filter(pk=term.pk, end="2027-06-30").exists()
    assert Affiliation.objects.filter(pk=affiliation.pk, end=None).exists()
