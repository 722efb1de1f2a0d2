"""Errors of the API, by construction: every error answers JSON in one shape
(:class:`ErrorOut`) with a message in the request's language, and the OpenAPI document lists
the error answers of every operation, including the ones added later."""

import json
import logging
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic import Field

# Logged as Django logs an unhandled exception, so that the same handlers (e-mail to the
# administrators, error trackers) see it.
logger = logging.getLogger("django.request")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the request's language.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The problems by field (a dotted path in the body or the parameter's "
        "name; __all__: the request as a whole).",
    )
    codes: list[str] = Field(
        default_factory=list,
        description='Codes a client can act on without reading the message (e.g. "incomplete").',
    )


# Every operation can answer these; the document lists them with what they mean.
ERROR_ANSWERS = {
    "400": "The request could not be read (malformed JSON, a NUL character, a body too large).",
    "401": "No valid API token or session.",
    "403": "The token's user may not do this.",
    "404": "No such organisation, or no such record in it.",
    "422": "Invalid data; errors gives the problems by field.",
    "500": "An unexpected error, logged on the server.",
}


class NulCharacter(ValueError):
    """Text cannot hold NUL characters (PostgreSQL refuses them): refused up front, the same
    on every database."""


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class StrictParser(Parser):
    """JSON bodies and query strings without NUL characters."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if _has_nul(data):
            raise NulCharacter
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        if _has_nul(result):
            raise NulCharacter
        return result


def _body(detail: str, errors: dict[str, list[str]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, **({"errors": errors} if errors else {}), **extra}


def _field(location: tuple[Any, ...]) -> str:
    """A pydantic error location as the client wrote it: ``name.fr`` for the body's
    ``("body", "payload", "name", "fr")``, ``limit`` for ``("query", "limit")``."""
    parts = [str(p) for p in location]
    if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        where, parts = parts[0], parts[1:]
        # A body is one parameter (the payload), named in the location but not by the client.
        if where == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


class SecretariatAPI(NinjaAPI):
    """A NinjaAPI whose errors all answer :class:`ErrorOut` and are documented."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=StrictParser(), **kwargs)
        handlers: tuple[tuple[type[Exception], Any], ...] = (
            (NinjaValidationError, self._invalid_input),
            (DjangoValidationError, self._invalid),
            (PermissionDenied, self._forbidden),
            (Http404, self._not_found),
            (HttpError, self._http_error),
            (NulCharacter, self._nul),
            (SuspiciousOperation, self._bad_request),
            (BadRequest, self._bad_request),
            (Exception, self._unexpected),
        )
        for exception, handler in handlers:
            self.add_exception_handler(exception, handler)

    def _answer(self, request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return self.create_response(request, body, status=status)

    def _invalid_input(self, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field(tuple(error.get("loc", ()))), []).append(error["msg"])
        return self._answer(request, 422, _body(_("Invalid data."), errors))

    def _invalid(self, request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
            found = [e for errors_of in exc.error_dict.values() for e in errors_of]
        else:
            errors = {"__all__": exc.messages}
            found = exc.error_list
        # A code tells a client what to do without reading the message (e.g. "incomplete": send
        # the vote again with confirm_incomplete).
        codes = sorted({e.code for e in found if e.code})
        extra = {"codes": codes} if codes else {}
        return self._answer(request, 422, _body(_("Invalid data."), errors, **extra))

    def _forbidden(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self._answer(request, 403, _body(_("You may not do this.")))

    def _not_found(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self._answer(request, 404, _body(_("Not found.")))

    def _nul(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self._answer(request, 400, _body(_("Text may not contain NUL characters (U+0000).")))

    def _bad_request(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self._answer(request, 400, _body(_("The request could not be read.")))

    def _http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, NulCharacter):  # ninja wraps the parser's errors
            return self._nul(request, exc.__cause__)
        if isinstance(exc, AuthenticationError):
            detail = _("Authentication required: send an API token (Authorization: Bearer …).")
        elif exc.status_code == 400:
            detail = _("The request could not be read: the body is not valid JSON.")
        else:
            detail = str(exc)
        return self._answer(request, exc.status_code, _body(detail))

    def _unexpected(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        return self._answer(
            request, 500, _body(_("An unexpected error occurred; it has been logged."))
        )

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        error = {"$ref": "#/components/schemas/Error"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                # ninja keys the answers by int, JSON by string: one key per code.
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for code, description in ERROR_ANSWERS.items():
                    if code not in responses:
                        responses[code] = {
                            "description": description,
                            "content": {"application/json": {"schema": error}},
                        }
                        continue
                    # An operation that answers its own report with this code (an import's
                    # 422) may still answer an error of the request itself.
                    content = responses[code].setdefault("content", {})
                    own = content.get("application/json", {}).get("schema")
                    if own is not None and own != error:
                        content["application/json"]["schema"] = {"anyOf": [own, error]}
        return schema


# Django's own answers for the API's addresses (no route matched, e.g. ``runs/abc`` where the
# route takes digits; an error before ninja's handlers): JSON too. Installed in the root URLconf.


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(_body(_("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            _body(_("An unexpected error occurred; it has been logged.")), status=500
        )
    return defaults.server_error(request)
