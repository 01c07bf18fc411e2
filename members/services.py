import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.models import (
    Entity,
    Invitation,
    InvitationRole,
    Membership,
    MembershipStatus,
    Notification,
    User,
)
from members.notifications import facilitator_ids_by_network, queue_notifications
from members.rules import has_verified_email
from members.selectors import LIVE_STATUSES, represents_entity, similar_entities
from networks.errors import DomainError
from networks.models import MembershipApproval
from networks.rules import forget_roles
from networks.scoping import all_networks, network_scope
from networks.services import current_charter, record_change

logger = logging.getLogger(__name__)

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
        entry = record_change(
            network=locked.network,
            subject=locked,
            action="membership.status",
            by=by,
            changes={"status": [previous, status]},
            reason=reason,
        )
        if previous == MembershipStatus.APPLIED and status == MembershipStatus.ACTIVE:
            _carry_out_pending_commission(locked)
            _tell_the_entity(locked, "membership.approved", entry)
        elif status == MembershipStatus.REJECTED:
            _tell_the_entity(locked, "membership.rejected", entry)
    membership.refresh_from_db()
    return membership


def _tell_the_entity(membership, kind, entry):
    """The decision reaches the entity's representative and alternate (with the reason)."""
    recipients = {membership.representative_id, membership.alternate_id} - {None}
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


def _carry_out_pending_commission(membership):
    """On approval, join or propose the commission chosen when applying (footnote 16).

    The choice is the entity's, so it acts through its representative. If the
    choice can no longer be carried out (the commission closed, the name was
    taken meanwhile) the approval still stands and the choice stays on record.
    """
    from commissions.services import join_commission, propose_commission

    if membership.pending_commission_id is None and not membership.pending_commission_name:
        return
    try:
        with transaction.atomic():
            if membership.pending_commission_id is not None:
                join_commission(
                    commission=membership.pending_commission,
                    entity=membership.entity,
                    by=membership.representative,
                )
            else:
                propose_commission(
                    network=membership.network,
                    entity=membership.entity,
                    name=membership.pending_commission_name,
                    purpose=membership.pending_commission_purpose,
                    by=membership.representative,
                )
    except DomainError as error:
        logger.info("Commission choice of membership %s not carried out: %s", membership.pk, error)
        return
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


# Registration, applications, invitations ----------------------------------------


def _require_verified(user):
    if user is None or not has_verified_email(user):
        raise DomainError(_("Please verify your email address first: nothing has been changed."))


def _clean_email(email):
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("“%(email)s” is not a valid email address.") % {"email": email}
        ) from None
    return email.lower()


def _user_with_email(email):
    return User.objects.filter(email__iexact=email, is_active=True).first()


