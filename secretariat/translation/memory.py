"""The organisation's translation memory: built from its reviewed translations and from TMX
imports; exact and fuzzy matches per sentence, with their score and origin; TMX export."""

import io
import re
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from rapidfuzz import fuzz, process

from secretariat.core import bulk
from secretariat.core.models import Organisation
from secretariat.translation import safe_xml, segments
from secretariat.translation.models import MemoryOrigin, MemoryUnit

FUZZY_THRESHOLD = 70.0


@dataclass(frozen=True)
class Match:
    score: float  # 100 for an exact match
    source: str
    target: str
    origin: str
    note: str


def _pairs(source: str, target: str) -> list[tuple[str, str]]:
    """Sentence pairs of a translated text: aligned one to one when both have as many
    sentences, else the whole text as one unit."""
    left, right = segments.split(source), segments.split(target)
    if left and len(left) == len(right):
        return list(zip(left, right, strict=True))
    return [(source.strip(), target.strip())] if source.strip() and target.strip() else []


BATCH = 1000  # units held before they are written: one or two queries each, memory bounded


class _Writer:
    """Sentence pairs written to the memory in batches: a pair whose keys are known already
    (stored before, or earlier in the batch) is left out, the others are inserted together, in
    the order they came, and counted."""

    COLUMNS = (
        "source_language",
        "target_language",
        "source_key",
        "target_key",
        "source_text",
        "target_text",
    )

    def __init__(self, *, organisation: Organisation, origin: str, note: str) -> None:
        self.organisation = organisation
        self.origin = origin
        self.note = note[:300]
        # (source language, target language, source key, target key) -> (source, target)
        self.pending: dict[tuple[str, str, str, str], tuple[str, str]] = {}
        self.added = 0
        self.directions: set[tuple[str, str]] = set()

    def add(self, *, source_language: str, target_language: str, source: str, target: str) -> None:
        for left, right in _pairs(source, target):
            key = (source_language, target_language, segments.key(left), segments.key(right))
            self.pending.setdefault(key, (left, right))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        # Known units, stored before (or by another request meanwhile), are left out by the
        # unique constraint and not counted.
        rows = [(*key, *texts) for key, texts in self.pending.items()]
        added = bulk.insert_new(
            MemoryUnit,
            rows,
            names=self.COLUMNS,
            same={
                "organisation": self.organisation.pk,
                "origin": self.origin,
                "note": self.note,
                "created_at": timezone.now(),
            },
        )
        if added:
            self.added += added
            self.directions.update((row[0], row[1]) for row in rows)
        self.pending = {}

    def close(self) -> int:
        """Write what is left; how many units were new."""
        self.flush()
        for source_language, target_language in self.directions:
            _cache.forget(self.organisation.pk, source_language, target_language)
        return self.added


def memory_add(
    *,
    organisation: Organisation,
    source_language: str,
    target_language: str,
    source: str,
    target: str,
    origin: str,
    note: str = "",
) -> int:
    """Add the sentence pairs of a translation; returns how many were new."""
    writer = _Writer(organisation=organisation, origin=origin, note=note)
    writer.add(
        source_language=source_language,
        target_language=target_language,
        source=source,
        target=target,
    )
    return writer.close()


# Lookup -----------------------------------------------------------------------------------------


TOKEN = re.compile(r"\w+")
RARE_TOKENS = 3  # a close match shares at least one of the query's rarest words
MAX_CANDIDATES = 20_000


@dataclass
class _Direction:
    latest: int
    texts: list[str]
    ids: list[int]
    postings: dict[str, array]

    def candidates(self, query: str) -> list[int] | None:
        """Indices of the sources sharing one of the query's rarest words; None when the
        query has only common words (the caller then compares with everything)."""
        tokens = {t for t in TOKEN.findall(query) if len(t) > 2}
        known = sorted((len(self.postings[t]), t) for t in tokens if t in self.postings)
        if not known:
            return []  # no word in common with anything: nothing can be close
        chosen: set[int] = set()
        for _size, token in known[:RARE_TOKENS]:
            chosen.update(self.postings[token])
        if len(chosen) > MAX_CANDIDATES:
            return None
        return sorted(chosen)


