"""The life of a commission: proposing, joining, promoting, reporting, closing, reopening.

Every rule of sections 4.2 b and 4.3 b that software can hold lives here:
pages, the API and jobs call these functions and re-implement none of them.

Every function takes the acting person as `by` (`core.actors.SYSTEM` for
jobs and commands) and decides here whether they may act: that they act for
the entity named, that they hold the role the act needs (the permission of
`commissions.rules` that the pages ask too), and, for every act of a member
entity, that they are not a facilitator of the network (4.2 a).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from django.core.files.base import File
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commissions import uploads
from commissions.history import CommissionAction
from commissions.models import (
    REOPEN_WITHIN_DAYS,
    Action,
    ActionStatus,
    ClosingReason,
    ClosingSheet,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    Follower,
    Post,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from commissions.notifications import CommissionNotice
from commissions.selectors import forget_standing
from core.actors import Actor, is_system, person_or_none
from core.dates import check_day
from core.errors import DomainError
from core.text import multi_line, single_line
from members.authority import require_acts_in_reach
from members.models import Entity, Membership, MembershipStatus, Notification
from members.notifications import (
    facilitator_ids_by_network,
    representative_ids_by_entity,
    vacancy_alert_recipient_ids_by_network,
)
from members.outbox import queue_notifications
from members.reach import memberships_in_reach
from networks.authority import refuse_facilitator, require_perm
from networks.history import record_change
from networks.models import Network
from networks.scoping import network_scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Reason = StateChange.Reason

# The most characters each typed text may hold (single lines match their columns).
NAME_LENGTH = 200
PURPOSE_LENGTH = 4000
TOPICS_LENGTH = 2000
TOPIC_TITLE_LENGTH = 200
ACTION_TITLE_LENGTH = 300
UPDATE_LENGTH = 10000
COMMENT_LENGTH = 4000
REASON_LENGTH = 2000
NOTE_LENGTH = 4000
SHEET_FIELD_LENGTH = 10000
SHEET_FIELDS = ("participants", "objectives", "methodology", "activities", "results", "evaluation")


def within_limit(text: str, *, limit: int, field: str) -> str:
    """Refuse text longer than `limit` with a message naming the field, before the database does."""
    if len(text) > limit:
        raise DomainError(
            _("%(field)s: write at most %(limit)s characters (this one has %(count)s).")
            % {"field": field, "limit": limit, "count": len(text)}
        )
    return text


def one_line(value: object, *, limit: int, field: str) -> str:
    """A name or title as typed: on one line, without control characters, within its limit."""
    return within_limit(single_line(value), limit=limit, field=field)


def free_text(value: object, *, limit: int, field: str) -> str:
    """Free text as typed: line breaks kept, other control characters removed, within its limit."""
    return within_limit(multi_line(value), limit=limit, field=field)


def _may(by: Actor, permission: str, obj: models.Model, message: "StrOrPromise") -> None:
    """The role the act needs, read afresh: the same permission the pages ask."""
    if not is_system(by) and by is not None:
        forget_standing(by)
    require_perm(by, permission, obj, message)


def _lock_active_membership(network: Network, entity: Entity) -> Membership:
    """Lock the entity's membership: it serialises every role change of that entity."""
    # An entity of a network under this one takes part too (`members.reach`).
    membership = (
        memberships_in_reach(network)
        .select_for_update()
        .filter(entity=entity)
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise DomainError(
            _("%(entity)s is not an active member of %(network)s.")
            % {"entity": entity, "network": network}
        )
    return membership


def _lock_commission(commission: Commission) -> Commission:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    if locked.state == CommissionState.CLOSED:
        raise DomainError(_("This commission is closed: its archive can be read, not changed."))
    return locked


def _transition(
    commission: Commission,
    *,
    to_state: CommissionState,
    reason: Reason,
    now: datetime,
    by: Actor,
    note: str = "",
) -> None:
    StateChange.objects.create(
        network=commission.network,
        commission=commission,
        from_state=commission.state,
        to_state=to_state,
        reason=reason,
        note=note,
        at=now,
        actor=person_or_none(by),
    )
    commission.state = to_state
    commission.state_changed_at = now


def _open_terms(commission: Commission) -> QuerySet[PromoterTerm]:
    return PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)


