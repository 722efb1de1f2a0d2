"""The warning staff see when messages have waited too long for the background worker."""

from typing import Any

from django import template

from secretariat.governance import selectors

register = template.Library()


@register.inclusion_tag("governance/partials/mail_waiting.html", takes_context=True)
def mail_waiting(context: Any, meeting: Any = None) -> dict[str, Any]:
    """On the organisation's home page (all meetings) and a meeting's page; for those who send
    convocations only."""
    if not (context.get("perms_org") or {}).get("meeting_convene"):
        return {"waiting": None}
    return {
        "waiting": selectors.mail_waiting(organisation=context["organisation"], meeting=meeting),
        "meeting": meeting,
    }
