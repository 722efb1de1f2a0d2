"""The meeting's documents — the convocation letter, the dossier (agenda, explanations, draft
decisions, documents) and the minutes (attendance, quorum per item, votes with their reasoning,
decision numbers, signatures) — in one language or two side by side, as Word (from replaceable
templates) or PDF.

What the documents need is read once (``read``) and written out in each language
(``context``); templates receive plain data only (see ``documents/layout.py``)."""

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.core.reader import Reader
from secretariat.documents import layout, rendering
from secretariat.documents.kinds import DocumentKind
from secretariat.governance import agenda, attendance, body_rules, convocation, decisions, rules
from secretariat.governance.models import (
    AgendaItem,
    Ballot,
    Decision,
    DecisionStatus,
    Invitation,
    ItemKind,
    Meeting,
    MembershipRole,
    Presidency,
    Vote,
)
from secretariat.network.greetings import greeting

# Registered with the documents app (``GovernanceConfig.ready``): organisations may replace
# these templates with their own.
DEFAULT_TEMPLATES = Path(__file__).parent / "document_templates"
DOCUMENT_KINDS = [
    DocumentKind("convocation", gettext_lazy("convocation letter"), DEFAULT_TEMPLATES, 10),
    DocumentKind("dossier", gettext_lazy("meeting dossier"), DEFAULT_TEMPLATES, 20),
    DocumentKind("minutes", gettext_lazy("minutes"), DEFAULT_TEMPLATES, 30),
]
KINDS = tuple(kind.code for kind in DOCUMENT_KINDS)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

HEADINGS = {
    "convocation": gettext_lazy("Convocation"),
    "dossier": gettext_lazy("Meeting dossier"),
    "minutes": gettext_lazy("Minutes"),
}
# One whole sentence per status: "Décision … adoptée", not a status glued to a number.
DECISION_LINES = {
    DecisionStatus.ADOPTED: gettext_lazy("Decision %(number)s: adopted."),
    DecisionStatus.REJECTED: gettext_lazy("Decision %(number)s: rejected."),
    DecisionStatus.POSTPONED: gettext_lazy("Decision %(number)s: postponed."),
    DecisionStatus.WITHDRAWN: gettext_lazy("Decision %(number)s: withdrawn."),
}
ROLL_CALL_LINES = {
    Ballot.Choice.YES: gettext_lazy("Voted for: %(names)s."),
    Ballot.Choice.NO: gettext_lazy("Voted against: %(names)s."),
    Ballot.Choice.ABSTAIN: gettext_lazy("Abstained: %(names)s."),
}
SIGNATORIES = {
    "chair": MembershipRole.CHAIR.label,
    "president": gettext_lazy("President"),
    "secretary": MembershipRole.SECRETARY.label,
}
# Announced absences: a proxy or a substitute that did not take effect still excused the member.
EXCUSING = {Invitation.Answer.EXCUSED, Invitation.Answer.PROXY, Invitation.Answer.SUBSTITUTE}


@dataclass
class Attendance:
    """Who was there, by name; ``represented`` holds (member, proxy holder or substitute,
    whether by substitute)."""

    present: list[tuple[str, bool]] = field(default_factory=list)  # (name, online)
    represented: list[tuple[str, str, bool]] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


@dataclass
class Record:
    """What the documents of one meeting read from the database, once for every language."""

    items: list[AgendaItem]
    numbers: dict[int, str]
    attendance: Attendance | None = None
    votes: dict[int, Vote] = field(default_factory=dict)
    ballots: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # vote → names
    decisions: dict[int, Decision] = field(default_factory=dict)  # by item
    quorums: dict[int, tuple[rules.Count, bool]] = field(default_factory=dict)  # by item
    signatories: list[tuple[str, str]] = field(default_factory=list)  # (role, name)


