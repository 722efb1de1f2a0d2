"""The two steps every service's write ends with: save the row and its language versions, and
record the audit entry, in one transaction."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import ngettext

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.core.texts import TextUpdate, texts_commit


def _check_lengths(obj: models.Model) -> None:
    """Refuse text longer than its column: PostgreSQL would refuse it with an error, SQLite
    would store it; the API, imports and services share this check, forms have their own."""
    errors = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        limit = field.max_length if isinstance(field, models.CharField) else None
        if limit and isinstance(value, str) and len(value) > limit:
            errors[field.name] = [
                ngettext("At most %(count)d character.", "At most %(count)d characters.", limit)
                % {"count": limit}
            ]
    if errors:
        raise ValidationError(errors)


def save_created(
    obj: models.Model,
    *,
    by: User | None,
    fields: Sequence[str],
    texts: TextUpdate | None,
    within: models.Model | None = None,
) -> None:
    _check_lengths(obj)
    with transaction.atomic():
        obj.save()
        if texts:
            texts_commit(texts, by=by)
        audit.record(
            by=by,
            action="create",
            obj=obj,
            changes=audit.diff({}, audit.snapshot(obj, fields)),
            within=within,
        )


def save_updated(
    obj: models.Model,
    *,
    by: User | None,
    fields: Sequence[str],
    before: dict[str, Any],
    texts: TextUpdate | None,
    within: models.Model | None = None,
) -> dict[str, Any]:
    """Save ``obj`` if any of ``fields`` changed since ``before``; return the changes."""
    changes = audit.diff(before, audit.snapshot(obj, fields))
    if changes:
        _check_lengths(obj)
        with transaction.atomic():
            obj.save()
            if texts:
                texts_commit(texts, by=by)
            audit.record(by=by, action="update", obj=obj, changes=changes, within=within)
    return changes


def delete_recorded(
    obj: models.Model,
    *,
    by: User | None,
    fields: Sequence[str],
    within: models.Model | None = None,
) -> None:
    from secretariat.core.texts import delete_versions

    with transaction.atomic():
        audit.record(
            by=by, action="delete", obj=obj, changes=audit.snapshot(obj, fields), within=within
        )
        delete_versions(obj)
        obj.delete()
