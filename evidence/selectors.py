"""Reads of the evidence app; each a fixed number of queries, whatever the network's size."""

from collections.abc import Iterable

from django.db.models import Q

from evidence.models import (
    ActivityReport,
    AnalysisSnapshot,
    Collaboration,
    EvidenceSettings,
    SnapshotState,
    SpreadsheetImport,
)
from members.models import Entity, Membership, MembershipStatus
from networks.models import Network

TREND_LENGTH = 12
TREND_FIELDS = (
    "pk",
    "finished_at",
    "period_start",
    "period_end",
    "entities",
    "ties",
    "density",
    "mean_degree",
    "isolated_share",
    "cross_sector_share",
)


def latest_snapshot(*, network: Network) -> AnalysisSnapshot | None:
    """The last finished analysis of the network, with everything it found but its sociogram."""
    return (
        AnalysisSnapshot.objects.filter(state=SnapshotState.DONE)
        .defer("sociogram")
        .order_by("-finished_at", "-pk")
        .first()
    )


def sociogram_nodes(*, network: Network, snapshot_id: int) -> dict:
    """The entities of a snapshot's sociogram and its platforms, without its ties."""
    row = (
        AnalysisSnapshot.objects.filter(pk=snapshot_id)
        .values("sociogram__nodes", "sociogram__platforms")
        .first()
    )
    if row is None:
        return {}
    return {"nodes": row["sociogram__nodes"] or [], "platforms": row["sociogram__platforms"] or []}


def latest_sociogram(*, network: Network) -> tuple[AnalysisSnapshot | None, dict]:
    """The last finished analysis (its dates) and its whole sociogram, to draw."""
    snapshot = (
        AnalysisSnapshot.objects.filter(state=SnapshotState.DONE)
        .only("pk", "period_start", "period_end", "finished_at", "sociogram")
        .order_by("-finished_at", "-pk")
        .first()
    )
    return snapshot, (snapshot.sociogram if snapshot is not None else {})


def evidence_settings(*, network: Network) -> EvidenceSettings:
    """The network's choices about its analysis (defaults when it never chose)."""
    return EvidenceSettings.objects.filter().first() or EvidenceSettings(network=network)


def pending_snapshot(*, network: Network) -> AnalysisSnapshot | None:
    """The analysis queued or running now, if any (its results are not read)."""
    return (
        AnalysisSnapshot.objects.filter(state__in=[SnapshotState.QUEUED, SnapshotState.RUNNING])
        .defer("results")
        .order_by("-requested_at", "-pk")
        .first()
    )


def snapshot_trend(*, network: Network) -> list[dict]:
    """The headline figures of the last finished analyses, oldest first."""
    rows = list(
        AnalysisSnapshot.objects.filter(state=SnapshotState.DONE)
        .order_by("-finished_at", "-pk")
        .values(*TREND_FIELDS)[:TREND_LENGTH]
    )
    return rows[::-1]


def collaborations_of(*, network: Network, entity_ids: Iterable[int]) -> list[Collaboration]:
    """Collaborations declared by, or naming, the entities a person acts for; newest first."""
    return list(
        Collaboration.objects.filter(
            Q(from_entity_id__in=entity_ids) | Q(to_entity_id__in=entity_ids)
        ).select_related("from_entity", "to_entity")[:200]
    )


def collaboration_partners(*, network: Network, excluding: Iterable[int]) -> list[Entity]:
    """The network's active member entities a collaboration may name."""
    entity_ids = Membership.objects.filter(status=MembershipStatus.ACTIVE).values("entity_id")
    return list(
        Entity.objects.filter(pk__in=entity_ids)
        .exclude(pk__in=excluding)
        .only("pk", "name")
        .order_by("name")
    )


def acting_entities(*, network: Network, entity_ids: Iterable[int]) -> list[Entity]:
    return list(Entity.objects.filter(pk__in=entity_ids).only("pk", "name").order_by("name"))


RECENT_IMPORTS = 20


def recent_imports(*, network: Network) -> list[SpreadsheetImport]:
    """The network's last uploads, without their rows."""
    return list(
        SpreadsheetImport.objects.select_related("created_by")
        .defer("cells", "results", "header")
        .order_by("-created_at", "-pk")[:RECENT_IMPORTS]
    )


def spreadsheet_import(*, network: Network, import_id: int) -> SpreadsheetImport | None:
    """One upload of the network with its checked rows (not the cells as read)."""
    return SpreadsheetImport.objects.defer("cells").filter(pk=import_id).first()


# The yearly activity report ---------------------------------------------------

REPORT_LISTED = 50
# What a list of versions reads: never their contents nor their files.
REPORT_HEADLINE = (
    "pk",
    "network_id",
    "year",
    "state",
    "progress",
    "requested_at",
    "finished_at",
    "published_at",
    "error",
)


def report_versions(*, network: Network) -> list[ActivityReport]:
    """The versions of the network's activity reports, the newest year and version first."""
    return list(
        ActivityReport.objects.only(*REPORT_HEADLINE).order_by("-year", "-requested_at", "-pk")[
            :REPORT_LISTED
        ]
    )


def report_of(*, network: Network, report_id: int) -> ActivityReport | None:
    """One version of the network's report with its contents, without its files."""
    return ActivityReport.objects.filter(pk=report_id).defer("pdf", "workbook").first()


def report_file(*, network: Network, report_id: int, kind: str) -> tuple[int, bytes] | None:
    """(year, bytes) of a finished version's PDF or workbook (`kind` names the column)."""
    row = (
        ActivityReport.objects.filter(pk=report_id, state=SnapshotState.DONE)
        .values_list("year", kind)
        .first()
    )
    return (row[0], bytes(row[1])) if row is not None else None


def published_reports(*, network: Network) -> list[ActivityReport]:
    """The reports the network shows on its public page, one per year, newest year first."""
    return list(
        ActivityReport.objects.filter(published_at__isnull=False, state=SnapshotState.DONE)
        .only("pk", "network_id", "year", "published_at")
        .order_by("-year")
    )


def published_report(*, network: Network, report_id: int) -> ActivityReport | None:
    """A published version, with its contents, for anybody."""
    return (
        ActivityReport.objects.filter(
            pk=report_id, published_at__isnull=False, state=SnapshotState.DONE
        )
        .defer("pdf", "workbook")
        .first()
    )
