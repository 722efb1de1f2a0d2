"""The meeting's documents — convocation letter, dossier (agenda, draft decisions, documents),
minutes — in one language or two side by side, as Word (from replaceable templates) or PDF."""

from typing import Any

from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from secretariat.core import text_rules
from secretariat.documents import rendering
from secretariat.governance import agenda
from secretariat.governance.models import Invitation, ItemKind, Meeting

KINDS = ("convocation", "dossier", "minutes")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pick(meeting: Meeting, texts: dict[str, str] | None, language: str) -> str:
    organisation = meeting.organisation
    return text_rules.pick(
        texts, language, organisation.languages, organisation.default_language
    ).text


def context(
    meeting: Meeting, kind: str, language: str, invitation: Invitation | None = None
) -> dict[str, Any]:
    """Everything a template shows, in one language."""
    items = agenda.ordered(meeting.items.prefetch_related("documents"))
    numbers = agenda.numbering(items)
    local = meeting.local_start
    with translation.override(language):
        title = _pick(meeting, meeting.title, language)
        headings = {
            "convocation": _("Convocation"),
            "dossier": _("Meeting dossier"),
            "minutes": _("Minutes"),
        }
        rows = []
        for item in items:
            if kind == "minutes":
                text = _pick(meeting, item.minutes, language)
            elif kind == "dossier" and item.kind == ItemKind.DECISION:
                text = _("Draft decision") + ": " + _pick(meeting, item.draft_decision, language)
            else:
                text = ""
            rows.append(
                {
                    "number": numbers[item.pk],
                    "title": _pick(meeting, item.title, language),
                    "text": text,
                    "documents": [_pick(meeting, d.title, language) for d in item.documents.all()],
                    "sub": item.parent_id is not None,
                }
            )
        person = invitation.person if invitation else None
        return {
            "language": language,
            "organisation": _pick(meeting, meeting.organisation.name, language),
            "heading": f"{headings[kind]} — {title}",
            "title": title,
            "body": _pick(meeting, meeting.body.name, language),
            "when": formats.date_format(local, "DATETIME_FORMAT"),
            "where": ", ".join(p for p in [meeting.place, meeting.room, meeting.address] if p)
            or meeting.online_url,
            "labels": {"agenda": _("Agenda"), "documents": _("Documents")},
            "items": rows,
            "recipient": str(person or ""),
            "salutation": _pick(meeting, person.salutation, language) if person else "",
            "introduction": _("You are convened to the meeting below.")
            if kind == "convocation"
            else "",
            "closing": _("The secretariat"),
        }


def bilingual_context(meeting: Meeting, kind: str, languages: list[str]) -> dict[str, Any]:
    left, right = (context(meeting, kind, lang) for lang in languages[:2])

    def cell(row: dict[str, Any]) -> str:
        lines = [f"{row['number']}. {row['title']}"]
        if row["text"]:
            lines.append(row["text"])
        lines.extend(f"• {d}" for d in row["documents"])
        return "\n".join(lines)

    return {
        **left,
        "languages": languages[:2],
        "heading": f"{left['heading']} / {right['title']}",
        "body": f"{left['body']} / {right['body']}",
        "rows": [
            {"left": cell(a), "right": cell(b)}
            for a, b in zip(left["items"], right["items"], strict=True)
        ],
        "right": right,
    }


def produce(
    meeting: Meeting,
    kind: str,
    fmt: str,
    languages: list[str],
    invitation: Invitation | None = None,
) -> tuple[str, bytes, str]:
    """(file name, content, content type) of one document."""
    bilingual = len(languages) > 1
    data = (
        bilingual_context(meeting, kind, languages)
        if bilingual
        else context(meeting, kind, languages[0], invitation)
    )
    name = f"{slugify(data['title'])[:60] or 'meeting'}-{kind}-{'-'.join(languages[:2])}.{fmt}"
    if fmt == "docx":
        template = rendering.template_file(meeting.organisation, kind, bilingual, languages[0])
        return name, rendering.render_docx(template, data), DOCX
    template_name = "documents/meeting_bilingual.html" if bilingual else "documents/meeting.html"
    return name, rendering.render_pdf(template_name, data), "application/pdf"
