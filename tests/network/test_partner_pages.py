"""A partner's identifiers on its page and form; the import page's report."""

import io
from typing import Any

from django.test import Client
from django.utils import translation

from secretariat.core.models import AuditEntry
from secretariat.network.services import partner_codes
from tests import factories


def _form(client: Client, url: str) -> dict[str, str]:
    """The form's fields as the browser would send them back unchanged."""
    context = client.get(url).context
    form = context["form"]
    return {
        name: "" if value is None else str(value)
        for name, value in ((f.html_name, f.value()) for f in form)
    }


def test_identifiers_are_shown_and_edited_on_the_partner_pages(client: Client, org: Any) -> None:
    metz = factories.partner(
        org, country="FR", subdivision="FR-57", name={"fr": "Metz"}, identifiers={"insee": "57463"}
    )
    client.force_login(factories.member_of(org, "staff"))
    page = client.get(f"/o/{org.slug}/partners/{metz.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "INSEE commune code (France)" in page.content.decode()
    assert "<code>57463</code>" in page.content.decode()

    url = f"/o/{org.slug}/partners/{metz.pk}/edit/"
    data = _form(client, url)
    assert data["code_insee"] == "57463"
    entries = AuditEntry.objects.count()
    assert client.post(url, data).status_code == 302  # saved unchanged: nothing recorded
    assert AuditEntry.objects.count() == entries

    response = client.post(url, data | {"code_siren": "215704632", "code_nis": "34022"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "code_nis" in errors and "Belgian" in errors["code_nis"][0]
    assert "check digit" in errors["code_siren"][0]
    assert (
        client.post(url, data | {"code_siren": "215 704 636", "code_insee": ""}).status_code == 302
    )
    assert partner_codes(metz) == {"siren": "215704636"}


def test_the_import_page_reports_the_rows_created_updated_and_unchanged(
    client: Client, org: Any
) -> None:
    factories.partner(org, country="FR", name={"fr": "Metz"})
    factories.partner(org, country="LU", name={"fr": "Luxembourg"})
    client.force_login(factories.member_of(org, "staff"))
    upload = io.BytesIO(
        "kind,country,name_fr,member_until\n"
        "municipality,FR,Metz,\n"
        "municipality,LU,Luxembourg,2019-12-31\n"
        "municipality,DE,Sarrebruck,\n"
        "municipality,DE,Trèves,\n".encode()
    )
    upload.name = "partenaires.csv"
    response = client.post(
        f"/o/{org.slug}/partners/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Imported: partenaires.csv" in html
    assert "2 created (rows 4–5)" in html
    assert "1 updated (row 3)" in html
    assert "1 unchanged (row 2)" in html
    assert "Of these, 1 former member, whose membership has ended (row 3)" in html


def test_the_import_report_is_in_the_users_language(client: Client, org: Any) -> None:
    user = factories.member_of(org, "staff")
    client.force_login(user)
    upload = io.BytesIO(b"kind,country,code_nis,name_fr\nmunicipality,FR,34022,Courtrai\n")
    upload.name = "partners.csv"
    response = client.post(
        f"/o/{org.slug}/partners/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    with translation.override("fr"):
        html = response.content.decode()
    assert "Rien n’a été importé" in html or "Rien n'a été importé" in html
    assert "Les codes INS identifient des partenaires belges" in html
