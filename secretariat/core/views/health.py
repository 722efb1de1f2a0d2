"""``GET /health/``: whether this app server reaches what it needs, for a load balancer or a
monitoring probe. Open to anyone, so it says no more than which part fails: no versions, no
addresses, no error text (those go to the server's log), no organisation's data."""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

log = logging.getLogger("secretariat.health")

# A name no file has: asking whether it exists is a stat on a folder, one HEAD on a bucket.
STORAGE_PROBE = "health/probe"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # A key of this process and thread: probes of several servers at once do not meet.
    key = f"health:{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    value = uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not give back what was stored")


def _storage() -> None:
    default_storage.exists(STORAGE_PROBE)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
}


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 with every part "ok", or 503 naming the part that fails."""
    parts = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            log.exception("Health check: the %s fails.", name)
            parts[name] = "failing"
        else:
            parts[name] = "ok"
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)
