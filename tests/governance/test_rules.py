"""The statutory rules, with hypothesis, and the scenarios of the demo bodies."""

import datetime
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from secretariat.governance import rules
from secretariat.governance.rules import (
    Base,
    Basis,
    Counting,
    Majority,
    MajorityRule,
    Presence,
    ProxyRule,
    QuorumRule,
    Seat,
    Tally,
    Vote,
)

days = st.integers(min_value=0, max_value=60)
dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))


@given(dates, days, st.sampled_from(list(Counting)))
def test_the_deadline_is_the_last_day_that_respects_the_notice_period(
    meeting: datetime.date, n: int, counting: Counting
) -> None:
    deadline = rules.notice_deadline(meeting, n, counting)
    assert rules.notice_met(deadline, meeting, n, counting)
    assert not rules.notice_met(deadline + datetime.timedelta(days=1), meeting, n, counting)
    assert rules.earliest_meeting_day(deadline, n, counting) == meeting


def test_clear_days_exclude_the_day_of_sending_and_the_day_of_the_meeting() -> None:
    meeting = datetime.date(2026, 6, 15)
    assert rules.notice_deadline(meeting, 14, Counting.CALENDAR) == datetime.date(2026, 6, 1)
    assert rules.notice_deadline(meeting, 14, Counting.CLEAR) == datetime.date(2026, 5, 31)


@given(
    st.fractions(min_value=0, max_value=1000, max_denominator=7),
    st.fractions(min_value=Fraction(1, 5), max_value=1, max_denominator=5),
    st.booleans(),
)
def test_threshold_is_the_smallest_whole_count_that_satisfies_the_rule(
    total: Fraction, share: Fraction, strict: bool
) -> None:
    total = Fraction(int(total))
    need = rules.threshold(total, share, strict, whole=True)
    assert need.denominator == 1

    def ok(count: Fraction) -> bool:
        return count > total * share if strict else count >= total * share

    assert ok(need)
    assert not ok(need - 1)


def seats(n: int, delegations: int = 1, weights: list[int] | None = None) -> list[Seat]:
    return [
        Seat(member=i, delegation=i % delegations, weight=Fraction(weights[i] if weights else 1))
        for i in range(n)
    ]


@given(st.integers(1, 60), st.data())
def test_more_people_present_never_loses_the_quorum(n: int, data: st.DataObject) -> None:
    body = seats(n, delegations=4)
    present = data.draw(st.frozensets(st.integers(0, n - 1)))
    extra = data.draw(st.integers(0, n - 1))
    for basis in Basis:
        rule = QuorumRule(basis=basis)
        before = rules.quorum(rule, body, Presence(present))
        after = rules.quorum(rule, body, Presence(present | {extra}))
        assert not before.met or after.met


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_majorities_follow_their_definitions(yes: int, no: int, abstain: int) -> None:
    body = seats(150)
    presence = Presence(frozenset(range(150)))
    votes = Tally(Fraction(yes), Fraction(no), Fraction(abstain))

    def adopted(kind: Majority, base: Base = Base.CAST) -> bool:
        return rules.decide(
            majority=MajorityRule(kind, base),
            quorum_rule=QuorumRule(),
            seats=body,
            presence=presence,
            votes=votes,
        ).adopted

    assert adopted(Majority.SIMPLE) == (yes > no)
    assert adopted(Majority.ABSOLUTE) == (2 * yes > yes + no)
    assert adopted(Majority.ABSOLUTE, Base.CAST_AND_ABSTENTIONS) == (2 * yes > yes + no + abstain)
    assert adopted(Majority.TWO_THIRDS) == (yes + no > 0 and 3 * yes >= 2 * (yes + no))
    assert adopted(Majority.CONSENSUS) == (no == 0 and yes > 0)
    if adopted(Majority.UNANIMITY, Base.PRESENT):
        assert (
            adopted(Majority.CONSENSUS)
            and adopted(Majority.TWO_THIRDS)
            and adopted(Majority.SIMPLE)
        )


@given(st.integers(0, 44), st.integers(0, 44))
def test_nothing_is_adopted_without_quorum(present: int, yes: int) -> None:
    assume(yes <= present)
    body = seats(44)
    outcome = rules.decide(
        majority=MajorityRule(Majority.SIMPLE),
        quorum_rule=QuorumRule(),
        seats=body,
        presence=Presence(frozenset(range(present))),
        votes=Tally(Fraction(yes)),
    )
    if present <= 22:
        assert not outcome.adopted and "quorum is not met" in outcome.reason


