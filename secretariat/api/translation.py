"""The translation API: the work queue, one language version with its suggestions, saving and
reviewing, assignment, bulk pre-translation, glossary, memory, XLIFF and the words
translated. Units are named as in XLIFF: ``<app.model>:<pk>:<field>``."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from secretariat.api.common import _access, _user
from secretariat.api.paging import Paging
from secretariat.api.schemas import Day, RowId, Year
from secretariat.core import text_rules
from secretariat.core.access import Access
from secretariat.core.models import User
from secretariat.core.permissions import Perm
from secretariat.core.texts import text_review
from secretariat.core.views.base import attachment
from secretariat.translation import (
    accounting,
    glossary,
    machine,
    memory,
    pretranslate,
    queue,
    workbench,
    xliff,
)
from secretariat.translation.models import Concept, PretranslationRun

router = Router(tags=["translation"])


def _unit(access: Access, unit: str, language: str) -> tuple[Any, str]:
    found = queue.resolve_unit(access.organisation, unit)
    if language not in access.organisation.languages or found is None:
        raise Http404
    return found


# Queue ------------------------------------------------------------------------------------------


class QueueItemOut(Schema):
    unit: str
    model: str
    object_id: int
    field: str
    label: str
    source_language: str
    language: str
    status: str
    words: int
    needed_by: datetime.date | None
    reason: str
    assignee_id: int | None
    due: datetime.date | None


class QueueOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[QueueItemOut]


class QueueFilters(Paging):
    language: str
    status: list[str] = []
    assigned: str = ""  # "me", "nobody" or empty


@router.get("/{slug}/translation/queue", response=QueueOut)
def queue_list(request: HttpRequest, slug: str, filters: Query[QueueFilters]) -> dict[str, Any]:
    """The open translations of one language, the most urgent first."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    if filters.language not in access.organisation.languages:
        raise ValidationError({"language": [_not_working(filters.language)]})
    limit, offset = filters.limit, filters.offset
    items, total = queue.window(
        access.organisation,
        filters.language,
        statuses=[s for s in filters.status if s in queue.OPEN],
        assignee=_user(request) if filters.assigned == "me" else None,
        unassigned=filters.assigned == "nobody",
        offset=offset,
        limit=limit,
    )
    return {
        "count": total,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "unit": item.unit_id,
                "model": item.label,
                "object_id": item.pk,
                "field": item.field,
                "label": str(item.obj) if item.obj is not None else "",
                "source_language": item.source_language,
                "language": item.language,
                "status": item.status,
                "words": item.words,
                "needed_by": item.day,
                "reason": item.deadline.reason if item.deadline else "",
                "assignee_id": item.assignee_id,
                "due": item.due,
            }
            for item in items
        ],
    }


def _not_working(language: str) -> str:
    from django.utils.translation import gettext as _

    return _("“%(language)s” is not a working language.") % {"language": language}


# One language version ---------------------------------------------------------------------------


class MatchOut(Schema):
    score: float
    source: str
    target: str
    origin: str
    note: str


class SentenceOut(Schema):
    sentence: str
    matches: list[MatchOut]


class UnitOut(Schema):
    unit: str
    source_language: str
    source: str
    language: str
    text: str
    status: str
    origin: str
    engine: str
    previous_source: str | None
    memory: list[SentenceOut]
    glossary: list[tuple[str, str]]
    warnings: list[str]


def _unit_out(access: Access, obj: Any, field: str, language: str) -> dict[str, Any]:
    view = workbench.unit_view(obj, field, language)
    target = view.target
    return {
        "unit": f"{obj._meta.label_lower}:{obj.pk}:{field}",
        "source_language": view.source_language,
        "source": view.source_text,
        "language": language,
        "text": view.target_text,
        "status": view.status,
        "origin": target.origin if target else "",
        "engine": target.engine if target else "",
        "previous_source": view.previous_source,
        "memory": [
            {"sentence": s.sentence, "matches": [m.__dict__ for m in s.matches]}
            for s in view.matches
        ],
        "glossary": [(text, advice) for text, advice in view.highlighted if advice],
        "warnings": view.warnings,
    }


