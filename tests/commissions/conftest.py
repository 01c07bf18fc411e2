import pytest

from core.actors import SYSTEM
from members.models import User
from networks.services import appoint_facilitator
from tests import factories


class Cast:
    """A network with a facilitator and member entities, ready for a commission's story."""

    def __init__(self, network):
        self.network = network
        self.facilitator = factories.UserFactory(username="facilitadora")
        appoint_facilitator(network=network, user=self.facilitator, by=SYSTEM)
        self.memberships = [factories.MembershipFactory(network=network) for _ in range(4)]
        self.entities = [membership.entity for membership in self.memberships]

    def people_of(self, entity):
        membership = next(m for m in self.memberships if m.entity == entity)
        return {membership.representative, membership.alternate}

    def emails_of(self, entity):
        return {user.email for user in self.people_of(entity)}

    def rep(self, entity):
        """The representative of a member entity: who acts for it in most stories."""
        return next(m for m in self.memberships if m.entity == entity).representative


@pytest.fixture
def cast(network):
    return Cast(network)


@pytest.fixture
def user_count():
    return User.objects.count
