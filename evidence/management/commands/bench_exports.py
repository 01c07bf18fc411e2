"""Memory and time of the facilitator's member export at two sizes: it should stay flat.

For each size, a network with that many member entities (each with a
representative and an alternate who have an email and a phone) is generated
in a transaction, exported to CSV and to Excel as the download views do it,
and rolled back. The peak of Python's allocations while exporting
(`tracemalloc`) is printed beside the time.
"""

import time
import tracemalloc

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evidence import exports
from members.models import Entity, Membership, MembershipStatus, User
from networks.models import Network
from networks.scoping import network_scope
from platforms.models import Platform

BATCH = 2000


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure the member export's peak memory and time at several sizes (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="2000,20000")

    def handle(self, *args, **options):
        try:
            sizes = [int(size) for size in options["sizes"].split(",")]
        except ValueError:
            raise CommandError("--sizes takes numbers separated by commas.") from None
        self.stdout.write(
            f"{'rows':>7} {'format':>6} {'peak (MiB)':>11} {'time (s)':>9} {'bytes':>12}"
        )
        for size in sizes:
            try:
                with transaction.atomic():
                    network = Network.objects.create(
                        name=f"Red de exportación {size}", slug=f"bench-exports-{size}"
                    )
                    with network_scope(network):
                        generate_members(network, size)
                        for file_format in ("csv", "xlsx"):
                            self.measure(network, size, file_format)
                    raise Rollback
            except Rollback:
                pass

    def measure(self, network, size, file_format):
        # Timed alone, then again under tracemalloc, which slows Python down several times.
        started = time.perf_counter()
        written = export(network, file_format)
        took = time.perf_counter() - started
        tracemalloc.start()
        export(network, file_format)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"{size:>7,} {file_format:>6} {peak / 2**20:>11.1f} {took:>9.2f} {written:>12,}"
        )


def export(network, file_format: str) -> int:
    """Export the members as a download would, and return how many bytes it wrote."""
    dataset = exports.members(network)
    if file_format == "csv":
        return sum(len(line.encode()) for line in exports.csv_lines(dataset))
    handle = exports.xlsx_file(dataset)
    written = sum(len(chunk) for chunk in iter(lambda: handle.read(65536), b""))
    handle.close()
    return written


def generate_members(network, size: int) -> None:
    platform_ids = list(Platform.objects.values_list("pk", flat=True))
    entities = Entity.objects.bulk_create(
        [
            Entity(name=f"Entidad {size}-{index}", slug=f"bench-export-{size}-{index}", kind="ngo")
            for index in range(size)
        ],
        batch_size=BATCH,
    )
    people = User.objects.bulk_create(
        [
            User(
                username=f"bench-export-{size}-{index}",
                email=f"persona{index}@export{size}.example.org",
                first_name="Persona",
                last_name=str(index),
                phone="+51 999 000 000",
                password=UNUSABLE_PASSWORD_PREFIX,
            )
            for index in range(2 * size)
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                network=network,
                entity=entity,
                platform_id=platform_ids[index % len(platform_ids)],
                status=MembershipStatus.ACTIVE,
                representative=people[2 * index],
                alternate=people[2 * index + 1],
            )
            for index, entity in enumerate(entities)
        ],
        batch_size=BATCH,
    )
