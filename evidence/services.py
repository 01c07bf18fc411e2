"""Every write of the evidence app: declared collaborations, analysis snapshots, yearly reports."""

import logging
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.actors import Actor, person_or_none
from core.dates import check_day
from core.errors import DomainError
from core.text import checked_line
from evidence.analysis import analyse
from evidence.models import (
    ActivityReport,
    AnalysisSnapshot,
    Collaboration,
    CollaborationKind,
    EvidenceSettings,
    SnapshotState,
)
from evidence.notifications import EvidenceNotice
from evidence.report import gather
from evidence.report_files import pdf_of, workbook_of
from evidence.ties import read_ties
from members.authority import require_acts_for
from members.models import Entity, Membership, MembershipStatus, Notification
from members.notifications import representative_ids_by_entity
from members.outbox import queue_notifications
from members.reach import network_ids_in_reach
from networks.authority import require_perm
from networks.models import Network
from networks.scoping import all_networks, network_scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from evidence.imports import Queue

logger = logging.getLogger(__name__)

# A facilitator who asks again while an analysis is queued or running gets that one.
PENDING_FOR = timedelta(hours=1)
DEFAULT_PERIOD_DAYS = 365


def _require_active_member(network: Network, entity: Entity | None) -> None:
    if (
        entity is None
        or not Membership.objects.filter(entity=entity, status=MembershipStatus.ACTIVE).exists()
    ):
        raise DomainError(
            _("%(entity)s is not an active member of %(network)s.")
            % {"entity": entity, "network": network}
        )


@transaction.atomic
def declare_collaboration(
    *,
    network: Network,
    from_entity: Entity,
    to_entity: Entity | None,
    kind: str,
    what: str,
    happened_on: date,
    by: Actor,
) -> Collaboration:
    """A member entity records that it worked with another, or was helped by it (section 5.3).

    Only the entity's representative or alternate declares; the other entity confirms.
    """
    require_acts_for(by, from_entity, network)
    if kind not in CollaborationKind.values:
        raise DomainError(_("Choose whether you worked with the entity or it helped you."))
    if to_entity is None or to_entity.pk == from_entity.pk:
        raise DomainError(_("Choose another member entity of the network."))
    _require_active_member(network, from_entity)
    _require_active_member(network, to_entity)
    what = checked_line(what, label=_("What"), max_length=300)
    if not what:
        raise DomainError(_("Say in a few words what you did together."))
    if happened_on is None:
        raise DomainError(_("Say when it happened."))
    check_day(happened_on, zone=network.zone, what=_("The date"))
    if happened_on > timezone.localdate(timezone.now(), network.zone):
        raise DomainError(_("A collaboration is recorded once it has happened."))
    collaboration = Collaboration.objects.create(
        network=network,
        from_entity=from_entity,
        to_entity=to_entity,
        kind=kind,
        what=what,
        happened_on=happened_on,
        declared_by=person_or_none(by),
    )
    _tell_the_other_entity(collaboration, by=by)
    return collaboration


def _tell_the_other_entity(collaboration: Collaboration, *, by: Actor) -> None:
    """The representative and alternate of the entity named hear of it, to confirm it."""
    network = collaboration.network
    people = representative_ids_by_entity([(network.pk, collaboration.to_entity_id)])
    recipients = people[network.pk, collaboration.to_entity_id] - {getattr(by, "pk", None)}
    kind = (
        EvidenceNotice.HELPED
        if collaboration.kind == CollaborationKind.HELP
        else EvidenceNotice.WORKED_WITH
    )
    context = {
        "entity": collaboration.from_entity.name,
        "other": collaboration.to_entity.name,
        "network": network.name,
        "what": collaboration.what,
        "day": collaboration.happened_on.isoformat(),
    }
    link = reverse("evidence:collaborations", kwargs={"network_slug": network.slug})
    queue_notifications(
        Notification(
            network=network,
            recipient_id=user_id,
            kind=kind,
            key=f"{kind}:{collaboration.pk}",
            context=context,
            link=link,
        )
        for user_id in sorted(recipients)
    )


@transaction.atomic
def confirm_collaboration(*, collaboration: Collaboration, by: Actor) -> Collaboration:
    """The entity named in a declared collaboration confirms it; only that entity may."""
    require_acts_for(by, collaboration.to_entity, collaboration.network)
    locked = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = person_or_none(by)
        locked.save(update_fields=["confirmed_at", "confirmed_by"])
    return locked


def default_period(network: Network, *, today: date | None = None) -> tuple[date, date]:
    """The twelve months up to today, in the network's calendar."""
    end = today or timezone.localdate(timezone.now(), network.zone)
    return end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end


