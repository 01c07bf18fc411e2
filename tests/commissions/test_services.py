from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from commissions import services
from commissions.models import (
    ActionStatus,
    ClosingReason,
    ClosingSheet,
    Commission,
    CommissionState,
    PromoterTerm,
    StateChange,
)
from members.models import MembershipStatus, Notification
from members.services import change_membership_status
from networks.actors import SYSTEM
from networks.errors import DomainError
from networks.scoping import all_networks
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def states(commission):
    with all_networks():
        return list(
            StateChange.objects.filter(commission=commission)
            .order_by("at", "id")
            .values_list("from_state", "to_state", "reason")
        )


def test_proposing_entity_becomes_first_promoter_and_member(cast):
    proposer = cast.entities[0]
    commission = services.propose_commission(
        network=cast.network, entity=proposer, name="Medio Ambiente", purpose="Feria ambiental"
    )
    with all_networks():
        assert list(commission.promoter_terms.values_list("entity", flat=True)) == [proposer.pk]
        assert list(commission.memberships.values_list("entity", flat=True)) == [proposer.pk]
    assert commission.state == CommissionState.ACTIVE
    assert commission.stalls_at == commission.last_activity_at + timedelta(days=60)
    assert states(commission) == [("", "active", "proposed")]


def test_only_active_members_may_propose(cast):
    outsider = factories.EntityFactory()
    with pytest.raises(DomainError, match="not an active member"):
        services.propose_commission(network=cast.network, entity=outsider, name="Juventud")
    change_membership_status(
        membership=cast.memberships[1],
        status=MembershipStatus.SUSPENDED,
        reason="Inactiva",
        by=SYSTEM,
    )
    with pytest.raises(DomainError):
        services.propose_commission(network=cast.network, entity=cast.entities[1], name="Juventud")
    with all_networks():
        assert not Commission.objects.exists()


def test_duplicate_commission_name_is_refused(cast):
    services.propose_commission(network=cast.network, entity=cast.entities[0], name="Juventud")
    with pytest.raises(DomainError, match="already has a commission"):
        services.propose_commission(network=cast.network, entity=cast.entities[1], name="juventud")


def test_no_entity_holds_more_promoter_terms_than_the_network_allows(cast):
    cast.network.max_promoter_terms = 2
    cast.network.save()
    entity = cast.entities[0]
    first = services.propose_commission(network=cast.network, entity=entity, name="Uno")
    services.propose_commission(network=cast.network, entity=entity, name="Dos")
    third = services.propose_commission(network=cast.network, entity=cast.entities[1], name="Tres")
    with pytest.raises(DomainError, match="monopolising"):
        services.step_up_as_promoter(commission=third, entity=entity)
    with pytest.raises(DomainError, match="monopolising"):
        services.propose_commission(network=cast.network, entity=entity, name="Cuatro")
    with all_networks():
        term = PromoterTerm.objects.get(commission=first, entity=entity)
    services.step_down_as_promoter(term=term, reason="Rotamos el rol")
    services.step_up_as_promoter(commission=third, entity=entity)
    with all_networks():
        assert PromoterTerm.objects.filter(entity=entity, ended_at__isnull=True).count() == 2


def test_the_same_entity_cannot_promote_a_commission_twice(cast):
    commission = services.propose_commission(
        network=cast.network, entity=cast.entities[0], name="X"
    )
    with pytest.raises(DomainError, match="already promotes"):
        services.step_up_as_promoter(commission=commission, entity=cast.entities[0])


def test_stepping_down_needs_a_reason_and_changes_nothing_without_one(cast):
    commission = services.propose_commission(
        network=cast.network, entity=cast.entities[0], name="X"
    )
    with all_networks():
        term = commission.promoter_terms.get()
    with pytest.raises(DomainError, match="why"):
        services.step_down_as_promoter(term=term, reason="  ")
    term.refresh_from_db()
    commission.refresh_from_db()
    assert term.ended_at is None
    assert commission.state == CommissionState.ACTIVE


