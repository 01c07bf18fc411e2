"""Notifications: written once under a uniqueness constraint, then mailed as each person prefers.

Every job or service that tells people something calls `queue_notifications`
with `Notification` rows. The rows are inserted with ``ignore_conflicts``, so
a retry or a concurrent job adds nothing twice; delivery runs after commit and
claims rows with a conditional update before sending, so each mail goes out
once. One setting per person decides email: immediately, a weekly digest, or
never (the inbox on the site always has everything).
"""

import logging
import uuid
from collections import defaultdict

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from config.mail import delivery_connection
from members.models import (
    Membership,
    MembershipStatus,
    Notification,
    NotificationPreference,
    User,
)
from networks.models import Facilitator
from networks.scoping import all_networks

logger = logging.getLogger(__name__)

# What each kind of notification says. The texts are formatted with the
# notification's `context`, in the recipient's language.
MESSAGES = {
    "commission.stalled": (
        _("The commission “%(commission)s” has stalled"),
        _(
            "Nothing has been posted and no action has changed in “%(commission)s” for "
            "%(days)s days. As facilitator, please invite its members or other entities to "
            "take it up again."
        ),
    ),
    "commission.vacant": (
        _("The commission “%(commission)s” has no promoter"),
        _(
            "The last promoter of “%(commission)s” stepped down. Please invite other entities "
            "to act as promoters: if nobody steps up by %(closes_on)s, the commission will close "
            "by itself."
        ),
    ),
    "commission.call_for_promoters": (
        _("“%(commission)s” needs a promoter"),
        _(
            "The commission “%(commission)s”, where your entity sits, has no promoter. Any "
            "member entity may step up. If nobody does by %(closes_on)s, the commission will "
            "close by itself."
        ),
    ),
    "commission.vacancy_reminder": (
        _("“%(commission)s” closes in %(days_left)s days without a promoter"),
        _(
            "The commission “%(commission)s” still has no promoter. It will close by itself on "
            "%(closes_on)s unless an entity steps up."
        ),
    ),
    "commission.closed": (
        _("The commission “%(commission)s” has closed"),
        _(
            "“%(commission)s” closed on %(closed_on)s because no entity stepped up as its "
            "promoter. Its work stays in the archive, where its last promoters can fill in "
            "the closing sheet."
        ),
    ),
    "commission.completed": (
        _("The commission “%(commission)s” was closed as completed"),
        _(
            "%(entity)s, a promoter of “%(commission)s”, closed it as completed on "
            "%(closed_on)s, with this note: “%(note)s”. Its work stays in the archive, where "
            "its promoters fill in the closing sheet. If it was closed by mistake, the "
            "facilitator can reopen it until %(reopen_until)s."
        ),
    ),
    "commission.reopened": (
        _("The commission “%(commission)s” is open again"),
        _(
            "The facilitator reopened “%(commission)s”, closed on %(closed_on)s, with this "
            "reason: “%(reason)s”. Its work plan and record are as they were, and its "
            "promoters can take up the work again."
        ),
    ),
    "action.overdue": (
        _("An action of “%(commission)s” is overdue"),
        _(
            "The action “%(action)s”, for which your entity is responsible, was due on "
            "%(due_on)s. Please update its status or post the progress made."
        ),
    ),
    "commission.quiet": (
        _("No news from “%(commission)s” for two weeks"),
        _(
            "Nothing has been posted in “%(commission)s” since %(last_activity_on)s. A short "
            "progress update keeps the other members informed."
        ),
    ),
    "commission.yearly_sheet": (
        _("Time for the yearly evaluation of “%(commission)s”"),
        _(
            "“%(commission)s” has been working for more than a year. Please fill in its sheet "
            "for %(year)s: participants, objectives, methodology, activities, results and "
            "evaluation."
        ),
    ),
    "membership.applied": (
        _("%(entity)s applied to join %(network)s"),
        _(
            "%(entity)s has applied to join %(network)s and accepted its charter. Please review "
            "the application in your facilitation workspace."
        ),
    ),
    "membership.approved": (
        _("%(entity)s is now a member of %(network)s"),
        _(
            "The facilitator approved the application of %(entity)s. Welcome: your entity "
            "appears in the network's directory and can join or propose commissions."
        ),
    ),
    "membership.rejected": (
        _("The application of %(entity)s to %(network)s was not accepted"),
        _(
            "The facilitator gave this reason: “%(reason)s”. You can read it again in your "
            "workspace, and apply again once things have changed."
        ),
    ),
    "promoter_term.continue": (
        _("Do you wish to go on promoting “%(commission)s”?"),
        _(
            "Your entity has promoted “%(commission)s” since %(since)s. Roles rotate in the "
            "network: please confirm that you wish to continue, or step down so that another "
            "entity can take over."
        ),
    ),
}


def subject_and_body(notification):
    subject, body = MESSAGES[notification.kind]
    return str(subject) % notification.context, str(body) % notification.context


