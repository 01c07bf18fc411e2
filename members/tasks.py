from celery import shared_task

from core.jobs import Job, MailJob
from members import notifications
from networks.tasks import NetworkMailJob, each_network


@shared_task(base=MailJob, ignore_result=True)
def deliver_notifications():
    """Mail what is pending, in every network: the outbox (see `members.notifications`)."""
    return notifications.deliver_pending_notifications()


@shared_task(base=Job)
def deliver_weekly_digests():
    """Queue one digest delivery per network."""
    return each_network(deliver_weekly_digests_in_network)


@shared_task(base=NetworkMailJob)
def deliver_weekly_digests_in_network(network):
    return notifications.deliver_weekly_digests(network)
