"""Hostile XML in the translation imports (TMX, TBX, XLIFF), as an attacker sends it: files at
the size limit read in bounded memory (measured in a fresh process), files over it refused,
entities refused in any encoding, processing instructions and empty packages answered with a
clear message through the pages and the API, never a 500."""

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from benchmarks import xml_limits
from secretariat.core.models import AuditEntry
from secretariat.core.tokens import token_create
from secretariat.translation import glossary, memory, safe_xml, xliff
from secretariat.translation.models import Concept, MemoryUnit, Term
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

TMX = """<?xml version="1.0" encoding="{encoding}"?>{doctype}
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en" srclang="fr" datatype="plaintext"/><body>
<tu><tuv xml:lang="fr"><seg>Le Sommet se réunit.</seg></tuv>
<tuv xml:lang="de"><seg>Der Gipfel tritt zusammen{payload}.</seg></tuv></tu>
</body></tmx>"""
XXE = '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

TBX_WITH_PI = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="tbx.xsl"?>
<martif type="TBX"><text><body>
<termEntry id="c1"><?xm-replace_text a note?>
 <langSet xml:lang="fr"><tig><term>Sommet</term><?editor mark="1"?>
  <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
 <langSet xml:lang="de"><tig><term>Gipfel</term><?editor?></tig></langSet>
