"""An application under review shows the facilitator everything needed to decide on it.

The entity's description, areas, city, website and legal status, the commission
it chose, and the members of the network whose name looks like its own (the
similar-name check of registration, within the network).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.models import MembershipStatus, PriorityArea
from networks.scoping import all_networks
from tests import factories


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def application(network, name="Asociación Chachani", **fields):
    return factories.MembershipFactory(
        network=network, status=MembershipStatus.APPLIED, entity__name=name, **fields
    )


def review(client, facilitator, membership):
    client.force_login(facilitator)
    response = client.get(
        reverse("facilitation:membership", args=[membership.network.slug, membership.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_application_shows_the_entitys_profile_and_chosen_commission(
    client, network, facilitator
):
    commission = factories.CommissionFactory(network=network, name="Comisión de Juventudes")
    membership = application(
        network,
        entity__description="Jóvenes que limpian las riberas del río Chili.",
        entity__city="Arequipa",
        entity__region="Arequipa",
        entity__website="https://chachani.example.org",
        entity__legally_registered=False,
        pending_commission=commission,
    )
    membership.entity.priority_areas.set(PriorityArea.objects.filter(code__in=["environment"]))

    body = review(client, facilitator, membership)

    assert "Jóvenes que limpian las riberas del río Chili." in body
    assert "Environment" in body
    assert "Arequipa, Arequipa" in body
    assert 'href="https://chachani.example.org"' in body
    assert "Not legally registered" in body
    assert "Joins “Comisión de Juventudes” on approval." in body


def test_a_commission_proposed_on_joining_is_shown_with_its_purpose(client, network, facilitator):
    membership = application(
        network,
        pending_commission_name="Comisión de Reciclaje",
        pending_commission_purpose="Reciclar en los colegios.",
    )

    body = review(client, facilitator, membership)

    assert "Proposes “Comisión de Reciclaje” on approval." in body
    assert "Reciclar en los colegios." in body


def test_similar_members_of_the_network_are_named_and_no_one_else(
    client, network, other_network, facilitator
):
    membership = application(network, "Asociación Chachani")
    same_here = factories.MembershipFactory(network=network, entity__name="Grupo Chachani Verde")
    also_applying = application(network, "Chachani Asociación Juvenil")
    gone = factories.MembershipFactory(
        network=network, entity__name="Chachani Antiguo", status=MembershipStatus.LEFT
    )
    elsewhere = factories.MembershipFactory(network=other_network, entity__name="Chachani Cusco")
    unrelated = factories.MembershipFactory(network=network, entity__name="Red Misti Solidario")

    body = review(client, facilitator, membership)
    section = body[body.index("Similar entities already in the network") :]

    for found in (same_here, also_applying):
        assert found.entity.name in section
        assert reverse("facilitation:membership", args=[network.slug, found.pk]) in section
    for other in (gone, elsewhere, unrelated):
        assert other.entity.name not in section
    assert section.count(membership.entity.name) == 0


def test_an_application_without_a_similar_member_says_so(client, network, facilitator):
    membership = application(network, "Asociación Chachani")
    factories.MembershipFactory(network=network, entity__name="Red Misti Solidario")

    body = review(client, facilitator, membership)

    assert "No member of the network has a similar name." in body


def test_an_active_membership_is_not_compared(client, network, facilitator):
    membership = factories.MembershipFactory(network=network, entity__name="Asociación Chachani")

    body = review(client, facilitator, membership)

    assert "Similar entities already in the network" not in body


def test_the_review_makes_the_same_queries_whatever_the_similar_members(
    client, network, facilitator
):
    membership = application(network, "Asociación Chachani")
    factories.MembershipFactory(network=network, entity__name="Grupo Chachani")
    client.force_login(facilitator)
    url = reverse("facilitation:membership", args=[network.slug, membership.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    with all_networks():
        for number in range(8):
            factories.MembershipFactory(network=network, entity__name=f"Chachani {number}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()

    assert len(few) == len(many)
    assert "Chachani 4" in body
