"""The termbase: concepts with terms per language (preferred, admitted, deprecated, forbidden,
do-not-translate), validity dates; TBX and CSV exchange; and the check of a translation
against it, on inflected forms (Snowball stemmers: "des Vorstands" is the Vorstand)."""

import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Any

import snowballstemmer
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from secretariat.core import audit
from secretariat.core.models import Organisation, User
from secretariat.translation import safe_xml
from secretariat.translation.models import Concept, Term, TermStatus

STEMMERS = {"fr": "french", "de": "german", "nl": "dutch", "en": "english"}
WORD = re.compile(r"\w+", re.UNICODE)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def _stemmer(language: str) -> Any:
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


def stems(text: str, language: str) -> list[str]:
    words = [w.casefold() for w in WORD.findall(text)]
    stemmer = _stemmer(language)
    return stemmer.stemWords(words) if stemmer else words


def contains(text_stems: list[str], term_stems: list[str]) -> bool:
    n = len(term_stems)
    return n > 0 and any(
        text_stems[i : i + n] == term_stems for i in range(len(text_stems) - n + 1)
    )


@dataclass(frozen=True)
class Issue:
    kind: str  # "missing" (expected term absent), "forbidden" (forbidden/deprecated used), "untranslated"
    term: str  # the term found or used
    expected: tuple[str, ...] = field(default_factory=tuple)

    def message(self) -> str:
        if self.kind == "forbidden":
            return _("“%(term)s” is not to be used; write %(expected)s.") % {
                "term": self.term,
                "expected": " / ".join(f"“{e}”" for e in self.expected),
            }
        if self.kind == "untranslated":
            return _("“%(term)s” is not translated: keep it as it is.") % {"term": self.term}
        return _("“%(term)s” in the source should be rendered as %(expected)s.") % {
            "term": self.term,
            "expected": " / ".join(f"“{e}”" for e in self.expected),
        }


def concepts_valid(organisation: Organisation, on: datetime.date | None = None) -> list[Concept]:
    day = on or timezone.localdate()
    return list(
        Concept.objects.filter(organisation=organisation)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .prefetch_related("terms")
    )


def check(
    *,
    concepts: list[Concept],
    source_language: str,
    source_text: str,
    target_language: str,
    target_text: str,
) -> list[Issue]:
    """Deviations of a translation from the termbase."""
    issues: list[Issue] = []
    source_stems = stems(source_text, source_language)
    target_stems = stems(target_text, target_language)
    for concept in concepts:
        terms = list(concept.terms.all())
        good = [
            t
            for t in terms
            if t.language == target_language
            and t.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)
        ]
        for term in terms:
            if (
                term.language == target_language
                and term.status in (TermStatus.FORBIDDEN, TermStatus.DEPRECATED)
                and contains(target_stems, stems(term.text, target_language))
            ):
                issues.append(Issue("forbidden", term.text, tuple(t.text for t in good)))
        source_terms = [
            t
            for t in terms
            if t.language == source_language
            and t.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)
        ]
        used = next(
            (t for t in source_terms if contains(source_stems, stems(t.text, source_language))),
            None,
        )
        if used is None:
            continue
        if used.do_not_translate:
            if used.text.casefold() not in target_text.casefold():
                issues.append(Issue("untranslated", used.text))
            continue
        if good and not any(contains(target_stems, stems(t.text, target_language)) for t in good):
            issues.append(
                Issue(
                    "missing",
                    used.text,
                    tuple(t.text for t in good if t.status == TermStatus.PREFERRED)
                    or tuple(t.text for t in good),
                )
            )
    return issues


