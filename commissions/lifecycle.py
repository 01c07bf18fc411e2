"""The daily jobs that keep commissions honest, written set by set.

The sweep claims the rows it changes with one conditional UPDATE that stamps
them with a fresh token, then writes their state changes and notifications
with INSERT … SELECT over the claimed rows, all in one transaction, without
reading them into Python. So the number of statements does not grow with the
number of commissions, two sweeps at once change each commission once (the
second UPDATE no longer matches what the first changed), and a worker killed
half-way leaves nothing behind: the transaction rolls back and the next run
does the work.

Every function works in the active scope. The sweep opens one over every
network, on purpose, to keep that claim set-based; the reminders run in one
network's scope, from a task per network (`commissions.tasks`). Whoever hears
of a commission is read from the row that gives them the role, in the
commission's own network: a current facilitator's term, a seat still held in
the commission with an active membership, a promoter term still open.
"""

import uuid
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import CharField, DateTimeField, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.utils import timezone

from commissions import deadlines
from commissions.models import (
    Action,
    ActionStatus,
    ClosingReason,
    ClosingSheet,
    Commission,
    CommissionMember,
    CommissionState,
    PromoterTerm,
    StateChange,
)
from commissions.notifications import CommissionNotice
from core.bulk import insert_from_select
from members.models import Membership, MembershipStatus, Notification
from members.notifications import (
    representative_ids_by_entity,
    vacancy_alert_recipient_ids_by_network,
)
from members.outbox import queue_notifications, schedule_delivery
from networks.models import Facilitator
from networks.scoping import all_networks

VACANCY_REMINDER_DAYS = (7, 1)
QUIET_AFTER = timedelta(days=14)


def sweep_commissions(*, now=None):
    """The daily lifecycle sweep: stall, remind the facilitator of vacancies, close.

    It spans every network on purpose: each step claims what is due everywhere
    with one statement, so the sweep's cost in statements is the same for one
    network or a hundred. Each row it writes takes its network from the
    claimed commission.
    """
    now = now or timezone.now()
    with all_networks():
        # Every network's settings as they are now, read once for the three steps.
        networks = deadlines.network_settings()
        return {
            "stalled": mark_stalled_commissions(now=now, networks=networks),
            "vacancy_reminders": remind_facilitators_of_vacancies(now=now, networks=networks),
            "closed": close_vacant_commissions(now=now, networks=networks),
        }


def _notification(row, *, recipient_id, kind, key, context):
    return Notification(
        network_id=row["network_id"],
        recipient_id=recipient_id,
        kind=kind,
        key=f"{kind}:{key}",
        context=context,
        link=f"/redes/{row['network__slug']}/comisiones/{row['id']}/",
    )


def _record_transitions(token, *, from_state, to_state, reason, now):
    """One StateChange per commission claimed with `token`, written by the database."""
    return insert_from_select(
        StateChange,
        Commission.objects.filter(sweep_token=token),
        {
            "network": F("network"),
            "commission": F("id"),
            "from_state": Value(from_state),
            "to_state": Value(to_state),
            "reason": Value(reason),
            "note": Value(""),
            "at": Value(now, output_field=DateTimeField()),
        },
    )


def _notify_claimed(rows, *, commission, recipient, kind, key, context, now):
    """Notify the person each row names of the claimed commission the row reaches.

    `rows` starts from the model that carries the recipient (a facilitator's
    term, an entity's seat in the commission), already narrowed to the people
    who should hear; `commission` is the path from that row to the claimed
    commission and `recipient` the path to the user. All conditions are in the
    query given, none is added here: a second `filter()` over a multi-valued
    relation would join a fresh, unconstrained chain. Rows are written by one
    INSERT … SELECT that skips keys already there, so reruns and concurrent
    sweeps add nothing twice.
    """
    as_text = {"output_field": CharField()}
    commission_id = Cast(f"{commission}__id", **as_text)
    return insert_from_select(
        Notification,
        rows,
        {
            "network": F(f"{commission}__network"),
            "recipient": F(recipient),
            "kind": Value(kind),
            "key": Concat(Value(f"{kind}:"), commission_id, Value(key), **as_text),
            "context": context(commission),
            "link": Concat(
                Value("/redes/"),
                F(f"{commission}__network__slug"),
                Value("/comisiones/"),
                commission_id,
                Value("/"),
                **as_text,
            ),
            "created_at": Value(now, output_field=DateTimeField()),
            "email_skipped": Value(False),
            "email_attempts": Value(0),
            "email_error": Value(""),
        },
        ignore_conflicts=True,
    )


