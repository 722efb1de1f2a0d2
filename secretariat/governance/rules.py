"""The statutory rules of a body as pure functions: notice periods, quorum, majorities, proxies
and written procedure. No ORM here: callers pass plain values, so that every rule can be tested
exhaustively (tests/governance/test_rules.py, with hypothesis).

Counting conventions, stated once:
- a *share* is a fraction of a base (members, weight or delegations); ``strict`` means the count
  must exceed the share ("more than half"), otherwise reach it ("at least two thirds");
- votes cast are for + against; abstentions are recorded, and count in the base only where the
  rule says so;
- a delegation is the set of voting members who represent one partner.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Notice periods ---------------------------------------------------------------------------------


class Counting(StrEnum):
    CALENDAR = "calendar"  # the meeting is at least N days after the day of sending
    CLEAR = "clear"  # N full days between, neither the day of sending nor of the meeting counted


def notice_deadline(meeting_day: datetime.date, days: int, counting: Counting) -> datetime.date:
    """The last day on which the convocation may be sent for the meeting to be regular."""
    return meeting_day - datetime.timedelta(days=days + (1 if counting == Counting.CLEAR else 0))


def notice_met(
    sent_on: datetime.date, meeting_day: datetime.date, days: int, counting: Counting
) -> bool:
    return sent_on <= notice_deadline(meeting_day, days, counting)


def earliest_meeting_day(sent_on: datetime.date, days: int, counting: Counting) -> datetime.date:
    return sent_on + datetime.timedelta(days=days + (1 if counting == Counting.CLEAR else 0))


# Seats, presence and proxies --------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """One voting member of the body, as the rules see them."""

    member: int
    delegation: int | None = None  # the represented partner
    weight: Fraction = Fraction(1)


@dataclass(frozen=True)
class Presence:
    present: frozenset[int] = frozenset()  # in person or online
    # proxy giver -> proxy holder; the giver is represented while the holder is present
    proxies: Mapping[int, int] = field(default_factory=dict)

    def represented(self) -> frozenset[int]:
        return frozenset(giver for giver, holder in self.proxies.items() if holder in self.present)

    def counted(self, with_represented: bool) -> frozenset[int]:
        return self.present | self.represented() if with_represented else self.present


@dataclass(frozen=True)
class ProxyRule:
    allowed: bool = True
    max_per_holder: int = 1
    same_delegation_only: bool = False


def proxy_problems(
    rule: ProxyRule,
    seats: Iterable[Seat],
    presence: Presence,
    giver: int,
    holder: int,
) -> list[str]:
    """Why ``giver`` may not give a proxy to ``holder`` (an empty list when they may)."""
    by_member = {s.member: s for s in seats}
    problems = []
    if not rule.allowed:
        problems.append(_("This body does not allow proxies."))
    if giver == holder:
        problems.append(_("A member cannot give a proxy to themselves."))
    if giver not in by_member or holder not in by_member:
        problems.append(_("Both the giver and the holder of a proxy must be voting members."))
        return problems
    if giver in presence.present:
        problems.append(_("A member who attends does not give a proxy."))
    if holder not in presence.present:
        problems.append(_("The proxy holder is not attending the meeting."))
    if holder in presence.proxies:
        problems.append(_("The proxy holder has given their own proxy to someone else."))
    carried = sum(1 for g, h in presence.proxies.items() if h == holder and g != giver)
    if carried >= rule.max_per_holder:
        problems.append(
            _("The proxy holder already carries the maximum of %(max)s proxies.")
            % {"max": rule.max_per_holder}
        )
    if rule.same_delegation_only and by_member[giver].delegation != by_member[holder].delegation:
        problems.append(_("Proxies may only be given within one's own delegation."))
    return problems


# Quorum -----------------------------------------------------------------------------------------


class Basis(StrEnum):
    MEMBERS = "members"
    WEIGHT = "weight"
    DELEGATIONS = "delegations"


@dataclass(frozen=True)
class QuorumRule:
    basis: Basis = Basis.MEMBERS
    share: Fraction = Fraction(1, 2)
    strict: bool = True  # "more than half" rather than "at least half"
    with_represented: bool = True


@dataclass(frozen=True)
class Count:
    have: Fraction
    need: Fraction  # the count to reach, or with ``exceed`` to pass
    total: Fraction
    exceed: bool = False  # weights have no "next whole number": the need must be exceeded

    @property
    def met(self) -> bool:
        return self.have > self.need if self.exceed else self.have >= self.need


def threshold(total: Fraction, share: Fraction, strict: bool, whole: bool) -> Fraction:
    """The smallest count that reaches (or, if strict, exceeds) ``share`` of ``total``; for
    whole things (members, delegations) a whole number."""
    exact = total * share
    if not whole:
        return exact
    need = Fraction(int(exact)) if exact.denominator == 1 else Fraction(int(exact) + 1)
    return need + 1 if strict and exact.denominator == 1 else need


def _delegations(seats: Iterable[Seat], members: frozenset[int]) -> set[int | None]:
    return {s.delegation for s in seats if s.member in members}


def quorum(rule: QuorumRule, seats: Iterable[Seat], presence: Presence) -> Count:
    seats = list(seats)
    counted = presence.counted(rule.with_represented) & {s.member for s in seats}
    if rule.basis == Basis.WEIGHT:
        total = sum((s.weight for s in seats), Fraction(0))
        have = sum((s.weight for s in seats if s.member in counted), Fraction(0))
        return Count(have, total * rule.share, total, exceed=rule.strict)
    if rule.basis == Basis.DELEGATIONS:
        all_delegations = {s.delegation for s in seats}
        total = Fraction(len(all_delegations))
        have = Fraction(len(_delegations(seats, counted)))
    else:
        total = Fraction(len(seats))
        have = Fraction(len(counted))
    return Count(have, threshold(total, rule.share, rule.strict, whole=True), total)


# Majorities -------------------------------------------------------------------------------------


class Majority(StrEnum):
    SIMPLE = "simple"  # more for than against
    ABSOLUTE = "absolute"  # more than half of the base
    TWO_THIRDS = "two_thirds"  # at least two thirds of the base
    UNANIMITY = "unanimity"  # everyone counted votes for
    CONSENSUS = "consensus"  # nobody against


class Base(StrEnum):
    CAST = "cast"  # for + against
    CAST_AND_ABSTENTIONS = "cast_and_abstentions"
    PRESENT = "present"  # present or represented voting members (or their weight)
    MEMBERS = "members"  # all voting members of the body (or their weight)


@dataclass(frozen=True)
class MajorityRule:
    kind: Majority = Majority.SIMPLE
    base: Base = Base.CAST
    # A double majority: the same majority among the partner delegations, each voting as the
    # majority of its own members present.
    of_delegations: bool = False


@dataclass(frozen=True)
class Tally:
    yes: Fraction = Fraction(0)
    no: Fraction = Fraction(0)
    abstain: Fraction = Fraction(0)

    @property
    def cast(self) -> Fraction:
        return self.yes + self.no


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    quorum: Count
    votes: Tally
    base: Fraction
    need: Fraction | None  # None for the simple majority and consensus
    delegations: Tally | None = None
    delegations_adopted: bool | None = None
    reason: str = ""


def _need(kind: Majority, base: Fraction) -> Fraction | None:
    if kind == Majority.ABSOLUTE:
        return threshold(base, Fraction(1, 2), strict=True, whole=base.denominator == 1)
    if kind == Majority.TWO_THIRDS:
        return threshold(base, Fraction(2, 3), strict=False, whole=base.denominator == 1)
    return None


def _passes(kind: Majority, votes: Tally, base: Fraction) -> bool:
    if kind == Majority.SIMPLE:
        return votes.yes > votes.no
    if kind == Majority.CONSENSUS:
        return votes.no == 0 and votes.yes > 0
    if kind == Majority.UNANIMITY:
        return votes.no == 0 and votes.abstain == 0 and votes.yes > 0 and votes.yes >= base
    need = _need(kind, base)
    assert need is not None
    if votes.yes <= 0:
        return False  # nothing is adopted without a single vote for it
    if kind == Majority.ABSOLUTE and base.denominator != 1:
        return votes.yes > base / 2
    return votes.yes >= need


def _base(rule: MajorityRule, votes: Tally, present: Fraction, members: Fraction) -> Fraction:
    return {
        Base.CAST: votes.cast,
        Base.CAST_AND_ABSTENTIONS: votes.cast + votes.abstain,
        Base.PRESENT: present,
        Base.MEMBERS: members,
    }[rule.base]


def figure(value: Fraction) -> str:
    """A count as the reader writes it: 31, or 2,5 in French and German for weighted votes."""
    if value.denominator == 1:
        return str(value.numerator)
    from django.utils import formats

    return formats.number_format(Decimal(f"{float(value):.2f}").normalize())


def plural(value: Fraction) -> int:
    """The number that chooses a plural form (weighted votes are fractions)."""
    return value.numerator if value.denominator == 1 else 2


def majority_label(kind: Majority) -> str:
    labels = {
        Majority.SIMPLE: _("simple majority"),
        Majority.ABSOLUTE: _("absolute majority"),
        Majority.TWO_THIRDS: _("two-thirds majority"),
        Majority.UNANIMITY: _("unanimity"),
        Majority.CONSENSUS: _("consensus"),
    }
    return str(labels[kind])


@dataclass(frozen=True)
class Vote:
    """One member's vote in a roll call (or the same choice for every member counted)."""

    member: int
    choice: str  # "yes", "no", "abstain"


