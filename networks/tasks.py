"""The job machinery every app's `tasks.py` builds on: retries, and a network's scope.

A job has no request to open a scope for it (DESIGN.md, "tenants leak through
jobs"). Work that concerns one network is a `NetworkJob`: it receives the
network's id, loads the network and runs inside `network_scope(network)`, so a
query it makes cannot reach another network. A beat entry that covers every
network fans out with `each_network`, one task per network. The few jobs that
span networks on purpose (the lifecycle sweep's set-based claim, the mail
outbox) are plain `Job`s and are named in the allow-list of
`tests/jobs/test_scope_allow_list.py` with their reason.

The retry policy is defined here, once: late acknowledgement, so a worker lost
mid-task gives its message back; retries with backoff on transient errors only.
"""

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Count

from commissions.models import Commission
from members.models import Membership
from networks.models import Network
from networks.scoping import network_scope

logger = logging.getLogger(__name__)

# A database that restarts or a lock that times out is worth another try;
# anything else is a bug and should surface at once.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
# A mail server that is down (smtplib's errors are OSErrors) is worth another try too.
TRANSIENT_MAIL_ERRORS = (*TRANSIENT_DATABASE_ERRORS, OSError)


class Job(Task):
    """A task with the project's retry policy. Tasks take ids or nothing, never model instances."""

    acks_late = True
    autoretry_for = TRANSIENT_DATABASE_ERRORS
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5


class MailJob(Job):
    """A task that talks to the mail server: its outages are retried too, for longer."""

    autoretry_for = TRANSIENT_MAIL_ERRORS
    max_retries = 8


class NetworkJob(Job):
    """A job for one network: called with the network's id, it runs inside that network's scope.

    The task's function receives the `Network` itself as its first argument.
    A network that no longer exists is logged and skipped: there is nothing to do.
    """

    def __call__(self, network_id, *args, **kwargs):
        network = Network.objects.filter(pk=network_id).first()
        if network is None:
            logger.warning("%s: network %s does not exist; nothing done.", self.name, network_id)
            return None
        with network_scope(network):
            # Celery's own __call__ would record the Network as the request's
            # argument, and a retry would then try to send the model instance:
            # the request keeps the id, the function gets the network.
            self.push_request(args=(network_id, *args), kwargs=kwargs)
            try:
                return self.run(network, *args, **kwargs)
            finally:
                self.pop_request()


class NetworkMailJob(NetworkJob, MailJob):
    """A job for one network that talks to the mail server."""


def each_network(task, *args):
    """Queue `task` (a `NetworkJob`) once for every network; return how many were queued."""
    network_ids = list(Network.objects.order_by("pk").values_list("pk", flat=True))
    for network_id in network_ids:
        task.delay(network_id, *args)
    return len(network_ids)


@shared_task(base=NetworkJob)
def count_members(network):
    """Count a network's memberships by status and its commissions by state.

    A health check for the job machinery: it proves that a worker reaches the
    same database as the web server and reads inside one network's scope.
    """
    memberships = _counts(Membership.objects, "status")
    commissions = _counts(Commission.objects, "state")
    return {"network": network.slug, "memberships": memberships, "commissions": commissions}


def _counts(queryset, field):
    rows = queryset.order_by().values(field).annotate(count=Count("pk"))
    return {row[field]: row["count"] for row in rows}