def highlight(
    *, concepts: list[Concept], text: str, source_language: str, target_language: str
) -> list[tuple[str, str]]:
    """``text`` cut into pieces, each with the glossary's advice for it ("" for plain text):
    a term of the source and how the termbase renders it in the target language."""
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    stemmer = _stemmer(source_language)
    words = [t[2].casefold() for t in tokens]
    token_stems = stemmer.stemWords(words) if stemmer else words
    spans: list[tuple[int, int, str]] = []
    for concept in concepts:
        terms = list(concept.terms.all())
        wanted = [
            t.text
            for t in terms
            if t.language == target_language
            and t.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)
        ]
        avoid = [
            t.text
            for t in terms
            if t.language == target_language
            and t.status in (TermStatus.FORBIDDEN, TermStatus.DEPRECATED)
        ]
        for term in terms:
            if term.language != source_language or term.status in (
                TermStatus.FORBIDDEN,
                TermStatus.DEPRECATED,
            ):
                continue
            term_stems = stems(term.text, source_language)
            n = len(term_stems)
            for i in range(len(token_stems) - n + 1):
                if n and token_stems[i : i + n] == term_stems:
                    if term.do_not_translate:
                        advice = _("“%(term)s”: do not translate") % {"term": term.text}
                    else:
                        advice = " / ".join(wanted) or "—"
                        if avoid:
                            advice += " · " + _("not: %(terms)s") % {"terms": ", ".join(avoid)}
                    spans.append((tokens[i][0], tokens[i + n - 1][1], advice))
    # Longest first where terms overlap ("Grande Région" before "Région").
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    pieces: list[tuple[str, str]] = []
    position = 0
    for start, end, advice in spans:
        if start < position:
            continue
        if start > position:
            pieces.append((text[position:start], ""))
        pieces.append((text[start:end], advice))
        position = end
    if position < len(text):
        pieces.append((text[position:], ""))
    return pieces


# TBX --------------------------------------------------------------------------------------------

STATUS_FROM_TBX = {
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.DEPRECATED,
    "supersededterm-admn-sts": TermStatus.FORBIDDEN,
    "forbidden": TermStatus.FORBIDDEN,
}
STATUS_TO_TBX = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    TermStatus.FORBIDDEN: "supersededTerm-admn-sts",
}


@dataclass
class GlossaryReport:
    concepts: int = 0  # added
    terms: int = 0  # added, to new concepts or to known ones
    updated: int = 0  # known concepts that the file changed
    unchanged: int = 0  # known concepts the file had nothing new for
    unknown_languages: set[str] = field(default_factory=set)
    error: str = ""

    def summary(self) -> str:
        """What the import did, in a sentence."""
        return summarise(self.concepts, self.terms, self.updated, self.unchanged)


def summarise(concepts: int, terms: int, updated: int, unchanged: int) -> str:
    return _("%(added)s, %(updated)s, %(unchanged)s; %(terms)s in all.") % {
        "added": ngettext("%(count)s concept added", "%(count)s concepts added", concepts)
        % {"count": concepts},
        "updated": ngettext(
            "%(count)s known concept updated", "%(count)s known concepts updated", updated
        )
        % {"count": updated},
        "unchanged": ngettext(
            "%(count)s concept already there", "%(count)s concepts already there", unchanged
        )
        % {"count": unchanged},
        "terms": ngettext("%(count)s new term", "%(count)s new terms", terms) % {"count": terms},
    }


@dataclass
class _Entry:
    """A concept as read from TBX; a term's status is None when the file does not say it."""

    external_id: str
    note: str
    terms: list[tuple[str, str, str | None, bool]]  # language, text, status, do not translate


def _elements(element: etree._Element) -> list[etree._Element]:
    """The elements inside ``element`` (processing instructions and the like left out)."""
    return [child for child in element.iter() if isinstance(child.tag, str)]


def _tbx_entry(entry: etree._Element, languages: list[str], report: GlossaryReport) -> _Entry:
    notes = [
        safe_xml.text_of(d).strip()
        for d in entry
        if safe_xml.local(d.tag) in ("descrip", "note")
        and d.get("type", "definition") in ("definition", "note", "")
    ]
    terms: list[tuple[str, str, str | None, bool]] = []
    for lang_set in (c for c in entry if safe_xml.local(c.tag) in ("langSet", "langSec")):
        language = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").split("-")[0].lower()
        if language not in languages:
            report.unknown_languages.add(language or "?")
            continue
        holders = [c for c in lang_set if safe_xml.local(c.tag) in ("tig", "ntig", "termSec")] or [
            lang_set
        ]
        for holder in holders:
            inside = _elements(holder)
            term_element = next((c for c in inside if safe_xml.local(c.tag) == "term"), None)
            text = safe_xml.text_of(term_element).strip()[:300] if term_element is not None else ""
            if not text:
                continue
            status: str | None = None
            do_not_translate = False
            for note in inside:
                kind = note.get("type", "")
                if kind not in ("administrativeStatus", "Translation needed"):
                    continue  # the text of the others is not read
                value = safe_xml.text_of(note).strip()
                if kind == "administrativeStatus":
                    status = STATUS_FROM_TBX.get(value.casefold(), status)
                elif value.casefold() == "no":
                    do_not_translate = True
            terms.append((language, text, status, do_not_translate))
    return _Entry(entry.get("id", "")[:100], "\n".join(n for n in notes if n), terms)


