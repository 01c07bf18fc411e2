"""Set-based writes that the ORM has no method for."""

from django.db import connections, router


def insert_from_select(model, queryset, columns, *, ignore_conflicts=False):
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
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) {sql}"
    if ignore_conflicts:
        statement += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount
