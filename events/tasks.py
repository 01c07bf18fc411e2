from celery import shared_task

from core.jobs import Job
from events import confirmations, reminders
from networks.models import Network
from networks.tasks import NetworkJob, NetworkMailJob, each_network


# Published by an older release, after a registration's commit: the services now
# write these mails in the registration's own transaction, so a message still
# queued finds nothing left to write. Kept so such messages still run.
@shared_task(base=NetworkMailJob, ignore_result=True)
def send_registration_confirmation(network: Network, registration_id: int) -> int:
    return reminders.send_confirmation(registration_id)


@shared_task(base=NetworkMailJob, ignore_result=True)
def send_registration_request(network: Network, registration_id: int) -> int:
    return confirmations.send_request(registration_id)


@shared_task(base=Job)
def send_event_reminders() -> int:
    return each_network(send_event_reminders_in_network)


@shared_task(base=NetworkJob)
def send_event_reminders_in_network(network: Network) -> dict[str, int]:
    return {
        "before_event": reminders.remind_registered_people(),
        "missing_minutes": reminders.remind_missing_minutes(),
        "confirmations": reminders.send_pending_confirmations(),
    }
