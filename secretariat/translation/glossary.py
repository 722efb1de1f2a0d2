"""The termbase: concepts with terms per language (preferred, admitted, deprecated, forbidden,
do-not-translate), validity dates; TBX and CSV exchange; and the check of a translation
against it, on inflected forms (Snowball stemmers: "des Vorstands" is the Vorstand)."""

import csv
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
    concepts: int = 0
    terms: int = 0
    unknown_languages: set[str] = field(default_factory=set)
    error: str = ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if safe_xml.local(child.tag) == name]


def tbx_import(*, organisation: Organisation, file: IO[bytes]) -> GlossaryReport:
    """Import TBX (2 and 3, multilingual entries read in full); languages outside the working
    languages are reported and left out."""
    report = GlossaryReport()
    try:
        root = safe_xml.parse(file)
    except safe_xml.XmlError as error:
        report.error = str(error)
        return report
    if safe_xml.local(root.tag) not in ("martif", "tbx"):
        report.error = _("This is not a TBX file (its root element is neither <martif> nor <tbx>).")
        return report
    entries = _children(root, "termEntry") + _children(root, "conceptEntry")
    with transaction.atomic():
        for entry in entries:
            concept = Concept(organisation=organisation, external_id=entry.get("id", "")[:100])
            notes = [
                ("".join(d.itertext())).strip()
                for d in entry
                if safe_xml.local(d.tag) in ("descrip", "note")
                and d.get("type", "definition") in ("definition", "note", "")
            ]
            concept.note = "\n".join(n for n in notes if n)
            terms: list[Term] = []
            for lang_set in (
                c
                for c in entry
                if safe_xml.local(c.tag) == "langSet" or safe_xml.local(c.tag) == "langSec"
            ):
                language = (
                    (lang_set.get(XML_LANG) or lang_set.get("lang") or "").split("-")[0].lower()
                )
                if language not in organisation.languages:
                    report.unknown_languages.add(language or "?")
                    continue
                holders = [
                    c for c in lang_set if safe_xml.local(c.tag) in ("tig", "ntig", "termSec")
                ] or [lang_set]
                for holder in holders:
                    term_element = next(
                        (c for c in holder.iter() if safe_xml.local(c.tag) == "term"), None
                    )
                    if term_element is None or not "".join(term_element.itertext()).strip():
                        continue
                    status = TermStatus.PREFERRED
                    do_not_translate = False
                    for note in holder.iter():
                        kind = note.get("type", "")
                        value = "".join(note.itertext()).strip()
                        if kind == "administrativeStatus":
                            status = STATUS_FROM_TBX.get(value.casefold(), status)
                        elif kind == "Translation needed" and value.casefold() == "no":
                            do_not_translate = True
                    terms.append(
                        Term(
                            language=language,
                            text="".join(term_element.itertext()).strip()[:300],
                            status=status,
                            do_not_translate=do_not_translate,
                        )
                    )
            if not terms:
                continue
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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["concept", "language", "term", "status", "do_not_translate", "note"])
    for concept in Concept.objects.filter(organisation=organisation).prefetch_related("terms"):
        for term in concept.terms.all():
            writer.writerow(
                [
                    concept.pk,
                    term.language,
                    term.text,
                    term.status,
                    "yes" if term.do_not_translate else "",
                    concept.note,
                ]
            )
    return "\ufeff".encode() + buffer.getvalue().encode()


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