def read(meeting: Meeting, kind: str) -> Record:
    """Everything the document of ``kind`` shows, language aside."""
    items = meeting.items.all()
    if kind == "dossier":
        items = items.prefetch_related("documents")
    ordered = agenda.ordered(items)
    record = Record(items=ordered, numbers=agenda.numbering(ordered))
    if kind != "minutes":
        return record
    invitations = list(
        meeting.invitations.select_related("person", "proxy_to__person", "membership")
    )
    if invitations:  # once convened
        record.attendance = _attendance(meeting, invitations)
    record.votes = {v.item_id: v for v in Vote.objects.filter(item__meeting=meeting)}
    ballots = (
        Ballot.objects.filter(vote__item__meeting=meeting)
        .select_related("invitation__person")
        .order_by("invitation__person__family_name", "invitation__person__given_name", "id")
    )
    for ballot in ballots:
        record.ballots.setdefault(ballot.vote_id, {}).setdefault(ballot.choice, []).append(
            str(ballot.invitation.person)
        )
    record.decisions = {
        d.item_id: d for d in Decision.objects.filter(item__meeting=meeting) if d.item_id
    }
    record.quorums = _quorums(meeting, ordered, record.votes, invitations)
    record.signatories = _signatories(meeting)
    return record


def _attendance(meeting: Meeting, invitations: list[Invitation]) -> Attendance:
    presence = attendance.presence_of(meeting)  # signed in, with effective proxies
    represented = presence.represented()
    # The substitutes who came, by the membership they stand in for.
    came_for = {
        i.membership.substitute_for_id: i
        for i in invitations
        if i.membership and i.membership.substitute_for_id and i.signed_in_at
    }
    found = Attendance()
    for invitation in invitations:
        name = str(invitation.person)
        membership = invitation.membership
        if invitation.signed_in_at:
            online = invitation.answer == Invitation.Answer.ONLINE
            found.present.append((name, online))
        elif invitation.pk in represented and invitation.proxy_to is not None:
            found.represented.append((name, str(invitation.proxy_to.person), False))
        elif invitation.pk in presence.present and invitation.membership_id in came_for:
            substitute = came_for[invitation.membership_id]
            found.represented.append((name, str(substitute.person), True))
        elif membership is not None and membership.role == MembershipRole.SUBSTITUTE:
            continue  # convened in case their member could not come; not needed
        elif invitation.answer in EXCUSING:
            found.excused.append(name)
        else:
            found.absent.append(name)
    return found


def _quorums(
    meeting: Meeting, items: list[AgendaItem], votes: dict[int, Vote], invitations: list[Any]
) -> dict[int, tuple[rules.Count, bool]]:
    """The quorum of each item: as recorded with its vote, else as the arrivals and departures
    give it (only once someone signed in)."""
    with_represented = body_rules.rules_of(meeting.body).quorum_with_represented
    held = any(i.signed_in_at for i in invitations)
    found: dict[int, tuple[rules.Count, bool]] = {}
    for item in items:
        data = votes[item.pk].outcome_data if item.pk in votes else {}
        if data.get("quorum"):
            have, need, total, exceed = data["quorum"]
            count = rules.Count(Fraction(have), Fraction(need), Fraction(total), exceed)
            found[item.pk] = (count, data.get("with_represented", with_represented))
        elif held:
            found[item.pk] = (decisions.quorum_at(meeting, item), with_represented)
    return found


def _signatories(meeting: Meeting) -> list[tuple[str, str]]:
    """The chair of the body on the meeting's day (else the organisation's president) and its
    secretary; a role nobody holds is signed by name later."""
    day = meeting.local_start.date()
    memberships = convocation.convened_memberships(meeting)

    def holder(role: str) -> str:
        return next((str(m.person) for m in memberships if m.role == role), "")

    chair = ("chair", holder(MembershipRole.CHAIR))
    if not chair[1]:
        presidency = (
            Presidency.objects.filter(
                organisation=meeting.organisation, start__lte=day, end__gte=day
            )
            .select_related("president")
            .first()
        )
        if presidency is not None and presidency.president is not None:
            chair = ("president", str(presidency.president))
    return [chair, ("secretary", holder(MembershipRole.SECRETARY))]


# In one language ---------------------------------------------------------------------------------


