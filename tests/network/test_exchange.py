"""Imports and exports of partners and people: edge cases, and nothing changed on any error."""

import codecs
import csv
import datetime
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from secretariat.core.models import AuditEntry
from secretariat.network import exchange
from secretariat.network.models import Partner, Person
from secretariat.network.services import partner_codes
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
        identifiers={"insee": "57463", "nuts": "FRF33"},
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
            assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    metz.refresh_from_db()
    assert metz.name == {"fr": "Ville de Metz", "de": "Stadt Metz"}
    assert partner_codes(metz) == {"insee": "57463", "nuts": "FRF33"}
    exported = client.get(f"/o/{org.slug}/partners/export.csv").content.decode("utf-8-sig")
    header, row = exported.splitlines()[:2]
    assert "code_insee" in header.split(",") and "57463" in row.split(",")
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


# Matching: a file imported twice updates, never doubles --------------------------------------


def _drop_column(content: bytes, name: str) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode())))
    index = rows[0].index(name)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(r[:index] + r[index + 1 :] for r in rows)
    return buffer.getvalue().encode()


def test_importing_the_same_partners_twice_doubles_nothing_and_records_nothing(
    eurometropolis: Any,
) -> None:
    # The file as a secretariat keeps it: names and countries, no codes.
    content = _drop_column(
        _without_german((DATA / "be_municipalities_kortrijk_tournai.csv").read_bytes()),
        "code_nis",
    )
    assert run_partners(eurometropolis, content).created == 24
    entries = AuditEntry.objects.count()
    report = run_partners(eurometropolis, content)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 24)
    assert report.unchanged_rows == list(range(2, 26))
    assert Partner.objects.filter(organisation=eurometropolis).count() == 24
    assert AuditEntry.objects.count() == entries


def test_a_second_file_with_nis_codes_adds_them_to_the_partners_matched_by_name(
    eurometropolis: Any,
) -> None:
    with_codes = _without_german((DATA / "be_municipalities_kortrijk_tournai.csv").read_bytes())
    run_partners(eurometropolis, _drop_column(with_codes, "code_nis"))
    report = run_partners(eurometropolis, with_codes)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 24)
    kortrijk = Partner.objects.get(organisation=eurometropolis, name__nl="Kortrijk")
    assert partner_codes(kortrijk) == {"nis": "34022"}
    # Now the code leads: a renamed partner in the next file is still the same partner.
    renamed = (
        b"kind,country,code_nis,name_fr,name_nl\nmunicipality,BE,34022,Courtrai,Stad Kortrijk\n"
    )
    report = run_partners(eurometropolis, renamed)
    assert (report.created, report.updated) == (0, 1)
    kortrijk.refresh_from_db()
    assert kortrijk.name == {"fr": "Courtrai", "nl": "Stad Kortrijk"}


def test_names_match_without_accents_or_case_and_only_in_the_same_country(org: Any) -> None:
    trier = factories.partner(org, country="DE", name={"fr": "Trèves", "de": "Trier"})
    content = (
        "kind,country,name_fr,name_de\n"
        "municipality,DE,TREVES,Trier\n"  # the same city, typed without accents
        "municipality,FR,Trèves,\n"  # the French commune of Trèves (Gard)
    ).encode()
    report = run_partners(org, content)
    assert report.ok, report.errors
    assert (report.created_rows, report.updated_rows) == ([3], [2])
    trier.refresh_from_db()
    assert trier.name == {"fr": "TREVES", "de": "Trier"}
    assert Partner.objects.filter(organisation=org).count() == 2


def test_an_ambiguous_name_and_two_rows_for_one_partner_are_refused(org: Any) -> None:
    factories.partner(org, country="BE", name={"fr": "Mouscron"}, member_until="2018-12-31")
    factories.partner(org, country="BE", name={"fr": "Mouscron"})
    factories.partner(org, country="FR", name={"fr": "Metz"})
    content = (
        b"kind,country,name_fr\n"
        b"municipality,BE,Mouscron\n"
        b"municipality,FR,Metz\n"
        b"municipality,FR,METZ\n"
        b"municipality,LU,Esch-sur-Alzette\n"
        b"municipality,LU,Esch-sur-Alzette\n"
    )
    report = run_partners(org, content)
    messages = {e.row: e.message for e in report.errors}
    assert sorted(messages) == [2, 4, 6]
    assert "Several partners" in messages[2] and "id or code" in messages[2]
    assert "row 3" in messages[4] and "row 5" in messages[6]
    assert Partner.objects.filter(organisation=org).count() == 3


def test_codes_are_checked_and_each_bad_row_is_named(org: Any) -> None:
    factories.partner(org, country="FR", name={"fr": "Metz"}, identifiers={"insee": "57463"})
    content = (
        b"kind,country,code_insee,code_siren,code_nis,name_fr\n"
        b"municipality,FR,57672,,,Thionville\n"  # good
        b"municipality,FR,5767,,,Yutz\n"  # INSEE too short
        b"association,FR,,356000001,,Association\n"  # SIREN check digit
        b"municipality,FR,,,34022,Courtrai\n"  # a Belgian code for a French partner
        b"municipality,FR,57463,,,Metz-Ville\n"  # Metz's code under another name: Metz
        b"municipality,FR,57672,,,Thionville bis\n"  # the code of row 2 again
    )
    report = run_partners(org, content)
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "code_insee"),
        (4, "code_siren"),
        (5, "code_nis"),
        (7, "code_insee"),
    }
    assert "row 2" in next(e.message for e in report.errors if e.row == 7)
    assert Partner.objects.filter(organisation=org).count() == 1


