"""The life of a commission: proposing, joining, promoting, reporting and closing.

Every rule of sections 4.2 b and 4.3 b that software can hold lives here:
pages, the API and jobs call these functions and re-implement none of them.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissions import uploads
from commissions.models import (
    Action,
    ActionStatus,
    ClosingReason,
    ClosingSheet,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from members.models import Membership, MembershipStatus, Notification
from members.notifications import (
    facilitator_ids_by_network,
    queue_notifications,
    representative_ids_by_entity,
)
from networks.dates import check_day
from networks.errors import DomainError
from networks.models import Facilitator
from networks.scoping import network_scope

Reason = StateChange.Reason


def _lock_active_membership(network, entity):
    """Lock the entity's membership: it serialises every role change of that entity."""
    membership = (
        Membership.objects.select_for_update()
        .filter(entity=entity, status=MembershipStatus.ACTIVE)
        .first()
    )
    if membership is None:
        raise DomainError(
            _("%(entity)s is not an active member of %(network)s.")
            % {"entity": entity, "network": network}
        )
    return membership


def _refuse_facilitator(network, by):
    """The facilitator stays neutral: no vote and no promoter post (4.2 a)."""
    if by is not None and Facilitator.objects.filter(user=by, ended_on__isnull=True).exists():
        raise DomainError(
            _("Facilitators stay neutral in the network: they hold no promoter post.")
        )


def _lock_commission(commission):
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    if locked.state == CommissionState.CLOSED:
        raise DomainError(_("This commission is closed: its archive can be read, not changed."))
    return locked


def _transition(commission, *, to_state, reason, now, by=None, note=""):
    StateChange.objects.create(
        network=commission.network,
        commission=commission,
        from_state=commission.state,
        to_state=to_state,
        reason=reason,
        note=note,
        at=now,
        actor=by,
    )
    commission.state = to_state
    commission.state_changed_at = now


def _stall_deadline(network, since):
    return since + timedelta(days=network.stall_after_days)


def _open_terms(commission):
    return PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)


def _ensure_member(commission, entity, today):
    member, created = CommissionMember.objects.get_or_create(
        commission=commission,
        entity=entity,
        defaults={"network": commission.network, "joined_on": today},
    )
    if not created and member.left_on is not None:
        member.left_on = None
        member.joined_on = today
        member.save(update_fields=["left_on", "joined_on"])
    return member


def _check_promoter_limit(network, entity):
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
def propose_commission(*, network, entity, name, purpose="", topics="", kind=None, by=None):
    """Any active member may propose a commission and becomes its first promoter (4.1 d.4)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the commission a name."))
    now = timezone.now()
    with network_scope(network):
        _refuse_facilitator(network, by)
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
            stalls_at=_stall_deadline(network, now),
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
            actor=by,
        )
        _ensure_member(commission, entity, commission.started_on)
        PromoterTerm.objects.create(
            network=network, commission=commission, entity=entity, started_at=now
        )
    return commission


@transaction.atomic
def join_commission(*, commission, entity, by=None):
    """Any active member entity may sit in any open commission (participatory principle)."""
    network = commission.network
    with network_scope(network):
        _lock_active_membership(network, entity)
        locked = _lock_commission(commission)
        if CommissionMember.objects.filter(
            commission=locked, entity=entity, left_on__isnull=True
        ).exists():
            raise DomainError(_("%(entity)s already sits in this commission.") % {"entity": entity})
        return _ensure_member(locked, entity, timezone.localdate(timezone.now(), network.zone))


@transaction.atomic
def leave_commission(*, commission, entity, by=None, reason=""):
    """Leave a commission; a promoter that leaves steps down first, which may leave it vacant."""
    network = commission.network
    with network_scope(network):
        locked = _lock_commission(commission)
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
def step_up_as_promoter(*, commission, entity, by=None):
    """Any member entity may take up the promoter role at any moment (4.1 d.6, 4.2 b)."""
    network = commission.network
    now = timezone.now()
    with network_scope(network):
        _refuse_facilitator(network, by)
        _lock_active_membership(network, entity)
        locked = _lock_commission(commission)
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
            locked.closes_at = None
            locked.last_activity_at = now
            locked.stalls_at = _stall_deadline(network, now)
            locked.save()
    commission.refresh_from_db()
    return term


@transaction.atomic
def step_down_as_promoter(*, term, by=None, reason):
    """A promoter may abandon the role at any moment, with a reason (4.2 b)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please say why your entity steps down, for the other members."))
    with network_scope(term.network):
        locked = _lock_commission(term.commission)
        term = PromoterTerm.objects.select_for_update().get(pk=term.pk)
        if term.ended_at is not None:
            raise DomainError(_("This promoter term has already ended."))
        _end_term(locked, term, by=by, reason=reason)
    term.commission.refresh_from_db()
    return term


