"""The events of each of a person's entities, in "My network" (`members.workspace_sections`).

What it registered for that is still to come, each with its calendar entry,
and what its networks announced that it may still register for.
"""

from typing import cast

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from commissions.workspace_section import seats_of
from events.models import ACTIVE_REGISTRATION_STATUSES, Event, EventStatus, Registration
from events.selectors import readable
from members.models import MembershipStatus
from members.workspace_sections import Section, reach_of

# The next events open for registration shown per network: enough to act on,
# few enough that a busy network does not bury the rest of the page.
OPEN_SHOWN_PER_NETWORK = 5


def events_of_entities(*, user, memberships) -> dict[int, Section]:
    """Two queries whatever the entities: registrations, events open to register for (the seats
    are those the commissions section read)."""
    now = timezone.now()
    # Its own network's events, and, as an active member, those of the networks above.
    pairs = reach_of(user, memberships)
    active = reach_of(
        user,
        [membership for membership in memberships if membership.status == MembershipStatus.ACTIVE],
    )
    entity_ids = {entity_id for _network_id, entity_id in pairs}
    network_ids = {network_id for network_id, _entity_id in pairs}
    still_to_come = readable(Event.objects.filter(ends_at__gte=now)).exclude(
        status=EventStatus.DRAFT
    )
    registrations = [
        registration
        for registration in Registration.objects.filter(
            entity_id__in=entity_ids,
            network_id__in=network_ids,
            status__in=ACTIVE_REGISTRATION_STATUSES,
            event__in=still_to_come.values("pk"),
        )
        .select_related("event__network")
        .order_by("event__starts_at", "event_id")
        if (registration.network_id, registration.entity_id) in pairs
    ]
    registered = {(registration.event_id, registration.entity_id) for registration in registrations}
    open_events = _open_events(active, seats_of(user, pairs), now) if active else []
    sections = {
        entity_id: Section(
            title=_("Events"),
            template="events/includes/workspace_events.html",
            items=[],
            empty=_("Your entity is not registered for any event to come."),
            extra={"open": []},
        )
        for entity_id in entity_ids
    }
    for registration in registrations:
        # Only an entity's registrations were read: its id is there.
        sections[cast(int, registration.entity_id)].items.append(registration)
    for event, entity_ids_invited in open_events:
        for entity_id in entity_ids_invited:
            if (event.pk, entity_id) not in registered:
                sections[entity_id].extra["open"].append(event)
    return sections


def _open_events(active, seats_in_reach, now):
    """[(event, the entities it is for)]: announced, to come, registration open; the first few
    of each network. A commission's event is for the commission's members, as its news is."""
    network_ids = {network_id for network_id, _entity_id in active}
    seats = {}
    for seat in seats_in_reach:
        if (seat.network_id, seat.entity_id) in active:
            seats.setdefault(seat.commission_id, set()).add(seat.entity_id)
    events = (
        readable(
            Event.objects.filter(
                network_id__in=network_ids,
                status=EventStatus.ANNOUNCED,
                starts_at__gt=now,
                registration_closes_at__gt=now,
            )
        )
        .filter(Q(commission__isnull=True) | Q(commission_id__in=list(seats)))
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("network_id")],
                order_by=[F("starts_at").asc(), F("id").asc()],
            )
        )
        .filter(position__lte=OPEN_SHOWN_PER_NETWORK)
        .select_related("network")
        .order_by("starts_at", "id")
    )
    by_network = {}
    for network_id, entity_id in active:
        by_network.setdefault(network_id, set()).add(entity_id)
    return [
        (
            event,
            seats.get(event.commission_id, set()) & by_network[event.network_id]
            if event.commission_id
            else by_network[event.network_id],
        )
        for event in events
    ]
