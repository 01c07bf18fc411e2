"""Measure the daily lifecycle sweep over many commissions, then leave the database as it was."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from commissions.lifecycle import sweep_commissions
from commissions.models import Commission, CommissionState
from members.models import User
from networks.models import Facilitator, Network
from networks.scoping import all_networks


class StatementCounter:
    def __init__(self):
        self.count = 0
        self.slowest = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.slowest.append((time.perf_counter() - started, sql[:90]))


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Create COMMISSIONS commissions over NETWORKS networks inside a transaction, run the "
        "lifecycle sweep, print its elapsed time and SQL statement count, and roll everything back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commissions", type=int, default=100_000)
        parser.add_argument("--networks", type=int, default=100)
        parser.add_argument(
            "--due-percent",
            type=int,
            default=10,
            help="Percentage of commissions due to stall, and the same again due to close.",
        )

    def handle(self, *args, commissions, networks, due_percent, **options):
        self.verbosity = options["verbosity"]
        try:
            with transaction.atomic(), all_networks():
                self._run(commissions, networks, due_percent)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    def _run(self, total, network_count, due_percent):
        now = timezone.now()
        started = time.perf_counter()
        suffix = int(now.timestamp())
        networks = [
            Network.objects.create(name=f"Bench {suffix} {n}", slug=f"bench-{suffix}-{n}")
            for n in range(network_count)
        ]
        facilitator = User.objects.create_user(
            username=f"bench-{suffix}", email=f"bench-{suffix}@example.org"
        )
        Facilitator.objects.bulk_create(
            Facilitator(network=network, user=facilitator) for network in networks
        )
        due = total * due_percent // 100
        rows = []
        for number in range(total):
            network = networks[number % network_count]
            commission = Commission(
                network=network, name=f"Comisión {number}", last_activity_at=now - timedelta(days=1)
            )
            if number < due:
                # Past the default stall period (60 days) of the network.
                commission.last_activity_at = now - timedelta(days=61)
            elif number < 2 * due:
                # Past the default grace period (30 days).
                commission.state = CommissionState.VACANT
                commission.vacant_since = now - timedelta(days=31)
            rows.append(commission)
        Commission.objects.bulk_create(rows, batch_size=5000)
        self.stdout.write(
            f"Set up {total} commissions in {network_count} networks "
            f"in {time.perf_counter() - started:.1f} s ({connection.vendor})."
        )

        counter = StatementCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            counts = sweep_commissions(now=now)
            elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Sweep over {total} commissions: {elapsed:.2f} s, {counter.count} SQL statements; "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
        if self.verbosity > 1:
            for seconds, sql in sorted(counter.slowest, reverse=True)[:8]:
                self.stdout.write(f"  {seconds:6.3f} s  {sql}")
