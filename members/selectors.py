"""Reads behind the public member pages: the directory and an entity's profile.

Only public facts leave these functions: active members, their entity's
public fields and their platform. Representatives and alternates are never
loaded here, so no template can show them by accident.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from commissions.models import CommissionMember
from members.models import Entity, Membership, MembershipStatus, PriorityArea
from networks.models import Network
from networks.scoping import network_scope
from platforms.models import Platform


def _public_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related(
        "entity", "platform"
    )


def directory(
    *,
    network: Network,
    query: str = "",
    platform: Platform | None = None,
    kind: str = "",
    area: PriorityArea | None = None,
) -> QuerySet[Membership]:
    """Active members of a network, by entity name, narrowed by the directory's filters."""
    with network_scope(network):
        memberships = _public_memberships().prefetch_related(
            Prefetch("entity__priority_areas", queryset=PriorityArea.objects.order_by("id"))
        )
        if query:
            memberships = memberships.filter(entity__name__icontains=query)
        if platform is not None:
            memberships = memberships.filter(platform=platform)
        if kind:
            memberships = memberships.filter(entity__kind=kind)
        if area is not None:
            # An entity holds an area at most once, so this join adds no duplicate rows.
            memberships = memberships.filter(entity__priority_areas=area)
        return memberships.order_by("entity__name", "entity_id")


def network_platforms(*, network: Network) -> list[Platform]:
    with network_scope(network):
        return list(Platform.objects.order_by("position", "id"))


def priority_areas() -> list[PriorityArea]:
    return list(PriorityArea.objects.order_by("id"))


@dataclass
class EntityProfile:
    membership: Membership
    entity: Entity
    priority_areas: list[PriorityArea]
    commissions: list[CommissionMember]


def entity_profile(*, network: Network, entity_slug: str) -> EntityProfile | None:
    """An entity as this network shows it, or None unless it is an active member here.

    An entity may belong to several networks; under one network's address it
    exists only through an active membership of that network.
    """
    with network_scope(network):
        membership = _public_memberships().filter(entity__slug=entity_slug).first()
        if membership is None:
            return None
        entity = membership.entity
        areas = list(entity.priority_areas.order_by("id"))
        commissions = list(
            CommissionMember.objects.filter(entity=entity, left_on__isnull=True)
            .select_related("commission")
            .order_by("commission__name")
        )
    return EntityProfile(
        membership=membership, entity=entity, priority_areas=areas, commissions=commissions
    )
