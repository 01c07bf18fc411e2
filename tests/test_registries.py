"""Every history action reads as a sentence and every notification kind has its message.

Each app names what it records and what it sends in enums of its own, and
registers their sentences and texts when it starts. These tests walk every
member of every such enum, so an action or a kind added without its words
fails here, not on the facilitator's activity page or in somebody's mail.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from members.history import MembershipAction
from members.models import Notification
from members.notifications import (
    NotificationKind,
    has_message,
    register_messages,
    registered_kinds,
    subject_and_body,
)
from members.outbox import queue_notifications
from networks.history import (
    HistoryAction,
    SentenceBook,
    has_sentence,
    record_change,
    register_sentences,
)
from networks.scoping import network_scope
from tests import factories


def every_member(base):
    """Members of every enum that subclasses `base`, wherever it is defined."""
    found, pending = [], list(base.__subclasses__())
    while pending:
        enum = pending.pop()
        pending.extend(enum.__subclasses__())
        found.extend(enum)
    return found


def test_the_apps_name_their_history_actions_and_notification_kinds_in_enums():
    actions = {action.value for action in every_member(HistoryAction)}
    kinds = {kind.value for kind in every_member(NotificationKind)}
    assert {"membership.applied", "event.created", "commission.reopened"} <= actions
    assert {"membership.approved", "commission.closed", "event.reminder"} <= kinds


@pytest.mark.parametrize("action", every_member(HistoryAction), ids=str)
def test_every_history_action_has_a_sentence(action):
    assert has_sentence(action), f"{action} can be recorded but has no sentence"


@pytest.mark.parametrize("kind", every_member(NotificationKind), ids=str)
def test_every_notification_kind_has_a_message(kind):
    assert has_message(kind), f"{kind} can be queued but has no message"


def test_every_registered_message_belongs_to_an_enum():
    assert set(registered_kinds()) == {kind.value for kind in every_member(NotificationKind)}


def test_a_book_without_a_sentence_for_each_action_is_refused():
    class Example(HistoryAction):
        ONE = "example.one"
        TWO = "example.two"

    book = SentenceBook(actions=Example, sentences={Example.ONE: lambda entry, loaded: "One."})
    with pytest.raises(ImproperlyConfigured, match=r"example\.two"):
        register_sentences(book)
    assert not has_sentence("example.one")


def test_messages_missing_for_a_kind_are_refused():
    class Example(NotificationKind):
        ONE = "example.one"

    with pytest.raises(ImproperlyConfigured, match=r"example\.one"):
        register_messages(Example, {})


@pytest.mark.django_db
def test_an_action_that_is_no_enum_member_cannot_be_recorded(network):
    membership = factories.MembershipFactory(network=network)
    with network_scope(network), pytest.raises(TypeError):
        record_change(network=network, subject=membership, action="membership.note", by=None)
    with network_scope(network):
        entry = record_change(
            network=network, subject=membership, action=MembershipAction.APPLIED, by=None
        )
    assert entry.action == "membership.applied"


@pytest.mark.django_db
def test_a_kind_without_a_message_cannot_be_queued(network):
    user = factories.UserFactory()
    with pytest.raises(ValueError, match=r"example\.unknown"):
        queue_notifications(
            [
                Notification(
                    network=network,
                    recipient=user,
                    kind="example.unknown",
                    key="example.unknown:1",
                    context={},
                )
            ]
        )


def test_commission_texts_are_the_commissions_apps_own():
    from commissions.notifications import MESSAGES, CommissionNotice

    notification = Notification(kind=CommissionNotice.QUIET, context={"commission": "Salud"})
    notification.context["last_activity_on"] = "2026-01-01"
    assert subject_and_body(notification)[0] == str(MESSAGES[CommissionNotice.QUIET][0]) % {
        "commission": "Salud"
    }
