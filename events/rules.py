"""Who may do what with events, built from the roles of `networks.rules`.

Who convenes what: the network's own events (`KINDS_CONVENED_BY_THE_NETWORK`:
plenary, founding meeting, congress, induction workshop) by its facilitator or
its regional interlocutor (4.2 a, 4.2 c); a commission's meetings, and any
event linked to a commission, by that commission's promoters; every other
event by member entities, as its organisers. Whoever acts for an organising
entity manages that event, and the facilitator manages every event of the
network, without a vote. The services ask these same permissions
(`networks.authority`) and check the rest of the model.
"""

import rules
from django.db.models import Q

from commissions.rules import is_open as commission_is_open
from commissions.rules import is_promoter
from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    EventOrganiser,
    EventStatus,
    Minutes,
    Registration,
    Visibility,
)
from members.reach import acting_entity_ids
from members.rules import (
    entity_roles,
    interlocutor_convenes_plenaries,
    is_member,
    is_member_in_reach,
)
from networks.rules import can_run_network


def organiser_ids(event):
    """The organising entities' ids, read once per event object."""
    ids = getattr(event, "_organiser_ids", None)
    if ids is None:
        ids = event._organiser_ids = set(
            EventOrganiser.objects.with_scopes_disabled()
            .filter(event_id=event.pk)
            .values_list("entity_id", flat=True)
        )
    return ids


@rules.predicate
def is_organiser(user, event):
    """Acts for one of the event's organising entities."""
    roles = entity_roles(user)
    if roles is None or event is None:
        return False
    return bool(roles.entities_in(event.network_id) & organiser_ids(event))


def registered_viewers(event):
    """{user id: registered?} already known for this event object (filled by the selectors)."""
    known = getattr(event, "_registered_viewers", None)
    if known is None:
        known = event._registered_viewers = {}
    return known


@rules.predicate
def is_registered(user, event):
    """Has a place, or waits for one: personally, or through an entity they act for."""
    if event is None or not user.is_authenticated:
        return False
    known = registered_viewers(event)
    if user.pk not in known:
        roles = entity_roles(user)
        known[user.pk] = (
            Registration.objects.with_scopes_disabled()
            .filter(event_id=event.pk, status__in=ACTIVE_REGISTRATION_STATUSES)
            .filter(Q(user=user) | Q(entity_id__in=acting_entity_ids(roles, event.network)))
            .exists()
        )
    return known[user.pk]


def minutes_are_published(event):
    """Read once per event object, unless the selector that loaded it already knew."""
    published = getattr(event, "has_published_minutes", None)
    if published is None:
        published = event.has_published_minutes = (
            Minutes.objects.with_scopes_disabled()
            .filter(event_id=event.pk, published_at__isnull=False)
            .exists()
        )
    return published


@rules.predicate
def has_published_minutes(user, event):
    return event is not None and minutes_are_published(event)


@rules.predicate
def is_announced(user, event):
    return event is not None and event.status != EventStatus.DRAFT


@rules.predicate
def is_public_event(user, event):
    return event is not None and event.visibility == Visibility.PUBLIC


@rules.predicate
def is_open_event(user, event):
    return event is not None and event.status == EventStatus.ANNOUNCED


manages_event = can_run_network | is_organiser


@rules.predicate
def holds_registration(user, registration):
    """Made the registration, or acts for the entity it registers."""
    if registration is None or not user.is_authenticated:
        return False
    if registration.user_id == user.pk:
        return True
    roles = entity_roles(user)
    return (
        registration.entity_id is not None
        and roles is not None
        and registration.entity_id in acting_entity_ids(roles, registration.network)
    )


@rules.predicate
def manages_its_event(user, registration):
    return registration is not None and manages_event(user, registration.event)


rules.add_perm("events.create_event", can_run_network | is_member)
# On the network: its plenaries, founding meetings, congresses and induction workshops.
rules.add_perm("events.convene_network_event", can_run_network | interlocutor_convenes_plenaries)
# On the network: other events, organised by member entities.
rules.add_perm("events.organise_event", is_member)
# On a commission: its meetings, and any event linked to it.
rules.add_perm("events.convene_commission_meeting", commission_is_open & is_promoter)
rules.add_perm("events.manage_event", manages_event)
# Taking part reaches the members of the networks under this one (`members.reach`):
# a member of a region sees and registers for the national network's events.
rules.add_perm(
    "events.view_event",
    manages_event | (is_announced & (is_public_event | is_member_in_reach)),
)
rules.add_perm("events.register_entity", is_open_event & is_member_in_reach)
rules.add_perm("events.register_person", is_open_event & is_public_event)
# On a registration: whoever holds it, and whoever runs its event.
rules.add_perm("events.cancel_registration", holds_registration | manages_its_event)
# Minutes and their decisions: whoever runs the event, and the members once the
# minutes are published (a draft event has none to show to anybody else).
rules.add_perm(
    "events.view_minutes", manages_event | (is_announced & is_member & has_published_minutes)
)
# The link to join online: the page, the calendar files and the mails show it to
# whoever holds or waits for a place, and to whoever runs the event.
rules.add_perm("events.view_online_link", is_registered | manages_event)
