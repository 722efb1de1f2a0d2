"""The reader: someone who reads what the platform writes in one language, within one
organisation — a member receiving a convocation, the holder of a personal link, a subscriber.

Two things, and only these, decide what they read:

- ``Reader.text(texts)``: a translatable text in the reader's language, else in the
  organisation's fallback order (its default language, then its working languages in order, then
  any). The one helper for it; the rule itself is ``text_rules.pick`` (pure, property-tested).
- ``reading(...)``: a context manager that renders everything inside for the reader — gettext,
  date and number formats in their language, and aware times in the time zone they are told
  (the organisation's, or a meeting's). A message is rendered inside it, so that one recipient's
  language never leaks into the next one's message (what pretix does with ``language()``)."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from secretariat.core import text_rules


class HasLanguages(Protocol):
    """An organisation, as far as reading goes: its working languages and its default."""

    @property
    def languages(self) -> list[str]: ...

    @property
    def default_language(self) -> str: ...


@dataclass(frozen=True)
class Reader:
    """One language among an organisation's languages, and its fallback order."""

    language: str
    languages: tuple[str, ...] = ()
    default: str = ""

    @classmethod
    def of(cls, organisation: HasLanguages | None, language: str) -> "Reader":
        """A reader of ``language`` in ``organisation`` (none: no fallback but any text)."""
        if organisation is None:
            return cls(language)
        return cls(language, tuple(organisation.languages), organisation.default_language)

    def shown(self, texts: Mapping[str, str] | None) -> text_rules.Shown:
        """The text this reader is shown, with the language it is in and whether theirs is a
        working language that is missing (for the label that says so)."""
        return text_rules.pick(
            texts if isinstance(texts, Mapping) else None,
            self.language,
            self.languages,
            self.default,
        )

    def text(self, texts: Mapping[str, str] | None) -> str:
        """The text this reader reads: theirs, else the organisation's fallback ("" if none)."""
        return self.shown(texts).text


@contextmanager
def reading(
    organisation: HasLanguages | None,
    language: str,
    *,
    zone: ZoneInfo | str | None = None,
) -> Iterator[Reader]:
    """Render for a reader of ``language``: translations, formats and ``zone`` (else the
    organisation's time zone, when it has one) are active inside, and the reader it yields
    picks the translatable texts. Everything is restored on exit, even after an error."""
    if zone is None:
        zone = getattr(organisation, "tzinfo", None)
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    with translation.override(language):
        if zone is None:
            yield Reader.of(organisation, language)
        else:
            with timezone.override(zone):
                yield Reader.of(organisation, language)
