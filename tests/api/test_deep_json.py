"""A JSON body nested 50,000 levels deep is a 400 in the API's error shape, on every write.

Python's JSON reader recurses once per level and runs out of stack long before
50,000: unhandled, that is a server error. Every API route is sent such a body
with each writing method, by the promoter of network A's commission and by
A's facilitator (so that the body is read, not refused unread), and must never
answer 500.
"""

import pytest
from django.urls import reverse

from core.api import MAX_JSON_DEPTH, json_depth
from tests.isolation.test_routes import ARGUMENTS, ROUTES, client_as
from tests.isolation.test_routes import world as world

pytestmark = pytest.mark.usefixtures("english")

DEPTH = 50_000
DEEP_LIST = "[" * DEPTH + "]" * DEPTH
DEEP_OBJECT = '{"a":' * DEPTH + "1" + "}" * DEPTH
API_ROUTES = [route for route in ROUTES if route.route.startswith("api/")]


def own_arguments(route, side):
    return {
        argument: side.network.slug if argument == "network_slug" else ARGUMENTS[argument](side)
        for argument in route.arguments
    }


def is_api_error(response):
    body = response.json()
    return {"detail", "code"} <= set(body) and isinstance(body["detail"], str)


@pytest.mark.parametrize("persona", ["member_of_a", "facilitator_of_a"])
def test_no_api_route_answers_500_to_a_deeply_nested_body(client, world, persona):
    client = client_as(client, persona, world)
    wrong = []
    for route in API_ROUTES:
        url = reverse(route.name, kwargs=own_arguments(route, world.a))
        for method in ("post", "put", "patch"):
            for body in (DEEP_LIST, DEEP_OBJECT):
                response = getattr(client, method)(
                    url, body, content_type="application/json", secure=True
                )
                if response.status_code >= 500 or (
                    response.status_code == 400 and not is_api_error(response)
                ):
                    wrong.append(f"{method.upper()} {url} answered {response.status_code}")
    assert wrong == []


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
def test_a_deeply_nested_body_is_a_400_in_the_apis_shape(client, world, body):
    client.force_login(world.a.representative)  # a promoter: may post updates
    url = reverse(
        "api:commission_updates",
        kwargs={"network_slug": world.a.network.slug, "commission_id": world.a.commission.pk},
    )

    response = client.post(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", secure=True
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON body nests too deeply.", "code": "parse_error"}


def test_a_body_just_past_the_bound_is_refused_and_one_within_it_is_read(client, world):
    client.force_login(world.a.representative)
    url = reverse("api:applications", kwargs={"network_slug": world.a.network.slug})
    too_deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    response = client.post(url, too_deep, content_type="application/json", secure=True)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"

    within = '{"entity": ' + "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1) + "}"
    response = client.post(url, within, content_type="application/json", secure=True)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # read, then refused field by field


@pytest.mark.parametrize(
    ("value", "depth"),
    [(1, 0), ("x", 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[[]], []], 3)],
)
def test_json_depth_counts_nesting(value, depth):
    assert json_depth(value) == depth
