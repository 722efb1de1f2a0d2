"""When the texts of meetings are needed, for the translation queue: a planned meeting's agenda
by its convocation's send-by date, a convened one's by the meeting, and a held meeting's
minutes by the next meeting of the body, which approves them."""

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.core.models import Organisation
from secretariat.core.text_purposes import (
    Deadline,
    register_deadlines,
    register_link,
    register_parts,
)
from secretariat.core.texts import object_label
from secretariat.governance.convocation import notice_of
from secretariat.governance.models import (
    AgendaDocument,
    AgendaItem,
    Body,
    Decision,
    FollowUpAction,
    Meeting,
    MeetingState,
    WrittenProcedure,
)


def meeting_deadlines(
    organisation: Organisation, today: datetime.date
) -> dict[tuple[str, int], Deadline]:
    found: dict[tuple[str, int], Deadline] = {}
    upcoming = list(
        Meeting.objects.filter(
            organisation=organisation,
            state__in=[MeetingState.PLANNED, MeetingState.CONVENED],
            start__date__gte=today - datetime.timedelta(days=1),
        ).select_related("body")
    )
    by_meeting: dict[int, Deadline] = {}
    for meeting in upcoming:
        body = object_label(meeting.body.name)
        day = meeting.local_start.date()
        if meeting.state == MeetingState.PLANNED:
            by_meeting[meeting.pk] = Deadline(
                notice_of(meeting, today).send_by,
                _("convocation: %(body)s, %(date)s")
                % {"body": body, "date": formats.date_format(day, "SHORT_DATE_FORMAT")},
            )
        else:
            by_meeting[meeting.pk] = Deadline(
                day,
                _("meeting: %(body)s") % {"body": body},
            )
    # Minutes of held meetings: due when the next meeting of the body approves them.
    held = Meeting.objects.filter(organisation=organisation, state=MeetingState.HELD)
    next_of_body = {m.body_id: m for m in sorted(upcoming, key=lambda m: m.start, reverse=True)}
    minutes_due: dict[int, Deadline] = {}
    for meeting in held:
        following = next_of_body.get(meeting.body_id)
        if following is not None:
            minutes_due[meeting.pk] = Deadline(
                following.local_start.date(),
                _("approval of the minutes at the next meeting"),
            )
    for meeting_pk, deadline in by_meeting.items():
        found[("governance.meeting", meeting_pk)] = deadline
    items = AgendaItem.objects.filter(meeting_id__in=[*by_meeting, *minutes_due]).values_list(
        "pk", "meeting_id"
    )
    for pk, meeting_pk in items:
        found[("governance.agendaitem", pk)] = by_meeting.get(meeting_pk) or minutes_due[meeting_pk]
    documents = AgendaDocument.objects.filter(item__meeting_id__in=list(by_meeting)).values_list(
        "pk", "item__meeting_id"
    )
    for pk, meeting_pk in documents:
        found[("governance.agendadocument", pk)] = by_meeting[meeting_pk]
    return found


def _meeting_parts(meeting: Meeting) -> list[object]:
    from secretariat.governance import agenda

    items = agenda.ordered(meeting.items.all())
    documents = list(
        AgendaDocument.objects.filter(item__meeting=meeting).order_by("item", "position")
    )
    return [*items, *documents]


def register() -> None:
    register_deadlines(meeting_deadlines)
    register_parts(Meeting, _meeting_parts)
    register_link(Body, lambda o: reverse("body_detail", args=[o.organisation.slug, o.pk]))
    register_link(Meeting, lambda o: reverse("meeting_detail", args=[o.organisation.slug, o.pk]))
    register_link(
        AgendaItem,
        lambda o: reverse("item_edit", args=[o.organisation.slug, o.meeting_id, o.pk]),
    )
    register_link(
        AgendaDocument,
        lambda o: reverse(
            "item_documents", args=[o.organisation.slug, o.item.meeting_id, o.item_id]
        ),
    )
    register_link(Decision, lambda o: reverse("decision_detail", args=[o.organisation.slug, o.pk]))
    register_link(
        FollowUpAction, lambda o: reverse("action_edit", args=[o.organisation.slug, o.pk])
    )
    register_link(
        WrittenProcedure, lambda o: reverse("written_detail", args=[o.organisation.slug, o.pk])
    )