@router.get("/{slug}/translation/units/{unit}/{language}", response=UnitOut)
def unit_get(request: HttpRequest, slug: str, unit: str, language: str) -> dict[str, Any]:
    """The source and the version in ``language``, with memory matches and glossary advice."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    obj, field = _unit(access, unit, language)
    return _unit_out(access, obj, field, language)


class TranslationIn(Schema):
    text: str
    review: bool = False
    suggested_engine: str = ""
    suggested_text: str = ""


@router.put("/{slug}/translation/units/{unit}/{language}", response=UnitOut)
def unit_save(
    request: HttpRequest, slug: str, unit: str, language: str, payload: TranslationIn
) -> dict[str, Any]:
    """Save a translation; a suggestion sent back unchanged keeps its machine origin."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    obj, field = _unit(access, unit, language)
    workbench.save_translation(
        obj=obj,
        field=field,
        language=language,
        text=payload.text,
        by=_user(request),
        review=payload.review,
        suggested_engine=payload.suggested_engine,
        suggested_text=payload.suggested_text,
    )
    return _unit_out(access, obj, field, language)


@router.post("/{slug}/translation/units/{unit}/{language}/review", response=UnitOut)
def unit_review(request: HttpRequest, slug: str, unit: str, language: str) -> dict[str, Any]:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    obj, field = _unit(access, unit, language)
    text_review(obj=obj, field_name=field, language=language, by=_user(request))
    return _unit_out(access, obj, field, language)


class MachineOut(Schema):
    engine: str
    text: str