def test_last_promoter_stepping_down_makes_the_commission_vacant_and_calls_for_promoters(
    cast, django_capture_on_commit_callbacks
):
    proposer, member, other = cast.entities[:3]
    commission = services.propose_commission(network=cast.network, entity=proposer, name="Salud")
    services.join_commission(commission=commission, entity=member)
    with all_networks():
        term = commission.promoter_terms.get()
    with django_capture_on_commit_callbacks():
        services.step_down_as_promoter(term=term, reason="Cambio de prioridades")
    commission.refresh_from_db()
    assert commission.state == CommissionState.VACANT
    assert commission.closes_at == commission.vacant_since + timedelta(days=30)
    assert states(commission)[-1] == ("active", "vacant", "last_promoter_left")
    with all_networks():
        kinds = dict(Notification.objects.values_list("recipient__email", "kind"))
    assert kinds[cast.facilitator.email] == "commission.vacant"
    for email in cast.emails_of(member) | cast.emails_of(proposer):
        assert kinds[email] == "commission.call_for_promoters"
    assert not cast.emails_of(other) & kinds.keys()


def test_a_second_promoter_keeps_the_commission_active(cast):
    commission = services.propose_commission(
        network=cast.network, entity=cast.entities[0], name="X"
    )
    services.step_up_as_promoter(commission=commission, entity=cast.entities[1])
    with all_networks():
        term = commission.promoter_terms.get(entity=cast.entities[0])
    services.step_down_as_promoter(term=term, reason="Otro compromiso")
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE


def test_stepping_up_ends_a_vacancy(cast):
    commission = services.propose_commission(
        network=cast.network, entity=cast.entities[0], name="X"
    )
    with all_networks():
        term = commission.promoter_terms.get()
    services.step_down_as_promoter(term=term, reason="Fin de ciclo")
    services.step_up_as_promoter(commission=commission, entity=cast.entities[2])
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    assert commission.vacant_since is None and commission.closes_at is None
    assert commission.stalls_at is not None
    assert states(commission)[-1] == ("vacant", "active", "promoter_stepped_up")


def test_a_promoter_that_leaves_the_commission_steps_down(cast):
    commission = services.propose_commission(
        network=cast.network, entity=cast.entities[0], name="X"
    )
    services.leave_commission(commission=commission, entity=cast.entities[0], reason="Nos vamos")
    commission.refresh_from_db()
    assert commission.state == CommissionState.VACANT
    with pytest.raises(DomainError, match="does not sit"):
        services.leave_commission(commission=commission, entity=cast.entities[0])


def test_progress_is_posted_by_promoters_only_and_wakes_a_stalled_commission(cast):
    promoter, member = cast.entities[:2]
    commission = services.propose_commission(network=cast.network, entity=promoter, name="X")
    services.join_commission(commission=commission, entity=member)
    with pytest.raises(DomainError, match="promoters"):
        services.post_progress_update(commission=commission, entity=member, text="Hola")
    with pytest.raises(DomainError):
        services.post_progress_update(commission=commission, entity=promoter, text="   ")
    with all_networks():
        Commission.objects.filter(pk=commission.pk).update(state=CommissionState.STALLED)
    commission.refresh_from_db()
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        update = services.post_progress_update(
            commission=commission, entity=promoter, text="Hicimos la feria"
        )
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    assert commission.last_activity_at == later
    assert commission.stalls_at == later + timedelta(days=60)
    assert states(commission)[-1] == ("stalled", "active", "activity")
    services.comment_on_update(update=update, entity=member, text="¡Felicitaciones!")
    with pytest.raises(DomainError, match="sitting"):
        services.comment_on_update(update=update, entity=cast.entities[3], text="Hola")


