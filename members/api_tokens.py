"""Personal API tokens: created and revoked by their owner."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ApiToken
from networks.errors import DomainError

TOKEN_PREFIX = "tejido_"  # noqa: S105 (a marker, not a secret)
MAX_ACTIVE_TOKENS = 10


def digest_of(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user, name):
    """Create a token; returns (token, key). The key is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the token, so you know later where it is used."))
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(_("You have too many active tokens: revoke one first."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[: len(TOKEN_PREFIX) + 4], digest=digest_of(key)
    )
    return token, key


def revoke_api_token(*, token, by):
    if token.user_id != by.pk:
        raise DomainError(_("This token is not yours."))
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
