"""Events: announcing them with a real agenda, registrations, attendance and minutes.

Every rule of events lives here; pages, the API and jobs call these functions.
Each runs in one transaction inside its network's scope and raises `DomainError`
with a message for the person who asked, changing nothing.

Every function takes the acting person as `by` (`core.actors.SYSTEM` for
jobs and commands) and decides here whether they may act, with the permissions
of `events.rules` that the pages ask too: who convenes which kind of event,
who manages it (its organisers and the facilitator), and, whenever someone acts
for a member entity, that they are not a facilitator of the network (4.2 a).
"""

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commissions.models import Action, Commission, CommissionState, PromoterTerm
from commissions.selectors import forget_standing
from commissions.services import add_action, free_text, one_line
from core.actors import Actor, is_system, person_or_none
from core.dates import check_moment
from core.errors import DomainError
from core.text import single_line
from events import news
from events.confirmations import REQUEST_VALID_FOR, take_mail_allowance, write_request
from events.history import EventAction
from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    KINDS_CONVENED_BY_THE_NETWORK,
    LIVE_REGISTRATION_STATUSES,
    MAX_REMINDER_DAYS,
    AgendaItem,
    CalendarToken,
    Decision,
    Event,
    EventFormat,
    EventKind,
    EventOrganiser,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    Visibility,
    local_time,
    new_token,
    parse_reminder_days,
)
from events.notifications import EventNotice
from events.reminders import queue_confirmations
from members.authority import require_acts_in_reach
from members.models import Entity, Membership, MembershipStatus, Notification, User
from members.notifications import representative_ids_by_entity
from members.outbox import queue_notifications
from members.reach import is_in_reach
from members.rules import entity_roles
from networks.authority import refuse_facilitator, require_perm
from networks.history import record_change
from networks.models import Interlocutor, Network
from networks.rules import forget_roles
from networks.scoping import network_scope

EVENT_FIELDS = {
    "kind",
    "title",
    "description",
    "format",
    "place",
    "online_link",
    "starts_at",
    "ends_at",
    "visibility",
    "capacity",
    "registration_closes_at",
    "commission",
    "reminders_enabled",
    "reminder_days",
    "reminder_message",
}


# The most characters each typed text may hold (single lines match their columns).
SINGLE_LINE_FIELDS = {"title": 200, "place": 300, "online_link": 200, "reminder_days": 40}
FREE_TEXT_FIELDS = {"description": 10000, "reminder_message": 2000}
AGENDA_TITLE_LENGTH = 200
PROPOSAL_LENGTH = 4000
REASON_LENGTH = 2000
SUMMARY_LENGTH = 20000
DECISION_LENGTH = 4000
FOLLOW_UP_LENGTH = 300


MOMENT_LABELS = {
    "starts_at": gettext_lazy("The start of the event"),
    "ends_at": gettext_lazy("The end of the event"),
    "registration_closes_at": gettext_lazy("The close of registration"),
}


