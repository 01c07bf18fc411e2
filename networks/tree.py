"""The tree of networks (country → region → province), read with the network itself.

A network's reach (`members.reach`) is its id and the ids of every network
under it, at any depth. It is computed by one recursive subquery, so a query
that loads networks can bring each network's reach in the same row: the
network middleware does, and no page reads the tree again
(`Network.ids_under`).
"""

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

_IDS_UNDER_SQL = """(
WITH RECURSIVE reach(id) AS (
    SELECT {table}.id
    UNION
    SELECT child.id FROM {table} AS child JOIN reach ON child.parent_id = reach.id
)
SELECT {ids} FROM reach
)"""


def with_ids_under(networks: QuerySet[Any]) -> QuerySet[Any]:
    """`networks`, each with `under_ids`: its id and those of the networks under it, "1,4,9"."""
    if connection.vendor == "sqlite":
        ids = "GROUP_CONCAT(id, ',')"
    else:
        ids = "STRING_AGG(CAST(id AS TEXT), ',')"
    # Only the table's own name and a constant go into the text: nothing from outside.
    table = connection.ops.quote_name(networks.model._meta.db_table)
    sql = _IDS_UNDER_SQL.format(table=table, ids=ids)
    return networks.annotate(under_ids=RawSQL(sql, ()))  # noqa: S611
