"""Two networks that share an entity, with something due for every job at one moment.

Each network has its own marker word in the names of its network, entities,
commissions, actions and events, so a test can tell at a glance whether a
message names anything of the other network. Both have:

- a facilitator, and a former facilitator whose term has ended;
- `own`: an entity of that network alone, promoter of its commissions;
- `shared`: the same entity, an active member of both networks, with other
  people in each (one person, `bridge`, is its representative in Arequipa and
  its alternate in Cusco);
- `suspended`: a suspended member that still sits in commissions, promotes,
  organises and is registered;
- `leaver`: an active member that left the closing commission;
- commissions that close, are about to close, stall, and have gone quiet for
  a year (long promoter terms, overdue actions, no yearly sheet);
- an event tomorrow with registrations of every kind (entities, a person with
  an account, a guest without one, none of them confirmed by mail yet) and two
  past events whose minutes are missing.

Everything is made with factories and plain rows, not through services, so
the world is the same whatever rules the services gain.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from commissions.models import (
    ActionStatus,
    CommissionMember,
    CommissionState,
    PromoterTerm,
)
from decisions.models import DecisionRule, Position, Proposal, ProposalState, Stance
from events.models import EventKind, EventOrganiser, EventStatus
from members.models import Membership, MembershipStatus, NotificationPreference, User
from networks.models import Facilitator, Network
from networks.scoping import all_networks
from tests import factories
from tests.events.factories import EventFactory, RegistrationFactory

# A Monday afternoon, when every beat entry may run.
NOW = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@dataclass
class Side:
    """One network of the world and its people, by the role that entitles them to hear."""

    network: Network
    marker: str
    facilitator: User
    former_facilitator: User
    own: Membership
    shared: Membership
    suspended: Membership
    leaver: Membership
    registrant: User
    guest_email: str
    commissions: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)

    @staticmethod
    def people(*memberships):
        return {
            person
            for membership in memberships
            for person in (membership.representative, membership.alternate)
            if person is not None
        }


@dataclass
class World:
    arequipa: Side
    cusco: Side
    bridge: User

    @property
    def sides(self):
        return (self.arequipa, self.cusco)

    def other(self, side):
        return self.cusco if side is self.arequipa else self.arequipa

    def side_of(self, network_id):
        return next(side for side in self.sides if side.network.pk == network_id)


def _facilitators(network):
    facilitator = factories.UserFactory()
    Facilitator.objects.create(
        network=network, user=facilitator, started_on=(NOW - 300 * DAY).date()
    )
    former = factories.UserFactory()
    Facilitator.objects.create(
        network=network,
        user=former,
        started_on=(NOW - 800 * DAY).date(),
        ended_on=(NOW - 300 * DAY).date(),
    )
    return facilitator, former


def _member(network, entity=None, **fields):
    values = {"network": network}
    if entity is not None:
        values["entity"] = entity
    return factories.MembershipFactory(**values, **fields)


def _commission(side, key, name, *, members, left=(), terms=(), ended_terms=(), **fields):
    commission = factories.CommissionFactory(network=side.network, name=name, **fields)
    for membership in members:
        CommissionMember.objects.create(
            network=side.network, commission=commission, entity=membership.entity
        )
    for membership in left:
        CommissionMember.objects.create(
            network=side.network,
            commission=commission,
            entity=membership.entity,
            joined_on=(NOW - 200 * DAY).date(),
            left_on=(NOW - 10 * DAY).date(),
        )
    for membership, started_at in terms:
        PromoterTerm.objects.create(
            network=side.network,
            commission=commission,
            entity=membership.entity,
            started_at=started_at,
        )
    for membership in ended_terms:
        PromoterTerm.objects.create(
            network=side.network,
            commission=commission,
            entity=membership.entity,
            started_at=NOW - 200 * DAY,
            ended_at=NOW - 31 * DAY,
        )
    side.commissions[key] = commission
    return commission


def _side(network, marker, shared_entity, shared_people):
    facilitator, former = _facilitators(network)
    own = _member(network, entity=factories.EntityFactory(name=f"Colectivo {marker}"))
    own.alternate.notification_preference = NotificationPreference.WEEKLY_DIGEST
    own.alternate.save()
    shared = _member(network, entity=shared_entity, **shared_people)
    suspended = _member(
        network,
        entity=factories.EntityFactory(name=f"Grupo suspendido {marker}"),
        status=MembershipStatus.SUSPENDED,
    )
    leaver = _member(network, entity=factories.EntityFactory(name=f"Asociación {marker} saliente"))
    side = Side(
        network=network,
        marker=marker,
        facilitator=facilitator,
        former_facilitator=former,
        own=own,
        shared=shared,
        suspended=suspended,
        leaver=leaver,
        registrant=factories.UserFactory(),
        guest_email=f"invitada-{marker.lower()}@example.org",
    )
    _commission(
        side,
        "closing",
        f"Comisión {marker} que cierra",
        state=CommissionState.VACANT,
        vacant_since=NOW - 31 * DAY,
        members=[own, shared, suspended],
        left=[leaver],
        ended_terms=[own],
    )
    _commission(
        side,
        "closing_soon",
        f"Comisión {marker} por cerrar",
        state=CommissionState.VACANT,
        vacant_since=NOW - 29 * DAY,
        members=[shared],
    )
    _commission(
        side,
        "stalling",
        f"Comisión {marker} que se estanca",
        last_activity_at=NOW - 61 * DAY,
        members=[own, shared],
        terms=[(own, NOW - 90 * DAY)],
    )
    quiet = _commission(
        side,
        "quiet",
        f"Comisión {marker} en silencio",
        last_activity_at=NOW - 20 * DAY,
        started_on=(NOW - 400 * DAY).date(),
        members=[own, shared, suspended],
        terms=[
            (shared, NOW - 400 * DAY),
            (suspended, NOW - 400 * DAY),
            (own, NOW - 30 * DAY),
        ],
    )
    for responsible in (shared, suspended):
        factories.ActionFactory(
            commission=quiet,
            title=f"Acción {marker} de {responsible.entity.name}",
            responsible=responsible.entity,
            status=ActionStatus.IN_PROGRESS,
            due_on=(NOW - 3 * DAY).date(),
        )
    _events(side)
    _proposals(side)
    return side


def _proposals(side):
    """A proposal closing in twelve hours that only `own` answered, one just closed, a vote
    closing in six hours, and a decision of the shared entity due for review."""
    network = side.network
    frozen = {"rule": DecisionRule.CONSENT_THEN_VOTE}
    closing = Proposal.objects.create(
        network=network,
        title=f"Propuesta {side.marker} por cerrar",
        text="Texto",
        proposer=side.own.entity,
        opens_at=NOW - 3 * DAY,
        closes_at=NOW + timedelta(hours=12),
        state=ProposalState.OPEN,
        **frozen,
    )
    Position.objects.create(
        network=network, proposal=closing, entity=side.own.entity, stance=Stance.AGREE
    )
    Proposal.objects.create(
        network=network,
        title=f"Propuesta {side.marker} cerrada",
        text="Texto",
        proposer=side.own.entity,
        opens_at=NOW - 3 * DAY,
        closes_at=NOW - timedelta(hours=1),
        state=ProposalState.OPEN,
        **frozen,
    )
    Proposal.objects.create(
        network=network,
        title=f"Propuesta {side.marker} en votación",
        text="Texto",
        proposer=side.own.entity,
        opens_at=NOW - 5 * DAY,
        closes_at=NOW - 2 * DAY,
        state=ProposalState.VOTING,
        vote_opened_at=NOW - DAY,
        vote_closes_at=NOW + timedelta(hours=6),
        **frozen,
    )
    Proposal.objects.create(
        network=network,
        title=f"Acuerdo {side.marker} por revisar",
        text="Texto",
        proposer=side.shared.entity,
        opens_at=NOW - 200 * DAY,
        closes_at=NOW - 190 * DAY,
        state=ProposalState.ADOPTED,
        decided_by="consent",
        decided_at=NOW - 190 * DAY,
        review_on=(NOW - DAY).date(),
        **frozen,
    )


def _events(side):
    network = side.network
    starts_at = NOW + DAY - timedelta(hours=1)
    upcoming = EventFactory(
        network=network,
        title=f"Taller {side.marker}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        created_by=side.facilitator,
    )
    confirmed = {"confirmed_at": NOW - timedelta(hours=2)}
    for membership in (side.shared, side.suspended):
        RegistrationFactory(event=upcoming, entity=membership.entity, **confirmed)
    RegistrationFactory(
        event=upcoming,
        user=side.registrant,
        name=str(side.registrant),
        email=side.registrant.email,
        **confirmed,
    )
    RegistrationFactory(
        event=upcoming, name=f"Invitada {side.marker}", email=side.guest_email, **confirmed
    )
    side.events["upcoming"] = upcoming
    for key, title, organisers, created_by in (
        ("assembly", f"Asamblea {side.marker}", (side.shared, side.suspended), None),
        ("meeting", f"Encuentro {side.marker}", (side.own,), side.facilitator),
    ):
        ends_at = NOW - 3 * DAY - timedelta(hours=1)
        event = EventFactory(
            network=network,
            kind=EventKind.PLENARY if key == "assembly" else EventKind.TRAINING,
            title=title,
            starts_at=ends_at - timedelta(hours=3),
            ends_at=ends_at,
            status=EventStatus.ANNOUNCED,
            created_by=created_by or side.former_facilitator,
        )
        for membership in organisers:
            EventOrganiser.objects.create(network=network, event=event, entity=membership.entity)
        side.events[key] = event


@pytest.fixture
def world(db):
    """The world, built and then looked at at its moment, `NOW` (the clock stands still)."""
    with time_machine.travel(NOW, tick=False):
        yield _build()


def _build():
    with all_networks():
        arequipa = factories.NetworkFactory(
            name="Red Qhapaq de Arequipa", slug="arequipa-qhapaq", region="Arequipa"
        )
        cusco = factories.NetworkFactory(
            name="Red Wayra del Cusco",
            slug="cusco-wayra",
            region="Cusco",
            time_zone="America/Bogota",
        )
        bridge = factories.UserFactory(first_name="Puente")
        shared_entity = factories.EntityFactory(name="Asociación Puente de Voluntarios")
        world = World(
            arequipa=_side(arequipa, "Qhapaq", shared_entity, {"representative": bridge}),
            cusco=_side(cusco, "Wayra", shared_entity, {"alternate": bridge}),
            bridge=bridge,
        )
        assert Membership.objects.filter(entity=shared_entity).count() == 2
    return world
