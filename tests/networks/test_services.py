from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from core.actors import SYSTEM
from core.errors import DomainError
from members.history import MembershipAction
from networks.history import record_change
from networks.models import CharterVersion, Facilitator, HistoryEntry
from networks.scoping import all_networks, network_scope
from networks.selectors import current_charter, facilitated_network_ids
from networks.services import appoint_facilitator, end_facilitation, publish_charter
from tests import factories

LIMA = ZoneInfo("America/Lima")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are checked by their English source text; their Spanish is the translations' test.
    with translation.override("en"):
        yield


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


def charter_texts(mission):
    return {
        "mission": mission,
        "vision": "Un Perú donde el voluntariado suma.",
        "principles": "Funcional, horizontal, inclusiva, participativa, diversa, flexible.",
        "code_of_ethics": "Actuamos con transparencia.",
    }


def history_in(network, action):
    with network_scope(network):
        return list(HistoryEntry.objects.filter(action=action).order_by("at", "id"))


# Charter


def test_charter_versions_count_up_in_each_network_on_their_own(network, other_network, admin_user):
    first = publish_charter(network=network, by=admin_user, **charter_texts("Primera"))
    elsewhere = publish_charter(network=other_network, by=admin_user, **charter_texts("Otra"))
    second = publish_charter(network=network, by=admin_user, **charter_texts("Segunda"))

    assert (first.version, second.version, elsewhere.version) == (1, 2, 1)
    assert current_charter(network) == second
    assert current_charter(other_network) == elsewhere
    with all_networks():
        assert CharterVersion.objects.count() == 3


def test_publishing_a_charter_is_recorded(network, admin_user):
    charter = publish_charter(network=network, by=admin_user, **charter_texts("Primera"))

    [entry] = history_in(network, "charter.published")
    assert (entry.actor, entry.changes) == (admin_user, {"version": 1})
    with network_scope(network):
        assert entry.subject == charter


@pytest.mark.django_db
def test_a_network_without_a_charter_has_no_current_one(network):
    assert current_charter(network) is None


# Facilitators


def test_appointing_a_facilitator_is_recorded(network, admin_user):
    person = factories.UserFactory()

    facilitator = appoint_facilitator(network=network, user=person, by=admin_user)

    assert (facilitator.network, facilitator.user, facilitator.ended_on) == (network, person, None)
    [entry] = history_in(network, "facilitator.appointed")
    assert (entry.actor, entry.changes) == (admin_user, {"user": person.pk})
    assert facilitated_network_ids(person) == {network.pk}


def test_a_person_cannot_be_appointed_twice_to_the_same_network(network, admin_user):
    person = factories.UserFactory()
    appoint_facilitator(network=network, user=person, by=admin_user)

    with pytest.raises(DomainError, match="already facilitates this network"):
        appoint_facilitator(network=network, user=person, by=admin_user)

    with network_scope(network):
        assert Facilitator.objects.filter(user=person).count() == 1
    assert len(history_in(network, "facilitator.appointed")) == 1


def test_one_person_may_facilitate_several_networks(network, other_network, admin_user):
    person = factories.UserFactory()

    appoint_facilitator(network=network, user=person, by=admin_user)
    appoint_facilitator(network=other_network, user=person, by=admin_user)

    assert facilitated_network_ids(person) == {network.pk, other_network.pk}


def test_ending_a_facilitation_dates_it_and_records_the_reason(network, admin_user):
    person = factories.UserFactory()
    with time_machine.travel(datetime(2024, 2, 1, 10, 0, tzinfo=LIMA), tick=False):
        facilitator = appoint_facilitator(network=network, user=person, by=admin_user)
    with time_machine.travel(datetime(2024, 11, 30, 10, 0, tzinfo=LIMA), tick=False):
        end_facilitation(facilitator=facilitator, by=admin_user, reason="Fin del programa")

    with network_scope(network):
        facilitator = Facilitator.objects.get(pk=facilitator.pk)
    assert (facilitator.started_on, facilitator.ended_on) == (date(2024, 2, 1), date(2024, 11, 30))
    [entry] = history_in(network, "facilitator.ended")
    assert (entry.actor, entry.reason, entry.changes) == (
        admin_user,
        "Fin del programa",
        {"user": person.pk},
    )
    assert facilitated_network_ids(person) == set()


def test_a_facilitation_cannot_end_twice(network, admin_user):
    facilitator = appoint_facilitator(network=network, user=factories.UserFactory(), by=SYSTEM)
    end_facilitation(facilitator=facilitator, by=admin_user)

    with pytest.raises(DomainError, match="already ended"):
        end_facilitation(facilitator=facilitator, by=admin_user)

    assert len(history_in(network, "facilitator.ended")) == 1


def test_a_former_facilitator_can_be_appointed_again(network, admin_user):
    person = factories.UserFactory()
    end_facilitation(
        facilitator=appoint_facilitator(network=network, user=person, by=SYSTEM), by=SYSTEM
    )

    again = appoint_facilitator(network=network, user=person, by=admin_user)

    assert again.ended_on is None
    with network_scope(network):
        assert Facilitator.objects.filter(user=person).count() == 2


def test_facilitated_networks_of_a_visitor_are_none(db):
    assert facilitated_network_ids(AnonymousUser()) == set()


# History


def test_a_history_entry_keeps_who_what_when_and_why(network, admin_user):
    with all_networks():
        membership = factories.MembershipFactory(network=network)
    moment = datetime(2024, 5, 5, 9, 30, tzinfo=LIMA)

    with time_machine.travel(moment, tick=False), network_scope(network):
        entry = record_change(
            network=network,
            subject=membership,
            action=MembershipAction.STATUS,
            by=admin_user,
            changes={"platform": [1, 2]},
            reason="Cambio de plataforma",
        )

    with network_scope(network):
        entry = HistoryEntry.objects.get(pk=entry.pk)
        assert entry.subject == membership
    assert (entry.at, entry.actor, entry.action) == (moment, admin_user, "membership.status")
    assert (entry.changes, entry.reason) == ({"platform": [1, 2]}, "Cambio de plataforma")
