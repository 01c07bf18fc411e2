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

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from members.models import Membership, MembershipStatus
from networks.models import Network
from networks.scoping import all_networks

# Each of some networks paired with itself and each network under it, then the
# active memberships of those: one pass over their memberships, grouped per network.
_MEMBER_COUNTS_SQL = """
WITH RECURSIVE reach(root_id, id) AS (
    SELECT id, id FROM {networks} WHERE id IN ({roots})
    UNION
    SELECT reach.root_id, child.id FROM {networks} AS child JOIN reach ON child.parent_id = reach.id
)
SELECT reach.root_id,
       COUNT(CASE WHEN membership.network_id = reach.root_id THEN 1 END),
       COUNT(DISTINCT membership.entity_id)
FROM reach JOIN {memberships} AS membership ON membership.network_id = reach.id
WHERE membership.status = %s
GROUP BY reach.root_id
"""


@dataclass(frozen=True)
class MemberCounts:
    """A network's active member entities, and the entities in its reach (each once)."""

    active: int = 0
    in_reach: int = 0


def network_ids_in_reach(network: Network) -> list[int]:
    """The network's id and the ids of every network under it, at any depth, in one query.

    Kept on the network object, which a request loads once: asked again in the
    same request it costs nothing. The network middleware loads the request's
    network with them (`networks.tree`), so a page reads no more.
    """
    return network.ids_under()


# Each of some networks paired with itself and every network under it.
_REACH_OF_EACH_SQL = """
WITH RECURSIVE reach(root_id, id) AS (
    SELECT id, id FROM {table} WHERE id IN ({roots})
    UNION
    SELECT reach.root_id, child.id FROM {table} AS child JOIN reach ON child.parent_id = reach.id
)
SELECT root_id, id FROM reach
"""


def networks_under_each(network_ids: Sequence[int]) -> dict[int, set[int]]:
    """For each of these networks, its id and the ids of every network under it: one query."""
    under: dict[int, set[int]] = {}
    if not network_ids:
        return under
    sql = _REACH_OF_EACH_SQL.format(
        table=connection.ops.quote_name(Network._meta.db_table),
        roots=", ".join(["%s"] * len(network_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(network_ids))
        for root_id, network_id in cursor.fetchall():
            under.setdefault(root_id, set()).add(network_id)
    return under


def representatives_in_reach(pairs) -> dict[tuple[int, int], set[int]]:
    """The people who speak for each entity where it acts: {(network id, entity id): user ids}.

    The representative and alternate of the entity's active membership in that
    network or in a network under it (a regional member of a national
    commission hears of it). A membership in a sibling or a network above names
    nobody. Two queries, whatever the number of pairs and networks.
    """
    pairs = set(pairs)
    people: dict[tuple[int, int], set[int]] = {pair: set() for pair in pairs}
    if not pairs:
        return people
    roots = sorted({network_id for network_id, _entity_id in pairs})
    under = networks_under_each(roots)
    entity_ids = {entity_id for _network_id, entity_id in pairs}
    network_ids = set().union(*under.values())
    with all_networks():
        rows = Membership.objects.filter(
            network_id__in=network_ids, entity_id__in=entity_ids, status=MembershipStatus.ACTIVE
        ).values_list("network_id", "entity_id", "representative_id", "alternate_id")
    for member_network_id, entity_id, representative_id, alternate_id in rows:
        for root in roots:
            if (root, entity_id) in pairs and member_network_id in under.get(root, {root}):
                people[root, entity_id].update(
                    user_id for user_id in (representative_id, alternate_id) if user_id
                )
    return people


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


def network_parents() -> dict[int, int | None]:
    """{network id: its parent's id} of every network, in one query (networks are few)."""
    return dict(Network.objects.values_list("pk", "parent_id"))


def pairs_in_reach(pairs, parents: dict[int, int | None]) -> set[tuple[int, int]]:
    """(network id, entity id) of active memberships, and the same entity with every network
    above that one: where each entity may act (the rule, upwards, for lists of many entities).
    """
    reached = set()
    for network_id, entity_id in pairs:
        current: int | None = network_id
        while current is not None and (current, entity_id) not in reached:
            reached.add((current, entity_id))
            current = parents.get(current)
    return reached


def member_counts_of(network_ids: Sequence[int]) -> dict[int, MemberCounts]:
    """Active members and entities in reach of each of these networks, in one grouped query.

    The cost is one pass over the active memberships of the networks in their
    reach; an entity that belongs to two regions counts once for the nation. A
    network with no active member in reach is missing from the answer.
    """
    if not network_ids:
        return {}
    sql = _MEMBER_COUNTS_SQL.format(
        networks=connection.ops.quote_name(Network._meta.db_table),
        memberships=connection.ops.quote_name(Membership._meta.db_table),
        roots=", ".join(["%s"] * len(network_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*network_ids, MembershipStatus.ACTIVE.value])
        return {
            network_id: MemberCounts(active=active, in_reach=in_reach)
            for network_id, active, in_reach in cursor.fetchall()
        }
