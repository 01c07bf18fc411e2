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
from core.actors import SYSTEM
from core.errors import DomainError
from members.models import MembershipStatus, Notification
from members.services import change_membership_status
from networks.scoping import all_networks
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SHEET = dict.fromkeys(
    ("participants", "objectives", "methodology", "activities", "results", "evaluation"),
    "texto",
)


def states(commission):
    with all_networks():
        return list(
            StateChange.objects.filter(commission=commission)
            .order_by("at", "id")
            .values_list("from_state", "to_state", "reason")
        )


def propose(cast, entity, name, **fields):
    return services.propose_commission(
        network=cast.network, entity=entity, name=name, by=cast.rep(entity), **fields
    )


def join(cast, commission, entity):
    return services.join_commission(commission=commission, entity=entity, by=cast.rep(entity))


def step_up(cast, commission, entity):
    return services.step_up_as_promoter(commission=commission, entity=entity, by=cast.rep(entity))


def open_term(commission, entity):
    with all_networks():
        return PromoterTerm.objects.select_related("entity").get(
            commission=commission, entity=entity, ended_at__isnull=True
        )


def step_down(cast, term, reason):
    return services.step_down_as_promoter(term=term, reason=reason, by=cast.rep(term.entity))


def test_proposing_entity_becomes_first_promoter_and_member(cast):
    proposer = cast.entities[0]
    commission = propose(cast, proposer, "Medio Ambiente", purpose="Feria ambiental")
    with all_networks():
        assert list(commission.promoter_terms.values_list("entity", flat=True)) == [proposer.pk]
        assert list(commission.memberships.values_list("entity", flat=True)) == [proposer.pk]
    assert commission.state == CommissionState.ACTIVE
    assert commission.stalls_on == timezone.localdate(
        commission.last_activity_at, cast.network.zone
    ) + timedelta(days=60)
    assert states(commission) == [("", "active", "proposed")]
    with all_networks():
        change = StateChange.objects.get(commission=commission)
    assert change.actor == cast.rep(proposer)


def test_only_active_members_may_propose(cast):
    outsider = factories.MembershipFactory(
        network=factories.NetworkFactory(), status=MembershipStatus.ACTIVE
    )
    with pytest.raises(DomainError, match="do not act for"):
        services.propose_commission(
            network=cast.network,
            entity=outsider.entity,
            name="Juventud",
            by=outsider.representative,
        )
    person = cast.rep(cast.entities[1])
    change_membership_status(
        membership=cast.memberships[1],
        status=MembershipStatus.SUSPENDED,
        reason="Inactiva",
        by=SYSTEM,
    )
    with pytest.raises(DomainError):
        services.propose_commission(
            network=cast.network, entity=cast.entities[1], name="Juventud", by=person
        )
    with all_networks():
        assert not Commission.objects.exists()


def test_duplicate_commission_name_is_refused(cast):
    propose(cast, cast.entities[0], "Juventud")
    with pytest.raises(DomainError, match="already has a commission"):
        propose(cast, cast.entities[1], "juventud")


def test_no_entity_holds_more_promoter_terms_than_the_network_allows(cast):
    cast.network.max_promoter_terms = 2
    cast.network.save()
    entity = cast.entities[0]
    first = propose(cast, entity, "Uno")
    propose(cast, entity, "Dos")
    third = propose(cast, cast.entities[1], "Tres")
    with pytest.raises(DomainError, match="monopolising"):
        step_up(cast, third, entity)
    with pytest.raises(DomainError, match="monopolising"):
        propose(cast, entity, "Cuatro")
    step_down(cast, open_term(first, entity), "Rotamos el rol")
    step_up(cast, third, entity)
    with all_networks():
        assert PromoterTerm.objects.filter(entity=entity, ended_at__isnull=True).count() == 2


def test_the_same_entity_cannot_promote_a_commission_twice(cast):
    commission = propose(cast, cast.entities[0], "X")
    with pytest.raises(DomainError, match="already promotes"):
        step_up(cast, commission, cast.entities[0])


