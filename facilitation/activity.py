"""The network's activity as the facilitator reads it: one sentence per change, with a link.

The sentences of history rows come from the books each app registers
(`networks.history`); a commission's state changes are told here, from its own
`StateChange` rows. Everything a page shows is read in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from commissions.models import CommissionState, StateChange
from events.models import Event
from facilitation.selectors import activity as reads
from members.models import Membership
from networks.history import sentences_for
from networks.models import Interlocutor, Network
from networks.scoping import network_scope


@dataclass
class ActivityItem:
    at: datetime
    actor: object
    text: str
    reason: str = ""
    link: str = ""


def activity_items(*, network: Network, rows) -> list[ActivityItem]:
    """Readable sentences for a page of feed rows, in the reader's language."""
    entries = reads.history_of_rows(
        network=network, ids=[row["id"] for row in rows if row["source"] == "history"]
    )
    changes = reads.state_changes(
        network=network, ids=[row["id"] for row in rows if row["source"] == "commission"]
    )
    items_by_key = {
        ("history", entry.pk): item
        for entry, item in zip(
            entries.values(), history_items(network=network, entries=entries.values()), strict=True
        )
    }
    for pk, change in changes.items():
        items_by_key[("commission", pk)] = _state_change_item(network, change)
    return [items_by_key[(row["source"], row["id"])] for row in rows]


def membership_history(*, network: Network, membership: Membership) -> list[ActivityItem]:
    entries = reads.membership_entries(network=network, membership=membership)
    return history_items(network=network, entries=entries)


def history_items(*, network: Network, entries) -> list[ActivityItem]:
    """Sentences for history entries, loading what they name in one query per kind."""
    with network_scope(network):
        sentences = sentences_for(entries)
    return [
        ActivityItem(
            at=sentence.entry.at,
            actor=sentence.entry.actor,
            text=sentence.text,
            reason=sentence.entry.reason,
            link=_link(network, sentence.subject),
        )
        for sentence in sentences
    ]


def _link(network, subject) -> str:
    """The page where the facilitator follows up on what a change is about."""
    slug = network.slug
    if isinstance(subject, Membership):
        return reverse(
            "facilitation:membership", kwargs={"network_slug": slug, "membership_id": subject.pk}
        )
    if isinstance(subject, Interlocutor):
        return reverse("facilitation:interlocutor", kwargs={"network_slug": slug})
    if isinstance(subject, Event):
        return reverse("events:detail", kwargs={"network_slug": slug, "event_id": subject.pk})
    return ""


def _state_change_item(network: Network, change: StateChange) -> ActivityItem:
    commission = change.commission
    values = {
        "commission": commission.name,
        "state": CommissionState(change.to_state).label
        if change.to_state in CommissionState.values
        else change.to_state,
    }
    if change.reason == StateChange.Reason.PROPOSED:
        text = _("The commission %(commission)s was proposed.") % values
    else:
        text = _("The commission %(commission)s is now: %(state)s.") % values
    reason = (
        StateChange.Reason(change.reason).label
        if change.reason in StateChange.Reason.values
        else change.reason
    )
    if change.note:
        reason = f"{reason}. {change.note}" if reason else change.note
    return ActivityItem(
        at=change.at,
        actor=change.actor,
        text=text,
        reason=str(reason),
        link=reverse(
            "commissions:detail",
            kwargs={"network_slug": network.slug, "commission_id": commission.pk},
        ),
    )
