"""Sentences: the unit of a translation memory. A small rule-based splitter that knows the
abbreviations of administrative French, German, Dutch and English, so that "Art. 5" or
"z. B." do not end a sentence."""

import hashlib
import re
import unicodedata

ABBREVIATIONS = {
    "art",
    "al",
    "ann",
    "cf",
    "ch",
    "dr",
    "env",
    "etc",
    "ex",
    "fig",
    "hr",
    "m",
    "me",
    "mm",
    "mme",
    "mr",
    "mrs",
    "ms",
    "n",
    "no",
    "nr",
    "p",
    "pp",
    "prof",
    "st",
    "ste",
    "vol",
    "vs",
    "z",
    "b",
    "bzw",
    "ca",
    "d",
    "h",
    "ggf",
    "i",
    "u",
    "a",
    "e",
    "v",
    "o",
    "s",
    "vgl",
    "bijv",
    "dhr",
    "mevr",
    "nl",
    "zgn",
    "resp",
    "abs",
    "ziff",
    "lit",
    "e.v",
    "ev",
    "gect",
    "evtz",
}
BOUNDARY = re.compile(r"(?<=[.!?…])[\"”»)]*\s+(?=[\"“«(]*[A-ZÀ-ÖØ-Ý0-9])")


def split(text: str) -> list[str]:
    """The sentences of ``text``; paragraphs (blank lines, line breaks) always separate."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text or ""):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in BOUNDARY.finditer(paragraph):
            before = paragraph[start : match.start()].rstrip('"”»)')
            last_word = re.split(r"[\s(]", before)[-1].rstrip(".").lower()
            if last_word in ABBREVIATIONS or re.fullmatch(r"\d{1,2}", last_word):
                continue
            sentences.append(paragraph[start : match.start()].strip())
            start = match.end()
        sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def normalise(text: str) -> str:
    """What counts as the same sentence: case, spacing and typographic variants aside."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def key(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()
