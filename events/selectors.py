"""Reads behind the event pages, the calendars and the participation figure."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from commissions.models import Commission, CommissionState, PromoterTerm
from core.actors import Actor
from core.dates import READABLE_FROM, READABLE_UNTIL
from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    KINDS_CONVENED_BY_THE_NETWORK,
    AgendaItem,
    CalendarToken,
    Decision,
    Event,
    EventKind,
    EventOrganiser,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    Visibility,
)
from events.rules import registered_viewers
from members.models import Membership, MembershipStatus
from members.reach import acting_entity_ids, has_networks_under, network_ids_in_reach
from members.rules import entity_roles
from networks.models import Network
from networks.rules import facilitated_ids, is_facilitator
from networks.scoping import all_networks, network_scope

PARTICIPATION_WINDOW = timedelta(days=365)


def readable(events: QuerySet[Event]) -> QuerySet[Event]:
    """Leave out events whose moments no page could read back.

    Nothing typed today can be stored outside these bounds (`core.dates`), but
    a row written before they existed (an end in year 10000 UTC) would otherwise
    make every list that loads it fail, for everyone. Both bounds are needed: on
    SQLite the moments are text, where "10000-01-01" sorts before "1900-01-01".
    """
    return events.filter(
        starts_at__gte=READABLE_FROM,
        starts_at__lt=READABLE_UNTIL,
        ends_at__gte=READABLE_FROM,
        ends_at__lt=READABLE_UNTIL,
        registration_closes_at__gte=READABLE_FROM,
        registration_closes_at__lt=READABLE_UNTIL,
    )


def _with_organisers(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.select_related("network", "commission").prefetch_related(
        Prefetch(
            "organiser_rows",
            queryset=EventOrganiser.objects.select_related("entity").order_by("entity__name"),
        )
    )


def _remember_organisers(events: list[Event]) -> list[Event]:
    for event in events:
        event._organiser_ids = {row.entity_id for row in event.organiser_rows.all()}
    return events


def viewable_events(*, network: Network, user: Actor) -> QuerySet[Event]:
    """The events of a network this person may see: the `events.view_event` rule as a query.

    Whoever runs the network sees every event; organisers also see their own
    drafts; members see announced events; anybody else announced public ones.
    Call it inside the network's scope (a request under the network has it).
    """
    events = readable(Event.objects.all())
    if user.has_perm("networks.run_network", network):
        return events
    roles = entity_roles(user)
    entity_ids = acting_entity_ids(roles, network)
    viewable = ~Q(status=EventStatus.DRAFT)
    if not entity_ids:
        return events.filter(viewable & Q(visibility=Visibility.PUBLIC))
    organised = Q(pk__in=EventOrganiser.objects.filter(entity_id__in=entity_ids).values("event_id"))
    return events.filter(viewable | organised)


@dataclass
class ConveningChoices:
    """What a person may convene in a network: the kinds of event, and the commissions."""

    kinds: list
    commissions: list


def convening_choices(*, network: Network, user: Actor) -> ConveningChoices:
    """The kinds and commissions the event form offers this person (`events.rules`).

    The network's own events to whoever may convene them; other kinds to a
    person acting for a member entity (never its facilitator); commission
    meetings, and the commissions an event may belong to, to the promoters of
    open commissions.
    """
    roles = entity_roles(user)
    mine = roles.entities_in(network.pk) if roles else set()
    for_members = bool(mine) and not is_facilitator(user, network)
    for_members = for_members and user.has_perm("events.organise_event", network)
    commissions = []
    if for_members:
        with network_scope(network):
            promoted = PromoterTerm.objects.filter(
                entity_id__in=mine, ended_at__isnull=True
            ).values("commission_id")
            commissions = list(
                Commission.objects.filter(pk__in=promoted)
                .exclude(state=CommissionState.CLOSED)
                .order_by("name")
            )
    network_wide = user.has_perm("events.convene_network_event", network)
    kinds = [
        kind
        for kind in EventKind
        if (kind in KINDS_CONVENED_BY_THE_NETWORK and network_wide)
        or (kind == EventKind.COMMISSION_MEETING and commissions)
        or (
            kind not in KINDS_CONVENED_BY_THE_NETWORK
            and kind != EventKind.COMMISSION_MEETING
            and for_members
        )
    ]
    return ConveningChoices(kinds=kinds, commissions=commissions)


@dataclass
class EventList:
    upcoming: list
    past: list


def _events_under(
    *, network: Network, user: Actor, region: Network | None = None
) -> QuerySet[Event]:
    """The events of the networks under this one (its regions) that this person may see there.

    What each regional network shows: announced events, for its members only
    when they are, to whoever acts for one of its members or facilitates it.
    A region's drafts stay on its own pages.
    """
    under = network_ids_in_reach(region if region is not None else network)
    ids = [pk for pk in under if pk != network.pk]
    roles = entity_roles(user)
    insiders = {pk for pk in ids if roles and roles.entities_in(pk)} | (
        set(ids) & facilitated_ids(user)
    )
    # Read across the regions on purpose: the query names them, and each row is
    # shown only as its own network would show it.
    return readable(Event.objects.with_scopes_disabled().all()).filter(
        Q(network_id__in=ids),
        ~Q(status=EventStatus.DRAFT),
        Q(visibility=Visibility.PUBLIC) | Q(network_id__in=insiders),
    )


def event_list(
    *,
    network: Network,
    user: Actor,
    now: datetime | None = None,
    region: Network | None = None,
) -> EventList:
    """The events a person may see in a network; the national one adds its regions' events.

    `region` narrows a network with networks under it to one of them.
    """
    now = now or timezone.now()
    with network_scope(network):
        if has_networks_under(network):
            regional = _events_under(network=network, user=user, region=region)
            found = regional if region is not None else viewable_events(network=network, user=user)
            if region is None:
                found = found | regional
            events = _remember_organisers(
                list(
                    found.select_related("network", "commission")
                    .prefetch_related(
                        Prefetch(
                            "organiser_rows",
                            queryset=EventOrganiser.objects.with_scopes_disabled()
                            .select_related("entity")
                            .order_by("entity__name"),
                        )
                    )
                    .order_by("starts_at", "id")
                )
            )
        else:
            events = _remember_organisers(
                list(
                    _with_organisers(viewable_events(network=network, user=user)).order_by(
                        "starts_at", "id"
                    )
                )
            )
    upcoming = [event for event in events if event.ends_at >= now]
    past = [event for event in events if event.ends_at < now]
    past.reverse()
    return EventList(upcoming=upcoming, past=past)


@dataclass
class EventPage:
    event: Event
    organisers: list
    agenda: list
    confirmed_people: int
    waiting_count: int
    public_registrations: list  # confirmed entities: public facts only
    my_registrations: list = field(default_factory=list)
    minutes: Minutes | None = None
    decisions: list = field(default_factory=list)

    @property
    def seats_left(self) -> int | None:
        if self.event.capacity is None:
            return None
        return max(self.event.capacity - self.confirmed_people, 0)


def upcoming_events(
    *, network: Network, limit: int = 5, now: datetime | None = None
) -> list[Event]:
    """The next events of a network, drafts included (its facilitators see them), none cancelled."""
    now = now or timezone.now()
    with network_scope(network):
        return list(
            readable(Event.objects.filter(ends_at__gte=now))
            .select_related("network")
            .exclude(status=EventStatus.CANCELLED)
            .order_by("starts_at", "id")[:limit]
        )


def get_event(*, network: Network, event_id: int) -> Event | None:
    """The event with its organisers, its minutes if any (`minutes_of`), and how many people
    its confirmed registrations bring and how many wait (for `event_page`)."""
    with network_scope(network):
        registrations = Registration.objects.filter(event=OuterRef("pk")).order_by().values("event")
        event = _with_organisers(
            readable(Event.objects.filter(pk=event_id))
            .select_related("minutes")
            .annotate(
                people_confirmed=Subquery(
                    registrations.filter(status=RegistrationStatus.CONFIRMED)
                    .annotate(people_in_all=Sum("people"))
                    .values("people_in_all")
                ),
                registrations_waiting=Subquery(
                    registrations.filter(status=RegistrationStatus.WAITLISTED)
                    .annotate(waiting=Count("pk"))
                    .values("waiting")
                ),
            )
        ).first()
        if event is not None:
            # The network is already loaded by the middleware, with its reach.
            event.network = network
            _remember_organisers([event])
            minutes = minutes_of(event)
            event.has_published_minutes = minutes is not None and minutes.is_published  # type: ignore[attr-defined]
        return event


def minutes_of(event: Event) -> Minutes | None:
    """The event's minutes, or None: loaded with the event by `get_event`."""
    try:
        return event.minutes
    except Minutes.DoesNotExist:
        return None


