"""Imports and exports of partners and people: edge cases, and nothing changed on any error."""

import codecs
import io
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from secretariat.network import exchange
from secretariat.network.models import Partner, Person
from tests import factories

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def eurometropolis(db: Any) -> Any:
    return factories.organisation("eurometropole-test", languages=("fr", "nl"))


def run_partners(org: Any, content: bytes, name: str = "partners.csv") -> exchange.ImportReport:
    return exchange.partners_import(organisation=org, file=io.BytesIO(content), name=name, by=None)


def run_people(org: Any, content: bytes, name: str = "people.csv") -> exchange.ImportReport:
    return exchange.people_import(organisation=org, file=io.BytesIO(content), name=name, by=None)


def _without_german(content: bytes) -> bytes:
    lines = content.decode().splitlines()
    return ("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n").encode()


def test_real_belgian_municipalities_import_with_french_and_dutch_names(
    eurometropolis: Any,
) -> None:
    content = _without_german((DATA / "be_municipalities_kortrijk_tournai.csv").read_bytes())
    report = run_partners(eurometropolis, content)
    assert report.ok, report.errors
    assert report.created == 24
    kortrijk = Partner.objects.get(organisation=eurometropolis, name__fr="Courtrai")
    assert kortrijk.name == {"fr": "Courtrai", "nl": "Kortrijk"}
    assert kortrijk.subdivision == "BE-VWV"


def test_a_column_in_a_language_that_is_not_a_working_language_changes_nothing(
    eurometropolis: Any,
) -> None:
    report = run_partners(
        eurometropolis, (DATA / "be_municipalities_kortrijk_tournai.csv").read_bytes()
    )
    assert not report.ok
    assert "name_de" in report.errors[0].message and "fr, nl" in report.errors[0].message
    assert not Partner.objects.filter(organisation=eurometropolis).exists()


def test_one_bad_row_means_nothing_is_imported_and_every_bad_row_is_reported(org: Any) -> None:
    factories.partner(org, name={"fr": "Existant"})
    content = (
        b"kind,country,subdivision,name_fr,member_since,member_until\n"
        b"municipality,FR,FR-57,Metz,2014-10-16,\n"
        b"municipality,XX,,Nulle part,,\n"
        b"municipality,DE,FR-57,Sarrebruck,,\n"
        b"state,LU,,Luxembourg,2020-01-01,2019-01-01\n"
    )
    report = run_partners(org, content)
    assert not report.ok
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "country"),
        (4, "subdivision"),
        (5, "member_until"),
    }
    assert list(Partner.objects.filter(organisation=org).values_list("name", flat=True)) == [
        {"fr": "Existant"}
    ]


def test_semicolon_separated_excel_csv_with_a_byte_order_mark(org: Any) -> None:
    content = (
        codecs.BOM_UTF8 + "kind;country;name_fr;name_de\nmunicipality;DE;Trèves;Trier\n".encode()
    )
    report = run_partners(org, content)
    assert report.ok, report.errors
    assert Partner.objects.get(organisation=org).name == {"fr": "Trèves", "de": "Trier"}


def test_utf16_text_from_excel_is_read(org: Any) -> None:
    content = "kind\tcountry\tname_fr\nmunicipality\tLU\tLuxembourg\n".encode("utf-16")
    assert run_partners(org, content).created == 1


def test_wrong_encoding_gets_a_clear_message(org: Any) -> None:
    content = "kind,country,name_fr\nmunicipality,DE,Trèves\n".encode("latin-1")
    report = run_partners(org, content)
    assert "not encoded in UTF-8" in report.errors[0].message
    assert not Partner.objects.exists()


def test_missing_and_unknown_columns_are_named(org: Any) -> None:
    report = run_partners(org, b"kind,name_fr,colour\nstate,France,blue\n")
    messages = " ".join(e.message for e in report.errors)
    assert "Missing columns: country" in messages
    assert "Unknown columns: colour" in messages


def test_ten_megabytes_of_garbage_are_refused(org: Any) -> None:
    report = run_partners(org, os.urandom(10 * 1024 * 1024), name="garbage.csv")
    assert "larger than 5 MB" in report.errors[0].message
    report = run_partners(org, os.urandom(200_000), name="garbage.csv")
    assert report.errors and report.errors[0].row == 0
    report = run_partners(org, b"PK\x03\x04" + os.urandom(5000), name="garbage.xlsx")
    assert "not a valid Excel workbook" in report.errors[0].message
    assert not Partner.objects.exists()


