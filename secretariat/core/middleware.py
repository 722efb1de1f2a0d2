from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from secretariat.core.access import SLUG
from secretariat.core.models import Organisation
from secretariat.core.scope import NOWHERE, organisation_scope


class UserLanguageMiddleware:
    """The interface language of a logged-in user is the one in their profile, if they set one;
    otherwise LocaleMiddleware has already followed the browser (or the language cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """No page of the platform uses the camera, the microphone, the location or payments: say
    so, so that an injected frame or script cannot ask for them."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class PrivatePagesMiddleware:
    """Every answer Django gives (static files are served before, by WhiteNoise) is for one
    reader: a logged-in user, the holder of a personal link, someone logging in, an API client.
    None may be kept by a shared or browser cache (a shared computer's back button shows no
    member's page after logging out) nor indexed by a search engine (a personal link found in a
    mail archive stays out of the results). The platform has no public content to index."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


# Address keyword arguments that name an organisation: pages (/o/<org>/…) and the API
# (/api/v1/organisations/{slug}/…).
ORGANISATION_KWARGS = ("org", "slug")


class OrganisationScopeMiddleware:
    """Opens the scope of the organisation the address names, for the whole request.

    Addresses that name no organisation run without a scope: any read of an organisation's
    rows there fails loudly instead of crossing organisations.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        slug = _organisation_slug(request)
        if slug is None:
            return self.get_response(request)
        with organisation_scope(_organisation_id(slug)):
            return self.get_response(request)


def _organisation_slug(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    for name in ORGANISATION_KWARGS:
        value = match.kwargs.get(name)
        if isinstance(value, str):
            return value
    return None


def _organisation_id(slug: str) -> int:
    if not SLUG.fullmatch(slug):
        return NOWHERE
    found: Any = Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first()
    return found if isinstance(found, int) else NOWHERE