def test_quattropole_general_assembly_two_thirds_with_proxies() -> None:
    body = seats(44, delegations=4)  # 4 mayors + 10 councillors per city
    present = frozenset(range(32))
    proxies = {40: 0, 41: 1, 42: 2, 43: 3}
    outcome = rules.decide(
        majority=MajorityRule(Majority.TWO_THIRDS, Base.MEMBERS),
        quorum_rule=QuorumRule(share=Fraction(1, 2), strict=True),
        seats=body,
        presence=Presence(present, proxies),
        votes=Tally(Fraction(31), Fraction(4), Fraction(1)),
    )
    assert outcome.adopted
    assert (
        outcome.reason
        == "Adopted with 31 votes for out of 44 (two-thirds majority: 30 required). Quorum: 36 of 44 present or represented, 23 required."
    )


def test_greater_region_summit_unanimity_of_delegations_blocks_a_single_no() -> None:
    summit = [Seat(member=i, delegation=i) for i in range(11)]
    presence = Presence(frozenset(range(11)))
    votes = [Vote(i, "yes") for i in range(10)] + [Vote(10, "no")]
    outcome = rules.decide(
        majority=MajorityRule(Majority.UNANIMITY, Base.PRESENT, of_delegations=True),
        quorum_rule=QuorumRule(basis=Basis.DELEGATIONS, share=Fraction(1), strict=False),
        seats=summit,
        presence=presence,
        votes=rules.tally(summit, votes, weighted=False),
        delegation_votes=rules.delegation_tally(summit, votes),
    )
    assert not outcome.adopted
    assert outcome.delegations == Tally(Fraction(10), Fraction(1), Fraction(0))
    assert "Delegations: 10 for, 1 against; their majority is not reached." in outcome.reason


def test_weighted_quorum_must_exceed_half_of_the_weight() -> None:
    body = seats(3, weights=[2, 1, 1])
    rule = QuorumRule(basis=Basis.WEIGHT, share=Fraction(1, 2), strict=True)
    assert not rules.quorum(rule, body, Presence(frozenset({0}))).met  # 2 of 4: not more than half
    assert rules.quorum(rule, body, Presence(frozenset({0, 1}))).met


def test_a_double_majority_needs_both_members_and_delegations() -> None:
    body = [Seat(member=i, delegation=0 if i < 6 else i) for i in range(9)]  # one big delegation
    presence = Presence(frozenset(range(9)))
    votes = [Vote(i, "yes") for i in range(6)] + [Vote(i, "no") for i in range(6, 9)]
    outcome = rules.decide(
        majority=MajorityRule(Majority.SIMPLE, of_delegations=True),
        quorum_rule=QuorumRule(),
        seats=body,
        presence=presence,
        votes=rules.tally(body, votes, weighted=False),
        delegation_votes=rules.delegation_tally(body, votes),
    )
    assert outcome.votes.yes == 6 and not outcome.delegations_adopted and not outcome.adopted


def test_proxy_problems() -> None:
    body = seats(5)
    rule = ProxyRule(max_per_holder=1)
    presence = Presence(frozenset({0, 1}), {3: 0})
    assert rules.proxy_problems(rule, body, presence, 4, 1) == []
    assert any("maximum" in p for p in rules.proxy_problems(rule, body, presence, 4, 0))
    assert any("not attending" in p for p in rules.proxy_problems(rule, body, presence, 4, 2))
    assert any("attends" in p for p in rules.proxy_problems(rule, body, presence, 1, 0))
    assert any(
        "does not allow" in p
        for p in rules.proxy_problems(ProxyRule(allowed=False), body, presence, 4, 1)
    )


@given(st.integers(1, 20), st.data())
def test_a_proxy_counts_only_while_its_holder_is_present(n: int, data: st.DataObject) -> None:
    present = data.draw(st.frozensets(st.integers(0, n - 1)))
    giver = data.draw(st.integers(0, n - 1))
    holder = data.draw(st.integers(0, n - 1))
    assume(giver != holder and giver not in present)
    presence = Presence(present, {giver: holder})
    assert (giver in presence.represented()) == (holder in present)


