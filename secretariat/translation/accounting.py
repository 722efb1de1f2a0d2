"""Words translated per language, per origin (memory, machine, our translators, agency) and
per month: the figures partners use to share translation costs. Counted in words of the
source text, as agencies invoice, when each translation is written."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from secretariat.core import bulk, text_rules
from secretariat.core.models import Organisation
from secretariat.translation.models import TranslatedWords, WorkOrigin

WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)


def word_count(text: str) -> int:
    return len(WORD.findall(text or ""))


def work_origin(origin: str, engine: str) -> str:
    if origin == text_rules.MACHINE:
        return WorkOrigin.MEMORY if engine == "memory" else WorkOrigin.MACHINE
    if engine == "xliff":
        return WorkOrigin.AGENCY
    return WorkOrigin.HUMAN


def record_written(
    sender: Any, *, written: Sequence[tuple[Any, str, str, Any, str]], by: Any, **kwargs: Any
) -> None:
    """Receiver of ``core.signals.translations_written``."""
    rows = []
    for obj, field, language, version, source_text in written:
        rows.append(
            TranslatedWords(
                organisation=obj.organisation,
                language=language,
                source_language=version.source_language,
                origin=work_origin(version.origin, version.engine),
                engine=version.engine[:100],
                words=word_count(source_text),
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                field=field,
                by=by if by is not None and getattr(by, "is_authenticated", False) else None,
            )
        )
    bulk.insert(TranslatedWords, rows)


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    language: str
    words: dict[str, int]  # per work origin

    @property
    def total(self) -> int:
        return sum(self.words.values())


def monthly(
    organisation: Organisation,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[MonthFigures]:
    """Words per month and target language, newest month first, split by origin."""
    rows = TranslatedWords.objects.filter(organisation=organisation)
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    summed = (
        rows.annotate(month=TruncMonth("at"))
        .values("month", "language", "origin")
        .annotate(words=Sum("words"))
        .order_by()
    )
    table: dict[tuple[datetime.date, str], dict[str, int]] = {}
    for row in summed:
        month = row["month"]
        day = month.date() if isinstance(month, datetime.datetime) else month
        table.setdefault((day, row["language"]), {})[row["origin"]] = row["words"] or 0
    order = {code: i for i, code in enumerate(organisation.languages)}
    return [
        MonthFigures(month, language, {o: words.get(o, 0) for o in WorkOrigin.values})
        for (month, language), words in sorted(
            table.items(), key=lambda kv: (-kv[0][0].toordinal(), order.get(kv[0][1], 99))
        )
    ]
