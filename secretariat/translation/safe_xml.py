"""Reading XML from outside (TMX, TBX, XLIFF) without the classic traps, in bounded memory.

- Size: each format has its limit (``LIMITS``), checked before reading and while reading.
- Encoding: the file is decoded here (byte-order mark, else the XML declaration, else UTF-8),
  and the parser reads text, so that the checks below see what the parser sees, whatever the
  encoding (a UTF-32 file once slipped past a check on bytes).
- Entities: a file that declares any (``<!ENTITY``, or any declaration inside a DOCTYPE) is
  refused, and so is one that refers to an entity nobody declared (``&xxe;``): its literal
  reference must never be stored. A DOCTYPE naming an external DTD, as TMX and TBX tools
  write it, is accepted; the DTD is never loaded (no network, no file).
- Memory: elements are handed over one unit at a time (a translation unit, a concept) and
  freed once handled, so that memory depends on the largest unit, not on the file; a unit of
  more than ``MAX_UNIT_ELEMENTS`` elements is refused.
- Time: every step is linear in the file (the root's name is found by the parser, what was
  read outside units is dropped child by child), and reading stops after ``MAX_SECONDS``.

lxml is used directly: ``defusedxml.lxml`` is deprecated, and lxml's own options (no entity
resolution, no DTD loading, no network, no huge trees) with the checks above cover what it did.
"""

import codecs
import itertools
import re
import time
from collections.abc import Collection, Iterator
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

MB = 1024 * 1024
# What each format is for decides its limit; reading a file at its limit holds under 100 MB and
# takes seconds (benchmarks/xml_limits.py). A translation memory is exchanged whole (20 MB is
# about 50,000 translation units); a glossary is a few thousand concepts (10 MB is about 20,000
# multilingual concepts); an XLIFF package is one dossier or one queue, whose units are all held
# until the whole file is checked (20 MB is about 60,000 units). Storing that many memory units
# or concepts one by one takes minutes, though: see the note of issue 9.
LIMITS = {"tmx": 20 * MB, "tbx": 10 * MB, "xliff": 20 * MB}
MAX_UNIT_ELEMENTS = 10_000
# A backstop for what the limits do not foresee, as for spreadsheets (core/tables.py): reading
# stops after this many seconds, the time spent by the caller on the units yielded included,
# so that no file holds a worker longer. A file at its limit reads and stores in under 10 s on
# a loaded machine (benchmarks/xml_limits.py).
MAX_SECONDS = 30.0
CHUNK = 64 * 1024

START = "start"
END = "end"


class XmlError(Exception):
    """The file is not XML we accept; the message says why, in the user's language."""


def _too_large(limit: int) -> XmlError:
    size = limit // MB
    return XmlError(
        ngettext(
            "The file is larger than %(size)s MB, the limit for this kind of file.",
            "The file is larger than %(size)s MB, the limit for this kind of file.",
            size,
        )
        % {"size": size}
    )


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a mark, how "<?" or "<" starts in each wide encoding (XML 1.0, appendix F).
WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")


def detect_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a file starting with ``head``, and the length of its byte-order mark."""
    for mark, name in BOMS:
        if head.startswith(mark):
            return name, len(mark)
    for start, name in WIDE_STARTS:
        if head.startswith(start):
            return name, 0
    declared = DECLARED.match(head)
    if not declared:
        return "utf-8", 0
    name = declared.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise XmlError(
            _("The file is in an unknown character encoding (“%(encoding)s”).") % {"encoding": name}
        ) from None
    if codec.name.startswith(("utf-16", "utf-32")):
        # A wide encoding would have shown in the first bytes: the declaration is wrong.
        raise XmlError(
            _("The file declares the encoding “%(encoding)s” but is not written in it.")
            % {"encoding": name}
        )
    return codec.name, 0


def looks_like_xml(head: bytes) -> bool:
    """Whether a file starting with ``head`` (a few hundred bytes) is XML, in any encoding."""
    try:
        encoding, mark = detect_encoding(head)
    except XmlError:
        return True  # it declares itself XML; reading it will say what is wrong
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head[mark:])
    return text.lstrip().startswith("<")


def _text_chunks(file: IO[bytes], limit: int) -> Iterator[str]:
    """The file decoded, chunk by chunk; refused past ``limit`` bytes or on a byte sequence
    that is not of its encoding."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_large(limit)
    head = file.read(CHUNK)
    encoding, mark = detect_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    read = len(head)
    data = head[mark:]
    try:
        while True:
            if read > limit:
                raise _too_large(limit)
            text = decoder.decode(data, final=not data)
            if text:
                yield text
            if not data:
                return
            data = file.read(CHUNK)
            read += len(data)
    except UnicodeDecodeError as error:
        raise XmlError(
            _("The file is not valid %(encoding)s text (at byte %(position)s).")
            % {"encoding": encoding.upper(), "position": error.start}
        ) from error


def _out_of_time() -> XmlError:
    # The words of core/tables.py, so that one translation serves both.
    seconds = int(MAX_SECONDS)
    return XmlError(
        ngettext(
            "Reading the file took more than %(seconds)s second; split it into smaller files.",
            "Reading the file took more than %(seconds)s seconds; split it into smaller files.",
            seconds,
        )
        % {"seconds": seconds}
    )


def _refuse_entities() -> XmlError:
    return XmlError(_("The file declares or uses XML entities, which are refused for safety."))


