import logging
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Field, Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import outbox
from core.actors import Actor, is_system, person_or_none
from core.errors import DomainError
from core.mail import email_message
from core.text import checked_line, checked_text
from members.commission_choice import commission_choice
from members.history import InterlocutorAction, MembershipAction
from members.models import (
    Entity,
    EntityKind,
    Invitation,
    InvitationRole,
    Membership,
    MembershipStatus,
    Notification,
    NotificationPreference,
    NotificationSetting,
    PriorityArea,
    User,
)
from members.notifications import (
    MembershipNotice,
    facilitator_ids_by_network,
    read_unsubscribe_token,
)
from members.outbox import queue_notifications
from members.rules import acts_for_entity, has_verified_email, is_invitee
from members.selectors import LIVE_STATUSES, live_network_ids, similar_entities
from networks.authority import refuse_facilitator, require_perm, require_person
from networks.history import record_change
from networks.models import (
    CharterVersion,
    HistoryEntry,
    Interlocutor,
    MembershipApproval,
    Network,
    NetworkKind,
)
from networks.rules import forget_roles, is_facilitator
from networks.scoping import network_scope
from networks.selectors import current_charter
from networks.services import REASON_MAX_LENGTH
from platforms.models import Platform

logger = logging.getLogger(__name__)

# Which status may follow which. Nothing is ever deleted: leaving and
# rejection are states with a date and a reason ("nothing is lost").
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    MembershipStatus.APPLIED: {MembershipStatus.ACTIVE, MembershipStatus.REJECTED},
    MembershipStatus.ACTIVE: {MembershipStatus.SUSPENDED, MembershipStatus.LEFT},
    MembershipStatus.SUSPENDED: {MembershipStatus.ACTIVE, MembershipStatus.LEFT},
    MembershipStatus.LEFT: {MembershipStatus.APPLIED, MembershipStatus.ACTIVE},
    MembershipStatus.REJECTED: {MembershipStatus.APPLIED},
}
NEEDS_REASON = {MembershipStatus.SUSPENDED, MembershipStatus.REJECTED, MembershipStatus.LEFT}


def is_application_decision(current: str, new: str) -> bool:
    """Approving or rejecting an application: what an interlocutor may be given to decide."""
    return current == MembershipStatus.APPLIED and new in (
        MembershipStatus.ACTIVE,
        MembershipStatus.REJECTED,
    )


@transaction.atomic
def change_membership_status(
    *, membership: Membership, status: str, by: Actor, reason: str = ""
) -> Membership:
    """Move a membership along its lifecycle, dated and explained, never deleted.

    Whoever runs the network decides (section 4.2 a); the regional interlocutor decides
    applications where the network gives it that power (4.2 c); jobs and commands pass
    the system.
    """
    refused = _("Only a facilitator of this network or a site admin decides on its memberships.")
    require_perm(by, "members.review_applications", membership.network, refused)
    reason = checked_text(reason, label=_("The reason"), max_length=REASON_MAX_LENGTH)
    with network_scope(membership.network):
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        previous = locked.status
        if not is_application_decision(previous, status):
            require_perm(by, "networks.run_network", membership.network, refused)
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
        entry = record_change(
            network=locked.network,
            subject=locked,
            action=MembershipAction.STATUS,
            by=by,
            changes={"status": [previous, status]},
            reason=reason,
        )
        if previous == MembershipStatus.APPLIED and status == MembershipStatus.ACTIVE:
            _carry_out_pending_commission(locked)
            _tell_the_entity(locked, MembershipNotice.APPROVED, entry)
        elif status == MembershipStatus.REJECTED:
            _tell_the_entity(locked, MembershipNotice.REJECTED, entry)
    membership.refresh_from_db()
    return membership


def _tell_the_entity(membership: Membership, kind: MembershipNotice, entry: HistoryEntry) -> None:
    """The decision reaches the entity's representative and alternate (with the reason)."""
    recipients = {
        person_id
        for person_id in (membership.representative_id, membership.alternate_id)
        if person_id is not None
    }
    context = {
        "entity": membership.entity.name,
        "network": membership.network.name,
        "reason": membership.status_reason,
    }
    queue_notifications(
        Notification(
            network=membership.network,
            recipient_id=recipient_id,
            kind=kind,
            key=f"{kind}:{entry.pk}",
            context=context,
            link=reverse("workspace:home"),
        )
        for recipient_id in sorted(recipients)
    )


