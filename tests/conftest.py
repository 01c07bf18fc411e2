import pytest

from networks.scoping import all_networks
from tests import factories


@pytest.fixture(autouse=True)
def _default_language(settings):
    settings.LANGUAGE_CODE = "es"


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # Tests run with DEBUG off but without `collectstatic`: resolve static URLs
    # without the hashed manifest a deployment builds.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
