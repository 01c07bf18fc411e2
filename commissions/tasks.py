from celery import shared_task
from django.utils import timezone

from commissions import lifecycle
from core.jobs import Job
from networks.models import Network
from networks.tasks import NetworkJob, each_network


@shared_task(base=Job)
def sweep_commissions() -> dict[str, int]:
    """Stall, remind and close commissions of every network in one set-based sweep."""
    return lifecycle.sweep_commissions()


@shared_task(base=Job)
def send_commission_reminders() -> int:
    return each_network(send_commission_reminders_in_network)


@shared_task(base=NetworkJob)
def send_commission_reminders_in_network(network: Network) -> dict[str, int]:
    now = timezone.now()
    return {
        "overdue_actions": lifecycle.remind_overdue_actions(now=now),
        "quiet_commissions": lifecycle.remind_quiet_commissions(now=now),
        "long_promoter_terms": lifecycle.ask_long_terms_to_continue(now=now),
    }


@shared_task(base=Job)
def send_yearly_evaluation_reminders() -> int:
    return each_network(send_yearly_evaluation_reminders_in_network)


@shared_task(base=NetworkJob)
def send_yearly_evaluation_reminders_in_network(network: Network) -> int:
    return lifecycle.remind_yearly_evaluations(now=timezone.now())
