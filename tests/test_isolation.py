"""Tenant isolation and role permissions, on every page and every API endpoint."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.tokens import token_create
from secretariat.network import services
from tests import factories


@pytest.fixture
def world(org: Any, other_org: Any) -> dict[str, Any]:
    partner = factories.partner(org, name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    other_partner = factories.partner(org, name={"fr": "Ville de Trèves"})
    person = factories.person(org)
    services.affiliation_create(person=person, partner=partner, by=None)
    affiliation = person.affiliations.get()
    body = factories.body(org)
    membership = factories.membership(body, person, partner=partner)
    from secretariat.governance import services as governance

    term = governance.presidency_create(
        organisation=org, partner=partner, start="2025-01-01", end="2026-12-31", by=None
    )
    other_membership = factories.membership(body, partner=other_partner)
    b_partner = factories.partner(other_org, name={"fr": "Ville de Lille"})
    return {
        "org": org,
        "partner": partner,
        "other_partner": other_partner,
        "person": person,
        "affiliation": affiliation,
        "body": body,
        "membership": membership,
        "other_membership": other_membership,
        "b_partner": b_partner,
        "term": term,
    }


def org_urls(slug: str, w: dict[str, Any]) -> list[str]:
    return [
        reverse("dashboard", args=[slug]),
        reverse("partner_list", args=[slug]),
        reverse("partner_detail", args=[slug, w["partner"].pk]),
        reverse("partner_edit", args=[slug, w["partner"].pk]),
        reverse("partner_create", args=[slug]),
        reverse("person_list", args=[slug]),
        reverse("person_detail", args=[slug, w["person"].pk]),
        reverse("person_edit", args=[slug, w["person"].pk]),
        reverse("person_create", args=[slug]),
        reverse("affiliation_create", args=[slug, w["person"].pk]),
        reverse("affiliation_edit", args=[slug, w["person"].pk, w["affiliation"].pk]),
        reverse("body_list", args=[slug]),
        reverse("body_detail", args=[slug, w["body"].pk]),
        reverse("body_edit", args=[slug, w["body"].pk]),
        reverse("body_create", args=[slug]),
        reverse("membership_create", args=[slug, w["body"].pk]),
        reverse("membership_edit", args=[slug, w["body"].pk, w["membership"].pk]),
        reverse("presidency", args=[slug]),
        reverse("presidency_edit", args=[slug, w["term"].pk]),
        reverse("organisation_settings", args=[slug]),
        reverse("organisation_roles", args=[slug]),
        reverse("import", args=[slug, "partners"]),
        reverse("export", args=[slug, "people", "csv"]),
    ]


def test_a_user_of_another_organisation_gets_404_on_every_page(
    client: Client, world: Any, other_org: Any
) -> None:
    client.force_login(factories.member_of(other_org, "admin"))
    for url in org_urls(world["org"].slug, world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (404, 405), url


def test_objects_of_another_organisation_are_404_under_ones_own_slug(
    client: Client, world: Any, other_org: Any
) -> None:
    client.force_login(factories.member_of(other_org, "admin"))
    slug = other_org.slug
    for url in org_urls(slug, world):
        if any(
            str(world[k].pk) in url.split("/")
            for k in ("partner", "person", "body", "membership", "affiliation")
        ):
            assert client.get(url).status_code == 404, url


def test_anonymous_users_are_sent_to_the_login_page(client: Client, world: Any) -> None:
    for url in org_urls(world["org"].slug, world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_read_only_users_see_but_cannot_change(client: Client, world: Any) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "readonly"))
    assert (
        client.get(reverse("partner_detail", args=[org.slug, world["partner"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("person_detail", args=[org.slug, world["person"].pk])).status_code == 200
    )
    for name, args in [
        ("partner_edit", [world["partner"].pk]),
        ("partner_create", []),
        ("person_edit", [world["person"].pk]),
        ("body_edit", [world["body"].pk]),
        ("membership_edit", [world["body"].pk, world["membership"].pk]),
        ("organisation_settings", []),
        ("organisation_roles", []),
        ("presidency_edit", [world["term"].pk]),
    ]:
        url = reverse(name, args=[org.slug, *args])
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"kind": "state"}).status_code == 403, url
    assert client.get(reverse("export", args=[org.slug, "partners", "csv"])).status_code == 403
    assert client.post(reverse("import", args=[org.slug, "partners"])).status_code == 403
    assert (
        client.post(reverse("partner_delete", args=[org.slug, world["partner"].pk])).status_code
        == 403
    )


def test_members_of_bodies_do_not_see_the_directory_of_people(client: Client, world: Any) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "member"))
    assert client.get(reverse("body_detail", args=[org.slug, world["body"].pk])).status_code == 200
    assert client.get(reverse("person_list", args=[org.slug])).status_code == 403
    assert (
        client.get(reverse("person_detail", args=[org.slug, world["person"].pk])).status_code == 403
    )


def test_a_partner_coordinator_edits_their_own_partner_only(client: Client, world: Any) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "coordinator", partner=world["partner"]))
    assert (
        client.get(reverse("partner_edit", args=[org.slug, world["partner"].pk])).status_code == 200
    )
    assert (
        client.get(reverse("partner_edit", args=[org.slug, world["other_partner"].pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("person_edit", args=[org.slug, world["person"].pk])).status_code == 200
    )
    assert (
        client.get(
            reverse("membership_edit", args=[org.slug, world["body"].pk, world["membership"].pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse(
                "membership_edit", args=[org.slug, world["body"].pk, world["other_membership"].pk]
            )
        ).status_code
        == 403
    )
    assert client.get(reverse("body_edit", args=[org.slug, world["body"].pk])).status_code == 403
    response = client.post(
        reverse("partner_edit", args=[org.slug, world["partner"].pk]),
        {
            "kind": "municipality",
            "country": "FR",
            "name__fr": "Ville de Metz",
            "name__de": "Stadt Metz",
            "short_name__fr": "Metz",
        },
    )
    assert response.status_code == 302


def test_a_coordinator_who_adds_a_person_ties_them_to_their_partner(
    client: Client, world: Any
) -> None:
    org = world["org"]
    client.force_login(factories.member_of(org, "coordinator", partner=world["partner"]))
    response = client.post(
        reverse("person_create", args=[org.slug]),
        {
            "given_name": "Jean",
            "family_name": "Dupont",
            "languages": "fr",
            "legal_basis": "public_task",
            "emails": "jean.dupont@metz.example",
        },
    )
    assert response.status_code == 302
    from secretariat.network.models import Person

    person = Person.objects.get(family_name="Dupont")
    assert list(person.affiliations.values_list("partner_id", flat=True)) == [world["partner"].pk]


# API --------------------------------------------------------------------------------------------


def api_urls(slug: str, w: dict[str, Any]) -> list[str]:
    base = f"/api/v1/organisations/{slug}"
    return [
        base,
        f"{base}/partners",
        f"{base}/partners/{w['partner'].pk}",
        f"{base}/people",
        f"{base}/people/{w['person'].pk}",
        f"{base}/bodies",
        f"{base}/bodies/{w['body'].pk}",
        f"{base}/memberships",
        f"{base}/memberships/{w['membership'].pk}",
    ]


def bearer(user: Any) -> dict[str, str]:
    _token, secret = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_of_another_organisation_is_404_for_reads_and_writes(
    client: Client, world: Any, other_org: Any
) -> None:
    headers = bearer(factories.member_of(other_org, "admin"))
    for url in api_urls(world["org"].slug, world):
        assert client.get(url, **headers).status_code == 404, url
        assert client.patch(url, {}, content_type="application/json", **headers).status_code in (
            404,
            405,
        ), url
    for url in api_urls(other_org.slug, world)[2::2]:
        assert client.get(url, **headers).status_code == 404, url


def test_api_without_a_valid_token_is_401(client: Client, world: Any) -> None:
    for url in api_urls(world["org"].slug, world):
        assert client.get(url).status_code == 401, url
        assert client.get(url, HTTP_AUTHORIZATION="Bearer sec_wrong").status_code == 401, url


def test_api_follows_the_same_permissions_as_the_ui(client: Client, world: Any) -> None:
    org = world["org"]
    base = f"/api/v1/organisations/{org.slug}"
    readonly = bearer(factories.member_of(org, "readonly"))
    assert client.get(f"{base}/people", **readonly).status_code == 200
    assert (
        client.patch(
            f"{base}/partners/{world['partner'].pk}",
            {"website": "https://metz.fr"},
            content_type="application/json",
            **readonly,
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{base}/partners",
            {"kind": "state", "country": "FR", "name": {"fr": "France"}},
            content_type="application/json",
            **readonly,
        ).status_code
        == 403
    )
    assert (
        client.patch(
            base, {"short_name": "X"}, content_type="application/json", **readonly
        ).status_code
        == 403
    )
    member = bearer(factories.member_of(org, "member"))
    assert client.get(f"{base}/people", **member).status_code == 403
    assert client.get(f"{base}/bodies", **member).status_code == 200
    coordinator = bearer(factories.member_of(org, "coordinator", partner=world["partner"]))
    assert (
        client.patch(
            f"{base}/partners/{world['partner'].pk}",
            {"website": "https://metz.fr"},
            content_type="application/json",
            **coordinator,
        ).status_code
        == 200
    )
    assert (
        client.patch(
            f"{base}/partners/{world['other_partner'].pk}",
            {"website": "https://trier.de"},
            content_type="application/json",
            **coordinator,
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{base}/memberships/{world['other_membership'].pk}",
            {"voting": False},
            content_type="application/json",
            **coordinator,
        ).status_code
        == 403
    )


def test_api_refuses_references_to_another_organisations_rows(
    client: Client, world: Any, other_org: Any
) -> None:
    org = world["org"]
    headers = bearer(factories.member_of(org, "staff"))
    response = client.post(
        f"/api/v1/organisations/{org.slug}/memberships",
        {
            "body_id": world["body"].pk,
            "person_id": world["person"].pk,
            "partner_id": world["b_partner"].pk,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert "partner" in response.json()["errors"]


def test_text_review_of_another_organisations_object_is_404(
    client: Client, world: Any, other_org: Any
) -> None:
    client.force_login(factories.member_of(other_org, "staff"))
    data = {
        "model": "network.partner",
        "pk": world["partner"].pk,
        "field": "name",
        "language": "de",
    }
    assert client.post(reverse("text_review", args=[world["org"].slug]), data).status_code == 404
    assert client.post(reverse("text_review", args=[other_org.slug]), data).status_code == 404
    data["model"] = "core.user"
    assert client.post(reverse("text_review", args=[other_org.slug]), data).status_code == 404


def test_text_review_needs_the_review_permission(client: Client, world: Any) -> None:
    client.force_login(factories.member_of(world["org"], "readonly"))
    data = {
        "model": "network.partner",
        "pk": world["partner"].pk,
        "field": "name",
        "language": "de",
    }
    assert client.post(reverse("text_review", args=[world["org"].slug]), data).status_code == 403


def test_a_user_cannot_revoke_someone_elses_token(client: Client, world: Any) -> None:
    owner = factories.member_of(world["org"], "staff")
    token, _secret = token_create(user=owner, name="mine")
    client.force_login(factories.member_of(world["org"], "admin"))
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    client.force_login(owner)
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 302
    assert not owner.api_tokens.exists()
