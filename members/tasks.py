from celery import shared_task
from django.db import DatabaseError

from members import notifications


@shared_task(
    acks_late=True, autoretry_for=(DatabaseError, OSError), retry_backoff=True, max_retries=5
)
def deliver_notifications():
    return notifications.deliver_pending_notifications()


@shared_task(
    acks_late=True, autoretry_for=(DatabaseError, OSError), retry_backoff=True, max_retries=5
)
def deliver_weekly_digests():
    return notifications.deliver_weekly_digests()