def _ensure_member(commission: Commission, entity: Entity, today: date) -> CommissionMember:
    member, created = CommissionMember.objects.get_or_create(
        commission=commission,
        entity=entity,
        defaults={"network": commission.network, "joined_on": today},
    )
    if not created and member.left_on is not None:
        member.left_on = None
        member.joined_on = today
        member.save(update_fields=["left_on", "joined_on"])
    # Sitting, it hears of the commission's progress: it follows it no longer.
    Follower.objects.filter(commission=commission, entity=entity, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    return member


def _check_promoter_limit(network: Network, entity: Entity) -> None:
    """No role monopoly (4.1 d.6): at most the network's number of open promoter terms."""
    held = PromoterTerm.objects.filter(entity=entity, ended_at__isnull=True).count()
    if held >= network.max_promoter_terms:
        raise DomainError(
            _(
                "%(entity)s already promotes %(count)s commissions, the most this network "
                "allows: monopolising roles is not allowed. Step down from one first."
            )
            % {"entity": entity, "count": held}
        )


@transaction.atomic
def propose_commission(
    *,
    network: Network,
    entity: Entity,
    name: str,
    by: Actor,
    purpose: str = "",
    topics: str = "",
    kind: str | None = None,
) -> Commission:
    """Any active member may propose a commission and becomes its first promoter (4.1 d.4)."""
    name = one_line(name, limit=NAME_LENGTH, field=_("The commission's name"))
    if not name:
        raise DomainError(_("Give the commission a name."))
    purpose = free_text(purpose, limit=PURPOSE_LENGTH, field=_("The purpose"))
    topics = free_text(topics, limit=TOPICS_LENGTH, field=_("The topics of interest"))
    now = timezone.now()
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        _may(by, "commissions.propose", network, _("Only member entities propose commissions."))
        _lock_active_membership(network, entity)
        _check_promoter_limit(network, entity)
        if Commission.objects.filter(name__iexact=name).exists():
            raise DomainError(_("This network already has a commission with that name."))
        commission = Commission(
            network=network,
            name=name,
            purpose=purpose,
            topics=topics,
            state=CommissionState.ACTIVE,
            state_changed_at=now,
            started_on=timezone.localdate(now, network.zone),
            last_activity_at=now,
        )
        if kind:
            commission.kind = kind
        commission.save()
        StateChange.objects.create(
            network=network,
            commission=commission,
            from_state="",
            to_state=CommissionState.ACTIVE,
            reason=Reason.PROPOSED,
            at=now,
            actor=person_or_none(by),
        )
        _ensure_member(commission, entity, commission.started_on)
        PromoterTerm.objects.create(
            network=network, commission=commission, entity=entity, started_at=now
        )
        _tell_people_of(
            commission,
            Membership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
                "entity_id", flat=True
            ),
            kind=CommissionNotice.PROPOSED,
            key=f"{CommissionNotice.PROPOSED}:{commission.pk}",
            context={
                "commission": name,
                "entity": entity.name,
                "purpose": purpose or "—",
                "network": network.name,
            },
            by=by,
        )
    return commission


def _tell_people_of(
    commission: Commission,
    entity_ids: Iterable[int],
    *,
    kind: CommissionNotice,
    key: str,
    context: dict[str, str],
    by: Actor,
    link: str | None = None,
) -> None:
    """The representatives and alternates of these entities, active members of its network.

    The person who acted is not told what they just did.
    """
    network_id = commission.network_id
    people = representative_ids_by_entity((network_id, entity_id) for entity_id in entity_ids)
    recipients = set().union(*people.values()) if people else set()
    recipients.discard(getattr(by, "pk", None))
    queue_notifications(
        Notification(
            network_id=network_id,
            recipient_id=user_id,
            kind=kind,
            key=key,
            context=context,
            link=link or commission.get_absolute_url(),
        )
        for user_id in sorted(recipients)
    )


def _following_entity_ids(commission: Commission) -> QuerySet[Follower, int]:
    """The entities following a commission today (in scope)."""
    return Follower.objects.filter(commission=commission, ended_at__isnull=True).values_list(
        "entity_id", flat=True
    )