class _Termbase:
    """The organisation's concepts as an import recognises them: by the identifier they had in
    their source file and by their terms; kept up to date with what the import adds."""

    def __init__(self, organisation: Organisation) -> None:
        self.by_id: dict[str, list[int]] = {}
        self.by_term: dict[tuple[str, str], set[int]] = {}
        concepts = Concept.objects.filter(organisation=organisation).exclude(external_id="")
        for pk, external_id in concepts.values_list("pk", "external_id"):
            self.by_id.setdefault(external_id, []).append(pk)
        for concept_id, language, text in Term.objects.filter(
            concept__organisation=organisation
        ).values_list("concept_id", "language", "text"):
            self.by_term.setdefault((language, text), set()).add(concept_id)

    def find(self, entry: _Entry) -> int | None:
        """The known concept ``entry`` is: the one with its identifier that shares a term
        with it (another file may use the same identifiers for other notions), else one that
        has every term of it in the same languages."""
        keys = {(language, text) for language, text, _status, _dnt in entry.terms}
        for pk in self.by_id.get(entry.external_id, []) if entry.external_id else []:
            if any(pk in self.by_term.get(key, ()) for key in keys):
                return pk
        common: set[int] | None = None
        for key in keys:
            ids = self.by_term.get(key, set())
            common = set(ids) if common is None else common & ids
            if not common:
                return None
        return min(common) if common else None

    def add(self, pk: int, external_id: str, keys: set[tuple[str, str]]) -> None:
        if external_id:
            self.by_id.setdefault(external_id, []).append(pk)
        for key in keys:
            self.by_term.setdefault(key, set()).add(pk)


BATCH = 1000  # concepts held before they are written: a few queries each, memory bounded
LOOKUP = 500  # known concepts read per query (SQLite: 999 parameters at most)


class _Writer:
    """The concepts an import adds and the known ones it completes, written a batch at a time
    (a handful of queries per batch, whatever its size) and counted in the report. With a
    termbase, what is written is added to it."""

    def __init__(self, report: GlossaryReport, termbase: _Termbase | None = None) -> None:
        self.report = report
        self.termbase = termbase
        self.new: list[tuple[Concept, list[Term], set[tuple[str, str]]]] = []
        self.new_ids: set[str] = set()
        self.new_keys: set[tuple[str, str]] = set()
        self.merges: list[tuple[int, _Entry]] = []

    def waiting_for(self, entry: _Entry) -> bool:
        """Whether ``entry`` could be one of the concepts not written yet (the termbase can
        only recognise written ones)."""
        return bool(entry.external_id and entry.external_id in self.new_ids) or any(
            (language, text) in self.new_keys for language, text, _status, _dnt in entry.terms
        )

    def create(self, concept: Concept, terms: list[Term]) -> None:
        """Add a concept with its terms, each (language, text) once."""
        kept: dict[tuple[str, str], Term] = {}
        for term in terms:
            kept.setdefault((term.language, term.text), term)
        self.new.append((concept, list(kept.values()), set(kept)))
        if concept.external_id:
            self.new_ids.add(concept.external_id)
        self.new_keys.update(kept)
        self.report.terms += len(kept)
        self.report.concepts += 1
        self._maybe_flush()

    def merge(self, pk: int, entry: _Entry) -> None:
        """Bring the known concept ``pk`` up to date with ``entry``: its new terms added, the
        statuses the file states and its definition taken; nothing the file lacks is removed.
        Counted as updated or unchanged."""
        self.merges.append((pk, entry))
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.new) + len(self.merges) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.merges:
            self._write_merges()
        if self.new:
            self._write_new()

    def _write_merges(self) -> None:
        ids = sorted({pk for pk, _entry in self.merges})
        concepts: dict[int, Concept] = {}
        for start in range(0, len(ids), LOOKUP):
            chosen = Concept.objects.filter(pk__in=ids[start : start + LOOKUP])
            concepts.update((c.pk, c) for c in chosen.prefetch_related("terms"))
        known = {
            pk: {(t.language, t.text): t for t in concept.terms.all()}
            for pk, concept in concepts.items()
        }
        added: list[Term] = []
        changed_terms: dict[int, Term] = {}
        changed_concepts: dict[int, Concept] = {}
        for pk, entry in self.merges:
            concept = concepts.get(pk)
            if concept is None:
                continue  # deleted while the file was read: nothing to complete
            terms = known[pk]
            changed = False
            for language, text, status, do_not_translate in entry.terms:
                term = terms.get((language, text))
                if term is None:
                    term = Term(
                        concept=concept,
                        language=language,
                        text=text,
                        status=status or TermStatus.PREFERRED,
                        do_not_translate=do_not_translate,
                    )
                    terms[(language, text)] = term
                    added.append(term)
                    self.report.terms += 1
                    changed = True
                    continue
                wanted = (status or term.status, do_not_translate or term.do_not_translate)
                if (term.status, term.do_not_translate) != wanted:
                    term.status, term.do_not_translate = wanted
                    if term.pk is not None:  # else it is still to be inserted, as it is now
                        changed_terms[term.pk] = term
                    changed = True
            if entry.note and entry.note != concept.note:
                concept.note = entry.note
                changed_concepts[pk] = concept
                changed = True
            if changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        Term.objects.bulk_create(added)
        Term.objects.bulk_update(changed_terms.values(), ["status", "do_not_translate"])
        Concept.objects.bulk_update(changed_concepts.values(), ["note"])
        self.merges = []

    def _write_new(self) -> None:
        concepts = [concept for concept, _terms, _keys in self.new]
        if connection.features.can_return_rows_from_bulk_insert:
            Concept.objects.bulk_create(concepts)  # their ids read back
        else:
            for concept in concepts:
                concept.save()
        terms = []
        for concept, kept, keys in self.new:
            for term in kept:
                term.concept = concept
                terms.append(term)
            if self.termbase is not None:
                self.termbase.add(concept.pk, concept.external_id, keys)
        Term.objects.bulk_create(terms)
        self.new, self.new_ids, self.new_keys = [], set(), set()