@router.post("/{slug}/translation/units/{unit}/{language}/machine", response=MachineOut)
def unit_machine(request: HttpRequest, slug: str, unit: str, language: str) -> dict[str, str]:
    """A machine suggestion, not saved (send it back with ``suggested_engine`` to accept it)."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    obj, field = _unit(access, unit, language)
    engine, text = machine.machine_preview(obj=obj, field_name=field, target=language)
    return {"engine": engine, "text": text}


class AssignmentIn(Schema):
    assignee_id: RowId | None = None
    due: Day | None = None


class AssignmentOut(Schema):
    assignee_id: int | None
    due: datetime.date | None


@router.put("/{slug}/translation/units/{unit}/{language}/assignment", response=AssignmentOut)
def unit_assign(
    request: HttpRequest, slug: str, unit: str, language: str, payload: AssignmentIn
) -> dict[str, Any]:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    obj, field = _unit(access, unit, language)
    assignee = None
    if payload.assignee_id is not None:
        assignee = queue.translators(access.organisation).filter(pk=payload.assignee_id).first()
        if assignee is None:
            from django.utils.translation import gettext as _

            raise ValidationError(
                {"assignee_id": [_("This person does not work for the secretariat.")]}
            )
    queue.assign(
        organisation=access.organisation,
        obj=obj,
        field=field,
        language=language,
        assignee=assignee,
        due=payload.due,
        by=_user(request),
    )
    return {"assignee_id": assignee.pk if assignee else None, "due": payload.due}


# Pre-translation --------------------------------------------------------------------------------


class PretranslateIn(Schema):
    language: str
    units: list[str] | None = None  # None: every missing or outdated text of the language


class RunOut(Schema):
    id: int
    language: str
    state: str
    total: int
    done: int
    failed: int
    pending: int
    problems: list[list[str]]


@router.post("/{slug}/translation/pretranslate", response={202: RunOut})
def pretranslate_start(request: HttpRequest, slug: str, payload: PretranslateIn) -> Any:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    units = payload.units
    if units is None:
        units = queue.all_units(
            access.organisation,
            payload.language,
            [text_rules.Status.MISSING, text_rules.Status.OUTDATED],
        )
    run = pretranslate.start(
        organisation=access.organisation,
        language=payload.language,
        units=units,
        by=_user(request),
    )
    return Status(202, run)


@router.get("/{slug}/translation/runs/{int:pk}", response=RunOut)
def run_get(request: HttpRequest, slug: str, pk: int) -> PretranslationRun:
    _access(request, slug, Perm.TEXT_REVIEW)
    return get_object_or_404(PretranslationRun.objects.all(), pk=pk)


# Glossary ---------------------------------------------------------------------------------------


class TermSchema(Schema):
    language: str
    text: str
    status: str = "preferred"


class ConceptIn(Schema):
    terms: list[TermSchema]
    do_not_translate: bool = False
    note: str = ""
    domain: str = ""
    valid_from: Day | None = None
    valid_until: Day | None = None


class ConceptOut(Schema):
    id: int
    note: str
    domain: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    do_not_translate: bool
    terms: list[TermSchema]


class ConceptList(Schema):
    count: int
    limit: int
    offset: int
    items: list[ConceptOut]


def _concept_out(concept: Concept) -> dict[str, Any]:
    terms = list(concept.terms.all())
    return {
        "id": concept.pk,
        "note": concept.note,
        "domain": concept.domain,
        "valid_from": concept.valid_from,
        "valid_until": concept.valid_until,
        "do_not_translate": any(t.do_not_translate for t in terms),
        "terms": [{"language": t.language, "text": t.text, "status": t.status} for t in terms],
    }


@router.get("/{slug}/translation/glossary", response=ConceptList)
def glossary_list(
    request: HttpRequest, slug: str, paging: Query[Paging], q: str = ""
) -> dict[str, Any]:
    _access(request, slug, Perm.TEXT_REVIEW)
    concepts = Concept.objects.prefetch_related("terms")
    if q:
        concepts = concepts.filter(terms__text__icontains=q).distinct()
    limit, offset = paging.limit, paging.offset
    return {
        "count": concepts.count(),
        "limit": limit,
        "offset": offset,
        "items": [_concept_out(c) for c in concepts[offset : offset + limit]],
    }


def _concept_apply(
    access: Access, concept: Concept | None, payload: ConceptIn, by: User
) -> Concept:
    return glossary.concept_save(
        organisation=access.organisation,
        concept=concept,
        terms=[(t.language, t.text, t.status) for t in payload.terms],
        by=by,
        do_not_translate=payload.do_not_translate,
        note=payload.note,
        domain=payload.domain,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )


@router.post("/{slug}/translation/glossary", response={201: ConceptOut})
def glossary_create(request: HttpRequest, slug: str, payload: ConceptIn) -> Any:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    return Status(201, _concept_out(_concept_apply(access, None, payload, _user(request))))


@router.put("/{slug}/translation/glossary/{int:pk}", response=ConceptOut)
def glossary_update(request: HttpRequest, slug: str, pk: int, payload: ConceptIn) -> Any:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    concept = get_object_or_404(Concept, pk=pk)
    return _concept_out(_concept_apply(access, concept, payload, _user(request)))


@router.delete("/{slug}/translation/glossary/{int:pk}", response={204: None})
def glossary_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    _access(request, slug, Perm.TEXT_REVIEW)
    concept = get_object_or_404(Concept, pk=pk)
    glossary.concept_delete(concept=concept, by=_user(request))
    return Status(204, None)


class ImportOut(Schema):
    imported: int
    terms: int = 0
    # Glossary: concepts already in the termbase, completed by the file or found unchanged.
    updated: int = 0
    unchanged: int = 0
    left_out_languages: list[str] = []


@router.post("/{slug}/translation/glossary/import", response=ImportOut)
def glossary_import(request: HttpRequest, slug: str, file: File[UploadedFile]) -> dict[str, Any]:
    """A TBX file, or a CSV/Excel table (concept, language, term, status, …)."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    report = glossary.glossary_import(
        organisation=access.organisation, file=file, name=file.name or "", by=_user(request)
    )
    if report.error:
        raise ValidationError({"file": [report.error]})
    return {
        "imported": report.concepts,
        "terms": report.terms,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "left_out_languages": sorted(report.unknown_languages),
    }


