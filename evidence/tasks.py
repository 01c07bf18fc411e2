from celery import shared_task

from core.jobs import Job
from evidence.services import compute_snapshot
from networks.tasks import NetworkJob, each_network


@shared_task(base=NetworkJob)
def analyse_network(network, snapshot_id=None):
    """Compute the analysis of one network's ties: a queued snapshot, or a new nightly one."""
    snapshot = compute_snapshot(network=network, snapshot_id=snapshot_id)
    return snapshot.pk if snapshot is not None else None


@shared_task(base=Job)
def analyse_every_network():
    """Nightly: one analysis job per network."""
    return each_network(analyse_network)


def queue_analysis(network_id: int, snapshot_id: int) -> None:
    analyse_network.delay(network_id, snapshot_id)