def test_stepping_down_needs_a_reason_and_changes_nothing_without_one(cast):
    commission = propose(cast, cast.entities[0], "X")
    term = open_term(commission, cast.entities[0])
    with pytest.raises(DomainError, match="why"):
        step_down(cast, term, "  ")
    term.refresh_from_db()
    commission.refresh_from_db()
    assert term.ended_at is None
    assert commission.state == CommissionState.ACTIVE


def test_last_promoter_stepping_down_makes_the_commission_vacant_and_calls_for_promoters(
    cast, django_capture_on_commit_callbacks
):
    proposer, member, other = cast.entities[:3]
    commission = propose(cast, proposer, "Salud")
    join(cast, commission, member)
    term = open_term(commission, proposer)
    with django_capture_on_commit_callbacks():
        step_down(cast, term, "Cambio de prioridades")
    commission.refresh_from_db()
    assert commission.state == CommissionState.VACANT
    assert commission.closes_on == timezone.localdate(
        commission.vacant_since, cast.network.zone
    ) + timedelta(days=30)
    assert states(commission)[-1] == ("active", "vacant", "last_promoter_left")
    with all_networks():
        # The news of the commission's proposal went to every member before: leave it aside.
        kinds = dict(
            Notification.objects.exclude(kind="commission.proposed").values_list(
                "recipient__email", "kind"
            )
        )
    assert kinds[cast.facilitator.email] == "commission.vacant"
    for email in cast.emails_of(member) | cast.emails_of(proposer):
        assert kinds[email] == "commission.call_for_promoters"
    assert not cast.emails_of(other) & kinds.keys()


def test_a_second_promoter_keeps_the_commission_active(cast):
    commission = propose(cast, cast.entities[0], "X")
    step_up(cast, commission, cast.entities[1])
    step_down(cast, open_term(commission, cast.entities[0]), "Otro compromiso")
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE


def test_stepping_up_ends_a_vacancy(cast):
    commission = propose(cast, cast.entities[0], "X")
    step_down(cast, open_term(commission, cast.entities[0]), "Fin de ciclo")
    step_up(cast, commission, cast.entities[2])
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    assert commission.vacant_since is None and commission.closes_on is None
    assert commission.stalls_on is not None
    assert states(commission)[-1] == ("vacant", "active", "promoter_stepped_up")


def test_a_promoter_that_leaves_the_commission_steps_down(cast):
    entity = cast.entities[0]
    commission = propose(cast, entity, "X")
    services.leave_commission(
        commission=commission, entity=entity, reason="Nos vamos", by=cast.rep(entity)
    )
    commission.refresh_from_db()
    assert commission.state == CommissionState.VACANT
    with pytest.raises(DomainError, match="Only entities sitting"):
        services.leave_commission(commission=commission, entity=entity, by=cast.rep(entity))


def test_progress_is_posted_by_promoters_only_and_wakes_a_stalled_commission(cast):
    promoter, member = cast.entities[:2]
    commission = propose(cast, promoter, "X")
    join(cast, commission, member)
    with pytest.raises(DomainError, match="promoters"):
        services.post_progress_update(
            commission=commission, entity=member, text="Hola", by=cast.rep(member)
        )
    with pytest.raises(DomainError):
        services.post_progress_update(
            commission=commission, entity=promoter, text="   ", by=cast.rep(promoter)
        )
    with all_networks():
        Commission.objects.filter(pk=commission.pk).update(state=CommissionState.STALLED)
    commission.refresh_from_db()
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        update = services.post_progress_update(
            commission=commission, entity=promoter, text="Hicimos la feria", by=cast.rep(promoter)
        )
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    assert commission.last_activity_at == later
    assert commission.stalls_on == timezone.localdate(later, cast.network.zone) + timedelta(days=60)
    assert states(commission)[-1] == ("stalled", "active", "activity")
    assert update.author == cast.rep(promoter)
    services.comment_on_update(
        update=update, entity=member, text="¡Felicitaciones!", by=cast.rep(member)
    )
    with pytest.raises(DomainError, match="sitting"):
        services.comment_on_update(
            update=update, entity=cast.entities[3], text="Hola", by=cast.rep(cast.entities[3])
        )


