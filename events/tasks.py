from celery import shared_task
from django.db import InterfaceError, OperationalError

from events import confirmations, reminders
from networks.tasks import TRANSIENT_DATABASE_ERRORS

RETRY = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_DATABASE_ERRORS,
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}
# A mail server that is down for a moment is worth another try too.
MAIL_RETRY = {**RETRY, "autoretry_for": (OperationalError, InterfaceError, OSError)}


@shared_task(**MAIL_RETRY)
def send_registration_confirmation(registration_id):
    return reminders.send_confirmation(registration_id)


@shared_task(**MAIL_RETRY)
def send_registration_request(registration_id):
    return confirmations.send_request(registration_id)


@shared_task(**RETRY)
def send_event_reminders():
    return {
        "before_event": reminders.remind_registered_people(),
        "missing_minutes": reminders.remind_missing_minutes(),
        "confirmations": reminders.send_pending_confirmations(),
    }