@transaction.atomic
def request_analysis(
    *, network: Network, by: Actor, queue: "Queue | None" = None
) -> AnalysisSnapshot:
    """Queue an analysis of the network's last twelve months; one at a time per network.

    Only whoever runs the network asks for it (the facilitator or a site admin);
    `queue(network_id, snapshot_id)` starts the job once the request has committed.
    """
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only the network's facilitator may run its analysis."),
    )
    pending = (
        AnalysisSnapshot.objects.select_for_update()
        .filter(
            state__in=[SnapshotState.QUEUED, SnapshotState.RUNNING],
            requested_at__gte=timezone.now() - PENDING_FOR,
        )
        .first()
    )
    if pending is not None:
        return pending
    period_start, period_end = default_period(network)
    snapshot = AnalysisSnapshot.objects.create(
        network=network,
        period_start=period_start,
        period_end=period_end,
        requested_by=person_or_none(by),
    )
    if queue is not None:
        transaction.on_commit(lambda: queue(network.pk, snapshot.pk))
    return snapshot


@transaction.atomic
def share_sociogram(*, network: Network, public: bool, by: Actor) -> EvidenceSettings:
    """Show (or stop showing) an anonymised sociogram on the network's public page.

    Only whoever runs the network decides; the names of the entities are never shown.
    """
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only the network's facilitator may decide what the public sees of the analysis."),
    )
    chosen, _created = EvidenceSettings.objects.select_for_update().get_or_create(network=network)
    chosen.public_sociogram = bool(public)
    chosen.changed_at = timezone.now()
    chosen.changed_by = person_or_none(by)
    chosen.save(update_fields=["public_sociogram", "changed_at", "changed_by"])
    return chosen


def compute_snapshot(
    *, network: Network, snapshot_id: int | None = None, seed: int = 0
) -> AnalysisSnapshot | None:
    """Compute a queued snapshot (or a new one for the last twelve months): the job's work.

    Claimed with a conditional update, so two workers never compute the same one.
    Returns the snapshot, or None when another worker has it or it is gone.
    """
    if snapshot_id is None:
        period_start, period_end = default_period(network)
        snapshot_id = AnalysisSnapshot.objects.create(
            network=network, period_start=period_start, period_end=period_end
        ).pk
    claimed = AnalysisSnapshot.objects.filter(pk=snapshot_id, state=SnapshotState.QUEUED).update(
        state=SnapshotState.RUNNING, progress=5
    )
    if not claimed:
        return None
    snapshot = AnalysisSnapshot.objects.get(pk=snapshot_id)
    started = time.perf_counter()

    def progress(percent: int) -> None:
        AnalysisSnapshot.objects.filter(pk=snapshot_id).update(progress=percent)

    try:
        ties = read_ties(
            network=network, period_start=snapshot.period_start, period_end=snapshot.period_end
        )
        progress(20)
        figures = analyse(ties, progress=progress, seed=seed)
    except Exception as failure:
        logger.exception("Analysis of network %s failed.", network.pk)
        AnalysisSnapshot.objects.filter(pk=snapshot_id).update(
            state=SnapshotState.FAILED, error=str(failure)[:300], finished_at=timezone.now()
        )
        raise
    for name, value in figures.items():
        setattr(snapshot, name, value)
    snapshot.state = SnapshotState.DONE
    snapshot.progress = 100
    snapshot.finished_at = timezone.now()
    snapshot.seconds = time.perf_counter() - started
    snapshot.save()
    return snapshot


# The yearly activity report (recommendation 1) --------------------------------

# The first year a network without a founding date may report on.
FIRST_REPORT_YEAR = 2000


def report_years(network: Network) -> range:
    """The years the network may report on: from its founding to this year, newest first."""
    this_year = timezone.localdate(timezone.now(), network.zone).year
    first = network.founded_on.year if network.founded_on else FIRST_REPORT_YEAR
    return range(this_year, min(first, this_year) - 1, -1)


def _require_runs_network(by: Actor, network: Network, message: "StrOrPromise") -> None:
    require_perm(by, "networks.run_network", network, message)


