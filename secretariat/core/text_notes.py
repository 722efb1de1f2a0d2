"""What a reader must be told about the version of a text they are shown: that it was made by
a machine and nobody reviewed it, or that the original changed since it was translated; with
the original, so that they can read it. Used wherever content is shown or sent."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from secretariat.core import text_rules
from secretariat.core.models import TextVersion
from secretariat.core.texts import language_name_in_sentence, translatable_fields, versions_of

Status = text_rules.Status


@dataclass(frozen=True)
class Note:
    status: str  # machine or outdated
    language: str  # of the original
    original: str

    def label(self) -> str:
        name = language_name_in_sentence(self.language)
        if self.status == Status.MACHINE:
            return _("Machine translation, not reviewed; the original is in %(language)s.") % {
                "language": name
            }
        return _(
            "This translation has not yet been updated after a change of the original in "
            "%(language)s."
        ) % {"language": name}


def notes_for(objects: Iterable[models.Model], language: str) -> dict[tuple[str, int, str], Note]:
    """Notes of every translatable field of ``objects`` in ``language``, keyed by (model
    label, pk, field): one query per kind of object."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        if obj is not None and obj.pk is not None:
            by_model.setdefault(type(obj), []).append(obj)
    found: dict[tuple[str, int, str], Note] = {}
    for model, group in by_model.items():
        rows: dict[Any, list[TextVersion]] = {obj.pk: [] for obj in group}
        for row in TextVersion.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(rows),
        ):
            rows.setdefault(row.object_id, []).append(row)
        for obj in group:
            versions = versions_of(obj, rows=rows[obj.pk])
            for name in translatable_fields(model):
                field_versions = versions.get(name, {})
                status = text_rules.status_of(language, field_versions)
                if status not in (Status.MACHINE, Status.OUTDATED):
                    continue
                source = text_rules.original_language(field_versions)
                if source is None:
                    continue
                found[(obj._meta.label_lower, obj.pk, name)] = Note(
                    status, source, field_versions[source].text
                )
    return found


def note_of(obj: models.Model, field: str, language: str) -> Note | None:
    """The note of one field, cached on the object for the rest of the request."""
    cache: dict[str, dict[tuple[str, int, str], Note]] = obj.__dict__.setdefault("_text_notes", {})
    if language not in cache:
        cache[language] = notes_for([obj], language)
    return cache[language].get((obj._meta.label_lower, obj.pk, field))


def attach(objects: Iterable[models.Model], language: str) -> None:
    """Compute the notes of many objects at once (lists), for ``note_of`` to find."""
    objects = list(objects)
    found = notes_for(objects, language)
    for obj in objects:
        obj.__dict__.setdefault("_text_notes", {})[language] = {
            key: note for key, note in found.items() if key[:2] == (obj._meta.label_lower, obj.pk)
        }
