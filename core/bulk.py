"""Set-based writes that the ORM has no method for."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connections, models, router
from django.db.models.constants import OnConflict


def insert_from_select(
    model: type[models.Model],
    queryset: models.QuerySet[Any],
    columns: Mapping[str, Any],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Insert the rows a queryset selects into `model`'s table, in one statement.

    `columns` maps each column to fill to an expression of the queryset's model,
    in order; the database does the work, so nothing is read into Python.
    Returns the number of rows inserted.
    """
    aliases = {f"insert_{name}": expression for name, expression in columns.items()}
    select = queryset.order_by().values(**aliases)
    using = router.db_for_write(model)
    connection = connections[using]
    sql, params = select.query.get_compiler(using=using).as_sql()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in columns)  # type: ignore[union-attr,arg-type]
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) {sql}"
    if ignore_conflicts:
        statement += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        inserted: int = cursor.rowcount
        return inserted


def insert_new(
    model: type[models.Model], objects: Iterable[models.Model], *, batch_size: int | None = None
) -> int:
    """Insert `objects`, skipping those a unique constraint already holds; return how many were new.

    `bulk_create(ignore_conflicts=True)` cannot tell; this asks the database
    for the ids it really inserted (INSERT … ON CONFLICT DO NOTHING RETURNING),
    one statement per `batch_size` rows (by default as many as the database's
    limit of 65,535 parameters allows).
    """
    objects = list(objects)
    if not objects:
        return 0
    opts = model._meta
    fields = [field for field in opts.concrete_fields if not field.generated and field != opts.pk]
    using = router.db_for_write(model)
    batch_size = batch_size or max(1, 65_000 // len(fields))
    inserted = 0
    for start in range(0, len(objects), batch_size):
        batch = objects[start : start + batch_size]
        for obj in batch:
            for field in fields:
                field.pre_save(obj, add=True)
        rows = model._base_manager._insert(  # type: ignore[attr-defined]
            batch,
            fields=fields,
            returning_fields=[opts.pk],
            using=using,
            on_conflict=OnConflict.IGNORE,
        )
        # One object is inserted through a single-row path that answers None when skipped.
        inserted += sum(1 for row in rows or () if row is not None and row[0] is not None)
    return inserted
