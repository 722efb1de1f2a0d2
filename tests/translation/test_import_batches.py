"""TMX and TBX imports write in batches: the number of queries does not grow with the units of
the file (a file at the size limit stores within a web request), and what is stored and
counted stays what one write per unit gave: duplicates left out wherever they are in the file,
known concepts completed, an error anywhere keeping nothing."""

import io
from typing import Any

import pytest

from secretariat.translation import glossary, memory
from secretariat.translation.models import Concept, MemoryUnit, Term
from tests import factories

# One write per row took about 12,000 queries for 2,000 units (a savepoint, the insert and its
# release for each of the 4,000 memory units, one per direction) and 1,500 for 500 concepts
# of two terms; in batches it takes 6 and 14.
TMX_QUERIES = 30
TBX_QUERIES = 40


def tmx(numbers: list[int], tail: str = "</body></tmx>") -> bytes:
    units = "".join(
        f'<tu><tuv xml:lang="fr"><seg>La phrase numéro {n} du secrétariat.</seg></tuv>'
        f'<tuv xml:lang="de"><seg>Der Satz Nummer {n} des Sekretariats.</seg></tuv></tu>\n'
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t"'
        ' creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="fr"'
        f' datatype="plaintext"/><body>\n{units}{tail}'
    ).encode()


def tbx(entries: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX"><text><body>\n'
        + "".join(entries)
        + "</body></text></martif>"
    ).encode()


def entry(n: int, *, status: str = "preferredTerm-admn-sts", extra: str = "") -> str:
    return (
        f'<termEntry id="c{n}"><descrip type="definition">Notion {n}</descrip>'
        f'<langSet xml:lang="fr"><tig><term>Terme {n}</term><termNote'
        f' type="administrativeStatus">{status}</termNote></tig></langSet>'
        f'<langSet xml:lang="de"><tig><term>Begriff {n}</term></tig>{extra}</langSet>'
        "</termEntry>\n"
    )


@pytest.fixture
def org(db: Any) -> Any:
    return factories.organisation(languages=("fr", "de"))