def _check_moments(network: Network, fields: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """Typed moments within the bounds of `core.dates`, read in the network's zone.

    A moment the event already had is not checked again: an event recorded years
    ago can still be corrected without retyping its dates.
    """
    for name, what in MOMENT_LABELS.items():
        value = fields.get(name)
        if value is not None and (stored is None or value != stored.get(name)):
            check_moment(value, zone=network.zone, what=str(what))


def _check_fields(
    network: Network, fields: dict[str, Any], *, stored: dict[str, Any] | None = None
) -> dict[str, Any]:
    title = (fields.get("title") or "").strip()
    if not title:
        raise DomainError(_("Give the event a title."))
    fields["title"] = title
    if fields.get("kind") not in EventKind.values:
        raise DomainError(_("Choose what kind of event this is."))
    if fields.get("format") not in EventFormat.values:
        raise DomainError(_("Say whether the event is in person, virtual or both."))
    if fields.get("visibility") not in Visibility.values:
        raise DomainError(_("Say whether the event is public or for members only."))
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at is None or ends_at is None:
        raise DomainError(_("Give the start and the end of the event."))
    _check_moments(network, fields, stored)
    if ends_at <= starts_at:
        raise DomainError(_("The event must end after it starts."))
    if fields["format"] in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not fields.get("place"):
        raise DomainError(_("Say where the event takes place."))
    if fields["format"] in (EventFormat.VIRTUAL, EventFormat.HYBRID) and not fields.get(
        "online_link"
    ):
        raise DomainError(_("Give the link to join the event online."))
    closes_at = fields.get("registration_closes_at") or starts_at
    if closes_at > ends_at:
        raise DomainError(_("Registration must close before the event ends."))
    fields["registration_closes_at"] = closes_at
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError(_("The capacity must be at least one person, or left empty."))
    days = parse_reminder_days(fields.get("reminder_days", "7,1"))
    if any(day < 1 or day > MAX_REMINDER_DAYS for day in days):
        raise DomainError(
            _("Reminders go out between 1 and %(days)s days before the event.")
            % {"days": MAX_REMINDER_DAYS}
        )
    fields["reminder_days"] = ",".join(str(day) for day in days)
    commission = fields.get("commission")
    if commission is not None:
        if commission.network_id != network.pk:
            raise DomainError(_("Choose a commission of this network."))
        if commission.state == CommissionState.CLOSED:
            raise DomainError(_("This commission is closed: its archive can be read, not changed."))
    return fields


def _check_members(network: Network, entities: Collection[Entity]) -> None:
    entity_ids = {entity.pk for entity in entities}
    active = set(
        Membership.objects.filter(
            entity_id__in=entity_ids, status=MembershipStatus.ACTIVE
        ).values_list("entity_id", flat=True)
    )
    for entity in entities:
        if entity.pk not in active:
            raise DomainError(
                _("%(entity)s is not an active member of %(network)s.")
                % {"entity": entity, "network": network}
            )


def _check_agenda_item(title: str, proposer: Entity | None, proposal: str) -> None:
    if not (title or "").strip():
        raise DomainError(_("Name the agenda item."))
    if proposer is None:
        raise DomainError(_("Say which member entity proposes the agenda item."))
    if not (proposal or "").strip():
        raise DomainError(
            _("Each agenda item carries a concrete proposal: write what is proposed.")
        )


def _check_can_announce(event: Event) -> None:
    """Functional principle (4.1 d.1): a plenary meets only with a full agenda of proposals."""
    if (
        event.needs_agenda
        and not AgendaItem.objects.filter(event=event).exclude(proposal="").exists()
    ):
        raise DomainError(
            _(
                "A plenary is announced only with an agenda: add at least one item with a "
                "concrete proposal (functional principle)."
            )
        )


def _typed_event_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Clean what people typed into the event's fields given, before any rule reads them."""
    labels = {
        "title": _("The title"),
        "place": _("The place"),
        "online_link": _("The link to join online"),
        "reminder_days": _("The days before the event to remind"),
        "description": _("The description"),
        "reminder_message": _("The message added to the reminders"),
    }
    for name, limit in SINGLE_LINE_FIELDS.items():
        if name in fields and fields[name] is not None:
            fields[name] = one_line(fields[name], limit=limit, field=labels[name])
    for name, limit in FREE_TEXT_FIELDS.items():
        if name in fields and fields[name] is not None:
            fields[name] = free_text(fields[name], limit=limit, field=labels[name])
    return fields


def _typed_agenda_item(title: str | None, proposal: str | None) -> tuple[str, str]:
    return (
        one_line(title, limit=AGENDA_TITLE_LENGTH, field=_("The agenda item")),
        free_text(proposal, limit=PROPOSAL_LENGTH, field=_("The proposal")),
    )


def _holds(by: Actor, permission: str, obj: Model | None) -> bool:
    """Whether `by` holds a permission now, without refusing (the system holds them all)."""
    if is_system(by):
        return True
    if by is None or not by.is_authenticated:
        return False
    forget_roles(by)
    forget_standing(by)
    return by.has_perm(permission, obj)


def _entities_of(by: Actor, network: Network) -> set[int]:
    """The entities `by` acts for in this network today, read afresh."""
    if is_system(by) or by is None or not by.is_authenticated:
        return set()
    forget_roles(by)
    roles = entity_roles(by)
    return set(roles.entities_in(network.pk)) if roles else set()


def _check_convener(
    network: Network,
    by: Actor,
    *,
    kind: str,
    commission: Commission | None,
    organisers: Iterable[Entity],
) -> None:
    """Who may convene what (see `events.rules`), checked on the kind, commission and organisers.

    The facilitator convenes the network's own events as facilitator; every
    other way in is acting for a member entity, which a facilitator never does.
    """
    if is_system(by):
        return
    if kind == EventKind.COMMISSION_MEETING and commission is None:
        raise DomainError(_("Say which commission meets."))
    mine = _entities_of(by, network) & {entity.pk for entity in organisers}
    for_an_entity = False
    if kind in KINDS_CONVENED_BY_THE_NETWORK:
        require_perm(
            by,
            "events.convene_network_event",
            network,
            _(
                "%(kind)s: the network's own events are convened by its facilitator or its "
                "regional interlocutor."
            )
            % {"kind": EventKind(kind).label},
        )
        if not _holds(by, "networks.run_network", network):
            interlocutor = set(
                Interlocutor.objects.filter(ended_at__isnull=True).values_list(
                    "entity_id", flat=True
                )
            )
            if not mine & interlocutor:
                raise DomainError(
                    _(
                        "The regional interlocutor convenes it through its entity: name the "
                        "interlocutor entity among the organisers."
                    )
                )
            for_an_entity = True
    elif kind != EventKind.COMMISSION_MEETING:
        require_perm(
            by,
            "events.organise_event",
            network,
            _("Events are organised by member entities: act for one of them."),
        )
        if not mine:
            raise DomainError(_("Name among the organisers an entity you act for."))
        for_an_entity = True
    if commission is not None:
        forget_standing(by)
        require_perm(
            by,
            "events.convene_commission_meeting",
            commission,
            _("Only the commission's promoters call its meetings or add events to it."),
        )
        if not PromoterTerm.objects.filter(
            commission=commission, ended_at__isnull=True, entity_id__in=mine
        ).exists():
            raise DomainError(
                _("Name among the organisers a promoter entity of the commission that you act for.")
            )
        for_an_entity = True
    if for_an_entity:
        refuse_facilitator(by, network)


def _require_manager(by: Actor, event: Event) -> None:
    """The event's organisers and the network's facilitator manage it (`events.manage_event`)."""
    require_perm(
        by,
        "events.manage_event",
        event,
        _("Only the event's organisers and the network's facilitator manage it."),
    )


@transaction.atomic
def create_event(
    *,
    network: Network,
    by: Actor,
    organisers: Iterable[Entity] = (),
    agenda: Iterable[Mapping[str, Any]] = (),
    announce: bool = False,
    **fields: Any,
) -> Event:
    """Create an event, its organisers and first agenda items; announce it if asked (4.1 d.1).

    Who may convene which kind of event is decided here (`_check_convener`).
    """
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    with network_scope(network):
        fields = _check_fields(network, _typed_event_fields(dict(fields)))
        organisers = list(organisers)
        _check_members(network, organisers)
        _check_convener(
            network,
            by,
            kind=fields["kind"],
            commission=fields.get("commission"),
            organisers=organisers,
        )
        items = []
        for item in agenda:
            title, proposal = _typed_agenda_item(item.get("title"), item.get("proposal"))
            _check_agenda_item(title, item.get("proposer"), proposal)
            items.append({"title": title, "proposer": item["proposer"], "proposal": proposal})
        _check_members(network, [item["proposer"] for item in items])
        event = Event.objects.create(network=network, created_by=person_or_none(by), **fields)
        EventOrganiser.objects.bulk_create(
            EventOrganiser(network=network, event=event, entity=entity) for entity in organisers
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                network=network,
                event=event,
                position=position,
                title=item["title"],
                proposer=item["proposer"],
                proposal=item["proposal"],
            )
            for position, item in enumerate(items, start=1)
        )
        if announce:
            _check_can_announce(event)
            event.status = EventStatus.ANNOUNCED
            event.announced_at = timezone.now()
            event.save(update_fields=["status", "announced_at"])
            news.tell_announced(event, by=by)
        record_change(
            network=network, subject=event, action=EventAction.CREATED, by=person_or_none(by)
        )
    return event


