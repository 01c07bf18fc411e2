"""Each kind of news, judged the same way.

For each: who gets it (and reads the item's own link), who does not (a person
who chose "not at all" for the network, a member of another network, an
entity that left), that two workers delivering at once mail it once, and that
its one-click unsubscribe works without a session.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from announcements import services as announcements
from commissions import services as commissions
from commissions.lifecycle import sweep_commissions
from commissions.models import CommissionState
from commissions.notifications import CommissionNotice
from core.models import OutgoingMail
from events import services as events
from events.models import EventFormat, EventKind, EventStatus, Visibility
from events.notifications import EventNotice
from members import notifications
from networks.scoping import network_scope
from tests import factories
from tests.events.factories import EventFactory, RegistrationFactory
from tests.news.conftest import leave

pytestmark = pytest.mark.django_db


def _commission(town, *, sitting):
    commission = commissions.propose_commission(
        network=town.network,
        entity=town.member.entity,
        name="Comisión de Ferias",
        purpose="Organizar ferias de voluntariado.",
        by=town.member.representative,
    )
    for membership in sitting:
        commissions.join_commission(
            commission=commission, entity=membership.entity, by=membership.representative
        )
    return commission


def _plenary(town):
    with network_scope(town.network):
        event = events.create_event(
            network=town.network,
            by=town.facilitator,
            kind=EventKind.PLENARY,
            title="Plenaria de diciembre",
            format=EventFormat.IN_PERSON,
            visibility=Visibility.MEMBERS,
            place="Casona de la Universidad",
            announce=True,
            agenda=[{"title": "Plan", "proposer": town.member.entity, "proposal": "Aprobarlo."}],
            starts_at=timezone.now() + timedelta(days=20),
            ends_at=timezone.now() + timedelta(days=20, hours=3),
        )
        for membership in (town.member, town.quiet, town.gone):
            RegistrationFactory(event=event, entity=membership.entity)
    return event


# Each scenario makes the news with the quiet and the gone entities among those
# it would reach, lets the gone one leave the network first, and returns the
# item's link. The reader is town.member's alternate.


def event_announced(town, settle):
    leave(town.gone)
    with network_scope(town.network):
        event = EventFactory(network=town.network, status=EventStatus.DRAFT, title="Feria")
    settle()
    with network_scope(town.network):
        events.announce_event(event=event, by=town.facilitator)
    return event.get_absolute_url()


def event_moved(town, settle):
    event = _plenary(town)
    leave(town.gone)
    settle()
    with network_scope(town.network):
        events.update_event(
            event=event, by=town.facilitator, starts_at=event.starts_at + timedelta(hours=2)
        )
    return event.get_absolute_url()


def event_cancelled(town, settle):
    event = _plenary(town)
    leave(town.gone)
    settle()
    with network_scope(town.network):
        events.cancel_event(event=event, by=town.facilitator, reason="Paro de transportes.")
    return event.get_absolute_url()


def commission_proposed(town, settle):
    leave(town.gone)
    settle()
    return _commission(town, sitting=()).get_absolute_url()


def progress_update(town, settle):
    commission = _commission(town, sitting=(town.quiet,))
    for membership in (town.shared, town.gone):
        commissions.follow_commission(
            commission=commission, entity=membership.entity, by=membership.representative
        )
    leave(town.gone)
    settle()
    update = commissions.post_progress_update(
        commission=commission, entity=town.member.entity, by=town.member.representative, text="Ok."
    )
    return f"{commission.get_absolute_url()}#update-{update.pk}"


def closed_by_its_promoters(town, settle):
    commission = _commission(town, sitting=(town.quiet, town.shared, town.gone))
    leave(town.gone)
    commissions.step_up_as_promoter(
        commission=commission, entity=town.shared.entity, by=town.shared.representative
    )
    settle()
    commissions.close_as_completed(
        commission=commission,
        entity=town.shared.entity,
        by=town.shared.representative,
        note="La feria se hizo.",
    )
    return commission.get_absolute_url()


def closed_by_the_sweep(town, settle):
    with network_scope(town.network):
        commission = factories.CommissionFactory(
            network=town.network,
            state=CommissionState.VACANT,
            vacant_since=timezone.now() - timedelta(days=400),
        )
        for membership in (town.member, town.quiet, town.gone):
            factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    leave(town.gone)
    settle()
    sweep_commissions()
    return commission.get_absolute_url()


def announcement_corrected(town):
    leave(town.gone)
    announcement = announcements.announce(
        network=town.network, by=town.facilitator, title="Asamblea", body="El sábado."
    )
    announcements.correct(announcement=announcement, by=town.facilitator, text="Es el domingo.")
    return announcement.get_absolute_url()


KINDS = {
    "event announced": (event_announced, EventNotice.ANNOUNCED),
    "event moved": (event_moved, EventNotice.CHANGED),
    "event cancelled": (event_cancelled, EventNotice.CANCELLED),
    "commission proposed": (commission_proposed, CommissionNotice.PROPOSED),
    "progress update": (progress_update, CommissionNotice.UPDATE_POSTED),
    "closed by its promoters": (closed_by_its_promoters, CommissionNotice.COMPLETED),
    "closed by the sweep": (closed_by_the_sweep, CommissionNotice.CLOSED),
}


def deliver(town):
    notifications.deliver_pending_notifications()
    notifications.deliver_weekly_digests(town.network, now=timezone.now() + timedelta(days=8))


@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
def test_the_news_reaches_its_people_and_nobody_else(town, client, kind):
    make, notice = KINDS[kind]
    link = make(town, settle=lambda: None)
    deliver(town)

    (item,) = town.inbox(town.member.alternate, notice)
    assert item.link == link
    assert town.inbox(town.quiet.alternate, notice)
    message = next(
        message
        for message in reversed(town.mailed(town.member.alternate))
        if settings.SITE_URL + link in message.body
    )
    assert town.network.name in message.body
    # "Not at all" for this network: in the inbox, never mailed.
    assert town.inbox(town.quiet.representative, notice)
    assert not town.mailed(town.quiet.representative)
    # The entity that left, and the other network's member, hear nothing of it.
    assert not town.inbox(town.gone.representative, notice)
    assert not town.inbox(town.gone.alternate, notice)
    assert not town.inbox(town.elsewhere.representative)

    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(settings.SITE_URL)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.logout()
    assert client.post(url, secure=True).status_code == 200
    assert notifications.preference_of(town.member.alternate, town.network) == "never"


def test_a_correction_reaches_the_announcements_people_and_nobody_else(town):
    link = announcement_corrected(town)
    deliver(town)

    message = town.mailed(town.member.alternate)[-1]
    assert "Es el domingo." in message.body and "El sábado." not in message.body
    assert settings.SITE_URL + link in message.body
    assert not town.mailed(town.quiet.representative)
    assert not town.inbox(town.gone.representative)
    assert not town.inbox(town.elsewhere.representative)


def in_two_workers(work):
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            work()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two sessions at once need PostgreSQL (CI runs them)",
)
@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
def test_the_news_is_mailed_once_with_two_workers(town, kind):
    make, _notice = KINDS[kind]
    before = []

    def settle():
        # What came before the news (an announcement, a proposal) is sent first.
        deliver(town)
        before.append(town.outbox_rows(town.member.alternate))

    make(town, settle)

    in_two_workers(notifications.deliver_pending_notifications)
    in_two_workers(
        lambda: notifications.deliver_weekly_digests(
            town.network, now=timezone.now() + timedelta(days=16)
        )
    )

    assert town.outbox_rows(town.member.alternate) == before[0] + 1
    assert OutgoingMail.objects.filter(recipients=town.quiet.representative.email).count() == 0
