"""iCalendar (RFC 5545) for meetings, with the icalendar library: one stable UID per meeting,
a SEQUENCE that rises with each change, METHOD:CANCEL for a cancellation."""

import datetime
import functools
import zoneinfo

import icalendar
from django.conf import settings

from secretariat.governance.models import Meeting, MeetingState


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@secretariat"


def meeting_event(
    meeting: Meeting,
    *,
    summary: str,
    description: str,
    url: str = "",
    attendee: str = "",
) -> icalendar.Event:
    tz = zoneinfo.ZoneInfo(meeting.timezone)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", meeting.start.astimezone(tz))
    event.add("dtend", meeting.end.astimezone(tz))
    event.add("summary", summary)
    event.add("description", description)
    location = ", ".join(p for p in [meeting.place, meeting.room, meeting.address] if p)
    if meeting.online_url:
        location = f"{location} · {meeting.online_url}" if location else meeting.online_url
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    cancelled = meeting.state in (MeetingState.CANCELLED, MeetingState.POSTPONED)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    if attendee:
        event.add(
            "attendee",
            f"mailto:{attendee}",
            parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"},
        )
    return event


@functools.lru_cache(maxsize=64)
def _zone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A VTIMEZONE with the transitions of the years concerned only: the full history of a
    zone is thousands of lines, and was most of the cost of a convocation."""
    return icalendar.Timezone.from_tzid(
        tzid,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year, 12, 31),
    )


def calendar_of(events: list[icalendar.Event], method: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Secretariat//Meetings//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    years: dict[str, list[int]] = {}
    for event in events:
        start = event.decoded("dtstart")
        tzid = getattr(start.tzinfo, "key", None)
        if tzid:
            years.setdefault(tzid, []).append(start.year)
    for tzid, seen in sorted(years.items()):
        calendar.add_component(_zone(tzid, min(seen) - 1, max(seen) + 1))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
