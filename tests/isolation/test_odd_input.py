"""Odd input on every route: a NUL byte in any path argument, query parameter or form field.

PostgreSQL refuses NUL in text, so a NUL that reaches a query ends in a
server error there (SQLite only finds nothing). The routes are read from the
URL configuration, like the isolation harness does, so a new route is probed
the day it is added: each path argument in turn gets a real value of network
A with a NUL appended, and every route is asked with common query parameters
holding a NUL. The answer must be a 400 or a 404, never anything else, for a
visitor, a member, the facilitator and a site admin.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from networks.middleware import NETWORK_KWARG
from tests import factories
from tests.isolation.test_routes import ARGUMENTS, ROUTES, client_as, walk
from tests.isolation.test_routes import world as world

# The admin's unnamed routes (its catch-all, old change URLs) are reached by the named ones.
ADMIN_ROUTES = [route for route in walk(admin.site.urls[0], "admin/", "admin:") if route.name]
# Digits match every converter the URL configuration uses (int, slug, str, path).
SENTINEL = "8675309"
# Parameters pages and the API read, and one nobody reads.
QUERY_PARAMETERS = [
    "red",
    "nombre",
    "name",
    "entidad",
    "next",
    "page",
    "page_size",
    "q",
    "search",
    "ordering",
    "format",
    "lang",
    "script",
    "entity__slug",
    "status",
    "kind",
    "starts_after",
    "anything",
]
FORM_FIELDS = ["name", "title", "token", "next", "email", "role", "notification", "body"]


def real_value(argument, side):
    if argument == NETWORK_KWARG:
        return side.network.slug
    if argument in ARGUMENTS:
        return str(ARGUMENTS[argument](side))
    if argument == "app_label":
        return "members"
    return "1"  # an argument the harness has no object for (admin ids, allauth keys)


def urls_with_a_nul(route, side):
    """The route's URL once per path argument, that argument's real value followed by NUL."""
    real = {argument: real_value(argument, side) for argument in route.arguments}
    for target in real:
        try:
            url = reverse(route.name, kwargs={**real, target: SENTINEL})
        except NoReverseMatch:
            # A converter that takes only some words (the admin's app labels): mark the real one.
            url = reverse(route.name, kwargs=real).replace(f"/{real[target]}/", f"/{SENTINEL}/", 1)
        yield url.replace(SENTINEL, quote(real[target]) + "%00", 1)


def plain_url(route, side):
    return reverse(
        route.name, kwargs={argument: real_value(argument, side) for argument in route.arguments}
    )


def nul_query():
    return "?" + "&".join(f"{name}=a%00b" for name in QUERY_PARAMETERS)


def probe(client, urls, *, method="get", data=None):
    """Every URL whose answer is not a 400 or 404, with what it answered."""
    wrong = []
    for url in urls:
        response = getattr(client, method)(url, data or {}, secure=True)
        if response.status_code not in (400, 404):
            wrong.append(f"{method.upper()} {url!r} answered {response.status_code}")
        elif url.startswith("/api/") and response.status_code == 400:
            body = response.json()
            if set(body) != {"detail", "code"}:
                wrong.append(f"{url!r} answered a 400 outside the API's error shape: {body}")
    return wrong


def persona_client(client, persona, world):
    if persona == "site_admin":
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        return client
    return client_as(client, persona, world)


PERSONAS = ["visitor", "member_of_a", "facilitator_of_a", "site_admin"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_nul_byte_in_any_path_argument_is_a_400_or_404(client, world, persona):
    client = persona_client(client, persona, world)
    routes = [route for route in ROUTES + ADMIN_ROUTES if route.arguments]
    urls = [url for route in routes for url in urls_with_a_nul(route, world.a)]
    assert len(urls) > 100, "the walker found too few routes to probe"

    assert probe(client, urls) == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_nul_byte_in_any_query_parameter_is_a_400_or_404(client, world, persona):
    client = persona_client(client, persona, world)
    urls = [plain_url(route, world.a) + nul_query() for route in ROUTES + ADMIN_ROUTES]

    assert probe(client, urls) == []


@pytest.mark.parametrize("persona", ["member_of_a", "site_admin"])
def test_a_nul_byte_in_a_posted_form_field_is_a_400_or_404(client, world, persona):
    client = persona_client(client, persona, world)
    urls = [plain_url(route, world.a) for route in ROUTES + ADMIN_ROUTES]
    data = dict.fromkeys(FORM_FIELDS, "a\x00b")

    assert probe(client, urls, method="post", data=data) == []


@pytest.mark.parametrize("persona", ["visitor", "member_of_a"])
def test_the_known_places_answer_400(client, world, persona):
    """The places the security review found, named, so a failure says which one broke."""
    client = client_as(client, persona, world)
    registration = world.a.registration
    urls = [
        f"/mi-red/invitaciones/{'x' * 20}%00/",
        "/calendario/abc%00def.ics",
        f"/redes/{world.a.network.slug}/eventos/{registration.event_id}/cancelar-inscripcion/"
        f"{registration.cancel_token}%00/",
        "/mi-red/entidades/nueva/?red=%00",
        f"/redes/{world.a.network.slug}/?red=a%00",
        "/api/v1/networks/?search=%00",
    ]
    for url in urls:
        response = client.get(url, secure=True)
        assert response.status_code == 400, url


def test_a_nul_byte_in_a_cookie_is_a_400(client, db):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/", secure=True).status_code == 400


JSON_FIELDS = [
    *FORM_FIELDS,
    "entity",
    "entities",
    "platform",
    "commission",
    "kind",
    "status",
    "text",
    "description",
    "starts_at",
    "topic",
    "actions",
    "reason",
]


@pytest.mark.parametrize("persona", ["member_of_a", "facilitator_of_a"])
def test_a_nul_byte_in_a_json_field_is_never_a_server_error(client, world, persona):
    """JSON bodies are not the middleware's: the API's fields refuse NUL themselves."""
    client = client_as(client, persona, world)
    body = dict.fromkeys(JSON_FIELDS, "a\x00b")
    wrong = []
    for route in ROUTES:
        if not route.route.startswith("api/"):
            continue
        url = plain_url(route, world.a)
        for method in ("post", "put", "patch"):
            response = getattr(client, method)(
                url, body, content_type="application/json", secure=True
            )
            if response.status_code >= 500:
                wrong.append(f"{method.upper()} {url} answered {response.status_code}")
    assert wrong == []
