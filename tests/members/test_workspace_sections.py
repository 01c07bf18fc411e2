""" "My network": each entity's events, commissions and proposals waiting for its position.

Members lists them without importing the apps that hold them: commissions,
events and decisions each register their part (`members.workspace_sections`).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from commissions.models import CommissionState
from core.actors import SYSTEM
from decisions import services as decisions
from events.models import EventKind, EventStatus, RegistrationStatus, Visibility
from members.models import MembershipStatus
from members.services import change_membership_status
from networks.models import NetworkKind
from networks.scoping import all_networks
from tests import factories
from tests.events.factories import EventFactory, RegistrationFactory


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def member(network):
    return factories.MembershipFactory(network=network, entity__name="Colectivo Misti Verde")


def my_network(client, person):
    client.force_login(person)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return response.content.decode()


def ics_of(event):
    return reverse("events:ics", args=[event.network.slug, event.pk])


# Events


def test_the_events_an_entity_registered_for_are_listed_with_their_calendar_entry(
    client, network, member
):
    later = timezone.now() + timedelta(days=5)
    coming = EventFactory(network=network, title="Plenaria de diciembre", starts_at=later)
    RegistrationFactory(event=coming, entity=member.entity, people=2)
    past = EventFactory(
        network=network, title="Plenaria de junio", starts_at=timezone.now() - timedelta(days=30)
    )
    RegistrationFactory(event=past, entity=member.entity)
    given_up = EventFactory(network=network, title="Taller dejado", starts_at=later)
    RegistrationFactory(event=given_up, entity=member.entity, status=RegistrationStatus.CANCELLED)
    someone_elses = EventFactory(network=network, title="Taller ajeno", starts_at=later)
    RegistrationFactory(event=someone_elses, entity=factories.EntityFactory())

    body = my_network(client, member.representative)

    assert coming.get_absolute_url() in body
    assert ics_of(coming) in body
    assert reverse("calendar:mine") in body
    for other in (past, given_up):
        assert ics_of(other) not in body
    # Someone else's event is open to register for, never listed as registered.
    assert ics_of(someone_elses) not in body


def test_a_cancelled_event_stays_listed_as_cancelled(client, network, member):
    event = EventFactory(network=network, title="Plenaria suspendida")
    RegistrationFactory(event=event, entity=member.entity)
    with all_networks():
        event.status = EventStatus.CANCELLED
        event.save()

    body = my_network(client, member.alternate)

    assert event.get_absolute_url() in body
    assert "Cancelled" in body


def test_an_announced_event_is_offered_until_the_entity_registers(client, network, member):
    event = EventFactory(network=network, title="Plenaria de diciembre", kind=EventKind.PLENARY)
    draft = EventFactory(network=network, title="Borrador", status=EventStatus.DRAFT)
    closed = EventFactory(
        network=network,
        title="Inscripción cerrada",
        registration_closes_at=timezone.now() - timedelta(hours=1),
    )

    body = my_network(client, member.representative)

    assert "Open for registration" in body
    assert event.get_absolute_url() in body
    assert ics_of(event) not in body
    for other in (draft, closed):
        assert other.get_absolute_url() not in body

    RegistrationFactory(event=event, entity=member.entity)
    body = my_network(client, member.representative)

    assert ics_of(event) in body
    assert "Open for registration" not in body


def test_a_commission_meeting_is_offered_only_to_the_commissions_members(client, network, member):
    commission = factories.CommissionFactory(network=network)
    meeting = EventFactory(
        network=network,
        kind=EventKind.COMMISSION_MEETING,
        commission=commission,
        visibility=Visibility.MEMBERS,
    )
    outsider = factories.MembershipFactory(network=network)
    factories.CommissionMemberFactory(commission=commission, entity=member.entity)

    assert meeting.get_absolute_url() in my_network(client, member.representative)
    assert meeting.get_absolute_url() not in my_network(client, outsider.representative)


def test_another_networks_events_and_a_suspended_member_are_not_offered(
    client, network, other_network, member
):
    elsewhere = EventFactory(network=other_network, title="Plenaria del Cusco")
    here = EventFactory(network=network, title="Plenaria de Arequipa")

    assert elsewhere.get_absolute_url() not in my_network(client, member.representative)

    change_membership_status(membership=member, status="suspended", reason="Pausa", by=SYSTEM)

    assert here.get_absolute_url() not in my_network(client, member.representative)


# Commissions


def test_the_workspace_says_which_commissions_the_entity_promotes(client, network, member):
    promoted = factories.CommissionFactory(network=network, name="Comisión de Juventudes")
    joined = factories.CommissionFactory(network=network, name="Comisión de Salud")
    for commission in (promoted, joined):
        factories.CommissionMemberFactory(commission=commission, entity=member.entity)
    factories.PromoterTermFactory(commission=promoted, entity=member.entity)
    factories.PromoterTermFactory(commission=joined, entity=member.entity, ended_at=timezone.now())

    body = my_network(client, member.representative)

    rows = {
        name: body[body.index(name) : body.index("</li>", body.index(name))]
        for name in ("Comisión de Juventudes", "Comisión de Salud")
    }
    assert "promotes" in rows["Comisión de Juventudes"]
    assert "promotes" not in rows["Comisión de Salud"]
    assert "member" in rows["Comisión de Salud"]


def test_a_vacant_commission_waits_for_its_members(client, network, member):
    commission = factories.CommissionFactory(
        network=network,
        name="Comisión sin promotor",
        state=CommissionState.VACANT,
        vacant_since=timezone.now(),
    )
    factories.CommissionMemberFactory(commission=commission, entity=member.entity)

    body = my_network(client, member.representative)

    assert "Nothing waits for you right now." not in body
    assert "has no promoter" in body


# Proposals waiting for the entity's position


def table(network, membership, **fields):
    return decisions.table_proposal(
        network=network,
        entity=membership.entity,
        by=membership.representative,
        title=fields.pop("title", "Adoptar el código de ética"),
        text="La red adopta el código de ética.",
        closes_at=timezone.now() + timedelta(days=2),
        **fields,
    )


def test_an_open_proposal_waits_for_the_entitys_position_until_it_takes_one(
    client, network, member
):
    proposer = factories.MembershipFactory(network=network)
    proposal = table(network, proposer)
    url = proposal.get_absolute_url()

    body = my_network(client, member.representative)
    assert "To decide" in body
    assert url in body
    assert "waits for the position of Colectivo Misti Verde" in body

    decisions.take_position(
        proposal=proposal, entity=member.entity, stance="agree", by=member.alternate
    )

    body = my_network(client, member.representative)
    assert url not in body
    assert "Nothing waits for you right now." in body


def test_a_position_taken_before_an_amendment_waits_again(client, network, member):
    proposer = factories.MembershipFactory(network=network)
    proposal = table(network, proposer)
    decisions.take_position(
        proposal=proposal, entity=member.entity, stance="agree", by=member.representative
    )
    decisions.amend_proposal(
        proposal=proposal, by=proposer.representative, text="La red adopta el código revisado."
    )

    assert proposal.get_absolute_url() in my_network(client, member.representative)


def test_a_commissions_proposal_waits_only_for_the_entities_sitting_in_it(client, network, member):
    commission = factories.CommissionFactory(network=network)
    proposer = factories.MembershipFactory(network=network)
    for membership in (proposer, member):
        factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    proposal = table(network, proposer, commission=commission, title="Plan de la comisión")
    outsider = factories.MembershipFactory(network=network)

    assert proposal.get_absolute_url() in my_network(client, member.representative)
    assert proposal.get_absolute_url() not in my_network(client, outsider.representative)


def test_a_facilitator_and_another_networks_member_have_nothing_to_decide(
    client, network, other_network, member
):
    proposal = table(network, member)
    facilitator = factories.FacilitatorFactory(network=network).user
    elsewhere = factories.MembershipFactory(network=other_network)

    assert proposal.get_absolute_url() not in my_network(client, facilitator)
    assert proposal.get_absolute_url() not in my_network(client, elsewhere.representative)


def test_an_entity_that_left_shows_nothing_of_the_network(client, network, member):
    commission = factories.CommissionFactory(network=network, name="Comisión de Salud")
    factories.CommissionMemberFactory(commission=commission, entity=member.entity)
    event = EventFactory(network=network, title="Plenaria de diciembre")
    RegistrationFactory(event=event, entity=member.entity)
    proposal = table(network, factories.MembershipFactory(network=network))
    change_membership_status(membership=member, status="left", reason="Cierre", by=SYSTEM)

    body = my_network(client, member.representative)

    assert member.entity.name in body
    assert str(MembershipStatus.LEFT.label) in body
    for url in (event.get_absolute_url(), proposal.get_absolute_url()):
        assert url not in body
    assert "Comisión de Salud" not in body


# The national network, in reach of its regions' members


def test_a_regional_member_sees_the_national_events_and_commissions_not_a_sibling_regions(
    client, network, member
):
    national = factories.NetworkFactory(name="Red Nacional", kind=NetworkKind.NATIONAL)
    with all_networks():
        network.parent = national
        network.save()
    sibling = factories.NetworkFactory(name="Red de Piura", parent=national)
    congress = EventFactory(network=national, title="Congreso nacional")
    registered = EventFactory(network=national, title="Encuentro nacional")
    RegistrationFactory(event=registered, entity=member.entity)
    in_piura = EventFactory(network=sibling, title="Plenaria de Piura")
    commission = factories.CommissionFactory(network=national, name="Comisión Nacional de Jóvenes")
    factories.CommissionMemberFactory(commission=commission, entity=member.entity)

    body = my_network(client, member.representative)

    assert congress.get_absolute_url() in body
    assert ics_of(registered) in body
    assert "Comisión Nacional de Jóvenes" in body
    assert in_piura.get_absolute_url() not in body
