"""iCalendar feeds: the meetings of a body, or of a person's bodies, at a secret address."""

import datetime

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from secretariat.core.reader import Reader
from secretariat.core.scope import scoped_by
from secretariat.governance import calendar
from secretariat.governance.models import Body, CalendarFeed, Meeting, MeetingState, Membership
from secretariat.network.models import Person

PAST = datetime.timedelta(days=365)


def feed_for_body(body: Body) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        body=body, defaults={"organisation": body.organisation}
    )
    return feed


def feed_for_person(person: Person) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        person=person, defaults={"organisation": person.organisation}
    )
    return feed


def feed_meetings(feed: CalendarFeed) -> list[Meeting]:
    since = timezone.now() - PAST
    meetings = Meeting.objects.filter(organisation=feed.organisation, start__gte=since).exclude(
        state=MeetingState.PLANNED
    )
    if feed.body_id:
        meetings = meetings.filter(body=feed.body)
    else:
        bodies = (
            Membership.objects.filter(person=feed.person)
            .filter(Q(end__isnull=True) | Q(end__gte=since.date()))
            .values("body_id")
        )
        meetings = meetings.filter(body_id__in=bodies)
    return list(meetings.select_related("body", "organisation").order_by("start"))


@scoped_by(CalendarFeed)
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("organisation", "person"), token=token
    )
    organisation = feed.organisation
    language = (
        feed.person.language_in(organisation.languages, organisation.default_language)
        if feed.person
        else organisation.default_language
    )
    if not organisation.languages:
        raise Http404
    events = []
    reader = Reader.of(organisation, language)
    for meeting in feed_meetings(feed):
        title = reader.text(meeting.title)
        body = reader.text(meeting.body.name)
        events.append(calendar.meeting_event(meeting, summary=title, description=body))
    response = HttpResponse(
        calendar.calendar_of(events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
