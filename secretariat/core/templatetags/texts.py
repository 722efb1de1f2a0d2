"""Template tags that show translatable text in the reader's language, labelled when it is
shown in another language because the reader's is missing."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from secretariat.core import text_rules
from secretariat.core.reader import Reader
from secretariat.core.texts import language_name

register = template.Library()


def _organisation(context: template.Context, obj: Any = None) -> Any:
    organisation = context.get("organisation")
    if organisation is None and obj is not None:
        organisation = getattr(obj, "organisation", None)
    return organisation


@register.simple_tag(takes_context=True)
def tr(context: template.Context, texts: Any, obj: Any = None) -> SafeString:
    """``{% tr partner.name %}``: the text in the interface language, with a fallback label."""
    wanted = (get_language() or "en")[:2]
    shown = Reader.of(_organisation(context, obj), wanted).shown(texts)
    if not shown.text:
        return format_html('<span class="empty">{}</span>', "—")
    if shown.language == wanted:
        return format_html("{}", shown.text)
    if shown.missing:
        label = _("Not yet available in %(wanted)s; shown in %(shown)s.") % {
            "wanted": language_name(wanted),
            "shown": language_name(shown.language or ""),
        }
        return format_html(
            '<span lang="{}">{}</span> <abbr class="fallback" title="{}">{}</abbr>',
            shown.language,
            shown.text,
            label,
            (shown.language or "").upper(),
        )
    return format_html('<span lang="{}">{}</span>', shown.language, shown.text)


@register.simple_tag
def text_note(obj: Any, field: str) -> SafeString:
    """``{% text_note meeting "title" %}`` after the text: says when the reader's version is
    machine-made or outdated, with the original to unfold."""
    from secretariat.core.text_notes import note_of

    if obj is None:
        return SafeString("")
    note = note_of(obj, field, (get_language() or "en")[:2])
    if note is None:
        return SafeString("")
    return format_html(
        '<details class="text-note text-note-{}"><summary>{}</summary>'
        '<p lang="{}"><span class="lang">{}</span> {}</p></details>',
        note.status,
        note.label(),
        note.language,
        note.language.upper(),
        note.original,
    )


@register.simple_tag
def tr_plain(texts: Any, languages: list[str] | None = None, default: str = "") -> str:
    """The text as plain string (for attributes, titles and exports)."""
    wanted = (get_language() or "en")[:2]
    return Reader(wanted, tuple(languages or ()), default).text(texts)


STATUS_LABELS = {
    text_rules.Status.MISSING: ("missing", "○"),
    text_rules.Status.ORIGINAL: ("original", "●"),
    text_rules.Status.OUTDATED: ("outdated", "◐"),
    text_rules.Status.MACHINE: ("machine", "◑"),
    text_rules.Status.UNREVIEWED: ("unreviewed", "◕"),
    text_rules.Status.REVIEWED: ("reviewed", "✓"),
}


def status_label(status: str) -> str:
    labels = {
        text_rules.Status.MISSING: _("missing"),
        text_rules.Status.ORIGINAL: _("original"),
        text_rules.Status.OUTDATED: _("outdated: the source changed"),
        text_rules.Status.MACHINE: _("machine translation, not reviewed"),
        text_rules.Status.UNREVIEWED: _("translated, awaiting review"),
        text_rules.Status.REVIEWED: _("reviewed"),
    }
    return str(labels.get(text_rules.Status(status), status))


@register.simple_tag
def text_status(status: str) -> SafeString:
    css, mark = STATUS_LABELS.get(text_rules.Status(status), ("missing", "○"))
    return format_html(
        '<span class="status status-{}" title="{}"><span aria-hidden="true">{}</span> {}</span>',
        css,
        status_label(status),
        mark,
        status_label(status),
    )


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key) if mapping is not None else None
    except AttributeError:
        return None


@register.filter
def lang_name(code: str) -> str:
    return language_name(code)


@register.filter
def lang_name_inline(code: str) -> str:
    from secretariat.core.texts import language_name_in_sentence

    return language_name_in_sentence(code)
