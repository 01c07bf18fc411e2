"""The memberships as a network's facilitators see them: every status, with the people
who represent each entity (unlike the public reads of `members.selectors`)."""

from django.db.models import Prefetch, QuerySet

from members.models import Entity, Membership, MembershipStatus, PriorityArea
from members.selectors import LIVE_STATUSES, name_search, similar_entities
from networks.models import Network
from networks.scoping import network_scope
from platforms.models import Platform


def pending_applications(*, network: Network) -> QuerySet[Membership]:
    """Memberships waiting for a facilitator's decision, the oldest first."""
    with network_scope(network):
        return (
            Membership.objects.filter(status=MembershipStatus.APPLIED)
            .select_related("entity", "platform", "charter_version", "representative")
            .order_by("applied_at", "id")
        )


def member_list(
    *,
    network: Network,
    query: str = "",
    status: str = "",
    platform: Platform | None = None,
    kind: str = "",
) -> QuerySet[Membership]:
    """Every membership of the network, whatever its status, with representative and alternate."""
    with network_scope(network):
        memberships = Membership.objects.select_related(
            "entity", "platform", "representative", "alternate"
        )
        if query:
            memberships = memberships.filter(name_search(query))
        if status:
            memberships = memberships.filter(status=status)
        if platform is not None:
            memberships = memberships.filter(platform=platform)
        if kind:
            memberships = memberships.filter(entity__kind=kind)
        return memberships.order_by("entity__name", "entity_id")


def membership_for_facilitator(*, network: Network, membership_id: int) -> Membership | None:
    """One membership with what a facilitator reads to decide on it: the entity's public
    profile and areas, and the commission it chose to join or propose."""
    with network_scope(network):
        return (
            Membership.objects.select_related(
                "entity",
                "platform",
                "representative",
                "alternate",
                "charter_version",
                "pending_commission",
            )
            .prefetch_related(
                Prefetch("entity__priority_areas", queryset=PriorityArea.objects.order_by("id"))
            )
            .filter(pk=membership_id)
            .first()
        )


def similar_members(*, membership: Membership, limit: int = 5) -> list[Membership]:
    """The network's other members (applied, active or suspended) whose name looks like this
    entity's: perhaps the same organisation, already here. The registration's check, within
    the network; two queries."""
    network = membership.network
    with network_scope(network):
        members = Membership.objects.filter(status__in=LIVE_STATUSES).exclude(
            entity_id=membership.entity_id
        )
        entities = similar_entities(
            membership.entity.name,
            limit=limit,
            within=Entity.objects.filter(pk__in=members.values("entity_id")),
        )
        if not entities:
            return []
        found = {
            row.entity_id: row
            for row in members.filter(entity__in=entities).select_related("entity")
        }
    return [found[entity.pk] for entity in entities if entity.pk in found]


def active_memberships(*, network: Network) -> QuerySet[Membership]:
    """Active members by name: the entities that may become the regional interlocutor."""
    with network_scope(network):
        return (
            Membership.objects.filter(status=MembershipStatus.ACTIVE)
            .select_related("entity")
            .order_by("entity__name", "entity_id")
        )
