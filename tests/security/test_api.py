"""The API under hostile input the schema used to allow: each input below answered a 500. Every
error now answers JSON with a message and a status code the OpenAPI document lists; a read
never writes."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEntry
from secretariat.core.tokens import token_create
from secretariat.governance.models import BodyRules
from tests import factories
from tests.browser_forms import resubmit


@pytest.fixture
def auth(org: Any) -> dict[str, str]:
    _token, secret = token_create(user=factories.member_of(org, "admin"), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _is_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize("field", ["name", "short_name"])
def test_null_for_a_translatable_field_is_refused(
    client: Client, org: Any, auth: Any, field: str
) -> None:
    partner = factories.partner(org, name={"fr": "Ville de Metz"})
    response = client.patch(
        f"/api/v1/organisations/{org.slug}/partners/{partner.pk}",
        {field: None},
        content_type="application/json",
        **auth,
    )
    body = _is_error(response, 422)
    assert field in body["errors"]
    partner.refresh_from_db()
    assert partner.name["fr"] == "Ville de Metz"


def test_null_for_the_emails_of_a_person_is_refused(client: Client, org: Any, auth: Any) -> None:
    person = factories.person(org, emails=["claire@test.example"])
    response = client.patch(
        f"/api/v1/organisations/{org.slug}/people/{person.pk}",
        {"emails": None},
        content_type="application/json",
        **auth,
    )
    assert "emails" in _is_error(response, 422)["errors"]
    assert [e.email for e in person.emails.all()] == ["claire@test.example"]


@pytest.mark.parametrize(
    "query",
    [
        "offset=9223372036854775808",
        "offset=99999999999999999999999",
        "offset=-1",
        "limit=-5",
        "limit=1000000000000000000000",
    ],
)
def test_paging_out_of_range_is_refused(client: Client, org: Any, auth: Any, query: str) -> None:
    for path in ["partners", "people", "bodies", "memberships", "meetings", "decisions"]:
        response = client.get(f"/api/v1/organisations/{org.slug}/{path}?{query}", **auth)
        body = _is_error(response, 422)
        assert body["errors"], path


def test_a_year_beyond_the_calendar_is_refused(client: Client, org: Any, auth: Any) -> None:
    for path in ["translation/words", "decisions"]:
        response = client.get(f"/api/v1/organisations/{org.slug}/{path}?year=10000", **auth)
        assert "year" in _is_error(response, 422)["errors"], path


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+23:00", "9999-12-31T23:59:59"]
)
def test_a_moment_that_overflows_in_another_zone_is_refused(
    client: Client, org: Any, auth: Any, moment: str
) -> None:
    from urllib.parse import quote

    response = client.get(
        f"/api/v1/organisations/{org.slug}/meetings?before={quote(moment)}", **auth
    )
    assert "before" in _is_error(response, 422)["errors"]
    body = factories.body(org)
    response = client.post(
        f"/api/v1/organisations/{org.slug}/meetings",
        {"body_id": body.pk, "title": {"fr": "R"}, "start": moment, "end": moment},
        content_type="application/json",
        **auth,
    )
    assert "start" in _is_error(response, 422)["errors"]


def test_a_moment_with_an_offset_postgresql_does_not_know_is_taken_in_utc(
    client: Client, org: Any, auth: Any
) -> None:
    """Python takes offsets up to ±23:59, PostgreSQL only ±15:59 (found by the fuzz test)."""
    from urllib.parse import quote

    body = factories.body(org)
    factories.meeting(body, start=factories.days_ahead(3))
    later = (factories.days_ahead(10)).astimezone(datetime.timezone(datetime.timedelta(hours=21)))
    response = client.get(
        f"/api/v1/organisations/{org.slug}/meetings?before={quote(later.isoformat())}", **auth
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == 1


def _digits(pk: int, zero: str) -> str:
    return "".join(chr(ord(zero) + int(d)) for d in str(pk))


SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
UNIT_IDS = {
    "arabic-indic digits": lambda pk: _digits(pk, "٠"),
    "fullwidth digits": lambda pk: _digits(pk, "０"),
    "superscripts": lambda pk: "".join(SUPERSCRIPTS[int(d)] for d in str(pk)),
    "circled digit": lambda pk: "①",
    "2^63": lambda pk: str(2**63),
    "beyond any integer column": lambda pk: "9" * 30,
}


@pytest.mark.parametrize("kind", UNIT_IDS)
def test_a_unit_id_with_other_than_ascii_digits_is_not_found(
    client: Client, org: Any, auth: Any, kind: str
) -> None:
    from urllib.parse import quote

    partner = factories.partner(org, name={"fr": "Ville de Metz"})
    unit = f"network.partner:{UNIT_IDS[kind](partner.pk)}:name"
    url = f"/api/v1/organisations/{org.slug}/translation/units/{quote(unit)}/de"
    _is_error(client.get(url, **auth), 404)
    _is_error(client.put(url, {"text": "Stadt Metz"}, content_type="application/json", **auth), 404)
    partner.refresh_from_db()
    assert "de" not in partner.name


def test_a_nul_character_is_refused_before_reaching_the_database(
    client: Client, org: Any, auth: Any
) -> None:
    """PostgreSQL refuses NUL in text: refused up front, on every database."""
    base = f"/api/v1/organisations/{org.slug}"
    body = _is_error(client.get(f"{base}/partners?q=a%00b", **auth), 400)
    assert "NUL" in body["detail"]
    response = client.post(
        f"{base}/partners",
        {"kind": "state", "country": "BE", "name": {"fr": "Bel\x00gique"}},
        content_type="application/json",
        **auth,
    )
    assert "NUL" in _is_error(response, 400)["detail"]
    _is_error(client.get("/api/v1/organisations/a%00b/partners", **auth), 404)


def test_text_longer_than_its_column_is_refused_on_every_database(
    client: Client, org: Any, auth: Any
) -> None:
    """PostgreSQL refuses it with an error (a 500), SQLite stored it: a 422 on both."""
    meeting = factories.meeting(factories.body(org))
    response = client.patch(
        f"/api/v1/organisations/{org.slug}/meetings/{meeting.pk}",
        {"place": "x" * 10_000},
        content_type="application/json",
        **auth,
    )
    assert "place" in _is_error(response, 422)["errors"]
    meeting.refresh_from_db()
    assert meeting.place == "Maison de la Grande Région"


def test_malformed_json_and_missing_authentication_answer_json(client: Client, org: Any) -> None:
    base = f"/api/v1/organisations/{org.slug}"
    _is_error(client.get(f"{base}/partners"), 401)
    _, secret = token_create(user=factories.member_of(org, "admin"), name="t")
    response = client.post(
        f"{base}/partners",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    _is_error(response, 400)


def test_an_address_no_route_matches_answers_json_under_the_api_only(
    client: Client, org: Any, auth: Any
) -> None:
    base = f"/api/v1/organisations/{org.slug}"
    _is_error(client.get(f"{base}/translation/runs/abc", **auth), 404)
    _is_error(client.delete(f"{base}/translation/glossary/%C2%B2", **auth), 404)
    page = client.get(f"/o/{org.slug}/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_unexpected_error_answers_json_without_details_and_is_logged(
    client: Client, org: Any, auth: Any, monkeypatch: Any, caplog: Any
) -> None:
    from secretariat.api import endpoints

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(endpoints.network_selectors, "partner_list", broken)
    response = client.get(f"/api/v1/organisations/{org.slug}/partners", **auth)
    body = _is_error(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
    assert body["detail"]
    assert any("secret internals" in r.getMessage() or r.exc_info for r in caplog.records)


def test_the_openapi_document_lists_the_error_answers_of_every_operation(
    client: Client, db: Any
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "Error" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "422", "500"} <= codes, (method, path)


def test_reading_the_rules_of_a_body_writes_nothing(client: Client, org: Any, auth: Any) -> None:
    body = factories.body(org)
    BodyRules.objects.filter(body=body).delete()
    response = client.get(f"/api/v1/organisations/{org.slug}/bodies/{body.pk}/rules", **auth)
    assert response.status_code == 200 and response.json()["notice_days"] >= 0
    admin = factories.member_of(org, "admin")
    client.force_login(admin)
    assert client.get(reverse("body_rules", args=[org.slug, body.pk])).status_code == 200
    assert not BodyRules.objects.filter(body=body).exists()


def test_rules_saved_unchanged_write_nothing(client: Client, org: Any, auth: Any) -> None:
    body = factories.body(org)
    BodyRules.objects.filter(body=body).delete()
    client.force_login(factories.member_of(org, "admin"))
    entries = AuditEntry.objects.count()
    response = resubmit(client, reverse("body_rules", args=[org.slug, body.pk]))
    assert response.status_code == 302
    response = client.patch(
        f"/api/v1/organisations/{org.slug}/bodies/{body.pk}/rules",
        {},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    assert not BodyRules.objects.filter(body=body).exists()
    assert AuditEntry.objects.count() == entries
    response = client.patch(
        f"/api/v1/organisations/{org.slug}/bodies/{body.pk}/rules",
        {"notice_days": 30},
        content_type="application/json",
        **auth,
    )
    assert response.json()["notice_days"] == 30
    assert BodyRules.objects.get(body=body).notice_days == 30
    assert AuditEntry.objects.count() == entries + 1
