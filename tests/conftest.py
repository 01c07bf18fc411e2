import pytest

from networks.scoping import all_networks
from tests import factories


@pytest.fixture(autouse=True)
def _default_language(settings):
    settings.LANGUAGE_CODE = "es"


@pytest.fixture
def unscoped():
    """Let a test set up and inspect rows of several networks, as fixtures do."""
    with all_networks():
        yield


@pytest.fixture
def network(db):
    return factories.NetworkFactory(name="Red de Voluntariado de Arequipa", slug="arequipa")


@pytest.fixture
def other_network(db):
    return factories.NetworkFactory(name="Red Soy Voluntari@ Cusco", slug="cusco", region="Cusco")
