"""A town of two networks for the news: who hears, who does not, and by which channel.

Network A has a facilitator and members; one member chose "not at all" for A;
one entity is a member of both A and B; one left A; B has its own member.
"""

import threading
from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import connection

from core.actors import SYSTEM
from core.models import OutgoingMail
from members import notifications
from members.models import Membership, MembershipStatus, NotificationPreference
from members.services import change_membership_status, choose_mail
from networks.scoping import all_networks
from tests import factories


@dataclass
class Town:
    network: object
    other: object
    facilitator: object
    member: Membership
    quiet: Membership
    shared: Membership
    elsewhere: Membership
    gone: Membership

    def inbox(self, person, kind=None):
        items = list(notifications.inbox(person))
        return [item for item in items if kind is None or item.kind == kind]

    def mailed(self, person):
        return [message for message in mail.outbox if message.to == [person.email]]

    def outbox_rows(self, person):
        return OutgoingMail.objects.filter(recipients=person.email).count()

    def entities(self):
        return [self.member.entity, self.quiet.entity, self.shared.entity]


def turn_off(person, network):
    choose_mail(
        by=person,
        default=person.notification_preference,
        per_network={network: NotificationPreference.NEVER},
    )


@pytest.fixture
def town(network, other_network):
    with all_networks():
        facilitator = factories.FacilitatorFactory(network=network).user
        member = factories.MembershipFactory(network=network)
        quiet = factories.MembershipFactory(network=network)
        shared = factories.MembershipFactory(network=network)
        factories.MembershipFactory(
            network=other_network,
            entity=shared.entity,
            representative=shared.representative,
            alternate=shared.alternate,
        )
        elsewhere = factories.MembershipFactory(network=other_network)
        gone = factories.MembershipFactory(network=network)
    turn_off(quiet.representative, network)
    return Town(network, other_network, facilitator, member, quiet, shared, elsewhere, gone)


def leave(membership):
    change_membership_status(
        membership=membership, status=MembershipStatus.LEFT, by=SYSTEM, reason="Cerró la sede."
    )


def deliver_with_two_workers():
    """Two workers deliver the pending notifications at the same moment."""
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            notifications.deliver_pending_notifications()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
