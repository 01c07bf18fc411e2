"""Reads of the tenant core: a network's charter, its interlocutor, who facilitates what."""

from core.actors import Actor
from networks.models import CharterVersion, Facilitator, Interlocutor, Network
from networks.scoping import network_scope


def current_charter(network: Network) -> CharterVersion | None:
    """The charter version members accept today, or None before the first is published."""
    with network_scope(network):
        return CharterVersion.objects.order_by("-version").first()


def current_interlocutor(network: Network) -> Interlocutor | None:
    with network_scope(network):
        return Interlocutor.objects.filter(ended_at__isnull=True).select_related("entity").first()


def interlocutor_terms(*, network: Network) -> list[Interlocutor]:
    """Every interlocutor term of the network, the current one first."""
    with network_scope(network):
        return list(Interlocutor.objects.select_related("entity").order_by("-started_at", "-id"))


def facilitated_network_ids(user: Actor) -> set[int]:
    """Ids of the networks a person facilitates today, across networks (admin, menus)."""
    if not user.is_authenticated:
        return set()
    return set(
        Facilitator.objects.with_scopes_disabled()
        .filter(user=user, ended_on__isnull=True)
        .values_list("network_id", flat=True)
    )