class _Candidates:
    """The sources of one memory direction, held in this process with a word index for fuzzy
    matching; reloaded when units were added (here or, seen by the newest id, elsewhere)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[tuple[int, str, str], _Direction] = {}

    def forget(self, organisation_id: int, source: str, target: str) -> None:
        with self._lock:
            self._data.pop((organisation_id, source, target), None)

    def get(self, organisation_id: int, source: str, target: str) -> _Direction:
        key = (organisation_id, source, target)
        units = MemoryUnit.objects.filter(
            organisation_id=organisation_id, source_language=source, target_language=target
        )
        latest = units.order_by("-id").values_list("id", flat=True).first() or 0
        with self._lock:
            cached = self._data.get(key)
            if cached is not None and cached.latest == latest:
                return cached
        texts: list[str] = []
        ids: list[int] = []
        postings: dict[str, array] = {}
        for index, (pk, text) in enumerate(
            units.values_list("id", "source_text").iterator(chunk_size=5000)
        ):
            normal = segments.normalise(text)
            texts.append(normal)
            ids.append(pk)
            for token in {t for t in TOKEN.findall(normal) if len(t) > 2}:
                postings.setdefault(token, array("I")).append(index)
        direction = _Direction(latest, texts, ids, postings)
        with self._lock:
            self._data[key] = direction
        return direction


_cache = _Candidates()


def lookup(
    *,
    organisation: Organisation,
    source_language: str,
    target_language: str,
    text: str,
    limit: int = 5,
    threshold: float = FUZZY_THRESHOLD,
) -> list[Match]:
    """Matches for one sentence: exact ones first (score 100), then the closest fuzzy ones."""
    units = MemoryUnit.objects.filter(
        organisation=organisation, source_language=source_language, target_language=target_language
    )
    exact = list(units.filter(source_key=segments.key(text)).order_by("-created_at", "-id")[:limit])
    found = [Match(100.0, u.source_text, u.target_text, u.origin, u.note) for u in exact]
    if found:
        return found  # with an exact match, near ones add nothing a translator uses
    direction = _cache.get(organisation.pk, source_language, target_language)
    wanted = segments.normalise(text)
    subset = direction.candidates(wanted)
    pool: Any = direction.texts if subset is None else [direction.texts[i] for i in subset]
    index_of: Any = range(len(direction.texts)) if subset is None else subset
    best = process.extract(wanted, pool, scorer=fuzz.ratio, limit=limit, score_cutoff=threshold)
    chosen = [(direction.ids[index_of[index]], score) for _text, score, index in best]
    rows = {u.pk: u for u in MemoryUnit.objects.filter(pk__in=[pk for pk, _score in chosen])}
    for pk, score in chosen:
        unit = rows.get(pk)
        if unit is not None and len(found) < limit:
            found.append(
                Match(
                    round(min(score, 99.9), 1),
                    unit.source_text,
                    unit.target_text,
                    unit.origin,
                    unit.note,
                )
            )
    return found


def suggest(
    *, organisation: Organisation, source_language: str, target_language: str, text: str
) -> tuple[str, float]:
    """A translation of a whole text from the memory, sentence by sentence, and how much of it
    (in words) came from exact matches; sentences without a match stay in the source."""
    parts = []
    matched_words = total_words = 0
    for sentence in segments.split(text):
        words = len(sentence.split())
        total_words += words
        matches = lookup(
            organisation=organisation,
            source_language=source_language,
            target_language=target_language,
            text=sentence,
            limit=1,
            threshold=100,
        )
        if matches:
            parts.append(matches[0].target)
            matched_words += words
        else:
            parts.append(sentence)
    return " ".join(parts), (matched_words / total_words if total_words else 0.0)


# TMX --------------------------------------------------------------------------------------------

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class TmxReport:
    units: int = 0
    added: int = 0
    skipped_languages: set[str] | None = None
    error: str = ""


def _language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


class _Stop(Exception):
    """Raised inside the import's transaction to undo it; carries the message."""


