"""The version of what a network's public pages show, kept by the database itself.

Every write that public pages could show advances the version of the network
it belongs to, in the same transaction, whoever makes it: a service, a job, the
admin, a bulk update of the sweep, a migration. It cannot be forgotten because
no Python code does it: on PostgreSQL a statement-level trigger on each table
appends one `NetworkChange` row per statement and per network the statement
touched (0 for tables that belong to no single network: entities, the
networks themselves, the links between entities and their areas).

A page's version is the sum of the weights of the networks it shows. Rows are
only ever added, so writers never wait for each other, and a sum only grows:
a transaction that commits late still changes it, which a "latest change"
stamp would miss. `compact()` folds the rows into one per network without
changing any sum, so reading a version stays a few index entries.

Tables of what public pages never show are left out (people's accounts, API
tokens, personal notifications, the mail outbox), so that a login or a mail
sent does not make every page be drawn again. On SQLite there are no triggers
and `enabled()` is false: the page cache stays off.

Signed-in pages show more than public ones: a person's notifications, their
invitations, the groups of their account. Every other table of the database
has triggers too, which add to one row apart (`PRIVATE`): the version of
signed-in pages is the sum over every row, so any committed write anywhere
makes them be drawn again. Only the log itself, the counters (counted from
followed tables), the sessions (a signed-in page's key holds its session) and
the mail outbox (shown in the admin alone, which is never cached) have none.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, models, transaction

from networks.models import Network, NetworkChange

# "app_label.ModelName" of models that no public page shows. The home page's counters
# are counted from tables that are followed, and stamped with their versions: were
# writing them a change, every count written would make itself old.
NOT_ON_PUBLIC_PAGES = frozenset(
    {
        "networks.NetworkChange",
        "facilitation.NetworkCounters",
        "members.User",
        "members.ApiToken",
        "members.Notification",
        "members.NotificationSetting",
        "members.Invitation",
        "events.CalendarToken",
    }
)
# Apps of ours whose models never reach a public page: the mail outbox.
UNTRACKED_APPS = frozenset({"core"})
SHARED = 0  # the "network" of what belongs to no single network
PRIVATE = -1  # the "network" of writes that only signed-in pages show
# Tables whose writes change no page: the log, the counters (counted from followed
# tables), the sessions (a signed-in page's key holds its session's data), the
# mail outbox (shown in the admin alone, never cached) and the migrations.
UNSEEN_TABLES = frozenset(
    {
        "networks_networkchange",
        "facilitation_networkcounters",
        "core_outgoingmail",
        "django_session",
        "django_migrations",
    }
)

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION tejido_note_network_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {log} (network_id, weight)
    SELECT DISTINCT network_id, 1 FROM changed_rows WHERE network_id IS NOT NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tejido_note_network_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {log} (network_id, weight)
    SELECT network_id, 1 FROM (
        SELECT network_id FROM changed_rows UNION SELECT network_id FROM previous_rows
    ) AS touched WHERE network_id IS NOT NULL;
    RETURN NULL;
END $$;

-- What a page shows: the network of this slug, those under it and above it, and
-- what belongs to no network; every network when the slug is NULL. PL/pgSQL keeps
-- the queries' plans for the connection's life, so a page's version costs one
-- round trip and no planning.
CREATE OR REPLACE FUNCTION tejido_page_version(page_slug text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF page_slug IS NULL THEN
        RETURN (SELECT COALESCE(SUM(weight), 0) FROM {log} WHERE network_id <> {private});
    END IF;
    RETURN (
        WITH RECURSIVE below(id) AS (
            SELECT id FROM {networks} WHERE slug = page_slug
            UNION
            SELECT child.id FROM {networks} AS child JOIN below ON child.parent_id = below.id
        ), above(id, parent_id) AS (
            SELECT id, parent_id FROM {networks} WHERE slug = page_slug
            UNION
            SELECT parent.id, parent.parent_id FROM {networks} AS parent
            JOIN above ON parent.id = above.parent_id
        )
        SELECT COALESCE(SUM(weight), 0) FROM {log}
        WHERE network_id IN (SELECT id FROM below UNION SELECT id FROM above UNION SELECT {shared})
    );
END $$;

CREATE OR REPLACE FUNCTION tejido_note_shared_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO {log} (network_id, weight) VALUES ({shared}, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tejido_note_private_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO {log} (network_id, weight) VALUES ({private}, 1);
    END IF;
    RETURN NULL;
END $$;

-- What a signed-in page may show: every committed write, public or not.
CREATE OR REPLACE FUNCTION tejido_signed_in_version() RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT COALESCE(SUM(weight), 0) FROM {log});
END $$;
"""