def _facilitators_of_claimed(token):
    """One row per current facilitator and claimed commission of the network they facilitate."""
    return (
        Facilitator.objects.filter(ended_on__isnull=True, network__commissions__sweep_token=token),
        "network__commissions",
        "user",
    )


def _seated_members_of_claimed(token, role):
    """One row per entity still sitting in a claimed commission, with the person in `role`.

    `role` is "representative" or "alternate", read from the entity's membership
    in the commission's own network, and only while that membership is active.
    """
    person = Membership.objects.filter(
        network=OuterRef("commission__network"),
        entity=OuterRef("entity"),
        status=MembershipStatus.ACTIVE,
    )
    # At most one row: an entity has one membership per network.
    person = person.order_by().values(role)[:1]
    return (
        CommissionMember.objects.filter(commission__sweep_token=token, left_on__isnull=True)
        .annotate(person=Subquery(person))
        .filter(person__isnull=False),
        "commission",
        "person",
    )


@transaction.atomic
def mark_stalled_commissions(*, now, networks=None):
    """Active → stalled once the network's stall period passed without activity (4.2 b).

    The period is the network's setting now (`commissions.deadlines`), and the
    mail quotes that same number.
    """
    networks = deadlines.network_settings() if networks is None else networks
    token = uuid.uuid4()
    count = (
        Commission.objects.filter(state=CommissionState.ACTIVE)
        .filter(deadlines.stall_due(networks, now=now))
        .update(state=CommissionState.STALLED, state_changed_at=now, sweep_token=token)
    )
    if not count:
        return 0
    _record_transitions(
        token,
        from_state=CommissionState.ACTIVE,
        to_state=CommissionState.STALLED,
        reason=StateChange.Reason.NO_ACTIVITY,
        now=now,
    )
    rows, commission, recipient = _facilitators_of_claimed(token)
    notified = _notify_claimed(
        rows,
        commission=commission,
        recipient=recipient,
        kind=CommissionNotice.STALLED,
        key=f":{now.isoformat()}",
        context=lambda commission: JSONObject(
            commission=F(f"{commission}__name"),
            days=deadlines.stall_days(networks, network_path=f"{commission}__network_id"),
        ),
        now=now,
    )
    if notified:
        schedule_delivery()
    return count


@transaction.atomic
def close_vacant_commissions(*, now, networks=None):
    """Vacant on its closing day → closed, reason "no promoter" (4.2 b). Nothing is deleted.

    The closing day is the one `commissions.deadlines` gives from the network's
    grace period now, and the one the reminders announced. The network's
    facilitators hear of it, and so do the representatives and alternates of
    the member entities still sitting in the commission.
    """
    networks = deadlines.network_settings() if networks is None else networks
    token = uuid.uuid4()
    today = timezone.localdate(now)
    count = (
        Commission.objects.filter(state=CommissionState.VACANT)
        .filter(deadlines.close_due(networks, now=now))
        .update(
            state=CommissionState.CLOSED,
            state_changed_at=now,
            closed_on=today,
            closed_reason=ClosingReason.NO_PROMOTER,
            sweep_token=token,
        )
    )
    if not count:
        return 0
    # The closing date is a date in each network's own time zone: fix the
    # rows of zones that are already on another day than the site's.
    zones = (
        Commission.objects.filter(sweep_token=token)
        .values_list("network__time_zone", flat=True)
        .distinct()
    )
    for time_zone in list(zones):
        local_day = timezone.localdate(now, _zone(time_zone))
        if local_day != today:
            Commission.objects.filter(sweep_token=token, network__time_zone=time_zone).update(
                closed_on=local_day
            )
    _record_transitions(
        token,
        from_state=CommissionState.VACANT,
        to_state=CommissionState.CLOSED,
        reason=StateChange.Reason.NO_PROMOTER,
        now=now,
    )
    notified = 0
    for rows, commission, recipient in (
        _facilitators_of_claimed(token),
        _seated_members_of_claimed(token, "representative"),
        _seated_members_of_claimed(token, "alternate"),
    ):
        notified += _notify_claimed(
            rows,
            commission=commission,
            recipient=recipient,
            kind=CommissionNotice.CLOSED,
            key="",
            context=lambda commission: JSONObject(
                commission=F(f"{commission}__name"),
                closed_on=Cast(f"{commission}__closed_on", CharField()),
            ),
            now=now,
        )
    if notified:
        schedule_delivery()
    return count