def _carry_out_pending_commission(membership: Membership) -> None:
    """On approval, join or propose the commission chosen when applying (footnote 16).

    The choice is the entity's, so it acts through its representative. If the
    choice can no longer be carried out (the commission closed, the name was
    taken meanwhile) the approval still stands and the choice stays on record.
    """
    if membership.pending_commission_id is None and not membership.pending_commission_name:
        return
    try:
        with transaction.atomic():
            commission_choice().carry_out_choice(membership)
    except DomainError as error:
        logger.info("Commission choice of membership %s not carried out: %s", membership.pk, error)
        return
    _forget_commission_choice(membership)


def _forget_commission_choice(membership: Membership) -> None:
    """The choice is carried out: nothing is pending any more."""
    membership.pending_commission = None
    membership.pending_commission_name = ""
    membership.pending_commission_purpose = ""
    membership.save(
        update_fields=[
            "pending_commission",
            "pending_commission_name",
            "pending_commission_purpose",
        ]
    )


@transaction.atomic
def set_representatives(
    *,
    membership: Membership,
    representative: User | None,
    alternate: User | None = None,
    by: Actor,
) -> Membership:
    """Rearrange who holds the entity's posts (functional principle, 4.1 d.1).

    The entity's own people swap the posts, make the alternate the representative
    or leave the alternate post empty. Nobody is given a post without consenting:
    a person new to the entity's posts is invited (`name_representative_or_alternate`)
    and takes the post by accepting; only the system (commands) places people directly.
    A facilitator of the network never holds a post in it, and never acts for an
    entity there (section 4.2 a).
    """
    network = membership.network
    refuse_facilitator(by, network)
    require_perm(
        by,
        "members.manage_membership",
        membership,
        _("Only the entity's representative or alternate may do this."),
    )
    with network_scope(network):
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        holders = {locked.representative_id, locked.alternate_id} - {None}
        newcomers = {person.pk for person in (representative, alternate) if person} - holders
        if newcomers and not is_system(by):
            raise DomainError(
                _(
                    "Nobody is given a post without accepting it: invite the person by email "
                    "and they take the post when they accept."
                )
            )
        _place_people(locked, representative=representative, alternate=alternate, by=by)
    membership.refresh_from_db()
    return membership


def _facilitates(person: User, network: Network) -> bool:
    forget_roles(person)
    return is_facilitator(person, network)


def _place_people(
    locked: Membership, *, representative: User | None, alternate: User | None, by: Actor
) -> None:
    """Write the posts of a locked membership and record the change (rules checked by callers)."""
    if representative is None:
        raise DomainError(_("An entity needs a representative."))
    if alternate is not None and alternate.pk == representative.pk:
        raise DomainError(_("The alternate must be a different person from the representative."))
    for person in (representative, alternate):
        if person is not None and _facilitates(person, locked.network):
            raise DomainError(
                _(
                    "%(person)s facilitates %(network)s: a facilitator stays neutral and is "
                    "never the representative or alternate of an entity there."
                )
                % {"person": person, "network": locked.network}
            )
    changes = {}
    if locked.representative_id != representative.pk:
        changes["representative"] = [locked.representative_id, representative.pk]
    new_alternate_id = alternate.pk if alternate else None
    if locked.alternate_id != new_alternate_id:
        changes["alternate"] = [locked.alternate_id, new_alternate_id]
    if not changes:
        return
    locked.representative = representative
    locked.alternate = alternate
    locked.save(update_fields=["representative", "alternate"])
    record_change(
        network=locked.network,
        subject=locked,
        action=MembershipAction.REPRESENTATIVES,
        by=by,
        changes=changes,
    )
    for person in (representative, alternate):
        if person is not None:
            forget_roles(person)


# Registration, applications, invitations ----------------------------------------


def _require_verified(by: Actor) -> None:
    """A clear message for a person who has not verified their address.

    The system has no address, and a site admin holds every permission of the
    registry, this one included.
    """
    if is_system(by) or (by is not None and by.is_active and by.is_superuser):
        return
    if by is None or not has_verified_email(by):
        raise DomainError(_("Please verify your email address first: nothing has been changed."))


