import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from secretariat.governance import agenda, convocation, scheduling
from secretariat.governance.models import ItemKind, MeetingState
from tests import factories

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")


def test_items_are_numbered_in_order_with_sub_items_and_reordered(org) -> None:
    meeting = factories.meeting(factories.body(org))
    a = agenda.item_add(meeting=meeting, by=None, title={"fr": "Ouverture"})
    b = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget"}, kind=ItemKind.DECISION)
    b1 = agenda.item_add(meeting=meeting, by=None, parent=b, title={"fr": "Comptes 2025"})
    c = agenda.item_add(meeting=meeting, by=None, title={"fr": "Divers"})
    numbers = agenda.numbering(meeting.items.all())
    assert [numbers[i.pk] for i in (a, b, b1, c)] == ["1", "2", "2.1", "3"]
    agenda.agenda_reorder(
        meeting=meeting,
        by=None,
        order=[(b, None), (b1, None), (a, None), (c, b1)]
        and [(b.pk, None), (b1.pk, b.pk), (a.pk, None), (c.pk, a.pk)],
    )
    numbers = agenda.numbering(meeting.items.all())
    assert [numbers[i.pk] for i in (b, b1, a, c)] == ["1", "1.1", "2", "2.1"]
    assert [i.pk for i in agenda.ordered(meeting.items.all())] == [b.pk, b1.pk, a.pk, c.pk]


def test_a_reorder_must_list_every_item_once(org) -> None:
    meeting = factories.meeting(factories.body(org))
    a = agenda.item_add(meeting=meeting, by=None, title={"fr": "A"})
    agenda.item_add(meeting=meeting, by=None, title={"fr": "B"})
    with pytest.raises(ValidationError, match="exactly once"):
        agenda.agenda_reorder(meeting=meeting, by=None, order=[(a.pk, None)])


def test_the_next_meeting_starts_with_the_approval_of_the_previous_minutes(org) -> None:
    body = factories.body(org)
    first = factories.meeting(body, start=datetime.datetime(2026, 3, 5, 14, 0, tzinfo=LU))
    first.state = MeetingState.HELD
    first.save()
    second = factories.meeting(body, start=datetime.datetime(2026, 6, 4, 14, 0, tzinfo=LU))
    item = second.items.get()
    assert item.kind == ItemKind.MINUTES_APPROVAL and item.approves == first
    assert (
        "5" in item.title["fr"]
        and "2026" in item.title["fr"]
        and item.title["de"].startswith("Genehmigung")
    )


def test_meeting_validation(org) -> None:
    body = factories.body(org)
    start = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=LU)
    with pytest.raises(ValidationError) as error:
        agenda.meeting_plan(
            body=body,
            by=None,
            title={"fr": "X"},
            start=start,
            end=start - datetime.timedelta(hours=1),
            mode="hybrid",
            timezone="Mars/Olympus",
        )
    assert {"end", "online_url", "timezone"} <= set(error.value.message_dict)


def test_a_convened_meeting_raises_its_calendar_sequence_on_change(org) -> None:
    meeting = factories.meeting(factories.body(org))
    meeting.state = MeetingState.CONVENED
    meeting.save()
    agenda.meeting_update(meeting=meeting, by=None, room="Salle 2")
    assert meeting.sequence == 1
    agenda.meeting_update(meeting=meeting, by=None, room="Salle 2")
    assert meeting.sequence == 1  # nothing changed, nothing to announce


def test_the_date_finder_shows_holidays_of_every_member_territory_and_the_notice_deadline(
    org,
) -> None:
    body = factories.body(org)
    for country, subdivision in [
        ("LU", "LU-LU"),
        ("FR", "FR-57"),
        ("DE", "DE-SL"),
        ("DE", "DE-RP"),
    ]:
        factories.membership(
            body, partner=factories.partner(org, country=country, subdivision=subdivision)
        )
    days = [
        datetime.date(2026, 12, 26),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 6, 23),
        datetime.date(2026, 12, 9),
    ]
    found = {
        c.day: c
        for c in scheduling.candidates(
            body=body, days=days, language="fr", today=datetime.date(2026, 11, 20)
        )
    }
    # St Stephen's Day is a holiday in Moselle, Saarland, Rhineland-Palatinate and Luxembourg.
    assert {h.territory.label for h in found[datetime.date(2026, 12, 26)].holidays} == {
        "LU-LU",
        "FR-57",
        "DE-SL",
        "DE-RP",
    }
    # All Saints: Luxembourg, Moselle, Saarland and Rhineland-Palatinate alike.
    assert {h.territory.label for h in found[datetime.date(2026, 11, 1)].holidays} == {
        "LU-LU",
        "FR-57",
        "DE-SL",
        "DE-RP",
    }
    assert [h.territory.label for h in found[datetime.date(2026, 6, 23)].holidays] == [
        "LU-LU"
    ]  # National Day
    assert "Fête nationale" in found[datetime.date(2026, 6, 23)].holidays[0].name
    december = found[datetime.date(2026, 12, 9)]
    assert (
        december.send_by == datetime.date(2026, 11, 24)
        and december.notice_possible
        and december.free
    )


def test_the_date_finder_flags_other_meetings_of_the_same_people(org) -> None:
    body, board = factories.body(org), factories.body(org)
    mayor = factories.person(org)
    factories.membership(body, mayor)
    factories.membership(board, mayor)
    factories.meeting(board, start=datetime.datetime(2026, 12, 10, 9, 0, tzinfo=LU))
    found = scheduling.candidates(
        body=body,
        days=[datetime.date(2026, 12, 10)],
        language="fr",
        today=datetime.date(2026, 11, 1),
    )
    assert found[0].clashes and found[0].clashes[0][1] == 1 and not found[0].free


def test_an_item_moves_among_its_siblings_and_a_sub_item_stays_under_its_item(org) -> None:
    from secretariat.core.models import AuditEntry

    meeting = factories.meeting(factories.body(org))
    a = agenda.item_add(meeting=meeting, by=None, title={"fr": "Ouverture"})
    b = agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget"})
    b1 = agenda.item_add(meeting=meeting, by=None, parent=b, title={"fr": "Comptes"})
    b2 = agenda.item_add(meeting=meeting, by=None, parent=b, title={"fr": "Cotisations"})

    def reading() -> list[int]:
        return [i.pk for i in agenda.ordered(meeting.items.all())]

    agenda.item_move(item=b, direction="up", by=None)
    assert reading() == [b.pk, b1.pk, b2.pk, a.pk]
    agenda.item_move(item=b2, direction="up", by=None)
    assert reading() == [b.pk, b2.pk, b1.pk, a.pk]
    entries = AuditEntry.objects.filter(object_id=meeting.pk, changes__has_key="agenda").count()
    # At the end of its siblings an item stays, and nothing is recorded.
    agenda.item_move(item=b1, direction="down", by=None)
    agenda.item_move(item=b, direction="up", by=None)
    assert reading() == [b.pk, b2.pk, b1.pk, a.pk]
    assert (
        AuditEntry.objects.filter(object_id=meeting.pk, changes__has_key="agenda").count()
        == entries
    )
    convocation.meeting_set_state(meeting=meeting, state=MeetingState.CANCELLED, by=None)
    with pytest.raises(ValidationError, match="can no longer change"):
        agenda.item_move(item=a, direction="up", by=None)
