"""Writes of the tenant core: charters and facilitators (the interlocutor is `members.services`)."""

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor, is_system
from core.errors import DomainError
from core.text import checked_line, checked_text
from networks.admin_access import FACILITATORS_GROUP, facilitators_group
from networks.authority import require_perm
from networks.history import NetworkAction, record_change
from networks.models import (
    INTERLOCUTOR_POWERS,
    CharterVersion,
    Facilitator,
    Network,
    NetworkKind,
)
from networks.rules import is_site_admin
from networks.scoping import network_scope
from networks.selectors import facilitated_network_ids
from networks.signals import facilitator_appointing

# Free text a person types into a reason, kept in the history.
REASON_MAX_LENGTH = 2000
# Each text of a charter; a long code of ethics fits many times over.
CHARTER_TEXT_MAX_LENGTH = 20000


@transaction.atomic
def publish_charter(
    *,
    network: Network,
    mission: str,
    vision: str,
    principles: str,
    code_of_ethics: str,
    commitment: str = "",
    by: Actor,
) -> CharterVersion:
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
            action=NetworkAction.CHARTER_PUBLISHED,
            by=by,
            changes={"version": charter.version},
        )
    return charter


@transaction.atomic
def appoint_facilitator(*, network: Network, user: Any, by: Actor) -> Facilitator:
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
        # Other apps refuse here what they know of (members: a post holder).
        facilitator_appointing.send(sender=Network, network=network, user=user)
        facilitator = Facilitator.objects.create(network=network, user=user)
        _grant_admin_access(user)
        record_change(
            network=network,
            subject=facilitator,
            action=NetworkAction.FACILITATOR_APPOINTED,
            by=by,
            changes={"user": user.pk},
        )
    return facilitator


@transaction.atomic
def end_facilitation(*, facilitator: Facilitator, by: Actor, reason: str = "") -> Facilitator:
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
            action=NetworkAction.FACILITATOR_ENDED,
            by=by,
            changes={"user": facilitator.user_id},
            reason=reason,
        )
    return facilitator


def _grant_admin_access(user: Any) -> None:
    """A facilitator works in the admin, narrowed to the networks they facilitate."""
    user.groups.add(facilitators_group())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _revoke_admin_access(user: Any) -> None:
    user.groups.remove(*Group.objects.filter(name=FACILITATORS_GROUP))
    # A site admin keeps the admin; a former facilitator has nothing left to see there.
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


# Which kind of network may sit under which (section 6.5: a provincial or municipal
# level under a region): None is a network with no parent.
KINDS_UNDER = {
    None: {NetworkKind.NATIONAL, NetworkKind.REGIONAL},
    NetworkKind.NATIONAL: {NetworkKind.REGIONAL},
    NetworkKind.REGIONAL: {NetworkKind.LOCAL},
    NetworkKind.LOCAL: {NetworkKind.LOCAL},
}


@transaction.atomic
def open_network(
    *,
    name: str,
    slug: str,
    kind: str,
    by: Actor,
    parent: Network | None = None,
    region: str = "",
    time_zone: str | None = None,
    default_language: str | None = None,
) -> Network:
    """A new network: a country's national network, or a network under another one.

    Under a parent it takes the parent's time zone and language unless given
    others, and follows every rule of the parent's level one level down: its
    members act in the commissions and events of the networks above it
    (`members.reach`). A site admin opens any network; a facilitator opens
    networks under the network they facilitate.
    """
    if parent is None:
        if not is_system(by) and (by is None or not is_site_admin(by)):
            raise DomainError(_("Only a site admin opens a network that sits under no other."))
    else:
        require_perm(
            by,
            "networks.open_network_under",
            parent,
            _("Only a site admin or a facilitator of %(network)s opens a network under it.")
            % {"network": parent.name},
        )
    above = NetworkKind(parent.kind) if parent is not None else None
    if kind not in KINDS_UNDER[above]:
        raise DomainError(
            _("A %(kind)s network cannot sit there.") % {"kind": NetworkKind(kind).label.lower()}
        )
    name = checked_line(name, label=_("Name"), max_length=200)
    if not name or not slug:
        raise DomainError(_("A network needs a name and an address."))
    network = Network(name=name, slug=slug, kind=kind, parent=parent, region=region)
    given: set[str] = set()
    if time_zone is not None:
        network.time_zone, given = time_zone, given | {"time_zone"}
    if default_language is not None:
        network.default_language, given = default_language, given | {"default_language"}
    network.inherit_from_parent(given=given)
    try:
        network.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    network.save()
    return network


@transaction.atomic
def set_interlocutor_powers(*, network: Network, by: Actor, **powers: bool) -> Network:
    """Which of the facilitator's powers the network gives its interlocutor (section 4.2 c).

    Whoever runs the network decides, in its governance settings. The interlocutor
    stays a member entity's voice and no facilitator: these powers never include
    acting as the facilitator in decisions, nor neutrality's refusals.
    """
    unknown = set(powers) - set(INTERLOCUTOR_POWERS)
    if unknown:
        raise TypeError(f"Unknown interlocutor powers: {sorted(unknown)}")
    require_perm(
        by,
        "networks.run_network",
        network,
        _(
            "Only a facilitator of this network or a site admin decides what its "
            "interlocutor may do."
        ),
    )
    with network_scope(network):
        locked = Network.objects.select_for_update().get(pk=network.pk)
        changes = {
            name: [getattr(locked, name), bool(value)]
            for name, value in powers.items()
            if getattr(locked, name) != bool(value)
        }
        if not changes:
            return locked
        for name, (_before, after) in changes.items():
            setattr(locked, name, after)
            setattr(network, name, after)
        locked.save(update_fields=list(changes))
        record_change(
            network=network,
            subject=locked,
            action=NetworkAction.INTERLOCUTOR_POWERS,
            by=by,
            changes=changes,
        )
    return locked
