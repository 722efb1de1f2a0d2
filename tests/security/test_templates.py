"""Word templates an organisation uploads are data, never code: the known ways out of Jinja's
sandbox are refused at upload, and a template stored before the check (or slipped past it)
still cannot run anything, read anything or take the server down when a document is opened."""

import io
import resource
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from secretariat.documents import rendering, sandbox
from secretariat.documents.models import DocumentTemplate
from secretariat.governance import dossier
from tests import factories

# Each would run a command, read the server's modules or its settings if the template were
# rendered outside the sandbox; {marker} is a file the command would create.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch {marker}') }}",
    "{{ namespace.__init__.__globals__.os.system('touch {marker}') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''['__class__']['__mro__'] }}",
    "{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ self._TemplateReference__context }}",
    "{% set s = ''|attr('__class__') %}{{ s }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(title) }}",
    "{{ title.__class__.__base__.__subclasses__() }}",
    "{% include '/etc/passwd' %}",
    "{% extends '/etc/passwd' %}",
    "{% for x in range(10) %}{{ x }}{% endfor %}{{ x.__class__ }}",
    "{{ title|safe }}",
]


def word(text: str) -> bytes:
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_of(docx: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_known_escape_is_refused_at_upload(
    escape: str, client: Client, org: Any, admin: Any, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    client.force_login(admin)
    template = word("Agenda of {{ title }}\n" + escape.replace("{marker}", str(marker)))
    response = client.post(
        reverse("document_templates", args=[org.slug]),
        {"kind": "dossier", "language": "", "file": SimpleUploadedFile("t.docx", template)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "may not use" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert not marker.exists()


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_stored_escape_runs_nothing_when_a_document_is_opened(
    escape: str, client: Client, org: Any, admin: Any, tmp_path: Path
) -> None:
    """A template stored before the upload check (or by any other way in) is filled in the
    sandbox: the command does not run, nothing of the server is printed."""
    marker = tmp_path / "ran"
    stored = DocumentTemplate(organisation=org, kind="dossier", bilingual=False, language="")
    content = word("Agenda of {{ title }}\n" + escape.replace("{marker}", str(marker)))
    stored.file.save("old.docx", ContentFile(content))
    meeting = factories.meeting(factories.body(org))
    client.force_login(admin)
    response = client.get(
        reverse("meeting_document", args=[org.slug, meeting.pk, "dossier", "docx"])
    )
    assert not marker.exists()
    if response.status_code == 302:  # refused: the meeting page says why
        follow = client.get(response["Location"])
        assert "Word template" in follow.content.decode()
        return
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Agenda of" in text
    for leak in ("<class", "root:", "__globals__", "subclasses", "builtins"):
        assert leak not in text


def test_data_cannot_break_out_of_the_document_xml() -> None:
    """A title with Word's own markup in it is printed as text, and the document still opens."""
    template = word("{{ title }}")
    hostile = "</w:t></w:r><w:r><w:t>INJECTED</w:t></w:r><w:r><w:t>&amp; <script>"
    filled = sandbox.fill(template, {"title": hostile})
    assert hostile in text_of(filled)


def test_an_ordinary_template_still_fills_with_loops_conditions_and_filters() -> None:
    template = word(
        "{{ title|upper }} – {{ missing.anything }}\n"
        "{% for item in items %}{{ loop.index }}. {{ item.title }} "
        "{{ loop.cycle('odd', 'even') }}{% if not loop.last %};{% endif %}{% endfor %}\n"
        "{{ items|length }} {{ items|map(attribute='title')|join(', ') }}"
    )
    sandbox.check(template)
    text = text_of(
        sandbox.fill(template, {"title": "Comité", "items": [{"title": "A"}, {"title": "B"}]})
    )
    assert "COMITÉ – " in text
    assert "1. A odd;2. B even" in text
    assert "2 A, B" in text


def test_a_template_that_loops_forever_is_stopped_within_its_limits(
    monkeypatch: pytest.MonkeyPatch, org: Any
) -> None:
    """Nested loops over the document's data (10^15 turns) cost the sandbox's process, which
    its CPU and memory limits stop; the server's own process does not grow."""
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 3)
    monkeypatch.setattr(sandbox, "MEMORY_BYTES", 400 * 1024 * 1024)
    loops = "".join(f"{{% for x{n} in items %}}" for n in range(5))
    ends = "{% endfor %}" * 5
    template = word(loops + "{{ title }}" + ends)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        rendering.render_docx(io.BytesIO(template), {"title": "x" * 100, "items": [1] * 1000}, org)
    elapsed = time.monotonic() - started
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert "too much time or memory" in " ".join(error.value.messages)
    # Stopped by its limits rather than left running (the wall clock of a loaded machine runs
    # ahead of the 10 s of CPU time, hence the margin).
    assert elapsed < 2 * sandbox.WALL_SECONDS
    assert grown_kb < 50 * 1024
    print(f"stopped after {elapsed:.1f} s; the server process grew by {grown_kb // 1024} MB")


def test_a_zip_bomb_as_a_template_costs_only_the_sandbox(
    monkeypatch: pytest.MonkeyPatch, org: Any
) -> None:
    """A .docx whose document part unpacks to 1 GB is refused, and the server does not grow."""
    import zipfile

    monkeypatch.setattr(sandbox, "MEMORY_BYTES", 400 * 1024 * 1024)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(word("{{ title }}"))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            if item.filename == "word/document.xml":
                body = source.read(item).replace(b"</w:body>", b"")
                with bomb.open(item.filename, "w", force_zip64=True) as part:
                    part.write(body[: body.rindex(b"</w:document>")])
                    part.write(b"<w:p/>" * (1024 * 1024))
                    for _ in range(160):
                        part.write(b" " * (1024 * 1024 * 6))
                    part.write(b"</w:body></w:document>")
            else:
                bomb.writestr(item, source.read(item))
    assert len(buffer.getvalue()) < 5 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ValidationError):
        rendering.render_docx(io.BytesIO(buffer.getvalue()), {"title": "x"}, org)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024


def test_the_sandbox_process_gets_no_secret_of_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "do-not-leak")
    monkeypatch.setenv("DATABASE_URL", "postgres://user:password@host/db")
    environment = sandbox._child_environment()
    assert set(environment) == {"PYTHONPATH", "LANG", "PYTHONDONTWRITEBYTECODE"}
    assert "do-not-leak" not in str(environment) and "password" not in str(environment)


def test_the_context_a_template_receives_is_plain_data() -> None:
    from secretariat.documents.layout import Text

    assert sandbox.plain({"a": Text("x", "m"), "b": (1, 2)}) == {
        "a": {"text": "x", "mark": "m"},
        "b": [1, 2],
    }
    with pytest.raises(TypeError):
        sandbox.plain({"meeting": object()})


def test_the_dossier_of_a_real_meeting_fills_through_the_sandbox(org: Any) -> None:
    meeting = factories.meeting(factories.body(org))
    name, content, _ = dossier.produce(meeting, "dossier", "docx", [org.default_language])
    assert name.endswith(".docx")
    assert str(meeting.body) in text_of(content)


def test_an_escape_in_the_document_properties_or_footnotes_is_refused_at_upload() -> None:
    """docxtpl fills the document's properties (title, subject…) too: they are checked like the
    body (found by the security review)."""
    document = Document()
    document.add_paragraph("{{ title }}")
    document.core_properties.title = "{{ title.__class__ }}"
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(sandbox.TemplateRefused) as refused:
        sandbox.check(buffer.getvalue())
    assert refused.value.code == sandbox.FORBIDDEN and "__class__" in refused.value.detail


def test_documents_wait_for_a_place_in_the_sandbox_and_one_organisation_cannot_take_all(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    """A template made to be slow, opened many times at once, holds at most the machine's places
    (and an organisation half of them); the next document waits, then is told the server is
    busy, in the user's language (found by the security review: 16 parallel slow documents
    made the login page wait 88 s)."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(sandbox, "SLOTS", 2)
    monkeypatch.setattr(sandbox, "SLOTS_PER_OWNER", 1)
    monkeypatch.setattr(sandbox, "WAIT_SECONDS", 0.3)
    template = word("{{ title }}")
    with sandbox.place("alpha"):
        # alpha's only place is taken: alpha waits and is refused; beta still gets the other.
        with pytest.raises(sandbox.TemplateRefused) as refused:
            sandbox.fill(template, {"title": "x"}, owner="alpha")
        assert refused.value.code == sandbox.BUSY
        assert "x" in text_of(sandbox.fill(template, {"title": "x"}, owner="beta"))
        # the machine's two places are taken: gamma waits and is refused.
        with sandbox.place("beta"), pytest.raises(sandbox.TemplateRefused):
            sandbox.fill(template, {"title": "x"}, owner="gamma")
    assert "x" in text_of(sandbox.fill(template, {"title": "x"}, owner="gamma"))
    from django.utils import translation

    with translation.override("fr"):
        message = rendering.refusal(sandbox.TemplateRefused(sandbox.BUSY))
    assert "réessayez" in message
