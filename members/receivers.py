"""How members takes part in the tenant core's acts, through the signals it sends."""

from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext as _

from core.errors import DomainError
from members.models import Membership, MembershipStatus, PriorityArea, PriorityAreaCode
from networks.signals import facilitator_appointing


@receiver(facilitator_appointing, dispatch_uid="members.refuse_post_holder")
def refuse_post_holder(sender, *, network, user, **kwargs):
    """A facilitator stays neutral: whoever holds an entity's post there hands it over first."""
    held = (
        Membership.objects.filter(
            status__in=[
                MembershipStatus.APPLIED,
                MembershipStatus.ACTIVE,
                MembershipStatus.SUSPENDED,
            ]
        )
        .filter(Q(representative=user) | Q(alternate=user))
        .select_related("entity")
        .order_by("entity__name")
        .first()
    )
    if held is not None:
        raise DomainError(
            _(
                "%(person)s is the representative or alternate of %(entity)s in this network. "
                "A facilitator stays neutral: they must hand that post over to someone else "
                "before they can facilitate the network."
            )
            % {"person": user, "entity": held.entity}
        )


def ensure_priority_areas(sender, using="default", **kwargs):
    """One row per priority area, made again after any flush (tests, a restored database)."""
    for code in PriorityAreaCode.values:
        PriorityArea.objects.using(using).get_or_create(code=code)
