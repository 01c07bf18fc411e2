from datetime import timedelta

import pytest
from django.utils import timezone

from core.actors import SYSTEM
from decisions import services
from networks.services import appoint_facilitator
from tests import factories


class Assembly:
    """A network with a facilitator and five member entities, ready to decide something."""

    def __init__(self, network, size=5):
        self.network = network
        self.facilitator = factories.UserFactory(username="facilitadora")
        appoint_facilitator(network=network, user=self.facilitator, by=SYSTEM)
        self.memberships = [factories.MembershipFactory(network=network) for _ in range(size)]
        self.entities = [membership.entity for membership in self.memberships]

    def rep(self, index):
        return self.memberships[index].representative

    def alternate(self, index):
        return self.memberships[index].alternate

    def table(self, index=0, *, hours=48, **fields):
        fields.setdefault("title", "Adoptar el código de ética")
        fields.setdefault("text", "La red adopta el código de ética propuesto.")
        return services.table_proposal(
            network=self.network,
            entity=self.entities[index],
            by=self.rep(index),
            closes_at=timezone.now() + timedelta(hours=hours),
            **fields,
        )

    def position(self, proposal, index, stance, note="", *, by=None):
        return services.take_position(
            proposal=proposal,
            entity=self.entities[index],
            stance=stance,
            note=note,
            by=by or self.rep(index),
        )

    def vote(self, proposal, index, choice):
        return services.cast_vote(
            proposal=proposal, entity=self.entities[index], choice=choice, by=self.rep(index)
        )


@pytest.fixture
def assembly(network):
    return Assembly(network)
