"""What each beat job costs in statements, for 20 rows due and for 2,000.

The set-based jobs make the same number at both sizes. Delivering mail is
per message by design: each message is sent, and marked sent, on its own.
Run with `-s` to read the counts:
`pytest -s -p no:randomly -n 0 tests/jobs/test_statement_counts.py`.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissions import lifecycle
from commissions.models import Action, ActionStatus, Commission, CommissionState, PromoterTerm
from core import outbox
from core.actors import SYSTEM
from core.models import OutgoingMail
from events import reminders
from events.models import Event, EventStatus
from members import notifications
from members.models import Notification, NotificationPreference, User
from networks.scoping import all_networks, network_scope
from networks.services import appoint_facilitator
from tests import factories

pytestmark = pytest.mark.django_db

SIZES = (20, 2000)
DAY = timedelta(days=1)


def count(job, *, network=None, **kwargs):
    scope = network_scope(network) if network else all_networks()
    with scope, CaptureQueriesContext(connection) as queries:
        job(**kwargs)
    return len(queries)


def report(name, counts, *, per_row=False):
    print(f"\n{name}: " + ", ".join(f"{size} rows: {n} statements" for size, n in counts.items()))
    if not per_row:
        assert counts[SIZES[0]] == counts[SIZES[1]], f"{name} grows with the rows"


def commissions_world(size, now):
    """`size` commissions of each kind the commission jobs look for, in a fresh network."""
    network = factories.NetworkFactory()
    appoint_facilitator(network=network, user=factories.UserFactory(), by=SYSTEM)
    member = factories.MembershipFactory(network=network)
    long_ago = now - 400 * DAY
    quiet = Commission.objects.bulk_create(
        Commission(
            network=network,
            name=f"Comisión {n}",
            last_activity_at=now - 20 * DAY,
            started_on=long_ago.date(),
        )
        for n in range(size)
    )
    Commission.objects.bulk_create(
        Commission(network=network, name=f"Estancada {n}", last_activity_at=now - 61 * DAY)
        for n in range(size)
    )
    Commission.objects.bulk_create(
        Commission(
            network=network,
            name=f"Vacante {n}",
            state=CommissionState.VACANT,
            vacant_since=now - 31 * DAY,
        )
        for n in range(size)
    )
    Commission.objects.bulk_create(
        Commission(
            network=network,
            name=f"Por cerrar {n}",
            state=CommissionState.VACANT,
            vacant_since=now - 29 * DAY,
        )
        for n in range(size)
    )
    PromoterTerm.objects.bulk_create(
        PromoterTerm(network=network, commission=c, entity=member.entity, started_at=long_ago)
        for c in quiet
    )
    Action.objects.bulk_create(
        Action(
            network=network,
            commission=c,
            title="Feria",
            responsible=member.entity,
            status=ActionStatus.PLANNED,
            due_on=(now - 3 * DAY).date(),
        )
        for c in quiet
    )
    return network


def test_commission_jobs(db):
    now = timezone.now()
    counts = {name: {} for name in ("sweep", "overdue", "quiet", "yearly", "long_terms")}
    # SQLite is asked once per connection whether it stores JSON; that is not a job's cost.
    assert connection.features.supports_json_field
    for size in SIZES:
        network = commissions_world(size, now)
        counts["overdue"][size] = count(lifecycle.remind_overdue_actions, network=network, now=now)
        counts["quiet"][size] = count(lifecycle.remind_quiet_commissions, network=network, now=now)
        counts["yearly"][size] = count(
            lifecycle.remind_yearly_evaluations, network=network, now=now
        )
        counts["long_terms"][size] = count(
            lifecycle.ask_long_terms_to_continue, network=network, now=now
        )
        counts["sweep"][size] = count(lifecycle.sweep_commissions, now=now)
        with all_networks():
            closed = Commission.objects.filter(network=network, state=CommissionState.CLOSED)
            assert closed.count() == size
            Commission.objects.filter(network=network).update(state=CommissionState.CLOSED)
    report("sweep_commissions (stall, vacancy reminders, close)", counts["sweep"])
    report("remind_overdue_actions", counts["overdue"])
    report("remind_quiet_commissions", counts["quiet"])
    report("remind_yearly_evaluations", counts["yearly"])
    report("ask_long_terms_to_continue", counts["long_terms"])


def test_event_jobs(db):
    now = timezone.now()
    counts = {"missing_minutes": {}}
    for size in SIZES:
        network = factories.NetworkFactory()
        user = factories.UserFactory()
        appoint_facilitator(network=network, user=user, by=SYSTEM)
        Event.objects.bulk_create(
            Event(
                network=network,
                title=f"Taller {n}",
                status=EventStatus.ANNOUNCED,
                starts_at=now - 4 * DAY,
                ends_at=now - 4 * DAY + timedelta(hours=2),
                registration_closes_at=now - 4 * DAY,
                created_by=user,
            )
            for n in range(size)
        )
        counts["missing_minutes"][size] = count(
            reminders.remind_missing_minutes, network=network, now=now
        )
    report("remind_missing_minutes", counts["missing_minutes"])


def test_notification_and_mail_delivery(db, monkeypatch):
    network = factories.NetworkFactory()
    counts = {"immediate": {}, "digest": {}, "mail": {}}
    for size in SIZES:
        for preference, name in (
            (NotificationPreference.IMMEDIATELY, "immediate"),
            (NotificationPreference.WEEKLY_DIGEST, "digest"),
        ):
            users = User.objects.bulk_create(
                User(
                    username=f"{name}-{size}-{n}",
                    email=f"{name}-{size}-{n}@example.org",
                    notification_preference=preference,
                )
                for n in range(size)
            )
            with all_networks():
                Notification.objects.bulk_create(
                    Notification(
                        network=network,
                        recipient=user,
                        kind="commission.stalled",
                        key=f"commission.stalled:{name}:{size}",
                        context={"commission": "Medio Ambiente", "days": 60},
                    )
                    for user in users
                )
        # Writing the mails, apart from sending them.
        monkeypatch.setattr(outbox, "deliver", lambda **kwargs: 0)
        counts["immediate"][size] = count(notifications.deliver_pending_notifications)
        counts["digest"][size] = count(
            lambda: notifications.deliver_weekly_digests(network), network=network
        )
        monkeypatch.undo()
        assert OutgoingMail.objects.pending().count() == 2 * size
        counts["mail"][size] = count(outbox.deliver)
        assert OutgoingMail.objects.pending().count() == 0
    report("deliver_notifications (writing the mails)", counts["immediate"])
    report("deliver_weekly_digests (writing the mails)", counts["digest"])
    report("deliver_mail (one send and one mark per message)", counts["mail"], per_row=True)
