"""Translatable fields in the API: a map of language to text and its state, for a whole page
of objects in one query."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from secretariat.core import text_rules
from secretariat.core.models import TextVersion
from secretariat.core.texts import versions_of


def text_maps(objects: Sequence[models.Model], languages: list[str]) -> dict[int, dict[str, Any]]:
    """For each object: field -> language -> {text, status, origin, source_language, reviewed}."""
    if not objects:
        return {}
    rows: dict[int, list[TextVersion]] = defaultdict(list)
    content_type = ContentType.objects.get_for_model(objects[0])
    for row in TextVersion.objects.filter(
        content_type=content_type, object_id__in=[o.pk for o in objects]
    ):
        rows[row.object_id].append(row)
    out: dict[int, dict[str, Any]] = {}
    for obj in objects:
        fields = versions_of(obj, rows=rows[obj.pk])
        out[obj.pk] = {
            name: {
                lang: {
                    "text": versions[lang].text if lang in versions else "",
                    "status": text_rules.status_of(lang, versions),
                    "origin": versions[lang].origin if lang in versions else None,
                    "source_language": (versions[lang].source_language or None)
                    if lang in versions
                    else None,
                    "reviewed": versions[lang].reviewed if lang in versions else False,
                }
                for lang in [*languages, *[k for k in versions if k not in languages]]
            }
            for name, versions in fields.items()
        }
    return out
