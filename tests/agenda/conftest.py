import pytest

from core.actors import SYSTEM
from members.services import assign_interlocutor
from networks.models import NetworkKind
from tests import factories


@pytest.fixture
def country(db):
    """The national network over three regions, each with a facilitator."""
    national = factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )
    regions = {
        name: factories.NetworkFactory(
            name=f"Red Soy Voluntari@ {name}", slug=name.lower(), region=name, parent=national
        )
        for name in ("Arequipa", "Piura", "Tumbes")
    }
    facilitators = {
        network.slug: factories.FacilitatorFactory(network=network).user
        for network in (national, *regions.values())
    }
    return national, regions, facilitators


def interlocutor_of(network, name="Asociación Interlocutora"):
    membership = factories.MembershipFactory(network=network, entity__name=name)
    assign_interlocutor(network=network, entity=membership.entity, by=SYSTEM)
    return membership


def promoted_commission(network, name):
    """A commission of the network, promoted by one of its member entities."""
    membership = factories.MembershipFactory(network=network)
    commission = factories.CommissionFactory(network=network, name=name)
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    factories.PromoterTermFactory(commission=commission, entity=membership.entity)
    return commission, membership
