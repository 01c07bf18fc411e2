"""Personal API tokens: created and revoked by their owner, expiring if they chose so,
and revoked all at once when the owner's password changes."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import SYSTEM
from core.errors import DomainError
from core.text import checked_line
from members.models import ApiToken, TokenRevocation
from members.signals import password_changed
from networks.authority import require_perm, require_person

TOKEN_PREFIX = "tejido_"  # noqa: S105 (a marker, not a secret)
MAX_ACTIVE_TOKENS = 10
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
# The lifetimes a person may choose; none means "until I revoke it".
TOKEN_LIFETIMES_IN_DAYS = (30, 90, 365)


def digest_of(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, by, name, valid_days=None):
    """Create a token for the person acting, valid for `valid_days` (one of
    TOKEN_LIFETIMES_IN_DAYS) or until revoked; returns (token, key).

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
    if valid_days is not None and valid_days not in TOKEN_LIFETIMES_IN_DAYS:
        raise DomainError(_("Choose one of the offered lifetimes for the token."))
    if ApiToken.objects.filter(user=by).usable().count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(_("You have too many active tokens: revoke one first."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=by,
        name=name,
        prefix=key[: len(TOKEN_PREFIX) + 4],
        digest=digest_of(key),
        created_at=now,
        expires_at=now + dt.timedelta(days=valid_days) if valid_days else None,
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token, by):
    """Revoke a token: its owner does, or the system (for example when a password changes)."""
    require_perm(by, "members.revoke_api_token", token, _("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_because = TokenRevocation.BY_OWNER
        token.save(update_fields=["revoked_at", "revoked_because"])
    return token


def revoke_all_api_tokens(*, user, by, because):
    """Revoke every token of `user` not yet revoked; returns how many.

    The person themselves may, and the system does when their password changes.
    """
    require_perm(by, "members.revoke_all_api_tokens", user, _("These tokens are not yours."))
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because
    )


@receiver(password_changed, dispatch_uid="revoke_api_tokens_on_password_change")
def _revoke_api_tokens_on_password_change(sender, user, **kwargs):
    # Whoever learnt the old password may have made a token with it; a new
    # password must shut them out as well.
    revoke_all_api_tokens(user=user, by=SYSTEM, because=TokenRevocation.PASSWORD_CHANGED)


def user_for_key(key):
    """The active user a key belongs to, or None (unknown, revoked or expired key)."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .usable(now)
        .filter(digest=digest_of(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Written at most once an hour per token, not on every request.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(hours=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
