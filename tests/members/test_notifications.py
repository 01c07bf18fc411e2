from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox as core_outbox
from core.models import OutgoingMail
from members import notifications, outbox
from members.models import Notification, NotificationPreference
from networks.scoping import all_networks
from tests import factories

pytestmark = pytest.mark.django_db


def notify(network, user, kind="commission.stalled", key="1", **context):
    context = {"commission": "Medio Ambiente", "days": 60, **context}
    outbox.queue_notifications(
        [
            Notification(
                network=network,
                recipient=user,
                kind=kind,
                key=f"{kind}:{key}",
                context=context,
                link="/redes/arequipa/comisiones/1/",
            )
        ]
    )


def test_immediate_preference_mails_each_notification_once(network):
    user = factories.UserFactory(notification_preference=NotificationPreference.IMMEDIATELY)
    notify(network, user)
    notify(network, user)  # the same key again: stored once
    assert notifications.deliver_pending_notifications() == 1
    assert notifications.deliver_pending_notifications() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/redes/arequipa/comisiones/1/" in mail.outbox[0].body


@pytest.mark.parametrize("kind", notifications.registered_kinds())
def test_never_preference_sends_nothing_whatever_the_kind(network, kind):
    user = factories.UserFactory(notification_preference=NotificationPreference.NEVER)
    context = {
        "commission": "X",
        "days": 1,
        "closes_on": "2026-12-01",
        "days_left": 1,
        "closed_on": "2026-12-01",
        "action": "Feria",
        "due_on": "2026-12-01",
        "last_activity_on": "2026-11-01",
        "year": 2026,
        "since": "2025-01-01",
    }
    notify(network, user, kind=kind, **context)
    assert notifications.deliver_pending_notifications() == 0
    assert notifications.deliver_weekly_digests(network) == 0
    assert mail.outbox == []
    with all_networks():
        stored = Notification.objects.get(recipient=user)
    assert stored.email_skipped and stored.emailed_at is None
    assert list(notifications.inbox(user)) == [stored]


def test_weekly_digest_gathers_everything_of_one_network_in_one_mail(network, other_network):
    user = factories.UserFactory(notification_preference=NotificationPreference.WEEKLY_DIGEST)
    notify(network, user, key="1", commission="Juventud")
    notify(network, user, key="2", commission="Salud")
    notify(other_network, user, key="3", commission="Cultura")
    assert notifications.deliver_pending_notifications() == 0
    assert notifications.deliver_weekly_digests(network) == 1
    assert notifications.deliver_weekly_digests(network) == 0
    (digest,) = mail.outbox
    assert network.name in digest.subject
    assert "Juventud" in digest.body and "Salud" in digest.body
    assert "Cultura" not in digest.body
    assert notifications.deliver_weekly_digests(other_network) == 1
    assert "Cultura" in mail.outbox[1].body and "Juventud" not in mail.outbox[1].body


def test_the_digest_task_queues_one_digest_per_network(network, other_network, monkeypatch):
    from members.tasks import deliver_weekly_digests, deliver_weekly_digests_in_network

    user = factories.UserFactory(notification_preference=NotificationPreference.WEEKLY_DIGEST)
    notify(network, user, key="1", commission="Juventud")
    notify(network, user, key="2", commission="Salud")
    notify(other_network, user, key="3", commission="Cultura")
    queued = []
    monkeypatch.setattr(deliver_weekly_digests_in_network, "delay", queued.append)
    assert deliver_weekly_digests() == 2
    assert sorted(queued) == sorted([network.pk, other_network.pk])
    assert [deliver_weekly_digests_in_network(network_id) for network_id in queued] == [1, 1]
    assert [message.to for message in mail.outbox] == [[user.email], [user.email]]


def test_mail_speaks_the_recipients_language(network):
    spanish = factories.UserFactory(language="es")
    english = factories.UserFactory(language="en")
    notify(network, spanish)
    notify(network, english)
    notifications.deliver_pending_notifications()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "estancada" in by_recipient[spanish.email].subject
    assert "has stalled" in by_recipient[english.email].subject


def test_a_mail_server_that_is_down_keeps_the_mail_in_the_outbox_until_it_returns(
    network, settings
):
    settings.EMAIL_BACKEND = "tests.members.failing_mail.FailingBackend"
    user = factories.UserFactory()
    notify(network, user)
    assert notifications.deliver_pending_notifications() == 1
    assert mail.outbox == []
    with all_networks():
        assert Notification.objects.get(recipient=user).emailed_at is not None
    (row,) = OutgoingMail.objects.all()
    assert row.sent_at is None and row.last_error.startswith("OSError")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert core_outbox.deliver(now=timezone.now() + timedelta(minutes=2)) == 1
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_inbox_and_unread_count_belong_to_their_owner(network):
    user, other = factories.UserFactory(), factories.UserFactory()
    notify(network, user, key="1")
    notify(network, user, key="2")
    notify(network, other, key="1")
    assert notifications.unread_count(user) == 2
    assert notifications.mark_read(user) == 2
    assert notifications.unread_count(user) == 0
    assert notifications.unread_count(other) == 1


REFUSING = "tests.members.failing_mail.RefusingBackend"


def outbox_count(address):
    return sum(message.to == [address] for message in mail.outbox)


def test_a_title_with_a_line_break_is_mailed_with_a_one_line_subject(network):
    user = factories.UserFactory(language="en")
    # Stored before input was cleaned: the row still holds the line break.
    notify(network, user, commission="Medio\r\nBcc: todos@example.org")
    assert notifications.deliver_pending_notifications() == 1
    (message,) = mail.outbox
    assert message.subject == "The commission “Medio Bcc: todos@example.org” has stalled"
    assert message.recipients() == [user.email]
    assert message.message()["Bcc"] is None


def test_a_poisoned_row_in_the_middle_stops_no_other_mail_over_two_runs(network, settings):
    settings.EMAIL_BACKEND = REFUSING
    people = [factories.UserFactory() for _ in range(2)]
    people.append(factories.UserFactory(email="nadie@refused.example.org"))
    people += [factories.UserFactory() for _ in range(2)]
    for person in people:
        notify(network, person)

    assert notifications.deliver_pending_notifications() == 5
    assert notifications.deliver_pending_notifications() == 0
    core_outbox.deliver(now=timezone.now() + timedelta(minutes=2))

    for person in people:
        expected = 0 if person.email.endswith("refused.example.org") else 1
        assert outbox_count(person.email) == expected
    poisoned = OutgoingMail.objects.get(recipients="nadie@refused.example.org")
    assert poisoned.sent_at is None and poisoned.attempts == 2
    assert poisoned.last_error.startswith("SMTPRecipientsRefused")
    assert poisoned.given_up_at is None
    assert OutgoingMail.objects.filter(sent_at__isnull=False).count() == 4


def test_a_row_that_cannot_be_written_stops_no_other_mail(network):
    first, broken, last = (factories.UserFactory() for _ in range(3))
    notify(network, first)
    # A row whose details lack what its text needs (a kind changed after it was stored).
    outbox.queue_notifications(
        [
            Notification(
                network=network,
                recipient=broken,
                kind="commission.stalled",
                key="commission.stalled:broken",
                context={},
            )
        ]
    )
    notify(network, last)
    assert notifications.deliver_pending_notifications() == 2
    assert [message.to for message in mail.outbox] == [[first.email], [last.email]]
    with all_networks():
        row = Notification.objects.get(recipient=broken)
    assert (row.emailed_at, row.email_attempts) == (None, 1)
    assert row.email_error.startswith("KeyError")


def test_a_refused_mail_is_given_up_after_a_few_attempts_and_stays_visible(network, settings):
    settings.EMAIL_BACKEND = REFUSING
    person = factories.UserFactory(email="nadie@refused.example.org")
    notify(network, person)
    assert notifications.deliver_pending_notifications() == 1
    moment = timezone.now()
    for _attempt in range(core_outbox.MAX_ATTEMPTS + 2):
        moment += timedelta(days=1)
        assert core_outbox.deliver(now=moment) == 0
    (row,) = OutgoingMail.objects.all()
    assert row.attempts == core_outbox.MAX_ATTEMPTS
    assert row.given_up_at is not None and row.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert core_outbox.deliver(now=moment + timedelta(days=1)) == 0
    assert mail.outbox == []
    # The site admin may try it again.
    assert core_outbox.retry(OutgoingMail.objects.all()) == 1
    assert core_outbox.deliver() == 1
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_a_mail_server_that_is_down_costs_no_attempt(network, settings):
    settings.EMAIL_BACKEND = "tests.members.failing_mail.FailingBackend"
    person = factories.UserFactory()
    notify(network, person)
    notifications.deliver_pending_notifications()
    moment = timezone.now()
    for _run in range(core_outbox.MAX_ATTEMPTS + 1):
        moment += timedelta(hours=1)
        assert core_outbox.deliver(now=moment) == 0
    (row,) = OutgoingMail.objects.all()
    assert (row.sent_at, row.attempts, row.given_up_at) == (None, 0, None)


def test_one_refused_digest_stops_no_other_digest(network, settings):
    settings.EMAIL_BACKEND = REFUSING
    weekly = NotificationPreference.WEEKLY_DIGEST
    fine = factories.UserFactory(notification_preference=weekly)
    refused = factories.UserFactory(
        email="nadie@refused.example.org", notification_preference=weekly
    )
    also_fine = factories.UserFactory(notification_preference=weekly)
    for person in (fine, refused, also_fine):
        notify(network, person, key="1")
        notify(network, person, key="2")
    assert notifications.deliver_weekly_digests(network) == 3
    assert notifications.deliver_weekly_digests(network) == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted([fine.email, also_fine.email])
    row = OutgoingMail.objects.get(recipients=refused.email)
    assert (row.sent_at, row.attempts) == (None, 1)