def _clean_email(email: str | None) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("“%(email)s” is not a valid email address.") % {"email": email}
        ) from None
    return email.lower()


def _user_with_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email, is_active=True).first()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "entidad"
    taken = set(Entity.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _profile(*, name: str, kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The entity's public profile as typed, cleaned and checked (the same for every door)."""

    def limit(field_name: str) -> int | None:
        return cast(Field, Entity._meta.get_field(field_name)).max_length

    name = checked_line(name, label=_("The organisation's name"), max_length=limit("name"))
    if not name:
        raise DomainError(_("Give the organisation's name."))
    if kind not in EntityKind.values:
        raise DomainError(_("Choose the kind of organisation."))
    profile: dict[str, Any] = {"name": name, "kind": kind}
    if "legally_registered" in fields:
        profile["legally_registered"] = bool(fields["legally_registered"])
    if "region" in fields:
        profile["region"] = checked_line(
            fields["region"], label=_("The region"), max_length=limit("region")
        )
    if "city" in fields:
        profile["city"] = checked_line(
            fields["city"], label=_("The city"), max_length=limit("city")
        )
    if "website" in fields:
        website = checked_line(
            fields["website"], label=_("The website"), max_length=limit("website")
        )
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                raise DomainError(
                    _("The website must be an address starting with https://.")
                ) from None
        profile["website"] = website
    if "description" in fields:
        profile["description"] = checked_text(
            fields["description"],
            label=_("The public description"),
            max_length=Entity.DESCRIPTION_MAX_LENGTH,
        )
    return profile


@transaction.atomic
def register_entity(
    *,
    by: Actor,
    name: str,
    kind: str,
    legally_registered: bool = False,
    priority_areas: Iterable[PriorityArea] = (),
    region: str = "",
    city: str = "",
    website: str = "",
    description: str = "",
    not_a_duplicate: bool = False,
) -> Entity:
    """Register an organisation, formal or not (inclusive principle, 4.1 d.3).

    When names like this one are already registered, the person must say that
    theirs is a different organisation, so duplicates stay rare. The entity
    belongs to no network yet, so no facilitator's neutrality is at stake.
    """
    _require_verified(by)
    require_perm(
        by,
        "members.register_entity",
        None,
        _("Please verify your email address first: nothing has been changed."),
    )
    profile = _profile(
        name=name,
        kind=kind,
        fields={
            "legally_registered": legally_registered,
            "region": region,
            "city": city,
            "website": website,
            "description": description,
        },
    )
    if not not_a_duplicate and similar_entities(profile["name"]):
        raise DomainError(
            _(
                "Organisations with a similar name are already registered. If yours is a "
                "different one, confirm it and continue."
            )
        )
    entity = Entity.objects.create(
        slug=_unique_slug(profile["name"]), created_by=person_or_none(by), **profile
    )
    entity.priority_areas.set(priority_areas)
    return entity


@transaction.atomic
def update_entity_profile(
    *, entity: Entity, by: Actor, name: str, kind: str, **fields: Any
) -> Entity:
    """Representatives and alternates keep their entity's public profile up to date.

    The profile is one for every network the entity belongs to, so a facilitator
    of any of those networks may not edit it (section 4.2 a): it would speak for
    the entity there.
    """
    for network in Network.objects.filter(pk__in=live_network_ids(entity)).order_by("pk"):
        refuse_facilitator(by, network)
    require_perm(
        by,
        "members.edit_entity",
        entity,
        _("Only the entity's representative or alternate may edit its profile."),
    )
    areas = fields.pop("priority_areas", None)
    unknown = set(fields) - {"legally_registered", "region", "city", "website", "description"}
    if unknown:
        raise TypeError(f"update_entity_profile() got unexpected fields: {sorted(unknown)}")
    for field_name, value in _profile(name=name, kind=kind, fields=fields).items():
        setattr(entity, field_name, value)
    entity.save()
    if areas is not None:
        entity.priority_areas.set(areas)
    return entity


@transaction.atomic
def apply_for_membership(
    *,
    network: Network,
    entity: Entity | None,
    platform: Platform | None,
    by: Actor,
    charter_version: CharterVersion | None = None,
    accept_charter: bool = False,
    alternate_email: str = "",
    commission: Model | None = None,
    proposed_commission_name: str = "",
    proposed_commission_purpose: str = "",
) -> Membership:
    """An entity asks to join a network, accepting its charter (sections 4.1 d.1 and 4.1 d.3).

    The applicant becomes the representative; the alternate, if named, is sent
    an invitation to accept (nobody is given a post without consenting). The
    membership is applied until a facilitator approves it, or active at once
    where the network's membership is open; where the network asks for it
    (footnote 16), the commission chosen is joined or proposed on approval. A
    facilitator of the network does not apply for an entity there (4.2 a).
    """
    entity, platform = _check_applicant(by, network=network, entity=entity, platform=platform)
    charter = _charter_accepted(network, accept=accept_charter, version=charter_version)
    alternate_email = _alternate_address(alternate_email, by=by)
    proposed_commission_name, proposed_commission_purpose = _proposal(
        proposed_commission_name, proposed_commission_purpose
    )
    with network_scope(network):
        choice = _commission_chosen(
            network, commission, proposed_commission_name, proposed_commission_purpose
        )
        membership = _write_application(
            network=network, entity=entity, platform=platform, charter=charter, choice=choice, by=by
        )
        if alternate_email:
            _invite(membership, InvitationRole.ALTERNATE, alternate_email, by=by)
        if membership.status == MembershipStatus.ACTIVE:
            _carry_out_commission_choice_now(membership)
        else:
            _tell_the_facilitators(membership)
    forget_roles(by)
    return membership


def _check_applicant(
    by: Actor, *, network: Network, entity: Entity | None, platform: Platform | None
) -> tuple[Entity, Platform]:
    """A verified person who speaks for the entity, not facilitating here, picks a platform.

    Returns the entity and the platform, now known to be there.
    """
    require_person(by, _("An entity applies through a person, who becomes its representative."))
    _require_verified(by)
    refuse_facilitator(by, network)
    require_perm(by, "members.apply", network, _("You may not apply to this network."))
    if entity is None or not acts_for_entity(by, entity):
        raise DomainError(
            _("You do not represent %(entity)s: its representative can name you as its alternate.")
            % {"entity": entity}
        )
    if platform is None or platform.network_id != network.pk:
        raise DomainError(_("Choose one of this network's platforms."))
    return entity, platform


def _charter_accepted(
    network: Network, *, accept: bool, version: CharterVersion | None
) -> CharterVersion | None:
    """The charter the applicant accepted: the current one, read as it is now (or None)."""
    charter = current_charter(network)
    if charter is None:
        return None
    if not accept:
        raise DomainError(_("Please read and accept the network's commitment and code of ethics."))
    if version is None or version.pk != charter.pk:
        raise DomainError(
            _(
                "The network published a new version of its charter while you were "
                "reading: please read it and accept it again."
            )
        )
    return charter


def _alternate_address(email: str | None, *, by: Actor) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    email = _clean_email(email)
    if email == by.email.lower():
        raise DomainError(_("The alternate must be a different person from the representative."))
    return email


def _proposal(name: str, purpose: str) -> tuple[str, str]:
    """The name and purpose of a commission proposed on joining, as typed, cleaned."""
    name = checked_line(
        name,
        label=_("The name of the commission"),
        max_length=Membership._meta.get_field("pending_commission_name").max_length,
    )
    purpose = checked_text(
        purpose,
        label=_("The purpose of the commission"),
        max_length=Membership.PROPOSED_PURPOSE_MAX_LENGTH,
    )
    return name, purpose


def _commission_chosen(
    network: Network, commission: Model | None, name: str, purpose: str
) -> tuple[Model | None, str, str]:
    """(commission, proposed name, proposed purpose), checked where the network asks for one."""
    if not network.commission_on_joining:
        return None, "", ""
    commission_choice().check_choice(network=network, commission=commission, proposed_name=name)
    if commission is not None:
        return commission, "", ""
    return None, name, purpose


def _write_application(
    *,
    network: Network,
    entity: Entity,
    platform: Platform,
    charter: CharterVersion | None,
    choice: tuple[Model | None, str, str],
    by: Actor,
) -> Membership:
    """The entity's membership, new or coming back, applied (or active in an open network)."""
    now = timezone.now()
    existing = Membership.objects.select_for_update().filter(entity=entity).first()
    if existing is not None and existing.status in LIVE_STATUSES:
        raise DomainError(
            _("%(entity)s has already applied to %(network)s: its membership is %(status)s.")
            % {
                "entity": entity,
                "network": network,
                "status": MembershipStatus(existing.status).label.lower(),
            }
        )
    status = (
        MembershipStatus.ACTIVE
        if network.membership_approval == MembershipApproval.OPEN
        else MembershipStatus.APPLIED
    )
    membership = existing or Membership(network=network, entity=entity)
    previous = existing.status if existing else None
    membership.platform = platform
    membership.status = status
    membership.status_reason = ""
    membership.status_changed_at = now
    membership.applied_at = now
    membership.joined_at = now if status == MembershipStatus.ACTIVE else None
    membership.left_at = None
    membership.representative = by
    membership.alternate = None
    membership.charter_version = charter
    membership.charter_accepted_at = now if charter else None
    (
        membership.pending_commission,
        membership.pending_commission_name,
        membership.pending_commission_purpose,
    ) = choice  # type: ignore[assignment]  # a Commission, which members may not import
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Another application for this entity arrived at the same moment.
        raise DomainError(
            _("%(entity)s has already applied to %(network)s.")
            % {"entity": entity, "network": network}
        ) from None
    record_change(
        network=network,
        subject=membership,
        action=MembershipAction.APPLIED,
        by=by,
        changes={
            "status": [previous, status],
            "charter_version": charter.version if charter else None,
        },
    )
    return membership


def _carry_out_commission_choice_now(membership: Membership) -> None:
    """In an open network the commission choice is carried out with the application."""
    if commission_choice().carry_out_choice(membership):
        _forget_commission_choice(membership)


def _tell_the_facilitators(membership: Membership) -> None:
    network = membership.network
    queue_notifications(
        Notification(
            network=network,
            recipient_id=facilitator_id,
            kind=MembershipNotice.APPLIED,
            key=f"{MembershipNotice.APPLIED}:{membership.pk}:{membership.applied_at.timestamp()}",
            context={"entity": membership.entity.name, "network": network.name},
            # The application itself, on the facilitator's pages (named, not imported).
            link=reverse(
                "facilitation:membership",
                kwargs={"network_slug": network.slug, "membership_id": membership.pk},
            ),
        )
        for facilitator_id in sorted(facilitator_ids_by_network([network.pk])[network.pk])
    )


@transaction.atomic
def accept_current_charter(
    *, membership: Membership, charter_version: CharterVersion | None, by: Actor
) -> Membership:
    """Accept the network's current commitment and code of ethics (version and moment kept).

    The entity's own people accept; a facilitator of the network never does (4.2 a).
    """
    refuse_facilitator(by, membership.network)
    require_perm(
        by,
        "members.manage_membership",
        membership,
        _("Only the entity's representative or alternate may do this."),
    )
    charter = current_charter(membership.network)
    if charter is None or charter_version is None or charter_version.pk != charter.pk:
        raise DomainError(
            _(
                "The network published a new version of its charter while you were "
                "reading: please read it and accept it again."
            )
        )
    with network_scope(membership.network):
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.charter_version_id == charter.pk:
            raise DomainError(_("Your entity has already accepted this version of the charter."))
        previous = locked.charter_version.version if locked.charter_version else None
        locked.charter_version = charter
        locked.charter_accepted_at = timezone.now()
        locked.save(update_fields=["charter_version", "charter_accepted_at"])
        record_change(
            network=locked.network,
            subject=locked,
            action=MembershipAction.CHARTER_ACCEPTED,
            by=by,
            changes={"charter_version": [previous, charter.version]},
        )
    membership.refresh_from_db()
    return membership


def _invite(membership: Membership, role: str, email: str, *, by: Actor) -> Invitation:
    """Invite someone to a post, account or not; a newer invitation replaces the older one."""
    now = timezone.now()
    Invitation.objects.filter(
        membership=membership, role=role, used_at__isnull=True, replaced_at__isnull=True
    ).update(replaced_at=now)
    invitation = Invitation.objects.create(
        network=membership.network,
        membership=membership,
        role=role,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=person_or_none(by),
        created_at=now,
        expires_at=now + timedelta(days=Invitation.VALID_FOR_DAYS),
    )
    # Written to the mail outbox in this transaction: the invitation and its mail commit together.
    _mail_invitation(invitation, membership)
    return invitation


def _mail_invitation(invitation: Invitation, membership: Membership) -> None:
    # Whether the invitee has an account is not told to the inviter, nor used here:
    # everyone invited gets the same mail, in the network's language.
    network = membership.network
    with translation.override(network.default_language):
        url = settings.SITE_URL + reverse(
            "workspace:invitation", kwargs={"token": invitation.token}
        )
        context = {
            "entity": membership.entity.name,
            "network": network.name,
            "role": invitation.get_role_display().lower(),
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "url": url,
            "expires_on": formats.date_format(
                timezone.localtime(invitation.expires_at, network.zone), "DATE_FORMAT"
            ),
        }
        subject = _("%(entity)s invites you to be its %(role)s in %(network)s") % context
        body = render_to_string("members/invitation_email.txt", context)
    outbox.enqueue([email_message(subject=subject, body=body, to=[invitation.email])])


@transaction.atomic
def name_representative_or_alternate(
    *, membership: Membership, role: str, email: str | None, by: Actor
) -> Invitation | None:
    """Invite someone to be the entity's representative or alternate (4.1 d.1), or
    leave the alternate post empty.

    Naming always sends an invitation, whether or not the address has an account:
    nobody is given a post without accepting it, and the answer tells nothing about
    who has an account. The entity's own people name them, or a site admin; a
    facilitator of the network does not (section 4.2 a). Returns the invitation
    sent, or None when the alternate post was left empty.
    """
    _require_verified(by)
    refuse_facilitator(by, membership.network)
    require_perm(
        by,
        "members.manage_membership",
        membership,
        _("Only the entity's representative or alternate may do this."),
    )
    if role not in InvitationRole.values:
        raise DomainError(_("Choose the representative or the alternate."))
    email = (email or "").strip()
    with network_scope(membership.network):
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        representative, alternate = locked.representative, locked.alternate
        if not email:
            if role == InvitationRole.REPRESENTATIVE:
                raise DomainError(_("An entity needs a representative."))
            _place_people(locked, representative=representative, alternate=None, by=by)
            membership.refresh_from_db()
            return None
        email = _clean_email(email)
        holder = representative if role == InvitationRole.REPRESENTATIVE else alternate
        if holder is not None and holder.email.lower() == email:
            raise DomainError(_("%(email)s already holds this post.") % {"email": email})
        if (
            role == InvitationRole.ALTERNATE
            and representative
            and representative.email.lower() == email
        ):
            raise DomainError(
                _("The alternate must be a different person from the representative.")
            )
        return _invite(locked, role, email, by=by)


def invitation_refusal(invitation: Invitation, user: Actor) -> str | None:
    """Why this person cannot accept this invitation now, or None if they can."""
    network = invitation.network
    if invitation.used_at is not None:
        return _("This invitation has already been used.")
    if invitation.replaced_at is not None:
        return _("A newer invitation replaced this one: please use the link of the latest mail.")
    if invitation.expires_at <= timezone.now():
        return _(
            "This invitation expired on %(date)s: ask the entity's representative to send a "
            "new one."
        ) % {
            "date": formats.date_format(
                timezone.localtime(invitation.expires_at, network.zone), "DATE_FORMAT"
            )
        }
    if not is_invitee(user, invitation):
        return _(
            "This invitation was sent to another email address. Log in with the address that "
            "received it to accept it."
        )
    if _facilitates(user, network):
        return _(
            "You facilitate %(network)s: a facilitator stays neutral and is never the "
            "representative or alternate of an entity there. Hand the facilitation over first, "
            "or let someone else accept."
        ) % {"network": network}
    return None


@transaction.atomic
def accept_invitation(*, invitation: Invitation, by: Actor) -> Membership:
    """The invited person takes the post (representative or alternate) they were invited to.

    Accepting is the person's own consent: nobody else accepts for them, and a
    facilitator of the network cannot take a post there (section 4.2 a).
    """
    require_person(by, _("Only the person invited accepts an invitation."))
    _require_verified(by)
    network = invitation.network
    with network_scope(network):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        refusal = invitation_refusal(locked, by)
        if refusal:
            raise DomainError(refusal)
        require_perm(
            by,
            "members.accept_invitation",
            locked,
            _("Only the person invited accepts an invitation."),
        )
        membership = (
            Membership.objects.select_for_update()
            .select_related("entity")
            .get(pk=locked.membership_id)
        )
        if membership.status not in LIVE_STATUSES:
            raise DomainError(
                _("%(entity)s is no longer a member of %(network)s, so this invitation has ended.")
                % {"entity": membership.entity, "network": network}
            )
        representative, alternate = membership.representative, membership.alternate
        if locked.role == InvitationRole.REPRESENTATIVE:
            if representative is not None and representative.pk == by.pk:
                raise DomainError(_("You already are the representative of this entity."))
            # The alternate who becomes representative leaves the alternate post empty.
            keep = None if alternate is not None and alternate.pk == by.pk else alternate
            _place_people(membership, representative=by, alternate=keep, by=by)
        else:
            if representative is not None and representative.pk == by.pk:
                raise DomainError(
                    _(
                        "You are the representative of this entity: the alternate must be "
                        "someone else."
                    )
                )
            if alternate is not None and alternate.pk == by.pk:
                raise DomainError(_("You already are the alternate of this entity."))
            _place_people(membership, representative=representative, alternate=by, by=by)
        locked.used_at = timezone.now()
        locked.used_by = by
        locked.save(update_fields=["used_at", "used_by"])
    forget_roles(by)
    return membership


@transaction.atomic
def assign_interlocutor(
    *, network: Network, entity: Entity, by: Actor, reason: str = ""
) -> Interlocutor:
    """Make a member entity the regional interlocutor, replacing the current one (4.2 c, 6.4)."""
    require_perm(
        by,
        "networks.assign_interlocutor",
        network,
        _("Only a facilitator of this network or a site admin assigns its interlocutor."),
    )
    reason = checked_text(reason, label=_("The reason"), max_length=REASON_MAX_LENGTH)
    # A regional network and the provincial or municipal ones under it (section 6.5).
    if network.kind == NetworkKind.NATIONAL:
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
            action=InterlocutorAction.ASSIGNED,
            by=by,
            changes={"entity": [current.entity_id if current else None, entity.pk]},
            reason=reason,
        )
    return interlocutor


@transaction.atomic
def choose_mail(*, by: Actor, default: str, per_network: Mapping[Network, str]) -> None:
    """A person's own choice of mail: a default, and one for each network that speaks to them.

    `per_network` maps networks to a `NotificationPreference`; a network not
    named keeps its choice. Only the person themselves chooses: nobody else's
    account is ever touched here.
    """
    require_person(by, _("Only you choose how you get mail."))
    allowed = set(NotificationPreference.values)
    if default not in allowed or any(value not in allowed for value in per_network.values()):
        raise DomainError(_("Choose one of the ways to get mail offered."))
    by.notification_preference = default
    by.save(update_fields=["notification_preference"])
    for network, preference in per_network.items():
        _choose_mail_from(by, network, preference)


def _choose_mail_from(user: User, network: Network, preference: str) -> None:
    with network_scope(network):
        NotificationSetting.objects.update_or_create(
            user=user,
            network=network,
            defaults={"preference": preference, "changed_at": timezone.now()},
        )


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, Network]:
    """The one-click link of a mail: no more mail from its network for its person (RFC 8058).

    The signed token is the whole authority, so it works without a session;
    the person turns mail on again in their settings. Returns (person, network).
    """
    ids = read_unsubscribe_token(token)
    if ids is None:
        raise DomainError(_("This link is not valid. Choose your mail in your settings instead."))
    user = User.objects.filter(pk=ids[0], is_active=True).first()
    network = Network.objects.filter(pk=ids[1]).first()
    if user is None or network is None:
        raise DomainError(_("This link is not valid. Choose your mail in your settings instead."))
    _choose_mail_from(user, network, NotificationPreference.NEVER)
    return user, network