def tally(seats: Iterable[Seat], votes: Iterable[Vote], weighted: bool) -> Tally:
    weights = {s.member: (s.weight if weighted else Fraction(1)) for s in seats}
    totals = {"yes": Fraction(0), "no": Fraction(0), "abstain": Fraction(0)}
    for vote in votes:
        totals[vote.choice] += weights.get(vote.member, Fraction(0))
    return Tally(totals["yes"], totals["no"], totals["abstain"])


def delegation_tally(seats: Iterable[Seat], votes: Iterable[Vote]) -> Tally:
    """Each delegation votes as the majority of its members who voted (a tie abstains)."""
    by_member = {s.member: s.delegation for s in seats}
    per: dict[int | None, Tally] = {}
    for vote in votes:
        delegation = by_member.get(vote.member)
        current = per.get(delegation, Tally())
        per[delegation] = Tally(
            current.yes + (vote.choice == "yes"),
            current.no + (vote.choice == "no"),
            current.abstain + (vote.choice == "abstain"),
        )
    yes = sum(1 for t in per.values() if t.yes > t.no)
    no = sum(1 for t in per.values() if t.no > t.yes)
    return Tally(Fraction(yes), Fraction(no), Fraction(len(per) - yes - no))


def split_delegations(seats: Iterable[Seat], votes: Iterable[Vote]) -> list[int | None]:
    """The delegations whose members did not all cast the same vote: refused where each
    delegation votes as a block."""
    by_member = {s.member: s.delegation for s in seats}
    choices: dict[int | None, set[str]] = {}
    for vote in votes:
        if vote.member in by_member:
            choices.setdefault(by_member[vote.member], set()).add(vote.choice)
    return sorted(
        (d for d, chosen in choices.items() if len(chosen) > 1), key=lambda d: (d is None, d or 0)
    )


