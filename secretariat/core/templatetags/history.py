"""How the audit trail reads: field labels of the model, and values as a person reads them."""

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.simple_tag
def field_label(entry: Any, name: str) -> str:
    model = entry.content_type.model_class()
    try:
        field = model._meta.get_field(name) if model else None
        return str(getattr(field, "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _ordered(keys: list[str], languages: list[str]) -> list[str]:
    # Maps from PostgreSQL come back in jsonb's own key order: show the organisation's.
    return [k for k in languages if k in keys] + sorted(k for k in keys if k not in languages)


def readable(value: Any, languages: list[str] | None = None) -> str:
    languages = languages or []
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):
        return " · ".join(
            f"{key.upper() if len(key) == 2 else key}: {readable(value[key], languages)}"
            for key in _ordered(list(value), languages)
        )
    if isinstance(value, list):
        return ", ".join(readable(v, languages) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@register.simple_tag(takes_context=True)
def shown(context: template.Context, entry: Any, name: str, value: Any) -> str:
    """A value as a reader knows it: the label of a choice rather than its code."""
    model = entry.content_type.model_class()
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    organisation = context.get("organisation")
    return readable(value, list(getattr(organisation, "languages", []) or []))
