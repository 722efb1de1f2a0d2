"""The organisation scope, held by construction (django-scopes, as in pretix).

Every row that belongs to an organisation is read through ``OrganisationManager``: inside
``organisation_scope(pk)`` a query sees that organisation's rows only, and outside any scope
it raises ``ScopeError`` instead of reading every organisation's rows. The scope is opened
once per request by ``core.middleware.OrganisationScopeMiddleware`` (pages and API, from the
organisation named in the address), by the personal-link pages from their token's row
(``scoped_by``), by tasks from the row they are given (``row_scope``) and by the daily jobs
for each organisation in turn (``core.daily``). ``everywhere()`` is for the few readers whose
work crosses organisations (which ones a user may enter, sign-in throttling, a new
organisation, the demo loader) and says so where it is used.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.db import models
from django.http import HttpRequest, HttpResponseBase
from django_scopes import ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

__all__ = [
    "OrganisationManager",
    "ScopeError",
    "current_organisation_id",
    "everywhere",
    "organisation_scope",
    "row_scope",
    "scoped_by",
]

M = TypeVar("M", bound=models.Model)

# The dimension django-scopes keys the scope by.
DIMENSION = "organisation"
# An organisation id no row has: the scope of an address whose organisation does not exist.
NOWHERE = 0


@contextmanager
def organisation_scope(organisation_id: int) -> Iterator[None]:
    """Queries inside see the rows of this organisation only."""
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        # django-scopes reads None as "no filter": never let a missing id open every row.
        raise TypeError(f"an organisation id is an int, not {organisation_id!r}")
    with scope(**{DIMENSION: organisation_id}):
        yield


@contextmanager
def everywhere() -> Iterator[None]:
    """Queries inside see every organisation's rows; for work that crosses organisations."""
    with scopes_disabled():
        yield


def current_organisation_id() -> int | None:
    """The organisation whose scope is open, if one is."""
    current = get_scope()
    value = current.get(DIMENSION) if current.get("_enabled", True) else None
    return value if isinstance(value, int) else None


class OrganisationManager(models.Manager[M]):
    """The rows of the organisation in scope; no rows can be read outside a scope.

    ``path`` is the lookup from the model to its organisation; a model that reaches it through
    a parent declares a subclass with its own ``path`` (Django builds related managers from the
    class, without arguments).
    """

    path = "organisation"

    def get_queryset(self) -> models.QuerySet[M]:
        current = get_scope()
        if not current.get("_enabled", True):
            return super().get_queryset()
        value = current.get(DIMENSION)
        if not isinstance(value, int):
            return DisabledQuerySet(self.model, using=self._db, missing_scopes=[DIMENSION])
        return super().get_queryset().filter(**{self.path: value})

    def all(self) -> models.QuerySet[M]:
        queryset = super().all()
        if isinstance(queryset, DisabledQuerySet):
            queryset.all()  # raises ScopeError
        return queryset


@contextmanager
def row_scope(model: type[models.Model], **lookup: Any) -> Iterator[None]:
    """The scope of the organisation that owns the row ``lookup`` names (a task given a
    meeting's id, a personal link given its token); an empty scope if there is no such row."""
    manager = model._default_manager
    path = manager.path if isinstance(manager, OrganisationManager) else DIMENSION
    with everywhere():
        found = manager.filter(**lookup).values_list(path, flat=True).first()
    with organisation_scope(found if isinstance(found, int) else NOWHERE):
        yield


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def scoped_by(model: type[models.Model], *, field: str = "token", kwarg: str = "token") -> Any:
    """A page reached through a personal link: it opens the scope of the organisation whose
    row the link's token names (an unknown token opens an empty scope, so the page finds
    nothing and says so)."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def scoped_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            with row_scope(model, **{field: kwargs[kwarg]}):
                return view(request, *args, **kwargs)

        return cast(V, scoped_view)

    return decorate