@transaction.atomic
def update_event(
    *, event: Event, by: Actor, organisers: Iterable[Entity] | None = None, **fields: Any
) -> Event:
    """Change an event's details, its reminders included; registrations stay as they are.

    A new kind or commission is checked as when the event is created.
    """
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    network = event.network
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _require_manager(by, locked)
        if locked.status == EventStatus.CANCELLED:
            raise DomainError(_("This event was cancelled: it can no longer be changed."))
        current = {name: getattr(locked, name) for name in EVENT_FIELDS}
        current["registration_closes_at"] = fields.get(
            "registration_closes_at", locked.registration_closes_at
        )
        stored = {name: getattr(locked, name) for name in MOMENT_LABELS}
        was = (locked.kind, locked.commission_id)
        merged = _check_fields(
            network, {**current, **_typed_event_fields(dict(fields))}, stored=stored
        )
        if organisers is not None:
            organisers = list(organisers)
            _check_members(network, organisers)
        new_commission = merged.get("commission")
        if (merged["kind"], getattr(new_commission, "pk", None)) != was:
            _check_convener(
                network,
                by,
                kind=merged["kind"],
                commission=new_commission,
                organisers=organisers
                if organisers is not None
                else [row.entity for row in EventOrganiser.objects.filter(event=locked)],
            )
        before = {name: getattr(locked, name) for name in news.TIME_AND_PLACE}
        for name, value in merged.items():
            setattr(locked, name, value)
        moved = any(getattr(locked, name) != before[name] for name in news.TIME_AND_PLACE)
        if moved:
            locked.sequence += 1
        if locked.capacity is not None:
            taken = _confirmed_people(locked)
            if taken > locked.capacity:
                raise DomainError(
                    _(
                        "%(count)s people are already confirmed: the capacity cannot be lower "
                        "than that."
                    )
                    % {"count": taken}
                )
        locked.save()
        if organisers is not None:
            EventOrganiser.objects.filter(event=locked).exclude(entity__in=organisers).delete()
            existing = set(
                EventOrganiser.objects.filter(event=locked).values_list("entity_id", flat=True)
            )
            EventOrganiser.objects.bulk_create(
                EventOrganiser(network=network, event=locked, entity=entity)
                for entity in organisers
                if entity.pk not in existing
            )
        _move_up_waiting_list(locked)
        if moved and locked.status == EventStatus.ANNOUNCED:
            news.tell_changed(locked)
        record_change(
            network=network,
            subject=locked,
            action=EventAction.UPDATED,
            by=person_or_none(by),
            changes={name: str(merged[name]) for name in fields},
        )
    event.refresh_from_db()
    return event


