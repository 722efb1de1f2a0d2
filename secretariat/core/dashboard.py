"""What the organisation's home page shows of each app: the apps register their panels in
their ``AppConfig.ready()``; core renders those the reader may see, in a stable order, and
knows none of them (the way pretix asks its plugins for dashboard widgets)."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretariat.core import permissions
from secretariat.core.access import Access
from secretariat.core.permissions import Perm


class Slot(StrEnum):
    """Where a panel goes on the home page (``core/dashboard.html``)."""

    NOTICE = "notice"  # above the title: a warning for those who can act on it
    FACT = "fact"  # a <dt>/<dd> pair in the organisation's facts
    COUNT = "count"  # <li> cards linking to lists, with their number


@dataclass(frozen=True)
class Panel:
    """``template`` is included with ``panel`` set to what ``context`` returns for the reader
    (the page's own context, ``organisation`` and ``perms_org``, stays visible)."""

    name: str  # unique, "<app>.<what>"; registering a name again replaces the panel
    slot: Slot
    order: int  # lower first within a slot; see docs/architecture.md for the ranges
    template: str
    context: Callable[[Access], dict[str, Any]]
    permission: Perm | None = None  # shown only to those who have it


PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    PANELS[panel.name] = panel


@dataclass(frozen=True)
class Shown:
    template: str
    context: dict[str, Any]


def shown(access: Access) -> dict[str, list[Shown]]:
    """The panels the reader may see, by slot, ordered by (order, name), each with its data."""
    out: dict[str, list[Shown]] = {slot.value: [] for slot in Slot}
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.name)):
        if panel.permission is None or permissions.can(access, panel.permission):
            out[panel.slot].append(Shown(panel.template, panel.context(access)))
    return out
