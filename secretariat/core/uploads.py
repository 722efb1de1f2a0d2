"""What may be attached to a meeting, and what becomes of files nobody refers to any more.

An attachment is accepted by its name and its first bytes together: PDF, office documents
(OpenDocument, Word, Excel, PowerPoint, RTF), images (PNG, JPEG, GIF, WebP) and plain text. A
page (HTML, SVG), a program or a script is refused whatever it is called. The handful of
signatures we accept fit here; a general detector such as libmagic would need a system library
that the README's two commands do not install.
"""

import io
import warnings
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _

ZIP = (b"PK\x03\x04",)  # OpenDocument and Office Open XML are zip files
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # Word, Excel and PowerPoint before 2007
TEXT = ()  # recognised by decoding, not by a signature
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "doc": OLE,
    "xls": OLE,
    "ppt": OLE,
    "rtf": (b"{\\rtf",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "txt": TEXT,
    "csv": TEXT,
}
ALLOWED = ", ".join(f".{ext}" for ext in SIGNATURES)


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return b"\x00\x00" not in head[2:]  # UTF-16 text has no two zero bytes in a row
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may cut a character in two; anything earlier must be UTF-8.
        return error.start >= len(head) - 3 or _latin(head)
    return True


def _latin(head: bytes) -> bool:
    """Text saved by an old editor in Windows-1252: printable once decoded."""
    text = head.decode("cp1252", errors="replace")
    return all(c.isprintable() or c in "\r\n\t" for c in text)


def check_attachment(file: IO[bytes], name: str) -> str | None:
    """Why ``file`` may not be attached, in the user's language, or None if it may."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        return _("“%(name)s” is not a kind of file that can be attached. Accepted: %(kinds)s.") % {
            "name": name,
            "kinds": ALLOWED,
        }
    head = file.read(4096)
    file.seek(0)
    signatures = SIGNATURES[extension]
    if signatures:
        matches = head.startswith(signatures)
        if extension == "webp":
            matches = matches and head[8:12] == b"WEBP"
    else:
        matches = bool(head) and _is_text(head) and b"<script" not in head.lower()
    if not matches:
        return _(
            "“%(name)s” does not contain what its name says (.%(extension)s); it was not attached."
        ) % {"name": name, "extension": extension}
    return None


LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
LOGO_MAX_PIXELS = 25_000_000  # 5,000 by 5,000: more than any logo, well below a memory bomb
LOGO_SIDE = 1024  # a logo is shown at most this wide or high; larger ones are reduced
LOGO_MAX_BYTES = 5 * 1024 * 1024


def logo_image(upload: Any) -> ContentFile[bytes]:
    """A logo as the platform serves it to anyone: a PNG drawn afresh from the upload's pixels,
    so that nothing else the file carried (a PDF or script hidden in its chunks, its metadata)
    is ever served from the platform's address. Raises ValueError with the user's message."""
    from PIL import Image, UnidentifiedImageError

    if getattr(upload, "size", 0) > LOGO_MAX_BYTES:
        raise ValueError(_("A logo is at most 5 MB."))
    if hasattr(upload, "seek"):
        upload.seek(0)
    too_large = _("This image is too large for a logo; use one of at most 5,000 × 5,000 pixels.")
    try:
        with warnings.catch_warnings():
            # Pillow's warning of a decompression bomb, raised here before any pixel is read.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except Image.DecompressionBombWarning as error:
        raise ValueError(too_large) from error
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValueError(_("This file is not an image that can be read.")) from error
    try:
        with image:
            if image.format not in LOGO_FORMATS:
                raise ValueError(_("A logo is a PNG, JPEG, GIF or WebP image."))
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ValueError(too_large)
            image.thumbnail((LOGO_SIDE, LOGO_SIDE))
            drawn = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValueError(_("This file is not an image that can be read.")) from error
    buffer = io.BytesIO()
    drawn.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="logo.png")


def discard_on_commit(storage: Storage, name: str) -> None:
    """Remove a stored file nothing refers to any more, once the change that dropped it is
    committed: a change rolled back keeps its file. The history keeps the file's name."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
