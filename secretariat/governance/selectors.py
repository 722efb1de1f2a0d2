"""Reads of bodies, memberships and presidencies, and the lists of meetings, decisions,
follow-up actions and messages that the pages and the API share: what a list holds, in which
order and for whom is decided here once. The organisation scope keeps every read to one
organisation."""

import datetime
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from secretariat.core import permissions
from secretariat.core.access import Access
from secretariat.core.models import Organisation
from secretariat.core.permissions import Perm
from secretariat.governance.models import (
    ActionStatus,
    Body,
    Decision,
    Delivery,
    DeliveryStatus,
    FollowUpAction,
    Meeting,
    Membership,
    Presidency,
)


def body_list(*, organisation: Organisation, kind: str = "") -> QuerySet[Body]:
    today = timezone.localdate()
    queryset = Body.objects.filter(organisation=organisation)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.annotate(
        member_count=Count(
            "memberships",
            filter=Q(memberships__end__isnull=True) | Q(memberships__end__gte=today),
        )
    ).order_by("kind", "id")


def memberships_of(
    *, body: Body, current_only: bool = True, on: datetime.date | None = None
) -> QuerySet[Membership]:
    queryset = body.memberships.select_related("person", "partner", "substitute_for__person")
    if current_only:
        day = on or timezone.localdate()
        queryset = queryset.filter(Q(end__isnull=True) | Q(end__gte=day)).filter(
            Q(start__isnull=True) | Q(start__lte=day)
        )
    return queryset.order_by("role", "partner_id", "person__family_name", "id")


def current_presidency(
    *, organisation: Organisation, on: datetime.date | None = None
) -> Presidency | None:
    day = on or timezone.localdate()
    return (
        Presidency.objects.filter(organisation=organisation, start__lte=day, end__gte=day)
        .select_related("partner", "president")
        .first()
    )


def presidency_list(*, organisation: Organisation) -> QuerySet[Presidency]:
    return Presidency.objects.filter(organisation=organisation).select_related(
        "partner", "president"
    )


def counts(*, organisation: Organisation) -> dict[str, int]:
    return {"bodies": Body.objects.filter(organisation=organisation).count()}


# Past this, a queued message is waiting for a worker rather than being sent: the worker takes
# a convocation of thousands of members in a minute or two.
MAIL_WAITING_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class MailWaiting:
    count: int
    since: datetime.datetime


def mail_waiting(
    *, organisation: Organisation, meeting: Meeting | None = None
) -> MailWaiting | None:
    """Messages queued (or left being sent) for longer than ``MAIL_WAITING_AFTER`` (of one
    meeting, or of all), which tells staff that the background worker is probably not
    running."""
    queued = Delivery.objects.filter(
        organisation=organisation,
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING],
        queued_at__lt=timezone.now() - MAIL_WAITING_AFTER,
    )
    if meeting is not None:
        queued = queued.filter(invitation__meeting=meeting)
    found = queued.aggregate(count=Count("id"), since=Min("queued_at"))
    return MailWaiting(found["count"], found["since"]) if found["count"] else None


# Lists shared by the pages and the API ---------------------------------------------------------

When = Literal["upcoming", "past"]


def meeting_list(
    *,
    body: int | None = None,
    when: When | None = None,
    after: datetime.datetime | None = None,
    before: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Meeting]:
    """Meetings of one body or all, starting within [after, before): the upcoming ones (not
    ended yet) soonest first, the past ones latest first, otherwise in the order of their
    start."""
    meetings = Meeting.objects.select_related("body")
    if body is not None:
        meetings = meetings.filter(body_id=body)
    if after is not None:
        meetings = meetings.filter(start__gte=after)
    if before is not None:
        meetings = meetings.filter(start__lt=before)
    moment = now or timezone.now()
    if when == "upcoming":
        return meetings.filter(end__gte=moment).order_by("start", "id")
    if when == "past":
        return meetings.filter(end__lt=moment).order_by("-start", "-id")
    return meetings.order_by("start", "id")


def decision_list(
    *,
    reader: Access,
    body: int | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet[Decision]:
    """The register, latest first: the decisions ``reader`` may read (confidential ones only
    for those who read every decision)."""
    found = Decision.objects.select_related("body", "meeting")
    if not permissions.can(reader, Perm.DECISION_VIEW):
        found = found.filter(public=True)
    if body is not None:
        found = found.filter(body_id=body)
    if year is not None:
        found = found.filter(year=year)
    if status:
        found = found.filter(status=status)
    return found.order_by("-decided_on", "-sequence")


OPEN_ACTIONS = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


def action_list(
    *,
    reader: Access,
    body: int | None = None,
    partner: int | None = None,
    open_only: bool = True,
) -> QuerySet[FollowUpAction]:
    """Follow-up actions, the earliest due first: of one body's
    decisions, owned by one partner or by people affiliated to it, open or in progress unless
    ``open_only`` is false. An action tells what a decision asked for: the actions of
    decisions ``reader`` may not read are left out."""
    actions = FollowUpAction.objects.select_related(
        "decision__body", "owner_person", "owner_partner"
    )
    if not permissions.can(reader, Perm.DECISION_VIEW):
        actions = actions.filter(decision__public=True)
    if body is not None:
        actions = actions.filter(decision__body_id=body)
    if partner is not None:
        actions = actions.filter(
            Q(owner_partner_id=partner) | Q(owner_person__affiliations__partner_id=partner)
        ).distinct()
    if open_only:
        actions = actions.filter(status__in=OPEN_ACTIONS)
    return actions.order_by("due", "id")


def delivery_list(
    *, reader: Access, meeting: Meeting, status: str | None = None
) -> QuerySet[Delivery]:
    """The messages of a meeting (convocation, updates, reminders), the latest first, for those
    who may see who was sent what at which address; nothing for the others."""
    if not permissions.can(reader, Perm.DELIVERY_VIEW):
        return Delivery.objects.none()
    deliveries = Delivery.objects.filter(invitation__meeting=meeting).select_related(
        "invitation__person"
    )
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-queued_at", "-id")