def _parser(names: Collection[str] | None) -> etree.XMLPullParser:
    """A parser reporting the starts and ends of the elements ``names``; with None, the start
    of every element (to find the root's name at the beginning of a file)."""
    return etree.XMLPullParser(
        events=(START, END) if names is not None else (START,),
        # Events only for the elements wanted: an event costs far more than parsing (an event
        # per element would make a file of tiny elements ten times slower to read).
        tag=[f"{{*}}{name}" for name in names] if names is not None else None,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,  # processing instructions mean nothing to us
    )


def _syntax_error(error: etree.XMLSyntaxError) -> XmlError:
    message = str(error.msg or error)
    if "entity" in message.lower():
        return _refuse_entities()
    return XmlError(_("The file is not well-formed XML: %(error)s") % {"error": message})


def _check_declarations(element: etree._Element) -> None:
    """Refuse an internal DTD subset (where entities are declared), whatever it declares."""
    dtd = element.getroottree().docinfo.internalDTD
    if dtd is not None and (
        any(True for _e in dtd.iterentities()) or any(True for _e in dtd.iterelements())
    ):
        raise _refuse_entities()


def _too_complex() -> XmlError:
    return XmlError(
        _("A unit of the file holds more than %(count)s elements; the file is refused.")
        % {"count": MAX_UNIT_ELEMENTS}
    )


def _check_unit(unit: etree._Element) -> None:
    for _node in unit.iter(etree.Entity):
        raise _refuse_entities()
    if sum(1 for _node in itertools.islice(unit.iter(), MAX_UNIT_ELEMENTS + 1)) > MAX_UNIT_ELEMENTS:
        raise _too_complex()


def _free(element: etree._Element) -> None:
    """Drop what was read of ``element`` and of its earlier siblings, keeping the path to it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _root_name(parser: etree.XMLPullParser, text: str) -> str | None:
    """The local name of the root element, read by ``parser`` (one that reports every start)
    from the beginning of the file fed to it chunk by chunk: None while it has not come, ""
    when what comes first is not XML. The parser, not a regular expression, decides what the
    prolog is: an expression for it once backtracked exponentially on a few dozen spaces."""
    try:
        parser.feed(text)
        for _event, element in parser.read_events():
            return local(element.tag)
    except etree.XMLSyntaxError:
        for _event, element in parser.read_events():  # the root came before the error
            return local(element.tag)
        return ""
    return None


def _prune(root: etree._Element, unit: etree._Element | None) -> None:
    """Drop what was read outside units: along the path of open elements from the root, every
    child but the last one is complete. Stops at the open ``unit``, whose size it checks."""
    node: etree._Element | None = root
    while node is not None:
        if node is unit:
            _check_unit(node)
            return
        # Linear: ``len(node)`` counts the children one by one, so a loop on it was quadratic
        # in the children read by a chunk (a file of 5 million tiny elements took minutes).
        child = next(iter(node), None)
        while child is not None and (following := child.getnext()) is not None:
            if child.tag is etree.Entity:
                raise _refuse_entities()
            node.remove(child)
            child = following
        node = child


def stream(
    file: IO[bytes],
    *,
    kind: str,
    roots: Collection[str],
    starts: Collection[str] = (),
    units: Collection[str] = (),
) -> Iterator[tuple[str, etree._Element]]:
    """Read ``file`` (a ``kind`` of ``LIMITS``) and yield, by local name:

    - ``("start", element)`` for the root, then for each element named in ``starts``: its
      attributes are there, its content may not be yet; a file whose root is not named in
      ``roots`` is not read and yields nothing (the caller says what it expected);
    - ``("end", unit)`` for each element named in ``units`` (not nested in another), complete.

    A unit must be used before the loop goes on: it is freed then, as is everything outside
    units once read. Raises ``XmlError`` with a message for the user, possibly after some
    units were yielded (callers that store while reading undo it).
    """
    limit = LIMITS[kind]
    deadline = time.monotonic() + MAX_SECONDS
    parser = _parser({*roots, *starts, *units})
    first: etree.XMLPullParser | None = _parser(None)  # until the root's name is known
    root: etree._Element | None = None
    unit: etree._Element | None = None  # the unit being read
    depth = 0  # units open: a unit inside a unit is content
    head = ""  # the start of the text, until the root's name is known
    carried = ""  # the end of the previous chunk, for a declaration cut in two
    try:
        for text in _text_chunks(file, limit):
            if "<!ENTITY" in carried + text:  # decoded: the same whatever the encoding
                raise _refuse_entities()
            carried = text[-8:]
            if first is not None:
                head += text
                found = _root_name(first, text)
                if found is None and len(head) < CHUNK:
                    continue
                if found not in roots:
                    return  # another kind of file: the caller says so
                text, head, first = head, "", None
            parser.feed(text)
            if time.monotonic() > deadline:
                raise _out_of_time()
            for event, element in parser.read_events():
                name = local(element.tag)
                if root is None:
                    root = element.getroottree().getroot()
                    _check_declarations(root)
                if event == START:
                    if name in units:
                        depth += 1
                        unit = unit if depth > 1 else element
                    elif not depth and (element is root or name in starts):
                        yield START, element
                    continue
                if name in units:
                    depth -= 1
                    if depth == 0:
                        _check_unit(element)
                        yield END, element
                        _free(element)
                        unit = None
            if root is not None:
                _prune(root, unit)
        if first is not None:
            return  # too short to hold a root element of ``roots``
        parser.close()
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error) from error


def local(tag: object) -> str:
    """A tag name without its namespace ("" for what is not an element)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element: etree._Element) -> str:
    """The text of an element and of the elements inside it."""
    return "".join(element.itertext(with_tail=True)) if isinstance(element.tag, str) else ""
