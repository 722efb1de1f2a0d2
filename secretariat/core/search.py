"""Accent- and case-insensitive search text, the same on SQLite and PostgreSQL."""

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("ß", "ss").casefold()


def search_text(parts: Iterable[str]) -> str:
    return " | ".join(fold(p) for p in parts if p)