@transaction.atomic
def follow_commission(*, commission: Commission, entity: Entity, by: Actor) -> Follower:
    """A member entity follows a commission's progress without joining it."""
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        _lock_active_membership(network, entity)
        locked = _lock_commission(commission)
        _may(by, "commissions.follow", locked, _("Only member entities follow commissions."))
        if CommissionMember.objects.filter(
            commission=locked, entity=entity, left_on__isnull=True
        ).exists():
            raise DomainError(
                _("%(entity)s sits in this commission: it hears of its progress already.")
                % {"entity": entity}
            )
        if Follower.objects.filter(
            commission=locked, entity=entity, ended_at__isnull=True
        ).exists():
            raise DomainError(_("%(entity)s already follows this commission.") % {"entity": entity})
        return Follower.objects.create(network=network, commission=locked, entity=entity)


@transaction.atomic
def unfollow_commission(*, commission: Commission, entity: Entity, by: Actor) -> Follower:
    """Stop following: the row stays, with the date."""
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        follower = (
            Follower.objects.select_for_update()
            .filter(commission=commission, entity=entity, ended_at__isnull=True)
            .first()
        )
        if follower is None:
            raise DomainError(_("%(entity)s does not follow this commission.") % {"entity": entity})
        follower.ended_at = timezone.now()
        follower.save(update_fields=["ended_at"])
        return follower


@transaction.atomic
def join_commission(*, commission: Commission, entity: Entity, by: Actor) -> CommissionMember:
    """Any active member entity may sit in any open commission (participatory principle)."""
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        _lock_active_membership(network, entity)
        locked = _lock_commission(commission)
        _may(by, "commissions.join", locked, _("Only member entities join commissions."))
        if CommissionMember.objects.filter(
            commission=locked, entity=entity, left_on__isnull=True
        ).exists():
            raise DomainError(_("%(entity)s already sits in this commission.") % {"entity": entity})
        return _ensure_member(locked, entity, timezone.localdate(timezone.now(), network.zone))


@transaction.atomic
def leave_commission(
    *, commission: Commission, entity: Entity, by: Actor, reason: str = ""
) -> CommissionMember:
    """Leave a commission; a promoter that leaves steps down first, which may leave it vacant."""
    network = commission.network
    reason = free_text(reason, limit=REASON_LENGTH, field=_("The reason"))
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        locked = _lock_commission(commission)
        _may(
            by,
            "commissions.leave",
            locked,
            _("Only entities sitting in the commission may leave it."),
        )
        member = CommissionMember.objects.filter(
            commission=locked, entity=entity, left_on__isnull=True
        ).first()
        if member is None:
            raise DomainError(_("%(entity)s does not sit in this commission.") % {"entity": entity})
        term = _open_terms(locked).filter(entity=entity).first()
        if term is not None:
            _end_term(locked, term, by=by, reason=reason or _("Left the commission."))
        member.left_on = timezone.localdate(timezone.now(), network.zone)
        member.save(update_fields=["left_on"])
    commission.refresh_from_db()
    return member


@transaction.atomic
def step_up_as_promoter(*, commission: Commission, entity: Entity, by: Actor) -> PromoterTerm:
    """Any member entity may take up the promoter role at any moment (4.1 d.6, 4.2 b)."""
    network = commission.network
    now = timezone.now()
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        _lock_active_membership(network, entity)
        locked = _lock_commission(commission)
        _may(by, "commissions.promote", locked, _("Only member entities promote commissions."))
        if _open_terms(locked).filter(entity=entity).exists():
            raise DomainError(
                _("%(entity)s already promotes this commission.") % {"entity": entity}
            )
        _check_promoter_limit(network, entity)
        _ensure_member(locked, entity, timezone.localdate(now, network.zone))
        term = PromoterTerm.objects.create(
            network=network, commission=locked, entity=entity, started_at=now
        )
        if locked.state == CommissionState.VACANT:
            _transition(
                locked,
                to_state=CommissionState.ACTIVE,
                reason=Reason.PROMOTER_STEPPED_UP,
                now=now,
                by=by,
            )
            locked.vacant_since = None
            locked.last_activity_at = now
            locked.save()
    commission.refresh_from_db()
    return term


