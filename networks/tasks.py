"""Celery tasks of the networks app.

Tasks take ids, never model instances, and open the network's scope
themselves: a job has no request to do it for them (DESIGN.md, "tenants leak
through jobs").
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Count

from commissions.models import Commission
from members.models import Membership
from networks.models import Network
from networks.scoping import network_scope

# A database that restarts or a lock that times out is worth another try;
# anything else is a bug and should surface at once.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_DATABASE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def count_members(network_id):
    """Count a network's memberships by status and its commissions by state.

    A health check for the job machinery: it proves that a worker reaches the
    same database as the web server and reads inside one network's scope.
    """
    network = Network.objects.get(pk=network_id)
    with network_scope(network):
        memberships = _counts(Membership.objects, "status")
        commissions = _counts(Commission.objects, "state")
    return {"network": network.slug, "memberships": memberships, "commissions": commissions}


def _counts(queryset, field):
    rows = queryset.order_by().values(field).annotate(count=Count("pk"))
    return {row[field]: row["count"] for row in rows}
