"""Predicates about the person's account, for views, templates and the API."""

import rules
from allauth.account.models import EmailAddress


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
def holds_membership(user, membership):
    """Representative or alternate of this membership while it is applied, active or suspended."""
    from members.selectors import LIVE_STATUSES

    return (
        membership is not None
        and user.is_authenticated
        and membership.status in LIVE_STATUSES
        and user.pk in (membership.representative_id, membership.alternate_id)
    )


rules.add_perm("members.register_entity", is_verified)
rules.add_perm("members.apply", is_verified)
rules.add_perm("members.edit_entity", is_verified & acts_for_entity)
rules.add_perm("members.manage_membership", is_verified & holds_membership)