</termEntry></body></text></martif>"""


def tmx(encoding: str = "UTF-8", doctype: str = "", payload: str = "") -> bytes:
    return TMX.format(encoding=encoding.upper(), doctype=doctype, payload=payload).encode(encoding)


def upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


@pytest.fixture
def org(db: Any) -> Any:
    return factories.organisation(languages=("fr", "de"))


@pytest.fixture
def staff_client(client: Client, org: Any) -> Client:
    client.force_login(factories.member_of(org, "staff"))
    return client


# Memory at the size limit ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: Any) -> Path:
    """A migrated database that each measuring process copies."""
    folder = tmp_path_factory.mktemp("xml-db")
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "xml_limits.py"), "--prepare", str(folder)],
        check=True,
        timeout=300,
    )
    return folder


@pytest.mark.parametrize("kind", ["tmx", "tbx", "xliff"])
def test_a_file_just_under_the_limit_is_read_in_bounded_memory(kind: str, migrated: Path) -> None:
    # Units of tiny inline elements: before streaming, a 20 MB file of them took 250 to 450 MB
    # (a 49 MB one 640 MB to 1.1 GB) and the process kept it.
    size = safe_xml.LIMITS[kind] - 64 * 1024
    figures = xml_limits.measure(kind, size, migrated)
    assert figures["megabytes"] > safe_xml.LIMITS[kind] / 1024 / 1024 - 1  # really at the limit
    assert figures["growth_mb"] < 100, figures
    assert figures["seconds"] < 60, figures
    if kind == "xliff":  # read to the end: every unit is named and found unknown
        assert figures["problems"] > 10_000
        assert figures["first"] == "No text of this organisation has this id."
    else:
        assert figures["error"] == "", figures
    if kind == "tmx":
        assert figures["units"] > 40_000


@pytest.mark.parametrize(
    ("kind", "url_name", "model"),
    [("tmx", "memory", MemoryUnit), ("tbx", "glossary", Concept)],
)
def test_a_file_over_the_limit_is_refused_on_the_page(
    staff_client: Client, org: Any, kind: str, url_name: str, model: Any
) -> None:
    content = xml_limits.generate(kind, safe_xml.LIMITS[kind] + 256 * 1024, stored=True)
    response = staff_client.post(
        reverse(url_name, args=[org.slug]), {"file": upload(content, f"big.{kind}")}
    )
    assert response.status_code == 400
    limit = safe_xml.LIMITS[kind] // (1024 * 1024)
    assert f"The file is larger than {limit} MB" in response.content.decode()
    assert not model.objects.exists()


def test_an_xliff_over_the_limit_is_refused_through_the_api(client: Client, org: Any) -> None:
    content = xml_limits.generate("xliff", safe_xml.LIMITS["xliff"] + 256 * 1024)
    response = client.post(
        f"/api/v1/organisations/{org.slug}/translation/xliff",
        {"file": upload(content, "big.xlf")},
        **bearer(factories.member_of(org, "staff")),
    )
    assert response.status_code == 422
    assert "larger than 20 MB" in response.json()["problems"][0][1]


def test_a_unit_of_too_many_elements_is_refused(org: Any) -> None:
    payload = "<ph/>" * (safe_xml.MAX_UNIT_ELEMENTS + 1)
    report = memory.tmx_import(organisation=org, file=io.BytesIO(tmx(payload=payload)))
    assert "more than 10000 elements" in report.error
    assert not MemoryUnit.objects.exists()


def test_an_error_late_in_the_file_keeps_nothing_of_it(org: Any) -> None:
    good = tmx().replace(b"</body></tmx>", b"")
    report = memory.tmx_import(organisation=org, file=io.BytesIO(good + b"<tu><oops></tu>"))
    assert "not well-formed" in report.error
    assert not MemoryUnit.objects.exists()


# Entities in any encoding ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "UTF-16-LE", "UTF-32", "UTF-32-BE"])
def test_an_entity_declaration_is_refused_in_every_encoding(org: Any, encoding: str) -> None:
    content = tmx(encoding, XXE, "&xxe;")
    report = memory.tmx_import(organisation=org, file=io.BytesIO(content))
    assert report.error == "The file declares or uses XML entities, which are refused for safety."
    assert not MemoryUnit.objects.exists()


def test_a_utf32_entity_is_refused_through_the_page(staff_client: Client, org: Any) -> None:
    response = staff_client.post(
        reverse("memory", args=[org.slug]),
        {"file": upload(tmx("UTF-32", XXE, "&xxe;"), "m.tmx")},
    )
    assert response.status_code == 400 and "XML entities" in response.content.decode()
    assert not MemoryUnit.objects.filter(target_text__contains="&").exists()


def test_an_undeclared_entity_behind_an_external_dtd_is_never_stored(org: Any) -> None:
    # libxml2 keeps "&xxe;" as a reference when the DTD that might declare it is not loaded.
    content = tmx(doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">', payload="&xxe;")
    report = memory.tmx_import(organisation=org, file=io.BytesIO(content))
    assert "XML entities" in report.error
    assert not MemoryUnit.objects.exists()


@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-16-BE", "UTF-32"])
def test_a_legitimate_wide_file_is_accepted(org: Any, encoding: str) -> None:
    content = tmx(encoding, '<!DOCTYPE tmx SYSTEM "tmx14.dtd">', " 2027")
    report = memory.tmx_import(organisation=org, file=io.BytesIO(content))
    assert report.error == "" and report.added == 2
    assert MemoryUnit.objects.filter(target_text="Der Gipfel tritt zusammen 2027.").exists()


def test_a_legitimate_utf16_glossary_is_accepted_whatever_its_name(org: Any) -> None:
    content = TBX_WITH_PI.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    report = glossary.glossary_import(
        organisation=org, file=io.BytesIO(content.encode("utf-16")), name="terms.txt", by=None
    )
    assert report.error == "" and report.concepts == 1


def test_xxe_and_billion_laughs_are_still_refused(org: Any) -> None:
    laughs = '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    for content in (
        tmx(doctype=XXE, payload="&xxe;"),
        tmx(doctype=laughs + "]>", payload="&j;"),
        tmx("UTF-32", laughs + "]>", "&j;"),
    ):
        report = memory.tmx_import(organisation=org, file=io.BytesIO(content))
        assert "XML entities" in report.error
    assert not MemoryUnit.objects.exists()


def test_an_unknown_encoding_is_refused_clearly(org: Any) -> None:
    content = tmx().replace(b'encoding="UTF-8"', b'encoding="x-klingon"')
    report = memory.tmx_import(organisation=org, file=io.BytesIO(content))
    assert report.error == "The file is in an unknown character encoding (“x-klingon”)."


# Processing instructions -----------------------------------------------------------------------


def test_processing_instructions_in_tbx_are_ignored_on_the_page(
    staff_client: Client, org: Any
) -> None:
    response = staff_client.post(
        reverse("glossary", args=[org.slug]), {"file": upload(TBX_WITH_PI, "g.tbx")}
    )
    assert response.status_code == 302
    assert set(Term.objects.values_list("language", "text")) == {("fr", "Sommet"), ("de", "Gipfel")}


def test_processing_instructions_in_tbx_are_ignored_through_the_api(
    client: Client, org: Any
) -> None:
    response = client.post(
        f"/api/v1/organisations/{org.slug}/translation/glossary/import",
        {"file": upload(TBX_WITH_PI, "g.tbx")},
        **bearer(factories.member_of(org, "staff")),
    )
    assert response.status_code == 200 and response.json()["imported"] == 1


def test_hostile_glossary_answers_422_with_the_reason_through_the_api(
    client: Client, org: Any
) -> None:
    content = TBX_WITH_PI.replace(b"<martif", XXE.replace("tmx", "martif").encode() + b"<martif")
    content = content.replace(b"<term>Sommet", b"<term>&xxe;Sommet").decode().encode("utf-32")
    response = client.post(
        f"/api/v1/organisations/{org.slug}/translation/glossary/import",
        {"file": upload(content, "g.tbx")},
        **bearer(factories.member_of(org, "staff")),
    )
    assert response.status_code == 422  # the API's answer to invalid input
    assert "XML entities" in json.dumps(response.json())
    assert not Concept.objects.exists()


# XLIFF without units ---------------------------------------------------------------------------

EMPTY_XLIFF = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="de">
<file id="f"></file></xliff>"""


