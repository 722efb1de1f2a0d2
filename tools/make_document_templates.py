"""Build the default Word templates (docxtpl) that organisations can download, adapt and upload
again: the convocation letter, the dossier and the minutes, each in a single-language layout
and a bilingual side-by-side layout. Run: .venv/bin/python tools/make_document_templates.py"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "secretariat" / "documents" / "defaults"


def base() -> Document:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    header = document.sections[0].header.paragraphs[0]
    header.text = "{{ organisation }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def single(kind: str) -> None:
    d = base()
    d.add_heading("{{ heading }}", level=1)
    d.add_paragraph("{{ body }} — {{ when }} — {{ where }}")
    if kind == "convocation":
        d.add_paragraph("{{ recipient }}")
        d.add_paragraph("{{ salutation }}")
        d.add_paragraph("{{ introduction }}")
    d.add_heading("{{ labels.agenda }}", level=2)
    d.add_paragraph("{%p for item in items %}")
    d.add_paragraph("{{ item.number }}. {{ item.title }}").runs[0].bold = True
    d.add_paragraph("{%p if item.text %}")
    d.add_paragraph("{{ item.text }}")
    d.add_paragraph("{%p endif %}")
    if kind == "dossier":
        d.add_paragraph("{%p for document in item.documents %}")
        d.add_paragraph("• {{ document }}")
        d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endfor %}")
    if kind == "convocation":
        d.add_paragraph("{{ closing }}")
    d.save(OUT / f"{kind}.docx")


def bilingual(kind: str) -> None:
    d = base()
    d.add_heading("{{ heading }}", level=1)
    d.add_paragraph("{{ body }} — {{ when }} — {{ where }}")
    table = d.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "{{ languages.0|upper }}"
    table.cell(0, 1).text = "{{ languages.1|upper }}"
    table.cell(1, 0).text = "{%tr for row in rows %}"
    table.cell(2, 0).text = "{{ row.left }}"
    table.cell(2, 1).text = "{{ row.right }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    d.save(OUT / f"{kind}_bilingual.docx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for kind in ("convocation", "dossier", "minutes"):
        single(kind)
        bilingual(kind)
    print(sorted(p.name for p in OUT.iterdir()))
