"""Predicates about the person's account and entities, for views, templates, the API and
the services (through `networks.authority` and `members.authority`): one definition of
who may do what.

The roles of member entities live here: representative, alternate, member and
regional interlocutor, read once per request like the facilitator's role
(`networks.rules`). The facilitator stays neutral (section 4.2 a): every
permission to act for a member entity is refused to a facilitator of the
network it concerns.
"""

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

import rules
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from core.aggregates import IdList, ids_in
from members.models import Membership, MembershipStatus, Notification
from members.notifications import UNREAD_NOTIFICATIONS
from members.reach import acting_entity_ids
from members.selectors import LIVE_STATUSES, live_network_ids, represents_entity
from networks.models import Interlocutor
from networks.rules import (
    cached_role,
    can_run_network,
    current_facilitators,
    facilitated_ids,
    is_facilitator,
    know_every_role,
    network_of,
)


class EntityRoles:
    """The entities one person speaks for, in every network, read in one query."""

    def __init__(self, representative=(), alternate=()):
        """`representative` and `alternate`: (network id, entity id) of each active membership."""
        self.representative = defaultdict(set)
        self.alternate = defaultdict(set)
        for network_id, entity_id in representative:
            self.representative[network_id].add(entity_id)
        for network_id, entity_id in alternate:
            self.alternate[network_id].add(entity_id)

    @classmethod
    def read(cls, user):
        rows = (
            Membership.objects.with_scopes_disabled()
            .filter(status=MembershipStatus.ACTIVE)
            .filter(Q(representative=user) | Q(alternate=user))
            .values_list("network_id", "entity_id", "representative_id", "alternate_id")
        )
        representative, alternate = [], []
        for network_id, entity_id, representative_id, alternate_id in rows:
            if representative_id == user.pk:
                representative.append((network_id, entity_id))
            if alternate_id == user.pk:
                alternate.append((network_id, entity_id))
        return cls(representative, alternate)

    def entities_in(self, network_id):
        """Entities this person may act for in a network (as representative or alternate)."""
        return self.representative[network_id] | self.alternate[network_id]


def entity_roles(user):
    """The person's `EntityRoles`, kept for the request; None for visitors."""
    return cached_role(user, "entities", EntityRoles.read)


def _pairs_where(role):
    """(network id, entity id) of the active memberships where the person holds `role`, as text."""
    pair = Concat(Cast("network_id", CharField()), Value(":"), Cast("entity_id", CharField()))
    return Subquery(
        Membership.objects.with_scopes_disabled()
        .filter(status=MembershipStatus.ACTIVE, **{role: OuterRef("pk")})
        .values(role)
        .annotate(pairs=IdList(pair))
        .values("pairs")
    )


def _pairs_in(text):
    pairs = text.split(",") if text else []
    return [tuple(int(part) for part in pair.split(":")) for pair in pairs]


# Columns other apps add to the query that reads every role (`register_role_column`):
# {role name: (the column, made for a query of users; what its value becomes)}.
_ROLE_COLUMNS: dict[str, tuple[Callable[[], Any], Callable[[Any], Any]]] = {}
# The prefix of the role columns among a user's own fields.
_COLUMN = "role_column_"


def register_role_column(name: str, column: Callable[[], Any], read: Callable[[Any], Any]) -> None:
    """Have the query of every role read the role `name` too, as `read(column's value)`.

    `column()` is an expression on the users' table (its `OuterRef("pk")` is the
    person); an app above this one registers it in `ready()`, so a role it reads
    on every page costs no query of its own.
    """
    _ROLE_COLUMNS[name] = (column, read)
    _users_with_roles.cache_clear()


