"""Reads behind the network's activity: history rows and commission state changes, newest first."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, Value

from commissions.models import StateChange
from members.models import Membership
from networks.models import HistoryEntry, Network
from networks.scoping import network_scope


def activity_rows(*, network: Network) -> QuerySet[HistoryEntry, Mapping[str, Any]]:
    """History entries and commission state changes of the network as one dated list.

    Only `(source, id, at)` is read here, for the paginator;
    `facilitation.activity.activity_items` turns one page of these rows into
    sentences with a fixed number of queries.
    """
    with network_scope(network):
        # The default orderings are cleared: a compound statement is ordered as a whole.
        history = (
            HistoryEntry.objects.order_by()
            .annotate(source=Value("history"))
            .values("source", "id", "at")
        )
        changes = (
            StateChange.objects.order_by()
            .annotate(source=Value("commission"))
            .values("source", "id", "at")
        )
        return history.union(changes, all=True).order_by("-at", "-id")


def history_of_rows(*, network: Network, ids: Iterable[int]) -> dict[int, HistoryEntry]:
    with network_scope(network):
        return {
            entry.pk: entry
            for entry in HistoryEntry.objects.filter(pk__in=ids).select_related("actor")
        }


def state_changes(*, network: Network, ids: Iterable[int]) -> dict[int, StateChange]:
    with network_scope(network):
        return {
            change.pk: change
            for change in StateChange.objects.filter(pk__in=ids).select_related(
                "commission", "actor"
            )
        }


def membership_entries(*, network: Network, membership: Membership) -> list[HistoryEntry]:
    """The history of one membership, newest first."""
    with network_scope(network):
        return list(
            HistoryEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Membership),
                object_id=membership.pk,
            )
            .select_related("actor")
            .order_by("-at", "-id")
        )