@transaction.atomic
def add_agenda_item(
    *, event: Event, by: Actor, title: str, proposer: Entity, proposal: str
) -> AgendaItem:
    """An agenda item names the entity that proposes it and what it proposes (4.1 d.1)."""
    title, proposal = _typed_agenda_item(title, proposal)
    _check_agenda_item(title, proposer, proposal)
    network = event.network
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _require_manager(by, locked)
        if locked.status == EventStatus.CANCELLED:
            raise DomainError(_("This event was cancelled: it can no longer be changed."))
        _check_members(network, [proposer])
        last = AgendaItem.objects.filter(event=locked).aggregate(last=Max("position"))["last"]
        return AgendaItem.objects.create(
            network=network,
            event=locked,
            position=(last or 0) + 1,
            title=title,
            proposer=proposer,
            proposal=proposal,
        )


@transaction.atomic
def announce_event(*, event: Event, by: Actor) -> Event:
    """Make a draft visible and open for registration; a plenary needs its agenda first."""
    network = event.network
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _require_manager(by, locked)
        if locked.status != EventStatus.DRAFT:
            raise DomainError(_("Only a draft can be announced."))
        _check_can_announce(locked)
        locked.status = EventStatus.ANNOUNCED
        locked.announced_at = timezone.now()
        locked.save(update_fields=["status", "announced_at"])
        news.tell_announced(locked, by=by)
        record_change(
            network=network, subject=locked, action=EventAction.ANNOUNCED, by=person_or_none(by)
        )
    event.refresh_from_db()
    return event


@transaction.atomic
def cancel_event(*, event: Event, by: Actor, reason: str = "") -> Event:
    """Call an event off: it stays in the record, registrations stay, reminders stop."""
    reason = free_text(reason, limit=REASON_LENGTH, field=_("The reason"))
    network = event.network
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _require_manager(by, locked)
        if locked.status == EventStatus.CANCELLED:
            raise DomainError(_("This event was already cancelled."))
        if locked.starts_at <= timezone.now():
            raise DomainError(_("This event has already started."))
        was_announced = locked.status == EventStatus.ANNOUNCED
        locked.status = EventStatus.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence"])
        if was_announced:
            news.tell_cancelled(locked, reason=reason)
        record_change(
            network=network,
            subject=locked,
            action=EventAction.CANCELLED,
            by=person_or_none(by),
            reason=reason,
        )
    event.refresh_from_db()
    return event


