"""The reasoning of a vote or decision in the reader's language, from its recorded data."""

from typing import Any

from django import template

from secretariat.governance import rules

register = template.Library()


@register.simple_tag
def outcome(obj: Any) -> str:
    recorded = str(getattr(obj, "reason", "") or getattr(obj, "outcome", "") or "")
    return rules.reason_or(getattr(obj, "outcome_data", None), recorded)
