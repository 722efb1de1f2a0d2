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


@register.filter
def readable(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):
        return " · ".join(
            f"{key.upper() if len(key) == 2 else key}: {readable(v)}" for key, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@register.simple_tag
def shown(entry: Any, name: str, value: Any) -> str:
    """A value as a reader knows it: the label of a choice rather than its code."""
    model = entry.content_type.model_class()
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return readable(value)
