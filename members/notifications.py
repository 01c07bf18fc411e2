"""Notifications: written once under a uniqueness constraint, then mailed as each person prefers.

Every job or service that tells people something calls
`members.outbox.queue_notifications` with `Notification` rows. The rows are
inserted with ``ignore_conflicts``, so a retry or a concurrent job adds nothing
twice; delivery runs after commit and claims rows with a conditional update
before sending, so each mail goes out once. One setting per person decides
email: immediately, a weekly digest (one per network), or never (the inbox on
the site always has everything).

Delivery claims the rows and writes their mail to the mail outbox
(`core.outbox`) in one transaction, so `emailed_at` means the mail exists and
will be sent, with the outbox's leases and retries; a worker that dies before
the commit leaves the rows unclaimed. A message that cannot be built is logged
with its rows' ids and given back for a later run, without holding up the
others; after `MAX_EMAIL_ATTEMPTS` its rows are given up and stay visible
(`email_failed_at`, `email_error`).
"""

import logging
import re
import uuid
from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.mail import email_message
from members.models import (
    Membership,
    MembershipStatus,
    Notification,
    NotificationPreference,
    NotificationSetting,
    User,
)
from members.reach import representatives_in_reach
from networks.models import Facilitator, Interlocutor, Network
from networks.rules import cached_role, forget_role
from networks.scoping import all_networks, network_scope

logger = logging.getLogger(__name__)

# A message that failed this many times is given up (and stays visible in the admin).
MAX_EMAIL_ATTEMPTS = 5

# The role (`networks.rules.cached_role`) that holds how many notifications wait unread.
UNREAD_NOTIFICATIONS = "unread_notifications"


class NotificationKind(models.TextChoices):
    """The base of every app's enum of the notifications it sends (`app.what` as value)."""


class MembershipNotice(NotificationKind):
    APPLIED = "membership.applied"
    APPROVED = "membership.approved"
    REJECTED = "membership.rejected"


# What each kind of notification says, formatted with the notification's
# `context` in the recipient's language. Each app registers the texts of its
# own kinds from its `AppConfig.ready()` (`register_messages`); a kind without
# a text cannot be queued.
_MESSAGES: dict[str, tuple] = {}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Kinds good to know but never urgent (a commission proposed): they wait for the
# weekly digest even for people who chose mail at once.
_DIGEST_KINDS: set[str] = set()


def register_messages(kinds, messages, *, digest=()):
    """The (subject, body) of every member of `kinds`, an enum of `NotificationKind`.

    The kinds in `digest` go to the weekly digest by default (see `_DIGEST_KINDS`).
    """
    missing = [kind.value for kind in kinds if kind not in messages]
    if missing:
        raise ImproperlyConfigured(f"No message for the notification kinds {missing}.")
    for kind in kinds:
        if _MESSAGES.get(kind.value, messages[kind]) is not messages[kind]:
            raise ImproperlyConfigured(f"The notification kind {kind.value} has two messages.")
        _MESSAGES[kind.value] = messages[kind]
    _DIGEST_KINDS.update(kind.value for kind in digest)


# What an app attaches to the mail of one of its kinds (an event's calendar
# entry): `build(notification)` gives (filename, content, mimetype) or None.
_ATTACHMENTS: dict[str, object] = {}


def register_attachment(kind, build):
    _ATTACHMENTS[kind.value] = build


def _attachments(notifications):
    files = []
    for notification in notifications:
        build = _ATTACHMENTS.get(notification.kind)
        attachment = build(notification) if build is not None else None
        if attachment is not None:
            files.append(attachment)
    return files


def digest_kinds() -> set[str]:
    return set(_DIGEST_KINDS)


def moment(value):
    """A date and time for a notification's context, shown when read (`subject_and_body`).

    Stored as an instant, it is written in the network's time zone and in the
    reader's own language and date format, whichever that is when the mail is built.
    """
    return {"moment": value.isoformat()}


def day(value):
    """A calendar date for a notification's context, written in the reader's date format."""
    return {"day": value.isoformat()}