def _end_term(commission, term, *, by, reason):
    now = timezone.now()
    term.ended_at = now
    term.end_reason = reason
    term.save(update_fields=["ended_at", "end_reason"])
    if _open_terms(commission).exists():
        return
    network = commission.network
    _transition(
        commission,
        to_state=CommissionState.VACANT,
        reason=Reason.LAST_PROMOTER_LEFT,
        now=now,
        by=by,
        note=reason,
    )
    commission.vacant_since = now
    commission.closes_at = now + timedelta(days=network.vacancy_grace_days)
    commission.stalls_at = None
    commission.save()
    _announce_vacancies([commission])


def _announce_vacancies(commissions):
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
    facilitators = facilitator_ids_by_network(commission.network_id for commission in commissions)
    notifications = []
    for commission in commissions:
        context = {
            "commission": commission.name,
            "closes_on": timezone.localdate(
                commission.closes_at, commission.network.zone
            ).isoformat(),
        }
        key = f"{commission.pk}:{commission.vacant_since.isoformat()}"
        link = commission.get_absolute_url()
        for user_id in facilitators[commission.network_id]:
            notifications.append(
                Notification(
                    network_id=commission.network_id,
                    recipient_id=user_id,
                    kind="commission.vacant",
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
                    kind="commission.call_for_promoters",
                    key=f"commission.call_for_promoters:{key}",
                    context=context,
                    link=link,
                )
            )
    queue_notifications(notifications)


def _record_activity(commission, *, now, by=None):
    """New activity restarts the stall clock and wakes a stalled commission (4.2 b)."""
    network = commission.network
    commission.last_activity_at = now
    if commission.state == CommissionState.STALLED:
        _transition(
            commission, to_state=CommissionState.ACTIVE, reason=Reason.ACTIVITY, now=now, by=by
        )
    if commission.state == CommissionState.ACTIVE:
        commission.stalls_at = _stall_deadline(network, now)
    commission.save()


def _require_promoter(commission, entity):
    if not _open_terms(commission).filter(entity=entity).exists():
        raise DomainError(_("Only the commission's promoters may do this."))


def _require_member(commission, entity):
    if not CommissionMember.objects.filter(
        commission=commission, entity=entity, left_on__isnull=True
    ).exists():
        raise DomainError(_("Only entities sitting in the commission may do this."))


@transaction.atomic
def post_progress_update(
    *, commission, entity, by=None, text, image=None, attachment=None, actions=()
):
    """Promoters report the commission's progress to the other members (4.2 b)."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what the commission has done."))
    image = uploads.clean_image(image) if image else None
    attachment = uploads.check_attachment(attachment) if attachment else None
    now = timezone.now()
    with network_scope(commission.network):
        locked = _lock_commission(commission)
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
            author=by,
            text=text,
            image=image or "",
            attachment=attachment or "",
            attachment_name=attachment.display_name if attachment else "",
            created_at=now,
        )
        if action_ids:
            update.actions.set(action_ids)
        _record_activity(locked, now=now, by=by)
    commission.refresh_from_db()
    return update


@transaction.atomic
def comment_on_update(*, update, entity, by=None, text):
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The comment is empty."))
    with network_scope(update.network):
        if update.commission.state == CommissionState.CLOSED:
            raise DomainError(_("This commission is closed: its archive can be read, not changed."))
        _require_member(update.commission, entity)
        return Comment.objects.create(
            network=update.network, update=update, entity=entity, author=by, text=text
        )


@transaction.atomic
def add_topic(*, commission, entity, title, by=None):
    """Add a topic of interest at the end of the work plan's priority order (6.2 b)."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Name the topic."))
    with network_scope(commission.network):
        locked = _lock_commission(commission)
        _require_promoter(locked, entity)
        last = Topic.objects.filter(commission=locked).order_by("-priority").first()
        return Topic.objects.create(
            network=locked.network,
            commission=locked,
            title=title,
            priority=(last.priority + 1) if last else 1,
        )


