from celery import shared_task

from members import notifications
from networks.tasks import TRANSIENT_DATABASE_ERRORS

# A mail server that is down (smtplib's errors are OSErrors) is worth another try.
RETRY = {
    "acks_late": True,
    "autoretry_for": (*TRANSIENT_DATABASE_ERRORS, OSError),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def deliver_notifications():
    return notifications.deliver_pending_notifications()


@shared_task(**RETRY)
def deliver_weekly_digests():
    return notifications.deliver_weekly_digests()


@shared_task(**RETRY)
def send_email(message):
    """Send one queued message (see config.mail) through the real mail backend."""
    from config.mail import delivery_connection, deserialize_message

    with delivery_connection() as connection:
        return deserialize_message(message, connection=connection).send()
