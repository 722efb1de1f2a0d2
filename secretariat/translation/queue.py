"""The translation work queue: per organisation and language, every field whose translation
is missing, outdated, machine-made or awaiting review, the most urgent first (what a
convocation due to go out needs), with who is assigned to it.

One query per page: the originals of the organisation, each with the state of its version in
the wanted language computed by a correlated subquery on the unique index of ``TextVersion``.
Items with a deadline (a bounded set: upcoming meetings, assignments with a due date) are
sorted in Python before the rest, which SQL pages through by the date of the source."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from secretariat.core import text_purposes, text_rules
from secretariat.core.models import Organisation, TextVersion, User
from secretariat.core.row_ids import parse_id
from secretariat.core.texts import translatable_fields
from secretariat.translation.accounting import word_count
from secretariat.translation.models import Assignment

Status = text_rules.Status
OPEN = [Status.MISSING, Status.OUTDATED, Status.MACHINE, Status.UNREVIEWED]


def annotated(organisation: Organisation, language: str) -> Any:  # annotated QuerySet
    """The originals of the organisation not in ``language``, with ``status`` of their version
    in ``language`` and its assignment."""
    target = TextVersion.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        field=OuterRef("field"),
        language=language,
    ).annotate(
        state=Case(
            When(~Q(source_digest=OuterRef("text_digest")), then=Value(Status.OUTDATED.value)),
            When(reviewed_at__isnull=False, then=Value(Status.REVIEWED.value)),
            When(origin=text_rules.MACHINE, then=Value(Status.MACHINE.value)),
            default=Value(Status.UNREVIEWED.value),
        )
    )
    assignment = Assignment.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        field=OuterRef("field"),
        language=language,
    )
    return (
        TextVersion.objects.filter(organisation=organisation, source_language="")
        .exclude(language=language)
        .annotate(
            status=Coalesce(Subquery(target.values("state")[:1]), Value(Status.MISSING.value)),
            assignee_id=Subquery(assignment.values("assignee_id")[:1]),
            due=Subquery(assignment.values("due")[:1]),
        )
    )


def counts(organisation: Organisation) -> dict[str, dict[str, int]]:
    """Open items per working language and status, in two aggregate queries: the translations
    by state (a subquery per translation, not per original), and the originals per language;
    what is missing in a language is the originals in other languages less its translations."""
    originals = TextVersion.objects.filter(organisation=organisation, source_language="")
    per_language = {
        row["language"]: row["n"]
        for row in originals.values("language").annotate(n=Count("pk")).order_by()
    }
    # Not filtered by organisation: (type, object, field) finds the original on the unique
    # index, where the organisation's index would make the planner scan every original.
    current = TextVersion.objects.filter(
        source_language="",
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        field=OuterRef("field"),
    ).values("text_digest")[:1]
    states = (
        TextVersion.objects.filter(organisation=organisation)
        .exclude(source_language="")
        .annotate(current=Subquery(current))
        .annotate(
            state=Case(
                When(~Q(source_digest=F("current")), then=Value(Status.OUTDATED.value)),
                When(reviewed_at__isnull=False, then=Value(Status.REVIEWED.value)),
                When(origin=text_rules.MACHINE, then=Value(Status.MACHINE.value)),
                default=Value(Status.UNREVIEWED.value),
            )
        )
        .values("language", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    translated: dict[str, int] = {}
    out = {language: {status.value: 0 for status in OPEN} for language in organisation.languages}
    for row in states:
        translated[row["language"]] = translated.get(row["language"], 0) + row["n"]
        if row["language"] in out and row["state"] in out[row["language"]]:
            out[row["language"]][row["state"]] = row["n"]
    total = sum(per_language.values())
    for language, found in out.items():
        found[Status.MISSING.value] = max(
            0, total - per_language.get(language, 0) - translated.get(language, 0)
        )
    return out


@dataclass
class Item:
    label: str  # "<app.model>"
    pk: int
    field: str
    language: str
    source_language: str
    status: str
    obj: Any = None  # None: the object is gone (its versions are left over)
    deadline: text_purposes.Deadline | None = None
    assignee_id: int | None = None
    assignee: User | None = None
    due: datetime.date | None = None
    words: int = 0
    changed_at: datetime.datetime | None = None

    @property
    def unit_id(self) -> str:
        return f"{self.label}:{self.pk}:{self.field}"

    @property
    def day(self) -> datetime.date | None:
        days = [d for d in (self.due, self.deadline.day if self.deadline else None) if d]
        return min(days) if days else None

    @property
    def field_label(self) -> str:
        if self.obj is None:
            return self.field
        return str(self.obj._meta.get_field(self.field).verbose_name)

    @property
    def link(self) -> str:
        return text_purposes.link(self.obj) if self.obj is not None else ""


@dataclass
class Page:
    items: list[Item]
    total: int
    number: int
    pages: int


def _filtered(
    organisation: Organisation,
    language: str,
    statuses: Sequence[str],
    assignee: User | None,
    unassigned: bool,
    model: str,
) -> Any:
    rows = annotated(organisation, language).filter(status__in=statuses or OPEN)
    if assignee is not None:
        rows = rows.filter(assignee_id=assignee.pk)
    elif unassigned:
        rows = rows.filter(assignee_id__isnull=True)
    if model:
        try:
            rows = rows.filter(
                content_type=ContentType.objects.get_for_model(apps.get_model(model))
            )
        except (LookupError, ValueError):
            rows = rows.none()
    return rows


def window(
    organisation: Organisation,
    language: str,
    *,
    statuses: Sequence[str] = (),
    assignee: User | None = None,
    unassigned: bool = False,
    model: str = "",
    offset: int = 0,
    limit: int = 50,
    today: datetime.date | None = None,
    counted: dict[str, dict[str, int]] | None = None,
) -> tuple[list[Item], int]:
    """``limit`` items from ``offset`` in queue order, and the total (from ``counted``, the
    result of ``counts``, when the caller has it already)."""
    today = today or timezone.localdate()
    rows = _filtered(organisation, language, statuses, assignee, unassigned, model)
    deadlines = text_purposes.deadlines(organisation, today)
    # The urgent items, found from the bounded sets (deadlines, due dates), never by scanning.
    kinds: dict[int, set[int]] = {}
    for label, pk in deadlines:
        content_type = ContentType.objects.get_for_model(apps.get_model(label))
        kinds.setdefault(content_type.pk, set()).add(pk)
    for content_type_id, pk in Assignment.objects.filter(
        organisation=organisation, language=language, due__isnull=False
    ).values_list("content_type_id", "object_id"):
        kinds.setdefault(content_type_id, set()).add(pk)
    urgent_q = Q(pk__in=[])
    for content_type_id, pks in kinds.items():
        urgent_q |= Q(content_type_id=content_type_id, object_id__in=sorted(pks))
    urgent_rows = list(rows.filter(urgent_q)) if kinds else []
    urgent = [_item(row, language, deadlines) for row in urgent_rows]
    urgent.sort(key=lambda i: (i.day or datetime.date.max, i.label, i.pk, i.field))
    others = rows.exclude(pk__in=[row.pk for row in urgent_rows]).order_by("-updated_at", "pk")
    if assignee is None and not unassigned and not model:
        # The page's total from the aggregate counts: no scan of every original.
        by_status = (counted or counts(organisation))[language]
        total = sum(by_status[s] for s in (statuses or OPEN) if s in by_status)
    else:
        total = len(urgent) + others.count()
    chosen = urgent[offset : offset + limit]
    if len(chosen) < limit:
        start = max(0, offset - len(urgent))
        chosen += [
            _item(row, language, deadlines) for row in others[start : start + limit - len(chosen)]
        ]
    _load(chosen)
    return chosen, total


def page(
    organisation: Organisation,
    language: str,
    *,
    number: int = 1,
    per_page: int = 50,
    **filters: Any,
) -> Page:
    number = max(1, number)
    items, total = window(
        organisation, language, offset=(number - 1) * per_page, limit=per_page, **filters
    )
    pages = max(1, -(-total // per_page))
    if number > pages:  # beyond the end (the queue shrank): the last page
        number = pages
        items, total = window(
            organisation, language, offset=(number - 1) * per_page, limit=per_page, **filters
        )
    return Page(items, total, number, pages)


def all_units(
    organisation: Organisation, language: str, statuses: Sequence[str] = (Status.MISSING,)
) -> list[str]:
    """The unit ids of the whole queue in some states (for bulk pre-translation)."""
    rows = _filtered(organisation, language, statuses, None, False, "").select_related(
        "content_type"
    )
    return [
        f"{row.content_type.app_label}.{row.content_type.model}:{row.object_id}:{row.field}"
        for row in rows.order_by("pk")
    ]


def _item(
    row: Any, language: str, deadlines: dict[tuple[str, int], text_purposes.Deadline]
) -> Item:
    content_type = ContentType.objects.get_for_id(row.content_type_id)
    label = f"{content_type.app_label}.{content_type.model}"
    return Item(
        label=label,
        pk=row.object_id,
        field=row.field,
        language=language,
        source_language=row.language,
        status=row.status,
        deadline=deadlines.get((label, row.object_id)),
        due=row.due,
        changed_at=row.updated_at,
        assignee_id=row.assignee_id,
    )


def _load(items: list[Item]) -> None:
    """The objects and assignees of a page: one query per kind of object."""
    by_label: dict[str, set[int]] = {}
    for item in items:
        by_label.setdefault(item.label, set()).add(item.pk)
    loaded: dict[tuple[str, int], Any] = {}
    for label, pks in by_label.items():
        model = apps.get_model(label)
        for obj in model._default_manager.filter(pk__in=pks):
            loaded[(label, obj.pk)] = obj
    users = User.objects.in_bulk([i.assignee_id for i in items if i.assignee_id is not None])
    for item in items:
        item.obj = loaded.get((item.label, item.pk))
        item.assignee = users.get(item.assignee_id) if item.assignee_id is not None else None
        if item.obj is not None and item.field in translatable_fields(type(item.obj)):
            texts = getattr(item.obj, item.field) or {}
            item.words = word_count(texts.get(item.source_language, ""))


def resolve_object(organisation: Organisation, label: str, pk: int) -> Any:
    """The organisation's object of a model that has translatable fields, or None (another
    organisation's, unknown model)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not translatable_fields(model):
        return None
    queryset: Any = model._default_manager.filter(pk=pk)
    if label == "core.organisation":
        queryset = queryset.filter(pk=organisation.pk)
    else:
        queryset = queryset.filter(organisation=organisation)
    return queryset.first()


