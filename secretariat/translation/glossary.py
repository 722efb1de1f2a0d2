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
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from secretariat.core.models import Organisation
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
                value = safe_xml.text_of(note).strip()
                if kind == "administrativeStatus":
                    status = STATUS_FROM_TBX.get(value.casefold(), status)
                elif kind == "Translation needed" and value.casefold() == "no":
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

    def add(self, concept: Concept, keys: set[tuple[str, str]]) -> None:
        if concept.external_id:
            self.by_id.setdefault(concept.external_id, []).append(concept.pk)
        for key in keys:
            self.by_term.setdefault(key, set()).add(concept.pk)


def _merge(concept: Concept, entry: _Entry, report: GlossaryReport) -> bool:
    """Bring a known concept up to date with the file: its new terms added, the statuses the
    file states and its definition taken; nothing the file lacks is removed. Whether it
    changed."""
    known = {(t.language, t.text): t for t in concept.terms.all()}
    changed = False
    for language, text, status, do_not_translate in entry.terms:
        term = known.get((language, text))
        if term is None:
            term = Term.objects.create(
                concept=concept,
                language=language,
                text=text,
                status=status or TermStatus.PREFERRED,
                do_not_translate=do_not_translate,
            )
            known[(language, text)] = term
            report.terms += 1
            changed = True
            continue
        wanted = (status or term.status, do_not_translate or term.do_not_translate)
        if (term.status, term.do_not_translate) != wanted:
            term.status, term.do_not_translate = wanted
            term.save(update_fields=["status", "do_not_translate"])
            changed = True
    if entry.note and entry.note != concept.note:
        concept.note = entry.note
        concept.save(update_fields=["note"])
        changed = True
    return changed


class _Stop(Exception):
    """Raised inside the import's transaction to undo it; carries the message."""


def tbx_import(*, organisation: Organisation, file: IO[bytes]) -> GlossaryReport:
    """Import TBX (2 and 3, multilingual entries read in full); languages outside the working
    languages are reported and left out. A concept already in the termbase (the same
    identifier and a term in common, or all its terms) is not added again but completed:
    counted as updated or unchanged. When the file turns out to be unacceptable
    (``report.error``), nothing of it is kept."""
    report = GlossaryReport()
    termbase = _Termbase(organisation)
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
                keys = {(language, text) for language, text, _status, _dnt in entry.terms}
                found = termbase.find(entry)
                if found is not None:
                    concept = Concept.objects.get(pk=found)
                    if _merge(concept, entry, report):
                        report.updated += 1
                    else:
                        report.unchanged += 1
                else:
                    concept = Concept(
                        organisation=organisation, external_id=entry.external_id, note=entry.note
                    )
                    _store(
                        concept,
                        [
                            Term(
                                language=language,
                                text=text,
                                status=status or TermStatus.PREFERRED,
                                do_not_translate=do_not_translate,
                            )
                            for language, text, status, do_not_translate in entry.terms
                        ],
                        report,
                    )
                termbase.add(concept, keys)
            if not tbx:
                raise _Stop(
                    _("This is not a TBX file (its root element is neither <martif> nor <tbx>).")
                )
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
    with transaction.atomic():
        for concept, terms in plans:
            _store(concept, terms, report)
    return report


def _store(concept: Concept, terms: list[Term], report: GlossaryReport) -> None:
    """Save a concept and its terms, each (language, text) once."""
    concept.save()
    seen = set()
    for term in terms:
        if (term.language, term.text) in seen:
            continue
        seen.add((term.language, term.text))
        term.concept = concept
        term.save()
        report.terms += 1
    report.concepts += 1


def glossary_import(
    *, organisation: Organisation, file: IO[bytes], name: str, by: Any
) -> GlossaryReport:
    """A TBX file or a CSV/Excel table, told apart by name or content; recorded in the
    organisation's history when anything was read."""
    from secretariat.core import audit

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


def concept_save(
    *,
    organisation: Organisation,
    concept: Concept | None,
    terms: list[tuple[str, str, str]],
    do_not_translate: bool = False,
    note: str = "",
    domain: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Concept:
    """Create or replace a concept with its terms: (language, text, status)."""
    from django.core.exceptions import ValidationError

    kept = [(lang, text.strip(), status) for lang, text, status in terms if text.strip()]
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
    with transaction.atomic():
        concept = concept or Concept(organisation=organisation)
        concept.note, concept.domain = note, domain
        concept.valid_from, concept.valid_until = valid_from, valid_until
        concept.save()
        concept.terms.all().delete()
        seen = set()
        for lang, text, status in kept:
            if (lang, text) in seen:
                continue
            seen.add((lang, text))
            Term.objects.create(
                concept=concept,
                language=lang,
                text=text[:300],
                status=status,
                do_not_translate=do_not_translate,
            )
    return concept


CONCEPT_FIELDS = ["note", "domain", "valid_from", "valid_until", "external_id"]


def concept_delete(*, concept: Concept, by: Any) -> None:
    """Delete a concept and its terms; the organisation's history keeps what it said."""
    from secretariat.core import audit

    organisation = concept.organisation
    terms: dict[str, list[str]] = {}
    for term in sorted(
        concept.terms.all(),
        key=lambda t: (
            organisation.languages.index(t.language)
            if t.language in organisation.languages
            else len(organisation.languages),
            t.language,
        ),
    ):
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
