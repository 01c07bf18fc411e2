"""Deciding in the plenary's room and on schedule: positions the organiser records, the
outcome carried into the minutes, reminders to those still silent, the review date."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.actors import SYSTEM
from core.errors import DomainError
from decisions import lifecycle, services
from decisions.models import Position, ProposalState, Stance, Vote
from events.models import Decision, Minutes
from members.models import Notification
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.decisions.test_services import close
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def plenary(assembly):
    """A plenary under way, organised by the first entity."""
    with all_networks():
        event = EventFactory(
            network=assembly.network,
            title="Plenaria de diciembre",
            starts_at=timezone.now() - timedelta(hours=1),
        )
        event.organiser_rows.create(network=assembly.network, entity=assembly.entities[0])
    return event


def test_the_organiser_records_positions_stated_in_the_room_beside_online_ones(assembly, plenary):
    proposal = assembly.table(1, event=plenary)
    assembly.position(proposal, 2, Stance.AGREE)
    recorded = services.record_position_in_plenary(
        proposal=proposal,
        entity=assembly.entities[3],
        stance=Stance.STAND_ASIDE,
        note="No es nuestro tema.",
        by=assembly.rep(0),
    )

    assert recorded.recorded_in_plenary_by == assembly.rep(0)
    assert recorded.taken_by is None
    # What the entity says online afterwards replaces what was recorded in the room.
    assembly.position(proposal, 3, Stance.AGREE)
    closed = close(proposal)
    assert closed.state == ProposalState.ADOPTED
    assert (closed.agree_count, closed.stand_aside_count) == (2, 0)


def test_only_the_plenarys_organisers_record_in_it_and_never_the_facilitator(assembly, plenary):
    proposal = assembly.table(1, event=plenary)
    for person, message in (
        (assembly.rep(2), "Only the organisers"),
        (assembly.facilitator, "neutral"),
    ):
        with pytest.raises(DomainError, match=message):
            services.record_position_in_plenary(
                proposal=proposal, entity=assembly.entities[3], stance=Stance.AGREE, by=person
            )
    with all_networks():
        assert not Position.objects.exists()


def test_nothing_is_recorded_in_a_plenary_that_has_not_begun(assembly, plenary):
    with all_networks():
        plenary.starts_at = timezone.now() + timedelta(hours=2)
        plenary.ends_at = plenary.starts_at + timedelta(hours=3)
        plenary.save(update_fields=["starts_at", "ends_at"])
    proposal = assembly.table(1, event=plenary)
    with pytest.raises(DomainError, match="has not begun"):
        services.record_position_in_plenary(
            proposal=proposal, entity=assembly.entities[3], stance=Stance.AGREE, by=assembly.rep(0)
        )
    with all_networks():
        assert not Position.objects.exists()


def test_a_proposal_on_no_agenda_has_no_plenary_to_record_in_even_for_a_site_admin(assembly):
    # A site admin holds every permission, the plenary's too, and the system passes every
    # check: neither finds an event where the proposal was never put on one.
    proposal = assembly.table(1)
    site_admin = factories.UserFactory(is_staff=True, is_superuser=True)
    for person in (site_admin, SYSTEM):
        with pytest.raises(DomainError, match="on no event's agenda"):
            services.record_position_in_plenary(
                proposal=proposal, entity=assembly.entities[3], stance=Stance.AGREE, by=person
            )
    with all_networks():
        assert not Position.objects.exists()


def test_a_vote_is_recorded_in_the_plenary_and_counted(assembly, plenary):
    proposal = assembly.table(1, event=plenary)
    assembly.position(proposal, 2, Stance.OBJECT, "Falta un plazo.")
    services.open_vote(
        proposal=proposal, by=assembly.facilitator, closes_at=timezone.now() + timedelta(hours=2)
    )
    for index, choice in ((1, "yes"), (3, "yes"), (4, "yes"), (2, "no")):
        services.record_vote_in_plenary(
            proposal=proposal, entity=assembly.entities[index], choice=choice, by=assembly.rep(0)
        )
    with all_networks():
        assert Vote.objects.filter(recorded_in_plenary_by=assembly.rep(0)).count() == 4

    closed = close(proposal, hours=3)
    assert closed.state == ProposalState.ADOPTED
    assert (closed.yes_count, closed.no_count) == (3, 1)


def test_an_adopted_proposal_becomes_a_decision_of_the_minutes_once(assembly, plenary):
    commission = factories.CommissionFactory(network=assembly.network)
    proposal = assembly.table(1, event=plenary)
    with pytest.raises(DomainError, match="Only an adopted proposal"):
        services.carry_into_minutes(proposal=proposal, by=assembly.facilitator)
    close(proposal)
    with pytest.raises(DomainError, match="summary first"):
        services.carry_into_minutes(proposal=proposal, by=assembly.facilitator)
    with all_networks():
        Minutes.objects.create(network=assembly.network, event=plenary, summary="Se decidió.")
    with pytest.raises(DomainError, match="Only those who run the event"):
        services.carry_into_minutes(proposal=proposal, by=assembly.rep(2))

    decision = services.carry_into_minutes(
        proposal=proposal,
        by=assembly.facilitator,
        commission=commission,
        follow_up="Reservar la plaza",
    )

    assert decision.commission == commission and decision.follow_up == "Reservar la plaza"
    assert decision.text.startswith(proposal.title)
    with pytest.raises(DomainError, match="already a decision"):
        services.carry_into_minutes(proposal=proposal, by=assembly.facilitator)
    with all_networks():
        assert Decision.objects.count() == 1


def test_the_closing_reminder_goes_once_and_only_to_entities_still_silent(assembly):
    proposal = assembly.table(hours=30)
    assembly.position(proposal, 1, Stance.AGREE)
    assembly.position(proposal, 2, Stance.OBJECT, "Falta un plazo.")
    with network_scope(assembly.network):
        # More than a day ahead: nobody is reminded yet.
        assert lifecycle.remind_closing_soon() == 0
        with time_machine.travel(timezone.now() + timedelta(hours=7), tick=False):
            first = lifecycle.remind_closing_soon()
            again = lifecycle.remind_closing_soon()

    with all_networks():
        told = set(
            Notification.objects.filter(kind="proposal.closing_soon").values_list(
                "recipient_id", flat=True
            )
        )
    silent = {assembly.rep(i).pk for i in (0, 3, 4)} | {assembly.alternate(i).pk for i in (0, 3, 4)}
    assert told == silent
    assert (first, again) == (len(silent), 0)


def test_the_review_reminder_goes_to_the_proposer_when_it_falls_due(assembly):
    proposal = close(assembly.table())
    with pytest.raises(DomainError, match="facilitator or the proposer"):
        services.set_review_date(
            proposal=proposal,
            by=assembly.rep(1),
            review_on=timezone.localdate() + timedelta(days=10),
        )
    services.set_review_date(
        proposal=proposal, by=assembly.rep(0), review_on=timezone.localdate() + timedelta(days=10)
    )
    with network_scope(assembly.network):
        assert lifecycle.remind_reviews() == 0
        with time_machine.travel(timezone.now() + timedelta(days=11), tick=False):
            assert lifecycle.remind_reviews() == 2
            assert lifecycle.remind_reviews() == 0
    with all_networks():
        told = set(
            Notification.objects.filter(kind="proposal.review_due").values_list(
                "recipient_id", flat=True
            )
        )
    assert told == {assembly.rep(0).pk, assembly.alternate(0).pk}


def test_a_review_date_waits_for_the_outcome(assembly):
    proposal = assembly.table()
    with pytest.raises(DomainError, match="once the proposal is decided"):
        services.set_review_date(
            proposal=proposal, by=assembly.rep(0), review_on=timezone.localdate()
        )


def test_a_withdrawn_proposal_takes_no_positions_and_is_not_decided(assembly):
    proposal = assembly.table()
    with pytest.raises(DomainError):
        services.withdraw_proposal(proposal=proposal, by=assembly.facilitator)
    services.withdraw_proposal(proposal=proposal, by=assembly.rep(0))
    with pytest.raises(DomainError, match="not open"):
        assembly.position(proposal, 1, Stance.AGREE)

    closed = close(proposal)
    assert closed.state == ProposalState.WITHDRAWN
    assert closed.decided_at is None
