from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from secretariat.core import login_throttle


class AccountAdapter(DefaultAccountAdapter):
    """No self-service sign-up: accounts are given by an organisation's administrators. Failed
    logins are throttled per account and address, never for the owner (core/login_throttle.py)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Replaces allauth's count (5 failures per account, then the right password refused
        # from everywhere). allauth calls it before checking the password.
        self._attempt = login_throttle.attempt_begin(request, credentials)

    def _rollback_login_failed_rl_usage(self) -> None:
        # allauth calls it when the password was right: the attempt was no failure.
        attempt = getattr(self, "_attempt", None)
        if attempt is not None:
            attempt.succeeded()
