"""Who may do what: the roles the tenant core knows, as predicates of the `rules` package.

One registry serves views (`has_perm`), templates (`{% has_perm %}`) and the
API alike. This module holds the roles of the network itself (site admin,
facilitator) and the cache every role shares; the roles of member entities
(representative, alternate, member, interlocutor) are in `members.rules`.
Each app's `rules.py` combines them into its permissions. A role is read
once, in one query, and kept on the user object for the rest of the request.
"""

from collections.abc import Callable
from typing import Any

import rules
from django.db import models

from core.actors import Actor
from networks.models import Facilitator, Network


def _roles_of(user: Actor) -> dict[str, Any]:
    """Where a person's roles are kept: on the user object itself.

    `request.user` is a lazy wrapper with a `__dict__` of its own; the roles go
    on the person it wraps, so that the wrapper and the user it hands to
    services and templates read each role once between them.
    """
    person = getattr(user, "_wrapped", user)
    roles: dict[str, Any] = person.__dict__.setdefault("_tejido_roles", {})
    return roles


# Reads every role of a person in one query, {name: value}; the app that knows
# them all (`members.rules`) registers it, so a page reads roles in one query.
_every_role: Callable[[Actor], dict[str, Any]] | None = None
_READ_ALL = "_read_all"


def register_role_reader(reader: Callable[[Actor], dict[str, Any]]) -> None:
    global _every_role
    _every_role = reader


def cached_role(user: Actor, name: str, read: Callable[[Actor], Any]) -> Any:
    """`read(user)`, read once per request and kept on the user object; None for visitors.

    The first role a request asks for brings every role the registered reader
    knows at once; a role forgotten since (`forget_role`) is read alone.
    """
    if not user.is_authenticated:
        return None
    cache = _roles_of(user)
    if name not in cache and _every_role is not None and _READ_ALL not in cache:
        cache.update(_every_role(user))
        cache[_READ_ALL] = True
    if name not in cache:
        cache[name] = read(user)
    return cache[name]


def know_every_role(user: Actor, roles: dict[str, Any]) -> None:
    """Keep roles read with the person (`members.rules.user_with_roles`): none is read again."""
    cache = _roles_of(user)
    cache.update(roles)
    cache[_READ_ALL] = True


def forget_roles(user: Actor) -> None:
    """Read every role again on next use, after a change made in the same request."""
    getattr(user, "_wrapped", user).__dict__.pop("_tejido_roles", None)


# Roles that pages show and no rule decides on (how many notifications wait
# unread, what waits for a facilitator): `forget_deciding_roles` keeps them.
_SHOWN_ONLY: set[str] = set()


def register_shown_role(name: str) -> None:
    """Say that no permission reads the role `name`: pages only show it."""
    _SHOWN_ONLY.add(name)


def forget_deciding_roles(user: Actor) -> None:
    """Read again, each alone when next asked for, the roles that permissions decide on.

    How a service looks at the person acting: what it decides on is read from
    the database as it is now, one role at a time, and only the roles its check
    asks for. Reading every role at once would bring what pages only show too,
    several times dearer, and a job that checks once per row pays it per row.
    """
    person = getattr(user, "_wrapped", user)
    shown = {name: value for name, value in _roles_of(person).items() if name in _SHOWN_ONLY}
    # Marked as read all at once: each role asked for next is read by its own reader.
    person.__dict__["_tejido_roles"] = {**shown, _READ_ALL: True}


def forget_role(user: Actor, name: str) -> None:
    """Read one role again on next use."""
    if user.is_authenticated:
        _roles_of(user).pop(name, None)


def current_facilitators() -> models.QuerySet[Facilitator]:
    """The facilitators in office today, of every network."""
    return Facilitator.objects.with_scopes_disabled().filter(ended_on__isnull=True)


def _read_facilitated(user: Actor) -> set[int]:
    return set(current_facilitators().filter(user=user).values_list("network_id", flat=True))


def facilitated_ids(user: Actor) -> set[int]:
    """The networks this person facilitates today (an empty set for visitors)."""
    ids: set[int] = cached_role(user, "facilitated", _read_facilitated) or set()
    return ids


def network_of(obj: models.Model) -> Network:
    """The network of `obj`: itself, or the network it belongs to."""
    return obj if isinstance(obj, Network) else obj.network  # type: ignore[attr-defined]


@rules.predicate
def is_site_admin(user: Actor) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def is_facilitator(user: Actor, obj: models.Model | None) -> bool:
    return obj is not None and network_of(obj).pk in facilitated_ids(user)


@rules.predicate
def is_facilitator_of_parent(user: Actor, obj: models.Model | None) -> bool:
    if obj is None:
        return False
    parent_id = network_of(obj).parent_id
    return parent_id is not None and parent_id in facilitated_ids(user)


can_run_network = is_facilitator | is_site_admin

rules.add_perm("networks.run_network", can_run_network)
rules.add_perm("networks.appoint_facilitator", is_site_admin | is_facilitator_of_parent)
rules.add_perm("networks.assign_interlocutor", can_run_network)
# A network is opened under another by a site admin or by a facilitator of that one
# (asked with the parent); a network with no parent, by a site admin alone.
rules.add_perm("networks.open_network_under", can_run_network)
