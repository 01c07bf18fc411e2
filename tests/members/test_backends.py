"""A request's person is loaded with every role of theirs, in one query."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.urls import reverse

from members.backends import AuthenticationBackend, ModelBackend
from members.notifications import unread_count
from members.rules import entity_roles, has_verified_email
from networks.rules import facilitated_ids
from tests import factories

pytestmark = pytest.mark.django_db

renaming = import_module("members.migrations.0012_sessions_name_the_backends_with_roles")
# What the migration reads of its schema editor: the connection it runs on.
EDITOR = SimpleNamespace(connection=connection)


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_person_comes_with_every_role_in_one_query(backend, django_assert_num_queries):
    membership = factories.MembershipFactory()
    facilitated = factories.FacilitatorFactory(user=membership.representative).network

    with django_assert_num_queries(1):
        user = backend().get_user(membership.representative.pk)
        assert entity_roles(user).entities_in(membership.network_id) == {membership.entity_id}
        assert facilitated_ids(user) == {facilitated.pk}
        assert has_verified_email(user)
        assert unread_count(user) == 0

    assert user == membership.representative
    assert not any(name.startswith("role_column_") for name in vars(user))


def test_a_deactivated_person_or_a_missing_one_is_not_loaded():
    person = factories.UserFactory(is_active=False)

    assert ModelBackend().get_user(person.pk) is None
    assert ModelBackend().get_user(person.pk + 1000) is None


def test_a_signed_in_page_reads_the_person_once(client, django_assert_max_num_queries):
    membership = factories.MembershipFactory()
    client.force_login(membership.representative)
    client.get(reverse("workspace:home"), secure=True)  # a first request settles the session

    with django_assert_max_num_queries(20) as queries:
        response = client.get(reverse("workspace:home"), secure=True)

    assert response.status_code == 200
    assert response.context["user"] == membership.representative
    read_the_person = [
        query for query in queries.captured_queries if 'FROM "members_user"' in query["sql"]
    ]
    assert len(read_the_person) == 1


def old_session(user, backend):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.mark.parametrize("backend", sorted(renaming.RENAMED))
def test_a_session_signed_in_before_the_change_stays_signed_in(client, backend):
    membership = factories.MembershipFactory()
    client.cookies[settings.SESSION_COOKIE_NAME] = old_session(membership.representative, backend)
    # The old name is not configured any more: without the renaming, the session is signed out.
    assert client.get(reverse("workspace:home"), secure=True).status_code == 302
    client.cookies[settings.SESSION_COOKIE_NAME] = old_session(membership.representative, backend)

    renaming.forwards(apps, EDITOR)

    response = client.get(reverse("workspace:home"), secure=True)
    assert response.context["user"] == membership.representative


def test_renaming_back_restores_the_old_names(client):
    person = factories.UserFactory()
    key = old_session(person, "allauth.account.auth_backends.AuthenticationBackend")
    store = import_module(settings.SESSION_ENGINE).SessionStore

    renaming.forwards(apps, EDITOR)
    assert store(key).load()[BACKEND_SESSION_KEY] == "members.backends.AuthenticationBackend"
    renaming.backwards(apps, EDITOR)

    assert (
        store(key).load()[BACKEND_SESSION_KEY]
        == "allauth.account.auth_backends.AuthenticationBackend"
    )