_NO_TRIGGERS = """
DROP TRIGGER IF EXISTS tejido_change_insert ON {table};
DROP TRIGGER IF EXISTS tejido_change_update ON {table};
DROP TRIGGER IF EXISTS tejido_change_delete ON {table};
"""

_NO_PRIVATE_TRIGGERS = """
DROP TRIGGER IF EXISTS tejido_private_insert ON {table};
DROP TRIGGER IF EXISTS tejido_private_update ON {table};
DROP TRIGGER IF EXISTS tejido_private_delete ON {table};
"""

_PRIVATE_TRIGGERS = """
DROP TRIGGER IF EXISTS tejido_private_insert ON {table};
CREATE TRIGGER tejido_private_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tejido_note_private_change();
DROP TRIGGER IF EXISTS tejido_private_update ON {table};
CREATE TRIGGER tejido_private_update AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tejido_note_private_change();
DROP TRIGGER IF EXISTS tejido_private_delete ON {table};
CREATE TRIGGER tejido_private_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tejido_note_private_change();
"""

_TRIGGERS = """
DROP TRIGGER IF EXISTS tejido_change_insert ON {table};
CREATE TRIGGER tejido_change_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {note}();
DROP TRIGGER IF EXISTS tejido_change_update ON {table};
CREATE TRIGGER tejido_change_update AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS changed_rows OLD TABLE AS previous_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {note_update}();
DROP TRIGGER IF EXISTS tejido_change_delete ON {table};
CREATE TRIGGER tejido_change_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {note}();
"""

# For each of some networks: the sum of the versions of it and every network under
# it, and a digest of which networks those are (a network moved changes it).
_VERSIONS_OF_REACH = """
WITH RECURSIVE reach(root_id, id) AS (
    SELECT id, id FROM {networks} WHERE id IN ({roots})
    UNION
    SELECT reach.root_id, child.id FROM {networks} AS child JOIN reach ON child.parent_id = reach.id
), version(network_id, total) AS (
    SELECT network_id, SUM(weight) FROM {log}
    WHERE network_id IN (SELECT id FROM reach) GROUP BY network_id
)
SELECT reach.root_id,
       COALESCE(SUM(version.total), 0),
       md5(string_agg(CAST(reach.id AS text), ',' ORDER BY reach.id))
FROM reach LEFT JOIN version ON version.network_id = reach.id
GROUP BY reach.root_id
"""

_COMPACT = """
WITH folded AS (DELETE FROM {log} RETURNING network_id, weight)
INSERT INTO {log} (network_id, weight)
SELECT network_id, SUM(weight) FROM folded GROUP BY network_id
"""


def enabled() -> bool:
    return connection.vendor == "postgresql"


def _our_models() -> Iterable[type[models.Model]]:
    """Every model of our apps, the links of many-to-many fields included."""
    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if config.path.startswith(base) and "site-packages" not in config.path:
            yield from config.get_models(include_auto_created=True)


def is_tracked(model: type[models.Model]) -> bool:
    """Whether writes to this model's table change the version of public pages."""
    meta = model._meta
    # The model a many-to-many link belongs to (auto_created is False for other models).
    owner = meta.auto_created if isinstance(meta.auto_created, type) else None
    return not (
        meta.app_label in UNTRACKED_APPS
        or meta.proxy
        or not meta.managed
        or meta.label in NOT_ON_PUBLIC_PAGES
        or (owner and owner._meta.label in NOT_ON_PUBLIC_PAGES)
    )


def tracked_models() -> list[type[models.Model]]:
    return [model for model in _our_models() if is_tracked(model)]


def _belongs_to_a_network(model: type[models.Model]) -> bool:
    return any(field.column == "network_id" for field in model._meta.concrete_fields)


