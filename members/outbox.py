"""Where notifications enter: rows written once each, mailed after the transaction commits.

Kept apart from `members.notifications`, which the delivery task reads: this
module queues that task, so the two never import each other.
"""

from django.db import transaction

from members.models import Notification
from members.notifications import has_message
from members.tasks import deliver_notifications


def queue_notifications(notifications):
    """Insert notifications once each and mail them after the transaction commits."""
    notifications = list(notifications)
    if not notifications:
        return
    unknown = {n.kind for n in notifications if not has_message(n.kind)}
    if unknown:
        raise ValueError(f"No message is registered for the notification kinds {sorted(unknown)}.")
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    schedule_delivery()


def schedule_delivery():
    """Mail what is pending once the current transaction commits."""
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery():
    deliver_notifications.delay()
