from celery import shared_task
from django.utils import timezone

from commissions import lifecycle
from networks.tasks import TRANSIENT_DATABASE_ERRORS

RETRY = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_DATABASE_ERRORS,
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def sweep_commissions():
    return lifecycle.sweep_commissions()


@shared_task(**RETRY)
def send_commission_reminders():
    now = timezone.now()
    return {
        "overdue_actions": lifecycle.remind_overdue_actions(now=now),
        "quiet_commissions": lifecycle.remind_quiet_commissions(now=now),
        "long_promoter_terms": lifecycle.ask_long_terms_to_continue(now=now),
    }


@shared_task(**RETRY)
def send_yearly_evaluation_reminders():
    return lifecycle.remind_yearly_evaluations(now=timezone.now())