def _zone(name):
    return ZoneInfo(name)


def _promoter_recipients(commission_rows):
    """Representatives and alternates of each commission's current promoters: two queries."""
    terms = PromoterTerm.objects.filter(
        commission_id__in=[row["id"] for row in commission_rows], ended_at__isnull=True
    ).values_list("commission_id", "network_id", "entity_id")
    pairs_by_commission = defaultdict(set)
    for commission_id, network_id, entity_id in terms:
        pairs_by_commission[commission_id].add((network_id, entity_id))
    representatives = representative_ids_by_entity(
        pair for pairs in pairs_by_commission.values() for pair in pairs
    )
    return {
        commission_id: set().union(*(representatives[pair] for pair in pairs))
        for commission_id, pairs in pairs_by_commission.items()
    }


@transaction.atomic
def remind_facilitators_of_vacancies(*, now, networks=None):
    """Remind the facilitator 7 days and 1 day before a vacant commission closes itself."""
    networks = deadlines.network_settings() if networks is None else networks
    grace = {network["id"]: network["vacancy_grace_days"] for network in networks}
    rows = list(
        Commission.objects.filter(
            state=CommissionState.VACANT, vacant_since__lte=now - timedelta(days=1)
        )
        .filter(deadlines.close_due(networks, now=now, days_ahead=max(VACANCY_REMINDER_DAYS)))
        .exclude(deadlines.close_due(networks, now=now))
        .values("id", "network_id", "network__slug", "network__time_zone", "name", "vacant_since")
    )
    # The facilitators, and the interlocutor where the network gives it vacancy alerts.
    facilitators = vacancy_alert_recipient_ids_by_network(row["network_id"] for row in rows)
    notifications = []
    for row in rows:
        zone = _zone(row["network__time_zone"])
        closes_on = deadlines.closes_on(
            vacant_since=row["vacant_since"],
            vacancy_grace_days=grace[row["network_id"]],
            zone=zone,
        )
        days_left = (closes_on - timezone.localdate(now, zone)).days
        bucket = min(days for days in VACANCY_REMINDER_DAYS if days >= days_left)
        context = {
            "commission": row["name"],
            "days_left": days_left,
            "closes_on": closes_on.isoformat(),
        }
        notifications.extend(
            _notification(
                row,
                recipient_id=user_id,
                kind=CommissionNotice.VACANCY_REMINDER,
                key=f"{row['id']}:{row['vacant_since'].isoformat()}:{bucket}",
                context=context,
            )
            for user_id in facilitators[row["network_id"]]
        )
    return queue_notifications(notifications)


@transaction.atomic
def remind_overdue_actions(*, now):
    """Tell the responsible promoter once per due date that an action is overdue."""
    actions = list(
        Action.objects.filter(
            status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
            due_on__lt=now.date() + timedelta(days=1),
            commission__state__in=[CommissionState.ACTIVE, CommissionState.STALLED],
        ).values(
            "id",
            "network_id",
            "network__slug",
            "network__time_zone",
            "commission_id",
            "commission__name",
            "responsible_id",
            "title",
            "due_on",
        )
    )
    actions = [
        action
        for action in actions
        if action["due_on"] < timezone.localdate(now, _zone(action["network__time_zone"]))
    ]
    representatives = representative_ids_by_entity(
        (action["network_id"], action["responsible_id"]) for action in actions
    )
    notifications = [
        Notification(
            network_id=action["network_id"],
            recipient_id=user_id,
            kind=CommissionNotice.ACTION_OVERDUE,
            key=f"action.overdue:{action['id']}:{action['due_on'].isoformat()}",
            context={
                "commission": action["commission__name"],
                "action": action["title"],
                "due_on": action["due_on"].isoformat(),
            },
            link=f"/redes/{action['network__slug']}/comisiones/{action['commission_id']}/",
        )
        for action in actions
        for user_id in representatives[action["network_id"], action["responsible_id"]]
    ]
    return queue_notifications(notifications)


