"""XLIFF packages for translation agencies: export a selection of texts (a meeting's dossier,
any object) as XLIFF 2.0 or 1.2 with stable unit ids, notes and the glossary; import the result,
matching units by id and refusing files that do not match (other languages, unknown ids, changed
sources) with a report; imported texts become human translations carrying their XLIFF state."""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from lxml import etree

from secretariat.core import bulk, text_rules
from secretariat.core.models import AuditEntry, Organisation, TextVersion, User
from secretariat.core.row_ids import parse_id
from secretariat.core.texts import (
    text_review,
    texts_commit_many,
    texts_stage,
    translatable_fields,
    versions_of,
)
from secretariat.translation import glossary, queue, safe_xml, segments

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
REVIEWED_STATES = {"reviewed", "final", "signed-off"}


@dataclass(frozen=True)
class Unit:
    id: str  # "<app.model>:<pk>:<field>", stable across exports
    source: str
    target: str
    note: str
    terms: tuple[tuple[str, str], ...] = ()  # (source term, target term)
    # What the target is (``text_rules.Status``): the agency's tool must tell a reviewed
    # translation from an outdated one or a machine's.
    status: str = text_rules.Status.MISSING


# The segment state of a target, by what it is (XLIFF 2.0: state and subState; 1.2: state and
# state-qualifier). An outdated or machine-made target is offered for work, never as done.
STATES_2_0: dict[str, tuple[str, str]] = {
    text_rules.Status.REVIEWED: ("reviewed", ""),
    text_rules.Status.UNREVIEWED: ("translated", ""),
    text_rules.Status.MACHINE: ("initial", "secretariat:machine"),
    text_rules.Status.OUTDATED: ("initial", "secretariat:outdated"),
}
STATES_1_2: dict[str, tuple[str, str]] = {
    text_rules.Status.REVIEWED: ("signed-off", ""),
    text_rules.Status.UNREVIEWED: ("translated", ""),
    text_rules.Status.MACHINE: ("needs-review-translation", "mt-suggestion"),
    text_rules.Status.OUTDATED: ("needs-translation", ""),
}


def _preserve_breaks(element: etree._Element, text: str) -> None:
    """Line breaks are paragraphs: without xml:space="preserve" a tool may fold them."""
    if "\n" in text or "\r" in text:
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _rows_of(objects: Sequence[models.Model]) -> dict[tuple[int, int], list[TextVersion]]:
    """The language versions of ``objects``: one query per model."""
    by_type: dict[int, list[int]] = {}
    for obj in objects:
        by_type.setdefault(ContentType.objects.get_for_model(obj).pk, []).append(obj.pk)
    rows: dict[tuple[int, int], list[TextVersion]] = {}
    for type_id, ids in by_type.items():
        for row in TextVersion.objects.filter(content_type_id=type_id, object_id__in=ids):
            rows.setdefault((type_id, row.object_id), []).append(row)
    return rows


def units_of(
    objects: Iterable[models.Model], source: str, target: str, organisation: Organisation
) -> list[Unit]:
    """Every translatable field of ``objects`` that has text in the source language."""
    # Each concept's source terms, stemmed once and indexed by their first stem, with the target
    # term to propose: a text is then scanned once, whatever the size of the glossary.
    by_first_stem: dict[str, list[tuple[list[str], tuple[str, str]]]] = {}
    for concept in glossary.concepts_valid(organisation):
        concept_terms = list(concept.terms.all())
        wanted = next(
            (
                t
                for t in concept_terms
                if t.language == target and t.status in ("preferred", "admitted")
            ),
            None,
        )
        if wanted is None:
            continue
        for term in concept_terms:
            term_stems = glossary.stems(term.text, source) if term.language == source else []
            if term_stems:
                by_first_stem.setdefault(term_stems[0], []).append(
                    (term_stems, (term.text, wanted.text))
                )
    objects = list(objects)
    rows = _rows_of(objects)
    out = []
    for obj in objects:
        versions = versions_of(
            obj, rows.get((ContentType.objects.get_for_model(obj).pk, obj.pk), [])
        )
        for name in translatable_fields(type(obj)):
            texts = getattr(obj, name) or {}
            if not (texts.get(source) or "").strip():
                continue
            label = str(getattr(obj._meta.get_field(name), "verbose_name", name))
            terms: list[tuple[str, str]] = []
            if by_first_stem:
                source_stems = glossary.stems(texts[source], source)
                for i, stem in enumerate(source_stems):
                    for term_stems, pair in by_first_stem.get(stem, ()):
                        if (
                            source_stems[i : i + len(term_stems)] == term_stems
                            and pair not in terms
                        ):
                            terms.append(pair)
            out.append(
                Unit(
                    f"{obj._meta.label_lower}:{obj.pk}:{name}",
                    texts[source],
                    texts.get(target, ""),
                    f"{obj} — {label}",
                    tuple(terms),
                    text_rules.status_of(target, versions[name]),
                )
            )
    return out


