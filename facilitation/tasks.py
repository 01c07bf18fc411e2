from dataclasses import asdict

from celery import shared_task
from django.db.models import Count, Manager, Model

from commissions.models import Commission
from core.jobs import Job
from facilitation import counters
from members.models import Membership
from networks.models import Network
from networks.tasks import NetworkJob, each_network


# Named as before it moved here, so that a health check queued by an older release still runs.
@shared_task(base=NetworkJob, name="networks.tasks.count_members")
def count_members(network: Network) -> dict[str, str | dict[str, int]]:
    """Count a network's memberships by status and its commissions by state.

    A health check for the job machinery: it proves that a worker reaches the
    same database as the web server and reads inside one network's scope.
    """
    memberships = _counts(Membership.objects, "status")
    commissions = _counts(Commission.objects, "state")
    return {"network": network.slug, "memberships": memberships, "commissions": commissions}


def _counts(queryset: Manager[Model], field: str) -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(count=Count("pk"))
    return {row[field]: row["count"] for row in rows}


@shared_task(base=NetworkJob)
def recount_network(network: Network) -> list[dict[str, int | str]]:
    """Count a network's home page counters again; what had drifted, repaired and logged."""
    return [asdict(drift) for drift in counters.recount([network.pk])]


@shared_task(base=Job, ignore_result=True)
def recount_every_network() -> int:
    """Every night, each network's home page counters counted again (`facilitation.counters`)."""
    return each_network(recount_network)
