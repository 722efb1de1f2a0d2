"""Build the default Word templates (docxtpl) that organisations can download, adapt and upload
again: the convocation letter, the dossier and the minutes, each in a single-language layout
and a bilingual side-by-side layout. Run: .venv/bin/python tools/make_document_templates.py

The fields they use are those of ``secretariat/governance/dossier.py::context`` and
``secretariat/documents/layout.py::side_by_side``: plain text, lists and dicts. The PDF versions
(``secretariat/templates/documents/``) show the same fields, so both formats say the same."""

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "secretariat" / "documents" / "defaults"
RULE = "_" * 34


def base() -> Any:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    header = document.sections[0].header.paragraphs[0]
    header.text = "{{ organisation }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def line(container: Any, text: str, bold: bool = False, italic: bool = False) -> None:
    run = container.add_paragraph().add_run(text)
    run.bold, run.italic = bold, italic


def when_shown(container: Any, condition: str, text: str, **style: bool) -> None:
    """A paragraph that exists only when ``condition`` holds (no empty line otherwise)."""
    container.add_paragraph(f"{{%p if {condition} %}}")
    line(container, text, **style)
    container.add_paragraph("{%p endif %}")


def each(container: Any, loop: str, text: str, **style: bool) -> None:
    container.add_paragraph(f"{{%p for {loop} %}}")
    line(container, text, **style)
    container.add_paragraph("{%p endfor %}")


def heading(d: Any) -> None:
    d.add_heading("{{ heading }}", level=1)
    when_shown(d, "title_mark", "{{ title_mark }}", italic=True)
    d.add_paragraph("{{ body }} — {{ when }}{% if where %} — {{ where }}{% endif %}")


def items(d: Any) -> None:
    d.add_heading("{{ labels.agenda }}", level=2)
    d.add_paragraph("{%p for item in items %}")
    line(d, "{{ item.number }}. {{ item.title }}", bold=True)
    when_shown(d, "item.title_mark", "{{ item.title_mark }}", italic=True)
    d.add_paragraph("{%p for section in item.sections %}")
    when_shown(d, "section.label", "{{ section.label }}", italic=True)
    line(d, "{{ section.text }}")
    when_shown(d, "section.mark", "{{ section.mark }}", italic=True)
    d.add_paragraph("{%p endfor %}")
    each(d, "entry in item.record", "{{ entry }}")
    each(d, "document in item.documents", "• {{ document }}")
    d.add_paragraph("{%p endfor %}")


def signatures(d: Any) -> None:
    """One row per signatory: role and name, then the lines to fill in by hand."""
    d.add_heading("{{ labels.signatures }}", level=2)
    table = d.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for signature in signatures %}"
    who = table.cell(1, 0)
    who.paragraphs[0].add_run("{{ signature.role }}").bold = True
    who.add_paragraph("{{ signature.name }}")
    lines = table.cell(1, 1)
    lines.paragraphs[0].text = ""
    for label in ("{{ labels.place_date }}", "{{ labels.signature }}"):
        lines.add_paragraph(RULE)
        line(lines, label, italic=True)
        lines.add_paragraph("")
    table.cell(2, 0).text = "{%tr endfor %}"


def single(kind: str) -> None:
    d = base()
    heading(d)
    if kind == "convocation":
        when_shown(d, "letter.recipient", "{{ letter.recipient }}")
        d.add_paragraph("{{ letter.salutation }}")
        each(d, "paragraph in letter.paragraphs", "{{ paragraph }}")
    if kind == "minutes":
        d.add_heading("{{ labels.attendance }}", level=2)
        each(d, "group in attendance", "{{ group.text }}")
    items(d)
    if kind == "convocation":
        d.add_paragraph("{{ letter.closing }}")
    if kind == "minutes":
        signatures(d)
    d.save(OUT / f"{kind}.docx")


def bilingual(kind: str) -> None:
    d = base()
    d.add_heading("{{ heading }}", level=1)
    when_shown(d, "title_mark", "{{ title_mark }}", italic=True)
    when_shown(d, "right.title_mark", "{{ right.title_mark }}", italic=True)
    d.add_paragraph("{{ body }} — {{ when }}{% if where %} — {{ where }}{% endif %}")
    table = d.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "{{ languages.0|upper }}"
    table.cell(0, 1).text = "{{ languages.1|upper }}"
    table.cell(1, 0).text = "{%tr for row in pairs %}"
    for column, side in ((0, "left"), (1, "right")):
        cell = table.cell(2, column)
        cell.paragraphs[0].text = f"{{%p if row.{side}.title %}}"
        line(cell, f"{{{{ row.{side}.title }}}}", bold=True)
        cell.add_paragraph("{%p endif %}")
        when_shown(cell, f"row.{side}.text", f"{{{{ row.{side}.text }}}}")
    table.cell(3, 0).text = "{%tr endfor %}"
    if kind == "minutes":
        signatures(d)
    d.save(OUT / f"{kind}_bilingual.docx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for kind in ("convocation", "dossier", "minutes"):
        single(kind)
        bilingual(kind)
    print(sorted(p.name for p in OUT.iterdir()))
