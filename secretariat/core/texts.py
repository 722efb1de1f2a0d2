"""Services for translatable content: validate, stage and record language versions.

A write of translatable fields is two steps around the row's own save, in one transaction::

    update = texts_stage(obj=partner, values={"name": {"fr": "…", "de": "…"}})
    partner.save()
    texts_commit(update, by=user)
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core import bulk, text_rules
from secretariat.core.models import Organisation, TextVersion, TranslatableField, User
from secretariat.core.signals import text_reviewed, translations_written
from secretariat.core.text_rules import Status, Version


class HasOrganisation(Protocol):
    pk: Any

    @property
    def organisation(self) -> Organisation: ...


_FIELDS: dict[type[models.Model], list[str]] = {}


def translatable_fields(model: type[models.Model]) -> list[str]:
    found = _FIELDS.get(model)
    if found is None:
        found = [f.name for f in model._meta.get_fields() if isinstance(f, TranslatableField)]
        _FIELDS[model] = found
    return found


def language_name(code: str) -> str:
    from django.conf import settings

    return str(dict(settings.CONTENT_LANGUAGES).get(code, code))


def language_name_in_sentence(code: str) -> str:
    """A language's name inside a sentence: French writes it in lower case ("en allemand")."""
    from django.utils.translation import get_language

    name = language_name(code)
    return name.lower() if (get_language() or "")[:2] == "fr" else name


def object_label(texts: Mapping[str, str] | None, fallback: str = "") -> str:
    """The label of an object in the interface language if it has one (for ``__str__``)."""
    from django.conf import settings
    from django.utils.translation import get_language

    preferred = [(get_language() or "")[:2], *(code for code, _name in settings.CONTENT_LANGUAGES)]
    return text_rules.label(texts, preferred) or fallback


def check_languages(organisation: Organisation, texts: Mapping[str, str]) -> None:
    """Refuse text in a language that is not one of the organisation's working languages."""
    for language, text in texts.items():
        if language not in organisation.languages and (text or "").strip():
            raise ValidationError(
                _(
                    "“%(language)s” is not a working language of %(organisation)s; "
                    "its working languages are %(languages)s."
                )
                % {
                    "language": language,
                    "organisation": organisation.short_name,
                    "languages": ", ".join(organisation.languages),
                },
                code="language_not_working",
            )


def _versions(texts: Mapping[str, str], rows: Iterable[TextVersion]) -> dict[str, Version]:
    by_language = {row.language: row for row in rows}
    versions: dict[str, Version] = {}
    for language, text in texts.items():
        if not (text or "").strip():
            continue
        row = by_language.get(language)
        if row is None:
            versions[language] = Version(text=text, origin=text_rules.IMPORT)
        else:
            versions[language] = Version(
                text=text,
                origin=row.origin,
                source_language=row.source_language,
                source_digest=row.source_digest,
                engine=row.engine,
                reviewed=row.reviewed_at is not None,
            )
    # Texts written without the service have no state: the first becomes the original and the
    # others are taken as made from it, rather than flagging everything outdated.
    originals = [lang for lang, v in versions.items() if v.is_original]
    if len(originals) > 1:
        source = originals[0]
        for lang in originals[1:]:
            v = versions[lang]
            versions[lang] = Version(
                text=v.text,
                origin=v.origin,
                source_language=source,
                source_digest=text_rules.digest(versions[source].text),
                engine=v.engine,
            )
    return versions


def versions_of(obj: models.Model, rows: Iterable[TextVersion] | None = None) -> dict[str, dict]:
    """All language versions of all translatable fields of ``obj`` (one query)."""
    fields = translatable_fields(type(obj))
    if rows is None:
        rows = (
            TextVersion.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            )
            if obj.pk
            else []
        )
    by_field: dict[str, list[TextVersion]] = {name: [] for name in fields}
    for row in rows:
        by_field.setdefault(row.field, []).append(row)
    return {name: _versions(getattr(obj, name) or {}, by_field[name]) for name in fields}


def statuses_of(obj: HasOrganisation) -> dict[str, dict[str, Status]]:
    """For each translatable field, the status of each working language."""
    versions = versions_of(obj)  # type: ignore[arg-type]
    languages = obj.organisation.languages
    return {
        name: {lang: text_rules.status_of(lang, field_versions) for lang in languages}
        for name, field_versions in versions.items()
    }


@dataclass
class TextUpdate:
    obj: Any
    before: dict[str, dict[str, Version]]
    after: dict[str, dict[str, Version]] = field(default_factory=dict)

    def changes(self) -> dict[str, list[Any]]:
        """Old and new texts of the fields that changed, for the audit trail."""
        out: dict[str, list[Any]] = {}
        for name, versions in self.after.items():
            old = {lang: v.text for lang, v in self.before.get(name, {}).items()}
            new = {lang: v.text for lang, v in versions.items()}
            if old != new:
                out[name] = [old, new]
        return out


