from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """No self-service sign-up: accounts are given by an organisation's administrators."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