@transaction.atomic
def request_report(
    *, network: Network, year: int, by: Actor, queue: "Queue | None" = None
) -> ActivityReport:
    """Queue a new version of the network's activity report for a year; one at a time per year.

    Only whoever runs the network asks for it; `queue(network_id, report_id)`
    starts the job once the request has committed.
    """
    _require_runs_network(
        by, network, _("Only the network's facilitator may generate its activity report.")
    )
    years = report_years(network)
    if not isinstance(year, int) or year not in years:
        raise DomainError(
            _("Choose a year from %(first)s to %(last)s.") % {"first": years[-1], "last": years[0]}
        )
    pending = (
        ActivityReport.objects.select_for_update()
        .filter(
            year=year,
            state__in=[SnapshotState.QUEUED, SnapshotState.RUNNING],
            requested_at__gte=timezone.now() - PENDING_FOR,
        )
        .defer("pdf", "workbook", "data")
        .first()
    )
    if pending is not None:
        return pending
    report = ActivityReport.objects.create(
        network=network, year=year, requested_by=person_or_none(by)
    )
    if queue is not None:
        transaction.on_commit(lambda: queue(network.pk, report.pk))
    return report


def _analyses(network: Network, year: int) -> list[dict]:
    """The analysis of the year's ties of the network and of each network under it that has any.

    Each network's ties are read in its own scope, as its own analysis reads them; the
    national network's job steps out of its own scope to open each region's.
    """
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    ids = network_ids_in_reach(network)
    regions = Network.objects.filter(pk__in=ids).exclude(pk=network.pk).order_by("name")
    networks = [network, *regions]
    analyses = []
    for one in networks:
        with all_networks(), network_scope(one):
            ties = read_ties(network=one, period_start=first_day, period_end=last_day)
        if one.pk != network.pk and not ties.members:
            continue
        figures = analyse(ties, seed=0)
        results = figures["results"]
        analyses.append(
            {
                "network": one.name,
                "entities": figures["entities"],
                "ties": figures["ties"],
                "density": figures["density"],
                "mean_degree": figures["mean_degree"],
                "isolated_share": figures["isolated_share"],
                "cross_sector_share": figures["cross_sector_share"],
                "isolated": results["isolated"]["count"],
                "components": results["components"],
                "bridges": [row["name"] for row in results["bridges"]["entities"]],
                "sociogram": figures["sociogram"],
            }
        )
    return analyses


def generate_report(*, network: Network, report_id: int) -> ActivityReport | None:
    """Write a queued report version: its data, its analysis, its PDF and workbook (the job).

    Claimed with a conditional update, so two workers never write the same one.
    Returns the report, or None when another worker has it or it is gone.
    """
    claimed = ActivityReport.objects.filter(pk=report_id, state=SnapshotState.QUEUED).update(
        state=SnapshotState.RUNNING, progress=5
    )
    if not claimed:
        return None
    report = ActivityReport.objects.defer("pdf", "workbook").get(pk=report_id)

    def progress(percent: int) -> None:
        ActivityReport.objects.filter(pk=report_id).update(progress=percent)

    try:
        # A report is a document of the network, written in its language.
        with translation.override(settings.LANGUAGE_CODE):
            data = gather(network=network, year=report.year)
            progress(30)
            data["analyses"] = _analyses(network, report.year)
            progress(60)
            pdf = pdf_of(report, data)
            progress(90)
            workbook = workbook_of(data)
    except Exception as failure:
        logger.exception("The activity report %s of network %s failed.", report_id, network.pk)
        ActivityReport.objects.filter(pk=report_id).update(
            state=SnapshotState.FAILED, error=str(failure)[:300], finished_at=timezone.now()
        )
        raise
    report.data = data
    report.pdf = pdf
    report.workbook = workbook
    report.state = SnapshotState.DONE
    report.progress = 100
    report.finished_at = timezone.now()
    report.save(update_fields=["data", "pdf", "workbook", "state", "progress", "finished_at"])
    return report


@transaction.atomic
def publish_report(*, report: ActivityReport, publish: bool, by: Actor) -> ActivityReport:
    """Show (or stop showing) a report version on the network's public page.

    Only whoever runs the network decides, and only a finished report; publishing
    a version of a year takes down the version of that year published before.
    """
    _require_runs_network(
        by, report.network, _("Only the network's facilitator may publish its activity report.")
    )
    locked = ActivityReport.objects.select_for_update().defer("pdf", "workbook").get(pk=report.pk)
    if locked.state != SnapshotState.DONE:
        raise DomainError(_("A report is published once it has been generated."))
    if publish:
        ActivityReport.objects.filter(year=locked.year, published_at__isnull=False).exclude(
            pk=locked.pk
        ).update(published_at=None, published_by=None)
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.published_by = person_or_none(by)
    else:
        locked.published_at = None
        locked.published_by = None
    locked.save(update_fields=["published_at", "published_by"])
    return locked
