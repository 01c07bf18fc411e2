import pytest
from django.core import mail

from members import notifications
from members.models import Notification, NotificationPreference
from networks.scoping import all_networks
from tests import factories

pytestmark = pytest.mark.django_db


def notify(network, user, kind="commission.stalled", key="1", **context):
    context = {"commission": "Medio Ambiente", "days": 60, **context}
    notifications.queue_notifications(
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


@pytest.mark.parametrize("kind", sorted(notifications.MESSAGES))
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
    assert notifications.deliver_weekly_digests() == 0
    assert mail.outbox == []
    with all_networks():
        stored = Notification.objects.get(recipient=user)
    assert stored.email_skipped and stored.emailed_at is None
    assert list(notifications.inbox(user)) == [stored]


def test_weekly_digest_gathers_everything_in_one_mail(network, other_network):
    user = factories.UserFactory(notification_preference=NotificationPreference.WEEKLY_DIGEST)
    notify(network, user, key="1", commission="Juventud")
    notify(other_network, user, key="2", commission="Salud")
    assert notifications.deliver_pending_notifications() == 0
    assert notifications.deliver_weekly_digests() == 1
    assert notifications.deliver_weekly_digests() == 0
    assert len(mail.outbox) == 1
    assert "Juventud" in mail.outbox[0].body and "Salud" in mail.outbox[0].body


def test_mail_speaks_the_recipients_language(network):
    spanish = factories.UserFactory(language="es")
    english = factories.UserFactory(language="en")
    notify(network, spanish)
    notify(network, english)
    notifications.deliver_pending_notifications()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "estancada" in by_recipient[spanish.email].subject
    assert "has stalled" in by_recipient[english.email].subject


def test_a_failed_send_gives_the_notifications_back_for_the_retry(network, settings):
    settings.EMAIL_BACKEND = "tests.members.failing_mail.FailingBackend"
    user = factories.UserFactory()
    notify(network, user)
    with pytest.raises(OSError):
        notifications.deliver_pending_notifications()
    with all_networks():
        assert Notification.objects.get(recipient=user).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.deliver_pending_notifications() == 1


def test_inbox_and_unread_count_belong_to_their_owner(network):
    user, other = factories.UserFactory(), factories.UserFactory()
    notify(network, user, key="1")
    notify(network, user, key="2")
    notify(network, other, key="1")
    assert notifications.unread_count(user) == 2
    assert notifications.mark_read(user) == 2
    assert notifications.unread_count(user) == 0
    assert notifications.unread_count(other) == 1
