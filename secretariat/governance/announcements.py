"""What the members of a convened meeting have been told, and what changed since: "send the
changes" sends only what a member sees differently, and says what it is, in their language.

The state is plain data (texts per language, times in ISO form, the agenda's numbers and
titles), kept on the meeting each time a message goes out; the changes are computed between
two states, so that they can be rendered in any language later."""

import datetime
import zoneinfo
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from secretariat.core import text_rules
from secretariat.core.reader import Reader
from secretariat.governance import agenda
from secretariat.governance.models import ItemKind, Meeting

PLACE_FIELDS = ("mode", "place", "address", "room")


def visible_state(meeting: Meeting) -> dict[str, Any]:
    """What a convened member reads of the meeting: its title, time, place and agenda."""
    items = agenda.ordered(meeting.items.all())
    numbers = agenda.numbering(items)
    return {
        "sequence": meeting.sequence,
        "title": dict(meeting.title or {}),
        "start": meeting.start.astimezone(datetime.UTC).isoformat(),
        "end": meeting.end.astimezone(datetime.UTC).isoformat(),
        "timezone": meeting.timezone,
        **{name: getattr(meeting, name) for name in PLACE_FIELDS},
        "online_url": meeting.online_url,
        "items": [
            {
                "id": item.pk,
                "number": numbers[item.pk],
                "title": dict(item.title or {}),
                "draft_decision": dict(item.draft_decision or {})
                if item.kind == ItemKind.DECISION
                else {},
                "kind": item.kind,
            }
            for item in items
        ],
    }


def _same_text(a: dict[str, str], b: dict[str, str]) -> bool:
    keys = set(a) | set(b)
    return all(
        text_rules.normalise(a.get(k) or "") == text_rules.normalise(b.get(k) or "") for k in keys
    )


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes a member sees from ``before`` to ``after``, as plain data. An empty
    ``before`` (a meeting convened before states were kept) yields one unspecified change."""
    if not before:
        return [{"change": "unknown"}]
    found: list[dict[str, Any]] = []
    if not _same_text(before["title"], after["title"]):
        found.append({"change": "title", "title": after["title"]})
    if (before["start"], before["end"], before["timezone"]) != (
        after["start"],
        after["end"],
        after["timezone"],
    ):
        found.append(
            {
                "change": "when",
                "before": [before["start"], before["end"], before["timezone"]],
                "after": [after["start"], after["end"], after["timezone"]],
            }
        )
    if any(before[name] != after[name] for name in PLACE_FIELDS):
        found.append({"change": "where", **{name: after[name] for name in PLACE_FIELDS}})
    if before["online_url"] != after["online_url"]:
        found.append({"change": "online", "online_url": after["online_url"]})
    old = {item["id"]: item for item in before["items"]}
    new = {item["id"]: item for item in after["items"]}
    for item in after["items"]:
        previous = old.get(item["id"])
        if previous is None:
            found.append({"change": "item_added", "number": item["number"], "title": item["title"]})
        elif not (
            _same_text(previous["title"], item["title"])
            and _same_text(previous["draft_decision"], item["draft_decision"])
            and previous["kind"] == item["kind"]
        ):
            found.append(
                {"change": "item_changed", "number": item["number"], "title": item["title"]}
            )
    for item in before["items"]:
        if item["id"] not in new:
            found.append(
                {"change": "item_removed", "number": item["number"], "title": item["title"]}
            )
    kept_before = [i["id"] for i in before["items"] if i["id"] in new]
    kept_after = [i["id"] for i in after["items"] if i["id"] in old]
    moved = kept_before != kept_after or any(
        old[i]["number"] != new[i]["number"] for i in kept_after
    )
    if moved and not any(c["change"] in ("item_added", "item_removed") for c in found):
        found.append({"change": "order"})
    elif moved:
        found.append({"change": "numbers"})
    return found


def _when(moment: list[str], language: str) -> str:
    start = datetime.datetime.fromisoformat(moment[0]).astimezone(zoneinfo.ZoneInfo(moment[2]))
    end = datetime.datetime.fromisoformat(moment[1]).astimezone(zoneinfo.ZoneInfo(moment[2]))
    return _("%(date)s, %(start)s–%(end)s") % {
        "date": formats.date_format(start.date(), "DATE_FORMAT"),
        "start": formats.time_format(start.time(), "TIME_FORMAT"),
        "end": formats.time_format(end.time(), "TIME_FORMAT"),
    }


def change_lines(
    changes: list[dict[str, Any]], language: str, languages: list[str], default: str
) -> list[str]:
    """The changes as sentences in ``language`` (texts of the meeting in the reader's language
    where they exist)."""

    text = Reader(language, tuple(languages), default).text
    lines = []
    with translation.override(language):
        for change in changes:
            kind = change["change"]
            if kind == "title":
                lines.append(_("The title is now: %(title)s.") % {"title": text(change["title"])})
            elif kind == "when":
                lines.append(
                    _("The meeting now takes place on %(new)s (instead of %(old)s).")
                    % {
                        "new": _when(change["after"], language),
                        "old": _when(change["before"], language),
                    }
                )
            elif kind == "where":
                place = ", ".join(
                    p for p in (change["place"], change["room"], change["address"]) if p
                )
                lines.append(_("The place is now: %(place)s.") % {"place": place or "—"})
            elif kind == "online":
                lines.append(
                    _("The online link is now: %(url)s.") % {"url": change["online_url"] or "—"}
                )
            elif kind == "item_added":
                lines.append(
                    _("Item %(number)s was added: %(title)s.")
                    % {"number": change["number"], "title": text(change["title"])}
                )
            elif kind == "item_changed":
                lines.append(
                    _("Item %(number)s was changed: %(title)s.")
                    % {"number": change["number"], "title": text(change["title"])}
                )
            elif kind == "item_removed":
                lines.append(
                    _("Item %(number)s was removed from the agenda: %(title)s.")
                    % {"number": change["number"], "title": text(change["title"])}
                )
            elif kind == "order":
                lines.append(_("The order of the agenda changed."))
            elif kind == "numbers":
                lines.append(_("The items of the agenda are numbered anew."))
            else:
                lines.append(_("The meeting or its agenda changed since the convocation."))
    return lines
