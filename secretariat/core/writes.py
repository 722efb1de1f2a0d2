"""The two steps every service's write ends with: save the row and its language versions, and
record the audit entry, in one transaction."""

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.core.texts import TextUpdate, texts_commit


def save_created(
    obj: models.Model,
    *,
    by: User | None,
    fields: Sequence[str],
    texts: TextUpdate | None,
    within: models.Model | None = None,
) -> None:
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
