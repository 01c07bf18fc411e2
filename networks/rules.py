"""Who may do what: the roles of the model as predicates of the `rules` package.

One registry serves views (`has_perm`), templates (`{% has_perm %}`) and the
API alike. This module holds the roles themselves (site admin, facilitator,
interlocutor, representative, alternate, member); each app's `rules.py`
combines them into its permissions. A person's roles are read in two
queries and kept on the user object for the rest of the request.
"""

from collections import defaultdict

import rules
from django.db.models import Q

from members.models import Membership, MembershipStatus
from networks.models import Facilitator, Interlocutor


class Roles:
    """What one person is, in every network, read once."""

    def __init__(self, user):
        self.facilitated = set(
            Facilitator.objects.with_scopes_disabled()
            .filter(user=user, ended_on__isnull=True)
            .values_list("network_id", flat=True)
        )
        self.representative = defaultdict(set)
        self.alternate = defaultdict(set)
        rows = (
            Membership.objects.with_scopes_disabled()
            .filter(status=MembershipStatus.ACTIVE)
            .filter(Q(representative=user) | Q(alternate=user))
            .values_list("network_id", "entity_id", "representative_id", "alternate_id")
        )
        for network_id, entity_id, representative_id, alternate_id in rows:
            if representative_id == user.pk:
                self.representative[network_id].add(entity_id)
            if alternate_id == user.pk:
                self.alternate[network_id].add(entity_id)

    def entities_in(self, network_id):
        """Entities this person may act for in a network (as representative or alternate)."""
        return self.representative[network_id] | self.alternate[network_id]


def roles_of(user):
    if not user.is_authenticated:
        return None
    roles = getattr(user, "_tejido_roles", None)
    if roles is None:
        roles = user._tejido_roles = Roles(user)
    return roles


def forget_roles(user):
    """Read roles again on next use, after a change made in the same request."""
    user.__dict__.pop("_tejido_roles", None)


def _network_of(obj):
    return obj if obj.__class__.__name__ == "Network" else obj.network


@rules.predicate
def is_site_admin(user):
    return user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def is_facilitator(user, obj):
    roles = roles_of(user)
    return roles is not None and obj is not None and _network_of(obj).pk in roles.facilitated


@rules.predicate
def is_facilitator_of_parent(user, obj):
    roles = roles_of(user)
    if roles is None or obj is None:
        return False
    parent_id = _network_of(obj).parent_id
    return parent_id is not None and parent_id in roles.facilitated


@rules.predicate
def is_member(user, obj):
    """Acts for at least one active member entity of the network."""
    roles = roles_of(user)
    return roles is not None and obj is not None and bool(roles.entities_in(_network_of(obj).pk))


@rules.predicate
def is_interlocutor(user, obj):
    """Acts for the entity that is the network's regional interlocutor today."""
    roles = roles_of(user)
    if roles is None or obj is None:
        return False
    network = _network_of(obj)
    entity_ids = roles.entities_in(network.pk)
    return bool(entity_ids) and (
        Interlocutor.objects.with_scopes_disabled()
        .filter(network=network, entity_id__in=entity_ids, ended_at__isnull=True)
        .exists()
    )


@rules.predicate
def is_representative(user, membership):
    return (
        membership is not None
        and membership.status == MembershipStatus.ACTIVE
        and membership.representative_id == user.pk
    )


@rules.predicate
def is_alternate(user, membership):
    return (
        membership is not None
        and membership.status == MembershipStatus.ACTIVE
        and membership.alternate_id == user.pk
    )


def acts_for(user, entity, network):
    """May this person act for this entity in this network (representative or alternate)?"""
    roles = roles_of(user)
    return roles is not None and entity.pk in roles.entities_in(network.pk)


can_run_network = is_facilitator | is_site_admin

rules.add_perm("networks.run_network", can_run_network)
rules.add_perm("networks.appoint_facilitator", is_site_admin | is_facilitator_of_parent)
rules.add_perm("networks.assign_interlocutor", can_run_network)
rules.add_perm("networks.view_feed", can_run_network | is_interlocutor)
