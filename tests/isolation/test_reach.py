"""The reach rule crosses one way only: up from a region to the network above it.

A member of a regional network takes part in the national network's commissions
and events (`members.reach`); nothing lets it see more of a sibling region than
a visitor sees. The world of the harness has two regional networks, A and B,
under one national network; here B's events are for its members only.
"""

import pytest

from events.models import Event, Visibility
from networks.scoping import all_networks
from tests.isolation.test_routes import (
    NETWORK_ROUTES,
    client_as,
    leaked_secrets,
    url_for,
    world,  # noqa: F401 (the harness's fixture)
)


def members_only(side):
    with all_networks():
        Event.objects.filter(network=side.network).update(visibility=Visibility.MEMBERS)


def test_the_world_is_two_sibling_regions_under_a_national_network(world):  # noqa: F811
    assert world.a.network.parent_id == world.b.network.parent_id is not None


@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[route.id for route in NETWORK_ROUTES])
def test_a_member_of_a_sibling_region_sees_no_more_of_it_than_a_visitor(
    client,
    world,  # noqa: F811
    route,
):
    members_only(world.b)
    url = url_for(route, world.b.network, world.b)
    seen_by_visitor = set(leaked_secrets(client.get(url, secure=True), world.b))

    response = client_as(client, "member_of_a", world).get(url, secure=True)

    beyond = set(leaked_secrets(response, world.b)) - seen_by_visitor
    assert not beyond, f"{url} shows a member of the sibling region A: {sorted(beyond)}"


def test_positive_control_a_member_of_b_sees_its_members_only_event(client, world):  # noqa: F811
    members_only(world.b)
    url = url_for(
        next(route for route in NETWORK_ROUTES if route.name == "events:detail"),
        world.b.network,
        world.b,
    )
    assert world.b.event.title not in client.get(url, secure=True).content.decode()

    client.force_login(world.b.representative)

    assert world.b.event.title in client.get(url, secure=True).content.decode()
