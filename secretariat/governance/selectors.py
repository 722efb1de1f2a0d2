"""Reads of bodies, memberships and presidencies, within one organisation."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from secretariat.core.models import Organisation
from secretariat.governance.models import (
    Body,
    Delivery,
    DeliveryStatus,
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
