"""Answers to a convocation (through the personal link or by staff), proxies checked against
the body's rules, and the presence the quorum is computed from."""

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.governance import body_rules, rules
from secretariat.governance.models import Invitation, Meeting, MeetingState, MembershipRole

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


def presence_of(meeting: Meeting, *, expected: bool = False) -> rules.Presence:
    """Who is present (signed in; or, with ``expected``, who said they would attend), and the
    proxies given to them."""
    invitations = list(meeting.invitations.all())
    if expected:
        present = {i.pk for i in invitations if i.answer in ATTENDING}
    else:
        present = {i.pk for i in invitations if i.signed_in_at}
    # A substitute who attends counts for the member they stand in for.
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


def invitation_answer(
    *, invitation: Invitation, answer: str, by: User | None, proxy_to: Invitation | None = None
) -> Invitation:
    meeting = invitation.meeting
    if meeting.state not in (MeetingState.CONVENED, MeetingState.PLANNED):
        raise ValidationError(_("This meeting no longer takes answers."))
    if answer not in Invitation.Answer.values or not answer:
        raise ValidationError(_("Choose an answer."))
    stored = body_rules.rules_of(meeting.body)
    if answer == Invitation.Answer.PROXY:
        if proxy_to is None or proxy_to.meeting_id != meeting.pk:
            raise ValidationError(_("Choose the member who will carry your proxy."))
        presence = presence_of(meeting, expected=True)
        presence = rules.Presence(
            presence.present - {invitation.pk},
            {g: h for g, h in presence.proxies.items() if g != invitation.pk},
        )
        problems = rules.proxy_problems(
            body_rules.proxy_rule(stored), seats_of(meeting), presence, invitation.pk, proxy_to.pk
        )
        if problems:
            raise ValidationError(problems)
    if answer == Invitation.Answer.SUBSTITUTE and not stored.substitutes_allowed:
        raise ValidationError(_("This body does not allow substitutes."))
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