def _confirmed_people(event: Event) -> int:
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).aggregate(
            total=Sum("people")
        )["total"]
        or 0
    )


def _check_registration_open(event: Event, now: datetime) -> None:
    if event.status != EventStatus.ANNOUNCED:
        raise DomainError(_("This event is not open for registration."))
    if now >= event.registration_closes_at:
        raise DomainError(
            _("Registration for this event closed on %(closed)s.")
            % {"closed": local_time(event.registration_closes_at, event.network)}
        )


def _place_in_queue(event: Event, people: int, now: datetime) -> RegistrationStatus:
    """Confirmed if the people fit, else on the waiting list; more than the capacity is refused."""
    if event.capacity is None:
        return RegistrationStatus.CONFIRMED
    if people > event.capacity:
        raise DomainError(
            _("This event has room for %(capacity)s people in all: register fewer people.")
            % {"capacity": event.capacity}
        )
    waiting = Registration.objects.filter(
        event=event, status=RegistrationStatus.WAITLISTED
    ).exists()
    if not waiting and _confirmed_people(event) + people <= event.capacity:
        return RegistrationStatus.CONFIRMED
    return RegistrationStatus.WAITLISTED


def _write_confirmations(registration_ids: Iterable[int], now: datetime) -> None:
    """The confirmation mails, written to the outbox in the transaction that confirms."""
    queue_confirmations(Registration.objects.filter(pk__in=registration_ids), now=now)


@transaction.atomic
def register_entity(
    *, event: Event, entity: Entity, by: Actor, people: int | None = 1
) -> Registration:
    """A member entity registers itself and how many people it sends (participatory principle)."""
    network = event.network
    now = timezone.now()
    if people is None or people < 1:
        raise DomainError(_("Register at least one person."))
    with network_scope(network):
        require_acts_in_reach(by, entity, network)
        refuse_facilitator(by, network)
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _check_registration_open(locked, now)
        require_perm(
            by,
            "events.register_entity",
            locked,
            _("Only member entities of the network register for this event."),
        )
        if not is_in_reach(entity, network):
            raise DomainError(
                _("%(entity)s is not an active member of %(network)s.")
                % {"entity": entity, "network": network}
            )
        if (
            Registration.objects.filter(event=locked, entity=entity)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exists()
        ):
            raise DomainError(
                _("%(entity)s is already registered for this event.") % {"entity": entity}
            )
        status = _place_in_queue(locked, people, now)
        registration = Registration.objects.create(
            network=network,
            event=locked,
            entity=entity,
            user=person_or_none(by),
            people=people,
            status=status,
            created_at=now,
            confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
            language=getattr(by, "language", None) or get_language() or "es",
        )
        if status == RegistrationStatus.CONFIRMED:
            _write_confirmations([registration.pk], now)
    return registration


GUEST_NAME_MAX_LENGTH = 80


def clean_guest_name(name: str) -> str:
    """The one text of the registrant's that a mail carries: one short line, no web address."""
    name = single_line(name)
    if len(name) > GUEST_NAME_MAX_LENGTH:
        raise DomainError(
            _("Write your name in %(count)s characters or fewer.")
            % {"count": GUEST_NAME_MAX_LENGTH}
        )
    lowered = name.lower()
    if "://" in lowered or "www." in lowered:
        raise DomainError(_("Write only your name, without web addresses."))
    return name