def test_a_tmx_of_2000_units_is_stored_in_few_queries(
    org: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(TMX_QUERIES):
        report = memory.tmx_import(organisation=org, file=io.BytesIO(tmx(list(range(2000)))))
    assert (report.error, report.units, report.added) == ("", 2000, 4000)
    assert MemoryUnit.objects.filter(organisation=org).count() == 4000
    with django_assert_max_num_queries(TMX_QUERIES):
        again = memory.tmx_import(organisation=org, file=io.BytesIO(tmx(list(range(2000)))))
    assert (again.units, again.added) == (2000, 0)
    assert MemoryUnit.objects.filter(organisation=org).count() == 4000


def test_duplicates_anywhere_in_a_tmx_are_stored_once_and_counted_once(org: Any) -> None:
    memory.memory_add(
        organisation=org,
        source_language="fr",
        target_language="de",
        source="La phrase numéro 1500 du secrétariat.",
        target="Der Satz Nummer 1500 des Sekretariats.",
        origin="reviewed",
    )
    # Repeated next to each other, across a thousand units, and already known (one direction).
    numbers = [0, 0, *range(1, 2500), 3, 1200, 2400]
    report = memory.tmx_import(organisation=org, file=io.BytesIO(tmx(numbers)), name="t.tmx")
    assert (report.units, report.added) == (len(numbers), 2 * 2500 - 1)
    units = MemoryUnit.objects.filter(organisation=org)
    assert units.count() == 5000
    assert units.filter(origin="tmx", note="t.tmx").count() == 4999
    assert units.get(source_language="fr", source_text__contains="1500 ").origin == "reviewed"
    # Stored in the order of the file.
    first = units.filter(source_language="fr", origin="tmx").order_by("id")[:3]
    assert [u.source_text.split()[3] for u in first] == ["0", "1", "2"]


def test_an_error_after_several_batches_keeps_nothing(org: Any) -> None:
    content = tmx(list(range(2500)), tail="<tu><oops></tu></body></tmx>")
    report = memory.tmx_import(organisation=org, file=io.BytesIO(content))
    assert "not well-formed" in report.error and report.added == 0
    assert not MemoryUnit.objects.filter(organisation=org).exists()


def test_a_stored_unit_is_found_by_the_next_lookup(org: Any) -> None:
    # The process keeps the sources for fuzzy matching; an import must make it read them again.
    memory.tmx_import(organisation=org, file=io.BytesIO(tmx([1])))
    near = memory.lookup(
        organisation=org, source_language="fr", target_language="de", text="La phrase numéro 1 du"
    )
    assert near[0].target == "Der Satz Nummer 1 des Sekretariats."
    memory.tmx_import(organisation=org, file=io.BytesIO(tmx(list(range(2, 1200)))))
    found = memory.lookup(
        organisation=org, source_language="fr", target_language="de", text="phrase numéro 1199 du"
    )
    assert found[0].target == "Der Satz Nummer 1199 des Sekretariats."


def test_a_tbx_of_500_concepts_is_stored_in_few_queries(
    org: Any, django_assert_max_num_queries: Any
) -> None:
    content = tbx([entry(n) for n in range(500)])
    with django_assert_max_num_queries(TBX_QUERIES):
        report = glossary.tbx_import(organisation=org, file=io.BytesIO(content))
    assert (report.error, report.concepts, report.terms) == ("", 500, 1000)
    assert Term.objects.filter(concept__organisation=org).count() == 1000
    concept = Concept.objects.get(organisation=org, external_id="c7")
    assert concept.note == "Notion 7"
    assert {(t.language, t.text, t.status) for t in concept.terms.all()} == {
        ("fr", "Terme 7", "preferred"),
        ("de", "Begriff 7", "preferred"),
    }
    # Read again: every concept is recognised, in as few queries.
    with django_assert_max_num_queries(TBX_QUERIES):
        again = glossary.tbx_import(organisation=org, file=io.BytesIO(content))
    assert (again.concepts, again.updated, again.unchanged, again.terms) == (0, 0, 500, 0)
    # Changed: a status on every concept, a new term and a new definition on some.
    changed = [
        entry(n, status="admittedTerm-admn-sts", extra="<tig><term>Neu</term></tig>" * (n < 10))
        for n in range(500)
    ]
    changed[3] = changed[3].replace("Notion 3", "Notion drei")
    with django_assert_max_num_queries(TBX_QUERIES):
        third = glossary.tbx_import(organisation=org, file=io.BytesIO(tbx(changed)))
    assert (third.concepts, third.updated, third.unchanged, third.terms) == (0, 500, 0, 10)
    concept = Concept.objects.get(organisation=org, external_id="c3")
    assert concept.note == "Notion drei"
    assert {(t.text, t.status) for t in concept.terms.all()} == {
        ("Terme 3", "admitted"),
        ("Begriff 3", "preferred"),
        ("Neu", "preferred"),
    }
    assert Concept.objects.filter(organisation=org).count() == 500


def test_a_concept_repeated_later_in_the_file_completes_the_first(org: Any) -> None:
    # The second c1 comes while the first is still waiting to be written.
    entries = [entry(n) for n in range(1500)]
    entries.insert(2, entry(1, status="deprecatedTerm-admn-sts", extra="<tig><term>B</term></tig>"))
    entries.append(entry(1400, extra="<tig><term>Spät</term></tig>"))  # after a batch
    entries.append(entry(2).replace("Notion 2", "Notion zwei"))
    report = glossary.tbx_import(organisation=org, file=io.BytesIO(tbx(entries)))
    assert (report.concepts, report.updated, report.unchanged, report.terms) == (1500, 3, 0, 3002)
    assert Concept.objects.filter(organisation=org).count() == 1500
    first = Concept.objects.get(organisation=org, external_id="c1")
    assert {(t.text, t.status) for t in first.terms.all()} == {
        ("Terme 1", "deprecated"),
        ("Begriff 1", "preferred"),
        ("B", "preferred"),
    }
    assert Concept.objects.get(organisation=org, external_id="c2").note == "Notion zwei"
    assert Term.objects.filter(concept__external_id="c1400", text="Spät").exists()
    # Read again (more known concepts than one batch): nothing added.
    again = glossary.tbx_import(organisation=org, file=io.BytesIO(tbx(entries)))
    assert (again.concepts, again.terms, again.updated + again.unchanged) == (0, 0, len(entries))
    assert Concept.objects.filter(organisation=org).count() == 1500