def block_votes(
    seats: Iterable[Seat], counted: frozenset[int], votes: Iterable[Vote]
) -> list[Vote]:
    """Where each delegation votes as a block, the choice its members gave is cast by all its
    members present or represented (a delegation of three with one voice still counts three);
    the votes must not split a delegation (``split_delegations``)."""
    seats = list(seats)
    votes = list(votes)
    by_member = {s.member: s.delegation for s in seats}
    choice = {by_member[v.member]: v.choice for v in votes if v.member in by_member}
    return [
        Vote(s.member, choice[s.delegation])
        for s in seats
        if s.member in counted and s.delegation in choice
    ]


def silent_delegations(
    seats: Iterable[Seat], presence: Presence, votes: Iterable[Vote]
) -> list[int | None]:
    """The delegations with members present or represented of whom none voted: a vote by
    delegations without them is incomplete (one delegation alone can "adopt" anything)."""
    seats = list(seats)
    counted = presence.counted(True)
    voted = {vote.member for vote in votes}
    present = {s.delegation for s in seats if s.member in counted}
    voting = {s.delegation for s in seats if s.member in voted}
    return sorted(present - voting, key=lambda d: (d is None, d or 0))


def decide(
    *,
    majority: MajorityRule,
    quorum_rule: QuorumRule,
    seats: Iterable[Seat],
    presence: Presence,
    votes: Tally,
    weighted: bool = False,
    delegation_votes: Tally | None = None,
) -> Outcome:
    """Whether an item is adopted, with the reasoning a chair would read out."""
    seats = list(seats)
    quorum_count = quorum(quorum_rule, seats, presence)
    counted = presence.counted(True) & {s.member for s in seats}
    if weighted:
        present = sum((s.weight for s in seats if s.member in counted), Fraction(0))
        members = sum((s.weight for s in seats), Fraction(0))
    else:
        present, members = Fraction(len(counted)), Fraction(len(seats))
    base = _base(majority, votes, present, members)
    adopted = quorum_count.met and _passes(majority.kind, votes, base)
    delegations_adopted = None
    if majority.of_delegations:
        delegation_votes = delegation_votes or Tally()
        all_delegations = Fraction(len({s.delegation for s in seats}))
        delegation_present = Fraction(len(_delegations(seats, counted)))
        delegation_base = _base(majority, delegation_votes, delegation_present, all_delegations)
        delegations_adopted = _passes(majority.kind, delegation_votes, delegation_base)
        adopted = adopted and delegations_adopted
    need = _need(majority.kind, base)
    return Outcome(
        adopted=adopted,
        quorum=quorum_count,
        votes=votes,
        base=base,
        need=need,
        delegations=delegation_votes if majority.of_delegations else None,
        delegations_adopted=delegations_adopted,
        reason=_reason(
            majority,
            quorum_rule,
            quorum_count,
            votes,
            base,
            need,
            adopted,
            delegations_adopted,
            delegation_votes,
        ),
    )


