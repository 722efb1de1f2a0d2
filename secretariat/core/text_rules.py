"""Pure rules of multilingual text: which version is the source, what is outdated, what a
reader sees. No ORM here, so that the rules can be tested exhaustively."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

AUTHOR = "author"
MACHINE = "machine"
HUMAN = "human"
IMPORT = "import"


class Status(StrEnum):
    MISSING = "missing"
    ORIGINAL = "original"
    OUTDATED = "outdated"
    MACHINE = "machine"
    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"


def normalise(text: str) -> str:
    """A text as it is stored: line feeds only (browsers send CRLF, old Mac files CR, the API
    and imports LF), no white space around it. Saving the same text from any of them changes
    nothing."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(text: str) -> str:
    """Digest of a text, insensitive to surrounding white space and line-ending style."""
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode()).hexdigest()


@dataclass(frozen=True)
class Version:
    text: str
    origin: str = AUTHOR
    source_language: str = ""  # empty: this is the original
    source_digest: str = ""
    engine: str = ""
    reviewed: bool = False

    @property
    def is_original(self) -> bool:
        return not self.source_language


def original_language(versions: Mapping[str, Version]) -> str | None:
    for language, version in versions.items():
        if version.is_original:
            return language
    return None


def status_of(language: str, versions: Mapping[str, Version]) -> Status:
    """The state a reader or translator should see for one language of a field."""
    version = versions.get(language)
    if version is None or not version.text.strip():
        return Status.MISSING
    if version.is_original:
        return Status.ORIGINAL
    source = versions.get(version.source_language)
    if source is None or digest(source.text) != version.source_digest:
        return Status.OUTDATED
    if version.reviewed:
        return Status.REVIEWED
    if version.origin == MACHINE:
        return Status.MACHINE
    return Status.UNREVIEWED


def _translator_origin(origin: str) -> str:
    # Someone who writes a second language beside the original is translating it.
    return HUMAN if origin == AUTHOR else origin


def plan_update(
    current: Mapping[str, Version],
    new_texts: Mapping[str, str],
    *,
    languages: Sequence[str],
    origin: str = AUTHOR,
    engine: str = "",
    make_source: str | None = None,
) -> dict[str, Version]:
    """The versions of a field after saving ``new_texts`` over ``current``.

    Unchanged languages keep their state. A changed original stays the original, and the
    versions made from its former text become outdated through their digest. A changed
    translation is taken as made from the current source, and loses its review. An emptied
    language disappears; if it was the original, the first remaining language in the order of
    ``languages`` becomes the original. ``make_source`` makes one language the original, and
    the others then count as outdated until they are edited or reviewed.
    """
    texts = {lang: v.text for lang, v in current.items()}
    changed: set[str] = set()
    for lang, raw in new_texts.items():
        text = normalise(raw)
        if text != normalise(texts.get(lang, "")):
            changed.add(lang)
            if text:
                texts[lang] = text
            else:
                texts.pop(lang, None)
    if not texts:
        return {}

    order = [lang for lang in languages if lang in texts] + sorted(set(texts) - set(languages))
    previous_source = original_language(current)
    if make_source in texts:
        source = make_source
    elif previous_source in texts:
        source = previous_source
    else:
        source = order[0]

    result: dict[str, Version] = {}
    kept = current.get(source)
    if source in changed or kept is None:
        result[source] = Version(text=texts[source], origin=origin, engine=engine)
    else:
        result[source] = replace(kept, source_language="", source_digest="", reviewed=False)
    source_digest = digest(texts[source])

    for lang in order:
        if lang == source:
            continue
        if lang in changed:
            result[lang] = Version(
                text=texts[lang],
                origin=_translator_origin(origin),
                engine=engine,
                source_language=source,
                source_digest=source_digest,
            )
        else:
            # Not touched: it keeps the digest of what it was made from, which tells whether
            # it is still current; a former original was made from nothing here.
            before = current[lang]
            result[lang] = replace(
                before,
                source_language=source,
                source_digest="" if before.is_original else before.source_digest,
            )
    return {lang: result[lang] for lang in order}


def mark_reviewed(versions: Mapping[str, Version], language: str) -> dict[str, Version]:
    """A reviewer confirms the version renders the current source."""
    result = dict(versions)
    version = result[language]
    if version.is_original:
        return result
    source = result[version.source_language]
    result[language] = replace(version, reviewed=True, source_digest=digest(source.text))
    return result


@dataclass(frozen=True)
class Shown:
    text: str
    language: str | None
    missing: bool  # the reader asked for a working language that has no text yet


def pick(
    texts: Mapping[str, str] | None, wanted: str, languages: Sequence[str], default: str = ""
) -> Shown:
    """What a reader in ``wanted`` sees: their language, else the default, else any."""
    texts = texts or {}
    if texts.get(wanted, "").strip():
        return Shown(texts[wanted], wanted, False)
    order = [default, *languages, *sorted(texts)] if default else [*languages, *sorted(texts)]
    for lang in order:
        if lang and texts.get(lang, "").strip():
            return Shown(texts[lang], lang, wanted in languages)
    return Shown("", None, wanted in languages)


def label(texts: Mapping[str, str] | None, preferred: Sequence[str]) -> str:
    """A one-line label for an object: the first language of ``preferred`` that has text, else
    any text (JSON maps keep no order on PostgreSQL, so the order must come from outside)."""
    texts = texts or {}
    for lang in [*preferred, *sorted(texts)]:
        if (texts.get(lang) or "").strip():
            return texts[lang]
    return ""
