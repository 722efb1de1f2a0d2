from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from secretariat.core.tokens import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer sec_…`` with a token from the profile page or ``createtoken``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token)


class HeaderToken(APIKeyHeader):
    """``Authorization: Token sec_…``, the form many REST clients use."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key and key.startswith("Token "):
            return user_for_token(key[6:].strip())
        return None


AUTH = [BearerToken(), HeaderToken(), SessionAuth()]
