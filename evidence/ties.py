"""The ties of a network over a period, read from the tables that record them.

Two member entities are tied when they sat in the same commission at the same
time, organised an event together, or one declared a collaboration with the
other (section 5.3: commissions, joint events, contacts and help). Every tie
carries its kind and is read for a period, so any year can be analysed. Only
entities that were members during the period count; a tie to anybody else is
left out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import combinations

from django.db.models import Q
from django.db.models.functions import Coalesce

from commissions.models import CommissionMember
from events.models import EventOrganiser, EventStatus
from evidence.models import Collaboration, CollaborationKind
from members.models import Membership, MembershipStatus
from platforms.models import Platform


class TieKind:
    COMMISSION = "commission"
    EVENT = "event"
    CONTACT = CollaborationKind.CONTACT.value
    HELP = CollaborationKind.HELP.value


@dataclass
class Member:
    entity_id: int
    name: str
    platform_id: int
    joined_on: date | None
    kind: str = ""


@dataclass
class Ties:
    """Who was in the network over the period, and who was tied to whom, and how."""

    period_start: date
    period_end: date
    members: list[Member]
    platforms: dict[int, str]
    # Undirected: (smaller entity id, larger entity id) -> the kinds of tie between them.
    pairs: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    # Directed, as declared: (from entity, to entity, kind, confirmed).
    declared: list[tuple[int, int, str, bool]] = field(default_factory=list)


def _moment(day: date, zone, *, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return moment.replace(tzinfo=zone)


def read_ties(*, network, period_start: date, period_end: date) -> Ties:
    """Every tie of `network` between two of its members over the period (both days included).

    A fixed number of queries, whatever the size of the network.
    """
    zone = network.zone
    starts, ends = _moment(period_start, zone), _moment(period_end, zone, end=True)
    member_rows = (
        Membership.objects.filter(
            status__in=[MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.LEFT]
        )
        # A membership made active without a date of joining (an import, the admin)
        # counts from its application.
        .annotate(since=Coalesce("joined_at", "applied_at"))
        .filter(since__lt=ends)
        .filter(Q(left_at__isnull=True) | Q(left_at__gte=starts))
        .order_by("entity_id")
        .values_list("entity_id", "entity__name", "platform_id", "since", "entity__kind")
    )
    members = [
        Member(entity_id, name, platform_id, since.astimezone(zone).date(), kind)
        for entity_id, name, platform_id, since, kind in member_rows
    ]
    present = {member.entity_id for member in members}
    platforms = {platform.pk: platform.label for platform in Platform.objects.all()}
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)

    def tie(first: int, second: int, kind: str) -> None:
        if first != second and first in present and second in present:
            pairs[(min(first, second), max(first, second))].add(kind)

    sittings = defaultdict(list)
    for commission_id, entity_id, joined_on, left_on in (
        CommissionMember.objects.filter(joined_on__lte=period_end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period_start))
        .values_list("commission_id", "entity_id", "joined_on", "left_on")
    ):
        sittings[commission_id].append(
            (entity_id, max(joined_on, period_start), min(left_on or period_end, period_end))
        )
    for seats in sittings.values():
        for (first, first_from, first_to), (second, second_from, second_to) in combinations(
            seats, 2
        ):
            if max(first_from, second_from) <= min(first_to, second_to):
                tie(first, second, TieKind.COMMISSION)

    organisers = defaultdict(list)
    for event_id, entity_id in (
        EventOrganiser.objects.filter(event__starts_at__gte=starts, event__starts_at__lt=ends)
        .exclude(event__status=EventStatus.CANCELLED)
        .values_list("event_id", "entity_id")
    ):
        organisers[event_id].append(entity_id)
    for entity_ids in organisers.values():
        for first, second in combinations(entity_ids, 2):
            tie(first, second, TieKind.EVENT)

    declared = []
    for from_id, to_id, kind, confirmed_at in Collaboration.objects.filter(
        happened_on__gte=period_start, happened_on__lte=period_end
    ).values_list("from_entity_id", "to_entity_id", "kind", "confirmed_at"):
        if from_id in present and to_id in present:
            tie(from_id, to_id, kind)
            declared.append((from_id, to_id, kind, confirmed_at is not None))

    return Ties(
        period_start=period_start,
        period_end=period_end,
        members=members,
        platforms=platforms,
        pairs=dict(pairs),
        declared=declared,
    )
