"""Reads behind the public commission page."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from commissions.models import Commission, CommissionMember
from members.models import Membership, MembershipStatus
from networks.models import Network
from networks.scoping import network_scope
from platforms.models import Platform


@dataclass
class CommissionSeat:
    member: CommissionMember
    platform: Platform | None


@dataclass
class CommissionPage:
    commission: Commission
    seats: list[CommissionSeat]

    @property
    def platforms(self) -> list[Platform]:
        seen = {}
        for seat in self.seats:
            if seat.platform is not None:
                seen.setdefault(seat.platform.pk, seat.platform)
        return sorted(seen.values(), key=lambda platform: (platform.position, platform.pk))

    @property
    def is_cross_sector(self) -> bool:
        return len(self.platforms) > 1


def commission_page(*, network: Network, commission_id: int) -> CommissionPage | None:
    """A commission of this network with its current members and their platforms.

    The look-up runs in the network's scope, so another network's commission id
    finds nothing. Members are listed only while they are active members of the
    network: the public sees public facts only.
    """
    with network_scope(network):
        commission = Commission.objects.filter(pk=commission_id).first()
        if commission is None:
            return None
        active_membership = Membership.objects.filter(
            entity_id=OuterRef("entity_id"), status=MembershipStatus.ACTIVE
        )
        members = list(
            CommissionMember.objects.filter(commission=commission, left_on__isnull=True)
            .filter(Exists(active_membership))
            .annotate(platform_id=Subquery(active_membership.values("platform_id")[:1]))
            .select_related("entity")
            .order_by("entity__name")
        )
        platforms = {platform.pk: platform for platform in Platform.objects.all()}
    seats = [
        CommissionSeat(member=member, platform=platforms.get(member.platform_id))
        for member in members
    ]
    return CommissionPage(commission=commission, seats=seats)
