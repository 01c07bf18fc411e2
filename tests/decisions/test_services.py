"""Deciding at the edges: consent, objections, the three-quarters vote, the quorum, one voice.

Each test tells one rule of the governance models (network manual, step 2) or
of the principles (4.1 d.3, 4.2 a) and the bad input that must change nothing.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.errors import DomainError
from decisions import lifecycle, services
from decisions.models import (
    DecidedBy,
    DecisionRule,
    Position,
    Proposal,
    ProposalState,
    Stance,
    Vote,
)
from decisions.outcome import meets_quorum, meets_threshold
from members.models import Notification
from networks.models import HistoryEntry
from networks.scoping import all_networks, network_scope
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def close(proposal, *, hours=49):
    """Let the window pass and run the closing job, as beat would."""
    with (
        time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False),
        network_scope(proposal.network),
    ):
        lifecycle.close_due_proposals()
    proposal.refresh_from_db()
    return proposal


def vote_on(assembly, proposal, choices):
    """Object, put to the vote, and cast `choices` (entity index -> choice)."""
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo de consulta.")
    services.open_vote(
        proposal=proposal, by=assembly.facilitator, closes_at=timezone.now() + timedelta(hours=24)
    )
    for index, choice in choices.items():
        assembly.vote(proposal, index, choice)
    with (
        time_machine.travel(timezone.now() + timedelta(hours=25), tick=False),
        network_scope(proposal.network),
    ):
        lifecycle.close_due_proposals()
    proposal.refresh_from_db()
    return proposal


def test_no_objection_adopts_by_consent(assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.AGREE)
    assembly.position(proposal, 2, Stance.STAND_ASIDE, "No es nuestro tema.")

    close(proposal)

    assert proposal.state == ProposalState.ADOPTED
    assert proposal.decided_by == DecidedBy.CONSENT
    assert (proposal.agree_count, proposal.stand_aside_count, proposal.object_count) == (1, 1, 0)


def test_one_standing_objection_is_not_adopted_until_voted(assembly):
    proposal = assembly.table()
    for index in (0, 2, 3, 4):
        assembly.position(proposal, index, Stance.AGREE)
    assembly.position(proposal, 1, Stance.OBJECT, "Que incluya a las redes juveniles.")

    close(proposal)

    assert proposal.state == ProposalState.OBJECTED
    assert proposal.decided_at is None
    assert proposal.object_count == 1


def test_under_consent_only_a_standing_objection_is_not_adopted_and_cannot_be_voted(assembly):
    services.update_governance(
        network=assembly.network, by=assembly.facilitator, rule=DecisionRule.CONSENT_ONLY
    )
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.OBJECT, "Que incluya a las redes juveniles.")
    with pytest.raises(DomainError, match="resolved, not voted"):
        services.open_vote(
            proposal=proposal,
            by=assembly.facilitator,
            closes_at=timezone.now() + timedelta(hours=24),
        )

    close(proposal)

    assert proposal.state == ProposalState.NOT_ADOPTED
    assert proposal.decided_by == DecidedBy.CONSENT


def test_a_withdrawn_objection_no_longer_stands(assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo.")
    assembly.position(proposal, 1, Stance.AGREE)

    close(proposal)

    assert proposal.state == ProposalState.ADOPTED
    with all_networks():
        assert Position.objects.filter(proposal=proposal).count() == 2


def test_three_yes_one_no_adopts(assembly):
    proposal = vote_on(assembly, assembly.table(), {0: "yes", 2: "yes", 3: "yes", 1: "no"})

    assert proposal.state == ProposalState.ADOPTED
    assert proposal.decided_by == DecidedBy.VOTE
    assert (proposal.yes_count, proposal.no_count, proposal.abstain_count) == (3, 1, 0)


def test_two_yes_one_no_does_not_adopt(assembly):
    proposal = vote_on(assembly, assembly.table(), {0: "yes", 2: "yes", 1: "no"})

    assert proposal.state == ProposalState.NOT_ADOPTED
    assert proposal.decided_by == DecidedBy.VOTE


def test_abstentions_count_toward_the_quorum_not_the_threshold(assembly):
    # Five entities, a quorum of 60 %: three must take part. One yes, two abstain.
    services.update_governance(network=assembly.network, by=assembly.facilitator, quorum_percent=60)
    proposal = vote_on(assembly, assembly.table(), {0: "yes", 2: "abstain", 3: "abstain"})

    assert proposal.quorum_met is True
    assert proposal.state == ProposalState.ADOPTED
    assert (proposal.yes_count, proposal.no_count, proposal.abstain_count) == (1, 0, 3 - 1)


def test_abstentions_do_not_dilute_the_three_quarters(assembly):
    # 3 yes, 1 no, 1 abstain: 3 of the 4 who said yes or no. Counted against, it would be 3/5.
    proposal = vote_on(
        assembly, assembly.table(), {0: "yes", 2: "yes", 3: "yes", 1: "no", 4: "abstain"}
    )

    assert proposal.state == ProposalState.ADOPTED
    assert (proposal.yes_count, proposal.no_count, proposal.abstain_count) == (3, 1, 1)


def test_a_quorum_not_met_does_not_adopt(assembly):
    services.update_governance(network=assembly.network, by=assembly.facilitator, quorum_percent=60)
    proposal = vote_on(assembly, assembly.table(), {0: "yes", 2: "yes"})

    assert proposal.quorum_met is False
    assert proposal.state == ProposalState.NOT_ADOPTED


def test_the_arithmetic_at_its_edges():
    assert meets_threshold(yes=3, no=1, numerator=3, denominator=4)
    assert not meets_threshold(yes=2, no=1, numerator=3, denominator=4)
    assert not meets_threshold(yes=0, no=0, numerator=3, denominator=4)
    assert meets_threshold(yes=4, no=1, numerator=3, denominator=4)  # 80 %
    assert meets_quorum(taking_part=3, eligible=5, quorum_percent=60)
    assert not meets_quorum(taking_part=2, eligible=5, quorum_percent=60)
    assert meets_quorum(taking_part=0, eligible=5, quorum_percent=None)


def test_a_late_position_after_closing_is_refused(assembly):
    proposal = assembly.table()
    later = timezone.now() + timedelta(hours=49)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError, match="not open"):
        assembly.position(proposal, 1, Stance.OBJECT, "Tarde.")
    close(proposal)
    with pytest.raises(DomainError, match="not open"):
        assembly.position(proposal, 1, Stance.AGREE)
    assert proposal.state == ProposalState.ADOPTED
    with all_networks():
        assert not Position.objects.filter(proposal=proposal).exists()


def test_a_late_vote_after_the_vote_closed_is_refused(assembly):
    proposal = vote_on(assembly, assembly.table(), {0: "yes"})
    with pytest.raises(DomainError, match="not being voted"):
        assembly.vote(proposal, 2, "yes")
    with all_networks():
        assert Vote.objects.filter(proposal=proposal).count() == 1


def test_representative_then_alternate_make_one_position_both_recorded(assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo.", by=assembly.rep(1))
    assembly.position(proposal, 1, Stance.AGREE, by=assembly.alternate(1))

    with all_networks():
        rows = list(Position.objects.filter(proposal=proposal).order_by("id"))
    assert len(rows) == 2
    assert rows[0].superseded_at is not None and rows[1].superseded_at is None
    assert (rows[0].taken_by, rows[1].taken_by) == (assembly.rep(1), assembly.alternate(1))
    assert close(proposal).agree_count == 1


def test_representative_then_alternate_make_one_vote(assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo.")
    services.open_vote(
        proposal=proposal, by=assembly.rep(0), closes_at=timezone.now() + timedelta(hours=24)
    )
    assembly.vote(proposal, 2, "no")
    services.cast_vote(
        proposal=proposal, entity=assembly.entities[2], choice="yes", by=assembly.alternate(2)
    )
    with all_networks():
        assert Vote.objects.filter(proposal=proposal).count() == 2
        assert Vote.objects.filter(proposal=proposal, superseded_at__isnull=True).count() == 1


def test_the_facilitator_is_refused_a_position_and_a_vote_even_as_an_alternate(assembly):
    # Data that should never exist: the facilitator recorded as an entity's alternate.
    with all_networks():
        membership = assembly.memberships[2]
        membership.alternate = assembly.facilitator
        membership.save()
    proposal = assembly.table()
    with pytest.raises(DomainError, match="neutral"):
        assembly.position(proposal, 2, Stance.OBJECT, "x", by=assembly.facilitator)
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo.")
    services.open_vote(
        proposal=proposal, by=assembly.facilitator, closes_at=timezone.now() + timedelta(hours=2)
    )
    with pytest.raises(DomainError, match="neutral"):
        services.cast_vote(
            proposal=proposal, entity=assembly.entities[2], choice="yes", by=assembly.facilitator
        )
    with pytest.raises(DomainError, match="neutral"):
        services.table_proposal(
            network=assembly.network,
            entity=assembly.entities[2],
            by=assembly.facilitator,
            title="Otra",
            text="Otra",
            closes_at=timezone.now() + timedelta(hours=5),
        )
    with all_networks():
        assert not Position.objects.filter(entity=assembly.entities[2]).exists()
        assert not Vote.objects.exists()


def test_someone_who_does_not_act_for_the_entity_is_refused(assembly):
    proposal = assembly.table()
    with pytest.raises(DomainError, match="do not act for"):
        assembly.position(proposal, 1, Stance.AGREE, by=assembly.rep(2))


def test_settings_changed_after_opening_do_not_change_an_open_proposal(assembly):
    proposal = assembly.table()
    services.update_governance(
        network=assembly.network,
        by=assembly.facilitator,
        rule=DecisionRule.CONSENT_ONLY,
        threshold_numerator=2,
        threshold_denominator=3,
        quorum_percent=100,
        min_membership_days=365,
    )
    proposal.refresh_from_db()
    assert proposal.rule == DecisionRule.CONSENT_THEN_VOTE
    assert (proposal.threshold_numerator, proposal.threshold_denominator) == (3, 4)
    assert proposal.quorum_percent is None and proposal.min_membership_days is None

    # Still votable, by the rules it opened with; and the newcomer bar does not apply.
    adopted = vote_on(assembly, proposal, {0: "yes", 2: "yes", 3: "yes", 1: "no"})
    assert adopted.state == ProposalState.ADOPTED


def test_a_proposal_opening_later_takes_the_rules_of_its_opening_day(assembly):
    proposal = services.table_proposal(
        network=assembly.network,
        entity=assembly.entities[0],
        by=assembly.rep(0),
        title="Más tarde",
        text="Texto",
        opens_at=timezone.now() + timedelta(hours=2),
        closes_at=timezone.now() + timedelta(hours=50),
    )
    assert proposal.state == ProposalState.DRAFT
    services.update_governance(network=assembly.network, by=assembly.facilitator, quorum_percent=50)
    with (
        time_machine.travel(timezone.now() + timedelta(hours=3), tick=False),
        network_scope(assembly.network),
    ):
        assert lifecycle.open_due_proposals() == 1
        assert lifecycle.open_due_proposals() == 0
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.OPEN
    assert proposal.quorum_percent == 50


def test_an_objection_needs_a_reason(assembly):
    proposal = assembly.table()
    with pytest.raises(DomainError, match="needs a reason"):
        assembly.position(proposal, 1, Stance.OBJECT, "   ")
    with pytest.raises(DomainError, match="agree, stand aside or object"):
        assembly.position(proposal, 1, "maybe")
    with all_networks():
        assert not Position.objects.exists()


def test_a_newcomer_may_be_barred_by_the_days_of_membership(assembly):
    services.update_governance(
        network=assembly.network, by=assembly.facilitator, min_membership_days=30
    )
    with all_networks():
        for index, membership in enumerate(assembly.memberships):
            membership.joined_at = timezone.now() - timedelta(days=2 if index == 4 else 90)
            membership.save()
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.AGREE)
    with pytest.raises(DomainError, match="less than 30 days"):
        assembly.position(proposal, 4, Stance.AGREE)
    assert close(proposal).eligible_count == 4


def test_an_entity_of_another_network_is_refused(assembly, other_network):
    stranger = factories.MembershipFactory(network=other_network)
    proposal = assembly.table()
    with pytest.raises(DomainError):
        services.take_position(
            proposal=proposal, entity=stranger.entity, stance="agree", by=stranger.representative
        )


def test_amending_flags_earlier_positions_and_tells_those_entities(assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo.")
    assembly.position(proposal, 2, Stance.AGREE)
    services.amend_proposal(
        proposal=proposal, by=assembly.rep(0), text="Con un plazo de consulta de 30 días."
    )

    proposal.refresh_from_db()
    assert proposal.text == "Con un plazo de consulta de 30 días."
    with all_networks():
        assert set(
            Position.objects.filter(needs_review=True).values_list("entity_id", flat=True)
        ) == {assembly.entities[1].pk, assembly.entities[2].pk}
        told = set(
            Notification.objects.filter(kind="proposal.amended").values_list(
                "recipient_id", flat=True
            )
        )
    expected = {assembly.rep(1).pk, assembly.alternate(1).pk, assembly.rep(2).pk}
    expected |= {assembly.alternate(2).pk}
    assert told == expected
    # A position taken after the amendment is not flagged.
    assembly.position(proposal, 1, Stance.AGREE)
    with all_networks():
        assert not Position.objects.get(
            entity=assembly.entities[1], superseded_at__isnull=True
        ).needs_review


def test_only_the_proposer_amends(assembly):
    proposal = assembly.table()
    with pytest.raises(DomainError, match="do not act for"):
        services.amend_proposal(proposal=proposal, by=assembly.rep(1), text="Otro texto")
    with pytest.raises(DomainError):
        services.amend_proposal(proposal=proposal, by=assembly.facilitator, text="Otro texto")
    proposal.refresh_from_db()
    assert proposal.text == "La red adopta el código de ética propuesto."


def test_a_vote_needs_a_standing_objection_and_the_right_person(assembly):
    proposal = assembly.table()
    closes_at = timezone.now() + timedelta(hours=24)
    with pytest.raises(DomainError, match="No objection stands"):
        services.open_vote(proposal=proposal, by=assembly.facilitator, closes_at=closes_at)
    assembly.position(proposal, 1, Stance.OBJECT, "Falta un plazo.")
    with pytest.raises(DomainError, match="facilitator or the proposer"):
        services.open_vote(proposal=proposal, by=assembly.rep(2), closes_at=closes_at)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.OPEN


def test_closing_twice_computes_the_outcome_once(assembly):
    proposal = assembly.table()
    close(proposal)
    close(proposal, hours=50)
    with all_networks():
        assert HistoryEntry.objects.filter(action="proposal.decided").count() == 1


def test_a_commission_proposal_is_decided_by_the_commission_members(assembly):
    commission = factories.CommissionFactory(network=assembly.network)
    for index in (0, 1):
        factories.CommissionMemberFactory(commission=commission, entity=assembly.entities[index])
    proposal = assembly.table(commission=commission)
    with pytest.raises(DomainError, match="does not sit in this commission"):
        assembly.position(proposal, 2, Stance.AGREE)
    assembly.position(proposal, 1, Stance.AGREE)
    assert close(proposal).eligible_count == 2
    with pytest.raises(DomainError, match="sitting in the commission"):
        assembly.table(3, commission=commission)


def test_tabling_refuses_bad_input_and_changes_nothing(assembly):
    with pytest.raises(DomainError, match="title and a text"):
        assembly.table(title="  ", text="x")
    with pytest.raises(DomainError, match="close after it opens"):
        assembly.table(hours=-1)
    with all_networks():
        assert not Proposal.objects.exists()
