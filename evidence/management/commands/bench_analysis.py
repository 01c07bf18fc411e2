"""How long the analysis job takes for networks of 2,000, 5,000 and 20,000 entities.

Each size is generated in its own transaction (entities, memberships on the six
platforms, commissions of five, events organised by three, and declared
collaborations, about four ties per entity as in the study), analysed as the
job does it (read the ties, compute, store the snapshot), and rolled back.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from commissions.models import Commission, CommissionMember
from events.models import Event, EventKind, EventOrganiser, EventStatus
from evidence.analysis import EXACT_BETWEENNESS_LIMIT
from evidence.models import Collaboration, CollaborationKind
from evidence.services import compute_snapshot
from members.models import Entity, Membership, MembershipStatus
from networks.models import Network
from networks.scoping import network_scope
from platforms.models import Platform

BATCH = 2000


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the network analysis job at several network sizes (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="2000,5000,20000")
        parser.add_argument("--seed", type=int, default=53)

    def handle(self, *args, **options):
        try:
            sizes = [int(size) for size in options["sizes"].split(",")]
        except ValueError:
            raise CommandError("--sizes takes numbers separated by commas.") from None
        self.stdout.write(
            f"{'entities':>9} {'ties':>8} {'method':>8} {'job (s)':>8} {'generated in (s)':>17}"
        )
        for size in sizes:
            self.bench(size, random.Random(options["seed"]))

    def bench(self, size, rng):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                network = Network.objects.create(
                    name=f"Red de prueba de {size}", slug=f"bench-analysis-{size}"
                )
                with network_scope(network):
                    generate_network(network, size, rng)
                    generated = time.perf_counter() - started
                    started = time.perf_counter()
                    snapshot = compute_snapshot(network=network)
                    took = time.perf_counter() - started
                method = "exact" if size <= EXACT_BETWEENNESS_LIMIT else "sampled"
                line = (
                    f"{snapshot.entities:>9,} {snapshot.ties:>8,} {method:>8} {took:>8.2f} "
                    f"{generated:>17.1f}"
                )
                sampling = snapshot.results["betweenness_sampling"]
                if sampling:
                    line += (
                        f"  ({sampling['sources']} sources, median relative error "
                        f"{sampling['relative_error']:.1%})"
                    )
                self.stdout.write(line)
                raise Rollback
        except Rollback:
            pass


def generate_network(network, size: int, rng: random.Random) -> None:
    """Members, commissions, events and declarations for `size` entities, about four ties each."""
    platforms = list(Platform.objects.values_list("pk", flat=True))
    now = timezone.now()
    joined = now - timedelta(days=400)
    entities = Entity.objects.bulk_create(
        [
            Entity(name=f"Entidad {size}-{index}", slug=f"bench-{size}-{index}", kind="ngo")
            for index in range(size)
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                network=network,
                entity=entity,
                platform_id=rng.choice(platforms),
                status=MembershipStatus.ACTIVE,
                joined_at=joined if rng.random() > 0.2 else now - timedelta(days=100),
            )
            for entity in entities
        ],
        batch_size=BATCH,
    )
    ids = [entity.pk for entity in entities]
    # A fifth of the entities stay out of every tie, as the study's isolated ones.
    tied = rng.sample(ids, int(size * 0.8))
    commissions = Commission.objects.bulk_create(
        [Commission(network=network, name=f"Comisión {index}") for index in range(size // 10)],
        batch_size=BATCH,
    )
    seats = []
    for commission in commissions:
        for entity_id in rng.sample(tied, 5):
            seats.append(
                CommissionMember(
                    network=network,
                    commission=commission,
                    entity_id=entity_id,
                    joined_on=(now - timedelta(days=200)).date(),
                )
            )
    CommissionMember.objects.bulk_create(seats, batch_size=BATCH, ignore_conflicts=True)
    events = Event.objects.bulk_create(
        [
            Event(
                network=network,
                kind=EventKind.TRAINING,
                title=f"Evento {index}",
                starts_at=now - timedelta(days=30),
                ends_at=now - timedelta(days=30, hours=-2),
                registration_closes_at=now - timedelta(days=30),
                status=EventStatus.ANNOUNCED,
            )
            for index in range(size // 10)
        ],
        batch_size=BATCH,
    )
    EventOrganiser.objects.bulk_create(
        [
            EventOrganiser(network=network, event=event, entity_id=entity_id)
            for event in events
            for entity_id in rng.sample(tied, 3)
        ],
        batch_size=BATCH,
    )
    kinds = [CollaborationKind.CONTACT, CollaborationKind.HELP]
    declarations = []
    for _ in range(int(size * 2.7)):
        source, target = rng.sample(tied, 2)
        declarations.append(
            Collaboration(
                network=network,
                from_entity_id=source,
                to_entity_id=target,
                kind=rng.choice(kinds),
                what="Trabajo conjunto",
                happened_on=(now - timedelta(days=rng.randint(1, 300))).date(),
            )
        )
    Collaboration.objects.bulk_create(declarations, batch_size=BATCH)
