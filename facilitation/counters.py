"""The counts the home page shows for each network, read from one row per network.

A network's active member entities and open commissions, and, over the network
and every network under it, its member entities (an entity in two regions
counts once) and open commissions. Counting them over the memberships costs
more as the networks grow; the home page reads them from `NetworkCounters`
instead, one row per network it shows.

The rows are kept exact by the database's own page versions
(`networks.changes`), which every write to memberships and commissions
raises in its transaction, whoever makes it: a service, the admin, a bulk
update or a job. Each row carries the version of its network and of the
networks under it at which it was counted. A read that finds the version
moved on (or no row) counts that network again and writes the row: the cost
of a write is one count of the networks it touched and of the networks above
them, paid once by the next read; a network nobody wrote to costs one row.
Writing the rows is a cache's write, as the page cache keeps a page: the
counts are never a source of anything. A nightly job counts every network
again and reports a row that was wrong although its version was current
(`recount`).

On SQLite there are no versions: the networks shown are counted every time.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from commissions.models import Commission, CommissionState
from facilitation.models import NetworkCounters
from members.reach import MemberCounts, member_counts_of, networks_under_each
from networks import changes
from networks.scoping import all_networks

logger = logging.getLogger(__name__)

COUNTED = ("active_members", "open_commissions", "entities_in_reach", "commissions_in_reach")


@dataclass(frozen=True)
class Counts:
    active_members: int = 0
    open_commissions: int = 0
    entities_in_reach: int = 0
    commissions_in_reach: int = 0

    @classmethod
    def of_row(cls, row: NetworkCounters) -> "Counts":
        return cls(**{name: getattr(row, name) for name in COUNTED})


@dataclass(frozen=True)
class Drift:
    """A count a row held while its version said it was current, and what it really was."""

    network_id: int
    counter: str
    kept: int
    counted: int


def count(network_ids: Iterable[int]) -> dict[int, Counts]:
    """Count these networks from their memberships and commissions, in three queries.

    The networks in each one's reach, the grouped count of their active
    memberships (`members.reach`) and the open commissions of those networks.
    """
    ids = sorted(set(network_ids))
    if not ids:
        return {}
    under = networks_under_each(ids)
    members = member_counts_of(ids)
    # The networks under those counted are read on purpose: the query names them.
    with all_networks():
        open_commissions = dict(
            Commission.objects.filter(network_id__in=set().union(*under.values()))
            .exclude(state=CommissionState.CLOSED)
            .order_by()
            .values_list("network_id")
            .annotate(total=Count("pk"))
            .values_list("network_id", "total")
        )
    counts = {}
    for network_id in ids:
        member_counts = members.get(network_id, MemberCounts())
        counts[network_id] = Counts(
            active_members=member_counts.active,
            open_commissions=open_commissions.get(network_id, 0),
            entities_in_reach=member_counts.in_reach,
            commissions_in_reach=sum(
                open_commissions.get(under_id, 0) for under_id in under.get(network_id, ())
            ),
        )
    return counts


def current_counts(network_ids: Sequence[int]) -> dict[int, Counts]:
    """The counts of these networks: their rows, and a new count of those whose rows are old.

    Two queries when every row is current (the versions, the rows); three more
    when some are not (the count, and writing their rows). The versions are read
    before anything is counted, so a row never claims a version newer than what
    it counted: a write that lands in between only makes the next read count again.
    """
    if not changes.enabled():
        return count(network_ids)
    versions = changes.versions_of_reach(network_ids)
    rows = NetworkCounters.objects.in_bulk(list(network_ids))
    counts, old = {}, []
    for network_id in network_ids:
        row = rows.get(network_id)
        if row is not None and (row.version, row.reach) == versions.get(network_id):
            counts[network_id] = Counts.of_row(row)
        else:
            old.append(network_id)
    if old:
        counted = count(old)
        _keep(counted, versions)
        counts.update(counted)
    return counts


def recount(network_ids: Iterable[int]) -> list[Drift]:
    """Count these networks again, write their rows, and report each count a current row had wrong.

    A row whose version is old is only counted again, as the next read would;
    one whose version is current but whose counts differ means something wrote
    around the versions (a table without its trigger, a row edited by hand): it
    is repaired and logged as a warning. The versions, the rows and the counts
    are read in one snapshot, so a write landing meanwhile is not taken for drift.
    """
    ids = sorted(set(network_ids))
    if not changes.enabled() or not ids:
        return []
    with _one_snapshot():
        versions = changes.versions_of_reach(ids)
        rows = NetworkCounters.objects.in_bulk(ids)
        counted = count(ids)
    drift = []
    for network_id, counts in counted.items():
        row = rows.get(network_id)
        if row is None or (row.version, row.reach) != versions.get(network_id):
            continue
        drift += [
            Drift(network_id, name, getattr(row, name), getattr(counts, name))
            for name in COUNTED
            if getattr(row, name) != getattr(counts, name)
        ]
    _keep(counted, versions)
    for found in drift:
        logger.warning(
            "The home page's %s of network %s had drifted: %s kept, %s counted; repaired.",
            found.counter.replace("_", " "),
            found.network_id,
            found.kept,
            found.counted,
        )
    return drift


def _keep(counted: dict[int, Counts], versions: dict[int, changes.ReachVersion]) -> None:
    """Write these counts with the versions they were counted at, in the order of the ids.

    In that order, two requests writing the same rows wait for each other
    instead of deadlocking. A network deleted meanwhile is not written.
    """
    now = timezone.now()
    rows = [
        NetworkCounters(
            network_id=network_id,
            **asdict(counted[network_id]),
            version=versions[network_id].version,
            reach=versions[network_id].networks,
            counted_at=now,
        )
        for network_id in sorted(counted)
        if network_id in versions
    ]
    if not rows:
        return
    try:
        with transaction.atomic():
            NetworkCounters.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["network"],
                update_fields=[*COUNTED, "version", "reach", "counted_at"],
            )
    except IntegrityError:
        logger.info("A network counted for the home page was deleted meanwhile; not kept.")


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """A read-only transaction that sees one snapshot throughout, where it can be started.

    Inside a transaction already open (a test's), the reads simply share it.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
