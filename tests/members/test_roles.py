"""A person's roles: read once per request, every one of them in one query."""

from datetime import date

import pytest
from django.db.models import Value
from django.utils import timezone

from members import rules as rules_module
from members.backends import ModelBackend
from members.models import MembershipStatus, Notification, User
from members.notifications import mark_read, unread_count
from members.rules import EntityRoles, entity_roles, has_verified_email, read_every_role
from networks.authority import refuse_facilitator
from networks.models import Facilitator
from networks.rules import cached_role, facilitated_ids, forget_role
from tests import factories

pytestmark = pytest.mark.django_db


def notify(network, person, number, *, read=False):
    Notification.objects.create(
        network=network,
        recipient=person,
        kind="commission.stalled",
        key=f"commission.stalled:{number}",
        read_at=timezone.now() if read else None,
    )


@pytest.fixture
def person():
    """A representative in one network, an alternate in another, facilitator of a third."""
    person = factories.UserFactory()
    speaks_for = factories.MembershipFactory(representative=person)
    stands_in = factories.MembershipFactory(alternate=person)
    factories.MembershipFactory(representative=person, status=MembershipStatus.APPLIED)
    facilitated = factories.FacilitatorFactory(user=person).network
    factories.FacilitatorFactory(
        user=person, started_on=date(2023, 1, 1), ended_on=date(2024, 1, 1)
    )
    for number in range(2):
        notify(speaks_for.network, person, number)
    notify(speaks_for.network, person, 2, read=True)
    notify(speaks_for.network, factories.UserFactory(), 3)
    person.expected = {
        "representative": {speaks_for.network_id: {speaks_for.entity_id}},
        "alternate": {stands_in.network_id: {stands_in.entity_id}},
        "facilitated": {facilitated.pk},
    }
    return person


def test_every_role_of_a_person_is_read_in_one_query(person, django_assert_num_queries):
    user = User.objects.get(pk=person.pk)

    with django_assert_num_queries(1):
        assert facilitated_ids(user) == person.expected["facilitated"]
        roles = entity_roles(user)
        assert has_verified_email(user)
        assert unread_count(user) == 2

    assert {k: v for k, v in roles.representative.items() if v} == person.expected["representative"]
    assert {k: v for k, v in roles.alternate.items() if v} == person.expected["alternate"]


def test_the_one_query_reads_what_each_role_reads_alone(person):
    every = read_every_role(User.objects.get(pk=person.pk))
    alone = EntityRoles.read(person)

    assert dict(every["entities"].representative) == dict(alone.representative)
    assert dict(every["entities"].alternate) == dict(alone.alternate)
    assert every["verified"] is True
    assert every["unread_notifications"] == 2


def test_a_person_with_no_role_reads_empty_roles(django_assert_num_queries):
    user = User.objects.get(pk=factories.UserFactory(verified=False).pk)

    with django_assert_num_queries(1):
        assert facilitated_ids(user) == set()
        assert not entity_roles(user).entities_in(1)
        assert not has_verified_email(user)
        assert unread_count(user) == 0


def test_a_forgotten_role_is_read_again_alone(person, django_assert_num_queries):
    user = User.objects.get(pk=person.pk)
    assert unread_count(user) == 2

    mark_read(user)

    with django_assert_num_queries(1):
        assert unread_count(user) == 0
    forget_role(user, "facilitated")
    with django_assert_num_queries(1):
        assert facilitated_ids(user) == person.expected["facilitated"]


@pytest.fixture
def forget_the_probe():
    """Takes away the role column a test registers."""
    yield
    rules_module._ROLE_COLUMNS.pop("probe", None)
    rules_module._users_with_roles.cache_clear()


def test_a_column_registered_after_the_query_was_built_is_read_with_every_role(
    person, forget_the_probe, django_assert_num_queries
):
    user = User.objects.get(pk=person.pk)
    assert "probe" not in read_every_role(user)  # the query is built, and kept

    rules_module.register_role_column("probe", lambda: Value(7), lambda value: value * 6)

    assert read_every_role(user)["probe"] == 42
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(person.pk)
        assert cached_role(loaded, "probe", lambda user: 0) == 42


def test_a_service_reads_afresh_only_the_roles_it_decides_on(person, django_assert_num_queries):
    """A job checks its actor once per row: one small query, not every role with the header's."""
    user = ModelBackend().get_user(person.pk)  # every role, as a request loads them
    term = (
        Facilitator.objects.with_scopes_disabled()
        .select_related("network")
        .get(user=person, ended_on__isnull=True)
    )
    term.ended_on = term.started_on
    term.save()

    with django_assert_num_queries(1) as queries:
        refuse_facilitator(user, term.network)  # no longer facilitates: may act for an entity there
    assert "members_notification" not in queries.captured_queries[0]["sql"]
    with django_assert_num_queries(0):
        assert unread_count(user) == 2  # what pages only show is kept
    with django_assert_num_queries(1):
        assert entity_roles(user).entities_in(next(iter(person.expected["representative"])))
