from celery import shared_task

from core.jobs import Job, MailJob
from members import notifications
from networks.models import Network
from networks.tasks import NetworkMailJob, each_network


@shared_task(base=MailJob, ignore_result=True)
def deliver_notifications() -> int:
    """Write the pending notifications' mails into the mail outbox, then send what is due.

    Rendering and sending are two stages with two beat entries, and stay two.
    This task renders: it claims notification rows, reads each person's
    choice and writes their mail into the outbox in one transaction (then,
    being in the worker already, sends what it wrote). `core.tasks.deliver_mail`
    sends: it leases outbox rows and talks to the mail server. Folding them
    into one entry would make every mail (a password reset written by a page,
    a guest's confirmation) wait on the notification stage, and one failure of
    that stage (a text that cannot be built, a lock on the notification rows)
    would hold up mail already written; core's delivery would also have to
    know this app, below which it sits. Kept apart, a mail server that is down
    stops nothing but sending, and rendering never has to be redone once its
    mail is a row. Both run right after the commit that needs them; beat only
    catches what a lost publish left: every ten minutes here (a cross-network
    claim, and digests are not urgent), every minute for the cheap outbox poll.
    """
    return notifications.deliver_pending_notifications()


@shared_task(base=Job)
def deliver_weekly_digests() -> int:
    """Queue one digest delivery per network."""
    return each_network(deliver_weekly_digests_in_network)


@shared_task(base=NetworkMailJob)
def deliver_weekly_digests_in_network(network: Network) -> int:
    return notifications.deliver_weekly_digests(network)
