"""While Redis is unreachable the cache answers as a miss: pages and logins work, quickly."""

import socket
import time

import pytest
from django.core.cache import caches
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

from tests import factories


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry": Retry(NoBackoff(), 0),
            },
        }
    }
    yield caches["default"]


def test_reads_miss_and_writes_are_dropped_with_a_log_line(unreachable_cache, caplog):
    assert unreachable_cache.get("clave", "por defecto") == "por defecto"
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert unreachable_cache.add("clave", 1) is True
    unreachable_cache.set("clave", 1)
    unreachable_cache.delete("clave")
    assert "The cache is unreachable" in caplog.text


def test_a_counter_that_must_hold_still_fails(unreachable_cache):
    # The registration mail limits refuse when their counter cannot be read.
    with pytest.raises(RedisConnectionError):
        unreachable_cache.incr("contador")


@pytest.mark.django_db
def test_login_works_while_the_cache_is_unreachable(client, unreachable_cache, settings):
    settings.SECURE_SSL_REDIRECT = False
    user = factories.UserFactory()
    assert client.get("/cuenta/login/").status_code == 200
    started = time.monotonic()
    response = client.post(
        "/cuenta/login/", {"login": user.email, "password": "correct horse battery staple"}
    )
    assert time.monotonic() - started < 1
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