@transaction.atomic
def step_down_as_promoter(*, term: PromoterTerm, by: Actor, reason: str) -> PromoterTerm:
    """A promoter may abandon the role at any moment, with a reason (4.2 b)."""
    reason = free_text(reason, limit=REASON_LENGTH, field=_("The reason"))
    if not reason:
        raise DomainError(_("Please say why your entity steps down, for the other members."))
    network = term.network
    with network_scope(network):
        require_acts_in_reach(by, term.entity, network)
        refuse_facilitator(by, network)
        locked = _lock_commission(term.commission)
        _may(
            by,
            "commissions.step_down",
            locked,
            _("Only the commission's promoters may step down from it."),
        )
        term = PromoterTerm.objects.select_for_update().get(pk=term.pk)
        if term.ended_at is not None:
            raise DomainError(_("This promoter term has already ended."))
        _end_term(locked, term, by=by, reason=reason)
    term.commission.refresh_from_db()
    return term


def _end_term(commission: Commission, term: PromoterTerm, *, by: Actor, reason: str) -> None:
    now = timezone.now()
    term.ended_at = now
    term.end_reason = reason
    term.save(update_fields=["ended_at", "end_reason"])
    if _open_terms(commission).exists():
        return
    _transition(
        commission,
        to_state=CommissionState.VACANT,
        reason=Reason.LAST_PROMOTER_LEFT,
        now=now,
        by=by,
        note=reason,
    )
    _make_vacant(commission, now=now)


def _make_vacant(commission: Commission, *, now: datetime) -> None:
    """No promoter: the grace period starts, the facilitator and the members are called (4.2 b)."""
    commission.vacant_since = now
    commission.save()
    _announce_vacancies([commission])


def _announce_vacancies(commissions: Sequence[Commission]) -> None:
    """Ask the facilitator to invite promoters, and call every member to step up (4.2 b)."""
    commission_ids = [commission.pk for commission in commissions]
    members = list(
        CommissionMember.objects.filter(
            commission_id__in=commission_ids, left_on__isnull=True
        ).values_list("commission_id", "network_id", "entity_id")
    )
    representatives = representative_ids_by_entity(
        (network_id, entity_id) for _c, network_id, entity_id in members
    )
    # The facilitators, and the interlocutor where the network gives it vacancy alerts.
    facilitators = vacancy_alert_recipient_ids_by_network(
        commission.network_id for commission in commissions
    )
    notifications = []
    for commission in commissions:
        context = {
            "commission": commission.name,
            "closes_on": commission.closes_on.isoformat(),
        }
        # Each was made vacant by the caller, just now.
        vacant_since = cast(datetime, commission.vacant_since)
        key = f"{commission.pk}:{vacant_since.isoformat()}"
        link = commission.get_absolute_url()
        for user_id in facilitators[commission.network_id]:
            notifications.append(
                Notification(
                    network_id=commission.network_id,
                    recipient_id=user_id,
                    kind=CommissionNotice.VACANT,
                    key=f"commission.vacant:{key}",
                    context=context,
                    link=link,
                )
            )
        called = set()
        for commission_id, network_id, entity_id in members:
            if commission_id == commission.pk:
                called |= representatives[network_id, entity_id]
        for user_id in called - facilitators[commission.network_id]:
            notifications.append(
                Notification(
                    network_id=commission.network_id,
                    recipient_id=user_id,
                    kind=CommissionNotice.CALL_FOR_PROMOTERS,
                    key=f"commission.call_for_promoters:{key}",
                    context=context,
                    link=link,
                )
            )
    queue_notifications(notifications)


def _tell_members_and_facilitators(
    commission: Commission,
    *,
    kind: CommissionNotice,
    key: str,
    context: dict[str, str],
    by: Actor,
) -> None:
    """One notification for the people of every entity sitting in it and for its facilitators.

    Built from this commission's own rows in this network: an entity that left
    the commission, or whose membership is not active, hears nothing; the person
    who acted is not told what they just did.
    """
    sitting = CommissionMember.objects.filter(
        commission=commission, left_on__isnull=True
    ).values_list("entity_id", flat=True)
    network_id = commission.network_id
    people = representative_ids_by_entity((network_id, entity_id) for entity_id in sitting)
    recipients = (
        set().union(*people.values()) | facilitator_ids_by_network([network_id])[network_id]
    )
    recipients.discard(getattr(by, "pk", None))
    link = commission.get_absolute_url()
    queue_notifications(
        Notification(
            network_id=network_id,
            recipient_id=user_id,
            kind=kind,
            key=f"{kind}:{key}",
            context=context,
            link=link,
        )
        for user_id in sorted(recipients)
    )


