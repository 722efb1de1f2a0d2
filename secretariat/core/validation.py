"""Validation shared by the services: each collects every problem, keyed by field, so that a
form, the API and an import report them all at once."""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from secretariat.core.texts import texts_stage

Errors = dict[str, list[str]]


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def collect(errors: Errors, field: str, error: ValidationError) -> None:
    for message in error.messages:
        add_error(errors, field, message)


def parse_date(errors: Errors, field: str, value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        add_error(errors, field, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})
        return None


def parse_decimal(errors: Errors, field: str, value: Any, maximum: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        add_error(errors, field, _("“%(value)s” is not a number.") % {"value": value})
        return None
    if not number.is_finite() or number < 0 or number > maximum:
        add_error(
            errors,
            field,
            _("The number must be between 0 and %(maximum)s.") % {"maximum": maximum},
        )
        return None
    return number


def ends_after(errors: Errors, field: str, start: Any, end: Any) -> None:
    if start and end and end < start:
        add_error(errors, field, _("The end date is before the start date."))


def stage_texts(
    errors: Errors, obj: Any, values: Mapping[str, Any], names: list[str], rows: Any = None
) -> Any:
    """``texts_stage`` with its errors collected; ``rows``: the object's state rows, when the
    caller fetched those of many objects at once."""
    texts = {name: values[name] for name in names if name in values}
    try:
        return texts_stage(obj=obj, values=texts, rows=rows)
    except ValidationError as error:
        for name in texts:
            collect(errors, name, error)
        return None
