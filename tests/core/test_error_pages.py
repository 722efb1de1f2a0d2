"""403, 404 and 500 pages in the reader's language and in the product's look; the 500 page
renders without the database and without a request."""

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.views import defaults

from secretariat.urls import urlpatterns as product_urls
from tests import factories


def fails(request: Any) -> Any:
    raise RuntimeError("a fault in a view")


urlpatterns = [*product_urls, path("fails/", fails)]


def test_a_missing_page_in_the_reader_s_language(client: Client, org: Any) -> None:
    reader = factories.member_of(org, "staff", language="de")
    client.force_login(reader)
    response = client.get("/o/no-such-organisation/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="de">' in page and "secretariat/app.css" in page
    assert "Seite nicht gefunden" in page
    assert reverse("home") in page  # a way back
    anonymous = Client(headers={"accept-language": "fr"}).get("/nowhere/")
    assert anonymous.status_code == 404 and "Page introuvable" in anonymous.content.decode()


def test_a_forbidden_page_in_the_reader_s_language(client: Client, org: Any) -> None:
    client.force_login(factories.member_of(org, "member", language="nl"))
    response = client.get(reverse("translation_queue", args=[org.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nl">' in page and "Geen toegang" in page
    assert "403 Forbidden" not in page


def test_a_server_error_in_the_reader_s_language(settings: Any, db: Any) -> None:
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False, headers={"accept-language": "fr"})
    response = client.get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr">' in page and "secretariat/app.css" in page
    assert "Une erreur s’est produite" in page


def test_the_error_page_needs_neither_database_nor_request() -> None:
    # No database fixture: any query here raises.
    with translation.override("de"):
        response = defaults.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Ein Fehler ist aufgetreten" in page
    assert 'name="language"' not in page  # no form that would need a session


@pytest.mark.parametrize("language", ["fr", "de", "nl", "en"])
def test_the_error_page_renders_from_a_bare_template(language: str) -> None:
    from django.template import loader

    with translation.override(language):
        assert "<main" in loader.get_template("500.html").render()


def test_a_refused_form_says_why_in_the_reader_s_language(db: Any) -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "de"})
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="de">' in page and "Das Formular konnte nicht gesendet werden" in page
    assert "CSRF verification failed" not in page
