from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers


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
