"""The headers every answer carries, whatever the page: a Content-Security-Policy that allows no
inline script; pages for a logged-in user or a personal-link holder are never stored by a cache
nor indexed; and `secretariat check --deploy` is clean with the production settings of the
README."""

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from secretariat.core.tokens import token_create
from secretariat.governance import agenda, convocation
from secretariat.governance.models import Invitation
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent


def assert_protected(response: Any, where: str, *, private: bool = True) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}
    assert directives.get("default-src") == ["'self'"], (where, policy)
    assert directives.get("script-src") == ["'self'"], (where, policy)
    assert "'unsafe-inline'" not in directives.get("style-src", ["?"]), (where, policy)
    assert directives.get("object-src") == ["'none'"], (where, policy)
    assert directives.get("frame-ancestors") == ["'none'"], (where, policy)
    assert directives.get("base-uri") == ["'none'"], (where, policy)
    assert directives.get("form-action") == ["'self'"], (where, policy)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where
    if private:
        assert "no-store" in response.headers.get("Cache-Control", ""), where
        assert "noindex" in response.headers.get("X-Robots-Tag", ""), where


@pytest.fixture
def world(org: Any, admin: Any, settings: Any) -> dict[str, Any]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    body = factories.body(org, name={"fr": "Directoire", "de": "Vorstand"})
    person = factories.person(org, emails=["jonas@trier.example"], languages=["de"])
    factories.membership(body, person)
    meeting = factories.meeting(
        body, title={"fr": "Directoire", "de": "Vorstand"}, start=factories.days_ahead(30)
    )
    agenda.item_add(meeting=meeting, by=None, title={"fr": "Budget", "de": "Haushalt"})
    convocation.meeting_convene(meeting=meeting, by=None, deliver=False)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    assert invitation is not None
    _token, secret = token_create(user=admin, name="headers")
    return {"meeting": meeting, "invitation": invitation, "token": secret, "body": body}


def test_every_kind_of_page_carries_the_policy(client: Client, org: Any, admin: Any, world: Any):
    anonymous = Client(raise_request_exception=False)
    login = anonymous.get(reverse("account_login"))
    assert login.status_code == 200
    assert_protected(login, "login page")
    missing = anonymous.get("/no/such/page/")
    assert missing.status_code == 404
    assert_protected(missing, "error page")
    personal = anonymous.get(reverse("invitation", args=[world["invitation"].token]))
    assert personal.status_code == 200
    assert_protected(personal, "personal link")
    assert '<meta name="robots" content="noindex, nofollow">' in personal.content.decode()
    unknown_link = anonymous.get(reverse("invitation", args=["no-such-key"]))
    assert unknown_link.status_code == 404
    assert_protected(unknown_link, "unknown personal link")
    feed = anonymous.get(reverse("calendar_feed", args=[world["invitation"].token]))
    assert_protected(feed, "calendar feed")

    client.force_login(admin)
    dashboard = client.get(reverse("dashboard", args=[org.slug]))
    assert dashboard.status_code == 200
    assert_protected(dashboard, "logged-in page")
    assert '<meta name="robots" content="noindex, nofollow">' in dashboard.content.decode()
    fragment = client.get(reverse("partner_list", args=[org.slug]), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert_protected(fragment, "HTMX fragment")
    export = client.get(reverse("export", args=[org.slug, "partners", "csv"]))
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    assert_protected(export, "file download")

    api = Client(HTTP_AUTHORIZATION=f"Bearer {world['token']}")
    answer = api.get(f"/api/v1/organisations/{org.slug}/partners")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    assert_protected(answer, "API")
    refused = Client().get(f"/api/v1/organisations/{org.slug}/partners")
    assert refused.status_code == 401
    assert_protected(refused, "API error")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            route = (prefix + text).lstrip("^").rstrip("$")
            if re.search(r"[()\[\]\\?*+]", route):
                continue  # a regular expression with groups: its own route covers it
            yield "/" + route


def _filled(route: str, org: Any, world: Any) -> str:
    values = {"org": org.slug, "slug": org.slug, "token": world["invitation"].token}

    def value(match: re.Match[str]) -> str:
        converter, name = match["converter"] or "str", match["name"]
        if name in values:
            return str(values[name])
        return str(world["meeting"].pk) if converter == "int" else "x"

    return re.sub(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>", value, route)


def test_every_route_answers_with_the_policy_and_private_headers(
    client: Client, org: Any, admin: Any, world: Any
) -> None:
    """Every URL pattern, found from the resolver (a new page is covered without a change
    here), as an administrator: whatever the status, the headers are there."""
    client.force_login(admin)
    client.raise_request_exception = False
    routes = sorted(set(_routes(get_resolver().url_patterns)))
    assert len(routes) > 80
    statuses: dict[int, int] = {}
    for route in routes:
        if route.startswith("/static/"):
            continue
        url = _filled(route, org, world)
        response = client.get(url)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert_protected(response, url)
    assert statuses.get(200, 0) > 30, statuses


def _production_environment() -> dict[str, str]:
    """The environment of the README's "Running in production" section, as written there."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the section lists the production environment in a sh block"
    found = dict(re.findall(r"^([A-Z_]+)=(\S*)", block[1], re.M))
    assert {"SECURE_COOKIES", "CSRF_TRUSTED_ORIGINS", "SECURE_HSTS_SECONDS"} <= set(found)
    return found


def test_check_deploy_is_clean_with_the_production_settings_of_the_readme(tmp_path: Path):
    production = _production_environment()
    production["SECRET_KEY"] = secrets.token_urlsafe(50)  # as the README says to make it
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "DEBUG", "SECURE_", "CSRF_"))
    }
    env |= production | {"SECRETARIAT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from secretariat.cli import main; main(['check', '--deploy', '--fail-level', 'WARNING'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