def _owns_address(user: Actor, email: str) -> bool:
    """Has this person proved, by verifying it, that the address is theirs?"""
    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def register_person(
    *, event: Event, by: Actor, name: str, email: str, language: str | None = None
) -> Registration:
    """One person registers for a public event; the name and email stay with the organisers.

    `by` is whoever fills in the form, signed in or not. A registration for an
    address `by` has not verified as their own waits for its owner to confirm it
    through a mailed link: until then it takes no place and counts for nothing,
    and it lapses after `REQUEST_VALID_FOR`. Those mails are limited per address
    and per event (`events.confirmations`).
    """
    network = event.network
    now = timezone.now()
    name = clean_guest_name(name)
    email = (email or "").strip()
    if not name or not email:
        raise DomainError(_("Give your name and your email address."))
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Give a valid email address.")) from None
    user = by if by is not None and by.is_authenticated else None
    owner = _owns_address(user, email)
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _check_registration_open(locked, now)
        if locked.visibility != Visibility.PUBLIC:
            raise DomainError(_("This event is for member entities only."))
        existing = (
            Registration.objects.select_for_update()
            .filter(
                event=locked,
                entity__isnull=True,
                email__iexact=email,
                status__in=LIVE_REGISTRATION_STATUSES,
            )
            .first()
        )
        if existing is not None and existing.status != RegistrationStatus.PENDING:
            raise DomainError(_("This email address is already registered for this event."))
        if existing is not None and (
            owner or existing.expires_at is None or existing.expires_at <= now
        ):
            # Never confirmed: it lapses, and this registration takes its place.
            Registration.objects.filter(pk=existing.pk).update(status=RegistrationStatus.EXPIRED)
            existing = None
        values: dict[str, Any]
        if owner:
            status = _place_in_queue(locked, 1, now)
            values = {
                "status": status,
                "confirmed_at": now if status == RegistrationStatus.CONFIRMED else None,
            }
        else:
            take_mail_allowance(email=email, event=locked)
            values = {
                "status": RegistrationStatus.PENDING,
                "expires_at": now + REQUEST_VALID_FOR,
                "request_sent_at": None,
            }
        values.update(name=name, user=user, language=language or get_language() or "es")
        if existing is not None:
            # Asked again before confirming: a fresh link, under the same limits.
            for field, value in values.items():
                setattr(existing, field, value)
            existing.save(update_fields=list(values))
            registration = existing
        else:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        network=network,
                        event=locked,
                        email=email,
                        people=1,
                        created_at=now,
                        **values,
                    )
            except IntegrityError:
                raise DomainError(
                    _("This email address is already registered for this event.")
                ) from None
        if registration.status == RegistrationStatus.PENDING:
            write_request(registration, now=now)
        elif registration.status == RegistrationStatus.CONFIRMED:
            _write_confirmations([registration.pk], now)
    return registration


@transaction.atomic
def confirm_registration(*, event: Event, token: str, by: Actor) -> Registration:
    """The owner of the address confirms through the mailed link: only now is a place taken.

    `by` is whoever opened the link; the secret in it is what counts. Confirming
    twice changes nothing.
    """
    network = event.network
    now = timezone.now()
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registration = (
            Registration.objects.select_for_update()
            .filter(event=locked, cancel_token=token)
            .first()
        )
        if registration is None:
            raise DomainError(_("This link does not name a registration for this event."))
        if registration.status in ACTIVE_REGISTRATION_STATUSES:
            return registration
        if registration.status == RegistrationStatus.CANCELLED:
            raise DomainError(_("This registration was cancelled."))
        if (
            registration.status == RegistrationStatus.EXPIRED
            or registration.expires_at is None
            or registration.expires_at <= now
        ):
            raise DomainError(
                _("This link has expired. Register again from the event's page if you still wish.")
            )
        _check_registration_open(locked, now)
        status = _place_in_queue(locked, registration.people, now)
        registration.status = status
        registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
        registration.expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "expires_at"])
        if status == RegistrationStatus.CONFIRMED:
            _write_confirmations([registration.pk], now)
    return registration


def _move_up_waiting_list(event: Event) -> list[Registration]:
    """Confirm waiting registrations in the order they came, while they fit (event row locked)."""
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
            "created_at", "id"
        )
    )
    if not waiting:
        return []
    taken = _confirmed_people(event)
    now = timezone.now()
    moved = []
    for registration in waiting:
        if event.capacity is not None and taken + registration.people > event.capacity:
            break  # First come, first served: nobody jumps the queue.
        taken += registration.people
        moved.append(registration)
    if not moved:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in moved]).update(
        status=RegistrationStatus.CONFIRMED, confirmed_at=now
    )
    people = representative_ids_by_entity(
        (event.network_id, registration.entity_id)
        for registration in moved
        if registration.entity_id
    )
    notifications: list[Notification] = []
    for registration in moved:
        recipients = set(people.get((event.network_id, registration.entity_id), ()))
        if registration.user_id:
            recipients.add(registration.user_id)
        notifications.extend(
            Notification(
                network_id=event.network_id,
                recipient_id=user_id,
                kind=EventNotice.MOVED_UP,
                key=f"event.moved_up:{registration.pk}",
                context={
                    "event": event.title,
                    "starts": local_time(event.starts_at, event.network),
                },
                link=event.get_absolute_url(),
            )
            for user_id in recipients
        )
    queue_notifications(notifications)
    _write_confirmations([registration.pk for registration in moved], now)
    return moved


