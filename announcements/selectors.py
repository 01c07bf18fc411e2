"""Reads of announcements: the network's list, one announcement, the public news."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from announcements.models import Announcement, Correction
from commissions.models import Commission, CommissionState, PromoterTerm
from members.models import Entity
from networks.models import Network

NEWS_ON_THE_NETWORK_PAGE = 3


def _with_details(queryset: QuerySet[Announcement]) -> QuerySet[Announcement]:
    return queryset.select_related("network", "commission", "entity").prefetch_related(
        Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id"))
    )


def announcements(*, network: Network, members_may_read: bool) -> QuerySet[Announcement]:
    """Newest first: every announcement for members and whoever runs it; news for the rest."""
    queryset = Announcement.objects.filter(network=network)
    if not members_may_read:
        queryset = queryset.filter(public=True)
    return _with_details(queryset)


def get_announcement(
    *, network: Network, announcement_id: int, members_may_read: bool
) -> Announcement | None:
    return (
        announcements(network=network, members_may_read=members_may_read)
        .filter(pk=announcement_id)
        .first()
    )


def news(*, network: Network, limit: int = NEWS_ON_THE_NETWORK_PAGE) -> list[Announcement]:
    """The latest announcements published as news, for the network's public page."""
    return list(
        Announcement.objects.filter(network=network, public=True, commission__isnull=True)
        .select_related("entity")
        .order_by("-created_at", "-id")[:limit]
    )


def promoted_commissions(
    *, network: Network, entity_ids: Iterable[int]
) -> list[tuple[Commission, Entity]]:
    """(commission, entity) for each open commission that one of these entities promotes."""
    terms = (
        PromoterTerm.objects.filter(
            commission__network=network, entity_id__in=entity_ids, ended_at__isnull=True
        )
        .exclude(commission__state=CommissionState.CLOSED)
        .select_related("commission", "entity")
        .order_by("commission__name", "entity__name")
    )
    return [(term.commission, term.entity) for term in terms]
