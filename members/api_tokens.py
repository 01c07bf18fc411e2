"""Personal API tokens: created and revoked by their owner."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ApiToken
from networks.authority import require_perm, require_person
from networks.errors import DomainError
from networks.text import checked_line

TOKEN_PREFIX = "tejido_"  # noqa: S105 (a marker, not a secret)
MAX_ACTIVE_TOKENS = 10
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


def digest_of(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, by, name):
    """Create a token for the person acting; returns (token, key).

    The key is shown once and never stored. A token is a person's own: the
    system makes none.
    """
    require_person(by, _("A token belongs to a person: sign in to create one."))
    require_perm(
        by,
        "members.create_api_token",
        None,
        _("A token belongs to a person: sign in to create one."),
    )
    name = checked_line(name, label=_("The name of the token"), max_length=NAME_MAX_LENGTH)
    if not name:
        raise DomainError(_("Name the token, so you know later where it is used."))
    if ApiToken.objects.filter(user=by, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(_("You have too many active tokens: revoke one first."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by, name=name, prefix=key[: len(TOKEN_PREFIX) + 4], digest=digest_of(key)
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token, by):
    """Revoke a token: its owner does, or the system (for example when a password changes)."""
    require_perm(by, "members.revoke_api_token", token, _("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_key(key):
    """The active user a key belongs to, or None."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Written at most once an hour per token, not on every request.
    if token.last_used_at is None or now - token.last_used_at > timezone.timedelta(hours=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