def test_work_plan_topics_in_priority_order_and_actions_with_a_responsible_promoter(cast):
    promoter, member = cast.entities[:2]
    commission = services.propose_commission(network=cast.network, entity=promoter, name="X")
    services.join_commission(commission=commission, entity=member)
    first = services.add_topic(commission=commission, entity=promoter, title="Residuos")
    second = services.add_topic(commission=commission, entity=promoter, title="Reciclaje")
    assert (first.priority, second.priority) == (1, 2)
    services.reorder_topics(commission=commission, entity=promoter, topic_ids=[second.pk, first.pk])
    first.refresh_from_db()
    assert first.priority == 2
    with pytest.raises(DomainError, match="exactly once"):
        services.reorder_topics(commission=commission, entity=promoter, topic_ids=[second.pk])
    with pytest.raises(DomainError, match="responsible"):
        services.add_action(
            commission=commission, entity=promoter, title="Feria", responsible=member
        )
    action = services.add_action(
        commission=commission, entity=promoter, title="Feria", responsible=promoter, topic=first
    )
    assert action.status == ActionStatus.PLANNED
    services.change_action_status(action=action, entity=promoter, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    with pytest.raises(DomainError, match="Unknown"):
        services.change_action_status(action=action, entity=promoter, status="finished")


def test_members_close_a_commission_as_completed_and_the_archive_is_read_only(cast):
    promoter, member = cast.entities[:2]
    commission = services.propose_commission(network=cast.network, entity=promoter, name="X")
    services.join_commission(commission=commission, entity=member)
    services.close_as_completed(commission=commission, entity=member, note="Objetivos cumplidos")
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED
    assert commission.closed_reason == ClosingReason.COMPLETED
    assert commission.closed_on is not None
    with all_networks():
        assert not commission.promoter_terms.filter(ended_at__isnull=True).exists()
    with pytest.raises(DomainError, match="closed"):
        services.join_commission(commission=commission, entity=cast.entities[2])
    with pytest.raises(DomainError, match="closed"):
        services.step_up_as_promoter(commission=commission, entity=cast.entities[2])
    with pytest.raises(DomainError, match="closed"):
        services.post_progress_update(commission=commission, entity=promoter, text="Más")


def test_closing_sheet_is_filled_by_promoters_once_closed(cast):
    promoter, member = cast.entities[:2]
    commission = services.propose_commission(network=cast.network, entity=promoter, name="X")
    services.join_commission(commission=commission, entity=member)
    fields = dict.fromkeys(
        ("participants", "objectives", "methodology", "activities", "results", "evaluation"),
        "texto",
    )
    with pytest.raises(DomainError, match="once the commission has closed"):
        services.fill_closing_sheet(
            commission=commission, entity=promoter, occasion="closing", year=2026, **fields
        )
    services.close_as_completed(commission=commission, entity=promoter)
    with pytest.raises(DomainError, match="promoters"):
        services.fill_closing_sheet(
            commission=commission, entity=member, occasion="closing", year=2026, **fields
        )
    with pytest.raises(DomainError, match="every part"):
        services.fill_closing_sheet(
            commission=commission,
            entity=promoter,
            occasion="closing",
            year=2026,
            **{**fields, "results": ""},
        )
    sheet = services.fill_closing_sheet(
        commission=commission, entity=promoter, occasion="closing", year=2026, **fields
    )
    assert sheet.occasion == ClosingSheet.Occasion.CLOSING


def test_a_facilitator_holds_no_promoter_post(cast):
    commission = services.propose_commission(
        network=cast.network, entity=cast.entities[0], name="X"
    )
    with pytest.raises(DomainError, match="neutral"):
        services.step_up_as_promoter(
            commission=commission, entity=cast.entities[1], by=cast.facilitator
        )
    with pytest.raises(DomainError, match="neutral"):
        services.propose_commission(
            network=cast.network, entity=cast.entities[1], name="Y", by=cast.facilitator
        )
    with all_networks():
        assert commission.promoter_terms.count() == 1
