"""Two workers running the proposal schedule at once: each outcome once, each reminder once.

Two threads, each with its own database session, run the network's schedule
job at the same moment, as two Celery workers picking up the same beat tick
would. They need a database where two sessions really run at once, so they run
on PostgreSQL (as in CI) and are skipped on SQLite.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from decisions.models import Position, Proposal, ProposalState, Stance
from decisions.tasks import run_proposal_schedule_in_network
from members import outbox
from members.models import Notification
from networks.models import HistoryEntry
from networks.scoping import all_networks
from tests import factories

PROPOSALS = 200

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="concurrent jobs need PostgreSQL (CI runs them)",
)


def build(network, shared_entity):
    members = [factories.MembershipFactory(network=network) for _ in range(3)]
    members.append(factories.MembershipFactory(network=network, entity=shared_entity))
    now = timezone.now()
    common = {"network": network, "text": "Texto", "proposer": members[0].entity}
    closed = Proposal.objects.bulk_create(
        Proposal(
            title=f"Cerrada {n}",
            opens_at=now - timedelta(days=3),
            closes_at=now - timedelta(minutes=5),
            state=ProposalState.OPEN,
            rule="consent_then_vote",
            **common,
        )
        for n in range(PROPOSALS)
    )
    Position.objects.bulk_create(
        Position(
            network=network,
            proposal=proposal,
            entity=members[1].entity,
            stance=Stance.OBJECT if n % 2 else Stance.AGREE,
            note="Falta un plazo.",
        )
        for n, proposal in enumerate(closed)
    )
    closing = Proposal.objects.bulk_create(
        Proposal(
            title=f"Por cerrar {n}",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(hours=6),
            state=ProposalState.OPEN,
            rule="consent_then_vote",
            **common,
        )
        for n in range(PROPOSALS)
    )
    # Entities 1 and 2 have spoken on each; entity 0 and the shared one have not.
    Position.objects.bulk_create(
        Position(network=network, proposal=proposal, entity=member.entity, stance=Stance.AGREE)
        for proposal in closing
        for member in members[1:3]
    )
    silent_people = {members[0].representative, members[0].alternate}
    silent_people |= {members[3].representative, members[3].alternate}
    return len(silent_people) * PROPOSALS


@pytest.mark.django_db(transaction=True)
def test_two_workers_compute_each_outcome_once_and_send_each_reminder_once(monkeypatch):
    # Delivery is another job's business: here only the rows count.
    monkeypatch.setattr(outbox, "_enqueue_delivery", lambda: None)
    shared = factories.EntityFactory(name="Asociación compartida")
    with all_networks():
        home = factories.NetworkFactory(slug="arequipa-decide")
        away = factories.NetworkFactory(slug="cusco-decide")
        expected_reminders = build(home, shared)
        build(away, shared)

    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(run_proposal_schedule_in_network.apply(args=(home.pk,)).get())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert sorted(result["closed"] for result in results) in (
        [0, PROPOSALS],
        *([n, PROPOSALS - n] for n in range(1, PROPOSALS)),
    )
    assert sum(result["closed"] for result in results) == PROPOSALS
    with all_networks():
        decided = HistoryEntry.objects.filter(network=home, action="proposal.decided")
        # Half had no objection and were adopted; the other half wait for a vote.
        assert decided.count() == PROPOSALS // 2
        assert decided.values("object_id").distinct().count() == PROPOSALS // 2
        assert (
            Proposal.objects.filter(network=home, state=ProposalState.OBJECTED).count()
            == PROPOSALS // 2
        )
        reminders = Notification.objects.filter(network=home, kind="proposal.closing_soon")
        assert reminders.count() == expected_reminders
        assert reminders.values("recipient", "key").distinct().count() == expected_reminders
        # The other network, which shares an entity, heard nothing and closed nothing.
        assert not Notification.objects.filter(network=away).exists()
        assert not Proposal.objects.filter(network=away).exclude(state="open").exists()
