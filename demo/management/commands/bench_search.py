"""Time the name searches in SQL: the directory's page and count, and the similar-name check."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q

from core.text import folded
from members import selectors
from members.models import Entity, MembershipStatus
from members.views import DIRECTORY_PAGE_SIZE
from networks.models import Network
from networks.scoping import all_networks

TYPED = ["asociacion", "raices", "fundacion ayni", "ONG", "zzz"]
ACTIVE = Q(memberships__status=MembershipStatus.ACTIVE)
EXECUTION_TIME = re.compile(r"Execution Time: ([\d.]+) ms")


class Command(BaseCommand):
    help = (
        "Run the directory's search (first page and count) in the network with the most "
        "active members, and the similar-name check over every entity, under EXPLAIN ANALYZE "
        "on PostgreSQL, and print the best execution time of --runs runs for each typed text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("typed", nargs="*", default=TYPED)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("EXPLAIN ANALYZE timings need PostgreSQL (set DATABASE_URL).")
        with all_networks():
            network = (
                Network.objects.annotate(
                    active=Count(
                        "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                    )
                )
                .order_by("-active", "pk")
                .first()
            )
            if network is None:
                raise CommandError("No network yet: run generate_scale_data first.")
            entities = Entity.objects.count()
            self.stdout.write(
                f"{entities:,} entities; directory of {network.slug} "
                f"({network.active:,} active members); best of {options['runs']} runs, SQL ms"
            )
            self.stdout.write(f"{'typed':<18} {'page':>8} {'count':>8} {'similar':>8} {'rows':>7}")
            for typed in options["typed"]:
                memberships = selectors.directory(network=network, query=typed)
                page = memberships[:DIRECTORY_PAGE_SIZE]
                rows = memberships.count()
                similar = self.similar_candidates(typed)
                self.stdout.write(
                    f"{typed:<18} {self.best(page, options['runs']):>8.2f} "
                    f"{self.best_count(memberships, options['runs']):>8.2f} "
                    f"{self.best(similar, options['runs']):>8.2f} {rows:>7,}"
                )

    def similar_candidates(self, typed):
        words = selectors.normalise_name(typed).split() or [folded(typed)]
        return selectors.similar_candidates(words)

    def best(self, queryset, runs):
        sql, params = queryset.query.sql_with_params()
        return self.explain(sql, params, runs)

    def best_count(self, queryset, runs):
        # What the paginator asks: the number of rows the search finds.
        inner, params = queryset.order_by().values("pk").query.sql_with_params()
        sql = f"SELECT COUNT(*) FROM ({inner}) counted"  # noqa: S608 (the ORM's own SQL)
        return self.explain(sql, params, runs)

    def explain(self, sql, params, runs):
        timings = []
        with connection.cursor() as cursor:
            for _run in range(runs):
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                timings.append(float(EXECUTION_TIME.search(plan).group(1)))
        return min(timings)