def event_page(*, event: Event, user: Actor) -> EventPage:
    """Everything the event page shows, in a number of queries that does not grow.

    `event` as `get_event` loads it: with its minutes and registration totals.
    """
    network = event.network
    with network_scope(network):
        agenda = list(
            AgendaItem.objects.filter(event=event).select_related("proposer").order_by("position")
        )
        public_registrations = list(
            Registration.objects.filter(
                event=event, status=RegistrationStatus.CONFIRMED, entity__isnull=False
            )
            .select_related("entity")
            .order_by("entity__name")
            .only("id", "entity__name", "entity__slug", "people", "event_id", "network_id")
        )
        mine = []
        roles = entity_roles(user)
        if roles is not None:
            entity_ids = acting_entity_ids(roles, network)
            mine = list(
                Registration.objects.filter(Q(entity_id__in=entity_ids) | Q(user=user), event=event)
                .filter(status__in=ACTIVE_REGISTRATION_STATUSES)
                .select_related("entity")
                .order_by("created_at")
            )
            registered_viewers(event)[user.pk] = bool(mine)
        minutes = minutes_of(event)
        # What `get_event` sets, known here without asking (`events.rules`).
        event.has_published_minutes = minutes is not None and minutes.is_published  # type: ignore[attr-defined]
        decisions = []
        if minutes is not None:
            decisions = list(
                Decision.objects.filter(minutes=minutes)
                .select_related("commission", "action")
                .order_by("position", "id")
            )
    return EventPage(
        event=event,
        organisers=[row.entity for row in event.organiser_rows.all()],
        agenda=agenda,
        # Counted with the event (`get_event`).
        confirmed_people=event.people_confirmed or 0,  # type: ignore[attr-defined]
        waiting_count=event.registrations_waiting or 0,  # type: ignore[attr-defined]
        public_registrations=public_registrations,
        my_registrations=mine,
        minutes=minutes,
        decisions=decisions,
    )


