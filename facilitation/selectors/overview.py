"""Reads behind the facilitator's front page: counts, representative turnover, urgent commissions.

These reads are for the facilitators of one network: unlike the public ones
they count applications and suspended members.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from commissions.models import Commission, CommissionState
from facilitation.selectors.attention import (
    CommissionNeedingAttention,
    commissions_needing_attention,
)
from members.history import MembershipAction
from members.models import Membership, MembershipStatus
from networks.models import HistoryEntry, Network
from networks.scoping import network_scope
from platforms.models import Platform


@dataclass
class RepresentativeTurnover:
    """How many active members changed their representative at least once (section 5.1)."""

    active_members: int
    changed: int

    @property
    def percent(self) -> int | None:
        if not self.active_members:
            return None
        return round(100 * self.changed / self.active_members)


def _representative_replaced_since_joining() -> QuerySet[HistoryEntry, Mapping[str, Any]]:
    """A history row where an entity's representative was replaced after it joined.

    Naming the first representative (from nobody to someone) is not a change of
    representative; replacing one person by another (or by nobody) is.
    """
    return (
        HistoryEntry.objects.filter(
            action=MembershipAction.REPRESENTATIVES,
            content_type=ContentType.objects.get_for_model(Membership),
            object_id=OuterRef("pk"),
            # Members made active without a recorded joining date count from their application.
            at__gte=Coalesce(OuterRef("joined_at"), OuterRef("applied_at")),
            changes__has_key="representative",
        )
        .exclude(changes__representative__0=None)
        .values("pk")
    )


def representative_turnover(*, network: Network) -> RepresentativeTurnover:
    """The share of active members whose representative changed since joining, in one query."""
    with network_scope(network):
        counts = Membership.objects.filter(status=MembershipStatus.ACTIVE).aggregate(
            active=Count("pk"),
            changed=Count("pk", filter=Q(Exists(_representative_replaced_since_joining()))),
        )
    return RepresentativeTurnover(active_members=counts["active"], changed=counts["changed"])


def membership_figures() -> dict[str, Count]:
    """The facilitator's counts of memberships: active, applications waiting, turnover.

    Aggregates, so the same figures serve one network (`aggregate`) and the
    national dashboard's regions side by side (grouped by network).
    """
    return {
        "active": Count("pk", filter=Q(status=MembershipStatus.ACTIVE)),
        "applied": Count("pk", filter=Q(status=MembershipStatus.APPLIED)),
        "changed": Count(
            "pk",
            filter=Q(status=MembershipStatus.ACTIVE)
            & Q(Exists(_representative_replaced_since_joining())),
        ),
    }


def commission_figures() -> dict[str, Count]:
    """The facilitator's counts of commissions by state, as aggregates (see above)."""
    return {
        "active": Count("pk", filter=Q(state=CommissionState.ACTIVE)),
        "vacant": Count("pk", filter=Q(state=CommissionState.VACANT)),
        "stalled": Count("pk", filter=Q(state=CommissionState.STALLED)),
    }


@dataclass
class NetworkOverview:
    network: Network
    active_members: int
    applications_waiting: int
    vacant_commissions: int
    stalled_commissions: int
    turnover: RepresentativeTurnover
    platforms: Sequence[Platform]
    attention: list[CommissionNeedingAttention]
    attention_count: int


def network_overview(
    *, network: Network, now: datetime | None = None, attention_shown: int = 5
) -> NetworkOverview:
    """The facilitator's front page: counts, turnover and the most urgent commissions.

    Four queries whatever the size of the network: memberships, commissions,
    platforms and the first commissions needing attention.
    """
    with network_scope(network):
        memberships = Membership.objects.aggregate(**membership_figures())
        commissions = Commission.objects.aggregate(**commission_figures())
        platforms = list(
            Platform.objects.annotate(
                member_count=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                )
            ).order_by("position", "id")
        )
        attention = commissions_needing_attention(network=network, now=now)[:attention_shown]
    return NetworkOverview(
        network=network,
        active_members=memberships["active"],
        applications_waiting=memberships["applied"],
        vacant_commissions=commissions["vacant"],
        stalled_commissions=commissions["stalled"],
        turnover=RepresentativeTurnover(
            active_members=memberships["active"], changed=memberships["changed"]
        ),
        platforms=platforms,
        attention=attention,
        attention_count=commissions["vacant"] + commissions["stalled"],
    )