def resolve(organisation: Organisation, label: str, pk: int, field: str) -> Any:
    """The organisation's object behind a unit, or None (other organisation, unknown field)."""
    obj = resolve_object(organisation, label, pk)
    return obj if obj is not None and field in translatable_fields(type(obj)) else None


def parse_unit(unit: str) -> tuple[str, int, str] | None:
    """``"<app.model>:<pk>:<field>"`` (the XLIFF unit id) as (label, pk, field)."""
    label, _sep, rest = unit.partition(":")
    text, _sep, field = rest.partition(":")
    pk = parse_id(text)
    return (label, pk, field) if pk is not None and field else None


def resolve_unit(organisation: Organisation, unit: str) -> tuple[Any, str] | None:
    """The object and field of a unit id, if they are the organisation's."""
    parsed = parse_unit(unit)
    obj = resolve(organisation, *parsed) if parsed else None
    return (obj, parsed[2]) if obj is not None and parsed else None


def translators(organisation: Organisation) -> Any:
    """The people who can be given translation work: the secretariat's active users."""
    from secretariat.core.models import Role

    ids = Role.objects.filter(organisation=organisation, kind__in=["admin", "staff"]).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("email")


def assignment_of(obj: Any, field: str, language: str) -> Assignment | None:
    return Assignment.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        language=language,
    ).first()


def assign(
    *,
    organisation: Organisation,
    obj: Any,
    field: str,
    language: str,
    assignee: User | None,
    due: datetime.date | None,
    by: User | None,
) -> Assignment | None:
    """Give one language version to someone (or take it back: no assignee and no date)."""
    from secretariat.core import audit

    content_type = ContentType.objects.get_for_model(obj)
    key = {"content_type": content_type, "object_id": obj.pk, "field": field, "language": language}
    if assignee is None and due is None:
        Assignment.objects.filter(**key).delete()
        found = None
    else:
        found, _created = Assignment.objects.update_or_create(
            **key,
            defaults={
                "organisation": organisation,
                "assignee": assignee,
                "due": due,
                "assigned_by": by,
            },
        )
    audit.record(
        by=by,
        action="update",
        obj=obj,
        changes={
            field: [
                language,
                f"{assignee.email if assignee else '—'} {due.isoformat() if due else ''}".strip(),
            ]
        },
    )
    return found