def _role_columns() -> dict[str, Any]:
    columns = {
        "representative": _pairs_where("representative"),
        "alternate": _pairs_where("alternate"),
        "facilitated": Subquery(
            current_facilitators()
            .filter(user=OuterRef("pk"))
            .values("user")
            .annotate(ids=IdList("network_id"))
            .values("ids")
        ),
        "verified": Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        "unread": Coalesce(
            Subquery(
                Notification.objects.with_scopes_disabled()
                .filter(recipient=OuterRef("pk"), read_at__isnull=True)
                .values("recipient")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        ),
    }
    columns.update({name: column() for name, (column, _) in _ROLE_COLUMNS.items()})
    return {_COLUMN + name: column for name, column in columns.items()}


def _roles_in(row: dict[str, Any]) -> dict[str, Any]:
    """The roles, {name: value}, out of a row holding the role columns."""
    roles = {
        "entities": EntityRoles(
            _pairs_in(row[_COLUMN + "representative"]), _pairs_in(row[_COLUMN + "alternate"])
        ),
        "facilitated": set(ids_in(row[_COLUMN + "facilitated"])),
        "verified": row[_COLUMN + "verified"],
        UNREAD_NOTIFICATIONS: row[_COLUMN + "unread"],
    }
    roles.update({name: read(row[_COLUMN + name]) for name, (_, read) in _ROLE_COLUMNS.items()})
    return roles


@cache
def _users_with_roles() -> QuerySet:
    """The users with every role column, built once per process.

    Building the columns' subqueries and resolving them into one query cost
    more than running it (about 5 ms of the 9 a signed-in request spent reading
    roles); each request only narrows this to its person.
    """
    return get_user_model()._default_manager.annotate(**_role_columns())


def read_every_role(user):
    """Every role of the person, in one query: what `cached_role` asks of each reader alone.

    The entities they speak for, the networks they facilitate, whether they
    have verified an address, how many notifications wait unread, and the roles
    other apps add (`register_role_column`).
    """
    users = _users_with_roles()
    row = users.filter(pk=user.pk).values(*users.query.annotations).first()
    return {} if row is None else _roles_in(row)


def user_with_roles(user_id):
    """The person with this id and every role of theirs, in one query; None if there is none.

    How a request's user is loaded (`members.backends`): the roles a page asks
    for are already there, and reading them costs no second query.
    """
    users = _users_with_roles()
    user = users.filter(pk=user_id).first()
    if user is not None:
        row = {name: user.__dict__.pop(name) for name in users.query.annotations}
        know_every_role(user, _roles_in(row))
    return user


@rules.predicate
def is_member(user, obj):
    """Acts for at least one active member entity of the network."""
    roles = entity_roles(user)
    return roles is not None and obj is not None and bool(roles.entities_in(network_of(obj).pk))


@rules.predicate
def is_member_in_reach(user, obj):
    """Acts for an active member entity of the network or of a network under it (`members.reach`).

    The role that commissions and events ask of who takes part in them: a member
    of a regional network takes part in the national network's commissions and events.
    """
    roles = entity_roles(user)
    return roles is not None and obj is not None and bool(acting_entity_ids(roles, network_of(obj)))


@rules.predicate
def is_interlocutor(user, obj):
    """Acts for the entity that is the network's regional interlocutor today."""
    roles = entity_roles(user)
    if roles is None or obj is None:
        return False
    network = network_of(obj)
    entity_ids = roles.entities_in(network.pk)
    return bool(entity_ids) and (
        Interlocutor.objects.with_scopes_disabled()
        .filter(network=network, entity_id__in=entity_ids, ended_at__isnull=True)
        .exists()
    )


def _interlocutor_holding(power):
    """The interlocutor, when the network gives its interlocutor this power (`INTERLOCUTOR_POWERS`).

    The network is already loaded with the object: the power costs no query, and
    the interlocutor's role is read only where the network grants it.
    """

    def holds(user, obj):
        return obj is not None and getattr(network_of(obj), power) and is_interlocutor(user, obj)

    return rules.predicate(holds, name=power)


interlocutor_reviews_applications = _interlocutor_holding("interlocutor_reviews_applications")
interlocutor_convenes_plenaries = _interlocutor_holding("interlocutor_convenes_plenaries")
interlocutor_writes_announcements = _interlocutor_holding("interlocutor_writes_announcements")
interlocutor_sees_activity = _interlocutor_holding("interlocutor_sees_activity")


def acts_for(user, entity, network):
    """May this person act for this entity in this network (representative or alternate)?"""
    roles = entity_roles(user)
    return roles is not None and entity.pk in roles.entities_in(network.pk)


def has_verified_email(user):
    """Has this person verified an email address? Read once per request."""
    return bool(cached_role(user, "verified", _read_verified))


def _read_verified(user):
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@rules.predicate
def is_verified(user):
    return has_verified_email(user)


@rules.predicate
def acts_for_entity(user, entity):
    """Acts for the entity in some network, or registered it and has not applied yet."""
    return entity is not None and represents_entity(user, entity)


@rules.predicate
def facilitates_a_network_of_entity(user, entity):
    """Facilitates a network where the entity is a member (applied, active or suspended).

    An entity has one profile, shown in every network it belongs to: editing it
    speaks for the entity in each of them, so facilitating any one of them is enough
    to be refused.
    """
    facilitated = facilitated_ids(user)
    if not facilitated or entity is None:
        return False
    return bool(live_network_ids(entity) & facilitated)


@rules.predicate
def holds_membership(user, membership):
    """Representative or alternate of this membership while it is applied, active or suspended."""
    return (
        membership is not None
        and user.is_authenticated
        and membership.status in LIVE_STATUSES
        and user.pk in (membership.representative_id, membership.alternate_id)
    )


@rules.predicate
def is_invitee(user, invitation):
    """The invitation was sent to this person's address."""
    return (
        invitation is not None
        and user.is_authenticated
        and invitation.email.lower() == (user.email or "").lower()
    )


@rules.predicate
def is_themselves(user, person):
    return person is not None and user.is_authenticated and person.pk == user.pk


@rules.predicate
def owns_token(user, token):
    return token is not None and user.is_authenticated and token.user_id == user.pk


rules.add_perm("members.register_entity", is_verified)
rules.add_perm("members.apply", is_verified & ~is_facilitator)
rules.add_perm(
    "members.edit_entity",
    is_verified & acts_for_entity & ~facilitates_a_network_of_entity,
)
rules.add_perm("members.manage_membership", is_verified & holds_membership & ~is_facilitator)
rules.add_perm("members.accept_invitation", is_verified & is_invitee & ~is_facilitator)
# The facilitator decides on memberships; the interlocutor decides applications where the
# network gives it that power (`members.services.change_membership_status`).
rules.add_perm("members.review_applications", can_run_network | interlocutor_reviews_applications)
rules.add_perm("members.create_api_token", rules.is_authenticated)
rules.add_perm("members.revoke_api_token", owns_token)
rules.add_perm("members.revoke_all_api_tokens", is_themselves)
