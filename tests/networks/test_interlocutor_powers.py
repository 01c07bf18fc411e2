"""The regional interlocutor as a real role: the powers its network gives it (4.2 c).

A network decides, in its governance settings, which of the facilitator's powers
its interlocutor holds. Each power is a permission of the rules registry asked by
the service and the page alike; without it the interlocutor is refused. The
interlocutor keeps its entity's voice and stays no facilitator.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from announcements import services as announcements
from core.actors import SYSTEM
from core.errors import DomainError
from decisions import services as decisions
from decisions.models import Stance, Vote
from events import services as events
from events.models import Event, EventKind, Visibility
from members.models import MembershipStatus
from members.notifications import vacancy_alert_recipient_ids_by_network
from members.services import assign_interlocutor, change_membership_status
from networks.models import HistoryEntry, Network
from networks.rules import forget_roles
from networks.scoping import all_networks, network_scope
from networks.services import appoint_facilitator, set_interlocutor_powers
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class Cast:
    def __init__(self, network):
        self.network = network
        self.facilitator = factories.UserFactory(username="facilitadora")
        appoint_facilitator(network=network, user=self.facilitator, by=SYSTEM)
        self.interlocutor_membership = factories.MembershipFactory(network=network)
        self.entity = self.interlocutor_membership.entity
        self.person = self.interlocutor_membership.representative
        self.member = factories.MembershipFactory(network=network)
        self.applicant = factories.MembershipFactory(
            network=network, status=MembershipStatus.APPLIED
        )
        assign_interlocutor(network=network, entity=self.entity, by=SYSTEM)

    def give(self, **powers):
        set_interlocutor_powers(network=self.network, by=self.facilitator, **powers)
        self.network.refresh_from_db()
        forget_roles(self.person)


@pytest.fixture
def cast(network, unscoped):
    return Cast(network)


def status_of(membership):
    membership.refresh_from_db()
    return membership.status


# Reviewing applications ------------------------------------------------------------


def test_an_interlocutor_with_the_power_approves_an_application(cast):
    cast.give(interlocutor_reviews_applications=True)

    change_membership_status(
        membership=cast.applicant, status=MembershipStatus.ACTIVE, by=cast.person
    )

    assert status_of(cast.applicant) == MembershipStatus.ACTIVE


def test_an_interlocutor_without_the_power_is_refused_and_nothing_changes(cast):
    assert cast.network.interlocutor_reviews_applications is False

    with pytest.raises(DomainError, match="decides on its memberships"):
        change_membership_status(
            membership=cast.applicant, status=MembershipStatus.ACTIVE, by=cast.person
        )

    assert status_of(cast.applicant) == MembershipStatus.APPLIED


def test_reviewing_applications_is_not_suspending_members(cast):
    cast.give(interlocutor_reviews_applications=True)

    with pytest.raises(DomainError):
        change_membership_status(
            membership=cast.member,
            status=MembershipStatus.SUSPENDED,
            by=cast.person,
            reason="Sin respuesta.",
        )

    assert status_of(cast.member) == MembershipStatus.ACTIVE


def test_a_member_that_is_not_the_interlocutor_never_reviews(cast):
    cast.give(interlocutor_reviews_applications=True)
    with pytest.raises(DomainError):
        change_membership_status(
            membership=cast.applicant,
            status=MembershipStatus.ACTIVE,
            by=cast.member.representative,
        )
    assert status_of(cast.applicant) == MembershipStatus.APPLIED


def test_the_application_pages_follow_the_power(client, cast):
    client.force_login(cast.person)
    applications = reverse("facilitation:applications", kwargs={"network_slug": cast.network.slug})
    decision = reverse(
        "facilitation:membership",
        kwargs={"network_slug": cast.network.slug, "membership_id": cast.applicant.pk},
    )
    other_member = reverse(
        "facilitation:membership",
        kwargs={"network_slug": cast.network.slug, "membership_id": cast.member.pk},
    )
    assert client.get(applications, secure=True).status_code == 403
    public_page = reverse("networks:detail", kwargs={"network_slug": cast.network.slug})
    assert applications not in client.get(public_page, secure=True).content.decode()

    cast.give(interlocutor_reviews_applications=True)

    assert client.get(applications, secure=True).status_code == 200
    # The network's page leads the interlocutor there.
    assert applications in client.get(public_page, secure=True).content.decode()
    assert client.get(other_member, secure=True).status_code == 403
    response = client.post(
        decision,
        {"status": MembershipStatus.ACTIVE, "current": MembershipStatus.APPLIED},
        secure=True,
    )
    assert response.status_code == 302
    assert status_of(cast.applicant) == MembershipStatus.ACTIVE


# Convening plenaries ----------------------------------------------------------------


def plenary(cast):
    start = timezone.now() + timedelta(days=10)
    return events.create_event(
        network=cast.network,
        by=cast.person,
        organisers=[cast.entity],
        kind=EventKind.PLENARY,
        title="Plenaria de diciembre",
        format="in_person",
        place="Auditorio",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        visibility=Visibility.PUBLIC,
    )


def test_an_interlocutor_convenes_a_plenary_with_the_power_and_not_without(cast):
    cast.give(interlocutor_convenes_plenaries=False)
    with pytest.raises(DomainError, match="convened by its facilitator"):
        plenary(cast)
    assert not Event.objects.exists()

    cast.give(interlocutor_convenes_plenaries=True)
    assert plenary(cast).kind == EventKind.PLENARY


# Writing announcements -----------------------------------------------------------


def test_an_interlocutor_writes_to_the_network_with_the_power_and_not_without(cast):
    cast.give(interlocutor_writes_announcements=False)
    with pytest.raises(DomainError):
        announcements.announce(network=cast.network, by=cast.person, title="Hola", body="Todos.")

    cast.give(interlocutor_writes_announcements=True)
    announcement = announcements.announce(
        network=cast.network, by=cast.person, title="Hola", body="Todos."
    )
    assert announcement.entity == cast.entity


# Seeing the activity and the commissions needing attention -----------------------


@pytest.mark.parametrize("page", ["activity", "commissions"])
def test_the_activity_and_attention_pages_follow_the_power(client, cast, page):
    address = reverse(f"facilitation:{page}", kwargs={"network_slug": cast.network.slug})
    client.force_login(cast.person)
    assert not cast.person.has_perm("networks.view_activity", cast.network)
    assert client.get(address, secure=True).status_code == 403

    cast.give(interlocutor_sees_activity=True)

    assert cast.person.has_perm("networks.view_activity", cast.network)
    response = client.get(address, secure=True)
    assert response.status_code == 200
    # The navigation offers the interlocutor only the pages it may open.
    text = response.content.decode()
    assert reverse("facilitation:members", kwargs={"network_slug": cast.network.slug}) not in text


# Vacancy alerts ------------------------------------------------------------------


def test_vacancy_alerts_reach_the_interlocutor_only_with_the_power(cast):
    people = {cast.person.pk, cast.interlocutor_membership.alternate_id}
    with network_scope(cast.network):
        recipients = vacancy_alert_recipient_ids_by_network([cast.network.pk])
    assert recipients[cast.network.pk] == {cast.facilitator.pk}

    cast.give(interlocutor_receives_vacancy_alerts=True)

    with network_scope(cast.network):
        recipients = vacancy_alert_recipient_ids_by_network([cast.network.pk])
    assert recipients[cast.network.pk] == {cast.facilitator.pk} | people


# Who sets the powers ----------------------------------------------------------------


def test_only_who_runs_the_network_sets_the_powers_and_it_is_kept_in_the_history(cast):
    with pytest.raises(DomainError):
        set_interlocutor_powers(
            network=cast.network, by=cast.person, interlocutor_reviews_applications=True
        )
    assert Network.objects.get(pk=cast.network.pk).interlocutor_reviews_applications is False

    cast.give(interlocutor_reviews_applications=True)

    assert Network.objects.get(pk=cast.network.pk).interlocutor_reviews_applications is True
    assert HistoryEntry.objects.filter(
        network=cast.network, action="network.interlocutor_powers"
    ).exists()


def test_the_governance_page_sets_the_powers(client, cast):
    client.force_login(cast.facilitator)
    address = reverse("decisions:governance", kwargs={"network_slug": cast.network.slug})
    form = client.get(address, secure=True)
    assert "interlocutor_reviews_applications" in form.content.decode()

    response = client.post(
        address,
        {
            "rule": "consent_then_vote",
            "threshold_numerator": 3,
            "threshold_denominator": 4,
            "interlocutor_reviews_applications": "on",
            "interlocutor_sees_activity": "on",
        },
        secure=True,
    )

    assert response.status_code == 302
    network = Network.objects.get(pk=cast.network.pk)
    assert network.interlocutor_reviews_applications is True
    assert network.interlocutor_sees_activity is True
    # Unticked boxes take the power away.
    assert network.interlocutor_convenes_plenaries is False


# The public page and the entity's voice --------------------------------------------


def test_the_public_page_names_the_interlocutor_and_its_term(client, cast):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(
        reverse("networks:detail", kwargs={"network_slug": cast.network.slug}), secure=True
    )
    text = page.content.decode()
    assert "Regional interlocutor" in text
    assert cast.entity.name in text
    assert "since" in text


def test_the_interlocutor_votes_through_its_entity_but_the_facilitator_does_not(cast):
    cast.give(interlocutor_reviews_applications=True, interlocutor_sees_activity=True)
    proposal = decisions.table_proposal(
        network=cast.network,
        entity=cast.member.entity,
        by=cast.member.representative,
        title="Adoptar el código de ética",
        text="La red adopta el código de ética propuesto.",
        closes_at=timezone.now() + timedelta(hours=48),
    )
    decisions.take_position(
        proposal=proposal,
        entity=cast.member.entity,
        stance=Stance.OBJECT,
        note="Falta un plazo.",
        by=cast.member.representative,
    )
    decisions.open_vote(
        proposal=proposal, by=cast.facilitator, closes_at=timezone.now() + timedelta(hours=24)
    )

    decisions.cast_vote(proposal=proposal, entity=cast.entity, choice="yes", by=cast.person)
    with pytest.raises(DomainError, match="neutral"):
        decisions.cast_vote(proposal=proposal, entity=cast.entity, choice="no", by=cast.facilitator)

    with all_networks():
        (vote,) = Vote.objects.filter(proposal=proposal)
    assert (vote.entity_id, vote.choice) == (cast.entity.pk, "yes")