def _variants(tu: etree._Element, languages: list[str], report: TmxReport) -> dict[str, str]:
    """The text of a translation unit in each working language."""
    variants: dict[str, str] = {}
    for tuv in tu:
        if safe_xml.local(tuv.tag) != "tuv":
            continue
        lang = _language(tuv.get(XML_LANG) or tuv.get("lang") or "")
        seg = next((child for child in tuv if safe_xml.local(child.tag) == "seg"), None)
        if seg is None:
            continue
        text = safe_xml.text_of(seg).strip()
        if lang in languages and text:
            variants[lang] = text
        elif lang:
            report.skipped_languages.add(lang)  # type: ignore[union-attr]
    return variants


def tmx_import(*, organisation: Organisation, file: IO[bytes], name: str = "") -> TmxReport:
    """Import every pair of working languages found in the translation units (both directions).
    The file is read as it is stored, one unit at a time, and written a thousand units at a
    time in one transaction; when it turns out to be unacceptable (``report.error``), nothing
    of it is kept."""
    report = TmxReport(skipped_languages=set())
    languages = organisation.languages
    writer = _Writer(organisation=organisation, origin=MemoryOrigin.TMX, note=name)
    try:
        with transaction.atomic():
            tmx = False
            for event, element in safe_xml.stream(file, kind="tmx", roots=("tmx",), units=("tu",)):
                if event == safe_xml.START:
                    tmx = True
                    continue
                report.units += 1
                variants = _variants(element, languages, report)
                for source, source_text in variants.items():
                    for target, target_text in variants.items():
                        if source != target:
                            writer.add(
                                source_language=source,
                                target_language=target,
                                source=source_text,
                                target=target_text,
                            )
            if not tmx:
                raise _Stop(_("This is not a TMX file (its root element is not <tmx>)."))
            report.added = writer.close()
    except (safe_xml.XmlError, _Stop) as error:
        report.error = str(error)
        report.units = report.added = 0
        report.skipped_languages = set()
    return report


def memory_import(*, organisation: Organisation, file: IO[bytes], name: str, by: Any) -> TmxReport:
    """``tmx_import``, recorded in the organisation's history."""
    from secretariat.core import audit

    report = tmx_import(organisation=organisation, file=file, name=name)
    if not report.error:
        audit.record(
            by=by,
            action="import",
            obj=organisation,
            changes={"memory": [name, f"{report.units} / {report.added}"]},
        )
    return report


def tmx_export(*, organisation: Organisation, units: Iterable[MemoryUnit] | None = None) -> bytes:
    """The memory as TMX 1.4 (UTF-8): one translation unit per stored pair."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="Secretariat",
        creationtoolversion="1",
        segtype="sentence",
        datatype="plaintext",
        adminlang="en",
        srclang="*all*",
        **{"o-tmf": "Secretariat"},
    )
    body = etree.SubElement(root, "body")
    for unit in (
        units
        if units is not None
        else MemoryUnit.objects.filter(organisation=organisation).order_by("id").iterator()
    ):
        tu = etree.SubElement(
            body,
            "tu",
            srclang=unit.source_language,
            creationdate=unit.created_at.strftime("%Y%m%dT%H%M%SZ"),
        )
        if unit.note:
            note = etree.SubElement(tu, "note")
            note.text = unit.note
        for lang, text in (
            (unit.source_language, unit.source_text),
            (unit.target_language, unit.target_text),
        ):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            seg = etree.SubElement(tuv, "seg")
            seg.text = text
    buffer = io.BytesIO()
    etree.ElementTree(root).write(buffer, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return buffer.getvalue()