@router.get("/{slug}/translation/glossary/export")
def glossary_export(request: HttpRequest, slug: str, format: str = "tbx") -> HttpResponse:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    if format == "csv":
        return attachment(
            glossary.csv_export(organisation=access.organisation),
            f"{slug}-glossary.csv",
            "text/csv; charset=utf-8",
        )
    return attachment(
        glossary.tbx_export(organisation=access.organisation),
        f"{slug}-glossary.tbx",
        "application/x-tbx+xml",
    )


# Memory -----------------------------------------------------------------------------------------


@router.get("/{slug}/translation/memory", response=list[MatchOut])
def memory_lookup(
    request: HttpRequest, slug: str, source: str, target: str, text: str
) -> list[dict[str, Any]]:
    """Matches for one sentence, exact ones first, with their score and origin."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    languages = access.organisation.languages
    for language in (source, target):
        if language not in languages:
            raise ValidationError({"language": [_not_working(language)]})
    return [
        m.__dict__
        for m in memory.lookup(
            organisation=access.organisation,
            source_language=source,
            target_language=target,
            text=text,
            limit=10,
        )
    ]


@router.post("/{slug}/translation/memory/import", response=ImportOut)
def memory_import(request: HttpRequest, slug: str, file: File[UploadedFile]) -> dict[str, Any]:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    report = memory.memory_import(
        organisation=access.organisation, file=file, name=file.name or "", by=_user(request)
    )
    if report.error:
        raise ValidationError({"file": [report.error]})
    return {"imported": report.added, "left_out_languages": sorted(report.skipped_languages or [])}


@router.get("/{slug}/translation/memory/export")
def memory_export(request: HttpRequest, slug: str) -> HttpResponse:
    access = _access(request, slug, Perm.TEXT_REVIEW)
    return attachment(
        memory.tmx_export(organisation=access.organisation),
        f"{slug}-memory.tmx",
        "application/x-tmx+xml",
    )


# XLIFF ------------------------------------------------------------------------------------------


@router.get("/{slug}/translation/xliff")
def xliff_export(
    request: HttpRequest,
    slug: str,
    source: str,
    target: str,
    units: str = "",
    version: str = "2.0",
) -> HttpResponse:
    """The given units (comma-separated), or the whole open queue of ``target``."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    organisation = access.organisation
    if source not in organisation.languages or target not in organisation.languages:
        raise ValidationError(
            {"language": [_not_working(source if source not in organisation.languages else target)]}
        )
    wanted = {u for u in units.split(",") if u} or set(
        queue.all_units(organisation, target, queue.OPEN)
    )
    found = xliff.units_for(organisation, wanted, source, target)
    if found is None:
        raise Http404
    name = f"{slug}-{source}-{target}"
    return xliff.download(found, source, target, name, version)


class XliffReportOut(Schema):
    imported: int
    unchanged: int
    problems: list[tuple[str, str]]


@router.post("/{slug}/translation/xliff", response={200: XliffReportOut, 422: XliffReportOut})
def xliff_import(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Any:
    """Apply a returned XLIFF file completely, or nothing and the reasons."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    report = xliff.import_xliff(organisation=access.organisation, file=file, by=_user(request))
    body = {"imported": report.imported, "unchanged": report.unchanged, "problems": report.problems}
    return Status(200 if report.ok else 422, body)


# Words translated -------------------------------------------------------------------------------


class MonthOut(Schema):
    month: datetime.date
    language: str
    words: dict[str, int]
    total: int


@router.get("/{slug}/translation/words", response=list[MonthOut])
def words(request: HttpRequest, slug: str, year: Year | None = None) -> list[dict[str, Any]]:
    """Words translated per month, target language and origin (memory, machine, human, agency)."""
    access = _access(request, slug, Perm.TEXT_REVIEW)
    since = datetime.date(year, 1, 1) if year else None
    until = datetime.date(year, 12, 31) if year else None
    return [
        {"month": f.month, "language": f.language, "words": f.words, "total": f.total}
        for f in accounting.monthly(access.organisation, since=since, until=until)
    ]
