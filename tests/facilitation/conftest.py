"""A national network over two regional ones, for the home page's counters."""

import pytest

from networks.models import NetworkKind
from tests import factories


@pytest.fixture
def national(db):
    return factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )


@pytest.fixture
def regions(national, network, other_network):
    for region in (network, other_network):
        region.parent = national
        region.save()
    return network, other_network
