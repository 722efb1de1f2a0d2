"""Meetings convened before the announced state was kept: what their members were told is
taken to be the meeting as it is now, so that "send the changes" offers nothing until
something changes (rather than an unspecified change to everyone)."""

import datetime

from django.db import migrations


def _numbers(items):
    items = sorted(items, key=lambda i: (i.position, i.pk))
    numbers, children = {}, {}
    for top, item in enumerate((i for i in items if i.parent_id is None), start=1):
        numbers[item.pk] = str(top)
    for item in (i for i in items if i.parent_id is not None):
        parent = numbers.get(item.parent_id)
        if parent is not None:
            children[item.parent_id] = children.get(item.parent_id, 0) + 1
            numbers[item.pk] = f"{parent}.{children[item.parent_id]}"
    ordered = []
    for item in items:
        if item.parent_id is None:
            ordered.append(item)
            ordered.extend(i for i in items if i.parent_id == item.pk)
    return ordered, numbers


def record_states(apps, schema_editor):
    Meeting = apps.get_model("governance", "Meeting")
    AgendaItem = apps.get_model("governance", "AgendaItem")
    for meeting in Meeting.objects.filter(state="convened"):
        if meeting.announced:
            continue
        ordered, numbers = _numbers(list(AgendaItem.objects.filter(meeting=meeting)))
        meeting.announced = {
            "state": {
                "sequence": meeting.sequence,
                "title": dict(meeting.title or {}),
                "start": meeting.start.astimezone(datetime.UTC).isoformat(),
                "end": meeting.end.astimezone(datetime.UTC).isoformat(),
                "timezone": meeting.timezone,
                "mode": meeting.mode,
                "place": meeting.place,
                "address": meeting.address,
                "room": meeting.room,
                "online_url": meeting.online_url,
                "items": [
                    {
                        "id": item.pk,
                        "number": numbers.get(item.pk, ""),
                        "title": dict(item.title or {}),
                        "draft_decision": dict(item.draft_decision or {})
                        if item.kind == "decision"
                        else {},
                        "kind": item.kind,
                    }
                    for item in ordered
                ],
            },
            "changes": [],
        }
        meeting.save(update_fields=["announced"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0009_written_procedure_withdrawn_label")]

    operations = [migrations.RunPython(record_states, migrations.RunPython.noop)]
