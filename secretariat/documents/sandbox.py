"""Filling a Word template as data, never as code.

An organisation's administrator can upload a Word template; whoever opens a document fills it.
So a template is filled the same way whoever wrote it:

- in Jinja's immutable sandbox, with autoescape, no globals (no ``range``, ``cycler``,
  ``lipsum``, ``namespace``), an allow-list of filters and tests, no calls but the loop's own
  helpers, no attribute starting with ``_``, and bounded ``*`` and ``**``;
- in a separate Python process with no secrets in its environment, an empty working folder,
  and limits on its memory, CPU time and output, killed after a wall-clock timeout: what the
  sandbox does not stop (a loop over a loop over a loop, a zip bomb inside the .docx) costs that
  process, never the server;
- a few such processes at a time on the machine, and fewer for one organisation (file locks,
  shared by every worker process): a template made to be slow cannot take all the cores, nor
  one organisation all the places.

The parent sends the template and a JSON copy of the plain-data context and reads back the
document's bytes or a short error code; it never unpickles what the child says. Run as a module
(``python -m secretariat.documents.sandbox``), this file is that child; it imports neither
Django nor the rest of the platform.
"""

import fcntl
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from time import monotonic, sleep
from typing import Any

ALLOWED_FILTERS = {
    "abs",
    "batch",
    "capitalize",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "groupby",
    "int",
    "items",
    "join",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "replace",
    "reverse",
    "round",
    "select",
    "selectattr",
    "slice",
    "sort",
    "string",
    "sum",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "wordcount",
}
ALLOWED_TESTS = {
    "!=",
    "<",
    "<=",
    "==",
    ">",
    ">=",
    "boolean",
    "defined",
    "divisibleby",
    "eq",
    "equalto",
    "even",
    "false",
    "float",
    "ge",
    "greaterthan",
    "gt",
    "in",
    "integer",
    "le",
    "lessthan",
    "lower",
    "lt",
    "mapping",
    "ne",
    "none",
    "number",
    "odd",
    "sameas",
    "sequence",
    "string",
    "true",
    "undefined",
    "upper",
}
LOOP_HELPERS = {"cycle", "changed"}
MAX_REPEAT = 100_000  # the longest string or list ``*`` may make
MAX_EXPONENT = 100

MEMORY_BYTES = 512 * 1024 * 1024
CPU_SECONDS = 10
WALL_SECONDS = 15
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
SLOTS = max(2, os.cpu_count() or 2)  # sandbox processes at once on the machine
SLOTS_PER_OWNER = max(1, SLOTS // 2)  # of which one organisation may hold
WAIT_SECONDS = 10  # for a free place, before saying the server is busy

# Why a template was refused, as the child reports it; the parent says it in the user's language.
SYNTAX, FORBIDDEN, NOT_WORD, TOO_COSTLY, BUSY, FAILED = (
    "syntax",
    "forbidden",
    "not_word",
    "too_costly",
    "busy",
    "failed",
)


class TemplateRefused(Exception):
    """The template cannot be filled: ``code`` says why, ``detail`` what it was (a line, a
    filter name), both in English for the parent to translate."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


# --- The parent's side -------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """The context as JSON can carry it: dicts, lists, strings, numbers, booleans, None. A named
    tuple becomes a dict of its fields (``text.mark`` still reads it); dates become ISO text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | Fraction):
        return str(value)
    raise TypeError(f"A document template receives plain data only, not {type(value).__name__}.")