def _names(names: list[str]) -> str:
    return ", ".join(names) or "—"


def _attendance_groups(found: Attendance) -> list[dict[str, Any]]:
    present = [_("%(name)s (online)") % {"name": n} if online else n for n, online in found.present]
    represented = [
        (
            _("%(member)s (replaced by the substitute %(substitute)s)")
            % {"member": member, "substitute": by}
            if substitute
            else _("%(member)s (proxy given to %(holder)s)") % {"member": member, "holder": by}
        )
        for member, by, substitute in found.represented
    ]
    groups = [
        ("present", present, _("Present: %(names)s")),
        ("represented", represented, _("Represented: %(names)s")),
        ("excused", found.excused, _("Excused: %(names)s")),
        ("absent", found.absent, _("Absent: %(names)s")),
    ]
    return [
        {"key": key, "names": names, "text": sentence % {"names": _names(names)}}
        for key, names, sentence in groups
    ]


def _quorum_line(count: rules.Count, with_represented: bool) -> str:
    values = {
        "have": layout.figure(count.have),
        "total": layout.figure(count.total),
        "need": layout.figure(count.need),
    }
    if with_represented:
        sentence = (
            _("Quorum reached: %(have)s of %(total)s present or represented, %(need)s required.")
            if count.met
            else _(
                "Quorum not reached: %(have)s of %(total)s present or represented, %(need)s "
                "required."
            )
        )
    else:
        sentence = (
            _("Quorum reached: %(have)s of %(total)s present, %(need)s required.")
            if count.met
            else _("Quorum not reached: %(have)s of %(total)s present, %(need)s required.")
        )
    return sentence % values


def _record_lines(record: Record, item: AgendaItem) -> list[str]:
    """What the minutes state of an item: quorum, vote, outcome, decision number."""
    lines = []
    quorum = record.quorums.get(item.pk)
    if quorum is not None and quorum[0].total:  # a body without voting members has none
        lines.append(_quorum_line(*quorum))
    vote = record.votes.get(item.pk)
    if vote is not None:
        lines.append(
            _("Votes for: %(yes)s; against: %(no)s; abstentions: %(abstain)s.")
            % {
                "yes": layout.figure(vote.yes),
                "no": layout.figure(vote.no),
                "abstain": layout.figure(vote.abstain),
            }
        )
        ballots = record.ballots.get(vote.pk, {})
        lines.extend(
            str(sentence) % {"names": ", ".join(ballots[choice])}
            for choice, sentence in ROLL_CALL_LINES.items()
            if ballots.get(choice)
        )
        reason = rules.reason_from_data(vote.outcome_data) if vote.outcome_data else vote.reason
        lines.append(_("Outcome: %(reason)s") % {"reason": reason})
    decision = record.decisions.get(item.pk)
    if decision is not None:
        lines.append(
            str(DECISION_LINES[DecisionStatus(decision.status)]) % {"number": decision.number}
        )
    return lines


def _letter(meeting: Meeting, language: str, invitation: Invitation | None) -> dict[str, Any]:
    """The letter's words; without a recipient, a letter for every member."""
    person = invitation.person if invitation else None
    # A form of address is used in its own language only (see network.greetings).
    salutation = _("Dear Sir or Madam,") if person is None else greeting(person, language)
    return {
        "recipient": str(person or ""),
        "salutation": salutation,
        "paragraphs": [_("You are convened to the meeting below.")],
        "closing": _("The secretariat"),
    }


