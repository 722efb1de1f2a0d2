"""What a personal link (/m/<token>/, /w/<token>/) shows when it no longer opens anything:
what happened and whom to ask, in the holder's language when the link is known (else the
browser's, which LocaleMiddleware has chosen), never a bare "Not Found"."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.core.reader import reading
from secretariat.governance.models import Invitation, WrittenAnswer

# Links are never guessed: 404 for a key we do not know, 410 for one whose purpose is over.
UNKNOWN, GONE = 404, 410


def secretariat_address() -> str:
    """The address the holder's messages came from, unless it is the embedded placeholder."""
    address = settings.DEFAULT_FROM_EMAIL
    return "" if address.endswith("@localhost") else address


def _page(request: HttpRequest, heading: str, explanation: str, status: int) -> HttpResponse:
    return render(
        request,
        "governance/personal_link.html",
        {"heading": heading, "explanation": explanation, "contact": secretariat_address()},
        status=status,
    )


def unknown(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        _("This personal link does not work"),
        _(
            "The link may be incomplete (for example cut off when it was copied), or it may no "
            "longer be valid because the invitation was withdrawn or replaced by a newer "
            "message. Please open the link in the most recent message you received from the "
            "secretariat."
        ),
        UNKNOWN,
    )


def meeting_cancelled(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    meeting, organisation = invitation.meeting, invitation.organisation
    with reading(organisation, invitation.language) as reader:
        title = reader.text(meeting.title)
        day = formats.date_format(meeting.local_start.date(), "DATE_FORMAT")
        return _page(
            request,
            _("This meeting was cancelled"),
            _(
                "The meeting “%(title)s” of %(day)s, to which this personal link invited you, "
                "was cancelled. There is nothing more to answer."
            )
            % {"title": title, "day": day},
            GONE,
        )


def procedure_withdrawn(request: HttpRequest, answer: WrittenAnswer) -> HttpResponse:
    procedure, organisation = answer.procedure, answer.procedure.organisation
    with reading(organisation, answer.language) as reader:
        title = reader.text(procedure.title)
        return _page(
            request,
            _("This written procedure was withdrawn"),
            _(
                "The written procedure “%(title)s”, on which this personal link asked for your "
                "answer, was withdrawn. There is nothing more to answer."
            )
            % {"title": title},
            GONE,
        )
