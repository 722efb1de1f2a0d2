"""What each kind of translatable object is for, as the apps that own it know: the day its
texts are needed (a convocation's send date), the page that shows it, the objects whose texts
go with it (a meeting's agenda), and whether its page offers to review its language versions.
The translation queue, XLIFF packages and the review button use them, naming a kind by its
model label ("governance.meeting"); core only keeps the lists."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
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
# The kinds whose pages show the table of language versions with a review button
# (``core/partials/texts_table.html``); the review endpoint accepts only these.
REVIEWABLE: set[str] = set()


def register_deadlines(finder: DeadlineFinder) -> None:
    if finder not in FINDERS:
        FINDERS.append(finder)


def register_link(model: type[models.Model], link: Callable[[Any], str]) -> None:
    LINKS[model._meta.label_lower] = link


def register_parts(model: type[models.Model], parts: Callable[[Any], list[Any]]) -> None:
    PARTS[model._meta.label_lower] = parts


def register_reviewable(model: type[models.Model]) -> None:
    REVIEWABLE.add(model._meta.label_lower)


def reviewable(label: str) -> bool:
    return label in REVIEWABLE


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


def bundle(organisation: Organisation, label: str, pk: int) -> list[Any] | None:
    """The organisation's object of a kind that has parts (a meeting), followed by its parts,
    for one XLIFF package; None when ``label`` names no such kind or the object is not the
    organisation's."""
    if label not in PARTS:
        return None
    model = apps.get_model(label)
    obj = model._default_manager.filter(organisation=organisation, pk=pk).first()
    return with_parts(obj) if obj is not None else None
