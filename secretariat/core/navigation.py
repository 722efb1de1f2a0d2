"""The sections in the header of every organisation page: each app registers its entries in
its ``AppConfig.ready()``; the header (``base.html``, ``{% navigation %}``) shows those the
reader may open, in a stable order. Core knows none of the apps."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from secretariat.core.permissions import Perm


@dataclass(frozen=True)
class Entry:
    url_name: str  # a page of the organisation, reversed with its slug; also the entry's key
    label: str | Promise  # gettext_lazy: the header is read in the reader's language
    order: int  # lower first; see docs/architecture.md for the ranges
    permission: Perm | None = None  # shown only to those who have it


ENTRIES: dict[str, Entry] = {}


def register(entry: Entry) -> None:
    ENTRIES[entry.url_name] = entry


@dataclass(frozen=True)
class Link:
    url: str
    label: str


def links(slug: str, allowed: Mapping[str, bool]) -> list[Link]:
    """The entries for the reader, given their permissions by name (``permissions.allowed``,
    the ``perms_org`` of the pages)."""
    return [
        Link(reverse(entry.url_name, args=[slug]), str(entry.label))
        for entry in sorted(ENTRIES.values(), key=lambda e: (e.order, e.url_name))
        if entry.permission is None or allowed.get(entry.permission.name.lower(), False)
    ]
