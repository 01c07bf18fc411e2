import uuid

import pytest
from django.utils import translation

from networks.scoping import all_networks
from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "es"
    # The production hasher is slow on purpose; tests create many people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _pages_drawn_each_time(settings):
    # Tests read a page's template context and count its queries, which an answer
    # from the cache has not; tests/networks/test_page_cache.py turns the cache on.
    # Versions start again with each test's data, so each test keys its own pages.
    settings.PAGE_CACHE = False
    settings.PAGE_CACHE_KEY_PREFIX = f"test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # Tests run with DEBUG off but without `collectstatic`: resolve static URLs
    # without the hashed manifest a deployment builds.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _own_mail_limits(monkeypatch):
    """Each test counts registration mails afresh, even in a cache other tests share."""
    from events import confirmations

    monkeypatch.setattr(confirmations, "KEY_PREFIX", f"test-{uuid.uuid4().hex}")


@pytest.fixture
def fresh_rate_limits(settings):
    """Sign-ups and logins from 127.0.0.1 counted afresh: the cache outlives a test.

    A key prefix of the test's own, not a flush of the Redis database that the
    other test processes share: their sessions live there (`cached_db`).
    """
    default = settings.CACHES["default"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**default, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }


@pytest.fixture(autouse=True)
def _api_rate_limits_out_of_the_way(settings):
    # Every test client comes from 127.0.0.1 and the cache outlives a test: at the
    # production rates the suite would throttle itself. The limits are tested on
    # their own (tests/api/test_throttling.py).
    settings.API_THROTTLE_ANONYMOUS = "100000/minute"
    settings.API_THROTTLE_AUTHENTICATED = "100000/minute"


@pytest.fixture
def mail_delivered_at_commit(monkeypatch):
    """The outbox's rows are sent in the test's process when their transaction commits.

    Instead of asking a worker for the delivery; with
    `django_capture_on_commit_callbacks(execute=True)` in non-transactional tests.
    """
    from core import outbox

    monkeypatch.setattr(outbox, "_publish_delivery", outbox.deliver)


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


@pytest.fixture
def english():
    """Domain messages in English, so tests can match them whatever the catalogue says."""
    with translation.override("en"):
        yield