def install_triggers(**kwargs: object) -> None:
    """Put the triggers on every table, each table's kind (after each `migrate`).

    A tracked table gets those of public pages; any other table but the
    `UNSEEN_TABLES` gets those of signed-in pages.
    """
    if not enabled():
        return
    quote = connection.ops.quote_name
    log = quote(NetworkChange._meta.db_table)
    networks = quote(Network._meta.db_table)
    statements = [_FUNCTIONS.format(log=log, networks=networks, shared=SHARED, private=PRIVATE)]
    tables = set(connection.introspection.table_names())
    tracked = set()
    for model in _our_models():
        table = model._meta.db_table
        if table not in tables:
            continue
        if not is_tracked(model):
            statements.append(_NO_TRIGGERS.format(table=quote(table)))
            continue
        tracked.add(table)
        if _belongs_to_a_network(model):
            note, note_update = "tejido_note_network_change", "tejido_note_network_move"
        else:
            note = note_update = "tejido_note_shared_change"
        statements.append(_TRIGGERS.format(table=quote(table), note=note, note_update=note_update))
    for table in sorted(tables):
        if table in tracked or table in UNSEEN_TABLES:
            statements.append(_NO_PRIVATE_TRIGGERS.format(table=quote(table)))
        else:
            statements.append(_PRIVATE_TRIGGERS.format(table=quote(table)))
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def version_of_network(slug: str) -> int:
    """The version of what a page of this network shows: one query, planned once."""
    return version_of_page(slug)


def version_of_everything() -> int:
    """The version of pages that show every network (the home page)."""
    return version_of_page(None)


def privately_followed_tables() -> set[str]:
    """The tables whose writes change signed-in pages only."""
    tracked = {model._meta.db_table for model in tracked_models()}
    return set(connection.introspection.table_names()) - tracked - UNSEEN_TABLES


def version_of_page(slug: str | None) -> int:
    """The version of a page of the network of this slug, or of every network for None.

    When the connection was kept from an earlier request, this query is also its
    health check: Django's own would cost one more round trip (`SELECT 1`) before
    it. A connection that died meanwhile (the database restarted) is opened again
    and asked once more, as the health check would have done; inside a transaction
    nothing is retried, and the error stands.
    """
    return _checked(lambda: _ask(slug))


def version_of_signed_in_pages() -> int:
    """The version of every signed-in page: any committed write changes it.

    One query, which stands in for the kept connection's health check as
    `version_of_page` does.
    """
    return _checked(_ask_signed_in)


def _checked(ask: Callable[[], int]) -> int:
    # The health check's attributes, which Django's type stubs leave out.
    database: Any = connection
    pending = (
        database.connection is not None
        and database.health_check_enabled
        and not database.health_check_done
        and not database.in_atomic_block
    )
    if not pending:
        return ask()
    database.health_check_done = True
    try:
        return ask()
    except (InterfaceError, OperationalError):
        connection.close()
        return ask()


def _ask(slug: str | None) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tejido_page_version(%s)", [slug])
        return int(cursor.fetchone()[0])


def _ask_signed_in() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tejido_signed_in_version()")
        return int(cursor.fetchone()[0])


class ReachVersion(NamedTuple):
    """The version of a network and of every network under it, and which networks those are."""

    version: int
    networks: str


def versions_of_reach(network_ids: Sequence[int]) -> dict[int, ReachVersion]:
    """{network id: its `ReachVersion`} for these networks, in one query, one row each.

    What is counted over a network and the networks under it (its members in
    reach) is current as long as this stays the same: any write in one of those
    networks raises the version, and a network moved under it or away changes
    the digest. Without triggers (SQLite) there are no versions: an empty dict.
    """
    if not enabled() or not network_ids:
        return {}
    quote = connection.ops.quote_name
    sql = _VERSIONS_OF_REACH.format(
        networks=quote(Network._meta.db_table),
        log=quote(NetworkChange._meta.db_table),
        roots=", ".join(["%s"] * len(network_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(network_ids))
        return {
            network_id: ReachVersion(int(version), digest)
            for network_id, version, digest in cursor.fetchall()
        }


def compact() -> int:
    """Fold the change rows into one per network; every sum stays what it was.

    Without triggers (SQLite) there are no rows to fold.
    """
    if not enabled():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_COMPACT.format(log=connection.ops.quote_name(NetworkChange._meta.db_table)))
        return cursor.rowcount