def _record_activity(commission: Commission, *, now: datetime, by: Actor) -> None:
    """New activity restarts the stall clock and wakes a stalled commission (4.2 b)."""
    commission.last_activity_at = now
    if commission.state == CommissionState.STALLED:
        _transition(
            commission, to_state=CommissionState.ACTIVE, reason=Reason.ACTIVITY, now=now, by=by
        )
    commission.save()


def _require_promoter(commission: Commission, entity: Entity) -> None:
    if not _open_terms(commission).filter(entity=entity).exists():
        raise DomainError(_("Only the commission's promoters may do this."))


def _require_member(commission: Commission, entity: Entity) -> None:
    if not CommissionMember.objects.filter(
        commission=commission, entity=entity, left_on__isnull=True
    ).exists():
        raise DomainError(_("Only entities sitting in the commission may do this."))


@transaction.atomic
def post_progress_update(
    *,
    commission: Commission,
    entity: Entity,
    by: Actor,
    text: str,
    image: File | None = None,
    attachment: File | None = None,
    actions: Iterable[Action] = (),
) -> ProgressUpdate:
    """Promoters report the commission's progress to the other members (4.2 b)."""
    text = free_text(text, limit=UPDATE_LENGTH, field=_("The update"))
    if not text:
        raise DomainError(_("Write what the commission has done."))
    image = uploads.clean_image(image) if image else None
    attachment = uploads.check_attachment(attachment) if attachment else None
    now = timezone.now()
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        locked = _lock_commission(commission)
        _may(
            by,
            "commissions.post_update",
            locked,
            _("Only the commission's promoters post progress updates."),
        )
        _require_promoter(locked, entity)
        action_ids = {action.pk for action in actions}
        if action_ids and Action.objects.filter(
            pk__in=action_ids, commission=locked
        ).count() != len(action_ids):
            raise DomainError(_("Link only actions of this commission."))
        update = ProgressUpdate.objects.create(
            network=locked.network,
            commission=locked,
            entity=entity,
            author=person_or_none(by),
            text=text,
            image=image or "",
            attachment=attachment or "",
            attachment_name=attachment.display_name if attachment else "",
            created_at=now,
        )
        if action_ids:
            update.actions.set(action_ids)
        _record_activity(locked, now=now, by=by)
        sitting = CommissionMember.objects.filter(
            commission=locked, left_on__isnull=True
        ).values_list("entity_id", flat=True)
        _tell_people_of(
            locked,
            {*sitting, *_following_entity_ids(locked)},
            kind=CommissionNotice.UPDATE_POSTED,
            key=f"{CommissionNotice.UPDATE_POSTED}:{update.pk}",
            context={"commission": locked.name, "entity": entity.name, "text": text},
            by=by,
            link=f"{locked.get_absolute_url()}#update-{update.pk}",
        )
    commission.refresh_from_db()
    return update


@transaction.atomic
def comment_on_update(*, update: ProgressUpdate, entity: Entity, by: Actor, text: str) -> Comment:
    """Entities sitting in the commission comment on its progress."""
    text = free_text(text, limit=COMMENT_LENGTH, field=_("The comment"))
    if not text:
        raise DomainError(_("The comment is empty."))
    network = update.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        locked = _lock_commission(update.commission)
        _may(
            by,
            "commissions.comment",
            locked,
            _("Only entities sitting in the commission comment on its progress."),
        )
        _require_member(locked, entity)
        return Comment.objects.create(
            network=network, update=update, entity=entity, author=person_or_none(by), text=text
        )


@transaction.atomic
def post_to_conversation(
    *, commission: Commission, entity: Entity, by: Actor, text: str, parent: Post | None = None
) -> Post:
    """An entity sitting in the commission posts to its conversation, or replies to a post."""
    text = free_text(text, limit=Post.TEXT_MAX_LENGTH, field=_("The message"))
    if not text:
        raise DomainError(_("The message is empty."))
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        locked = _lock_commission(commission)
        _may(
            by,
            "commissions.comment",
            locked,
            _("Only entities sitting in the commission take part in its conversation."),
        )
        _require_member(locked, entity)
        if parent is not None:
            if parent.commission_id != locked.pk or not parent.is_shown:
                raise DomainError(_("That message cannot be answered here."))
            # One level of replies: an answer to a reply joins the same thread.
            parent = parent.parent or parent
        post = Post.objects.create(
            network=network,
            commission=locked,
            parent=parent,
            entity=entity,
            author=person_or_none(by),
            text=text,
        )
        _record_activity(locked, now=post.created_at, by=by)
    return post


