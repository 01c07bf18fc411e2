"""Rules the database itself holds, so that no code path can break them."""

import pytest
from django.db import IntegrityError, transaction

from members.models import Membership, MembershipStatus
from networks.scoping import all_networks, network_scope
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_an_entity_has_one_membership_per_network(network):
    entity = factories.EntityFactory()
    with all_networks():
        factories.MembershipFactory(network=network, entity=entity)

        with pytest.raises(IntegrityError), transaction.atomic():
            factories.MembershipFactory(
                network=network, entity=entity, status=MembershipStatus.APPLIED
            )

        assert Membership.objects.filter(entity=entity).count() == 1


def test_an_entity_can_belong_to_several_networks(network, other_network):
    entity = factories.EntityFactory()
    with all_networks():
        factories.MembershipFactory(network=network, entity=entity)
        factories.MembershipFactory(network=other_network, entity=entity)

    with network_scope(network):
        assert entity.memberships.count() == 1
    with all_networks():
        assert entity.memberships.count() == 2


def test_the_database_refuses_the_same_person_as_representative_and_alternate(network):
    person = factories.UserFactory()

    with all_networks(), pytest.raises(IntegrityError), transaction.atomic():
        factories.MembershipFactory(network=network, representative=person, alternate=person)


def test_the_database_refuses_an_update_that_makes_the_alternate_the_representative(network):
    with all_networks():
        membership = factories.MembershipFactory(network=network)

        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(alternate=membership.representative)


def test_a_membership_may_lack_a_representative_or_an_alternate(network):
    with all_networks():
        without_alternate = factories.MembershipFactory(network=network, alternate=None)
        without_anyone = factories.MembershipFactory(
            network=network, representative=None, alternate=None
        )

    assert without_alternate.pk and without_anyone.pk


def test_a_membership_links_to_the_entity_page_of_its_network(network):
    with all_networks():
        membership = factories.MembershipFactory(
            network=network, entity=factories.EntityFactory(slug="jovenes-del-misti")
        )

    assert membership.get_absolute_url() == "/redes/arequipa/entidades/jovenes-del-misti/"