def facilitator_ids_by_network(network_ids):
    """The people facilitating each of these networks today, in one query."""
    facilitators = defaultdict(set)
    rows = (
        Facilitator.objects.with_scopes_disabled()
        .filter(network_id__in=set(network_ids), ended_on__isnull=True)
        .values_list("network_id", "user_id")
    )
    for network_id, user_id in rows:
        facilitators[network_id].add(user_id)
    return facilitators


def representative_ids_by_entity(pairs):
    """Representatives and alternates of entities, per (network id, entity id), in one query."""
    pairs = set(pairs)
    people = defaultdict(set)
    if not pairs:
        return people
    network_ids = {network_id for network_id, _entity_id in pairs}
    entity_ids = {entity_id for _network_id, entity_id in pairs}
    rows = (
        Membership.objects.with_scopes_disabled()
        .filter(
            network_id__in=network_ids, entity_id__in=entity_ids, status=MembershipStatus.ACTIVE
        )
        .values_list("network_id", "entity_id", "representative_id", "alternate_id")
    )
    for network_id, entity_id, representative_id, alternate_id in rows:
        if (network_id, entity_id) in pairs:
            people[network_id, entity_id].update(
                user_id for user_id in (representative_id, alternate_id) if user_id
            )
    return people


def queue_notifications(notifications):
    """Insert notifications once each and mail them after the transaction commits."""
    notifications = list(notifications)
    if not notifications:
        return
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    schedule_delivery()


def schedule_delivery():
    """Mail what is pending once the current transaction commits."""
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery():
    from members.tasks import deliver_notifications

    deliver_notifications.delay()


def _people_who_want(preference):
    # A subquery on the recipient, not a join: PostgreSQL rechecks a waiting
    # UPDATE's own conditions (emailed_at IS NULL) on the row it finally gets,
    # but not a joined subquery of row ids, which would let two concurrent
    # deliveries claim the same row.
    return User.objects.filter(notification_preference=preference).values("pk")


def deliver_pending_notifications(*, now=None):
    """Mail the notifications of people who want them at once; skip those who want none.

    Returns the number of mails sent. Rows are claimed with a conditional
    update before sending, so two deliveries at once never send one twice.
    """
    now = now or timezone.now()
    with all_networks():
        pending = Notification.objects.filter(emailed_at__isnull=True, email_skipped=False)
        pending.filter(recipient_id__in=_people_who_want(NotificationPreference.NEVER)).update(
            email_skipped=True
        )
        token = uuid.uuid4()
        claimed = pending.filter(
            recipient_id__in=_people_who_want(NotificationPreference.IMMEDIATELY)
        ).update(emailed_at=now, delivery_token=token)
        if not claimed:
            return 0
        notifications = list(
            Notification.objects.filter(delivery_token=token).select_related("recipient")
        )
    messages = [
        _message_for(notification.recipient, [notification]) for notification in notifications
    ]
    return _send(messages, token)


def deliver_weekly_digests(*, now=None):
    """One mail per person who chose the weekly digest, with everything not yet mailed."""
    now = now or timezone.now()
    with all_networks():
        token = uuid.uuid4()
        claimed = Notification.objects.filter(
            emailed_at__isnull=True,
            email_skipped=False,
            recipient_id__in=_people_who_want(NotificationPreference.WEEKLY_DIGEST),
        ).update(emailed_at=now, delivery_token=token)
        if not claimed:
            return 0
        by_recipient = defaultdict(list)
        for notification in Notification.objects.filter(delivery_token=token).select_related(
            "recipient"
        ):
            by_recipient[notification.recipient].append(notification)
    messages = [_message_for(recipient, items) for recipient, items in by_recipient.items()]
    return _send(messages, token)


def _message_for(recipient, notifications):
    with translation.override(recipient.language):
        items = [
            dict(zip(("subject", "body"), subject_and_body(n), strict=True)) for n in notifications
        ]
        for item, notification in zip(items, notifications, strict=True):
            item["link"] = notification.link
        if len(items) == 1:
            subject = items[0]["subject"]
        else:
            subject = str(_("Your weekly summary from the network"))
        body = render_to_string(
            "members/email/notifications.txt",
            {"recipient": recipient, "items": items, "site_url": settings.SITE_URL},
        )
    return mail.EmailMessage(subject=subject, body=body, to=[recipient.email])


def _send(messages, token):
    try:
        # This runs in the worker already: send for real, not through the queue.
        with delivery_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        # Give the claimed rows back so that the retry sends them.
        with all_networks():
            Notification.objects.filter(delivery_token=token).update(
                emailed_at=None, delivery_token=None
            )
        raise
    return sent


def unread_count(user):
    with all_networks():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user):
    with all_networks():
        return Notification.objects.filter(recipient=user).select_related("network")


def mark_read(user, notification_ids=None):
    query = Q(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        query &= Q(pk__in=notification_ids)
    with all_networks():
        return Notification.objects.filter(query).update(read_at=timezone.now())
