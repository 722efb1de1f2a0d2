"""On the day: sign-in, quorum per item, votes with their reasoning, the register, minutes and
follow-up — with the demo bodies' shapes (44-member assembly, 11-member summit)."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from secretariat.governance import agenda, attendance, body_rules, convocation, decisions
from secretariat.governance.models import Decision, Delivery, Invitation, ItemKind, MeetingState
from tests import factories

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")
# The meetings of these tests are on fixed days; the clock is set a few weeks before them.
pytestmark = pytest.mark.time_machine(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LU))


@pytest.fixture(autouse=True)
def _no_mail(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def assembly_of(org: Any, clock: Any, size: int = 44, cities: int = 4) -> dict[str, Any]:
    """A convened assembly, with the clock moved to the afternoon of its day."""
    body = factories.body(
        org, short_code="AG", name={"fr": "Assemblée générale", "de": "Mitgliederversammlung"}
    )
    partners = [factories.partner(org) for _ in range(cities)]
    for n in range(size):
        factories.membership(body, factories.person(org), partner=partners[n % cities])
    meeting = factories.meeting(
        body,
        start=datetime.datetime(2026, 12, 10, 14, 0, tzinfo=LU),
        end=datetime.datetime(2026, 12, 10, 17, 0, tzinfo=LU),
        title={"fr": "AG", "de": "MV"},
    )
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget", "de": "Haushalt"},
        draft_decision={"fr": "Le budget est adopté.", "de": "Der Haushalt wird beschlossen."},
    )
    convocation.meeting_convene(meeting=meeting, by=None)
    clock.move_to(meeting.start + datetime.timedelta(minutes=5))
    return {
        "body": body,
        "meeting": meeting,
        "item": item,
        "invitations": list(Invitation.objects.filter(meeting=meeting).order_by("id")),
    }


def test_the_44_member_assembly_adopts_with_two_thirds_and_the_reasoning(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine)
    rules = body_rules.rules_of(a["body"])
    rules.majority_kind, rules.majority_base = "two_thirds", "members"
    rules.save()
    present, absent = a["invitations"][:32], a["invitations"][32:]
    for invitation in present:
        attendance.invitation_answer(invitation=invitation, answer="in_person", by=None)
        decisions.invitation_arrive(invitation=invitation, by=None)
    for giver, holder in zip(absent[:4], present[:4], strict=True):
        attendance.invitation_answer(invitation=giver, answer="proxy", proxy_to=holder, by=None)
    vote = decisions.vote_record(item=a["item"], by=None, yes=31, no=4, abstain=1)
    assert vote.adopted
    assert (
        vote.reason
        == "Adopted with 31 votes for out of 44 (two-thirds majority: 30 required). Quorum: 36 of 44 present or represented, 23 required."
    )
    decision = Decision.objects.get(item=a["item"])
    assert decision.number == "AG-2026-01" and decision.status == "adopted"
    assert decision.text == {"fr": "Le budget est adopté.", "de": "Der Haushalt wird beschlossen."}


def test_more_votes_than_members_present_is_refused(org: Any, time_machine: Any) -> None:
    a = assembly_of(org, time_machine, size=8, cities=2)
    for invitation in a["invitations"][:5]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    with pytest.raises(ValidationError, match="more than the 5 members"):
        decisions.vote_record(item=a["item"], by=None, yes=4, no=2)
    assert not Decision.objects.exists()


def test_an_item_cannot_be_voted_without_quorum_and_departures_count(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=10, cities=2)
    for invitation in a["invitations"][:6]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    assert decisions.quorum_at(a["meeting"], a["item"]).met
    for invitation in a["invitations"][:2]:
        decisions.invitation_leave(invitation=invitation, by=None, item=a["item"])
    with pytest.raises(ValidationError, match="quorum is not met for item 1: 4 of 10"):
        decisions.vote_record(item=a["item"], by=None, yes=4)


def test_the_summit_votes_by_roll_call_with_a_double_majority_of_delegations(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=11, cities=11)
    rules = body_rules.rules_of(a["body"])
    rules.double_majority, rules.majority_kind, rules.majority_base = True, "unanimity", "present"
    rules.save()
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    ballots = {i.pk: "yes" for i in a["invitations"]}
    ballots[a["invitations"][-1].pk] = "no"
    vote = decisions.vote_record(item=a["item"], by=None, ballots=ballots)
    assert (
        not vote.adopted
        and "Delegations: 10 for, 1 against; their majority is not reached." in vote.reason
    )
    assert Decision.objects.get(item=a["item"]).status == "rejected"
    with pytest.raises(ValidationError, match="roll call"):
        decisions.vote_record(item=a["item"], by=None, yes=11)


def test_numbers_run_per_body_and_year_and_postponed_items_are_registered(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=4, cities=2)
    Delivery.objects.update(status="sent")  # the convocation has gone out
    second = agenda.item_add(
        meeting=a["meeting"],
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Statuts", "de": "Satzung"},
        draft_decision={"fr": "x", "de": "y"},
    )
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=a["item"], by=None, yes=4)
    postponed = decisions.item_set_status(item=second, status="postponed", by=None)
    assert postponed.number == "AG-2026-02" and postponed.status == "postponed"
    decisions.vote_correct(
        item=a["item"], by=None, reason="One member voted against.", yes=3, no=1
    )  # a corrected count keeps its number
    assert list(Decision.objects.order_by("sequence").values_list("number", flat=True)) == [
        "AG-2026-01",
        "AG-2026-02",
    ]


def test_minutes_are_approved_at_the_next_meeting(org: Any, time_machine: Any) -> None:
    a = assembly_of(org, time_machine, size=4, cities=2)
    agenda.item_update(
        item=a["item"],
        by=None,
        minutes={"fr": "Le budget a été discuté.", "de": "Der Haushalt wurde erörtert."},
    )
    convocation.meeting_set_state(meeting=a["meeting"], state=MeetingState.HELD, by=None)
    later = factories.meeting(
        a["body"],
        start=datetime.datetime(2027, 3, 4, 14, 0, tzinfo=LU),
        end=datetime.datetime(2027, 3, 4, 16, 0, tzinfo=LU),
        title={"fr": "AG 2", "de": "MV 2"},
    )
    approval = later.items.get(kind=ItemKind.MINUTES_APPROVAL)
    convocation.meeting_convene(meeting=later, by=None)
    time_machine.move_to(later.start)
    for invitation in later.invitations.all():
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=approval, by=None, yes=4)
    a["meeting"].refresh_from_db()
    assert a["meeting"].state == MeetingState.MINUTES_APPROVED
    version = a["meeting"].minutes_versions.get()
    assert version.approved_at_meeting == later
    assert version.content[str(a["item"].pk)]["de"] == "Der Haushalt wurde erörtert."


def test_follow_up_actions_need_an_owner_of_the_organisation(
    org: Any, other_org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=4, cities=2)
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=a["item"], by=None, yes=4)
    decision = Decision.objects.get()
    with pytest.raises(ValidationError) as error:
        decisions.action_create(
            decision=decision,
            by=None,
            title={"fr": "Publier"},
            owner_person=factories.person(other_org),
        )
    assert "owner_person" in error.value.message_dict
    owner = factories.person(org)
    action = decisions.action_create(
        decision=decision,
        by=None,
        title={"fr": "Publier le budget"},
        owner_person=owner,
        due="2027-01-15",
    )
    assert list(decisions.actions_due(organisation=org, on=datetime.date(2027, 1, 16))) == [action]
    decisions.action_update(action=action, by=None, status="done")
    action.refresh_from_db()
    assert action.progress == 100
    assert not decisions.actions_due(organisation=org, on=datetime.date(2027, 1, 16)).exists()


def test_a_roll_call_per_delegation_casts_each_delegations_choice_for_its_members(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=8, cities=2)
    for invitation in a["invitations"][:6]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    partners = sorted({i.membership.partner_id for i in a["invitations"]})
    vote = decisions.vote_record(
        item=a["item"], by=None, delegation_ballots={partners[0]: "yes", partners[1]: "no"}
    )
    assert (vote.yes, vote.no) == (3, 3) and not vote.adopted
    assert vote.ballots.count() == 6


def test_the_reasoning_reads_in_each_language_from_the_recorded_outcome(
    org: Any, time_machine: Any
) -> None:
    from django.utils import translation

    from secretariat.governance import rules as pure

    a = assembly_of(org, time_machine, size=4, cities=2)
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    vote = decisions.vote_record(item=a["item"], by=None, yes=3, no=1)
    with translation.override("en"):
        assert pure.reason_from_data(vote.outcome_data) == vote.reason
    with translation.override("de"):
        german = pure.reason_from_data(Decision.objects.get().outcome_data)
    assert (
        german.startswith("angenommen") or german.startswith("beschlossen") or german != vote.reason
    )


def test_a_second_vote_is_refused_and_a_correction_needs_a_reason_and_keeps_both(
    org: Any, time_machine: Any, client: Any, admin: Any
) -> None:
    from secretariat.core.models import AuditEntry

    a = assembly_of(org, time_machine, size=4, cities=2)
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=a["item"], by=None, yes=3, no=1)
    convocation.meeting_set_state(meeting=a["meeting"], state=MeetingState.HELD, by=None)
    time_machine.move_to(a["meeting"].start + datetime.timedelta(days=40))

    with pytest.raises(ValidationError, match="already been put to the vote"):
        decisions.vote_record(item=a["item"], by=None, yes=1, no=3)
    assert Decision.objects.get(item=a["item"]).status == "adopted"
    with pytest.raises(ValidationError, match="why"):
        decisions.vote_correct(item=a["item"], by=None, reason="  \r\n ", yes=1, no=3)
    assert Decision.objects.get(item=a["item"]).status == "adopted"

    vote = decisions.vote_correct(
        item=a["item"], by=None, reason="Two ballots were counted twice.", yes=1, no=3
    )
    decision = Decision.objects.get(item=a["item"])
    assert not vote.adopted and decision.status == "rejected"
    assert decision.number == "AG-2026-01"
    entry = AuditEntry.objects.filter(object_id=a["item"].pk, changes__has_key="correction").get()
    assert entry.changes["correction"] == [None, "Two ballots were counted twice."]
    assert entry.changes["for"] == ["3", "1"] and entry.changes["against"] == ["1", "3"]
    assert entry.changes["vote"][0]["adopted"] and not entry.changes["vote"][1]["adopted"]
    register_entry = AuditEntry.objects.filter(
        content_type__model="decision", object_id=decision.pk, action="update"
    ).get()
    assert register_entry.changes["status"] == ["adopted", "rejected"]
    from django.urls import reverse

    client.force_login(admin)
    page = client.get(reverse("meeting_detail", args=[org.slug, a["meeting"].pk]))
    html = page.content.decode()
    assert "The vote was corrected: Two ballots were counted twice." in html
    assert "Rejected with 1 vote for out of 4" in html or "Rejected: 1 vote for" in html
    admin.language = "de"
    admin.save()
    german = client.get(reverse("meeting_detail", args=[org.slug, a["meeting"].pk]))
    assert "Abgelehnt: 1 Ja-Stimme" in german.content.decode()


def test_nothing_is_signed_voted_or_held_before_the_meetings_day(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=4, cities=2)
    time_machine.move_to(a["meeting"].start - datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="from the day of the meeting"):
        decisions.invitation_arrive(invitation=a["invitations"][0], by=None)
    with pytest.raises(ValidationError, match="from the day of the meeting"):
        decisions.vote_record(item=a["item"], by=None, yes=4)
    with pytest.raises(ValidationError, match="from its day"):
        convocation.meeting_set_state(meeting=a["meeting"], state=MeetingState.HELD, by=None)
    assert not Decision.objects.exists()
    a["meeting"].refresh_from_db()
    assert a["meeting"].state == MeetingState.CONVENED
    # On the day, from its first minute in the meeting's time zone, it can.
    local = a["meeting"].local_start
    time_machine.move_to(local.replace(hour=0, minute=1))
    decisions.invitation_arrive(invitation=a["invitations"][0], by=None)


def block_assembly(org: Any, clock: Any) -> dict[str, Any]:
    """Two delegations of three members each; each delegation votes as a block."""
    a = assembly_of(org, clock, size=6, cities=2)
    stored = body_rules.rules_of(a["body"])
    stored.delegation_block_vote = True
    stored.majority_kind, stored.majority_base = "two_thirds", "cast"
    stored.save()
    a["delegations"] = sorted({i.membership.partner_id for i in a["invitations"]})
    a["by_delegation"] = {
        d: [i for i in a["invitations"] if i.membership.partner_id == d] for d in a["delegations"]
    }
    return a


def test_a_ballot_that_splits_a_delegation_voting_as_a_block_is_refused(
    org: Any, time_machine: Any
) -> None:
    a = block_assembly(org, time_machine)
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    first, second = (a["by_delegation"][d] for d in a["delegations"])
    ballots = {i.pk: "yes" for i in first + second}
    ballots[second[0].pk] = "no"
    with pytest.raises(ValidationError, match="did not all vote alike"):
        decisions.vote_record(item=a["item"], by=None, ballots=ballots)
    with pytest.raises(ValidationError, match="as a block"):
        decisions.vote_record(item=a["item"], by=None, yes=5, no=1)
    assert not Decision.objects.exists()
    # One voice per delegation is its delegation's vote: all its members present count.
    one_each = {first[0].pk: "yes", second[0].pk: "no"}
    vote = decisions.vote_record(item=a["item"], by=None, ballots=one_each)
    assert (vote.yes, vote.no) == (3, 3) and vote.ballots.count() == 6 and not vote.adopted


def test_a_vote_by_delegations_in_which_a_delegation_present_is_silent_asks_for_confirmation(
    org: Any, time_machine: Any
) -> None:
    a = block_assembly(org, time_machine)
    for invitation in a["invitations"]:
        decisions.invitation_arrive(invitation=invitation, by=None)
    alone = {a["delegations"][0]: "yes"}
    with pytest.raises(ValidationError, match="present but did not vote") as refused:
        decisions.vote_record(item=a["item"], by=None, delegation_ballots=alone)
    assert refused.value.code == "incomplete"
    assert not Decision.objects.exists()
    vote = decisions.vote_record(
        item=a["item"], by=None, delegation_ballots=alone, confirm_incomplete=True
    )
    assert (vote.yes, vote.no) == (3, 0)


def test_a_corrected_approval_of_minutes_withdraws_the_approval(
    org: Any, time_machine: Any
) -> None:
    a = assembly_of(org, time_machine, size=4, cities=2)
    convocation.meeting_set_state(meeting=a["meeting"], state=MeetingState.HELD, by=None)
    later = factories.meeting(a["body"], title={"fr": "AG 2", "de": "MV 2"})
    approval = later.items.get(kind=ItemKind.MINUTES_APPROVAL)
    convocation.meeting_convene(meeting=later, by=None)
    time_machine.move_to(later.start)
    for invitation in later.invitations.all():
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=approval, by=None, yes=4)
    a["meeting"].refresh_from_db()
    assert a["meeting"].state == MeetingState.MINUTES_APPROVED
    decisions.vote_correct(item=approval, by=None, reason="Miscounted.", yes=1, no=3)
    a["meeting"].refresh_from_db()
    assert a["meeting"].state == MeetingState.HELD
    assert not a["meeting"].minutes_versions.filter(approved_at_meeting__isnull=False).exists()


def test_a_member_replaced_by_their_substitute_counts_for_the_quorum_on_the_day(
    org: Any, time_machine: Any
) -> None:
    from secretariat.governance.models import MembershipRole

    body = factories.body(org)
    mayor, deputy, other = (factories.person(org) for _ in range(3))
    seat = factories.membership(body, mayor)
    factories.membership(body, deputy, role=MembershipRole.SUBSTITUTE, substitute_for=seat)
    factories.membership(body, other)
    meeting = factories.meeting(body, title={"fr": "Bureau", "de": "Präsidium"})
    item = agenda.item_add(
        meeting=meeting,
        by=None,
        kind=ItemKind.DECISION,
        title={"fr": "Budget", "de": "Haushalt"},
        draft_decision={"fr": "Adopté.", "de": "Beschlossen."},
    )
    convocation.meeting_convene(meeting=meeting, by=None)
    by_person = {i.person_id: i for i in meeting.invitations.all()}
    attendance.invitation_answer(invitation=by_person[mayor.pk], answer="substitute", by=None)
    time_machine.move_to(meeting.start)
    decisions.invitation_arrive(invitation=by_person[deputy.pk], by=None)
    decisions.invitation_arrive(invitation=by_person[other.pk], by=None)
    count = decisions.quorum_at(meeting, item)
    assert (count.have, count.total) == (2, 2)
