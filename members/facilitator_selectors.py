"""The memberships as a network's facilitators see them: every status, with the people
who represent each entity (unlike the public reads of `members.selectors`)."""

from django.db.models import QuerySet

from members.models import Membership, MembershipStatus
from members.selectors import name_search
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
    with network_scope(network):
        return (
            Membership.objects.select_related(
                "entity", "platform", "representative", "alternate", "charter_version"
            )
            .filter(pk=membership_id)
            .first()
        )


def active_memberships(*, network: Network) -> QuerySet[Membership]:
    """Active members by name: the entities that may become the regional interlocutor."""
    with network_scope(network):
        return (
            Membership.objects.filter(status=MembershipStatus.ACTIVE)
            .select_related("entity")
            .order_by("entity__name", "entity_id")
        )
