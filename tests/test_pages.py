"""Every page renders for the roles that may see it, in a bounded number of queries."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.models import TextVersion
from tests import factories


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def network(org: Any) -> dict[str, Any]:
    partner = factories.partner(
        org, name={"fr": "Ville de Metz", "de": "Stadt Metz"}, country="FR", subdivision="FR-57"
    )
    person = factories.person(org, given_name="Claire", family_name="Weber", tags=["mayor"])
    from secretariat.network import services

    services.affiliation_create(
        person=person, partner=partner, function={"fr": "Maire", "de": "Bürgermeisterin"}, by=None
    )
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    factories.membership(body, person, partner=partner, role="chair")
    return {"partner": partner, "person": person, "body": body}


def pages(org: Any, n: dict[str, Any]) -> list[str]:
    s = org.slug
    return [
        reverse("dashboard", args=[s]),
        reverse("partner_list", args=[s]),
        reverse("partner_list", args=[s]) + "?q=metz&kind=municipality&country=FR",
        reverse("partner_detail", args=[s, n["partner"].pk]),
        reverse("partner_edit", args=[s, n["partner"].pk]),
        reverse("partner_create", args=[s]),
        reverse("person_list", args=[s]),
        reverse("person_list", args=[s]) + "?q=weber&tag=mayor&language=fr",
        reverse("person_detail", args=[s, n["person"].pk]),
        reverse("person_edit", args=[s, n["person"].pk]),
        reverse("person_create", args=[s]),
        reverse("affiliation_create", args=[s, n["person"].pk]),
        reverse("body_list", args=[s]),
        reverse("body_detail", args=[s, n["body"].pk]),
        reverse("body_edit", args=[s, n["body"].pk]),
        reverse("membership_create", args=[s, n["body"].pk]),
        reverse("presidency", args=[s]),
        reverse("organisation_settings", args=[s]),
        reverse("organisation_roles", args=[s]),
        reverse("import", args=[s, "partners"]),
        reverse("import", args=[s, "people"]),
        reverse("export", args=[s, "partners", "csv"]),
        reverse("export", args=[s, "people", "xlsx"]),
    ]


def test_every_page_renders_for_an_administrator(
    client: Client, org: Any, admin: Any, network: Any
) -> None:
    login(client, admin)
    for url in pages(org, network):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_detail_pages_show_both_languages_and_the_audit_trail(
    client: Client, org: Any, admin: Any, network: Any
) -> None:
    login(client, admin)
    html = client.get(
        reverse("partner_detail", args=[org.slug, network["partner"].pk])
    ).content.decode()
    assert "Ville de Metz" in html and "Stadt Metz" in html
    assert "History" in html or "Historique" in html


def test_a_missing_language_is_shown_in_the_default_with_a_label(
    client: Client, org: Any, admin: Any
) -> None:
    factories.partner(org, name={"fr": "Ville de Trèves"})
    admin.language = "de"
    admin.save()
    login(client, admin)
    html = client.get(reverse("partner_list", args=[org.slug])).content.decode()
    assert 'lang="fr">Ville de Trèves</span>' in html
    assert 'class="fallback"' in html


def _grow(org: Any, n: int) -> None:
    partners = [
        factories.partner(org, name={"fr": f"Commune {i}", "de": f"Gemeinde {i}"}) for i in range(n)
    ]
    from secretariat.network import services

    for i in range(n):
        p = factories.person(org, tags=["t"])
        services.affiliation_create(
            person=p, partner=partners[i], function={"fr": "Maire"}, by=None
        )


@pytest.mark.parametrize("page", ["partner_list", "person_list", "body_list", "dashboard"])
def test_list_pages_run_the_same_number_of_queries_whatever_the_data_size(
    client: Client, org: Any, admin: Any, page: str, django_assert_max_num_queries: Any
) -> None:
    login(client, admin)
    url = reverse(page, args=[org.slug])
    _grow(org, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(org, 60)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    assert len(large) <= 15


def test_detail_pages_are_bounded(client: Client, org: Any, admin: Any, network: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, admin)
    for _ in range(30):
        factories.membership(network["body"], partner=network["partner"])
    for name, pk in [
        ("partner_detail", network["partner"].pk),
        ("person_detail", network["person"].pk),
        ("body_detail", network["body"].pk),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[org.slug, pk])).status_code == 200
        assert len(queries) <= 20, (name, len(queries))


def test_text_review_button_marks_a_version_reviewed(
    client: Client, org: Any, staff: Any, network: Any
) -> None:
    login(client, staff)
    response = client.post(
        reverse("text_review", args=[org.slug]),
        {
            "model": "network.partner",
            "pk": network["partner"].pk,
            "field": "name",
            "language": "de",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "status-reviewed" in response.content.decode()
    assert (
        TextVersion.objects.get(
            object_id=network["partner"].pk,
            content_type__model="partner",
            field="name",
            language="de",
        ).reviewed_by
        == staff
    )


def test_changes_of_parts_appear_in_the_history_of_their_whole(
    client: Client, org: Any, admin: Any, network: Any
) -> None:
    from secretariat.governance import services as governance
    from secretariat.network import services

    membership = network["body"].memberships.get()
    governance.membership_update(membership=membership, by=admin, voting=False)
    affiliation = network["person"].affiliations.get()
    services.affiliation_update(
        affiliation=affiliation, by=admin, function={"fr": "Maire honoraire"}
    )
    governance.presidency_create(
        organisation=org, partner=network["partner"], start="2025-01-01", end="2026-12-31", by=admin
    )
    login(client, admin)
    body_page = client.get(
        reverse("body_detail", args=[org.slug, network["body"].pk])
    ).content.decode()
    assert "Voting right: <del>yes</del> → <ins>no</ins>" in body_page
    person_page = client.get(
        reverse("person_detail", args=[org.slug, network["person"].pk])
    ).content.decode()
    # One line per language that changed; the German function did not.
    assert "Function (French): <del>Maire</del> → <ins>Maire honoraire</ins>" in person_page
    assert "Function (German)" not in person_page.split('id="audit-title"')[1].split("</li>")[0]
    presidency_page = client.get(reverse("presidency", args=[org.slug])).content.decode()
    assert admin.email in presidency_page.split('id="audit-title"')[1]


def test_body_members_paginate(client: Client, org: Any, admin: Any) -> None:
    body = factories.body(org)
    for _ in range(55):
        factories.membership(body)
    login(client, admin)
    page = client.get(reverse("body_detail", args=[org.slug, body.pk]))
    assert page.context["page"].paginator.count == 55
    assert len(page.context["page"].object_list) == 50
    assert (
        len(
            client.get(reverse("body_detail", args=[org.slug, body.pk]) + "?page=2")
            .context["page"]
            .object_list
        )
        == 5
    )


def test_an_administrator_uploads_a_logo_and_changes_the_languages(
    client: Client, org: Any, admin: Any
) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    login(client, admin)
    data = {
        "name__fr": "Organisation alpha",
        "name__de": "Organisation Alpha",
        "short_name": "ALPHA",
        "legal_form": "egtc_lu",
        "seat_country": "LU",
        "languages": "fr, de, en",
        "default_language": "fr",
        "timezone": "Europe/Luxembourg",
        "fiscal_year_start_month": 7,
        "logo": buffer,
    }
    response = client.post(reverse("organisation_settings", args=[org.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.languages == ["fr", "de", "en"] and org.fiscal_year_start_month == 7
    assert org.name == {"fr": "Organisation alpha", "de": "Organisation Alpha"}
    html = client.get(reverse("dashboard", args=[org.slug])).content.decode()
    assert org.logo_url in html
    assert client.get(org.logo_url).status_code == 200
    data["languages"] = "fr, xx"
    data.pop("logo")
    response = client.post(reverse("organisation_settings", args=[org.slug]), data)
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.languages == ["fr", "de", "en"]


def test_a_presidency_term_is_edited(client: Client, org: Any, staff: Any, network: Any) -> None:
    from secretariat.governance import services as governance

    term = governance.presidency_create(
        organisation=org, partner=network["partner"], start="2025-01-01", end="2026-12-31", by=None
    )
    login(client, staff)
    url = reverse("presidency_edit", args=[org.slug, term.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "partner": network["partner"].pk,
            "president": network["person"].pk,
            "start": "2025-01-01",
            "end": "2024-12-31",
        },
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "partner": network["partner"].pk,
            "president": network["person"].pk,
            "start": "2025-01-01",
            "end": "2026-06-30",
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.president == network["person"] and str(term.end) == "2026-06-30"
