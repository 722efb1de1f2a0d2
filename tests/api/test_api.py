from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from secretariat.core.tokens import token_create
from tests import factories


@pytest.fixture
def auth(org: Any) -> dict[str, str]:
    _token, secret = token_create(user=factories.member_of(org, "admin"), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_openapi_document_describes_every_resource(client: Client, db: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Secretariat API"
    paths = document["paths"]
    for path in ["partners", "people", "bodies", "memberships"]:
        assert f"/api/v1/organisations/{{slug}}/{path}" in paths
        assert "post" in paths[f"/api/v1/organisations/{{slug}}/{path}"]
    assert "patch" in paths["/api/v1/organisations/{slug}/partners/{pk}"]


def test_create_read_update_a_partner_with_its_translations_and_states(
    client: Client, org: Any, auth: Any
) -> None:
    base = f"/api/v1/organisations/{org.slug}/partners"
    response = client.post(
        base,
        {
            "kind": "municipality",
            "country": "DE",
            "subdivision": "DE-RP",
            "name": {"fr": "Ville de Trèves", "de": "Stadt Trier"},
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    partner = response.json()
    assert partner["name"]["fr"] == {
        "text": "Ville de Trèves",
        "status": "original",
        "origin": "author",
        "source_language": None,
        "reviewed": False,
    }
    assert partner["name"]["de"]["status"] == "unreviewed"
    response = client.patch(
        f"{base}/{partner['id']}",
        {"name": {"fr": "Trèves"}},
        content_type="application/json",
        **auth,
    )
    assert response.json()["name"]["de"]["status"] == "outdated"
    listed = client.get(base + "?q=treves", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == partner["id"]


def test_a_language_outside_the_working_languages_is_a_422_with_the_reason(
    client: Client, org: Any, auth: Any
) -> None:
    response = client.post(
        f"/api/v1/organisations/{org.slug}/partners",
        {"kind": "state", "country": "BE", "name": {"nl": "België"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth,
    )
    assert response.status_code == 422
    assert "not a working language" in response.json()["errors"]["name"][0]


def test_people_and_memberships_through_the_api(client: Client, org: Any, auth: Any) -> None:
    base = f"/api/v1/organisations/{org.slug}"
    person = client.post(
        f"{base}/people",
        {
            "given_name": "Léa",
            "family_name": "Muller",
            "emails": ["lea.muller@metz.example"],
            "languages": ["fr", "de"],
            "salutation": {"fr": "Madame", "de": "Sehr geehrte Frau Muller"},
        },
        content_type="application/json",
        **auth,
    ).json()
    assert person["emails"] == ["lea.muller@metz.example"]
    duplicate = client.post(
        f"{base}/people",
        {"family_name": "X", "emails": ["LEA.MULLER@metz.example"]},
        content_type="application/json",
        **auth,
    )
    assert duplicate.status_code == 422
    body = client.post(
        f"{base}/bodies",
        {"kind": "board", "short_code": "DIR", "name": {"fr": "Directoire", "de": "Vorstand"}},
        content_type="application/json",
        **auth,
    ).json()
    membership = client.post(
        f"{base}/memberships",
        {"body_id": body["id"], "person_id": person["id"], "role": "chair"},
        content_type="application/json",
        **auth,
    )
    assert membership.status_code == 201
    wrong = client.post(
        f"{base}/memberships",
        {
            "body_id": body["id"],
            "person_id": person["id"],
            "start": "2026-01-01",
            "end": "2025-01-01",
        },
        content_type="application/json",
        **auth,
    )
    assert wrong.status_code == 422 and "end" in wrong.json()["errors"]
    assert client.get(f"{base}/memberships?body={body['id']}", **auth).json()["count"] == 1


def test_organisations_list_shows_only_ones_own_with_roles(
    client: Client, org: Any, other_org: Any, auth: Any
) -> None:
    organisations = client.get("/api/v1/organisations/", **auth).json()
    assert [(o["slug"], o["roles"]) for o in organisations] == [(org.slug, ["admin"])]


def test_token_command_and_token_header_form(client: Client, org: Any, capsys: Any) -> None:
    user = factories.member_of(org, "readonly", email="reader@test.example")
    call_command("createtoken", "reader@test.example")
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("sec_")
    assert (
        client.get(
            f"/api/v1/organisations/{org.slug}", HTTP_AUTHORIZATION=f"Token {secret}"
        ).status_code
        == 200
    )
    user.is_active = False
    user.save()
    assert (
        client.get(
            f"/api/v1/organisations/{org.slug}", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 401
    )


def test_list_endpoints_run_a_fixed_number_of_queries(client: Client, org: Any, auth: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure() -> dict[str, int]:
        counts = {}
        for path in ["partners", "people", "bodies", "memberships"]:
            with CaptureQueriesContext(connection) as queries:
                assert (
                    client.get(f"/api/v1/organisations/{org.slug}/{path}", **auth).status_code
                    == 200
                )
            counts[path] = len(queries)
        return counts

    def grow(n: int) -> None:
        body = factories.body(org)
        for _ in range(n):
            p = factories.partner(org, name={"fr": "Commune", "de": "Gemeinde"})
            factories.membership(body, factories.person(org, tags=["x"]), partner=p)

    grow(2)
    measure()  # the first request stamps the token's last use
    small = measure()
    grow(30)
    assert measure() == small


def test_the_profile_page_creates_a_token_shown_once(client: Client, org: Any) -> None:
    user = factories.member_of(org, "staff")
    client.force_login(user)
    response = client.post("/profile/", {"create_token": "1", "name": "my script"})
    secret = response.context["new_secret"]
    assert secret in response.content.decode()
    assert secret not in client.get("/profile/").content.decode()
    client.logout()
    assert (
        client.get(
            f"/api/v1/organisations/{org.slug}", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 200
    )


def test_no_two_api_schemas_share_a_name() -> None:
    """The OpenAPI document names schemas by class name: a second class of the same name in
    another module would silently replace the first in the document."""
    import importlib
    import pkgutil

    import ninja

    import secretariat.api

    seen: dict[str, str] = {}
    for module in pkgutil.iter_modules(secretariat.api.__path__, "secretariat.api."):
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if (
                isinstance(value, type)
                and issubclass(value, ninja.Schema)
                and value.__module__ == loaded.__name__
            ):
                assert name not in seen, f"{name} in {seen.get(name)} and {loaded.__name__}"
                seen[name] = loaded.__name__
    assert len(seen) > 20
