"""The reach of a network: which member entities may act in its commissions and events.

One rule, written here and nowhere else: an entity may act in a network's
commissions and events when it is an active member of that network *or of one
of the networks under it* (a regional network under the national one, and any
level below). The national network is made of its regions (sections 6.3 and
6.5: interregional and national work lines), so a member of Arequipa takes part
in a national commission or registers for the national congress as a member.

The reach runs upwards only. A member of one region reaches nothing of a
sibling region, and a member of the national network alone acts in the
national network, not in the regions under it. Everything else about a
network (its directory entries, its governance, its votes) stays its own.

The networks under a network are read with one recursive query, whatever the
depth; what depends on them (memberships, registrations) is then filtered by
that list of ids, so the number of queries never grows with the regions.
"""

from django.db import connection
from django.db.models import QuerySet

from members.models import Membership, MembershipStatus
from networks.models import Network
from networks.scoping import all_networks

_REACH_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT id FROM {table} WHERE id = %s
    UNION
    SELECT child.id FROM {table} AS child JOIN reach ON child.parent_id = reach.id
)
SELECT id FROM reach
"""


def network_ids_in_reach(network: Network) -> list[int]:
    """The network's id and the ids of every network under it, at any depth, in one query.

    Kept on the network object, which a request loads once: asked again in the
    same request it costs nothing.
    """
    known = network.__dict__.get("_ids_in_reach")
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute(_REACH_SQL.format(table=Network._meta.db_table), [network.pk])
            known = sorted(row[0] for row in cursor.fetchall())
        network.__dict__["_ids_in_reach"] = known
    return known


def has_networks_under(network: Network) -> bool:
    """Does any network sit under this one (the national network over its regions)?"""
    return len(network_ids_in_reach(network)) > 1


def acting_entity_ids(roles, network: Network) -> set[int]:
    """Of the entities a person acts for (`members.rules.EntityRoles`), those in reach here."""
    if roles is None:
        return set()
    ids: set[int] = set()
    for network_id in network_ids_in_reach(network):
        ids |= roles.entities_in(network_id)
    return ids


def memberships_in_reach(network: Network) -> QuerySet[Membership]:
    """The active memberships that let entities act in this network: its own and its regions'.

    An entity that belongs to two regions has two rows here; callers that list
    entities keep one of them.
    """
    ids = network_ids_in_reach(network)
    with all_networks():
        return Membership.objects.filter(network_id__in=ids, status=MembershipStatus.ACTIVE)


def is_in_reach(entity, network: Network) -> bool:
    """May this entity act in this network's commissions and events (the rule, for services)?"""
    return memberships_in_reach(network).filter(entity_id=entity.pk).exists()