def _fraction(text: str) -> Fraction:
    return Fraction(text)


def outcome_data(outcome: Outcome, majority: MajorityRule, quorum_rule: QuorumRule) -> dict:
    """The outcome as plain data, so that its reasoning can be read in any language later."""
    return {
        "adopted": outcome.adopted,
        "kind": majority.kind.value,
        "with_represented": quorum_rule.with_represented,
        "quorum": [
            str(outcome.quorum.have),
            str(outcome.quorum.need),
            str(outcome.quorum.total),
            outcome.quorum.exceed,
        ],
        "votes": [str(outcome.votes.yes), str(outcome.votes.no), str(outcome.votes.abstain)],
        "base": str(outcome.base),
        "need": str(outcome.need) if outcome.need is not None else None,
        "delegations": [
            str(outcome.delegations.yes),
            str(outcome.delegations.no),
            str(outcome.delegations.abstain),
        ]
        if outcome.delegations is not None
        else None,
        "delegations_adopted": outcome.delegations_adopted,
    }


def reason_from_data(data: dict) -> str:
    """The reasoning of a recorded outcome, in the active language."""
    if data.get("procedure") == "silence":
        return _silence_reason(data)
    have, need, total, exceed = data["quorum"]
    delegations = Tally(*map(_fraction, data["delegations"])) if data.get("delegations") else None
    text = _reason(
        MajorityRule(kind=Majority(data["kind"])),
        QuorumRule(with_represented=data["with_represented"]),
        Count(_fraction(have), _fraction(need), _fraction(total), exceed),
        Tally(*map(_fraction, data["votes"])),
        _fraction(data["base"]),
        _fraction(data["need"]) if data.get("need") is not None else None,
        data["adopted"],
        data.get("delegations_adopted"),
        delegations,
        written=data.get("procedure") == "vote",
    )
    if data.get("procedure") == "vote":
        text += " " + _("Answers: %(answers)s.") % {"answers": _answers_text(data)}
    return text


def reason_or(data: dict | None, recorded: str) -> str:
    """The reasoning in the active language from the recorded data, else the text recorded
    (in the language of whoever recorded it, for entries older than the data)."""
    return reason_from_data(data) if data else recorded


def _reason(
    majority: MajorityRule,
    quorum_rule: QuorumRule,
    quorum_count: Count,
    votes: Tally,
    base: Fraction,
    need: Fraction | None,
    adopted: bool,
    delegations_adopted: bool | None,
    delegation_votes: Tally | None,
    written: bool = False,
) -> str:
    """The reasoning a chair reads out, in whole sentences of the active language."""
    figures = {
        "have": figure(quorum_count.have),
        "total": figure(quorum_count.total),
        "need": figure(quorum_count.need),
    }
    if written:
        quorum_text = _("Quorum: %(have)s of %(total)s members answered, %(need)s required.")
    elif quorum_rule.with_represented:
        quorum_text = _("Quorum: %(have)s of %(total)s present or represented, %(need)s required.")
    else:
        quorum_text = _("Quorum: %(have)s of %(total)s present, %(need)s required.")
    quorum_text %= figures
    if not quorum_count.met:
        return _("Not adopted: the quorum is not met.") + " " + quorum_text
    label = majority_label(majority.kind)
    if need is not None:
        sentence = (
            ngettext(
                "Adopted with %(yes)s vote for out of %(base)s (%(majority)s: %(need)s required).",
                "Adopted with %(yes)s votes for out of %(base)s (%(majority)s: %(need)s required).",
                plural(votes.yes),
            )
            if adopted
            else ngettext(
                "Rejected with %(yes)s vote for out of %(base)s (%(majority)s: %(need)s required).",
                "Rejected with %(yes)s votes for out of %(base)s (%(majority)s: %(need)s required).",
                plural(votes.yes),
            )
        ) % {
            "yes": figure(votes.yes),
            "base": figure(base),
            "majority": label,
            "need": figure(need),
        }
    else:
        counts = ", ".join(
            [
                ngettext("%(count)s vote for", "%(count)s votes for", plural(votes.yes))
                % {"count": figure(votes.yes)},
                ngettext("%(count)s vote against", "%(count)s votes against", plural(votes.no))
                % {"count": figure(votes.no)},
                ngettext("%(count)s abstention", "%(count)s abstentions", plural(votes.abstain))
                % {"count": figure(votes.abstain)},
            ]
        )
        sentence = (
            _("Adopted: %(votes)s (%(majority)s).")
            if adopted
            else _("Rejected: %(votes)s (%(majority)s).")
        ) % {"votes": counts, "majority": label}
    text = f"{sentence} {quorum_text}"
    if delegations_adopted is not None and delegation_votes is not None:
        text += " " + (
            _("Delegations: %(yes)s for, %(no)s against; their majority is reached.")
            if delegations_adopted
            else _("Delegations: %(yes)s for, %(no)s against; their majority is not reached.")
        ) % {"yes": figure(delegation_votes.yes), "no": figure(delegation_votes.no)}
    return text