def _lock_own_post(post: Post, by: Actor) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if by is None or not getattr(by, "is_authenticated", False) or locked.author_id != by.pk:
        raise DomainError(_("Only its author may change a message."))
    if not locked.is_shown:
        raise DomainError(_("This message was withdrawn or hidden: it can no longer change."))
    return locked


@transaction.atomic
def edit_post(*, post: Post, by: Actor, text: str) -> Post:
    """Its author corrects a message; the conversation shows that it was edited."""
    text = free_text(text, limit=Post.TEXT_MAX_LENGTH, field=_("The message"))
    if not text:
        raise DomainError(_("The message is empty."))
    with network_scope(post.network):
        locked = _lock_own_post(post, by)
        if not locked.commission.is_open:
            raise DomainError(_("This commission is closed: its conversation is read-only."))
        locked.text = text
        locked.edited_at = timezone.now()
        locked.save(update_fields=["text", "edited_at"])
    return locked


@transaction.atomic
def withdraw_post(*, post: Post, by: Actor) -> Post:
    """Its author withdraws a message: the conversation says so; the row stays."""
    with network_scope(post.network):
        locked = _lock_own_post(post, by)
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
    return locked


@transaction.atomic
def hide_post(*, post: Post, by: Actor, reason: str) -> Post:
    """The facilitator hides a message, saying why; the text is kept, not deleted."""
    reason = free_text(reason, limit=REASON_LENGTH, field=_("The reason"))
    if not reason:
        raise DomainError(_("Say why the message is hidden."))
    network = post.network
    with network_scope(network):
        require_perm(
            by,
            "networks.run_network",
            network,
            _("Only the network's facilitator hides a message."),
        )
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.hidden_at is not None:
            raise DomainError(_("This message is hidden already."))
        locked.hidden_at = timezone.now()
        locked.hidden_by = person_or_none(by)
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return locked


def _authorise_planning(by: Actor, entity: Entity, commission: Commission) -> Commission:
    """Only a promoter, acting for that promoter entity, changes the work plan (6.2 b)."""
    network = commission.network
    require_acts_in_reach(by, entity, network)
    refuse_facilitator(by, network)
    locked = _lock_commission(commission)
    _may(
        by,
        "commissions.plan",
        locked,
        _("Only the commission's promoters change its work plan."),
    )
    _require_promoter(locked, entity)
    return locked


@transaction.atomic
def add_topic(*, commission: Commission, entity: Entity, title: str, by: Actor) -> Topic:
    """Add a topic of interest at the end of the work plan's priority order (6.2 b)."""
    title = one_line(title, limit=TOPIC_TITLE_LENGTH, field=_("The topic"))
    if not title:
        raise DomainError(_("Name the topic."))
    with network_scope(commission.network):
        locked = _authorise_planning(by, entity, commission)
        last = Topic.objects.filter(commission=locked).order_by("-priority").first()
        return Topic.objects.create(
            network=locked.network,
            commission=locked,
            title=title,
            priority=(last.priority + 1) if last else 1,
        )


@transaction.atomic
def reorder_topics(
    *, commission: Commission, entity: Entity, topic_ids: Sequence[int], by: Actor
) -> list[Topic]:
    """Set the priority order of the work plan's topics, first is most important."""
    with network_scope(commission.network):
        locked = _authorise_planning(by, entity, commission)
        topics = {topic.pk: topic for topic in Topic.objects.filter(commission=locked)}
        if set(topic_ids) != set(topics) or len(topic_ids) != len(topics):
            raise DomainError(_("Give every topic of this work plan exactly once."))
        for priority, topic_id in enumerate(topic_ids, start=1):
            topics[topic_id].priority = priority
        Topic.objects.bulk_update(topics.values(), ["priority"])
    return [topics[topic_id] for topic_id in topic_ids]


