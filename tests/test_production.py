"""Production paths: PostgreSQL and Redis, when they answer on this machine."""

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection

from tests.conftest import POSTGRES_UP, REDIS_UP


@pytest.mark.skipif(not REDIS_UP, reason="Redis does not answer on 127.0.0.1:6379")
def test_the_redis_cache_backend_round_trips(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    cache = caches.create_connection("default")
    cache.set("secretariat-test", {"fr": "Grande Région", "de": "Großregion"}, 10)
    assert cache.get("secretariat-test") == {"fr": "Grande Région", "de": "Großregion"}
    cache.delete("secretariat-test")


@pytest.mark.skipif(not POSTGRES_UP, reason="PostgreSQL does not answer on 127.0.0.1:5432")
def test_database_url_for_postgresql_is_understood() -> None:
    import environ

    config = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/secretariat")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "secretariat"


def test_the_suite_reports_which_database_it_runs_on(db: Any) -> None:
    assert connection.vendor in {"sqlite", "postgresql"}