def test_work_plan_topics_in_priority_order_and_actions_with_a_responsible_promoter(cast):
    promoter, member = cast.entities[:2]
    by = cast.rep(promoter)
    commission = propose(cast, promoter, "X")
    join(cast, commission, member)
    first = services.add_topic(commission=commission, entity=promoter, title="Residuos", by=by)
    second = services.add_topic(commission=commission, entity=promoter, title="Reciclaje", by=by)
    assert (first.priority, second.priority) == (1, 2)
    services.reorder_topics(
        commission=commission, entity=promoter, topic_ids=[second.pk, first.pk], by=by
    )
    first.refresh_from_db()
    assert first.priority == 2
    with pytest.raises(DomainError, match="exactly once"):
        services.reorder_topics(
            commission=commission, entity=promoter, topic_ids=[second.pk], by=by
        )
    with pytest.raises(DomainError, match="responsible"):
        services.add_action(
            commission=commission, entity=promoter, title="Feria", responsible=member, by=by
        )
    action = services.add_action(
        commission=commission,
        entity=promoter,
        title="Feria",
        responsible=promoter,
        topic=first,
        by=by,
    )
    assert action.status == ActionStatus.PLANNED
    services.change_action_status(action=action, entity=promoter, status=ActionStatus.DONE, by=by)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    with pytest.raises(DomainError, match="Unknown"):
        services.change_action_status(action=action, entity=promoter, status="finished", by=by)


def test_promoters_close_a_commission_as_completed_and_the_archive_is_read_only(cast):
    promoter, member = cast.entities[:2]
    commission = propose(cast, promoter, "X")
    join(cast, commission, member)
    services.close_as_completed(
        commission=commission, entity=promoter, note="Objetivos cumplidos", by=cast.rep(promoter)
    )
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED
    assert commission.closed_reason == ClosingReason.COMPLETED
    assert commission.closed_on is not None
    assert states(commission)[-1] == ("active", "closed", "completed")
    with all_networks():
        assert not commission.promoter_terms.filter(ended_at__isnull=True).exists()
    with pytest.raises(DomainError, match="closed"):
        join(cast, commission, cast.entities[2])
    with pytest.raises(DomainError, match="closed"):
        step_up(cast, commission, cast.entities[2])
    with pytest.raises(DomainError, match="closed"):
        services.post_progress_update(
            commission=commission, entity=promoter, text="Más", by=cast.rep(promoter)
        )


def test_closing_sheet_is_filled_by_promoters_once_closed(cast):
    promoter, member = cast.entities[:2]
    commission = propose(cast, promoter, "X")
    join(cast, commission, member)
    with pytest.raises(DomainError, match="once the commission has closed"):
        services.fill_closing_sheet(
            commission=commission,
            entity=promoter,
            occasion="closing",
            year=2026,
            by=cast.rep(promoter),
            **SHEET,
        )
    services.close_as_completed(
        commission=commission, entity=promoter, note="Hecho", by=cast.rep(promoter)
    )
    with pytest.raises(DomainError, match="promoters"):
        services.fill_closing_sheet(
            commission=commission,
            entity=member,
            occasion="closing",
            year=2026,
            by=cast.rep(member),
            **SHEET,
        )
    with pytest.raises(DomainError, match="every part"):
        services.fill_closing_sheet(
            commission=commission,
            entity=promoter,
            occasion="closing",
            year=2026,
            by=cast.rep(promoter),
            **{**SHEET, "results": ""},
        )
    sheet = services.fill_closing_sheet(
        commission=commission,
        entity=promoter,
        occasion="closing",
        year=2026,
        by=cast.rep(promoter),
        **SHEET,
    )
    assert sheet.occasion == ClosingSheet.Occasion.CLOSING
    assert sheet.author == cast.rep(promoter)


def test_a_facilitator_holds_no_promoter_post(cast):
    commission = propose(cast, cast.entities[0], "X")
    with pytest.raises(DomainError, match="do not act for"):
        services.step_up_as_promoter(
            commission=commission, entity=cast.entities[1], by=cast.facilitator
        )
    with pytest.raises(DomainError, match="do not act for"):
        services.propose_commission(
            network=cast.network, entity=cast.entities[1], name="Y", by=cast.facilitator
        )
    with all_networks():
        assert commission.promoter_terms.count() == 1