@transaction.atomic
def reorder_topics(*, commission, entity, topic_ids, by=None):
    """Set the priority order of the work plan's topics, first is most important."""
    with network_scope(commission.network):
        locked = _lock_commission(commission)
        _require_promoter(locked, entity)
        topics = {topic.pk: topic for topic in Topic.objects.filter(commission=locked)}
        if set(topic_ids) != set(topics) or len(topic_ids) != len(topics):
            raise DomainError(_("Give every topic of this work plan exactly once."))
        for priority, topic_id in enumerate(topic_ids, start=1):
            topics[topic_id].priority = priority
        Topic.objects.bulk_update(topics.values(), ["priority"])
    return [topics[topic_id] for topic_id in topic_ids]


@transaction.atomic
def add_action(*, commission, entity, title, responsible, due_on=None, topic=None, by=None):
    """An action of the work plan, with a responsible promoter entity (template of 6.2 b)."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Describe the action."))
    check_day(due_on, zone=commission.network.zone, what=_("The due date"))
    now = timezone.now()
    with network_scope(commission.network):
        locked = _lock_commission(commission)
        _require_promoter(locked, entity)
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
def change_action_status(*, action, entity, status, by=None):
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown action status."))
    now = timezone.now()
    with network_scope(action.network):
        locked = _lock_commission(action.commission)
        _require_promoter(locked, entity)
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.status == status:
            return action
        action.status = status
        action.updated_at = now
        action.save(update_fields=["status", "updated_at"])
        _record_activity(locked, now=now, by=by)
    return action


@transaction.atomic
def close_as_completed(*, commission, entity, by=None, note=""):
    """Members close a commission whose objectives are met (4.3 b): archived, nothing deleted."""
    now = timezone.now()
    with network_scope(commission.network):
        locked = _lock_commission(commission)
        _require_member(locked, entity)
        _close(locked, reason=ClosingReason.COMPLETED, now=now, by=by, note=note)
    commission.refresh_from_db()
    return commission


def _close(commission, *, reason, now, by=None, note=""):
    _transition(
        commission,
        to_state=CommissionState.CLOSED,
        reason=Reason.COMPLETED if reason == ClosingReason.COMPLETED else Reason.NO_PROMOTER,
        now=now,
        by=by,
        note=note,
    )
    commission.closed_on = timezone.localdate(now, commission.network.zone)
    commission.closed_reason = reason
    commission.stalls_at = None
    commission.closes_at = None
    commission.save()
    PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True).update(
        ended_at=now, end_reason=_("The commission closed.")
    )


def sheet_due(commission, *, now=None):
    """Which sheet the commission owes now, as (occasion, year), or None (recommendation 1, 8).

    A closed commission owes its closing sheet; an open one older than a year
    owes a yearly sheet for the current year, as the yearly reminder says.
    """
    now = now or timezone.now()
    if commission.state == CommissionState.CLOSED:
        closed_on = commission.closed_on or timezone.localdate(now, commission.network.zone)
        return ClosingSheet.Occasion.CLOSING, closed_on.year
    if commission.started_on <= (now - timedelta(days=365)).date():
        return ClosingSheet.Occasion.YEARLY, now.year
    return None


@transaction.atomic
def fill_closing_sheet(*, commission, entity, occasion, year, by=None, **fields):
    """Systematise the commission's experience (recommendation 1 of section 8)."""
    required = ("participants", "objectives", "methodology", "activities", "results", "evaluation")
    missing = [name for name in required if not (fields.get(name) or "").strip()]
    if missing:
        raise DomainError(_("Please fill in every part of the sheet."))
    with network_scope(commission.network):
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
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
                "author": by,
                "filled_at": timezone.now(),
                **{name: fields[name].strip() for name in required},
            },
        )
    return sheet