def test_an_empty_file_is_refused(org: Any) -> None:
    assert "empty" in run_partners(org, b"").errors[0].message
    assert "empty" in run_partners(org, b"\n\n").errors[0].message


def test_xlsx_import(org: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kind", "country", "subdivision", "name_fr", "name_de"])
    sheet.append(["municipality", "DE", "DE-SL", "Sarrebruck", "Saarbrücken"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_partners(org, buffer.getvalue(), name="partners.xlsx")
    assert report.ok, report.errors
    assert Partner.objects.get(organisation=org).subdivision == "DE-SL"


def test_people_import_with_duplicate_emails_in_the_file_changes_nothing(org: Any) -> None:
    content = (
        b"given_name,family_name,email,languages\n"
        b'Anne,Schmit,anne.schmit@vdl.example,"lb, fr, de"\n'
        b"Annie,Schmitt,ANNE.SCHMIT@vdl.example,fr\n"
    )
    report = run_people(org, content)
    assert [(e.row, e.field) for e in report.errors] == [(3, "email")]
    assert "also in row 2" in report.errors[0].message
    assert not Person.objects.exists()


def test_people_import_updates_by_email_and_affiliates_to_a_partner(org: Any) -> None:
    metz = factories.partner(org, name={"fr": "Ville de Metz"})
    existing = factories.person(
        org, given_name="Paul", family_name="Klein", emails=["paul.klein@metz.example"]
    )
    content = (
        "given_name,family_name,email,languages,tags,partner_id,function_fr,function_de,salutation_fr\n"
        f'Paul,Klein,paul.klein@metz.example,"fr, de",conseiller,{metz.pk},Conseiller municipal,Stadtrat,Monsieur le Conseiller\n'
        f"Lea,Becker,lea.becker@metz.example,de,,{metz.pk},Conseillère,Stadträtin,\n"
    ).encode()
    report = run_people(org, content)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.salutation == {"fr": "Monsieur le Conseiller"}
    assert existing.affiliations.get().function == {"fr": "Conseiller municipal", "de": "Stadtrat"}


def test_people_import_refuses_a_partner_of_another_organisation(org: Any, other_org: Any) -> None:
    foreign = factories.partner(other_org)
    report = run_people(org, f"family_name,partner_id\nKlein,{foreign.pk}\n".encode())
    assert report.errors[0].field == "partner_id"
    assert not Person.objects.filter(organisation=org).exists()


def test_an_export_reimports_unchanged(client: Any, org: Any) -> None:
    admin = factories.member_of(org, "admin")
    factories.partner(
        org,
        name={"fr": "Ville de Metz", "de": "Stadt Metz"},
        country="FR",
        subdivision="FR-57",
        member_since="2014-10-16",
    )
    metz = Partner.objects.get()
    factories.person(
        org,
        given_name="Claire",
        family_name="Weber",
        emails=["c.weber@metz.example", "claire@metz.example"],
        tags=["mayor"],
        languages=["fr", "de"],
    )
    client.force_login(admin)
    for kind in ("partners", "people"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/o/{org.slug}/{kind}/export.{fmt}")
            assert response.status_code == 200
            run = exchange.partners_import if kind == "partners" else exchange.people_import
            report = run(
                organisation=org, file=io.BytesIO(response.content), name=f"x.{fmt}", by=admin
            )
            assert report.ok, (kind, fmt, report.errors)
            assert (report.created, report.updated) == (0, 1)
    metz.refresh_from_db()
    assert metz.name == {"fr": "Ville de Metz", "de": "Stadt Metz"}
    workbook = load_workbook(io.BytesIO(client.get(f"/o/{org.slug}/people/export.xlsx").content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][3] == "c.weber@metz.example" and rows[1][4] == "claire@metz.example"


def test_the_import_page_shows_the_row_report(client: Any, org: Any) -> None:
    client.force_login(factories.member_of(org, "staff"))
    upload = io.BytesIO(b"kind,country,name_fr\nstate,XX,Nulle part\n")
    upload.name = "partners.csv"
    response = client.post(f"/o/{org.slug}/partners/import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html or "Rien" in html
    assert "XX" in html
