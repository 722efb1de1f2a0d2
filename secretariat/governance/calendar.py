"""iCalendar (RFC 5545) for meetings, with the icalendar library: one stable UID per meeting,
a SEQUENCE that rises with each change, METHOD:CANCEL for a cancellation."""

import datetime
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


def calendar_of(events: list[icalendar.Event], method: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Secretariat//Meetings//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