def registrations_of(*, event: Event) -> list[Registration]:
    """Every registration of an event, for its organisers: people's details included."""
    with network_scope(event.network):
        return list(
            Registration.objects.filter(event=event)
            .select_related("entity", "user")
            .order_by("status", "created_at", "id")
        )


def network_calendar(*, network: Network) -> list[Event]:
    """The network's public calendar: announced and cancelled public events, recent and coming.

    A network with networks under it adds their public events, as its events list
    shows them to a visitor: the file is the same for every reader.
    """
    since = timezone.now() - PARTICIPATION_WINDOW
    with network_scope(network):
        events = readable(Event.objects.filter(visibility=Visibility.PUBLIC)).exclude(
            status=EventStatus.DRAFT
        )
        if has_networks_under(network):
            events = events | _events_under(network=network, user=AnonymousUser())
        return list(
            events.filter(ends_at__gte=since).select_related("network").order_by("starts_at", "id")
        )


def commission_calendar(
    *, network: Network, commission_id: int
) -> tuple[Commission | None, list[Event]]:
    since = timezone.now() - PARTICIPATION_WINDOW
    with network_scope(network):
        commission = Commission.objects.filter(pk=commission_id).first()
        if commission is None:
            return None, []
        events = list(
            readable(
                Event.objects.filter(
                    commission=commission, visibility=Visibility.PUBLIC, ends_at__gte=since
                )
            )
            .exclude(status=EventStatus.DRAFT)
            .select_related("network")
            .order_by("starts_at")
        )
    return commission, events


