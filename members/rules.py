"""Predicates about the person's account and entities, for views, templates, the API and
the services (through `networks.authority`): one definition of who may do what.

The facilitator stays neutral (section 4.2 a): every permission to act for a member
entity is refused to a facilitator of the network it concerns.
"""

import rules
from allauth.account.models import EmailAddress

from networks.rules import is_facilitator, roles_of


def has_verified_email(user):
    """Has this person verified an email address? Read once per request."""
    if not user.is_authenticated:
        return False
    verified = getattr(user, "_tejido_verified", None)
    if verified is None:
        verified = user._tejido_verified = EmailAddress.objects.filter(
            user=user, verified=True
        ).exists()
    return verified


@rules.predicate
def is_verified(user):
    return has_verified_email(user)


@rules.predicate
def acts_for_entity(user, entity):
    """Acts for the entity in some network, or registered it and has not applied yet."""
    from members.selectors import represents_entity

    return entity is not None and represents_entity(user, entity)


@rules.predicate
def facilitates_a_network_of_entity(user, entity):
    """Facilitates a network where the entity is a member (applied, active or suspended).

    An entity has one profile, shown in every network it belongs to: editing it
    speaks for the entity in each of them, so facilitating any one of them is enough
    to be refused.
    """
    from members.selectors import live_network_ids

    roles = roles_of(user)
    if roles is None or not roles.facilitated or entity is None:
        return False
    return bool(live_network_ids(entity) & roles.facilitated)


@rules.predicate
def holds_membership(user, membership):
    """Representative or alternate of this membership while it is applied, active or suspended."""
    from members.selectors import LIVE_STATUSES

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
rules.add_perm("members.create_api_token", rules.is_authenticated)
rules.add_perm("members.revoke_api_token", owns_token)
rules.add_perm("members.revoke_all_api_tokens", is_themselves)
