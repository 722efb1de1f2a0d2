"""The date finder: for candidate dates, the public holidays of every member territory, the
last day to send the convocation, and the other meetings of the same people that day."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils import timezone

from secretariat.core.texts import object_label
from secretariat.governance import body_rules, rules
from secretariat.governance.holidays import Holiday, Territory, holidays_between
from secretariat.governance.models import Body, Meeting, MeetingState, Membership
from secretariat.network.models import Partner


@dataclass
class Candidate:
    day: datetime.date
    holidays: list[Holiday] = field(default_factory=list)
    send_by: datetime.date | None = None
    notice_possible: bool = True  # the convocation can still go out in time
    clashes: list[tuple[Meeting, int]] = field(default_factory=list)  # meeting, people shared

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def free(self) -> bool:
        return not self.holidays and not self.weekend and self.notice_possible and not self.clashes


def territories_of(body: Body) -> dict[Territory, list[str]]:
    """The jurisdictions of the partners represented in the body (else of all partners), with
    the partners in each, named in the reader's language."""
    partners = list(Partner.objects.filter(memberships__body=body).distinct())
    if not partners:
        partners = list(Partner.objects.all())
    found: dict[Territory, list[str]] = defaultdict(list)
    for partner in sorted(partners, key=lambda p: p.pk):
        label = object_label(partner.short_name) or object_label(partner.name)
        found[Territory(partner.country, partner.subdivision)].append(label)
    return dict(found)


def candidates(
    *,
    body: Body,
    days: list[datetime.date],
    language: str,
    today: datetime.date | None = None,
    exclude: Meeting | None = None,
) -> list[Candidate]:
    if not days:
        return []
    today = today or timezone.localdate()
    stored = body_rules.rules_of(body)
    territories = territories_of(body)
    found = holidays_between(territories, min(days), max(days), language)
    by_day: dict[datetime.date, list[Holiday]] = defaultdict(list)
    for holiday in found:
        by_day[holiday.day].append(
            replace(holiday, partners=tuple(territories.get(holiday.territory, ())))
        )
    people = set(
        Membership.objects.filter(body=body)
        .filter(Q(end__isnull=True) | Q(end__gte=min(days)))
        .values_list("person_id", flat=True)
    )
    others_query = Meeting.objects.filter(
        organisation=body.organisation, start__date__in=days
    ).exclude(state__in=[MeetingState.CANCELLED, MeetingState.POSTPONED])
    if exclude is not None:
        others_query = others_query.exclude(pk=exclude.pk)
    others = list(others_query.select_related("body"))
    in_body: dict[int, set[int]] = defaultdict(set)
    for body_id, person_id in Membership.objects.filter(
        body_id__in={m.body_id for m in others}, person_id__in=people
    ).values_list("body_id", "person_id"):
        in_body[body_id].add(person_id)
    shared = {m.pk: len(in_body[m.body_id]) for m in others}
    out = []
    for day in sorted(days):
        send_by = rules.notice_deadline(
            day, stored.notice_days, rules.Counting(stored.notice_counting)
        )
        clashes = [
            (m, shared.get(m.pk, 0)) for m in others if m.start.date() == day and shared.get(m.pk)
        ]
        out.append(
            Candidate(
                day=day,
                holidays=by_day.get(day, []),
                send_by=send_by,
                notice_possible=send_by >= today,
                clashes=clashes,
            )
        )
    return out
