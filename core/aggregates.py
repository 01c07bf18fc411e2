"""Aggregates the ORM has no portable spelling for."""

from typing import Any

from django.db.models import Aggregate, CharField


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