def _unique_slug(name):
    base = slugify(name)[:200] or "entidad"
    taken = set(Entity.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def register_entity(
    *,
    user,
    name,
    kind,
    legally_registered=False,
    priority_areas=(),
    region="",
    city="",
    website="",
    description="",
    not_a_duplicate=False,
):
    """Register an organisation, formal or not (inclusive principle, 4.1 d.3).

    When names like this one are already registered, the person must say that
    theirs is a different organisation, so duplicates stay rare.
    """
    _require_verified(user)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the organisation's name."))
    if not not_a_duplicate and similar_entities(name):
        raise DomainError(
            _(
                "Organisations with a similar name are already registered. If yours is a "
                "different one, confirm it and continue."
            )
        )
    entity = Entity.objects.create(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        legally_registered=legally_registered,
        region=region.strip(),
        city=city.strip(),
        website=website.strip(),
        description=description.strip(),
        created_by=user,
    )
    entity.priority_areas.set(priority_areas)
    return entity


@transaction.atomic
def update_entity_profile(*, entity, by, name, kind, **fields):
    """Representatives and alternates keep their entity's public profile up to date."""
    if not by.has_perm("members.edit_entity", entity):
        raise DomainError(_("Only the entity's representative or alternate may edit its profile."))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the organisation's name."))
    areas = fields.pop("priority_areas", None)
    entity.name = name
    entity.kind = kind
    for field_name in ("legally_registered", "region", "city", "website", "description"):
        if field_name in fields:
            value = fields[field_name]
            setattr(entity, field_name, value.strip() if isinstance(value, str) else value)
    entity.save()
    if areas is not None:
        entity.priority_areas.set(areas)
    return entity


def _check_commission_choice(network, commission, proposed_name):
    from commissions.models import Commission, CommissionState

    if commission is None and not proposed_name:
        raise DomainError(
            _(
                "This network asks every new member to join a commission or propose one: "
                "please choose one."
            )
        )
    if commission is not None and proposed_name:
        raise DomainError(_("Choose a commission to join or propose a new one, not both."))
    if commission is not None:
        if (
            commission.network_id != network.pk
            or not Commission.objects.filter(pk=commission.pk)
            .exclude(state=CommissionState.CLOSED)
            .exists()
        ):
            raise DomainError(_("Choose one of this network's open commissions."))
    elif Commission.objects.filter(name__iexact=proposed_name).exists():
        raise DomainError(
            _("This network already has a commission with that name: join it instead.")
        )


@transaction.atomic
def apply_for_membership(
    *,
    network,
    entity,
    platform,
    user,
    charter_version=None,
    accept_charter=False,
    alternate_email="",
    commission=None,
    proposed_commission_name="",
    proposed_commission_purpose="",
):
    """An entity asks to join a network, accepting its charter (sections 4.1 d.1 and 4.1 d.3).

    The applicant becomes the representative; the alternate is linked if they
    have an account and invited by email if not. The membership is applied
    until a facilitator approves it, or active at once where the network's
    membership is open; where the network asks for it (footnote 16), the
    commission chosen is joined or proposed on approval.
    """
    _require_verified(user)
    if not represents_entity(user, entity):
        raise DomainError(
            _("You do not represent %(entity)s: its representative can name you as its alternate.")
            % {"entity": entity}
        )
    if platform is None or platform.network_id != network.pk:
        raise DomainError(_("Choose one of this network's platforms."))
    charter = current_charter(network)
    if charter is not None:
        if not accept_charter:
            raise DomainError(
                _("Please read and accept the network's commitment and code of ethics.")
            )
        if charter_version is None or charter_version.pk != charter.pk:
            raise DomainError(
                _(
                    "The network published a new version of its charter while you were "
                    "reading: please read it and accept it again."
                )
            )
    alternate_email = (alternate_email or "").strip()
    if alternate_email:
        alternate_email = _clean_email(alternate_email)
        if alternate_email == user.email.lower():
            raise DomainError(
                _("The alternate must be a different person from the representative.")
            )
    proposed_commission_name = " ".join((proposed_commission_name or "").split())
    now = timezone.now()
    with network_scope(network):
        if network.commission_on_joining:
            _check_commission_choice(network, commission, proposed_commission_name)
        else:
            commission, proposed_commission_name, proposed_commission_purpose = None, "", ""
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
        alternate = _user_with_email(alternate_email) if alternate_email else None
        membership = existing or Membership(network=network, entity=entity)
        previous = existing.status if existing else None
        membership.platform = platform
        membership.status = status
        membership.status_reason = ""
        membership.status_changed_at = now
        membership.applied_at = now
        membership.joined_at = now if status == MembershipStatus.ACTIVE else None
        membership.left_at = None
        membership.representative = user
        membership.alternate = alternate
        membership.charter_version = charter
        membership.charter_accepted_at = now if charter else None
        membership.pending_commission = commission
        membership.pending_commission_name = "" if commission else proposed_commission_name
        membership.pending_commission_purpose = (
            "" if commission else (proposed_commission_purpose or "").strip()
        )
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
            action="membership.applied",
            by=user,
            changes={
                "status": [previous, status],
                "charter_version": charter.version if charter else None,
            },
        )
        if alternate_email and alternate is None:
            _invite(membership, InvitationRole.ALTERNATE, alternate_email, by=user)
        if status == MembershipStatus.ACTIVE:
            _carry_out_commission_choice_now(membership)
        else:
            _tell_the_facilitators(membership)
    forget_roles(user)
    return membership


def _carry_out_commission_choice_now(membership):
    """In an open network the commission choice is carried out with the application."""
    from commissions.services import join_commission, propose_commission

    if membership.pending_commission_id is not None:
        join_commission(
            commission=membership.pending_commission,
            entity=membership.entity,
            by=membership.representative,
        )
    elif membership.pending_commission_name:
        propose_commission(
            network=membership.network,
            entity=membership.entity,
            name=membership.pending_commission_name,
            purpose=membership.pending_commission_purpose,
            by=membership.representative,
        )
    else:
        return
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


