import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from commissions.models import Commission, CommissionMember, ProgressUpdate, PromoterTerm
from demo.demo_data import KIND_PLATFORM, KIND_SHARES, WORDS, allocate
from members.models import Entity, Membership, MembershipStatus, PriorityArea, User
from networks.models import Network, NetworkKind
from networks.scoping import all_networks
from platforms.models import Platform, Sector

BATCH = 2000
REGIONS = [
    "Amazonas",
    "Áncash",
    "Apurímac",
    "Arequipa",
    "Ayacucho",
    "Cajamarca",
    "Callao",
    "Cusco",
    "Huancavelica",
    "Huánuco",
    "Ica",
    "Junín",
    "La Libertad",
    "Lambayeque",
    "Lima",
    "Loreto",
    "Madre de Dios",
    "Moquegua",
    "Pasco",
    "Piura",
    "Puno",
    "San Martín",
    "Tacna",
    "Tumbes",
    "Ucayali",
]
TOPICS = ["Juventud", "Medio Ambiente", "Desarrollo Social", "Salud", "Cultura", "Educación"]
# Kind of entity, as the start of a generated name.
KIND_PREFIX = {
    "association": "Asociación",
    "ngo": "ONG",
    "foundation": "Fundación",
    "university": "Voluntariado Universitario",
    "public_agency": "Programa Municipal",
    "company": "Voluntariado Corporativo",
    "international": "Voluntariado Internacional",
    "youth_group": "Red Juvenil",
    "informal_group": "Colectivo",
    "other": "Comunidad",
}


class Command(BaseCommand):
    help = (
        "Generate a large data set for benchmarks: networks with their platforms, entities "
        "with memberships and representatives, commissions with members and a promoter, and "
        "progress updates. Each run adds a new, separately named set; nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--networks", type=int, default=100)
        parser.add_argument("--entities", type=int, default=20_000)
        parser.add_argument("--commissions", type=int, default=5_000)
        parser.add_argument(
            "--updates",
            type=int,
            default=50_000,
            help="Progress updates posted by the commissions' promoters (default 50,000).",
        )
        parser.add_argument("--members-per-commission", type=int, default=4)
        parser.add_argument("--seed", type=int, default=2015)

    def handle(self, *args, **options):
        for name in ["networks", "entities", "commissions"]:
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["entities"] < options["networks"]:
            raise CommandError("Give at least one entity per network (--entities ≥ --networks).")
        if options["updates"] < 0:
            raise CommandError("--updates cannot be negative.")
        started = time.monotonic()
        # One generator spans every network on purpose: it opens no scope per network.
        with all_networks(), transaction.atomic():
            counts = ScaleData(options, stdout=self.stdout).generate()
        if connection.vendor == "postgresql":
            # The planner's statistics, as after any bulk load: autovacuum may analyse
            # the new rows much later (or never, where it is off), and until then the
            # national directory's plans assume empty tables and take seconds.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        for label, count in counts.items():
            self.stdout.write(f"{label:<20} {count:>9,}")
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.1f} s."))