def texts_stage(
    *,
    obj: HasOrganisation,
    values: Mapping[str, Mapping[str, str]],
    origin: str = text_rules.AUTHOR,
    engine: str = "",
    make_source: Mapping[str, str] | None = None,
    rows: Iterable[TextVersion] | None = None,
) -> TextUpdate:
    """Validate new texts and set them on ``obj`` (not saved yet); ``rows`` are its state rows
    when the caller fetched them already (imports of many objects)."""
    organisation = obj.organisation
    known = translatable_fields(type(obj))  # type: ignore[arg-type]
    for name, texts in values.items():
        if name not in known:
            raise ValueError(f"{type(obj).__name__}.{name} is not translatable")
        check_languages(organisation, texts)
    before = versions_of(obj, rows=rows)  # type: ignore[arg-type]
    update = TextUpdate(obj=obj, before=before)
    for name, texts in values.items():
        plan = text_rules.plan_update(
            before.get(name, {}),
            texts,
            languages=organisation.languages,
            origin=origin,
            engine=engine,
            make_source=(make_source or {}).get(name),
        )
        update.after[name] = plan
        setattr(obj, name, {lang: v.text for lang, v in plan.items()})
    return update


def texts_commit(update: TextUpdate, *, by: User | None) -> None:
    """Record the state rows of the versions that ``texts_stage`` changed."""
    texts_commit_many([update], by=by)


STATE_FIELDS = [
    "organisation",
    "origin",
    "engine",
    "source_language",
    "source_digest",
    "text_digest",
    "updated_by",
    "reviewed_by",
    "reviewed_at",
]


def texts_commit_many(updates: list[TextUpdate], *, by: User | None) -> None:
    """``texts_commit`` for many objects at once, in a few queries (imports, XLIFF)."""
    if not updates:
        return
    # Stored rows per object, then per (field, language): what is left after matching the new
    # versions is stale and deleted.
    existing: dict[tuple[int, int], dict[tuple[str, str], TextVersion]] = {}
    kinds: dict[int, Any] = {}
    for update in updates:
        content_type = ContentType.objects.get_for_model(update.obj)
        kinds.setdefault(content_type.pk, (content_type, []))[1].append(update)
    for content_type, group in kinds.values():
        fields = {name for update in group for name in update.after}
        for stored in TextVersion.objects.filter(
            content_type=content_type,
            object_id__in=[u.obj.pk for u in group],
            field__in=fields,
        ):
            existing.setdefault((content_type.pk, stored.object_id), {})[
                (stored.field, stored.language)
            ] = stored
    creates: list[TextVersion] = []
    changed: list[TextVersion] = []
    stale: list[int] = []
    written: list[tuple[Any, str, str, Version, str]] = []
    for content_type, group in kinds.values():
        for update in group:
            obj = update.obj
            organisation = obj.organisation
            stored_rows = existing.get((content_type.pk, obj.pk), {})
            for name, versions in update.after.items():
                for language, version in versions.items():
                    row = stored_rows.pop((name, language), None)
                    previous = update.before.get(name, {}).get(language)
                    if row is not None and previous == version:
                        continue
                    source = versions.get(version.source_language)
                    if source is not None and (previous is None or previous.text != version.text):
                        written.append((obj, name, language, version, source.text))
                    values = {
                        "organisation": organisation,
                        "origin": version.origin,
                        "engine": version.engine,
                        "source_language": version.source_language,
                        "source_digest": version.source_digest,
                        "text_digest": text_rules.digest(version.text),
                        "updated_by": by,
                        "reviewed_by": row.reviewed_by if row and version.reviewed else None,
                        "reviewed_at": row.reviewed_at if row and version.reviewed else None,
                    }
                    if row is None:
                        creates.append(
                            TextVersion(
                                content_type=content_type,
                                object_id=obj.pk,
                                field=name,
                                language=language,
                                **values,
                            )
                        )
                    else:
                        for key, value in values.items():
                            setattr(row, key, value)
                        changed.append(row)
            stale.extend(
                row.pk for (name, _lang), row in stored_rows.items() if name in update.after
            )
    with transaction.atomic():
        bulk.insert(TextVersion, creates)
        if changed:
            now = timezone.now()
            for row in changed:
                row.updated_at = now
            TextVersion.objects.bulk_update(changed, [*STATE_FIELDS, "updated_at"], batch_size=500)
        TextVersion.objects.filter(pk__in=stale).delete()
        if written:
            translations_written.send(sender=TextVersion, written=written, by=by)


def text_review(*, obj: HasOrganisation, field_name: str, language: str, by: User | None) -> Status:
    """Mark one language version as reviewed against the current source."""
    from secretariat.core import audit

    versions = versions_of(obj)[field_name]  # type: ignore[arg-type]
    if language not in versions:
        raise ValidationError(_("There is no text in this language to review."))
    if versions[language].is_original:
        raise ValidationError(_("The original text is not reviewed; its translations are."))
    reviewed = text_rules.mark_reviewed(versions, language)
    version = reviewed[language]
    with transaction.atomic():
        TextVersion.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(obj),  # type: ignore[arg-type]
            object_id=obj.pk,
            field=field_name,
            language=language,
            defaults={
                "organisation": obj.organisation,
                "origin": version.origin,
                "engine": version.engine,
                "source_language": version.source_language,
                "source_digest": version.source_digest,
                "text_digest": text_rules.digest(version.text),
                "reviewed_by": by,
                "reviewed_at": timezone.now(),
            },
        )
        audit.record(
            by=by,
            action="review",
            obj=obj,  # type: ignore[arg-type]
            changes={field_name: [language, "reviewed"]},
        )
        source = reviewed[version.source_language]
        text_reviewed.send(
            sender=type(obj),
            obj=obj,
            field=field_name,
            language=language,
            text=version.text,
            source_language=version.source_language,
            source_text=source.text,
        )
    return text_rules.status_of(language, reviewed)


def delete_versions(obj: models.Model) -> None:
    TextVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()
