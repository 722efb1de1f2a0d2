"""What each kind of translatable object is for, as the apps that own it know: the day its
texts are needed (a convocation's send date) and the page that shows it. The translation queue
orders and links its items with them; core only keeps the lists."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from secretariat.core.models import Organisation


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    reason: str  # in the interface language, e.g. "convocation of the General Assembly"


# Each finder returns the deadlines of the organisation's objects that have one now, keyed by
# (model label, primary key): a bounded set (upcoming meetings and what belongs to them).
DeadlineFinder = Callable[[Organisation, datetime.date], dict[tuple[str, int], Deadline]]
FINDERS: list[DeadlineFinder] = []
LINKS: dict[str, Callable[[Any], str]] = {}
# The objects whose texts go with an object's (a meeting's agenda items and documents), for
# pre-translating or exporting a whole dossier.
PARTS: dict[str, Callable[[Any], list[Any]]] = {}


def register_deadlines(finder: DeadlineFinder) -> None:
    if finder not in FINDERS:
        FINDERS.append(finder)


def register_link(model: type[models.Model], link: Callable[[Any], str]) -> None:
    LINKS[model._meta.label_lower] = link


def register_parts(model: type[models.Model], parts: Callable[[Any], list[Any]]) -> None:
    PARTS[model._meta.label_lower] = parts


def with_parts(obj: models.Model) -> list[Any]:
    parts = PARTS.get(obj._meta.label_lower)
    return [obj, *(parts(obj) if parts else [])]


def deadlines(organisation: Organisation, today: datetime.date) -> dict[tuple[str, int], Deadline]:
    found: dict[tuple[str, int], Deadline] = {}
    for finder in FINDERS:
        for key, deadline in finder(organisation, today).items():
            if key not in found or deadline.day < found[key].day:
                found[key] = deadline
    return found


def link(obj: models.Model) -> str:
    make = LINKS.get(obj._meta.label_lower)
    return make(obj) if make else ""
