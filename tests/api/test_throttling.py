"""The API's rate limits: visitors per client address, people per person; 429 in the API's shape."""

import ipaddress
import random

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from members.api_tokens import create_api_token
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/v1/networks/"
PROXY = "10.0.0.2"


def fresh_client_address():
    """An address no other test uses (the cache outlives a test)."""
    return str(ipaddress.ip_address("198.18.0.0") + random.randrange(1, 2**17 - 1))


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_ANONYMOUS = "3/minute"
    settings.API_THROTTLE_AUTHENTICATED = "5/minute"


def test_a_visitor_gets_429_in_the_apis_error_shape_after_the_rate(client, low_rates):
    address = fresh_client_address()
    for _request in range(3):
        assert client.get(URL, REMOTE_ADDR=address).status_code == 200

    response = client.get(URL, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "throttled"
    assert "throttled" in body["detail"]
    assert int(response["Retry-After"]) > 0


def test_the_429_speaks_spanish_by_default(client, low_rates):
    address = fresh_client_address()
    for _request in range(3):
        client.get(URL, REMOTE_ADDR=address)
    response = client.get(URL, REMOTE_ADDR=address)
    assert response.status_code == 429
    assert "Solicitud fue regulada" in response.json()["detail"]


def test_behind_one_proxy_each_visitor_has_a_rate_of_their_own(client, low_rates, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    busy, quiet = fresh_client_address(), fresh_client_address()
    for request_number in range(4):
        # The busy client also forges another origin on the left each time.
        forwarded = f"203.0.113.{request_number}, {busy}"
        response = client.get(URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 429

    assert client.get(URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=quiet).status_code == 200


def test_a_person_has_the_authenticated_rate_from_any_address(client, low_rates):
    person = factories.UserFactory()
    cache.delete(f"throttle_user_{person.pk}")
    _token, key = create_api_token(by=person, name="Informe")
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    for _request in range(5):
        response = client.get(URL, REMOTE_ADDR=fresh_client_address(), **headers)
        assert response.status_code == 200

    response = client.get(URL, REMOTE_ADDR=fresh_client_address(), **headers)

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_a_person_is_not_held_to_the_visitors_rate(client, low_rates):
    person = factories.UserFactory()
    cache.delete(f"throttle_user_{person.pk}")
    client.force_login(person)
    address = fresh_client_address()
    for _request in range(5):
        assert client.get(URL, REMOTE_ADDR=address).status_code == 200


def test_an_empty_rate_means_no_limit(client, settings):
    settings.API_THROTTLE_ANONYMOUS = ""
    address = fresh_client_address()
    for _request in range(5):
        assert client.get(URL, REMOTE_ADDR=address).status_code == 200


def test_the_schema_documents_the_429_answer(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    responses = schema["paths"]["/api/v1/networks/"]["get"]["responses"]
    assert "429" in responses


def test_rest_frameworks_own_throttles_read_the_same_proxy_count(settings):
    from rest_framework.throttling import BaseThrottle

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )

    assert BaseThrottle().get_ident(request) == "198.51.100.7"