@transaction.atomic
def cancel_registration(
    *, registration: Registration, by: Actor, cancel_token: str | None = None
) -> Registration:
    """Cancel a registration before the event starts; the waiting list moves up.

    Whoever made it, whoever acts for the registered entity, the holder of the
    secret link mailed with the confirmation, and those who manage the event
    (its organisers and the facilitator) may cancel it.
    """
    event = registration.event
    network = event.network
    with network_scope(network):
        locked_event = Event.objects.select_for_update().get(pk=event.pk)
        locked = Registration.objects.get(pk=registration.pk)
        _check_may_cancel(by, locked, locked_event, cancel_token)
        if locked.status == RegistrationStatus.CANCELLED:
            raise DomainError(_("This registration was already cancelled."))
        if locked_event.starts_at <= timezone.now():
            raise DomainError(_("This event has already started."))
        Registration.objects.filter(pk=locked.pk).update(
            status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
        )
        _move_up_waiting_list(locked_event)
    registration.refresh_from_db()
    return registration


def _check_may_cancel(
    by: Actor, registration: Registration, event: Event, cancel_token: str | None
) -> None:
    if is_system(by):
        return
    if cancel_token and constant_time_compare(str(cancel_token), registration.cancel_token):
        return
    if by is not None and by.is_authenticated and registration.user_id == by.pk:
        return
    if _holds(by, "events.manage_event", event):
        return
    if registration.entity_id is None:
        raise DomainError(
            _(
                "Only the person who registered, the event's organisers and the network's "
                "facilitator may cancel this registration."
            )
        )
    # A facilitator manages every event of the network, so acting for the entity is
    # never their way in here: no neutrality to ask.
    require_acts_in_reach(by, registration.entity, event.network)


@transaction.atomic
def record_attendance(*, event: Event, attended: Mapping[int, int | None], by: Actor) -> Event:
    """The organiser marks who came, entity by entity, with how many people.

    `attended` maps a confirmed registration's id to the number of people who
    came (0 for nobody). Only once the event has started.
    """
    network = event.network
    now = timezone.now()
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _require_manager(by, locked)
        if locked.starts_at > now:
            raise DomainError(_("Attendance is recorded once the event has started."))
        registrations = {
            registration.pk: registration
            for registration in Registration.objects.filter(
                event=locked, status=RegistrationStatus.CONFIRMED
            )
        }
        if set(attended) - set(registrations):
            raise DomainError(
                _("Record attendance only for confirmed registrations of this event.")
            )
        for registration_id, count in attended.items():
            if count is None or count < 0:
                raise DomainError(_("The number of people who came cannot be negative."))
            registration = registrations[registration_id]
            registration.attended_people = count
        Registration.objects.bulk_update(
            [registrations[registration_id] for registration_id in attended], ["attended_people"]
        )
        locked.attendance_recorded_at = now
        locked.save(update_fields=["attendance_recorded_at"])
        record_change(
            network=network, subject=locked, action=EventAction.ATTENDANCE, by=person_or_none(by)
        )
    event.refresh_from_db()
    return event