def personal_calendar(*, user: Actor) -> list[Event]:
    """What this person, or an entity they act for, registered for, in every network."""
    roles = entity_roles(user)
    since = timezone.now() - PARTICIPATION_WINDOW
    query = Q(user=user, entity__isnull=True)
    pairs = {
        (network_id, entity_id)
        for mapping in (roles.representative, roles.alternate)
        for network_id, entity_ids in mapping.items()
        for entity_id in entity_ids
    }
    for network_id, entity_id in pairs:
        query |= Q(network_id=network_id, entity_id=entity_id)
    # A person's own feed spans the networks they take part in, by design.
    with all_networks():
        event_ids = Registration.objects.filter(query, status=RegistrationStatus.CONFIRMED).values(
            "event_id"
        )
        events = list(
            readable(Event.objects.filter(pk__in=event_ids, ends_at__gte=since))
            .exclude(status=EventStatus.DRAFT)
            .select_related("network")
            .order_by("starts_at")
        )
    if user.is_authenticated:
        for event in events:
            # Each one is here because this person, or their entity, holds a place.
            registered_viewers(event)[user.pk] = True
    return events


@dataclass
class Participation:
    members: int
    participating: int

    @property
    def percent(self) -> int | None:
        if not self.members:
            return None
        return round(100 * self.participating / self.members)


def taking_part(*, since: datetime, until: datetime) -> QuerySet[Registration]:
    """Registrations of member entities that took part in an event starting in [since, until].

    Taking part is attending when the organiser recorded attendance, or a
    confirmed registration for a past event whose attendance was never recorded.
    Unscoped: the caller opens the scope, or names the networks.
    """
    return Registration.objects.filter(
        entity__isnull=False,
        status=RegistrationStatus.CONFIRMED,
        event__starts_at__gte=since,
        event__starts_at__lte=until,
    ).filter(
        Q(attended_people__gt=0)
        | Q(event__attendance_recorded_at__isnull=True, attended_people__isnull=True)
    )


def participation_share(*, network: Network, now: datetime | None = None) -> Participation:
    """Share of active member entities that took part in an event of the last 12 months (5.3)."""
    return participation_of_networks(network_ids=[network.pk], now=now)[network.pk]


def participation_of_networks(
    *, network_ids: Collection[int], now: datetime | None = None
) -> dict[int, Participation]:
    """`participation_share` of each of these networks, in one grouped query.

    Each network's members count the events of their own network. The national
    dashboard compares its regions with it, so the query spans the networks it
    names on purpose.
    """
    now = now or timezone.now()
    with all_networks():
        took_part = taking_part(since=now - PARTICIPATION_WINDOW, until=now).filter(
            network_id=OuterRef("network_id"), entity_id=OuterRef("entity_id")
        )
        rows = (
            Membership.objects.filter(network_id__in=network_ids, status=MembershipStatus.ACTIVE)
            .order_by()
            .values("network_id")
            .annotate(
                members=Count("id"),
                participating=Count("id", filter=Q(Exists(took_part))),
            )
        )
        found = {
            row["network_id"]: Participation(
                members=row["members"], participating=row["participating"]
            )
            for row in rows
        }
    return {
        network_id: found.get(network_id, Participation(members=0, participating=0))
        for network_id in network_ids
    }


def calendar_token_of(user: Actor) -> CalendarToken | None:
    """The person's private calendar secret, if they asked for one."""
    return CalendarToken.objects.filter(user=user).first()


# Reads behind the API: run in the request's network scope --------------------


def events_with_counts(*, network: Network, user: Actor) -> QuerySet[Event]:
    """The events this person may see (`viewable_events`), with their numbers and organisers."""
    events = viewable_events(network=network, user=user)
    return (
        events.select_related("network")
        .annotate(
            confirmed_people=Sum(
                "registrations__people", filter=Q(registrations__status="confirmed")
            ),
            waiting_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
        )
        .prefetch_related(
            Prefetch(
                "organiser_rows",
                queryset=EventOrganiser.objects.select_related("entity").order_by("entity__name"),
            )
        )
    )


def registrations_listed(event: Event, *, everyone: bool) -> QuerySet[Registration]:
    """Every registration (for who runs the event), or the confirmed entities' only."""
    registrations = Registration.objects.filter(event=event).select_related("entity")
    if not everyone:
        registrations = registrations.filter(
            status=RegistrationStatus.CONFIRMED, entity__isnull=False
        )
    return registrations.order_by("created_at", "id")


def attendance_of(event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .select_related("entity")
        .order_by("created_at", "id")
    )
