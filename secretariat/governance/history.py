"""How governance's own audit keys read in the history (``core/history.py``): a convocation
sent, changes announced, reminders, failed messages sent again, an agenda reordered, documents,
votes, arrivals, written answers."""

from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from secretariat.core.history import count_in, describe
from secretariat.governance import announcements, rules
from secretariat.governance.models import WrittenAnswer


def _convened(before: Any, after: Any) -> str:
    count = count_in(after)
    return ngettext("%(count)s member convened.", "%(count)s members convened.", count) % {
        "count": count
    }


def _document(before: Any, after: Any) -> str:
    if after:
        return _("Document added: %(document)s.") % {"document": after}
    return _("Document removed: %(document)s.") % {"document": before}


def _arrival(before: Any, after: Any) -> str:
    if after:
        return _("Arrived at item “%(item)s”.") % {"item": after}
    return _("Arrived.")


def _departure(before: Any, after: Any) -> str:
    if after:
        return _("Left at item “%(item)s”.") % {"item": after}
    return _("Left.")


def _answer(before: Any, after: Any) -> str:
    # Stored as "<person>: <choice>" (governance/written.py procedure_answer).
    person, _sep, choice = str(after or before or "").rpartition(": ")
    labels = dict(WrittenAnswer.Choice.choices)
    return _("%(person)s answered: %(answer)s.") % {
        "person": person,
        "answer": labels.get(choice, choice),
    }


describe("governance.meeting", "convocation", tell=_convened)


def _update(before: Any, after: Any) -> str:
    # Since announcements are kept, the entry holds what changed (announcements.py).
    if isinstance(after, list) and after:
        languages = sorted({lang for c in after for lang in (c.get("title") or {})})
        lines = announcements.change_lines(
            after, get_language() or "en", languages, languages[0] if languages else ""
        )
        return _("The changes were sent to those convened: %(changes)s") % {
            "changes": " ".join(lines)
        }
    return _("The changes were sent to those convened.")


describe("governance.meeting", "update", tell=_update)
describe(
    "governance.meeting",
    "cancellation",
    tell=lambda before, after: _("The cancellation was sent to those convened."),
)
describe("governance.meeting", "agenda", tell=lambda before, after: _("The agenda was reordered."))


def _reminded(before: Any, after: Any) -> str:
    count = count_in(after)
    return ngettext(
        "A reminder was sent to %(count)s member who had not answered.",
        "A reminder was sent to %(count)s members who had not answered.",
        count,
    ) % {"count": count}


def _retried(before: Any, after: Any) -> str:
    count = count_in(after)
    return ngettext(
        "%(count)s message that had failed was sent again.",
        "%(count)s messages that had failed were sent again.",
        count,
    ) % {"count": count}


describe("governance.meeting", "reminder", tell=_reminded)
describe("governance.meeting", "retry", tell=_retried)
describe("governance.agendaitem", "document", tell=_document)


def _reasoning(value: Any) -> str:
    """An outcome kept as data reads in the reader's language; older entries hold its text."""
    return rules.reason_from_data(value) if isinstance(value, dict) else str(value or "")


describe("governance.agendaitem", "vote", label=gettext_lazy("vote"), value=_reasoning)
describe("governance.decision", "outcome", value=_reasoning)
describe("governance.writtenprocedure", "outcome", value=_reasoning)
describe("governance.agendaitem", "for", label=gettext_lazy("votes for"))
describe("governance.agendaitem", "against", label=gettext_lazy("votes against"))
describe("governance.agendaitem", "abstentions", label=gettext_lazy("abstentions"))
describe(
    "governance.agendaitem",
    "correction",
    tell=lambda before, after: _("The vote was corrected: %(reason)s") % {"reason": after},
)
describe("governance.invitation", "arrives", tell=_arrival)
describe("governance.invitation", "leaves", tell=_departure)
describe("governance.writtenprocedure", "answer", tell=_answer)