@transaction.atomic
def save_minutes(
    *, event: Event, summary: str, by: Actor, decisions: Iterable[Mapping[str, Any]] = ()
) -> Minutes:
    """Write or rewrite the minutes: a summary and decisions with their follow-up actions.

    A decision already turned into a commission action keeps it; its text can
    still be corrected.
    """
    summary = free_text(summary, limit=SUMMARY_LENGTH, field=_("The summary"))
    if not summary:
        raise DomainError(_("Write a summary of the event in the minutes."))
    decisions = [
        {
            **data,
            "text": free_text(data.get("text"), limit=DECISION_LENGTH, field=_("A decision")),
            "follow_up": one_line(
                data.get("follow_up"), limit=FOLLOW_UP_LENGTH, field=_("A follow-up action")
            ),
        }
        for data in decisions
    ]
    network = event.network
    with network_scope(network):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _require_manager(by, locked)
        if locked.starts_at > timezone.now():
            raise DomainError(_("Minutes are written once the event has started."))
        decisions = [d for d in decisions if d["text"]]
        for data in decisions:
            commission = data.get("commission")
            if commission is not None and commission.network_id != network.pk:
                raise DomainError(_("Choose a commission of this network."))
        minutes, _created = Minutes.objects.update_or_create(
            event=locked,
            defaults={
                "network": network,
                "summary": summary,
                "written_by": person_or_none(by),
                "updated_at": timezone.now(),
            },
        )
        kept = {d.pk: d for d in Decision.objects.filter(minutes=minutes)}
        seen = set()
        for position, data in enumerate(decisions, start=1):
            decision = kept.get(data["id"]) if data.get("id") is not None else None
            if decision is None:
                decision = Decision(network=network, minutes=minutes)
            decision.position = position
            decision.text = data["text"]
            decision.follow_up = data["follow_up"]
            if decision.action_id is None:
                decision.commission = data.get("commission")
            decision.save()
            seen.add(decision.pk)
        Decision.objects.filter(minutes=minutes, action__isnull=True).exclude(pk__in=seen).delete()
    return minutes


@transaction.atomic
def publish_minutes(*, event: Event, by: Actor) -> Minutes:
    """Publish the minutes to the members, and tell the registered entities."""
    network = event.network
    with network_scope(network):
        _require_manager(by, Event.objects.select_for_update().get(pk=event.pk))
        minutes = Minutes.objects.select_for_update().filter(event=event).first()
        if minutes is None:
            raise DomainError(_("Write the minutes before publishing them."))
        if minutes.published_at is not None:
            raise DomainError(_("These minutes are already published."))
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["published_at"])
        entity_ids = set(
            Registration.objects.filter(
                event=event, status=RegistrationStatus.CONFIRMED, entity__isnull=False
            ).values_list("entity_id", flat=True)
        )
        people = representative_ids_by_entity((network.pk, entity_id) for entity_id in entity_ids)
        recipients = set().union(*people.values()) if people else set()
        queue_notifications(
            Notification(
                network=network,
                recipient_id=user_id,
                kind=EventNotice.MINUTES_PUBLISHED,
                key=f"event.minutes_published:{event.pk}",
                context={"event": event.title},
                link=event.get_absolute_url() + "acta/",
            )
            for user_id in recipients
        )
        record_change(
            network=network,
            subject=event,
            action=EventAction.MINUTES_PUBLISHED,
            by=person_or_none(by),
        )
    return minutes


@transaction.atomic
def turn_decision_into_action(
    *,
    decision: Decision,
    entity: Entity,
    responsible: Entity,
    by: Actor,
    due_on: date | None = None,
) -> Action:
    """A decision's follow-up becomes an action of the commission's work plan.

    Whoever may read the minutes, acting for a promoter entity of the
    commission: `commissions.services.add_action` decides who plans (and refuses
    a facilitator), exactly as on the commission's own page.
    """
    network = decision.network
    with network_scope(network):
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        require_perm(
            by,
            "events.view_minutes",
            Event.objects.get(pk=locked.minutes.event_id),
            _("Only those who may read the minutes act on their decisions."),
        )
        if not Minutes.objects.filter(pk=locked.minutes_id, published_at__isnull=False).exists():
            raise DomainError(
                _("A decision becomes a commission action once the minutes are published.")
            )
        if locked.action_id is not None:
            raise DomainError(_("This decision already is a commission action."))
        if locked.commission_id is None:
            raise DomainError(_("Say which commission follows this decision up."))
        title = locked.follow_up or locked.text
        commission = Commission.objects.get(pk=locked.commission_id)
        action = add_action(
            commission=commission,
            entity=entity,
            title=title[:300],
            responsible=responsible,
            due_on=due_on,
            by=by,
        )
        locked.action = action
        locked.save(update_fields=["action"])
    decision.refresh_from_db()
    return action


@transaction.atomic
def renew_calendar_token(*, user: User) -> CalendarToken:
    """A secret for the private calendar feed, made when the person asks for one; a new one
    replaces the old, whose address stops working at once."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token
