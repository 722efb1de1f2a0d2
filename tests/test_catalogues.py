"""The French, German, Dutch and English catalogues are complete and compiled."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).parent.parent / "secretariat" / "locale"
ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$')


def entries(po: Path) -> list[dict[str, str]]:
    """A small .po reader: enough to check completeness without another dependency."""
    out: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    fuzzy = False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#~"):
            continue
        elif match := ENTRY.match(line):
            key, text = match.groups()
            # An entry starts at its context (pgettext) or, without one, at its msgid.
            if (key == "msgctxt" or (key == "msgid" and "msgid" in current)) and current:
                out.append(current)
                current = {}
            if key == "msgid":
                current["fuzzy"] = "yes" if fuzzy else ""
                fuzzy = False
            current[key] = text
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    if current:
        out.append(current)
    return [e for e in out if e.get("msgid")]


@pytest.mark.parametrize("language", ["fr", "de", "nl", "en"])
def test_every_message_is_translated(language: str) -> None:
    found = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(found) > 300
    missing = [
        e["msgid"] for e in found if any(k.startswith("msgstr") and not v for k, v in e.items())
    ]
    fuzzy = [e["msgid"] for e in found if e["fuzzy"]]
    assert not missing, missing[:10]
    assert not fuzzy, fuzzy[:10]


@pytest.mark.parametrize("language", ["fr", "de", "nl"])
def test_the_compiled_catalogue_matches_the_source(language: str) -> None:
    directory = LOCALE / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries(directory / "django.po"):
        if "msgid_plural" in entry or "\\" in entry["msgid"]:
            continue
        if "msgctxt" in entry:
            found = compiled.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            found = compiled.gettext(entry["msgid"])
        assert found == entry["msgstr"], entry["msgid"]


def test_french_puts_a_no_break_space_before_high_punctuation() -> None:
    """French typography: « : », « ; », « ? », « ! » follow a no-break space, never a plain
    space (a line may break before them) and never nothing."""
    wrong = []
    for entry in entries(LOCALE / "fr" / "LC_MESSAGES" / "django.po"):
        for key, text in entry.items():
            if not key.startswith("msgstr"):
                continue
            # Code, addresses and placeholders follow their own rules.
            prose = re.sub(
                r"<code>.*?</code>|https?://\S+|%\(\w+\)s|\{\{.*?\}\}|\{%.*?%\}", "X", text
            )
            if re.search(r"[^\s\u00a0\u202f«][:;?!](\s|$)", prose) or re.search(r" [:;?!]", prose):
                wrong.append(text)
    assert not wrong, wrong[:10]


def test_no_template_glues_punctuation_after_a_translated_label() -> None:
    """A colon written after a translated label escapes the translation: French would show
    "Date: " where it writes "Date : ". The colon belongs inside the message."""
    templates = Path(__file__).parent.parent / "secretariat" / "templates"
    glued = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in templates.rglob("*")
        if path.suffix in (".html", ".txt")
        for match in re.finditer(r'\{% (?:translate|trans) "[^"]*" %\}[:;?!]', path.read_text())
    ]
    assert not glued, glued