# Written procedure ------------------------------------------------------------------------------


class WrittenKind(StrEnum):
    # Adopted unless a member objects by the deadline: one objection breaks the silence.
    SILENCE = "silence"
    # Each member answers; the body's majority decides among those who answered, who must
    # reach the body's quorum.
    VOTE = "vote"


@dataclass(frozen=True)
class WrittenAnswers:
    agreed: int = 0
    objected: int = 0
    abstained: int = 0
    silent: int = 0

    @property
    def answered(self) -> int:
        return self.agreed + self.objected + self.abstained


def written_answers(members: Iterable[int], answers: Mapping[int, str]) -> WrittenAnswers:
    """The answers of ``members`` (``{member: "yes" | "no" | "abstain"}``; others are silent)."""
    counts = {"yes": 0, "no": 0, "abstain": 0, "": 0}
    for member in members:
        counts[answers.get(member, "")] += 1
    return WrittenAnswers(counts["yes"], counts["no"], counts["abstain"], counts[""])


def written_outcome(
    kind: WrittenKind,
    seats: Iterable[Seat],
    answers: Mapping[int, str],
    majority: MajorityRule,
    quorum_rule: QuorumRule,
) -> tuple[bool, dict]:
    """Whether a written procedure adopts its draft, and the outcome as data (its reasoning is
    read in any language with ``reason_from_data``)."""
    seats = list(seats)
    count = written_answers([s.member for s in seats], answers)
    figures = {
        "agreed": count.agreed,
        "objected": count.objected,
        "abstained": count.abstained,
        "silent": count.silent,
    }
    if kind == WrittenKind.SILENCE:
        adopted = count.objected == 0
        return adopted, {"procedure": "silence", "adopted": adopted, **figures}
    votes = Tally(Fraction(count.agreed), Fraction(count.objected), Fraction(count.abstained))
    outcome = decide(
        majority=majority,
        quorum_rule=quorum_rule,
        seats=seats,
        presence=Presence(frozenset(m for m in answers if answers[m])),
        votes=votes,
    )
    data = outcome_data(outcome, majority, quorum_rule)
    return outcome.adopted, {**data, "procedure": "vote", **figures}


def _answers_text(data: dict) -> str:
    parts = [
        ngettext("%(count)s member agreed", "%(count)s members agreed", data["agreed"]),
        ngettext("%(count)s member objected", "%(count)s members objected", data["objected"]),
        ngettext("%(count)s member abstained", "%(count)s members abstained", data["abstained"]),
        ngettext(
            "%(count)s member did not answer", "%(count)s members did not answer", data["silent"]
        ),
    ]
    counts = [data["agreed"], data["objected"], data["abstained"], data["silent"]]
    return ", ".join(part % {"count": n} for part, n in zip(parts, counts, strict=True))


def _silence_reason(data: dict) -> str:
    if data["adopted"]:
        return _(
            "Adopted by silence procedure: no member objected by the deadline (%(answers)s)."
        ) % {"answers": _answers_text(data)}
    return ngettext(
        "Not adopted: %(count)s member objected, which breaks the silence (%(answers)s).",
        "Not adopted: %(count)s members objected, which breaks the silence (%(answers)s).",
        data["objected"],
    ) % {"count": data["objected"], "answers": _answers_text(data)}


def as_fraction(value: Decimal | int | None) -> Fraction:
    return Fraction(1) if value is None else Fraction(str(value))