def units_for(
    organisation: Organisation, unit_ids: Iterable[str], source: str, target: str
) -> list[Unit] | None:
    """The units of a selection of unit ids (a queue, a list from the API), loading the objects
    one query per model; None when an id is not one of the organisation's texts."""
    wanted = set(unit_ids)
    by_label: dict[str, set[int]] = {}
    for unit in wanted:
        parsed = queue.parse_unit(unit)
        if parsed is None:
            return None
        label, pk, name = parsed
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return None
        if name not in translatable_fields(model):
            return None
        by_label.setdefault(label, set()).add(pk)
    objects: list[Any] = []
    for label, pks in sorted(by_label.items()):
        queryset: Any = apps.get_model(label)._default_manager.filter(pk__in=pks)
        queryset = (
            queryset.filter(pk=organisation.pk)
            if label == "core.organisation"
            else queryset.filter(organisation=organisation)
        )
        found = list(queryset.order_by("pk"))
        if len(found) != len(pks):
            return None
        objects.extend(found)
    return [u for u in units_of(objects, source, target, organisation) if u.id in wanted]


def export_xliff2(
    *, units: Sequence[Unit], source: str, target: str, file_id: str, original: str = ""
) -> bytes:
    nsmap = {None: XLIFF2, "gls": GLS}
    root = etree.Element(
        f"{{{XLIFF2}}}xliff", nsmap=nsmap, version="2.0", srcLang=source, trgLang=target
    )
    attributes = {"id": file_id}
    if original:
        attributes["original"] = original
    file_element = etree.SubElement(root, f"{{{XLIFF2}}}file", attributes)
    for unit in units:
        unit_element = etree.SubElement(file_element, f"{{{XLIFF2}}}unit", id=unit.id)
        # Module elements (the glossary) come first, then the notes (XLIFF 2.0 core schema).
        if unit.terms:
            gls = etree.SubElement(unit_element, f"{{{GLS}}}glossary")
            for term, translation in unit.terms:
                entry = etree.SubElement(gls, f"{{{GLS}}}glossEntry")
                term_element = etree.SubElement(entry, f"{{{GLS}}}term")
                term_element.text = term
                translation_element = etree.SubElement(entry, f"{{{GLS}}}translation")
                translation_element.text = translation
        if unit.note:
            notes = etree.SubElement(unit_element, f"{{{XLIFF2}}}notes")
            note = etree.SubElement(notes, f"{{{XLIFF2}}}note")
            note.text = unit.note
        state, sub_state = (
            STATES_2_0.get(unit.status, ("initial", "")) if unit.target else ("initial", "")
        )
        segment = etree.SubElement(unit_element, f"{{{XLIFF2}}}segment", state=state)
        if sub_state:
            segment.set("subState", sub_state)
        source_element = etree.SubElement(segment, f"{{{XLIFF2}}}source")
        source_element.text = unit.source
        _preserve_breaks(source_element, unit.source)
        if unit.target:
            target_element = etree.SubElement(segment, f"{{{XLIFF2}}}target")
            target_element.text = unit.target
            _preserve_breaks(target_element, unit.target)
    buffer = io.BytesIO()
    etree.ElementTree(root).write(buffer, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return buffer.getvalue()


def export_xliff12(*, units: Sequence[Unit], source: str, target: str, original: str) -> bytes:
    root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12}, version="1.2")
    file_element = etree.SubElement(
        root, f"{{{XLIFF12}}}file", original=original, datatype="plaintext"
    )
    file_element.set("source-language", source)
    file_element.set("target-language", target)
    body = etree.SubElement(file_element, f"{{{XLIFF12}}}body")
    for unit in units:
        trans_unit = etree.SubElement(body, f"{{{XLIFF12}}}trans-unit", id=unit.id)
        # XLIFF 1.2 sets xml:space on the unit; its source and target inherit it.
        _preserve_breaks(trans_unit, unit.source + unit.target)
        source_element = etree.SubElement(trans_unit, f"{{{XLIFF12}}}source")
        source_element.text = unit.source
        if unit.target:
            state, qualifier = STATES_1_2.get(unit.status, ("translated", ""))
            target_element = etree.SubElement(trans_unit, f"{{{XLIFF12}}}target", state=state)
            if qualifier:
                target_element.set("state-qualifier", qualifier)
            if unit.status == text_rules.Status.REVIEWED:
                trans_unit.set("approved", "yes")  # what 1.2 tools read as done
            target_element.text = unit.target
        if unit.note:
            note = etree.SubElement(trans_unit, f"{{{XLIFF12}}}note")
            note.text = unit.note
    buffer = io.BytesIO()
    etree.ElementTree(root).write(buffer, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return buffer.getvalue()


def download(
    units: Sequence[Unit], source: str, target: str, name: str, version: str = "2.0"
) -> Any:
    """The package as a file to download: XLIFF 2.0, or 1.2 for older tools."""
    from secretariat.core.views.base import attachment

    if version == "1.2":
        content = export_xliff12(units=units, source=source, target=target, original=name)
    else:
        content = export_xliff2(
            units=units, source=source, target=target, file_id=name, original=name
        )
    return attachment(content, f"{name}.xlf", "application/xliff+xml")


# Import -----------------------------------------------------------------------------------------


@dataclass
class XliffReport:
    imported: int = 0
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (unit id, message)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Parsed:
    source: str
    target: str
    units: list[tuple[str, str, str, str]]  # id, source, target, state


def _unit_2(unit: etree._Element) -> tuple[str, str, str, str]:
    texts_source, texts_target, state = [], [], "initial"
    for segment in (c for c in unit if safe_xml.local(c.tag) == "segment"):
        state = segment.get("state", state)
        for child in segment:
            if safe_xml.local(child.tag) == "source":
                texts_source.append(safe_xml.text_of(child))
            elif safe_xml.local(child.tag) == "target":
                texts_target.append(safe_xml.text_of(child))
    return unit.get("id", ""), " ".join(texts_source), " ".join(texts_target), state


def _unit_1(unit: etree._Element) -> tuple[str, str, str, str]:
    source_text = target_text = ""
    state = "final" if unit.get("approved") == "yes" else "translated"
    for child in unit:
        if safe_xml.local(child.tag) == "source":
            source_text = safe_xml.text_of(child)
        elif safe_xml.local(child.tag) == "target":
            target_text = safe_xml.text_of(child)
            state = "final" if unit.get("approved") == "yes" else child.get("state", state)
    return unit.get("id", ""), source_text, target_text, state


def _read(file: IO[bytes]) -> _Parsed:
    """The languages and units of an XLIFF 2 or 1.2 file, read one unit at a time."""
    version = ""
    languages: tuple[str, str] | None = None
    units: list[tuple[str, str, str, str]] = []
    for event, element in safe_xml.stream(
        file, kind="xliff", roots=("xliff",), starts=("file",), units=("unit", "trans-unit")
    ):
        name = safe_xml.local(element.tag)
        if event == safe_xml.START and not version:  # the root
            version = element.get("version", "") or "?"
            if version.startswith("2"):
                languages = (element.get("srcLang", ""), element.get("trgLang", ""))
            elif not version.startswith("1"):
                raise ValidationError(
                    _("Unsupported XLIFF version “%(version)s”.") % {"version": version}
                )
        elif event == safe_xml.START:
            if version.startswith("1") and languages is None:  # the first <file>
                languages = (
                    element.get("source-language", ""),
                    element.get("target-language", ""),
                )
        elif version.startswith("2") and name == "unit":
            units.append(_unit_2(element))
        elif version.startswith("1") and name == "trans-unit" and languages is not None:
            units.append(_unit_1(element))
    if not version:
        raise ValidationError(_("This is not an XLIFF file."))
    if languages is None:
        raise ValidationError(_("The XLIFF file has no <file> element."))
    source, target = languages
    return _Parsed(source.split("-")[0].lower(), target.split("-")[0].lower(), units)


def _resolve(organisation: Organisation, unit_id: str) -> tuple[Any, str] | None:
    try:
        label, text, name = unit_id.rsplit(":", 2)
        model = apps.get_model(label)
    except (ValueError, LookupError):
        return None
    pk = parse_id(text)
    if name not in translatable_fields(model) or pk is None:
        return None
    queryset: Any = model._default_manager.all()
    if label == "core.organisation":
        obj = queryset.filter(pk=organisation.pk, pk__exact=pk).first()
    else:
        obj = queryset.filter(organisation=organisation, pk=pk).first()
    return (obj, name) if obj is not None else None


def import_xliff(
    *,
    organisation: Organisation,
    file: IO[bytes],
    by: User | None,
    expected_source: str | None = None,
    expected_target: str | None = None,
) -> XliffReport:
    """Apply a returned XLIFF file, or change nothing and say why."""
    report = XliffReport()
    try:
        parsed = _read(file)
    except (safe_xml.XmlError, ValidationError) as error:
        report.problems.append(("", " ".join(getattr(error, "messages", [str(error)]))))
        return report
    if not parsed.units:
        report.problems.append(("", _("The file holds no translation units; nothing was changed.")))
        return report
    languages = organisation.languages
    if (
        parsed.source not in languages
        or parsed.target not in languages
        or parsed.source == parsed.target
    ):
        report.problems.append(
            (
                "",
                _(
                    "The file translates %(source)s into %(target)s; this organisation works in %(languages)s."
                )
                % {
                    "source": parsed.source or "?",
                    "target": parsed.target or "?",
                    "languages": ", ".join(languages),
                },
            )
        )
        return report
    if (expected_source and parsed.source != expected_source) or (
        expected_target and parsed.target != expected_target
    ):
        report.problems.append(
            (
                "",
                _("The file is for another pair of languages (%(source)s → %(target)s).")
                % {"source": parsed.source, "target": parsed.target},
            )
        )
        return report
    # Load the objects model by model (one query each), one instance per object: several
    # units (fields) of one object must not overwrite each other.
    wanted: dict[str, dict[int, list[str]]] = {}
    for unit_id, _source, _target, _state in parsed.units:
        parts = unit_id.rsplit(":", 2)
        pk = parse_id(parts[1]) if len(parts) == 3 else None
        if pk is not None:
            wanted.setdefault(parts[0], {}).setdefault(pk, []).append(parts[2])
    loaded: dict[str, Any] = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        queryset: Any = model._default_manager.filter(pk__in=list(pks))
        queryset = (
            queryset.filter(pk=organisation.pk)
            if label == "core.organisation"
            else queryset.filter(organisation=organisation)
        )
        for obj in queryset:
            if label != "core.organisation":
                obj.organisation = organisation  # one instance, not a query per object
            loaded[f"{label}:{obj.pk}"] = obj
    plan: dict[str, dict[str, tuple[str, str]]] = {}
    for unit_id, source_text, target_text, state in parsed.units:
        object_key, _sep, name = unit_id.rpartition(":")
        obj = loaded.get(object_key)
        if obj is None or name not in translatable_fields(type(obj)):
            report.problems.append((unit_id, _("No text of this organisation has this id.")))
            continue
        current = (getattr(obj, name) or {}).get(parsed.source, "")
        if segments.normalise(current) != segments.normalise(source_text):
            report.problems.append(
                (unit_id, _("The source text has changed since the export; export again."))
            )
            continue
        if target_text.strip():
            plan.setdefault(object_key, {})[name] = (target_text, state)
    if report.problems:
        return report
    rows: dict[tuple[int, int], list[TextVersion]] = {}
    for label in wanted:
        if not any(key.startswith(label + ":") for key in plan):
            continue
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model)
        ids = [loaded[key].pk for key in plan if key.startswith(label + ":")]
        for row in TextVersion.objects.filter(content_type=content_type, object_id__in=ids):
            rows.setdefault((content_type.pk, row.object_id), []).append(row)
    updates: list[Any] = []
    changed_by_model: dict[type, tuple[list[Any], set[str]]] = {}
    entries: list[AuditEntry] = []
    reviewed: list[tuple[Any, str]] = []
    for object_key, fields in plan.items():
        obj = loaded[object_key]
        content_type = ContentType.objects.get_for_model(obj)
        values = {}
        for name, (target_text, state) in fields.items():
            before = (getattr(obj, name) or {}).get(parsed.target, "")
            if before.strip() and text_rules.digest(before) == text_rules.digest(target_text):
                report.unchanged += 1
                continue
            values[name] = {parsed.target: target_text}
            if state in REVIEWED_STATES:
                reviewed.append((obj, name))
            report.imported += 1
        if not values:
            continue
        old = {name: dict(getattr(obj, name) or {}) for name in values}
        update = texts_stage(
            obj=obj,
            values=values,
            origin=text_rules.HUMAN,
            engine="xliff",
            rows=rows.get((content_type.pk, obj.pk), []),
        )
        updates.append(update)
        objects, names = changed_by_model.setdefault(type(obj), ([], set()))
        objects.append(obj)
        names.update(values)
        entries.append(
            AuditEntry(
                organisation=organisation,
                actor=by if by is not None and by.is_authenticated else None,
                action="update",
                content_type=content_type,
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                changes={name: [old[name], getattr(obj, name)] for name in values},
            )
        )
    with transaction.atomic():
        for model, (objects, names) in changed_by_model.items():
            bulk.update_json_fields(model, objects, sorted(names))
        texts_commit_many(updates, by=by)
        bulk.insert(AuditEntry, entries)
        for obj, name in reviewed:
            # The agency reviewed it: recorded as reviewed, by whoever imported the file.
            text_review(obj=obj, field_name=name, language=parsed.target, by=by)
    return report
