from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from core.actors import SYSTEM
from core.models import OutgoingMail
from events import services
from events.models import KINDS_CONVENED_BY_THE_NETWORK, EventFormat, EventKind, Visibility
from networks.services import appoint_facilitator
from tests import factories

LIMA = ZoneInfo("America/Lima")


class Cast:
    """A network with its facilitator and three member entities, each with two people."""

    def __init__(self, network):
        self.network = network
        self.facilitator = factories.UserFactory(username="facilitadora")
        appoint_facilitator(network=network, user=self.facilitator, by=SYSTEM)
        self.memberships = [factories.MembershipFactory(network=network) for _ in range(3)]
        self.entities = [membership.entity for membership in self.memberships]

    def people_of(self, entity):
        membership = next(m for m in self.memberships if m.entity == entity)
        return {membership.representative, membership.alternate}

    def representative_of(self, entity):
        return next(m for m in self.memberships if m.entity == entity).representative

    def event(self, *, starts_at=None, hours=3, by=None, organisers=None, **fields):
        """An announced event, organised by the first entity and created by its representative
        (the network's own kinds by the facilitator), unless told otherwise."""
        starts_at = starts_at or timezone.now() + timedelta(days=20)
        values = {
            "kind": EventKind.TRAINING,
            "title": "Taller de gestión del voluntariado",
            "format": EventFormat.IN_PERSON,
            "place": "Casona Universitaria, Arequipa",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "visibility": Visibility.PUBLIC,
        }
        values.update(fields)
        organisers = [self.entities[0]] if organisers is None else organisers
        if by is None:
            network_wide = values["kind"] in KINDS_CONVENED_BY_THE_NETWORK
            by = self.facilitator if network_wide else self.representative_of(organisers[0])
        return services.create_event(
            network=self.network,
            by=by,
            organisers=organisers,
            announce=True,
            **values,
        )


@pytest.fixture
def cast(network):
    return Cast(network)


def lima(*args):
    return datetime(*args, tzinfo=LIMA)


@pytest.fixture
def confirmations_sent_at_once(mail_delivered_at_commit):
    """The outbox sends at commit, in the test's process."""


def forget_mail_so_far():
    """What the set-up wrote to the outbox counts as sent: a test sees what comes next."""
    OutgoingMail.objects.pending().update(sent_at=timezone.now())
    mail.outbox.clear()