def context(
    meeting: Meeting,
    kind: str,
    language: str,
    invitation: Invitation | None = None,
    record: Record | None = None,
) -> dict[str, Any]:
    """Everything a template shows, in one language, as plain data."""
    record = record or read(meeting, kind)
    organisation = meeting.organisation

    reader = Reader.of(organisation, language)

    def text(texts: dict[str, str] | None) -> layout.Text:
        return layout.text_in(texts, reader)

    with translation.override(language):
        title = text(meeting.title)
        rows = []
        for item in record.items:
            item_title = text(item.title)
            sections = []
            lines: list[str] = []
            documents: list[str] = []
            if kind == "dossier":
                if item.description:
                    sections.append(layout.section(_("Explanation"), text(item.description)))
                if item.kind == ItemKind.DECISION and item.draft_decision:
                    sections.append(layout.section(_("Draft decision"), text(item.draft_decision)))
                for document in item.documents.all():
                    shown = text(document.title)
                    documents.append(f"{shown.text} {shown.mark}".strip())
            elif kind == "minutes":
                if item.minutes:
                    sections.append(layout.section("", text(item.minutes)))
                decision = record.decisions.get(item.pk)
                decided = decision.text if decision is not None else item.draft_decision
                if item.kind == ItemKind.DECISION and decided:
                    adopted = decision is not None and decision.status == DecisionStatus.ADOPTED
                    label = _("Text of the decision") if adopted else _("Draft decision")
                    sections.append(layout.section(label, text(decided)))
                lines = _record_lines(record, item)
            rows.append(
                {
                    "number": record.numbers[item.pk],
                    "title": item_title.text,
                    "title_mark": item_title.mark,
                    "sub": item.parent_id is not None,
                    "sections": sections,
                    "record": lines,
                    "documents": documents,
                    # One text for templates written before the sections.
                    "text": "\n".join(
                        part
                        for s in sections
                        for part in (s["label"], s["text"], s["mark"])
                        if part
                    ),
                }
            )
        letter = _letter(meeting, language, invitation) if kind == "convocation" else None
        return {
            "kind": kind,
            "language": language,
            "languages": [language],
            "organisation": text(organisation.name).text,
            "heading": f"{HEADINGS[kind]} — {title.text}",
            "title": title.text,
            "title_mark": title.mark,
            "body": text(meeting.body.name).text,
            "when": formats.date_format(meeting.local_start, "DATETIME_FORMAT"),
            "where": ", ".join(p for p in [meeting.place, meeting.room, meeting.address] if p)
            or meeting.online_url,
            "labels": {
                "agenda": _("Agenda"),
                "documents": _("Documents"),
                "attendance": _("Attendance"),
                "signatures": _("Signatures"),
                "place_date": _("Place and date"),
                "signature": _("Signature"),
            },
            "letter": letter,
            "attendance": _attendance_groups(record.attendance) if record.attendance else [],
            "items": rows,
            "signatures": [
                {"role": str(SIGNATORIES[role]), "name": name} for role, name in record.signatories
            ],
            # The letter's words under their earlier names, for templates written before.
            "recipient": letter["recipient"] if letter else "",
            "salutation": letter["salutation"] if letter else "",
            "introduction": letter["paragraphs"][0] if letter else "",
            "closing": letter["closing"] if letter else "",
        }


def document_context(
    meeting: Meeting, kind: str, languages: list[str], invitation: Invitation | None = None
) -> dict[str, Any]:
    """What the template of one document receives: one language, or the first two of
    ``languages`` side by side."""
    record = read(meeting, kind)
    contexts = [context(meeting, kind, lang, invitation, record) for lang in languages[:2]]
    return layout.side_by_side(*contexts) if len(contexts) > 1 else contexts[0]


def produce(
    meeting: Meeting,
    kind: str,
    fmt: str,
    languages: list[str],
    invitation: Invitation | None = None,
) -> tuple[str, bytes, str]:
    """(file name, content, content type) of one document, in one language or the first two of
    ``languages`` side by side."""
    languages = list(dict.fromkeys(languages))[:2]
    data = document_context(meeting, kind, languages, invitation)
    bilingual = len(languages) > 1
    name = f"{slugify(data['title'])[:60] or 'meeting'}-{kind}-{'-'.join(languages)}.{fmt}"
    if fmt == "docx":
        template = rendering.template_file(meeting.organisation, kind, bilingual, languages[0])
        return name, rendering.render_docx(template, data, meeting.organisation), DOCX
    template_name = "documents/meeting_bilingual.html" if bilingual else "documents/meeting.html"
    return name, rendering.render_pdf(template_name, data), "application/pdf"
