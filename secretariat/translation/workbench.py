"""The side-by-side editor of one language version: what changed in the source since it was
translated, suggestions from the memory sentence by sentence, glossary advice, and saving
with the origin the text really has."""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.core import audit, text_checks, text_rules
from secretariat.core.models import AuditEntry, User
from secretariat.core.texts import text_review, texts_stage, versions_of
from secretariat.core.writes import save_updated
from secretariat.translation import glossary, memory, segments
from secretariat.translation.memory import Match

TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def previous_source(obj: Any, field: str, source_language: str, source_digest: str) -> str | None:
    """The source text a translation was made from, found in the audit trail by its digest
    (the trail keeps every text a field has had)."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("-at", "-id")
    for entry in entries.iterator():
        change = (entry.changes or {}).get(field)
        if not isinstance(change, list) or len(change) != 2:
            continue
        for texts in change:
            if isinstance(texts, dict):
                text = texts.get(source_language)
                if isinstance(text, str) and text_rules.digest(text) == source_digest:
                    return text
    return None


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences as (kind, text): kind is "", "del" or "ins"."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("ins", "".join(b[j1:j2])))
    return out


@dataclass
class SentenceMatches:
    sentence: str
    matches: list[Match]


def memory_matches(
    *, organisation: Any, source_language: str, target_language: str, text: str
) -> list[SentenceMatches]:
    return [
        SentenceMatches(
            sentence,
            memory.lookup(
                organisation=organisation,
                source_language=source_language,
                target_language=target_language,
                text=sentence,
                limit=3,
            ),
        )
        for sentence in segments.split(text)
    ]


@dataclass
class UnitView:
    """Everything the editor (page or API) shows of one language version."""

    source_language: str
    source_text: str
    target: text_rules.Version | None
    status: str
    previous_source: str | None  # what an outdated translation was made from, if known
    highlighted: list[tuple[str, str]]  # the source cut into pieces with glossary advice
    warnings: list[str]  # deviations of the translation from the glossary
    matches: list[SentenceMatches]

    @property
    def target_text(self) -> str:
        return self.target.text if self.target is not None else ""

    @property
    def changes(self) -> list[tuple[str, str]] | None:
        """What the source changed since the translation: None when it did not, [] when the
        earlier source is not in the history."""
        if self.status != text_rules.Status.OUTDATED or self.target is None:
            return None
        return diff(self.previous_source, self.source_text) if self.previous_source else []


def unit_view(obj: Any, field: str, language: str) -> UnitView:
    organisation = obj.organisation
    versions = versions_of(obj)[field]
    source_language = text_rules.original_language(versions) or ""
    source = versions.get(source_language)
    target = versions.get(language)
    source_text = source.text if source else ""
    status = text_rules.status_of(language, versions)
    return UnitView(
        source_language=source_language,
        source_text=source_text,
        target=target,
        status=status,
        previous_source=previous_source(obj, field, source_language, target.source_digest)
        if target is not None and status == text_rules.Status.OUTDATED
        else None,
        highlighted=glossary.highlight(
            concepts=glossary.concepts_valid(organisation),
            text=source_text,
            source_language=source_language,
            target_language=language,
        )
        if source_text
        else [],
        warnings=text_checks.warnings(
            organisation, [(source_language, source_text, language, target.text)]
        )[0]
        if source_text and target is not None
        else [],
        matches=memory_matches(
            organisation=organisation,
            source_language=source_language,
            target_language=language,
            text=source_text,
        )
        if source_text and source_language != language
        else [],
    )


def save_translation(
    *,
    obj: Any,
    field: str,
    language: str,
    text: str,
    by: User | None,
    review: bool = False,
    suggested_engine: str = "",
    suggested_text: str = "",
) -> text_rules.Status:
    """Save what the translator wrote. A suggestion accepted word for word keeps the origin it
    has (memory or machine) so that it is not passed off as a human translation."""
    versions = versions_of(obj)[field]
    source = text_rules.original_language(versions)
    if source is None:
        raise ValidationError(_("There is no original text to translate from."))
    if language == source:
        raise ValidationError(_("This is the original; edit it on the page of the object."))
    if not text.strip():
        raise ValidationError(_("Write the translation before saving."))
    accepted = bool(suggested_engine) and text.strip() == suggested_text.strip()
    with transaction.atomic():
        before = audit.snapshot(obj, [field])
        update = texts_stage(
            obj=obj,
            values={field: {language: text}},
            origin=text_rules.MACHINE if accepted else text_rules.HUMAN,
            engine=suggested_engine if accepted else "",
        )
        save_updated(obj, by=by, fields=[field], before=before, texts=update)
        if review:
            return text_review(obj=obj, field_name=field, language=language, by=by)
    return text_rules.status_of(language, versions_of(obj)[field])