def _readable(value, zone):
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        # A date stored as text by an older message: written as the reader writes dates.
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    if isinstance(value, dict):
        if "moment" in value:
            local = timezone.localtime(datetime.fromisoformat(value["moment"]), zone)
            return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone.key})"
        if "day" in value:
            return formats.date_format(date.fromisoformat(value["day"]), "DATE_FORMAT")
    return value


def has_message(kind) -> bool:
    return kind in _MESSAGES


def registered_kinds() -> list[str]:
    return sorted(_MESSAGES)


MEMBERSHIP_MESSAGES = {
    MembershipNotice.APPLIED: (
        _("%(entity)s applied to join %(network)s"),
        _(
            "%(entity)s has applied to join %(network)s and accepted its charter. Please review "
            "the application on the network's facilitation pages."
        ),
    ),
    MembershipNotice.APPROVED: (
        _("%(entity)s is now a member of %(network)s"),
        _(
            "The facilitator approved the application of %(entity)s. Welcome: your entity "
            "appears in the network's directory and can join or propose commissions."
        ),
    ),
    MembershipNotice.REJECTED: (
        _("The application of %(entity)s to %(network)s was not accepted"),
        _(
            "The facilitator gave this reason: “%(reason)s”. You can read it again in your "
            "workspace, and apply again once things have changed."
        ),
    ),
}


def subject_and_body(notification):
    """The notification's texts in the active language, its dates in its network's time zone."""
    subject, body = _MESSAGES[notification.kind]
    context = dict(notification.context)
    zone = notification.network.zone if notification.network_id else None
    context = {name: _readable(value, zone) for name, value in context.items()}
    # `%` on the lazy text itself: a text with plural forms picks its form from the context.
    return str(subject % context), str(body % context)


UNSUBSCRIBE_SALT = "members.unsubscribe"


