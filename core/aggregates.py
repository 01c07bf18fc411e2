"""Aggregates the ORM has no portable spelling for."""

from typing import Any, TypeVar

from django.db.models import Aggregate, CharField, JSONField, Model

_M = TypeVar("_M", bound=Model)


class IdList(Aggregate):
    """The ids of a group as one text, "3,17,42" (`STRING_AGG`; `GROUP_CONCAT` on SQLite).

    Lets a query carry the ids a row is linked to (many-to-many) as one column,
    where a prefetch would cost a query of its own. Read it with `ids_in`.
    """

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def ids_in(text: str | None) -> list[int]:
    """The ids an `IdList` column holds."""
    return [int(value) for value in text.split(",")] if text else []


class JSONList(Aggregate):
    """The rows of a group as one JSON array (`JSONB_AGG`; `JSON_GROUP_ARRAY` on SQLite).

    With `JSONObject`, lets a query that reads one row carry a few small rows of
    another table, where a subquery per value or a query of its own would be
    needed. An empty group gives None.
    """

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def rows_as(model: type[_M], rows: list[dict[str, Any]] | None, **known: Any) -> list[_M]:
    """The rows a `JSONList` of `JSONObject`s holds, as instances of `model`.

    Each object's keys are the model's field names (attnames: `network_id`), and
    `known` adds the values every row shares; the fields left out are deferred.
    Only for fields JSON keeps as they are: text, numbers, booleans.
    """
    fields = [field.attname for field in model._meta.concrete_fields]
    instances = []
    for row in rows or []:
        values = {**known, **row}
        names = [name for name in fields if name in values]
        instances.append(model.from_db(None, names, [values[name] for name in names]))
    return instances
