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
