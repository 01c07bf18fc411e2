"""Where notifications enter: rows written once each, mailed after the transaction commits.

Kept apart from `members.notifications`, which the delivery task reads: this
module queues that task, so the two never import each other.
"""

from django.db import transaction

from core.bulk import insert_new
from members.models import Notification
from members.notifications import has_message
from members.tasks import deliver_notifications


def queue_notifications(notifications) -> int:
    """Insert notifications once each and mail them after the transaction commits.

    Returns how many were new: a notification already there (same person,
    same key) is not counted again.
    """
    notifications = list(notifications)
    if not notifications:
        return 0
    unknown = {n.kind for n in notifications if not has_message(n.kind)}
    if unknown:
        raise ValueError(f"No message is registered for the notification kinds {sorted(unknown)}.")
    inserted = insert_new(Notification, notifications)
    if inserted:
        schedule_delivery()
    return inserted


def schedule_delivery():
    """Mail what is pending once the current transaction commits; never fail the caller.

    A broker that is down is logged: the rows are written, and the periodic
    delivery mails them.
    """
    transaction.on_commit(_enqueue_delivery, robust=True)


def _enqueue_delivery():
    deliver_notifications.apply_async(ignore_result=True)
