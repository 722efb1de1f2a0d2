"""Answers to a convocation (through the personal link or by staff), proxies checked against
the body's rules, and the presence the quorum is computed from."""

from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.governance import body_rules, rules
from secretariat.governance.models import (
    Invitation,
    Meeting,
    MeetingMode,
    MeetingState,
    Membership,
    MembershipRole,
)

ATTENDING = {Invitation.Answer.IN_PERSON, Invitation.Answer.ONLINE}


def seats_of(meeting: Meeting) -> list[rules.Seat]:
    """The voting seats of a convened meeting, with delegation and weight."""
    stored = body_rules.rules_of(meeting.body)
    seats = []
    for invitation in meeting.invitations.select_related("membership__partner"):
        membership = invitation.membership
        if (
            membership is None
            or not membership.voting
            or membership.role == MembershipRole.SUBSTITUTE
        ):
            continue
        weight = (
            rules.as_fraction(membership.partner.vote_weight)
            if stored.weighted_votes and membership.partner
            else Fraction(1)
        )
        seats.append(
            rules.Seat(member=invitation.pk, delegation=membership.partner_id, weight=weight)
        )
    return seats


def presence_of(
    meeting: Meeting, *, expected: bool = False, inside: set[int] | None = None
) -> rules.Presence:
    """Who is present (signed in; or, with ``expected``, who said they would attend; or those
    ``inside`` the room at an item), and the proxies given to them. A member who sends their
    substitute is present while the substitute is."""
    invitations = list(meeting.invitations.select_related("membership"))
    if inside is not None:
        present = set(inside)
    elif expected:
        present = {i.pk for i in invitations if i.answer in ATTENDING}
    else:
        present = {i.pk for i in invitations if i.signed_in_at}
    for invitation in invitations:
        if invitation.answer == Invitation.Answer.SUBSTITUTE:
            substitute = next(
                (
                    i
                    for i in invitations
                    if i.membership
                    and i.membership.substitute_for_id == invitation.membership_id
                    and i.pk in present
                ),
                None,
            )
            if substitute is not None:
                present.add(invitation.pk)
    proxies = {
        i.pk: i.proxy_to_id
        for i in invitations
        if i.answer == Invitation.Answer.PROXY and i.proxy_to_id
    }
    return rules.Presence(frozenset(present), proxies)


def _votes(invitation: Invitation) -> bool:
    membership = invitation.membership
    return (
        membership is not None
        and membership.voting
        and membership.role != MembershipRole.SUBSTITUTE
    )


@dataclass(frozen=True)
class Options:
    """What one convened member can answer, and to whom they can give a proxy."""

    answers: list[tuple[str, str]]
    holders: list[Invitation]


def answer_options(meeting: Meeting) -> dict[int, Options]:
    """For each invitation of the meeting (in a few queries): the answers the member can give —
    attending in the meeting's form(s), excused, a proxy where they vote in a body that allows
    proxies, their substitute where they have one — and who may carry their proxy: the other
    voting members who attend or have not answered yet."""
    stored = body_rules.rules_of(meeting.body)
    invitations = list(meeting.invitations.select_related("person", "membership"))
    with_substitute = set(
        Membership.objects.filter(body=meeting.body, substitute_for__isnull=False).values_list(
            "substitute_for_id", flat=True
        )
    )
    voters = [i for i in invitations if _votes(i)]
    willing = [i for i in voters if i.answer in ATTENDING or not i.answer]
    attending = []
    if meeting.mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID):
        attending.append(Invitation.Answer.IN_PERSON)
    if meeting.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID):
        attending.append(Invitation.Answer.ONLINE)
    options = {}
    for invitation in invitations:
        allowed = [*attending, Invitation.Answer.EXCUSED]
        holders = [h for h in willing if h.pk != invitation.pk] if _votes(invitation) else []
        if stored.proxies_allowed and holders:
            allowed.append(Invitation.Answer.PROXY)
        if stored.substitutes_allowed and invitation.membership_id in with_substitute:
            allowed.append(Invitation.Answer.SUBSTITUTE)
        options[invitation.pk] = Options(
            answers=[(value, str(Invitation.Answer(value).label)) for value in allowed],
            holders=holders if stored.proxies_allowed else [],
        )
    return options


def invitation_answer(
    *, invitation: Invitation, answer: str, by: User | None, proxy_to: Invitation | None = None
) -> Invitation:
    meeting = invitation.meeting
    if meeting.state not in (MeetingState.CONVENED, MeetingState.PLANNED):
        raise ValidationError(_("This meeting no longer takes answers."))
    if answer not in Invitation.Answer.values or not answer:
        raise ValidationError(_("Choose an answer."))
    stored = body_rules.rules_of(meeting.body)
    if answer == Invitation.Answer.SUBSTITUTE and not stored.substitutes_allowed:
        raise ValidationError(_("This body does not allow substitutes."))
    if answer not in dict(answer_options(meeting)[invitation.pk].answers):
        raise ValidationError(
            _("“%(answer)s” is not an answer this member can give to this meeting.")
            % {"answer": Invitation.Answer(answer).label}
        )
    if answer == Invitation.Answer.PROXY:
        if proxy_to is None or proxy_to.meeting_id != meeting.pk:
            raise ValidationError(_("Choose the member who will carry your proxy."))
        # A holder who has not answered yet may carry it; if they later excuse themselves, the
        # proxy falls (see below).
        expected = presence_of(meeting, expected=True)
        undecided = {i.pk for i in meeting.invitations.all() if not i.answer}
        presence = rules.Presence(
            (expected.present | undecided) - {invitation.pk},
            {g: h for g, h in expected.proxies.items() if g != invitation.pk},
        )
        problems = rules.proxy_problems(
            body_rules.proxy_rule(stored), seats_of(meeting), presence, invitation.pk, proxy_to.pk
        )
        if problems:
            raise ValidationError(problems)
    before = {"answer": invitation.answer, "proxy_to": str(invitation.proxy_to or "")}
    with transaction.atomic():
        invitation.answer = answer
        invitation.proxy_to = proxy_to if answer == Invitation.Answer.PROXY else None
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "proxy_to", "answered_at"])
        # Someone who no longer attends cannot carry proxies any more.
        if answer not in ATTENDING:
            Invitation.objects.filter(proxy_to=invitation).update(proxy_to=None, answer="")
        audit.record(
            by=by,
            action="update",
            obj=invitation,
            changes={
                "answer": [before["answer"], answer],
                **({"proxy_to": [before["proxy_to"], str(proxy_to)]} if proxy_to else {}),
            },
            within=meeting,
        )
    return invitation
