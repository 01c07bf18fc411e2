from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import person_or_none
from core.errors import DomainError
from core.text import checked_text
from networks.admin_access import FACILITATORS_GROUP, facilitators_group
from networks.authority import require_perm
from networks.models import (
    CharterVersion,
    Facilitator,
    HistoryEntry,
    Interlocutor,
    Network,
    NetworkKind,
)
from networks.scoping import network_scope

# Free text a person types into a reason, kept in the history.
REASON_MAX_LENGTH = 2000
# Each text of a charter; a long code of ethics fits many times over.
CHARTER_TEXT_MAX_LENGTH = 20000


def record_change(*, network, subject, action, by, changes=None, reason=""):
    """Keep who changed what and when ("nothing is lost", DESIGN.md).

    The history row of an act that its service has already allowed: it checks
    nothing itself. The system is recorded as nobody.
    """
    return HistoryEntry.objects.create(
        network=network,
        actor=person_or_none(by),
        action=action,
        content_type=ContentType.objects.get_for_model(type(subject)),
        object_id=subject.pk,
        changes=changes or {},
        reason=reason,
    )


@transaction.atomic
def publish_charter(*, network, mission, vision, principles, code_of_ethics, commitment="", by):
    """Adopt a new version of the charter; members who join from now on accept this one.

    Whoever runs the network publishes it (section 4.1 d.1).
    """
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only a facilitator of this network or a site admin publishes its charter."),
    )
    texts = {
        "mission": (mission, _("The mission")),
        "vision": (vision, _("The vision")),
        "principles": (principles, _("The principles")),
        "code_of_ethics": (code_of_ethics, _("The code of ethics")),
        "commitment": (commitment, _("The commitment")),
    }
    cleaned = {
        name: checked_text(value, label=label, max_length=CHARTER_TEXT_MAX_LENGTH)
        for name, (value, label) in texts.items()
    }
    if not all(cleaned[name] for name in ("mission", "vision", "principles", "code_of_ethics")):
        raise DomainError(_("A charter needs its mission, vision, principles and code of ethics."))
    with network_scope(network):
        # Serialise publications of one network, so two at once get successive versions.
        Network.objects.select_for_update().filter(pk=network.pk).first()
        latest = CharterVersion.objects.aggregate(latest=Max("version"))["latest"] or 0
        charter = CharterVersion.objects.create(network=network, version=latest + 1, **cleaned)
        record_change(
            network=network,
            subject=charter,
            action="charter.published",
            by=by,
            changes={"version": charter.version},
        )
    return charter


def current_charter(network):
    with network_scope(network):
        return CharterVersion.objects.order_by("-version").first()


@transaction.atomic
def appoint_facilitator(*, network, user, by):
    """Name a facilitator: a neutral role without vote (section 4.2 a).

    A site admin names them anywhere; a facilitator of the parent network names
    them in its regional networks; commands pass the system. Someone who speaks
    for a member entity of the network cannot also facilitate it: they hand
    their post over first.
    """
    require_perm(
        by,
        "networks.appoint_facilitator",
        network,
        _("Only a site admin or a facilitator of the parent network names facilitators."),
    )
    with network_scope(network):
        if Facilitator.objects.filter(user=user, ended_on__isnull=True).exists():
            raise DomainError(_("This person already facilitates this network."))
        _refuse_post_holder(network, user)
        facilitator = Facilitator.objects.create(network=network, user=user)
        _grant_admin_access(user)
        record_change(
            network=network,
            subject=facilitator,
            action="facilitator.appointed",
            by=by,
            changes={"user": user.pk},
        )
    return facilitator


def _refuse_post_holder(network, user):
    from members.models import Membership, MembershipStatus

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


@transaction.atomic
def end_facilitation(*, facilitator, by, reason=""):
    """End a facilitation, dated and explained; whoever may appoint facilitators ends them."""
    require_perm(
        by,
        "networks.appoint_facilitator",
        facilitator.network,
        _("Only a site admin or a facilitator of the parent network ends a facilitation."),
    )
    reason = checked_text(reason, label=_("The reason"), max_length=REASON_MAX_LENGTH)
    if facilitator.ended_on is not None:
        raise DomainError(_("This facilitation has already ended."))
    facilitator.ended_on = timezone.localdate()
    facilitator.save(update_fields=["ended_on"])
    if not facilitated_network_ids(facilitator.user):
        _revoke_admin_access(facilitator.user)
    with network_scope(facilitator.network):
        record_change(
            network=facilitator.network,
            subject=facilitator,
            action="facilitator.ended",
            by=by,
            changes={"user": facilitator.user_id},
            reason=reason,
        )
    return facilitator


def facilitated_network_ids(user):
    """Ids of the networks a person facilitates today, across networks (admin, menus)."""
    if not user.is_authenticated:
        return set()
    return set(
        Facilitator.objects.with_scopes_disabled()
        .filter(user=user, ended_on__isnull=True)
        .values_list("network_id", flat=True)
    )


def _grant_admin_access(user):
    """A facilitator works in the admin, narrowed to the networks they facilitate."""
    user.groups.add(facilitators_group())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _revoke_admin_access(user):
    user.groups.remove(*Group.objects.filter(name=FACILITATORS_GROUP))
    # A site admin keeps the admin; a former facilitator has nothing left to see there.
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def assign_interlocutor(*, network, entity, by, reason=""):
    """Make a member entity the regional interlocutor, replacing the current one (4.2 c, 6.4)."""
    from members.models import Membership, MembershipStatus

    require_perm(
        by,
        "networks.assign_interlocutor",
        network,
        _("Only a facilitator of this network or a site admin assigns its interlocutor."),
    )
    reason = checked_text(reason, label=_("The reason"), max_length=REASON_MAX_LENGTH)
    if network.kind != NetworkKind.REGIONAL:
        raise DomainError(_("Only a regional network has a regional interlocutor."))
    now = timezone.now()
    with network_scope(network):
        Network.objects.select_for_update().filter(pk=network.pk).first()
        if not Membership.objects.filter(entity=entity, status=MembershipStatus.ACTIVE).exists():
            raise DomainError(
                _("The interlocutor must be an active member entity of this network.")
            )
        current = Interlocutor.objects.filter(ended_at__isnull=True).first()
        if current is not None and current.entity_id == entity.pk:
            raise DomainError(_("This entity is already the regional interlocutor."))
        if current is not None:
            current.ended_at = now
            current.end_reason = reason
            current.save(update_fields=["ended_at", "end_reason"])
        interlocutor = Interlocutor.objects.create(network=network, entity=entity, started_at=now)
        record_change(
            network=network,
            subject=interlocutor,
            action="interlocutor.assigned",
            by=by,
            changes={"entity": [current.entity_id if current else None, entity.pk]},
            reason=reason,
        )
    return interlocutor


def current_interlocutor(network):
    with network_scope(network):
        return Interlocutor.objects.filter(ended_at__isnull=True).select_related("entity").first()
