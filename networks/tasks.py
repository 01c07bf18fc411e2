"""Jobs for one network get the `Network` itself; beat entries fan out over every network."""

from typing import Any

from celery import shared_task

from core.jobs import Job, MailJob, NetworkScopedJob
from networks import changes
from networks.models import Network


class NetworkJob(NetworkScopedJob):
    """A job for one network: called with the network's id, its function receives the `Network`.

    It runs inside that network's scope; a network that no longer exists is
    logged and skipped.
    """

    def load_network(self, network_id: int) -> Network | None:
        return Network.objects.filter(pk=network_id).first()


class NetworkMailJob(NetworkJob, MailJob):
    """A job for one network that talks to the mail server."""


def each_network(task: Any, *args: Any) -> int:
    """Queue `task` (a `NetworkJob`) once for every network; return how many were queued."""
    network_ids = list(Network.objects.order_by("pk").values_list("pk", flat=True))
    for network_id in network_ids:
        task.delay(network_id, *args)
    return len(network_ids)


@shared_task(base=Job, ignore_result=True)
def compact_changes() -> int:
    """Fold the page versions' change rows into one per network (`networks.changes`)."""
    return changes.compact()