def _child_environment() -> dict[str, str]:
    """No secret of the server's environment reaches the child: only where to find Python's
    packages and a UTF-8 locale."""
    return {
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _slots_folder() -> Path:
    from django.conf import settings

    folder = Path(settings.DATA_DIR) / "sandbox-slots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _take(folder: Path, prefix: str, count: int) -> int | None:
    """One free place among ``count`` (a lock file held open), or None."""
    for n in range(count):
        handle = os.open(folder / f"{prefix}-{n}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue
        return handle
    return None


@contextmanager
def place(owner: str) -> Iterator[None]:
    """A place to run one sandbox process: one of the machine's and one of ``owner``'s. The
    locks go with the process that holds them, even if it dies."""
    folder = _slots_folder()
    deadline = monotonic() + WAIT_SECONDS
    held: list[int] = []
    try:
        for prefix, count in ((f"owner-{owner}", SLOTS_PER_OWNER), ("machine", SLOTS)):
            while (handle := _take(folder, prefix, count)) is None:
                if monotonic() > deadline:
                    raise TemplateRefused(BUSY, prefix)
                sleep(0.05)
            held.append(handle)
        yield
    finally:
        for handle in held:
            os.close(handle)  # closing the file releases its lock


def _run(mode: str, template: bytes, context: Mapping[str, Any], owner: str) -> bytes:
    with place(owner):
        return _spawn(mode, template, context)


def _spawn(mode: str, template: bytes, context: Mapping[str, Any]) -> bytes:
    limits = {"memory": MEMORY_BYTES, "cpu": CPU_SECONDS}
    request = json.dumps({"mode": mode, "limits": limits, "context": plain(context)}).encode()
    payload = len(request).to_bytes(8, "big") + request + template
    with tempfile.TemporaryDirectory(prefix="secretariat-template-") as folder:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "secretariat.documents.sandbox"],
                input=payload,
                capture_output=True,
                timeout=WALL_SECONDS,
                cwd=folder,
                env=_child_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise TemplateRefused(TOO_COSTLY, "time") from error
    status, _, body = done.stdout.partition(b"\n")
    try:
        answer = json.loads(status or b"{}")
    except ValueError:
        answer = {}
    if done.returncode == 0 and answer.get("ok"):
        return body
    if not answer:  # killed by a limit, or died before it could answer
        raise TemplateRefused(TOO_COSTLY, f"exit {done.returncode}")
    raise TemplateRefused(str(answer.get("code", FAILED)), str(answer.get("detail", ""))[:300])


def fill(template: bytes, context: Mapping[str, Any], owner: str = "") -> bytes:
    """The filled document (.docx bytes); TemplateRefused says why not. ``owner`` (the
    organisation) shares its places in the sandbox among its own documents."""
    return _run("fill", template, context, owner)


def check(template: bytes, owner: str = "") -> None:
    """Refuse a template that is not Word, does not parse, or uses anything but the document's
    data (whether or not that part would be reached: body, headers, footers, footnotes and the
    document's properties alike), then fill it once without data."""
    _run("check", template, {}, owner)


# --- The child's side --------------------------------------------------------------------------


def _environment() -> Any:
    from jinja2 import ChainableUndefined, nodes
    from jinja2.runtime import LoopContext
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class Environment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError("exponent too large")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if (
                        isinstance(seq, str | list | tuple)
                        and isinstance(times, int)
                        and len(seq) * times > MAX_REPEAT
                    ):
                        raise SecurityError("repetition too long")
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            owner = getattr(__obj, "__self__", None)
            if isinstance(owner, LoopContext) and getattr(__obj, "__name__", "") in LOOP_HELPERS:
                return __context.call(__obj, *args, **kwargs)
            raise SecurityError("calls are not allowed in a document template")

    from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

    # A missing key prints nothing, so a template written for one kind of document fills
    # another, and a template can be checked without data.
    environment = Environment(autoescape=True, undefined=ChainableUndefined)
    environment.globals.clear()
    environment.filters = {k: v for k, v in DEFAULT_FILTERS.items() if k in ALLOWED_FILTERS}
    environment.tests = {k: v for k, v in DEFAULT_TESTS.items() if k in ALLOWED_TESTS}
    environment.parsed = []  # type: ignore[attr-defined]
    environment.nodes = nodes  # type: ignore[attr-defined]
    return environment


def _refuse_code(environment: Any, tree: Any) -> None:
    """What the sandbox would stop when reached, refused before: another template, a call, an
    attribute or key starting with ``_``, a filter or test not on the lists."""
    nodes = environment.nodes
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise TemplateRefused(FORBIDDEN, "{% " + type(node).__name__.lower() + " %}")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Call, nodes.Filter, nodes.Test)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise TemplateRefused(FORBIDDEN, node.attr)
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and str(node.arg.value).startswith("_")
        ):
            raise TemplateRefused(FORBIDDEN, str(node.arg.value))
        if isinstance(node, nodes.Call):
            callee = node.node
            is_loop_helper = (
                isinstance(callee, nodes.Getattr)
                and isinstance(callee.node, nodes.Name)
                and callee.node.name == "loop"
                and callee.attr in LOOP_HELPERS
            )
            if not is_loop_helper:
                raise TemplateRefused(FORBIDDEN, "()")
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            raise TemplateRefused(FORBIDDEN, f"|{node.name}")
        if isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
            raise TemplateRefused(FORBIDDEN, f"is {node.name}")


def _limit(memory: int, cpu: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # and starts no process


def _serve(request: dict[str, Any], template: bytes) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.sandbox import SecurityError

    environment = _environment()
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.init_docx()
    except Exception as error:
        raise TemplateRefused(NOT_WORD, type(error).__name__) from error
    try:
        if request["mode"] == "check":
            # Every part docxtpl fills is compiled through ``_parse``, whichever way it asks
            # (``from_string`` for the properties and footnotes, ``parse`` for the rest).
            original_parse = environment._parse

            def parse(source: str, *args: Any, **kwargs: Any) -> Any:
                tree = original_parse(source, *args, **kwargs)
                _refuse_code(environment, tree)
                return tree

            environment._parse = parse
        document.render(request["context"], jinja_env=environment, autoescape=True)
    except TemplateRefused:
        raise
    except TemplateSyntaxError as error:
        raise TemplateRefused(SYNTAX, error.message or "") from error
    except SecurityError as error:
        raise TemplateRefused(FORBIDDEN, str(error)) from error
    except (MemoryError, RecursionError) as error:
        raise TemplateRefused(TOO_COSTLY, type(error).__name__) from error
    except (TemplateError, Exception) as error:
        raise TemplateRefused(FAILED, f"{type(error).__name__}: {error}") from error
    buffer = io.BytesIO()
    document.save(buffer)
    if buffer.tell() > MAX_OUTPUT_BYTES:
        raise TemplateRefused(TOO_COSTLY, "output")
    return buffer.getvalue()


def main() -> None:
    payload = sys.stdin.buffer.read()
    size = int.from_bytes(payload[:8], "big")
    request = json.loads(payload[8 : 8 + size])
    _limit(int(request["limits"]["memory"]), int(request["limits"]["cpu"]))
    out = sys.stdout.buffer
    try:
        document = _serve(request, payload[8 + size :])
    except TemplateRefused as refused:
        out.write(
            json.dumps({"ok": False, "code": refused.code, "detail": refused.detail}).encode()
        )
        out.write(b"\n")
        sys.exit(1)
    out.write(b'{"ok": true}\n')
    out.write(document)


if __name__ == "__main__":
    main()
