"""Writes of meetings and their agendas."""

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import formats, translation
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.core.validation import Errors, add_error, stage_texts
from secretariat.core.writes import delete_recorded, save_created, save_updated
from secretariat.governance.models import (
    AgendaItem,
    Body,
    Delivery,
    DeliveryStatus,
    ItemKind,
    Meeting,
    MeetingMode,
    MeetingState,
)

MEETING_FIELDS = [
    "title",
    "start",
    "end",
    "timezone",
    "mode",
    "place",
    "address",
    "room",
    "online_url",
    "state",
]
ITEM_FIELDS = [
    "kind",
    "title",
    "description",
    "draft_decision",
    "rapporteur",
    "public",
    "majority_kind",
    "parent",
    "position",
]
OPEN_STATES = {MeetingState.PLANNED, MeetingState.CONVENED}


def _meeting_apply(meeting: Meeting, values: dict[str, Any]) -> Any:
    errors: Errors = {}
    unknown = set(values) - set(MEETING_FIELDS) - {"state"}
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    for name in ("start", "end"):
        if name in values:
            value = values[name]
            if not isinstance(value, datetime.datetime):
                add_error(errors, name, _("Enter a date and time."))
                continue
            if value.tzinfo is None:  # a time without its zone is the meeting's
                try:
                    zone = zoneinfo.ZoneInfo(values.get("timezone") or meeting.timezone)
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    zone = zoneinfo.ZoneInfo(meeting.organisation.timezone)
                value = value.replace(tzinfo=zone)
            setattr(meeting, name, value)
    if meeting.start and meeting.end and meeting.end < meeting.start:
        add_error(errors, "end", _("The meeting ends before it starts."))
    if "timezone" in values:
        try:
            zoneinfo.ZoneInfo(values["timezone"])
            meeting.timezone = values["timezone"]
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            add_error(errors, "timezone", _("Unknown time zone, e.g. Europe/Luxembourg."))
    if "mode" in values:
        if values["mode"] not in MeetingMode.values:
            add_error(errors, "mode", _("Choose in person, online or hybrid."))
        else:
            meeting.mode = values["mode"]
    for name in ("place", "address", "room"):
        if name in values:
            setattr(meeting, name, (values[name] or "").strip())
    if "online_url" in values:
        url = (values["online_url"] or "").strip()
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                add_error(errors, "online_url", _("Enter a web address starting with https://."))
        meeting.online_url = url
    if meeting.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID) and not meeting.online_url:
        add_error(errors, "online_url", _("An online or hybrid meeting needs its online link."))
    texts = stage_texts(errors, meeting, values, ["title"])
    if not meeting.title and "title" not in errors:
        add_error(errors, "title", _("The title is required in at least one language."))
    if errors:
        raise ValidationError(errors)
    return texts


def _in_each_language(languages: Sequence[str], render: Any) -> dict[str, str]:
    out = {}
    for language in languages:
        with translation.override(language):
            out[language] = str(render())
    return out


def meeting_plan(*, body: Body, by: User | None, **values: Any) -> Meeting:
    """Plan a meeting; when the body has an earlier meeting whose minutes are not approved, the
    agenda starts with their approval."""
    organisation = body.organisation
    values.setdefault("timezone", organisation.timezone)
    meeting = Meeting(organisation=organisation, body=body)
    texts = _meeting_apply(meeting, values)
    with transaction.atomic():
        save_created(meeting, by=by, fields=MEETING_FIELDS, texts=texts, within=body)
        previous = (
            Meeting.objects.filter(body=body, state=MeetingState.HELD, start__lt=meeting.start)
            .order_by("-start")
            .first()
        )
        if previous is not None:
            local = previous.start.astimezone(zoneinfo.ZoneInfo(previous.timezone))
            item_add(
                meeting=meeting,
                by=by,
                kind=ItemKind.MINUTES_APPROVAL,
                approves=previous,
                title=_in_each_language(
                    organisation.languages,
                    lambda: (
                        _("Approval of the minutes of the meeting of %(date)s")
                        % {"date": formats.date_format(local.date(), "DATE_FORMAT")}
                    ),
                ),
            )
    return meeting


