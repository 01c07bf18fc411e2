"""The reach rule: a network's commissions and events are open to its members and its regions'."""

import pytest

from members import reach
from members.models import MembershipStatus
from members.rules import is_member_in_reach
from networks.models import NetworkKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    national = factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )
    arequipa = factories.NetworkFactory(name="Red Arequipa", slug="arequipa", parent=national)
    piura = factories.NetworkFactory(
        name="Red Piura", slug="piura", region="Piura", parent=national
    )
    province = factories.NetworkFactory(
        name="Red Provincial de Caylloma", slug="caylloma", parent=arequipa
    )
    return national, arequipa, piura, province


def fresh(network):
    return type(network).objects.get(pk=network.pk)


def test_a_network_reaches_itself_and_every_network_under_it_at_any_depth(
    country, django_assert_num_queries
):
    national, arequipa, piura, province = country
    loaded = fresh(national)

    with django_assert_num_queries(1):
        ids = reach.network_ids_in_reach(loaded)

    assert ids == sorted([national.pk, arequipa.pk, piura.pk, province.pk])
    assert reach.network_ids_in_reach(fresh(arequipa)) == sorted([arequipa.pk, province.pk])
    assert reach.network_ids_in_reach(fresh(piura)) == [piura.pk]


def test_the_reach_is_read_once_per_network_object(country, django_assert_num_queries):
    national = fresh(country[0])
    reach.network_ids_in_reach(national)

    with django_assert_num_queries(0):
        assert reach.has_networks_under(national)


def test_a_regional_member_is_in_reach_of_the_national_network_but_not_of_a_sibling(country):
    national, arequipa, piura, province = country
    entity = factories.MembershipFactory(network=arequipa).entity

    assert reach.is_in_reach(entity, fresh(arequipa))
    assert reach.is_in_reach(entity, fresh(national))
    assert not reach.is_in_reach(entity, fresh(piura))
    # The reach runs upwards only: a regional member acts in no network under its own.
    assert not reach.is_in_reach(entity, fresh(province))


def test_a_member_of_the_national_network_alone_reaches_no_region(country):
    national, arequipa, _piura, _province = country
    entity = factories.MembershipFactory(network=national).entity

    assert reach.is_in_reach(entity, fresh(national))
    assert not reach.is_in_reach(entity, fresh(arequipa))


def test_a_member_two_levels_down_reaches_the_national_network(country):
    national, arequipa, _piura, province = country
    entity = factories.MembershipFactory(network=province).entity

    assert reach.is_in_reach(entity, fresh(arequipa))
    assert reach.is_in_reach(entity, fresh(national))


@pytest.mark.parametrize(
    "status", [MembershipStatus.APPLIED, MembershipStatus.SUSPENDED, MembershipStatus.LEFT]
)
def test_only_an_active_membership_reaches(country, status):
    national, arequipa, _piura, _province = country
    entity = factories.MembershipFactory(network=arequipa, status=status).entity

    assert not reach.is_in_reach(entity, fresh(national))


def test_the_role_holds_for_whoever_acts_for_an_entity_in_reach(country):
    national, arequipa, piura, _province = country
    membership = factories.MembershipFactory(network=arequipa)

    for person in (membership.representative, membership.alternate):
        assert is_member_in_reach(person, fresh(national))
        assert is_member_in_reach(person, fresh(arequipa))
        assert not is_member_in_reach(person, fresh(piura))
    assert not is_member_in_reach(factories.UserFactory(), fresh(national))


def test_every_membership_in_reach_is_listed_once_per_network(country):
    national, arequipa, piura, _province = country
    both = factories.EntityFactory(name="En dos regiones")
    factories.MembershipFactory(network=arequipa, entity=both)
    factories.MembershipFactory(network=piura, entity=both)
    factories.MembershipFactory(network=piura, status=MembershipStatus.APPLIED)

    rows = list(reach.memberships_in_reach(fresh(national)).values_list("network_id", "entity_id"))

    assert sorted(rows) == sorted([(arequipa.pk, both.pk), (piura.pk, both.pk)])