# Entities brought in from a network's own spreadsheet ------------------------------


def checked_profile(*, name: str, kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """An entity's public profile cleaned and checked as registration does, for other doors."""
    return _profile(name=name, kind=kind, fields=fields)


def checked_email(email: str | None) -> str:
    """A typed email address, lower case, or a readable refusal."""
    return _clean_email(email)


@transaction.atomic
def add_member_entity(
    *,
    network: Network,
    platform: Platform | None,
    by: Actor,
    entity: Entity | None = None,
    profile: Mapping[str, Any] | None = None,
    joined_at: datetime | None = None,
    contact_email: str = "",
    source: str = "",
) -> Membership:
    """Bring in an entity that is already a member of the network outside Tejido.

    Either a new entity with `profile` (cleaned as registration cleans it) or an
    `entity` already registered. Whoever runs the network decides on memberships
    (section 4.2 a): the membership is written applied and approved through
    `change_membership_status`, so approval's rules and history hold, with `by` as
    the actor. The contact named is invited to be the representative and takes the
    post only by accepting it (nobody is given a post without consenting); the
    facilitator takes none.
    """
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only a facilitator of this network or a site admin decides on its memberships."),
    )
    if platform is None or platform.network_id != network.pk:
        raise DomainError(_("Choose one of this network's platforms."))
    contact_email = _clean_email(contact_email) if contact_email else ""
    with network_scope(network):
        existing = None
        if entity is not None:
            existing = Membership.objects.select_for_update().filter(entity=entity).first()
            if existing is not None and existing.status != MembershipStatus.LEFT:
                raise DomainError(
                    _("%(entity)s is already in this network: its membership is %(status)s.")
                    % {
                        "entity": entity.name,
                        "status": MembershipStatus(existing.status).label.lower(),
                    }
                )
        else:
            profile = _profile(
                name=(profile or {}).get("name", ""),
                kind=(profile or {}).get("kind", ""),
                fields={
                    key: value
                    for key, value in (profile or {}).items()
                    if key not in {"name", "kind"}
                },
            )
            entity = Entity.objects.create(
                slug=_unique_slug(profile["name"]), created_by=person_or_none(by), **profile
            )
        if existing is not None:
            existing.platform = platform
            existing.save(update_fields=["platform"])
            membership = existing
        else:
            membership = Membership.objects.create(
                network=network,
                entity=entity,
                platform=platform,
                status=MembershipStatus.APPLIED,
                joined_at=joined_at,
            )
            record_change(
                network=network,
                subject=membership,
                action=MembershipAction.CREATED,
                by=by,
                changes={"status": [None, MembershipStatus.APPLIED], "source": source},
            )
        membership = change_membership_status(
            membership=membership, status=MembershipStatus.ACTIVE, by=by
        )
        if contact_email:
            _invite(membership, InvitationRole.REPRESENTATIVE, contact_email, by=by)
    return membership


@transaction.atomic
def invite_prospect(
    *,
    network: Network,
    email: str,
    name: str,
    by: Actor,
    registered: bool = False,
    key: str | None = None,
) -> int:
    """Invite an organisation that is not a member to register in Tejido and apply.

    A prospect is not a member: nothing is created for it and nobody is given a
    post; the mail, in the network's language, leads to the network's page for
    applying, where registration checks for duplicates as always. Whoever runs
    the network invites. `key` makes a second invitation under it count for nothing.
    """
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only a facilitator of this network or a site admin invites organisations to it."),
    )
    email = _clean_email(email)
    with translation.override(network.default_language):
        context = {
            "entity": name,
            "registered": registered,
            "network": network.name,
            "inviter": by.get_full_name() if not is_system(by) and by is not None else "",
            "url": settings.SITE_URL
            + reverse("members:apply", kwargs={"network_slug": network.slug}),
        }
        subject = _("%(network)s invites %(entity)s to join the network") % context
        body = render_to_string("members/prospect_invitation_email.txt", context)
    return outbox.enqueue([email_message(subject=subject, body=body, to=[email])], keys=[key])
