"""The audit trail: every service that writes calls ``record`` in its transaction."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from secretariat.core.models import AuditEntry, User


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # The same moment reads the same whatever the zone it was given in (a form gives the
        # meeting's zone, the database UTC): saving it unchanged is no change.
        return str(value.astimezone(datetime.UTC))
    if isinstance(value, datetime.date | datetime.datetime | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` of ``obj``, as the audit trail stores them."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            # Readable in the history and still unambiguous after a rename.
            related = getattr(obj, name)
            out[name] = f"{related} (#{related.pk})" if related is not None else None
        else:
            out[name] = _plain(getattr(obj, name))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def entry(
    *,
    by: User | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    within: models.Model | None = None,
) -> AuditEntry:
    """The entry ``record`` saves, unsaved: services that write many rows insert theirs at once
    (``core.bulk.insert``)."""
    organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and obj._meta.label == "core.Organisation":
        organisation_id = obj.pk
    return AuditEntry(
        organisation_id=organisation_id,
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=_plain(changes or {}),
        scope_type=ContentType.objects.get_for_model(within) if within is not None else None,
        scope_id=within.pk if within is not None else None,
    )


def record(
    *,
    by: User | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    within: models.Model | None = None,
) -> AuditEntry:
    audit_entry = entry(by=by, action=action, obj=obj, changes=changes, within=within)
    audit_entry.save()
    return audit_entry


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The history of ``obj`` and of its parts (see ``AuditEntry.scope_type``)."""
    content_type = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(
        Q(content_type=content_type, object_id=obj.pk) | Q(scope_type=content_type, scope_id=obj.pk)
    ).select_related("actor", "content_type")