def _require_open(meeting: Meeting) -> None:
    if meeting.state not in OPEN_STATES:
        raise ValidationError(
            _("This meeting is %(state)s; its agenda can no longer change.")
            % {"state": meeting.get_state_display()}
        )


def _require_not_sending(meeting: Meeting) -> None:
    if Delivery.objects.filter(
        invitation__meeting=meeting, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).exists():
        raise ValidationError(
            _(
                "The convocation is being sent. Change the meeting when it is done; the members "
                "will then receive the update."
            )
        )


def meeting_update(*, meeting: Meeting, by: User | None, **values: Any) -> Meeting:
    """Change a meeting; once convened, each change raises the calendar sequence."""
    _require_open(meeting)
    _require_not_sending(meeting)
    before = audit.snapshot(meeting, MEETING_FIELDS)
    texts = _meeting_apply(meeting, values)
    with transaction.atomic():
        changes = save_updated(
            meeting, by=by, fields=MEETING_FIELDS, before=before, texts=texts, within=meeting.body
        )
        if changes and meeting.state == MeetingState.CONVENED:
            Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1)
            meeting.sequence += 1
    return meeting


# Agenda -----------------------------------------------------------------------------------------


def numbering(items: Iterable[AgendaItem]) -> dict[int, str]:
    """Item numbers from the order: 1, 2, 2.1, 2.2, 3…"""
    items = sorted(items, key=lambda i: (i.position, i.pk))
    numbers: dict[int, str] = {}
    children: dict[int, int] = {}
    for top, item in enumerate((i for i in items if i.parent_id is None), start=1):
        numbers[item.pk] = str(top)
    for item in (i for i in items if i.parent_id is not None):
        parent_number = numbers.get(item.parent_id or 0)
        if parent_number is None:
            continue
        children[item.parent_id or 0] = children.get(item.parent_id or 0, 0) + 1
        numbers[item.pk] = f"{parent_number}.{children[item.parent_id or 0]}"
    return numbers


def ordered(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """Items in reading order: each top-level item followed by its sub-items."""
    items = sorted(items, key=lambda i: (i.position, i.pk))
    out = []
    for item in items:
        if item.parent_id is None:
            out.append(item)
            out.extend(i for i in items if i.parent_id == item.pk)
    return out


def _item_apply(item: AgendaItem, values: dict[str, Any]) -> Any:
    errors: Errors = {}
    if "kind" in values:
        if values["kind"] not in ItemKind.values:
            add_error(errors, "kind", _("Unknown kind of item."))
        else:
            item.kind = values["kind"]
    if "rapporteur" in values:
        person = values["rapporteur"]
        if person is not None and person.organisation_id != item.organisation_id:
            add_error(errors, "rapporteur", _("Choose one of this organisation's own records."))
        else:
            item.rapporteur = person
    if "public" in values:
        item.public = bool(values["public"])
    if "majority_kind" in values:
        from secretariat.governance.models import BodyRules

        kind = values["majority_kind"] or ""
        if kind and kind not in BodyRules.MajorityKind.values:
            add_error(errors, "majority_kind", _("Unknown majority."))
        item.majority_kind = kind
    if "approves" in values:
        item.approves = values["approves"]
    texts = stage_texts(errors, item, values, ["title", "description", "draft_decision", "minutes"])
    if not item.title and "title" not in errors:
        add_error(errors, "title", _("The title is required in at least one language."))
    if errors:
        raise ValidationError(errors)
    return texts


def item_add(
    *, meeting: Meeting, by: User | None, parent: AgendaItem | None = None, **values: Any
) -> AgendaItem:
    _require_open(meeting)
    _require_not_sending(meeting)
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id is not None):
        raise ValidationError(
            {"parent": [_("Sub-items belong under a top-level item of the same meeting.")]}
        )
    item = AgendaItem(organisation=meeting.organisation, meeting=meeting, parent=parent)
    texts = _item_apply(item, values)
    last = meeting.items.filter(parent=parent).aggregate(last=Max("position"))["last"]
    if values.get("kind") == ItemKind.MINUTES_APPROVAL and parent is None:
        item.position = 0
    else:
        item.position = (last or 0) + 10
    save_created(item, by=by, fields=ITEM_FIELDS, texts=texts, within=meeting)
    return item


