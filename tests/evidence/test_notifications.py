"""The entity named in a declared collaboration hears of it, by mail through the outbox."""

from datetime import UTC, date, datetime

import time_machine
from django.urls import reverse

from core.models import OutgoingMail
from evidence.models import CollaborationKind
from evidence.notifications import EvidenceNotice
from evidence.services import declare_collaboration
from members.models import Notification
from members.tasks import deliver_notifications
from networks.scoping import network_scope
from tests import factories


@time_machine.travel(datetime(2026, 6, 30, 15, tzinfo=UTC))
def test_the_other_entity_is_told_and_asked_to_confirm(network, other_network):
    ours = factories.MembershipFactory(network=network)
    theirs = factories.MembershipFactory(network=network)
    # The same entity in another network: its people there hear nothing of this one.
    factories.MembershipFactory(network=other_network, entity=theirs.entity)

    with network_scope(network):
        collaboration = declare_collaboration(
            network=network,
            from_entity=ours.entity,
            to_entity=theirs.entity,
            kind=CollaborationKind.HELP,
            what="Nos prestaron su local",
            happened_on=date(2026, 6, 1),
            by=ours.representative,
        )
        notices = list(Notification.objects.order_by("recipient_id"))

    assert {notice.recipient for notice in notices} == {theirs.representative, theirs.alternate}
    assert {notice.kind for notice in notices} == {EvidenceNotice.HELPED}
    assert notices[0].key == f"{EvidenceNotice.HELPED}:{collaboration.pk}"
    assert notices[0].link == reverse(
        "evidence:collaborations", kwargs={"network_slug": network.slug}
    )

    deliver_notifications()

    mails = OutgoingMail.objects.all()
    assert sorted(mail.recipients for mail in mails) == sorted(
        [theirs.representative.email, theirs.alternate.email]
    )
    assert all("Nos prestaron su local" in str(mail.message) for mail in mails)


def test_an_active_member_finds_its_collaborations_from_its_workspace(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.representative)

    page = client.get(reverse("workspace:home"), secure=True).content.decode()

    assert reverse("evidence:collaborations", kwargs={"network_slug": network.slug}) in page