def test_an_xliff_without_units_says_so_and_changes_nothing(staff_client: Client, org: Any) -> None:
    before = AuditEntry.objects.count()
    report = xliff.import_xliff(organisation=org, file=io.BytesIO(EMPTY_XLIFF), by=None)
    assert not report.ok
    assert report.problems == [("", "The file holds no translation units; nothing was changed.")]
    response = staff_client.post(
        reverse("xliff_import", args=[org.slug]), {"file": upload(EMPTY_XLIFF, "e.xlf")}
    )
    assert response.status_code == 400
    assert "holds no translation units" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_an_xliff_without_units_is_refused_through_the_api(client: Client, org: Any) -> None:
    response = client.post(
        f"/api/v1/organisations/{org.slug}/translation/xliff",
        {"file": upload(EMPTY_XLIFF.replace(b"2.0", b"2.0"), "e.xlf")},
        **bearer(factories.member_of(org, "staff")),
    )
    assert response.status_code == 422
    assert response.json()["imported"] == 0
    assert "no translation units" in response.json()["problems"][0][1]


# What the reading costs, whatever the file: a prolog that made a regular expression backtrack,
# a file of millions of tiny elements outside units, a deadline --------------------------------

_STREAM = """
import io, json, sys, time
import django
django.setup()
from secretariat.translation import safe_xml
kind, roots, units, starts = sys.argv[2], sys.argv[3].split(","), sys.argv[4].split(","), ()
if len(sys.argv) > 5:
    starts = sys.argv[5].split(",")
data = open(sys.argv[1], "rb").read()
began = time.monotonic()
try:
    count = sum(1 for _ in safe_xml.stream(
        io.BytesIO(data), kind=kind, roots=roots, units=units, starts=starts))
    outcome = f"{count} events"
except safe_xml.XmlError as error:
    outcome = f"refused: {error}"
print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - began}))
"""