class ScaleData:
    def __init__(self, options, *, stdout):
        self.options = options
        self.stdout = stdout
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        self.counts = {}

    def bulk(self, model, rows, label):
        created = model._default_manager.bulk_create(rows, batch_size=BATCH)
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def generate(self):
        run = Network.objects.filter(kind=NetworkKind.NATIONAL, slug__startswith="escala-").count()
        self.run = f"escala-{run + 1}"
        networks = self.networks()
        platforms = self.platforms(networks)
        entities, by_network = self.entities(len(networks))
        self.memberships(networks, platforms, entities)
        commissions = self.commissions(networks)
        self.commission_members(commissions, by_network)
        terms = self.promoters(commissions, by_network)
        self.updates(terms)
        return self.counts

    def networks(self):
        national = Network.objects.create(
            name=f"Red Nacional de Escala {self.run}",
            slug=self.run,
            kind=NetworkKind.NATIONAL,
        )
        rows = [
            Network(
                name=f"Red de Escala {self.run} {index:04d}",
                slug=f"{self.run}-{index:04d}",
                kind=NetworkKind.REGIONAL,
                parent=national,
                region=REGIONS[index % len(REGIONS)],
            )
            for index in range(self.options["networks"])
        ]
        # bulk_create sends no post_save signal, so platforms are made below.
        created = self.bulk(Network, rows, "networks")
        self.counts["networks"] += 1
        return created

    def platforms(self, networks):
        rows = [
            Platform(network=network, sector=sector, position=position)
            for network in networks
            for position, sector in enumerate(Sector.values)
        ]
        self.bulk(Platform, rows, "platforms")
        return {
            (network_id, sector): platform_id
            for network_id, sector, platform_id in Platform.objects.filter(
                network__in=networks
            ).values_list("network_id", "sector", "id")
        }

    def entities(self, network_count):
        total = self.options["entities"]
        kinds = [kind for kind, n in allocate(total, KIND_SHARES).items() for _ in range(n)]
        self.rng.shuffle(kinds)
        rows = [
            Entity(
                name=f"{KIND_PREFIX[kind]} {self.rng.choice(WORDS)} {self.run} {index}",
                slug=f"{self.run}-entidad-{index}",
                kind=kind,
                legally_registered=kind != "informal_group",
                region=REGIONS[(index % network_count) % len(REGIONS)],
                city=REGIONS[(index % network_count) % len(REGIONS)],
                description="Entidad generada para pruebas de escala.",
            )
            for index, kind in enumerate(kinds)
        ]
        entities = self.bulk(Entity, rows, "entities")
        areas = list(PriorityArea.objects.all())
        through = Entity.priority_areas.through
        self.bulk(
            through,
            [
                through(entity_id=entity.pk, priorityarea_id=area.pk)
                for entity in entities
                for area in self.rng.sample(areas, self.rng.randint(1, 3))
            ],
            "entity areas",
        )
        by_network = [[] for _ in range(network_count)]
        for index, entity in enumerate(entities):
            by_network[index % network_count].append(entity)
        return entities, by_network

    def memberships(self, networks, platforms, entities):
        people = self.bulk(
            User,
            [
                User(
                    username=f"{self.run}-persona-{index}",
                    email=f"persona{index}@{self.run}.example.org",
                    first_name="Persona",
                    last_name=f"{index}",
                    password=UNUSABLE_PASSWORD_PREFIX,  # these people never log in
                )
                for index in range(2 * len(entities))
            ],
            "people",
        )
        rows = []
        for index, entity in enumerate(entities):
            network = networks[index % len(networks)]
            status = MembershipStatus.APPLIED if index % 20 == 0 else MembershipStatus.ACTIVE
            rows.append(
                Membership(
                    network=network,
                    entity=entity,
                    platform_id=platforms[(network.pk, KIND_PLATFORM[entity.kind])],
                    status=status,
                    joined_at=self.now if status == MembershipStatus.ACTIVE else None,
                    representative=people[2 * index],
                    alternate=people[2 * index + 1],
                )
            )
        self.bulk(Membership, rows, "memberships")

    def commissions(self, networks):
        rows = [
            Commission(
                network=networks[index % len(networks)],
                name=f"{TOPICS[index % len(TOPICS)]} {index}",
                purpose="Comisión generada para pruebas de escala.",
                last_activity_at=self.now,
            )
            for index in range(self.options["commissions"])
        ]
        return self.bulk(Commission, rows, "commissions")

    def commission_members(self, commissions, by_network):
        index_of = {}
        rows = []
        for position, commission in enumerate(commissions):
            candidates = by_network[position % len(by_network)]
            size = min(self.options["members_per_commission"], len(candidates))
            chosen = self.rng.sample(candidates, size)
            index_of[commission.pk] = chosen
            rows.extend(
                CommissionMember(network_id=commission.network_id, commission=commission, entity=e)
                for e in chosen
            )
        self.bulk(CommissionMember, rows, "commission members")
        self.seated = index_of

    def promoters(self, commissions, by_network):
        rows = [
            PromoterTerm(
                network_id=commission.network_id,
                commission=commission,
                entity=self.seated[commission.pk][0],
                started_at=self.now - timedelta(days=90),
            )
            for commission in commissions
        ]
        return self.bulk(PromoterTerm, rows, "promoter terms")

    def updates(self, terms):
        total = self.options["updates"]
        if not total:
            return
        rows = []
        for index in range(total):
            term = terms[index % len(terms)]
            rows.append(
                ProgressUpdate(
                    network_id=term.network_id,
                    commission_id=term.commission_id,
                    entity_id=term.entity_id,
                    text=f"Avance {index}: reunión de coordinación y tareas repartidas.",
                    created_at=self.now - timedelta(minutes=index),
                )
            )
            if len(rows) == BATCH:
                self.bulk(ProgressUpdate, rows, "progress updates")
                rows = []
        if rows:
            self.bulk(ProgressUpdate, rows, "progress updates")
