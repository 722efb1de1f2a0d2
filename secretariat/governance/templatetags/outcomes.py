"""The reasoning of a vote or decision in the reader's language, from its recorded data."""

from typing import Any

from django import template

from secretariat.governance import rules

register = template.Library()


@register.simple_tag
def outcome(obj: Any) -> str:
    data = getattr(obj, "outcome_data", None)
    if data:
        return rules.reason_from_data(data)
    return str(getattr(obj, "reason", "") or getattr(obj, "outcome", "") or "")
