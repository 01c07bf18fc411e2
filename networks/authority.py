"""Where a service decides, once, whether the person acting may do what they ask.

Pages, the API and the admin narrow their choices for convenience; none of
them is the last line. Every public service takes the acting person (`by`) and
calls these functions, with the same permission names and predicates that the
pages check through the `rules` registry, so a page and its service can never
disagree about who may act. Whether a person acts for a member entity is
decided in `members.authority`.

The roles are read afresh from the database here, not from the per-request
cache the pages use: a service decides on the data as it is now. It reads
only the roles its check asks for (`forget_deciding_roles`).
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _

from core.actors import Actor, is_system
from core.errors import DomainError
from networks.models import Network
from networks.rules import facilitated_ids, forget_deciding_roles

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def fresh(by: Actor) -> Actor:
    """The person with the roles that permissions decide on forgotten: checks read them anew."""
    forget_deciding_roles(by)
    return by


def require_perm(
    by: Actor, permission: str, obj: models.Model | None, message: "StrOrPromise"
) -> None:
    """Refuse with `message` unless `by` holds `permission` on `obj` (the rules registry).

    The system actor (jobs, commands) holds no role and passes: what it may do is
    decided by the job that calls the service, and the model's own rules still apply.
    """
    if is_system(by):
        return
    if by is None or not by.is_authenticated or not fresh(by).has_perm(permission, obj):
        raise DomainError(message)


def refuse_facilitator(by: Actor, network: Network) -> None:
    """The facilitator stays neutral: no vote, no post, no entity's voice (section 4.2 a)."""
    if is_system(by) or by is None:
        return
    if network.pk in facilitated_ids(fresh(by)):
        raise DomainError(
            _(
                "Facilitators stay neutral in the network they facilitate: they cannot act "
                "for a member entity there."
            )
        )


def require_person(by: Actor, message: "StrOrPromise") -> None:
    """Refuse unless a signed-in person acts: some acts are a person's own (taking a post)."""
    if is_system(by) or by is None or not by.is_authenticated:
        raise DomainError(message)
