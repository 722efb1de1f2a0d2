"""The plain data a document template receives, and how two languages are put side by side.

A template is filled from dicts, lists and strings only — no model instance, no callable — so
that a template an organisation uploads can be filled without reaching anything else (a
sandboxed renderer can take the context as it is). Every text is already in the document's
language, and a text shown in another language carries its ``mark`` saying so.

The side-by-side version is built from two single-language contexts of the same document: both
are cut into the same sequence of blocks (the letter, the attendance, each item, the closing),
and each pair of blocks makes one row.
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import zip_longest
from typing import Any, NamedTuple

from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.core.reader import Reader
from secretariat.core.texts import language_name_in_sentence


class Text(NamedTuple):
    text: str
    mark: str  # empty, or why the text is not in the document's language


def untranslated_mark(shown: str) -> str:
    """The visible note on a text shown in ``shown`` in a document of the active language."""
    return _("[%(code)s] Not yet translated; shown in %(language)s.") % {
        "code": shown.upper(),
        "language": language_name_in_sentence(shown),
    }


def text_in(texts: Mapping[str, str] | None, reader: Reader) -> Text:
    """The text for a document in the reader's language (the active language), else the one
    the reader is shown instead, marked."""
    shown = reader.shown(texts)
    if not shown.text or shown.language is None or shown.language == reader.language:
        return Text(shown.text, "")
    return Text(shown.text, untranslated_mark(shown.language))


def figure(value: Fraction | Any) -> str:
    """A count as the active language writes it: 3, or 2,5 for weighted votes in French."""
    value = Fraction(str(value)) if not isinstance(value, Fraction) else value
    if value.denominator == 1:
        return str(value.numerator)
    return formats.number_format(round(float(value), 2), decimal_pos=None, use_l10n=True)


def section(label: str, text: Text) -> dict[str, str]:
    return {"label": label, "text": text.text, "mark": text.mark}


def blocks(context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document cut into blocks of a title and lines, in reading order."""
    out: list[dict[str, Any]] = []

    def add(title: str, lines: Sequence[str]) -> None:
        lines = [line for line in lines if line]
        out.append({"title": title, "lines": lines, "text": "\n".join(lines)})

    letter = context.get("letter")
    if letter:
        add(letter["recipient"], [letter["salutation"], *letter["paragraphs"]])
    if context.get("attendance"):
        add(context["labels"]["attendance"], [group["text"] for group in context["attendance"]])
    for item in context["items"]:
        lines = [item["title_mark"]]
        for part in item["sections"]:
            lines.extend([part["label"], part["text"], part["mark"]])
        lines.extend(item["record"])
        lines.extend(f"• {document}" for document in item["documents"])
        add(f"{item['number']}. {item['title']}", lines)
    if letter:
        add("", [letter["closing"]])
    return out


def _both(left: str, right: str) -> str:
    return left if left == right or not right else f"{left} / {right}"


def side_by_side(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    """One document in two languages: the left context's own keys (for templates written for
    one language), the right one under ``right``, and the blocks paired in ``pairs`` (and as
    plain text in ``rows``)."""
    empty: dict[str, Any] = {"title": "", "lines": [], "text": ""}
    pairs = [
        {"left": a, "right": b}
        for a, b in zip_longest(blocks(left), blocks(right), fillvalue=empty)
    ]
    return {
        **left,
        "languages": [left["language"], right["language"]],
        "right": right,
        "organisation": _both(left["organisation"], right["organisation"]),
        "heading": _both(left["heading"], right["heading"]),
        "body": _both(left["body"], right["body"]),
        "labels": {
            key: _both(value, right["labels"][key]) for key, value in left["labels"].items()
        },
        "pairs": pairs,
        "rows": [
            {
                "left": "\n".join(filter(None, [pair["left"]["title"], pair["left"]["text"]])),
                "right": "\n".join(filter(None, [pair["right"]["title"], pair["right"]["text"]])),
            }
            for pair in pairs
        ],
        # Signed once, with the words of both languages.
        "signatures": [
            {"role": _both(a["role"], b["role"]), "name": a["name"]}
            for a, b in zip(left["signatures"], right["signatures"], strict=False)
        ],
    }