def _tell_the_facilitators(membership):
    network = membership.network
    queue_notifications(
        Notification(
            network=network,
            recipient_id=facilitator_id,
            kind="membership.applied",
            key=f"membership.applied:{membership.pk}:{membership.applied_at.timestamp()}",
            context={"entity": membership.entity.name, "network": network.name},
            link=reverse("networks:detail", kwargs={"network_slug": network.slug}),
        )
        for facilitator_id in sorted(facilitator_ids_by_network([network.pk])[network.pk])
    )


@transaction.atomic
def accept_current_charter(*, membership, charter_version, by):
    """Accept the network's current commitment and code of ethics (version and moment kept)."""
    if not by.has_perm("members.manage_membership", membership):
        raise DomainError(_("Only the entity's representative or alternate may do this."))
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
            action="membership.charter_accepted",
            by=by,
            changes={"charter_version": [previous, charter.version]},
        )
    membership.refresh_from_db()
    return membership


def _invite(membership, role, email, *, by):
    """Invite someone without an account; a newer invitation replaces the older one."""
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
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=Invitation.VALID_FOR_DAYS),
    )
    transaction.on_commit(lambda: _mail_invitation(invitation, membership))
    return invitation


def _mail_invitation(invitation, membership):
    # The invitee has no account yet, so no language of their own: the network's.
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
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def name_representative_or_alternate(*, membership, role, email, by):
    """Change who represents the entity, by email (functional principle, 4.1 d.1).

    A person with an account takes the post at once; anyone else is invited.
    Every change goes through `set_representatives`, whose history gives the
    representative turnover of section 5.1. Returns the person linked, or the
    invitation sent.
    """
    _require_verified(by)
    if not by.has_perm("members.manage_membership", membership):
        raise DomainError(_("Only the entity's representative or alternate may do this."))
    if role not in InvitationRole.values:
        raise DomainError(_("Choose the representative or the alternate."))
    email = (email or "").strip()
    representative, alternate = membership.representative, membership.alternate
    if not email:
        if role == InvitationRole.REPRESENTATIVE:
            raise DomainError(_("An entity needs a representative."))
        set_representatives(membership=membership, representative=representative, by=by)
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
        raise DomainError(_("The alternate must be a different person from the representative."))
    person = _user_with_email(email)
    if person is None:
        return _invite(membership, role, email, by=by)
    if role == InvitationRole.REPRESENTATIVE:
        # The alternate who becomes representative leaves the alternate post empty.
        keep = None if alternate is not None and alternate.pk == person.pk else alternate
        set_representatives(membership=membership, representative=person, alternate=keep, by=by)
    else:
        set_representatives(
            membership=membership, representative=representative, alternate=person, by=by
        )
    forget_roles(by)
    return person


def invitation_by_token(token):
    """The invitation behind a link, whatever its network (the token is the secret)."""
    with all_networks():
        return (
            Invitation.objects.filter(token=token)
            .select_related("network", "membership__entity")
            .first()
        )


def invitation_refusal(invitation, user):
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
    if invitation.email.lower() != (user.email or "").lower():
        return _(
            "This invitation was sent to another email address. Log in with the address that "
            "received it to accept it."
        )
    return None


@transaction.atomic
def accept_invitation(*, invitation, user):
    """The invited person takes the post (representative or alternate) they were invited to."""
    _require_verified(user)
    network = invitation.network
    with network_scope(network):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        refusal = invitation_refusal(locked, user)
        if refusal:
            raise DomainError(refusal)
        membership = Membership.objects.select_related("entity").get(pk=locked.membership_id)
        if membership.status not in LIVE_STATUSES:
            raise DomainError(
                _("%(entity)s is no longer a member of %(network)s, so this invitation has ended.")
                % {"entity": membership.entity, "network": network}
            )
        representative, alternate = membership.representative, membership.alternate
        if locked.role == InvitationRole.REPRESENTATIVE:
            if representative is not None and representative.pk == user.pk:
                raise DomainError(_("You already are the representative of this entity."))
            keep = None if alternate is not None and alternate.pk == user.pk else alternate
            set_representatives(membership=membership, representative=user, alternate=keep, by=user)
        else:
            if representative is not None and representative.pk == user.pk:
                raise DomainError(
                    _(
                        "You are the representative of this entity: the alternate must be "
                        "someone else."
                    )
                )
            if alternate is not None and alternate.pk == user.pk:
                raise DomainError(_("You already are the alternate of this entity."))
            set_representatives(
                membership=membership, representative=representative, alternate=user, by=user
            )
        locked.used_at = timezone.now()
        locked.used_by = user
        locked.save(update_fields=["used_at", "used_by"])
    forget_roles(user)
    return membership
