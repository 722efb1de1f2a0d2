"""The organisation scope holds by construction: every organisation-owned model reads through
it, a read outside any scope fails loudly, and the pages and the API need no filter of their
own to stay within their organisation."""

import ast
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django_scopes import scope

from secretariat.core.daily import each_organisation
from secretariat.core.models import ApiToken, Organisation, User
from secretariat.core.scope import (
    OrganisationManager,
    ScopeError,
    organisation_scope,
    row_scope,
)
from secretariat.governance.models import Body, BodyRules, Meeting
from secretariat.network.models import Partner
from tests import factories

SECRETARIAT = Path(__file__).resolve().parents[2] / "secretariat"

# The models whose rows belong to no single organisation, and why.
CROSS_ORGANISATION = {
    Organisation: "the organisations themselves",
    User: "a person's login, which may hold roles in several organisations",
    ApiToken: "a user's own token; what it reaches is decided by the user's roles",
}


def _our_models() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("secretariat.")]


@pytest.mark.django_db
def test_every_model_of_ours_is_read_through_the_organisation_scope_or_says_why_not() -> None:
    unscoped = [
        m.__name__
        for m in _our_models()
        if not isinstance(m._default_manager, OrganisationManager) and m not in CROSS_ORGANISATION
    ]
    assert unscoped == [], (
        "Give these models the organisation scope (inherit core.models.OrganisationOwned, or "
        "an OrganisationManager subclass whose path reaches the organisation), or list them "
        f"in CROSS_ORGANISATION with the reason: {unscoped}"
    )
    # Each manager's path really leads to an organisation.
    for model in _our_models():
        manager = model._default_manager
        if isinstance(manager, OrganisationManager):
            with organisation_scope(0):
                assert list(manager.all()[:1]) == [], model.__name__


@pytest.mark.django_db
def test_a_read_outside_any_scope_fails_loudly() -> None:
    org = factories.organisation()
    factories.body(org)
    with scope():  # a scope is active, but names no organisation
        with pytest.raises(ScopeError):
            list(Body.objects.all())
        with pytest.raises(ScopeError):
            Partner.objects.filter(pk=1).exists()
        with pytest.raises(ScopeError):
            Body.objects.get(pk=1)
        with pytest.raises(ScopeError):
            Meeting.objects.count()
    with pytest.raises(TypeError), organisation_scope(None):  # type: ignore[arg-type]
        pass


@pytest.mark.django_db
def test_inside_a_scope_every_read_sees_that_organisation_only() -> None:
    ours, theirs = factories.organisation(), factories.organisation()
    our_body, their_body = factories.body(ours), factories.body(theirs)
    our_meeting = factories.meeting(our_body)
    factories.meeting(their_body)
    with organisation_scope(ours.pk):
        assert list(Body.objects.all()) == [our_body]
        assert not Body.objects.filter(pk=their_body.pk).exists()
        assert list(Meeting.objects.all()) == [our_meeting]
        # Through a relation, and for a model that reaches its organisation through a parent.
        assert list(our_body.meetings.all()) == [our_meeting]
        assert list(BodyRules.objects.values_list("body_id", flat=True)) in ([], [our_body.pk])
        assert BodyRules.objects.filter(body=their_body).count() == 0
    with organisation_scope(theirs.pk):
        assert list(Body.objects.all()) == [their_body]


@pytest.mark.django_db
def test_a_row_opens_the_scope_of_its_organisation_and_an_unknown_row_an_empty_one() -> None:
    ours, theirs = factories.organisation(), factories.organisation()
    our_body, their_body = factories.body(ours), factories.body(theirs)
    with row_scope(Body, pk=their_body.pk):
        assert list(Body.objects.all()) == [their_body]
    with row_scope(Body, pk=our_body.pk + their_body.pk + 1000):
        assert list(Body.objects.all()) == []
    seen = {org.pk: list(Body.objects.all()) for org in each_organisation()}
    assert seen[ours.pk] == [our_body] and seen[theirs.pk] == [their_body]


@pytest.mark.django_db
def test_a_page_reads_its_organisation_s_rows_without_a_filter_of_its_own(client: Any) -> None:
    ours, theirs = factories.organisation(), factories.organisation()
    factories.body(ours, name={"fr": "Comité des nôtres"})
    factories.body(theirs, name={"fr": "Comité des autres"})
    client.force_login(factories.member_of(ours, "staff"))
    page = client.get(f"/o/{ours.slug}/bodies/").content.decode()
    assert "Comité des nôtres" in page
    assert "Comité des autres" not in page


def _view_and_api_modules() -> list[Path]:
    found = [p for p in SECRETARIAT.rglob("*.py") if "views" in p.name or p.parent.name == "views"]
    found += list((SECRETARIAT / "api").glob("*.py"))
    return sorted(found)


def _organisation_lookup(name: str | None) -> bool:
    return bool(name) and (
        name in ("organisation", "organisation_id")
        or name.startswith("organisation__")  # type: ignore[union-attr]
        or "__organisation" in name  # type: ignore[operator]
    )


def test_pages_and_the_api_leave_the_organisation_to_the_scope() -> None:
    """A hand-written organisation filter in a view hides a missing scope in tests and is
    forgotten in the next view; reads there go through the scope only."""
    reads = {"filter", "exclude", "get", "get_object_or_404", "get_list_or_404"}
    found = []
    modules = _view_and_api_modules()
    assert len(modules) > 15
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in reads and any(_organisation_lookup(k.arg) for k in node.keywords):
                found.append(f"{path.relative_to(SECRETARIAT)}:{node.lineno}")
    assert found == []