@transaction.atomic
def add_action(
    *,
    commission: Commission,
    entity: Entity,
    title: str,
    responsible: Entity,
    by: Actor,
    due_on: date | None = None,
    topic: Topic | None = None,
) -> Action:
    """An action of the work plan, with a responsible promoter entity (template of 6.2 b)."""
    title = one_line(title, limit=ACTION_TITLE_LENGTH, field=_("The action"))
    if not title:
        raise DomainError(_("Describe the action."))
    check_day(due_on, zone=commission.network.zone, what=_("The due date"))
    now = timezone.now()
    with network_scope(commission.network):
        locked = _authorise_planning(by, entity, commission)
        if not _open_terms(locked).filter(entity=responsible).exists():
            raise DomainError(
                _("The responsible entity must be one of the commission's promoters.")
            )
        if topic is not None and topic.commission_id != locked.pk:
            raise DomainError(_("This topic belongs to another commission."))
        action = Action.objects.create(
            network=locked.network,
            commission=locked,
            topic=topic,
            title=title,
            responsible=responsible,
            due_on=due_on,
            updated_at=now,
        )
        _record_activity(locked, now=now, by=by)
    commission.refresh_from_db()
    return action


@transaction.atomic
def change_action_status(*, action: Action, entity: Entity, status: str, by: Actor) -> Action:
    """A promoter moves an action of the work plan along: planned, in progress, done, dropped."""
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown action status."))
    now = timezone.now()
    with network_scope(action.network):
        locked = _authorise_planning(by, entity, action.commission)
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.status == status:
            return action
        action.status = status
        action.updated_at = now
        action.save(update_fields=["status", "updated_at"])
        _record_activity(locked, now=now, by=by)
    return action


@transaction.atomic
def close_as_completed(
    *, commission: Commission, entity: Entity, by: Actor, note: str
) -> Commission:
    """Its promoters close a commission whose objectives are met (4.3 b); everyone is told.

    Archived, nothing deleted; the facilitator may reopen it within
    `REOPEN_WITHIN_DAYS` days if it was closed by mistake.
    """
    note = free_text(note, limit=NOTE_LENGTH, field=_("The closing note"))
    if not note:
        raise DomainError(
            _("Say what the commission achieved: its members and the facilitator read it.")
        )
    now = timezone.now()
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        locked = _lock_commission(commission)
        _may(
            by,
            "commissions.close",
            locked,
            _("Only the commission's promoters may close it as completed."),
        )
        _require_promoter(locked, entity)
        closed_on = _close(locked, reason=ClosingReason.COMPLETED, now=now, by=by, note=note)
        _tell_members_and_facilitators(
            locked,
            kind=CommissionNotice.COMPLETED,
            key=f"{locked.pk}:{now.isoformat()}",
            context={
                "commission": locked.name,
                "entity": entity.name,
                "closed_on": closed_on.isoformat(),
                "note": note,
                "reopen_until": locked.reopen_deadline.isoformat(),
            },
            by=by,
        )
    commission.refresh_from_db()
    return commission


def _close(
    commission: Commission, *, reason: ClosingReason, now: datetime, by: Actor, note: str = ""
) -> date:
    """Close the commission and end its promoter terms; the day it closed, in its network."""
    _transition(
        commission,
        to_state=CommissionState.CLOSED,
        reason=Reason.COMPLETED if reason == ClosingReason.COMPLETED else Reason.NO_PROMOTER,
        now=now,
        by=by,
        note=note,
    )
    closed_on = timezone.localdate(now, commission.network.zone)
    commission.closed_on = closed_on
    commission.closed_reason = reason
    commission.save()
    PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True).update(
        ended_at=now, end_reason=_("The commission closed.")
    )
    return closed_on