def unsubscribe_token(user_id, network_id):
    """The signed secret of a mail's one-click unsubscribe link: this person, this network.

    It never expires (a link in an old mail still works) and names nothing but
    two ids; anyone holding it can only turn this person's mail from this
    network off, which the person can turn on again in their settings.
    """
    return signing.dumps([user_id, network_id], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user id, network id) of a genuine token, or None."""
    try:
        user_id, network_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(network_id, int):
        return None
    return user_id, network_id


def unsubscribe_url(user_id, network_id):
    path = reverse(
        "account_area:unsubscribe", kwargs={"token": unsubscribe_token(user_id, network_id)}
    )
    return settings.SITE_URL + path


def facilitator_ids_by_network(network_ids):
    """The people facilitating each of these networks today, in one query (in the active scope)."""
    facilitators = defaultdict(set)
    rows = Facilitator.objects.filter(
        network_id__in=set(network_ids), ended_on__isnull=True
    ).values_list("network_id", "user_id")
    for network_id, user_id in rows:
        facilitators[network_id].add(user_id)
    return facilitators


def vacancy_alert_recipient_ids_by_network(network_ids):
    """Who hears that a commission lost its promoter, per network: its facilitators, and the
    representative and alternate of its interlocutor entity where the network gives its
    interlocutor that power (`Network.interlocutor_receives_vacancy_alerts`).

    Two queries, in the active scope, whatever the networks.
    """
    network_ids = set(network_ids)
    recipients = facilitator_ids_by_network(network_ids)
    if not network_ids:
        return recipients
    rows = Membership.objects.filter(
        network_id__in=network_ids,
        network__interlocutor_receives_vacancy_alerts=True,
        status=MembershipStatus.ACTIVE,
    ).filter(
        Exists(
            Interlocutor.objects.filter(
                network_id=OuterRef("network_id"),
                entity_id=OuterRef("entity_id"),
                ended_at__isnull=True,
            )
        )
    )
    for network_id, representative_id, alternate_id in rows.values_list(
        "network_id", "representative_id", "alternate_id"
    ):
        recipients[network_id] |= {representative_id, alternate_id} - {None}
    return recipients


def representative_ids_by_entity(pairs):
    """Representatives and alternates of active member entities, per (network id, entity id).

    The entity speaks in a network through its active membership there or in a
    network under it (`members.reach`: a regional member of a national
    commission hears of it). A suspended member, or the same entity's
    membership in a sibling network, names nobody here.
    """
    return defaultdict(set, representatives_in_reach(pairs))


def _wanting(preference):
    """Rows whose recipient wants `preference` from the row's network.

    Their choice for that network, or, without one, their account's default.
    Subqueries on the row's own columns, not a join: PostgreSQL rechecks a
    waiting UPDATE's own conditions (emailed_at IS NULL) on the row it finally
    gets, but not a joined subquery of row ids, which would let two concurrent
    deliveries claim the same row.
    """
    chosen = NotificationSetting.objects.filter(
        user_id=OuterRef("recipient_id"), network_id=OuterRef("network_id")
    )
    by_default = User.objects.filter(notification_preference=preference).values("pk")
    return Q(Exists(chosen.filter(preference=preference))) | (
        ~Q(Exists(chosen)) & Q(recipient_id__in=by_default)
    )


def mail_choices(user):
    """(network, preference, whether chosen there) for every network that speaks to this person.

    Those where they represent or stand in for an active member, those they
    facilitate, and any that told them something or where they chose already;
    two queries whatever the number of networks.
    """
    with all_networks():
        network_ids = set(
            Membership.objects.filter(status=MembershipStatus.ACTIVE)
            .filter(Q(representative=user) | Q(alternate=user))
            .values_list("network_id", flat=True)
        )
        network_ids |= set(
            Facilitator.objects.filter(user=user, ended_on__isnull=True).values_list(
                "network_id", flat=True
            )
        )
        network_ids |= set(
            Notification.objects.filter(recipient=user)
            .values_list("network_id", flat=True)
            .distinct()
        )
        chosen = dict(
            NotificationSetting.objects.filter(user=user).values_list("network_id", "preference")
        )
    network_ids |= set(chosen)
    networks = Network.objects.filter(pk__in=network_ids).order_by("name")
    return [
        (network, chosen.get(network.pk, user.notification_preference), network.pk in chosen)
        for network in networks
    ]


def preference_of(user, network):
    """What this person chose for this network, or their default."""
    with network_scope(network):
        chosen = (
            NotificationSetting.objects.filter(user=user, network=network)
            .values_list("preference", flat=True)
            .first()
        )
    return chosen or user.notification_preference


def _outbox(queryset):
    """Rows still to be mailed: not mailed, not skipped, not given up."""
    return queryset.filter(
        emailed_at__isnull=True, email_skipped=False, email_failed_at__isnull=True
    )


def deliver_pending_notifications(*, now=None):
    """Mail the notifications of people who want them at once; skip those who want none.

    Returns the number of mails written to the outbox. Rows are claimed with a conditional
    update before sending, so two deliveries at once never send one twice.
    The outbox spans networks on purpose: each row goes to its own recipient,
    and building its mail reads nothing but the row.
    """
    now = now or timezone.now()
    with transaction.atomic():
        written = _write_pending_notifications(now=now)
    if written:
        # This runs in the worker, after the commit: send the rows just written.
        outbox.deliver()
    return written


def _write_pending_notifications(*, now):
    with all_networks():
        pending = _outbox(Notification.objects.all())
        pending.filter(_wanting(NotificationPreference.NEVER)).update(email_skipped=True)
        token = uuid.uuid4()
        claimed = (
            pending.filter(_wanting(NotificationPreference.IMMEDIATELY))
            .exclude(kind__in=_DIGEST_KINDS)
            .update(emailed_at=now, delivery_token=token)
        )
        if not claimed:
            return 0
        notifications = Notification.objects.filter(delivery_token=token).select_related(
            "recipient", "network"
        )
        outgoing = [
            (notification.recipient, [notification])
            for notification in notifications.order_by("pk")
        ]
        return _send_each(outgoing, now=now)


def deliver_weekly_digests(network, *, now=None):
    """One mail per person who chose the weekly digest, with what this network told them.

    A person in two networks gets two digests, each about its own network. The
    kinds sent in the digest by default (`register_messages(digest=…)`) come here
    for people who chose mail at once too.
    """
    now = now or timezone.now()
    with transaction.atomic():
        written = _write_weekly_digests(network, now=now)
    if written:
        outbox.deliver()
    return written


def _write_weekly_digests(network, *, now):
    token = uuid.uuid4()
    with network_scope(network):
        claimed = (
            _outbox(Notification.objects.all())
            .filter(
                _wanting(NotificationPreference.WEEKLY_DIGEST)
                | (_wanting(NotificationPreference.IMMEDIATELY) & Q(kind__in=_DIGEST_KINDS))
            )
            .update(emailed_at=now, delivery_token=token)
        )
        if not claimed:
            return 0
        by_recipient = defaultdict(list)
        claimed_rows = Notification.objects.filter(delivery_token=token)
        rows = claimed_rows.select_related("recipient", "network")
        for notification in rows.order_by("recipient_id", "pk"):
            by_recipient[notification.recipient].append(notification)
        return _send_each(list(by_recipient.items()), now=now, network=network)


def _message_for(recipient, notifications, *, network=None):
    """One mail: its network named, a link to each item, a one-click way out (RFC 8058)."""
    network = network or notifications[0].network
    unsubscribe = unsubscribe_url(recipient.pk, network.pk)
    with translation.override(recipient.language):
        items = [
            dict(zip(("subject", "body"), subject_and_body(n), strict=True)) for n in notifications
        ]
        for item, notification in zip(items, notifications, strict=True):
            item["link"] = notification.link
        if len(items) == 1:
            subject = items[0]["subject"]
        else:
            subject = str(_("Your weekly summary from %(network)s") % {"network": network.name})
        body = render_to_string(
            "members/email/notifications.txt",
            {
                "recipient": recipient,
                "items": items,
                "network": network,
                "site_url": settings.SITE_URL,
                "unsubscribe_url": unsubscribe,
                "settings_url": settings.SITE_URL + reverse("account_area:settings"),
            },
        )
    return email_message(
        subject=subject,
        body=body,
        to=[recipient.email],
        attachments=_attachments(notifications),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send_each(outgoing, *, now, network=None):
    """Write one message per (recipient, claimed notifications) to the mail outbox.

    Runs in the transaction of the claim: the rows are marked and their mail
    written together, and `core.outbox` sends each mail on its own. A message
    that cannot be built is recorded on its rows, without holding up the
    others. Returns the number of messages written.
    """
    messages = []
    for recipient, notifications in outgoing:
        try:
            messages.append(_message_for(recipient, notifications, network=network))
        except Exception as error:
            _record_failure(notifications, error, now=now)
    return outbox.enqueue(messages)


def _record_failure(notifications, error, *, now):
    """Give the rows of one failed message back for a later run, or give them up."""
    ids = [notification.pk for notification in notifications]
    recipient_id = notifications[0].recipient_id
    attempts = max(notification.email_attempts for notification in notifications) + 1
    if attempts >= MAX_EMAIL_ATTEMPTS:
        logger.error(
            "Mail of notifications %s to user %s failed %s times; given up.",
            ids,
            recipient_id,
            attempts,
            exc_info=error,
        )
    else:
        logger.warning(
            "Mail of notifications %s to user %s failed; it will be tried again, the others go on.",
            ids,
            recipient_id,
            exc_info=error,
        )
    Notification.objects.filter(pk__in=ids).update(
        emailed_at=None,
        delivery_token=None,
        email_attempts=F("email_attempts") + 1,
        email_error=f"{type(error).__name__}: {error}"[:300],
        email_failed_at=Case(
            When(email_attempts__gte=MAX_EMAIL_ATTEMPTS - 1, then=Value(now)), default=None
        ),
    )


def _notifications_of(user):
    """A person's own notifications, from every network they take part in (their inbox)."""
    with all_networks():
        return Notification.objects.filter(recipient=user)


def unread_count(user):
    """How many of the person's notifications wait unread, read once per request."""
    return cached_role(user, UNREAD_NOTIFICATIONS, _read_unread) or 0


def _read_unread(user):
    return _notifications_of(user).filter(read_at__isnull=True).count()


def inbox(user):
    return _notifications_of(user).select_related("network")


def mark_read(user, notification_ids=None):
    query = Q(read_at__isnull=True)
    if notification_ids is not None:
        query &= Q(pk__in=notification_ids)
    forget_role(user, UNREAD_NOTIFICATIONS)
    return _notifications_of(user).filter(query).update(read_at=timezone.now())
