"""The audit trail in a page: ``{% history_lines audit_entries as lines %}`` reads the entries
in the reader's language and the organisation's time zone (``core/history.py``)."""

from typing import Any

from django import template

from secretariat.core import history

register = template.Library()


@register.simple_tag(takes_context=True)
def history_lines(context: template.Context, entries: Any) -> list[history.Line]:
    return history.lines(entries or [], organisation=context.get("organisation"))