@transaction.atomic
def reopen_commission(*, commission: Commission, by: Actor, reason: str) -> Commission:
    """The facilitator reopens a commission closed by mistake, within 30 days, saying why.

    The promoter terms that the closing ended open again (new terms from now,
    for entities still active members and within the promoter limit), so the
    commission is active; with none, it is vacant and a fresh grace period
    starts, as when its last promoter steps down (4.2 b). The change is dated
    and explained in the commission's state changes and the network's history.
    """
    reason = free_text(reason, limit=REASON_LENGTH, field=_("The reason"))
    if not reason:
        raise DomainError(_("Say why the commission is reopened: its members read it."))
    now = timezone.now()
    network = commission.network
    with network_scope(network):
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        if locked.state != CommissionState.CLOSED:
            raise DomainError(_("This commission is open: there is nothing to reopen."))
        # A closed commission always has its closing day: the service and the sweep set it.
        closed_on = cast(date, locked.closed_on)
        if not locked.is_reopenable:
            raise DomainError(
                _(
                    "A commission can be reopened only within %(days)s days of its closing; "
                    "this one closed on %(closed_on)s."
                )
                % {
                    "days": REOPEN_WITHIN_DAYS,
                    "closed_on": date_format(closed_on, "DATE_FORMAT"),
                }
            )
        _may(
            by,
            "commissions.reopen",
            locked,
            _("Only the network's facilitator may reopen a commission."),
        )
        closing = (
            StateChange.objects.filter(commission=locked, to_state=CommissionState.CLOSED)
            .order_by("-at", "-id")
            .first()
        )
        restored = _restore_terms(locked, closed_at=closing.at if closing else None, now=now)
        to_state = CommissionState.ACTIVE if restored else CommissionState.VACANT
        _transition(locked, to_state=to_state, reason=Reason.REOPENED, now=now, by=by, note=reason)
        locked.closed_on = None
        locked.closed_reason = ""
        locked.last_activity_at = now
        if restored:
            locked.save()
        else:
            _make_vacant(locked, now=now)
        record_change(
            network=network,
            subject=locked,
            action=CommissionAction.REOPENED,
            by=person_or_none(by),
            changes={
                "commission": locked.name,
                "state": [CommissionState.CLOSED, to_state],
                "closed_on": closed_on.isoformat(),
            },
            reason=reason,
        )
        _tell_members_and_facilitators(
            locked,
            kind=CommissionNotice.REOPENED,
            key=f"{locked.pk}:{now.isoformat()}",
            context={
                "commission": locked.name,
                "closed_on": closed_on.isoformat(),
                "reason": reason,
            },
            by=by,
        )
    commission.refresh_from_db()
    return commission


def _restore_terms(commission: Commission, *, closed_at: datetime | None, now: datetime) -> int:
    """New terms for the entities whose terms the closing ended; how many were restored."""
    if closed_at is None:
        return 0
    ended = PromoterTerm.objects.filter(commission=commission, ended_at=closed_at)
    active = Membership.objects.filter(status=MembershipStatus.ACTIVE).values("entity_id")
    restored = 0
    for entity_id in ended.filter(entity_id__in=active).values_list("entity_id", flat=True):
        held = PromoterTerm.objects.filter(entity_id=entity_id, ended_at__isnull=True).count()
        if held >= commission.network.max_promoter_terms:
            continue  # No role monopoly (4.1 d.6): it may step up again once it has room.
        PromoterTerm.objects.create(
            network=commission.network, commission=commission, entity_id=entity_id, started_at=now
        )
        restored += 1
    return restored


@transaction.atomic
def fill_closing_sheet(
    *,
    commission: Commission,
    entity: Entity,
    occasion: str,
    year: int,
    by: Actor,
    **fields: str,
) -> ClosingSheet:
    """Systematise the commission's experience (recommendation 1 of section 8)."""
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"Unknown sheet fields: {sorted(unknown)}")
    labels = {
        "participants": _("Participants"),
        "objectives": _("Objectives"),
        "methodology": _("Methodology"),
        "activities": _("Activities"),
        "results": _("Results"),
        "evaluation": _("Evaluation"),
    }
    texts = {
        name: free_text(fields.get(name), limit=SHEET_FIELD_LENGTH, field=labels[name])
        for name in SHEET_FIELDS
    }
    if not all(texts.values()):
        raise DomainError(_("Please fill in every part of the sheet."))
    network = commission.network
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
        _may(
            by,
            "commissions.fill_sheet",
            commission,
            _("Only the commission's promoters fill in its sheets."),
        )
        if not PromoterTerm.objects.filter(commission=commission, entity=entity).exists():
            raise DomainError(_("Only the commission's promoters fill in its sheets."))
        if occasion == ClosingSheet.Occasion.CLOSING and commission.state != CommissionState.CLOSED:
            raise DomainError(_("The closing sheet is filled in once the commission has closed."))
        sheet, _created = ClosingSheet.objects.update_or_create(
            commission=commission,
            occasion=occasion,
            year=year,
            defaults={
                "network": commission.network,
                "entity": entity,
                "author": person_or_none(by),
                "filled_at": timezone.now(),
                **texts,
            },
        )
    return sheet
