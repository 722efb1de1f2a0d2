"""Row ids and years read from text (the ids of translation units, form and query values): ASCII
digits only, within what a database column or the calendar holds. ``str.isdigit`` also accepts "²", "①", "١٢" or fullwidth digits, which
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


def parse_year(text: str) -> int | None:
    """The year written in ``text`` (1 to 9999, what a date can hold), or None."""
    if not re.fullmatch(r"[0-9]{1,4}", text):
        return None
    return int(text) or None
