from celery import shared_task
from django.utils import timezone

from core.jobs import Job
from decisions import lifecycle
from networks.models import Network
from networks.tasks import NetworkJob, each_network


@shared_task(base=Job)
def run_proposal_schedule() -> int:
    """Open, remind, close and review the proposals of every network."""
    return each_network(run_proposal_schedule_in_network)


@shared_task(base=NetworkJob)
def run_proposal_schedule_in_network(network: Network) -> dict[str, int]:
    now = timezone.now()
    return {
        "opened": lifecycle.open_due_proposals(now=now),
        "reminded": lifecycle.remind_closing_soon(now=now),
        "closed": lifecycle.close_due_proposals(now=now),
        "review_reminders": lifecycle.remind_reviews(now=now),
    }