class _Stop(Exception):
    """Raised inside the import's transaction to undo it; carries the message."""


def tbx_import(*, organisation: Organisation, file: IO[bytes]) -> GlossaryReport:
    """Import TBX (2 and 3, multilingual entries read in full); languages outside the working
    languages are reported and left out. A concept already in the termbase (the same
    identifier and a term in common, or all its terms) is not added again but completed:
    counted as updated or unchanged. The file is read one entry at a time and written a
    thousand concepts at a time in one transaction; when it turns out to be unacceptable
    (``report.error``), nothing of it is kept."""
    report = GlossaryReport()
    termbase = _Termbase(organisation)
    writer = _Writer(report, termbase)
    try:
        with transaction.atomic():
            tbx = False
            for event, element in safe_xml.stream(
                file, kind="tbx", roots=("martif", "tbx"), units=("termEntry", "conceptEntry")
            ):
                if event == safe_xml.START:
                    tbx = True
                    continue
                entry = _tbx_entry(element, organisation.languages, report)
                if not entry.terms:
                    continue
                if writer.waiting_for(entry):
                    writer.flush()
                found = termbase.find(entry)
                if found is not None:
                    writer.merge(found, entry)
                    termbase.add(found, "", {(lang, text) for lang, text, _s, _d in entry.terms})
                else:
                    writer.create(
                        Concept(
                            organisation=organisation,
                            external_id=entry.external_id,
                            note=entry.note,
                        ),
                        [
                            Term(
                                language=language,
                                text=text,
                                status=status or TermStatus.PREFERRED,
                                do_not_translate=do_not_translate,
                            )
                            for language, text, status, do_not_translate in entry.terms
                        ],
                    )
            if not tbx:
                raise _Stop(
                    _("This is not a TBX file (its root element is neither <martif> nor <tbx>).")
                )
            writer.flush()
    except (safe_xml.XmlError, _Stop) as error:
        return GlossaryReport(error=str(error))
    return report


