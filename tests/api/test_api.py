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


def test_partner_identifiers_are_read_and_written_through_the_api(
    client: Client, org: Any, auth: Any
) -> None:
    base = f"/api/v1/organisations/{org.slug}/partners"
    created = client.post(
        base,
        {
            "kind": "municipality",
            "country": "DE",
            "name": {"de": "Stadt Trier"},
            "identifiers": {"ags": "07 211 000", "nuts": "dec22"},
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    trier = created.json()
    assert trier["identifiers"] == {"ags": "07211000", "nuts": "DEC22"}
    patched = client.patch(
        f"{base}/{trier['id']}",
        {"identifiers": {"nuts": "", "own": "QP-4"}},
        content_type="application/json",
        **auth,
    )
    assert patched.json()["identifiers"] == {"ags": "07211000", "own": "QP-4"}
    listed = client.get(base, **auth).json()["items"]
    assert listed[0]["identifiers"] == {"ags": "07211000", "own": "QP-4"}
    clash = client.post(
        base,
        {
            "kind": "municipality",
            "country": "DE",
            "name": {"de": "Trier"},
            "identifiers": {"ags": "07211000"},
        },
        content_type="application/json",
        **auth,
    )
    assert clash.status_code == 422
    assert "Stadt Trier" in clash.json()["errors"]["code_ags"][0]
    unknown = client.post(
        base,
        {"kind": "state", "country": "DE", "name": {"de": "X"}, "identifiers": {"iban": "1"}},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 422
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["PartnerIn"]
    assert "siren" in str(schema["properties"]["identifiers"])


def test_the_identifier_schemes_of_the_api_are_those_of_the_network() -> None:
    from typing import get_args

    from secretariat.api.schemas import IdentifierScheme
    from secretariat.network import identifiers

    assert list(get_args(IdentifierScheme)) == list(identifiers.SCHEMES)


def _upload(content: bytes, name: str) -> Any:
    import io

    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_partner_and_people_imports_through_the_api_report_as_the_page_does(
    client: Client, org: Any, auth: Any
) -> None:
    base = f"/api/v1/organisations/{org.slug}"
    partners = (
        "kind,country,code_insee,name_fr,name_de,member_until\n"
        "municipality,FR,57463,Metz,Metz,\n"
        "municipality,DE,,Trèves,Trier,\n"
        "municipality,FR,57672,Thionville,Diedenhofen,2019-12-31\n"
    ).encode()
    first = client.post(f"{base}/partners/import", {"file": _upload(partners, "p.csv")}, **auth)
    assert first.status_code == 200, first.content
    assert first.json() | {"errors": []} == {
        "file": "p.csv",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "created_rows": [2, 3, 4],
        "updated_rows": [],
        "unchanged_rows": [],
        "former_rows": [4],
        "errors": [],
        "stopped": False,
    }
    again = client.post(f"{base}/partners/import", {"file": _upload(partners, "p.csv")}, **auth)
    assert again.json()["unchanged_rows"] == [2, 3, 4]
    people = b"given_name,family_name,email\nClaire,Weber,c.weber@metz.example\n"
    response = client.post(f"{base}/people/import", {"file": _upload(people, "x.csv")}, **auth)
    assert response.status_code == 200 and response.json()["created"] == 1
    response = client.post(f"{base}/people/import", {"file": _upload(people, "x.csv")}, **auth)
    assert response.json()["unchanged"] == 1
    bad = b"kind,country,name_fr\nstate,XX,Nulle part\nstate,FR,\n"
    refused = client.post(f"{base}/partners/import", {"file": _upload(bad, "bad.csv")}, **auth)
    assert refused.status_code == 422
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [
        (2, "country"),
        (3, "name"),
    ]


def test_imports_through_the_api_need_the_import_permission(
    client: Client, org: Any, other_org: Any
) -> None:
    content = b"kind,country,name_fr\nstate,FR,France\n"
    for user, slug, status in [
        (factories.member_of(org, "member"), org.slug, 403),
        (factories.member_of(org, "readonly"), org.slug, 403),
        (factories.member_of(other_org, "admin"), org.slug, 404),
        (factories.member_of(org, "staff"), org.slug, 200),
    ]:
        _token, secret = token_create(user=user, name="t")
        response = client.post(
            f"/api/v1/organisations/{slug}/partners/import",
            {"file": _upload(content, "p.csv")},
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == status, (user, response.content)
