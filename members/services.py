from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Membership, MembershipStatus
from networks.errors import DomainError
from networks.scoping import network_scope
from networks.services import record_change

# Which status may follow which. Nothing is ever deleted: leaving and
# rejection are states with a date and a reason ("nothing is lost").
ALLOWED_TRANSITIONS = {
    MembershipStatus.APPLIED: {MembershipStatus.ACTIVE, MembershipStatus.REJECTED},
    MembershipStatus.ACTIVE: {MembershipStatus.SUSPENDED, MembershipStatus.LEFT},
    MembershipStatus.SUSPENDED: {MembershipStatus.ACTIVE, MembershipStatus.LEFT},
    MembershipStatus.LEFT: {MembershipStatus.APPLIED, MembershipStatus.ACTIVE},
    MembershipStatus.REJECTED: {MembershipStatus.APPLIED},
}
NEEDS_REASON = {MembershipStatus.SUSPENDED, MembershipStatus.REJECTED, MembershipStatus.LEFT}


@transaction.atomic
def change_membership_status(*, membership, status, by=None, reason=""):
    """Move a membership along its lifecycle, dated and explained, never deleted."""
    with network_scope(membership.network):
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        previous = locked.status
        if status not in MembershipStatus.values:
            raise DomainError(_("%(status)s is not a membership status.") % {"status": status})
        if status not in ALLOWED_TRANSITIONS[previous]:
            raise DomainError(
                _("A membership that is %(current)s cannot become %(new)s.")
                % {
                    "current": MembershipStatus(previous).label,
                    "new": MembershipStatus(status).label,
                }
            )
        reason = reason.strip()
        if status in NEEDS_REASON and not reason:
            raise DomainError(_("Please give a reason."))
        now = timezone.now()
        locked.status = status
        locked.status_reason = reason
        locked.status_changed_at = now
        if previous in (MembershipStatus.LEFT, MembershipStatus.REJECTED):
            # Coming back starts a new stint; the old dates stay in the history.
            locked.joined_at = None
            locked.left_at = None
        if status == MembershipStatus.ACTIVE and locked.joined_at is None:
            locked.joined_at = now
        if status == MembershipStatus.APPLIED:
            locked.applied_at = now
        if status == MembershipStatus.LEFT:
            locked.left_at = now
        locked.save()
        record_change(
            network=locked.network,
            subject=locked,
            action="membership.status",
            by=by,
            changes={"status": [previous, status]},
            reason=reason,
        )
    membership.refresh_from_db()
    return membership


@transaction.atomic
def set_representatives(*, membership, representative, alternate=None, by=None):
    """Name the entity's representative and alternate (functional principle, 4.1 d.1)."""
    if representative is None:
        raise DomainError(_("An entity needs a representative."))
    if alternate is not None and alternate.pk == representative.pk:
        raise DomainError(_("The alternate must be a different person from the representative."))
    with network_scope(membership.network):
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        changes = {}
        if locked.representative_id != representative.pk:
            changes["representative"] = [locked.representative_id, representative.pk]
        new_alternate_id = alternate.pk if alternate else None
        if locked.alternate_id != new_alternate_id:
            changes["alternate"] = [locked.alternate_id, new_alternate_id]
        if not changes:
            return membership
        locked.representative = representative
        locked.alternate = alternate
        locked.save(update_fields=["representative", "alternate"])
        record_change(
            network=locked.network,
            subject=locked,
            action="membership.representatives",
            by=by,
            changes=changes,
        )
    membership.refresh_from_db()
    return membership