def tbx_export(*, organisation: Organisation) -> bytes:
    root = etree.Element("martif", type="TBX", **{XML_LANG: organisation.default_language})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source = etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p")
    source.text = f"Secretariat — {organisation.short_name}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept in Concept.objects.filter(organisation=organisation).prefetch_related("terms"):
        entry = etree.SubElement(body, "termEntry", id=concept.external_id or f"c{concept.pk}")
        if concept.note:
            note = etree.SubElement(entry, "descrip", type="definition")
            note.text = concept.note
        by_language: dict[str, list[Term]] = {}
        for term in concept.terms.all():
            by_language.setdefault(term.language, []).append(term)
        for language, terms in by_language.items():
            lang_set = etree.SubElement(entry, "langSet", {XML_LANG: language})
            for term in terms:
                tig = etree.SubElement(lang_set, "tig")
                element = etree.SubElement(tig, "term")
                element.text = term.text
                status = etree.SubElement(tig, "termNote", type="administrativeStatus")
                status.text = STATUS_TO_TBX[TermStatus(term.status)]
                if term.do_not_translate:
                    needed = etree.SubElement(tig, "descrip", type="Translation needed")
                    needed.text = "No"
    buffer = io.BytesIO()
    etree.ElementTree(root).write(buffer, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return buffer.getvalue()


def csv_export(*, organisation: Organisation) -> bytes:
    """The glossary as CSV, one row per term, in the columns ``csv_import`` reads back."""
    from secretariat.core import tables

    concepts = Concept.objects.filter(organisation=organisation).prefetch_related("terms")
    return tables.write_csv(
        CSV_COLUMNS,
        (
            [
                concept.pk,
                term.language,
                term.text,
                term.status,
                "yes" if term.do_not_translate else "",
                concept.note,
            ]
            for concept in concepts
            for term in concept.terms.all()
        ),
    )


CSV_COLUMNS = ["concept", "language", "term", "status", "do_not_translate", "note"]


def csv_import(*, organisation: Organisation, file: IO[bytes], name: str = "") -> GlossaryReport:
    """Rows of (concept key, language, term, status, do not translate, note), as exported; a
    concept whose terms are all known already is skipped, so re-importing adds nothing. Any
    error: nothing is imported."""
    from secretariat.core import tables

    report = GlossaryReport()
    try:
        table = tables.read_table(file, name)
    except tables.TableError as error:
        report.error = str(error)
        return report
    problems = tables.check_columns(
        table, required=["concept", "language", "term"], allowed=[*CSV_COLUMNS, "domain"]
    )
    if problems:
        report.error = " ".join(problems)
        return report
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for index, row in enumerate(table.rows, start=2):
        key = (row.get("concept") or "").strip()
        if not key and not (row.get("term") or "").strip():
            continue  # an empty line
        grouped.setdefault(key or f"row-{index}", []).append((index, row))
    known = set(
        Term.objects.filter(concept__organisation=organisation).values_list("language", "text")
    )
    errors = []
    plans: list[tuple[Concept, list[Term]]] = []
    for rows in grouped.values():
        concept = Concept(organisation=organisation)
        terms: list[Term] = []
        for index, row in rows:
            language = (row.get("language") or "").strip().lower()
            text = (row.get("term") or "").strip()
            status = (row.get("status") or "preferred").strip().lower()
            if language not in organisation.languages:
                report.unknown_languages.add(language or "?")
                continue
            if not text:
                errors.append(_("Row %(row)s: the term is empty.") % {"row": index})
                continue
            if status not in TermStatus.values:
                errors.append(
                    _("Row %(row)s: unknown status “%(status)s”; use %(allowed)s.")
                    % {"row": index, "status": status, "allowed": ", ".join(TermStatus.values)}
                )
                continue
            concept.note = concept.note or (row.get("note") or "").strip()
            concept.domain = concept.domain or (row.get("domain") or "").strip()[:100]
            terms.append(
                Term(
                    language=language,
                    text=text[:300],
                    status=status,
                    do_not_translate=(row.get("do_not_translate") or "").strip().lower()
                    in ("yes", "y", "1", "true", "x", "oui", "ja"),
                )
            )
        if terms and not all((t.language, t.text) in known for t in terms):
            plans.append((concept, terms))
        elif terms:
            report.unchanged += 1
    if errors:
        report.error = " ".join(errors[:20])
        return report
    writer = _Writer(report)
    with transaction.atomic():
        for concept, terms in plans:
            writer.create(concept, terms)
        writer.flush()
    return report


def glossary_import(
    *, organisation: Organisation, file: IO[bytes], name: str, by: Any
) -> GlossaryReport:
    """A TBX file or a CSV/Excel table, told apart by name or content; recorded in the
    organisation's history when anything was read."""
    head = file.read(512)
    file.seek(0)
    if name.lower().endswith((".tbx", ".xml")) or safe_xml.looks_like_xml(head):
        report = tbx_import(organisation=organisation, file=file)
    else:
        report = csv_import(organisation=organisation, file=file, name=name)
    if not report.error:
        audit.record(
            by=by,
            action="import",
            obj=organisation,
            changes={
                "glossary": [
                    name,
                    f"{report.concepts} / {report.terms} / {report.updated} / {report.unchanged}",
                ]
            },
        )
    return report


CONCEPT_FIELDS = ["note", "domain", "valid_from", "valid_until", "external_id"]


def _language_rank(organisation: Organisation, language: str) -> tuple[int, str]:
    languages = organisation.languages
    return (languages.index(language) if language in languages else len(languages), language)


def _concept_state(
    concept: Concept, terms: Sequence[tuple[str, str, str]], do_not_translate: bool
) -> dict[str, Any]:
    """A concept as its history keeps it: its fields, its terms by status and language (the
    keys are the statuses), and whether it is translated."""
    state: dict[str, Any] = audit.snapshot(concept, CONCEPT_FIELDS)
    by_status: dict[str, dict[str, list[str]]] = {status: {} for status in TermStatus.values}
    for language, text, status in sorted(
        terms, key=lambda t: _language_rank(concept.organisation, t[0])
    ):
        by_status[status].setdefault(language, []).append(text)
    return state | by_status | {"do_not_translate": do_not_translate}


def concept_save(
    *,
    organisation: Organisation,
    concept: Concept | None,
    terms: list[tuple[str, str, str]],
    by: User | None,
    do_not_translate: bool = False,
    note: str = "",
    domain: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Concept:
    """Create or replace a concept with its terms: (language, text, status). Recorded in the
    organisation's history with what changed; a concept saved unchanged writes nothing."""
    from django.core.exceptions import ValidationError

    kept = [(lang, text.strip()[:300], status) for lang, text, status in terms if text.strip()]
    if not kept:
        raise ValidationError(_("Give at least one term."))
    for lang, _text, status in kept:
        if lang not in organisation.languages:
            raise ValidationError(
                _("“%(language)s” is not a working language.") % {"language": lang}
            )
        if status not in TermStatus.values:
            raise ValidationError(_("Unknown status “%(status)s”.") % {"status": status})
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(_("The end of validity is before its start."))
    # The first of a language's duplicates is the one kept, in the order given.
    seen: set[tuple[str, str]] = set()
    unique = []
    for lang, text, status in kept:
        if (lang, text) not in seen:
            seen.add((lang, text))
            unique.append((lang, text, status))
    with transaction.atomic():
        created = concept is None
        concept = concept or Concept(organisation=organisation)
        before = (
            {}
            if created
            else _concept_state(
                concept,
                [(t.language, t.text, t.status) for t in concept.terms.order_by("id")],
                any(t.do_not_translate for t in concept.terms.all()),
            )
        )
        concept.note, concept.domain = note, domain
        concept.valid_from, concept.valid_until = valid_from, valid_until
        changes = audit.diff(before, _concept_state(concept, unique, do_not_translate))
        if not created and not changes:
            return concept
        concept.save()
        concept.terms.all().delete()
        Term.objects.bulk_create(
            Term(
                concept=concept,
                language=lang,
                text=text,
                status=status,
                do_not_translate=do_not_translate,
            )
            for lang, text, status in unique
        )
        audit.record(
            by=by,
            action="create" if created else "update",
            obj=concept,
            changes=changes,
            within=organisation,
        )
    return concept


def concept_delete(*, concept: Concept, by: User | None) -> None:
    """Delete a concept and its terms; the organisation's history keeps what it said."""
    organisation = concept.organisation
    terms: dict[str, list[str]] = {}
    for term in sorted(concept.terms.all(), key=lambda t: _language_rank(organisation, t.language)):
        terms.setdefault(term.language, []).append(term.text)
    with transaction.atomic():
        audit.record(
            by=by,
            action="delete",
            obj=concept,
            changes={"terms": terms, **audit.snapshot(concept, CONCEPT_FIELDS)},
            within=organisation,
        )
        concept.delete()


def check_pairs(
    organisation: Organisation, pairs: Sequence[tuple[str, str, str, str]]
) -> list[list[str]]:
    """The termbase check for ``core.text_checks``: one query, every pair."""
    if not pairs:
        return []
    concepts = concepts_valid(organisation)
    if not concepts:
        return [[] for _pair in pairs]
    return [
        [
            issue.message()
            for issue in check(
                concepts=concepts,
                source_language=sl,
                source_text=st,
                target_language=tl,
                target_text=tt,
            )
        ]
        for sl, st, tl, tt in pairs
    ]