_answers = st.dictionaries(
    st.integers(min_value=1, max_value=15), st.sampled_from(["yes", "no", "abstain"])
)


@given(st.integers(1, 15), _answers, st.sampled_from(list(Majority)))
def test_a_silence_procedure_adopts_exactly_when_nobody_objects(
    size: int, answers: dict[int, str], kind: Majority
) -> None:
    """However many agree, and whatever the body's majority, one objection breaks the silence;
    without one, silence and abstentions adopt the draft."""
    seats = [Seat(member=m) for m in range(1, size + 1)]
    answers = {m: c for m, c in answers.items() if m <= size}
    adopted, data = rules.written_outcome(
        rules.WrittenKind.SILENCE, seats, answers, MajorityRule(kind=kind), QuorumRule()
    )
    assert adopted == ("no" not in answers.values())
    assert data["agreed"] + data["objected"] + data["abstained"] + data["silent"] == size
    assert rules.reason_from_data(data).startswith("Adopted" if adopted else "Not adopted")


@given(st.integers(1, 15), _answers)
def test_a_written_vote_counts_only_the_members_who_answered(
    size: int, answers: dict[int, str]
) -> None:
    seats = [Seat(member=m) for m in range(1, size + 1)]
    answers = {m: c for m, c in answers.items() if m <= size}
    adopted, data = rules.written_outcome(
        rules.WrittenKind.VOTE, seats, answers, MajorityRule(), QuorumRule()
    )
    yes = sum(1 for c in answers.values() if c == "yes")
    no = sum(1 for c in answers.values() if c == "no")
    quorum = len(answers) > size / 2
    assert adopted == (quorum and yes > no)
    assert data["silent"] == size - len(answers)


# Delegations voting as a block -------------------------------------------------------------------

_members = st.dictionaries(
    st.integers(min_value=1, max_value=30), st.sampled_from([1, 2, 3, None]), min_size=1
)


@given(
    _members,
    st.dictionaries(
        st.integers(min_value=1, max_value=30), st.sampled_from(["yes", "no", "abstain"])
    ),
)
def test_split_delegations_are_exactly_those_whose_members_voted_differently(
    members: dict[int, int | None], ballots: dict[int, str]
) -> None:
    seats = [Seat(member=m, delegation=d) for m, d in members.items()]
    votes = [rules.Vote(m, c) for m, c in ballots.items()]
    split = set(rules.split_delegations(seats, votes))
    for delegation in set(members.values()):
        chosen = {c for m, c in ballots.items() if members.get(m, "none") == delegation}
        assert (delegation in split) == (len(chosen) > 1)


@given(
    _members,
    st.sets(st.integers(min_value=1, max_value=30)),
    st.dictionaries(st.integers(min_value=1, max_value=30), st.sampled_from(["yes", "no"])),
)
def test_silent_delegations_are_those_present_without_a_single_vote(
    members: dict[int, int | None], present: set[int], ballots: dict[int, str]
) -> None:
    seats = [Seat(member=m, delegation=d) for m, d in members.items()]
    presence = Presence(frozenset(present))
    votes = [rules.Vote(m, c) for m, c in ballots.items()]
    silent = set(rules.silent_delegations(seats, presence, votes))
    for delegation in set(members.values()):
        here = any(d == delegation and m in present for m, d in members.items())
        voted = any(members.get(m, "none") == delegation for m in ballots)
        assert (delegation in silent) == (here and not voted)


@given(_members, st.sets(st.integers(min_value=1, max_value=30)), st.data())
def test_a_block_vote_casts_each_voting_delegations_choice_for_all_its_members_counted(
    members: dict[int, int | None], present: set[int], data: st.DataObject
) -> None:
    seats = [Seat(member=m, delegation=d) for m, d in members.items()]
    choice = {d: data.draw(st.sampled_from(["yes", "no", "abstain"])) for d in members.values()}
    voters = data.draw(st.sets(st.sampled_from(sorted(members))))
    votes = [rules.Vote(m, choice[members[m]]) for m in voters]
    cast = {v.member: v.choice for v in rules.block_votes(seats, frozenset(present), votes)}
    voting = {members[m] for m in voters}
    for member, delegation in members.items():
        if member in present and delegation in voting:
            assert cast[member] == choice[delegation]
        else:
            assert member not in cast