def test_a_code_names_its_partner_even_if_the_name_changed(org: Any) -> None:
    metz = factories.partner(org, country="FR", name={"fr": "Metz"}, identifiers={"insee": "57463"})
    report = run_partners(
        org, b"kind,country,code_insee,name_fr\nmunicipality,FR,57 463,Ville de Metz\n"
    )
    assert report.ok, report.errors
    assert report.updated_rows == [2]
    metz.refresh_from_db()
    assert metz.name == {"fr": "Ville de Metz"}


def test_rows_with_an_end_date_are_imported_as_former_members(
    eurometropolis: Any, time_machine: Any
) -> None:
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    content = (
        b"kind,country,subdivision,code_nis,member_until,name_fr,name_nl\n"
        b"municipality,BE,BE-VWV,34001,1976-12-31,Aalbeke,Aalbeke\n"
        b"municipality,BE,BE-WHT,54007,2018-12-31,Mouscron,Moeskroen\n"
        b"municipality,BE,BE-WHT,57096,,Mouscron,Moeskroen\n"
        b"municipality,BE,BE-WHT,57081,2030-12-31,Tournai,Doornik\n"
    )
    report = run_partners(eurometropolis, content)
    assert report.ok, report.errors
    assert report.created_rows == [2, 3, 4, 5]
    assert report.former_rows == [2, 3]
    former = Partner.objects.filter(organisation=eurometropolis, member_until__isnull=False)
    assert {p.name["fr"]: p.is_former for p in former} == {
        "Aalbeke": True,
        "Mouscron": True,
        "Tournai": False,
    }
    # The same file again: the two Mouscrons are told apart by their codes.
    assert run_partners(eurometropolis, content).unchanged_rows == [2, 3, 4, 5]


def test_every_belgian_municipality_since_1970_imports_once(eurometropolis_de: Any) -> None:
    """2,702 real rows (Statbel REFNIS), 2,121 of them former municipalities."""
    content = (DATA / "be_municipalities_refnis.csv").read_bytes()
    report = run_partners(eurometropolis_de, content)
    assert report.ok, report.errors[:5]
    assert (report.created, len(report.former_rows)) == (2702, 2121)
    again = run_partners(eurometropolis_de, content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2702)
    assert Partner.objects.filter(organisation=eurometropolis_de).count() == 2702


@pytest.fixture
def eurometropolis_de(db: Any) -> Any:
    return factories.organisation("eurometropole-de", languages=("fr", "nl", "de"))


def test_importing_the_same_people_twice_doubles_nothing_and_records_nothing(org: Any) -> None:
    metz = factories.partner(org, name={"fr": "Ville de Metz"})
    content = (
        "given_name,family_name,email,other_emails,languages,tags,partner_id,function_fr\n"
        f"Paul,Klein,paul.klein@metz.example,,fr,conseiller,{metz.pk},Conseiller municipal\n"
        f'Lea,Becker,lea.becker@metz.example,"l.becker@metz.example",de,"a, b",{metz.pk},Adjointe\n'
        f"Jean,Sans Courriel,,,fr,,{metz.pk},Huissier\n"
    ).encode()
    assert run_people(org, content).created == 3
    entries = AuditEntry.objects.count()
    report = run_people(org, content)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Person.objects.filter(organisation=org).count() == 3
    assert AuditEntry.objects.count() == entries


def test_people_are_matched_by_any_of_their_addresses(org: Any) -> None:
    lea = factories.person(
        org, given_name="Lea", family_name="Becker", emails=["lea.becker@metz.example"]
    )
    content = (
        b"given_name,family_name,email,other_emails\n"
        b"Lea,Becker-Weber,l.becker@metz.example,LEA.BECKER@metz.example\n"
    )
    report = run_people(org, content)
    assert report.ok, report.errors
    assert report.updated_rows == [2]
    lea.refresh_from_db()
    assert lea.family_name == "Becker-Weber"
    assert [e.email for e in lea.emails.all()] == [
        "l.becker@metz.example",
        "LEA.BECKER@metz.example",
    ]


def test_addresses_of_two_people_in_one_row_are_refused(org: Any) -> None:
    factories.person(org, emails=["a@metz.example"])
    factories.person(org, emails=["b@metz.example"])
    report = run_people(
        org, b"family_name,email,other_emails\nKlein,a@metz.example,b@metz.example\n"
    )
    assert [(e.row, e.field) for e in report.errors] == [(2, "email")]
    assert Person.objects.filter(organisation=org).count() == 2


def test_an_import_never_overwrites_a_partner_changed_meanwhile(org: Any, staff: Any) -> None:
    """Between the check of the file and the write of a batch, someone saves a partner: the
    import stops there rather than put back what it read, and says so."""
    from secretariat.network import services

    metz = factories.partner(org, country="FR", name={"fr": "Ville de Metz"}, website="")
    found = services.partner_check(
        organisation=org, partner=metz, values={"website": "https://metz.fr"}
    )
    other = type(metz).objects.get(pk=metz.pk)
    services.partner_update(partner=other, by=None, vote_weight="2")
    with pytest.raises(ValidationError) as refused:
        services.partners_save(changes=[found], by=None)
    assert refused.value.code == "stale"
    metz.refresh_from_db()
    assert str(metz.vote_weight) == "2.00" and metz.website == ""
