"""Throttling of failed logins, counted in the cache every worker process shares (Redis in
production, a table of the database on an embedded instance; see CACHES in settings).

The design keeps the owner of an account able to log in while it is attacked:

- per account and client address (``login_failed``, 5 failures in 15 minutes): the address that
  keeps failing on an account is refused on it, even with the right password (an attacker there
  learns nothing from a last guess); the owner, from an address of their own, is not;
- per client address (``login_failed_address``, 20 in 15 minutes): one address guessing across
  many accounts (password spraying) is refused on all of them;
- per account (``login_failed_account``, 50 in an hour): guesses from many addresses (a botnet)
  put the account under guard: every address then gets one attempt on it per quarter of an
  hour (its count per account and address), so that the attack slows to the number of addresses it has,
  while the owner, whose address has not been failing, still gets in at the first attempt.

This is django-axes's "lock out the username and address combination" with its per-address
rule, rather than allauth's default (5 failures per account, then the right password is
refused too, from anywhere: whoever knows an address can lock its owner out). The windows slide
(allauth's rate limiter keeps the time of each attempt): an attacker who stops is let in again
after 15 minutes. Attempts are counted before the password is checked and given back when it
was right (as allauth does), so that parallel guesses cannot overtake the count.

A refusal answers 429 with a page saying what to do; the first refusal of an episode is
written in the audit trail of the account's organisations.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import RateLimitUsage, get_ip, parse_rates
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import render

from secretariat.core import audit
from secretariat.core.models import AuditAction, User
from secretariat.core.scope import everywhere

logger = logging.getLogger("secretariat.security")

# The rates are allauth's account settings (ACCOUNT_RATE_LIMITS), and counted by its limiter
# (sliding windows, a lock around each count, IPv6 addresses counted per /64).
APP = "allauth.account"
# Why an attempt was refused, as the audit trail stores it (core/history.py reads it).
ACCOUNT_AND_ADDRESS, ADDRESS, GUARDED = "account_address", "address", "account_guarded"


class Throttled(ImmediateHttpResponse):
    """Raised out of the login form: allauth's middleware answers with its response (429)."""


@dataclass
class Attempt:
    """The counts one login attempt took; given back if the password was right."""

    usages: list[RateLimitUsage] = field(default_factory=list)

    def succeeded(self) -> None:
        for usage in self.usages:
            usage.rollback()


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


def _window(action: str) -> int:
    return int(parse_rates(settings.ACCOUNT_RATE_LIMITS[action])[0].duration)


def attempt_begin(request: HttpRequest, credentials: dict[str, Any]) -> Attempt:
    """Count one attempt to log in with ``credentials`` from the request's address; raise
    ``Throttled`` (429) if this address may not try this account now."""
    login, address = _login(credentials), get_ip(request)
    pair = f"{login}\n{address}"
    attempt = Attempt()

    def take(action: str, key: str | None = None) -> bool:
        usage = ratelimit.consume(request, app=APP, action=action, key=key)
        if usage is not None:
            attempt.usages.append(usage)
        return usage is not None

    def refuse(reason: str, window_action: str) -> None:
        attempt.succeeded()  # a refused attempt is no attempt: it costs nothing more
        _record(request, login=login, address=address, reason=reason, action=window_action)
        minutes = _window(window_action) // 60
        raise Throttled(
            render(
                request,
                "429.html",
                {"throttled": reason, "minutes": minutes},
                status=429,
            )
        )

    if not take("login_failed_address"):
        refuse(ADDRESS, "login_failed_address")
    if not take("login_failed", key=pair):
        refuse(ACCOUNT_AND_ADDRESS, "login_failed")
    guarded = (
        ratelimit.consume(request, app=APP, action="login_failed_account", key=login, dry_run=True)
        is None
    )
    if not guarded:
        take("login_failed_account", key=login)
    elif _earlier_attempts(request, pair) > 0:
        refuse(GUARDED, "login_failed")
    return attempt


def _earlier_attempts(request: HttpRequest, pair: str) -> int:
    """How many attempts this address made on this account in the window, before this one."""
    [rate] = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    cache_key = ratelimit.get_cache_key(
        request, app=APP, action="login_failed", rate=rate, key=pair
    )
    return max(len(cache.get(cache_key, [])) - 1, 0)


def _record(request: HttpRequest, *, login: str, address: str, reason: str, action: str) -> None:
    """Log every refusal; audit the first of an episode (one per window, account, address)."""
    logger.warning("login refused (%s) for %r from %s", reason, login, address)
    digest = hashlib.sha256(f"{reason}\n{login}\n{address}".encode()).hexdigest()
    if not cache.add(f"login-throttle-audited:{digest}", True, timeout=_window(action)):
        return
    user = User.objects.filter(email__iexact=login).first() if login else None
    if user is None:
        return  # no account: nothing of anyone's to put in a history
    changes = {"throttled": {"address": address, "reason": reason}}
    with everywhere():  # the account's history in each organisation it belongs to
        organisations = {role.organisation for role in user.roles.select_related("organisation")}
    for organisation in organisations or [None]:
        entry = audit.entry(by=None, action=AuditAction.THROTTLE, obj=user, changes=changes)
        entry.organisation = organisation
        entry.save()
