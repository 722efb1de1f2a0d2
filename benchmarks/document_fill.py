"""How long a Word document takes to fill in the template sandbox (a separate process per
document), and the peak memory of that process, for the default dossier template and a
realistic meeting of 30 items. Run: .venv/bin/python benchmarks/document_fill.py"""

import io
import os
import resource
import statistics
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
django.setup()  # the sandbox's places are file locks in the settings' data folder

from secretariat.documents import sandbox  # noqa: E402

TEMPLATE = (
    Path(__file__).resolve().parent.parent
    / "secretariat/governance/document_templates/dossier.docx"
).read_bytes()
CONTEXT = {
    "title": "Assemblée générale",
    "heading": "Dossier de séance",
    "when": "1 décembre 2026, 10:00",
    "where": "Maison de la Grande Région",
    "body": "Assemblée générale",
    "labels": {"agenda": "Ordre du jour"},
    "items": [
        {
            "number": str(n),
            "title": f"Point {n}",
            "title_mark": "",
            "sections": [{"label": "Exposé", "text": "Texte " * 200, "mark": ""}],
            "documents": [f"Annexe {n}.pdf"],
            "record": [],
        }
        for n in range(1, 31)
    ],
}


def main() -> None:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        document = sandbox.fill(TEMPLATE, CONTEXT)
        times.append(time.perf_counter() - started)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"dossier of 30 items: {len(document) // 1024} KB")
    print(f"fill in the sandbox: median {statistics.median(times) * 1000:.0f} ms over 5")
    print(f"peak memory of the sandbox process: {child} MB")
    from docxtpl import DocxTemplate

    started = time.perf_counter()
    unsandboxed = DocxTemplate(io.BytesIO(TEMPLATE))
    unsandboxed.render(CONTEXT, autoescape=True)
    unsandboxed.save(io.BytesIO())
    print(
        f"the same in-process without the sandbox: {(time.perf_counter() - started) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