def _stream_in_a_process(
    content: bytes, tmp_path: Path, *, kind: str, roots: str, units: str, starts: str = ""
) -> dict[str, Any]:
    """Read ``content`` with ``safe_xml.stream`` in a fresh process, killed after 60 s (the
    backtracking prolog took hours before its fix)."""
    path = tmp_path / "hostile.xml"
    path.write_bytes(content)
    arguments = [str(path), kind, roots, units, *([starts] if starts else [])]
    try:
        done = subprocess.run(
            [sys.executable, "-c", _STREAM, *arguments],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "killed after 60 s", "seconds": 60.0}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


DECLARATION = '<?xml version="1.0"?>'
PATHOLOGICAL_PROLOGS = {
    # 28 spaces took 20 s before the fix, each space more doubling it.
    "spaces": DECLARATION + " " * 4000 + "<!x>",
    "comments": DECLARATION + "<!--c-->" * 4000 + "<!x>",
    "processing instructions": DECLARATION + "<?p?>" * 4000 + "<!x>",
    "mixed": DECLARATION + "<!--c--> <?p?>\n" * 2000 + "<!DOCTYPE tmx>" + "  " * 2000 + "<!x>",
    "no root": DECLARATION + " <!--c-->" * 2000 + " " * 40,
}


@pytest.mark.parametrize("prolog", list(PATHOLOGICAL_PROLOGS))
def test_a_pathological_prolog_is_answered_at_once(prolog: str, tmp_path: Path) -> None:
    content = PATHOLOGICAL_PROLOGS[prolog].encode()
    result = _stream_in_a_process(content, tmp_path, kind="tmx", roots="tmx", units="tu")
    assert result["seconds"] < 5, result
    assert result["outcome"] == "0 events" or result["outcome"].startswith("refused"), result


def test_a_long_prolog_before_a_genuine_root_is_read() -> None:
    prolog = DECLARATION + "<!--c--> <?p?>\n" * 2000 + '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    content = prolog.encode() + tmx().split(b"?>", 1)[1]
    events = [
        (event, safe_xml.local(element.tag))
        for event, element in safe_xml.stream(
            io.BytesIO(content), kind="tmx", roots=("tmx",), units=("tu",)
        )
    ]
    assert events == [("start", "tmx"), ("end", "tu")]
    other = list(safe_xml.stream(io.BytesIO(content), kind="tbx", roots=("martif",), units=()))
    assert other == []  # another kind of file: not read, the caller says so


def _wide_xliff(elements: int) -> bytes:
    return (
        b'<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        b'version="2.0" srcLang="fr" trgLang="de"><file id="f">'
        + b"<x/>" * elements
        + b"</file></xliff>"
    )


def test_a_file_of_millions_of_tiny_elements_outside_units_is_read_in_linear_time(
    tmp_path: Path,
) -> None:
    # 2 MB, 500,000 elements in one <file>: 30 s before the fix (pruning was quadratic; the
    # attacker's 19.5 MB took 188 s), well under a second after.
    content = _wide_xliff(500_000)
    result = _stream_in_a_process(
        content, tmp_path, kind="xliff", roots="xliff", units="unit,trans-unit", starts="file"
    )
    assert result["seconds"] < 5, result
    assert result["outcome"] == "2 events", result  # the root and <file>; no unit


def test_reading_stops_at_the_deadline_with_a_clear_message(
    org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_xml, "MAX_SECONDS", 0.0)
    report = xliff.import_xliff(organisation=org, file=io.BytesIO(_wide_xliff(100_000)), by=None)
    assert not report.ok
    assert report.problems == [
        ("", "Reading the file took more than 0 seconds; split it into smaller files.")
    ]
    tmx_report = memory.tmx_import(organisation=org, file=io.BytesIO(tmx()))
    assert "took more than 0 seconds" in tmx_report.error
    assert not MemoryUnit.objects.exists()
