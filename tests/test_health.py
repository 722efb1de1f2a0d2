"""GET /health/: what a load balancer asks each app server, open to anyone and saying no more
than which part fails."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.governance.smtp import free_port


def test_a_healthy_server_answers_200_to_anyone_without_a_session(
    client: Client, db: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):  # SELECT 1, and the cache table's set and get
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "storage": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


def test_a_failing_part_is_named_with_503_and_nothing_more(
    client: Client, db: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "failing", "storage": "ok"}
    assert str(port) not in response.content.decode()  # the error stays in the server's log
    assert "the cache fails" in caplog.text and str(port) in caplog.text


def test_a_bucket_out_of_reach_is_named(client: Client, db: Any, settings: Any) -> None:
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "secretariat",
                "endpoint_url": f"http://127.0.0.1:{free_port()}",  # nothing listens there
                "access_key": "secretariat-test",
                "secret_key": "secretariat-test",
                "client_config": Config(retries={"max_attempts": 1}),
            },
        },
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "ok", "storage": "failing"}


def test_the_probe_is_answered_over_plain_http_when_https_is_enforced(
    client: Client, db: Any, settings: Any
) -> None:
    """The load balancer asks the app servers on the private network, without TLS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301