def item_update(*, item: AgendaItem, by: User | None, **values: Any) -> AgendaItem:
    if "minutes" not in values or len(values) > 1:
        _require_open(item.meeting)
        _require_not_sending(item.meeting)
    before = audit.snapshot(item, [*ITEM_FIELDS, "minutes"])
    texts = _item_apply(item, values)
    save_updated(
        item,
        by=by,
        fields=[*ITEM_FIELDS, "minutes"],
        before=before,
        texts=texts,
        within=item.meeting,
    )
    return item


def item_delete(*, item: AgendaItem, by: User | None) -> None:
    _require_open(item.meeting)
    _require_not_sending(item.meeting)
    delete_recorded(item, by=by, fields=ITEM_FIELDS, within=item.meeting)


def agenda_reorder(
    *, meeting: Meeting, by: User | None, order: Sequence[tuple[int, int | None]]
) -> None:
    """Put the items in ``order``: (item id, parent id or None) in reading order. Every item of
    the meeting must appear exactly once; sub-items stay one level deep."""
    _require_open(meeting)
    _require_not_sending(meeting)
    items = {i.pk: i for i in meeting.items.all()}
    ids = [item_id for item_id, _parent in order]
    if sorted(ids) != sorted(items) or len(set(ids)) != len(ids):
        raise ValidationError(_("The new order must list every item of the agenda exactly once."))
    tops = {item_id for item_id, parent in order if parent is None}
    for item_id, parent in order:
        if parent is not None and (parent not in tops or parent == item_id):
            raise ValidationError(_("Sub-items belong under a top-level item of the same meeting."))
        if parent is not None and any(p == item_id for _i, p in order):
            raise ValidationError(_("An item with sub-items cannot itself become a sub-item."))
    before = numbering(items.values())
    with transaction.atomic():
        for position, (item_id, parent) in enumerate(order, start=1):
            item = items[item_id]
            if item.position != position * 10 or item.parent_id != parent:
                item.position = position * 10
                item.parent_id = parent
                item.save(update_fields=["position", "parent"])
        after = numbering(items.values())
        if before != after:
            audit.record(
                by=by,
                action="update",
                obj=meeting,
                changes={"agenda": [sorted(before.values()), sorted(after.values())]},
                within=meeting.body,
            )


def item_move(*, item: AgendaItem, direction: Literal["up", "down"], by: User | None) -> None:
    """Move an item one place up or down among its siblings (a sub-item stays under its
    item); the first item moved up, or the last moved down, stays where it is. Recorded as a
    reordering of the agenda."""
    if direction not in ("up", "down"):
        raise ValueError(f"an item moves up or down, not {direction!r}")
    meeting = item.meeting
    items = ordered(meeting.items.all())
    found = next((i for i in items if i.pk == item.pk), None)
    if found is None:  # removed meanwhile
        raise ValidationError(_("This item is not on the agenda."))
    item = found
    siblings = [i for i in items if i.parent_id == item.parent_id]
    index = siblings.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    tops = siblings if item.parent_id is None else [i for i in items if i.parent_id is None]
    order: list[tuple[int, int | None]] = []
    for top in tops:
        order.append((top.pk, None))
        children = (
            siblings if item.parent_id == top.pk else [i for i in items if i.parent_id == top.pk]
        )
        order.extend((child.pk, top.pk) for child in children)
    agenda_reorder(meeting=meeting, by=by, order=order)
