"""The facilitator stays neutral (4.2 a) on every door a member entity can open.

The sharpest case: a facilitator who is also recorded as an entity's alternate
(data that should never exist, and the admin now refuses, but that nothing else
may trust). Acting for that entity, they pass every other check (they act for
it, and it holds the role), so only neutrality stops them. Each write service
of a member entity is listed once below: deleting the `refuse_facilitator` line
of any one of them makes its case fail. A control case runs the same call by
the entity's representative, so the setups cannot rot into refusing everybody.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commissions import services
from commissions.models import (
    Action,
    ActionStatus,
    ClosingSheet,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    ProgressUpdate,
    PromoterTerm,
    Topic,
)
from core.errors import DomainError
from events import services as event_services
from events.models import Event, EventKind, Registration, Visibility
from members.models import Membership
from networks.scoping import all_networks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SHEET = dict.fromkeys(
    ("participants", "objectives", "methodology", "activities", "results", "evaluation"), "x"
)


@dataclass
class World:
    """Entity E (whose alternate is also the facilitator) and entity F, in one network."""

    network: object
    facilitator: object
    entity: object
    representative: object
    other: object
    other_representative: object


@pytest.fixture
def world(cast):
    membership = cast.memberships[0]
    with all_networks():
        Membership.objects.filter(pk=membership.pk).update(alternate=cast.facilitator)
    return World(
        network=cast.network,
        facilitator=cast.facilitator,
        entity=membership.entity,
        representative=membership.representative,
        other=cast.entities[1],
        other_representative=cast.rep(cast.entities[1]),
    )


def proposed_by_e(world, name="Medio Ambiente"):
    return services.propose_commission(
        network=world.network, entity=world.entity, name=name, by=world.representative
    )


def proposed_by_f_with_e_sitting(world):
    commission = services.propose_commission(
        network=world.network, entity=world.other, name="Salud", by=world.other_representative
    )
    services.join_commission(commission=commission, entity=world.entity, by=world.representative)
    return commission


def count(model, **filters):
    with all_networks():
        return model.objects.filter(**filters).count()


# Each case: (set up with the entity's own people, then) act for E as `by`, and say
# what would have changed, so that a refusal is seen to change nothing.


def propose(world, by):
    services.propose_commission(network=world.network, entity=world.entity, name="Nueva", by=by)


def join(world, by):
    commission = services.propose_commission(
        network=world.network, entity=world.other, name="Salud", by=world.other_representative
    )
    return lambda: services.join_commission(commission=commission, entity=world.entity, by=by)


def leave(world, by):
    commission = proposed_by_f_with_e_sitting(world)
    return lambda: services.leave_commission(commission=commission, entity=world.entity, by=by)


def step_up(world, by):
    commission = proposed_by_f_with_e_sitting(world)
    return lambda: services.step_up_as_promoter(commission=commission, entity=world.entity, by=by)


def step_down(world, by):
    commission = proposed_by_e(world)
    with all_networks():
        term = PromoterTerm.objects.select_related("entity").get(commission=commission)
    return lambda: services.step_down_as_promoter(term=term, reason="Rotamos", by=by)


def post_update(world, by):
    commission = proposed_by_e(world)
    return lambda: services.post_progress_update(
        commission=commission, entity=world.entity, text="Avance", by=by
    )


def comment(world, by):
    commission = proposed_by_f_with_e_sitting(world)
    update = services.post_progress_update(
        commission=commission, entity=world.other, text="Avance", by=world.other_representative
    )
    return lambda: services.comment_on_update(
        update=update, entity=world.entity, text="Bien", by=by
    )


def add_topic(world, by):
    commission = proposed_by_e(world)
    return lambda: services.add_topic(
        commission=commission, entity=world.entity, title="Residuos", by=by
    )


def reorder_topics(world, by):
    commission = proposed_by_e(world)
    first = services.add_topic(
        commission=commission, entity=world.entity, title="A", by=world.representative
    )
    second = services.add_topic(
        commission=commission, entity=world.entity, title="B", by=world.representative
    )
    return lambda: services.reorder_topics(
        commission=commission, entity=world.entity, topic_ids=[second.pk, first.pk], by=by
    )


def add_action(world, by):
    commission = proposed_by_e(world)
    return lambda: services.add_action(
        commission=commission, entity=world.entity, title="Feria", responsible=world.entity, by=by
    )


def change_action_status(world, by):
    commission = proposed_by_e(world)
    action = services.add_action(
        commission=commission,
        entity=world.entity,
        title="Feria",
        responsible=world.entity,
        by=world.representative,
    )
    return lambda: services.change_action_status(
        action=action, entity=world.entity, status=ActionStatus.DONE, by=by
    )


def close(world, by):
    commission = proposed_by_e(world)
    return lambda: services.close_as_completed(
        commission=commission, entity=world.entity, note="Cumplimos", by=by
    )


def fill_sheet(world, by):
    commission = proposed_by_e(world)
    services.close_as_completed(
        commission=commission, entity=world.entity, note="Cumplimos", by=world.representative
    )
    year = timezone.localdate().year
    return lambda: services.fill_closing_sheet(
        commission=commission, entity=world.entity, occasion="closing", year=year, by=by, **SHEET
    )


def event_fields(**fields):
    start = timezone.now() + timedelta(days=10)
    return {
        "kind": EventKind.TRAINING,
        "title": "Taller",
        "format": "in_person",
        "place": "Aula",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "visibility": Visibility.PUBLIC,
        **fields,
    }


def create_event(world, by):
    return lambda: event_services.create_event(
        network=world.network, organisers=[world.entity], by=by, **event_fields()
    )


def register_entity(world, by):
    event = event_services.create_event(
        network=world.network,
        organisers=[world.other],
        by=world.other_representative,
        announce=True,
        **event_fields(),
    )
    return lambda: event_services.register_entity(event=event, entity=world.entity, by=by)


def turn_decision_into_action(world, by):
    commission = proposed_by_e(world)
    start = timezone.now() - timedelta(days=1)
    with time_machine.travel(start - timedelta(days=20)):
        event = event_services.create_event(
            network=world.network,
            organisers=[world.other],
            by=world.other_representative,
            announce=True,
            **event_fields(starts_at=start, ends_at=start + timedelta(hours=2)),
        )
    event_services.save_minutes(
        event=event,
        summary="Acta",
        decisions=[{"text": "Feria", "follow_up": "Pedir la plaza", "commission": commission}],
        by=world.facilitator,
    )
    event_services.publish_minutes(event=event, by=world.facilitator)
    with all_networks():
        decision = event.minutes.decisions.get()
    return lambda: event_services.turn_decision_into_action(
        decision=decision, entity=world.entity, responsible=world.entity, by=by
    )


def call(world, by):
    """`propose` acts at once; the others return the act, set up and ready."""
    return lambda: propose(world, by)


# Every write service a member entity can make, and what it writes.
MEMBER_WRITES = {
    "propose_commission": (call, lambda: count(PromoterTerm)),
    "join_commission": (join, lambda: count(CommissionMember, left_on__isnull=True)),
    "leave_commission": (leave, lambda: count(CommissionMember, left_on__isnull=True)),
    "step_up_as_promoter": (step_up, lambda: count(PromoterTerm)),
    "step_down_as_promoter": (step_down, lambda: count(PromoterTerm, ended_at__isnull=True)),
    "post_progress_update": (post_update, lambda: count(ProgressUpdate)),
    "comment_on_update": (comment, lambda: count(Comment)),
    "add_topic": (add_topic, lambda: count(Topic)),
    "reorder_topics": (reorder_topics, lambda: list_priorities()),
    "add_action": (add_action, lambda: count(Action)),
    "change_action_status": (change_action_status, lambda: count(Action, status="done")),
    "close_as_completed": (close, lambda: count(Commission, state=CommissionState.CLOSED)),
    "fill_closing_sheet": (fill_sheet, lambda: count(ClosingSheet)),
    "create_event": (create_event, lambda: count(Event)),
    "register_entity": (register_entity, lambda: count(Registration)),
    "turn_decision_into_action": (turn_decision_into_action, lambda: count(Action)),
}


def list_priorities():
    with all_networks():
        return list(Topic.objects.order_by("id").values_list("priority", flat=True))


def act(world, name, by):
    setup, snapshot = MEMBER_WRITES[name]
    perform = setup(world, by)
    return perform, snapshot


@pytest.mark.parametrize("name", sorted(MEMBER_WRITES))
def test_a_facilitator_recorded_as_an_alternate_is_refused_by_every_member_write(world, name):
    perform, snapshot = act(world, name, world.facilitator)
    before = snapshot()

    with pytest.raises(DomainError, match="Facilitators stay neutral"):
        perform()

    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(MEMBER_WRITES))
def test_the_entitys_representative_may_do_each_of_those_writes(world, name):
    perform, snapshot = act(world, name, world.representative)
    before = snapshot()

    perform()

    assert snapshot() != before


# The same person at the doors of the pages and of the API.


def as_facilitator(client, world):
    client.force_login(world.facilitator)
    return client


def test_the_pages_refuse_a_facilitator_acting_as_alternate_to_post_comment_or_close(client, world):
    commission = proposed_by_e(world)
    update = services.post_progress_update(
        commission=commission, entity=world.entity, text="Avance", by=world.representative
    )
    client = as_facilitator(client, world)
    entity = world.entity.pk

    def url(name, **kwargs):
        return reverse(
            f"commissions:{name}",
            kwargs={"network_slug": world.network.slug, "commission_id": commission.pk, **kwargs},
        )

    posted = client.post(url("post_update"), {"entity": entity, "text": "Desde la facilitación"})
    commented = client.post(
        url("comment", update_id=update.pk), {"entity": entity, "text": "Opino"}
    )
    closed = client.post(url("close"), {"entity": entity, "note": "Fin", "confirm": "on"})
    page = client.get(url("detail"))

    assert (posted.status_code, commented.status_code, closed.status_code) == (403, 403, 403)
    assert url("post_update") not in page.text and url("close") not in page.text
    assert count(ProgressUpdate) == 1 and count(Comment) == 0
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE


def test_the_api_refuses_a_facilitator_acting_as_alternate_to_post_comment_or_close(client, world):
    commission = proposed_by_e(world)
    update = services.post_progress_update(
        commission=commission, entity=world.entity, text="Avance", by=world.representative
    )
    client = as_facilitator(client, world)
    base = f"/api/v1/networks/{world.network.slug}/commissions/{commission.pk}/"
    slug = world.entity.slug

    posted = client.post(f"{base}updates/", {"entity": slug, "text": "Desde la facilitación"})
    commented = client.post(
        f"{base}updates/{update.pk}/comments/", {"entity": slug, "text": "Opino"}
    )
    closed = client.post(
        f"{base}close/",
        {"entity": slug, "note": "Fin", "confirm": True},
        content_type="application/json",
    )

    assert (posted.status_code, commented.status_code, closed.status_code) == (403, 403, 403)
    assert "neutral" in closed.json()["detail"]
    assert count(ProgressUpdate) == 1 and count(Comment) == 0
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
