"""Row ids read from text (the ids of translation units, form values): ASCII digits only, within
what a database column holds. ``str.isdigit`` also accepts "²", "①", "١٢" or fullwidth digits, which
``int`` then refuses or reads as another id."""

import re

MAX_ID = 2**63 - 1  # the largest id a 64-bit database column holds
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """The id written in ``text``, or None when it is not one."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
