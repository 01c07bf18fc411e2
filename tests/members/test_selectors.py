import pytest

from members import selectors
from members.models import EntityKind, Membership, MembershipStatus, PriorityArea
from networks.scoping import ScopeError
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


def names(memberships):
    return [membership.entity.name for membership in memberships]


def test_directory_works_outside_a_request_by_opening_the_network_scope(network, other_network):
    factories.MembershipFactory(network=network, entity__name="Aquí")
    factories.MembershipFactory(network=other_network, entity__name="Allá")

    assert names(selectors.directory(network=network)) == ["Aquí"]
    assert names(selectors.directory(network=other_network)) == ["Allá"]


def test_directory_orders_by_entity_name(network):
    for name in ("Zeta", "alfa", "Beta"):
        factories.MembershipFactory(network=network, entity__name=name)

    assert names(selectors.directory(network=network)) == ["Beta", "Zeta", "alfa"]


def test_directory_combines_filters(network):
    youth = factories.platform_of(network, Sector.YOUTH)
    education = PriorityArea.objects.get(code="education")
    factories.MembershipFactory(
        network=network,
        entity__name="Jóvenes que enseñan",
        entity__kind=EntityKind.YOUTH_GROUP,
        entity__areas=["education"],
        platform=youth,
    )
    factories.MembershipFactory(
        network=network,
        entity__name="Jóvenes que cantan",
        entity__kind=EntityKind.YOUTH_GROUP,
        entity__areas=["culture"],
        platform=youth,
    )
    factories.MembershipFactory(
        network=network, entity__name="Escuela abierta", entity__areas=["education"]
    )

    found = selectors.directory(
        network=network,
        query="jóvenes",
        platform=youth,
        kind=EntityKind.YOUTH_GROUP,
        area=education,
    )

    assert names(found) == ["Jóvenes que enseñan"]


def test_directory_lists_an_entity_with_many_areas_once_when_filtering_by_area(network):
    factories.MembershipFactory(
        network=network,
        entity__name="Multitemática",
        entity__areas=["education", "health", "youth"],
    )

    found = selectors.directory(network=network, area=PriorityArea.objects.get(code="health"))

    assert names(found) == ["Multitemática"]


def test_entity_profile_needs_an_active_membership_in_that_network(network, other_network):
    here = factories.MembershipFactory(network=network)
    pending = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    there = factories.MembershipFactory(network=other_network)

    assert selectors.entity_profile(network=network, entity_slug=here.entity.slug) is not None
    assert selectors.entity_profile(network=network, entity_slug=pending.entity.slug) is None
    assert selectors.entity_profile(network=network, entity_slug=there.entity.slug) is None


def test_directory_rows_cannot_be_fetched_without_a_scope(network):
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