@transaction.atomic
def remind_quiet_commissions(*, now):
    """Nudge the promoters of an active commission with no news for two weeks, once per silence."""
    rows = list(
        Commission.objects.filter(
            state=CommissionState.ACTIVE, last_activity_at__lte=now - QUIET_AFTER
        ).values(
            "id",
            "network_id",
            "network__slug",
            "network__time_zone",
            "name",
            "last_activity_at",
        )
    )
    recipients = _promoter_recipients(rows)
    notifications = [
        _notification(
            row,
            recipient_id=user_id,
            kind=CommissionNotice.QUIET,
            key=f"{row['id']}:{row['last_activity_at'].isoformat()}",
            context={
                "commission": row["name"],
                "last_activity_on": timezone.localdate(
                    row["last_activity_at"], _zone(row["network__time_zone"])
                ).isoformat(),
            },
        )
        for row in rows
        for user_id in recipients.get(row["id"], ())
    ]
    return queue_notifications(notifications)


@transaction.atomic
def remind_yearly_evaluations(*, now):
    """Commissions older than a year fill a yearly sheet (recommendation 1 of section 8)."""
    year = now.year
    this_years_sheet = ClosingSheet.objects.filter(
        commission=OuterRef("pk"), occasion=ClosingSheet.Occasion.YEARLY, year=year
    )
    rows = list(
        Commission.objects.filter(
            state__in=[CommissionState.ACTIVE, CommissionState.STALLED],
            started_on__lte=(now - timedelta(days=365)).date(),
        )
        .exclude(Exists(this_years_sheet))
        .values("id", "network_id", "network__slug", "name")
    )
    recipients = _promoter_recipients(rows)
    notifications = [
        _notification(
            row,
            recipient_id=user_id,
            kind=CommissionNotice.YEARLY_SHEET,
            key=f"{row['id']}:{year}",
            context={"commission": row["name"], "year": year},
        )
        for row in rows
        for user_id in recipients.get(row["id"], ())
    ]
    return queue_notifications(notifications)


@transaction.atomic
def ask_long_terms_to_continue(*, now):
    """A promoter term older than a year asks its holder whether to go on, so roles rotate."""
    a_year_ago = now - timedelta(days=365)
    due = PromoterTerm.objects.filter(ended_at__isnull=True, started_at__lte=a_year_ago).exclude(
        continuation_asked_at__gt=a_year_ago
    )
    terms = list(
        due.values(
            "id",
            "network_id",
            "network__slug",
            "network__time_zone",
            "commission_id",
            "commission__name",
            "entity_id",
            "started_at",
        )
    )
    if not terms:
        return 0
    PromoterTerm.objects.filter(pk__in=[term["id"] for term in terms]).update(
        continuation_asked_at=now
    )
    representatives = representative_ids_by_entity(
        (term["network_id"], term["entity_id"]) for term in terms
    )
    notifications = []
    for term in terms:
        years = (now - term["started_at"]) // timedelta(days=365)
        notifications.extend(
            Notification(
                network_id=term["network_id"],
                recipient_id=user_id,
                kind=CommissionNotice.PROMOTER_TERM_CONTINUE,
                key=f"promoter_term.continue:{term['id']}:{years}",
                context={
                    "commission": term["commission__name"],
                    "since": timezone.localdate(
                        term["started_at"], _zone(term["network__time_zone"])
                    ).isoformat(),
                },
                link=f"/redes/{term['network__slug']}/comisiones/{term['commission_id']}/",
            )
            for user_id in representatives[term["network_id"], term["entity_id"]]
        )
    return queue_notifications(notifications)
