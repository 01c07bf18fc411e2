"""Failed logins are limited per client and per account, behind the proxy the README prescribes.

Behind one proxy every request reaches the application from the proxy's
address; the client is the address the proxy appended to X-Forwarded-For.
Each test uses addresses and accounts of its own, so the counts it builds in
the cache (which outlives a test, and is shared on Redis) meet no other test's.
"""

import ipaddress
import random
import uuid

import pytest
from django.test import RequestFactory

from core.client_address import client_address
from tests import factories

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
LOGIN = "/cuenta/login/"
PASSWORD = "correct horse battery staple"
LOCKED_OUT = "Too many failed login attempts"


def fresh_client_address():
    """An address from the documentation range 198.18.0.0/15, different in every test."""
    return str(ipaddress.ip_address("198.18.0.0") + random.randrange(1, 2**17 - 1))


def fresh_email():
    return f"login-{uuid.uuid4().hex[:12]}@example.org"


@pytest.fixture
def one_proxy(settings, client):
    settings.TRUSTED_PROXY_COUNT = 1
    client.cookies["tejido_language"] = "en"


def through_proxy(client, forwarded_for, **data):
    """A login POST as the proxy hands it on: from the proxy, with the client appended."""
    return client.post(LOGIN, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def is_locked_out(response):
    return response.status_code == 429 or (
        response.status_code == 200
        and response.context
        and LOCKED_OUT in str(response.context["form"].errors)
    )


def fail_until_locked_out(client, address, *, forged_prefix=None, limit=20):
    """Wrong passwords for ever new addresses from `address`; how many it took to be stopped."""
    for attempt in range(1, limit + 1):
        forwarded = address if forged_prefix is None else f"{forged_prefix}.{attempt}, {address}"
        response = through_proxy(client, forwarded, login=fresh_email(), password="wrong")
        if is_locked_out(response):
            return attempt
    return None


def test_behind_one_proxy_one_clients_failures_do_not_lock_out_another(client, one_proxy):
    attacker, neighbour = fresh_client_address(), fresh_client_address()
    person = factories.UserFactory(email=fresh_email())

    assert fail_until_locked_out(client, attacker) is not None

    response = through_proxy(client, neighbour, login=person.email, password=PASSWORD)
    assert response.status_code == 302, "the neighbour behind the same proxy was locked out"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_forged_left_most_forwarded_for_does_not_escape_the_limit(client, one_proxy):
    attacker = fresh_client_address()

    # Every request claims another origin on the left; the proxy appends the real one.
    attempts = fail_until_locked_out(client, attacker, forged_prefix="203.0.113")

    assert attempts is not None and attempts <= 11


def test_the_per_account_limit_holds_across_client_addresses(client, one_proxy):
    person = factories.UserFactory(email=fresh_email())
    for _attempt in range(5):
        response = through_proxy(
            client, fresh_client_address(), login=person.email, password="wrong"
        )
        assert not is_locked_out(response)

    response = through_proxy(client, fresh_client_address(), login=person.email, password=PASSWORD)

    assert is_locked_out(response)
    assert "_auth_user_id" not in client.session


# How the client's address is read.


def request_from(remote_addr, forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (1, "203.0.113.9,2001:db8::1", "2001:db8::1"),
        # Fewer entries than trusted proxies: the request did not come through them.
        (2, "203.0.113.9", PROXY),
        # Not an address where the client's should be: the connection counts.
        (1, "203.0.113.9, garbage", PROXY),
        (1, "", PROXY),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(
    settings, count, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(PROXY, forwarded_for)) == expected
