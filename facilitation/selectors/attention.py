"""Commissions needing the facilitator's attention: vacant ones closing soon, stalled ones."""

from dataclasses import dataclass
from datetime import datetime
from typing import overload

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from commissions.models import Commission, CommissionState
from networks.models import Network
from networks.scoping import network_scope


def days_left_before_closing(commission: Commission, now: datetime) -> int:
    """Whole days, in the network's calendar, before a vacant commission closes; 0 once due."""
    closes_on = commission.closes_on
    if closes_on is None:
        return 0
    return max(0, (closes_on - timezone.localdate(now, commission.network.zone)).days)


@dataclass
class CommissionNeedingAttention:
    commission: Commission
    since: datetime | None
    days_left: int | None

    @property
    def is_vacant(self) -> bool:
        return self.commission.state == CommissionState.VACANT


class _AttentionList:
    """A lazily sliced list of commissions needing attention, for the paginator."""

    def __init__(self, queryset: QuerySet[Commission], now: datetime) -> None:
        self.queryset = queryset
        self.now = now

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> CommissionNeedingAttention: ...

    @overload
    def __getitem__(self, index: slice) -> list[CommissionNeedingAttention]: ...

    def __getitem__(
        self, index: int | slice
    ) -> CommissionNeedingAttention | list[CommissionNeedingAttention]:
        if isinstance(index, slice):
            return [self._wrap(commission) for commission in self.queryset[index]]
        return self._wrap(self.queryset[index])

    def _wrap(self, commission: Commission) -> CommissionNeedingAttention:
        vacant = commission.state == CommissionState.VACANT
        return CommissionNeedingAttention(
            commission=commission,
            since=commission.vacant_since if vacant else commission.state_changed_at,
            days_left=days_left_before_closing(commission, self.now) if vacant else None,
        )


def commissions_needing_attention(
    *, network: Network, now: datetime | None = None
) -> _AttentionList:
    """Vacant commissions, the closest to closing first, then stalled ones, the oldest first."""
    now = now or timezone.now()
    with network_scope(network):
        queryset = (
            Commission.objects.select_related("network")
            .filter(state__in=[CommissionState.VACANT, CommissionState.STALLED])
            .order_by(
                Case(
                    When(state=CommissionState.VACANT, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                # One network, one grace period: the longest vacant closes first.
                F("vacant_since").asc(nulls_last=True),
                "state_changed_at",
                "id",
            )
        )
    return _AttentionList(queryset, now)
