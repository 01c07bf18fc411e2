"""What the yearly activity report says (recommendation 1), read once for a network and a year.

`gather` reads the summary (members who joined and left, the composition of
the members at the end of the year as section 5.1 describes it, participation
in events), every commission's sheet of the year in date order with its member
entities, every event held with its minutes and decisions, and the
announcements to the whole network, in a fixed number of queries whatever
the size of the network. The national network's report gathers its regions
(`members.reach`): every query names the networks in reach.

What it returns is plain data (strings, numbers, ISO dates), kept as it is
in `ActivityReport.data`: a report of a past year reads the same whatever
changes later. Labels are written in the language active when it is read.
People are never named: entities are the network's public members, and a
sheet's participants are as its commission wrote them for the sheet.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from announcements.models import Announcement
from commissions.models import ClosingSheet, CommissionMember
from events.models import Decision, Event, EventKind, EventStatus, Registration, RegistrationStatus
from members.models import Entity, EntityKind, Membership, MembershipStatus, PriorityAreaCode
from members.reach import network_ids_in_reach
from networks.models import Network
from networks.scoping import all_networks
from platforms.models import Sector

ONCE_A_MEMBER = [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.LEFT]


def year_bounds(network, year: int) -> tuple[datetime, datetime]:
    """The first moment of the year and of the next one, in the network's calendar."""
    zone = network.zone
    return (
        datetime.combine(date(year, 1, 1), time.min).replace(tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min).replace(tzinfo=zone),
    )


def _day(moment, zone) -> str:
    return timezone.localtime(moment, zone).date().isoformat() if moment else ""


def _counted(counter: Counter, labels: dict) -> list[list]:
    """[[label, count], …], the largest first, then by label."""
    rows = [[str(labels.get(key, key)), count] for key, count in counter.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def gather(*, network: Network, year: int) -> dict:
    """Everything the report of `network` for `year` says, but its analysis of ties."""
    zone = network.zone
    starts, ends = year_bounds(network, year)
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    ids = network_ids_in_reach(network)
    # The national network's report reads its regions on purpose; every query names them.
    with all_networks():
        names = dict(Network.objects.filter(pk__in=ids).values_list("pk", "name"))
        memberships = Membership.objects.filter(network_id__in=ids, status__in=ONCE_A_MEMBER)
        memberships = memberships.annotate(since=Coalesce("joined_at", "applied_at"))
        summary = _summary(memberships, starts, ends, zone, names, ids)
        sheets = _sheets(ids, year, first_day, last_day, zone, names)
        events = _events(ids, starts, ends, zone, names)
        announcements = [
            {
                "title": title,
                "body": body,
                "day": _day(created_at, zone),
                "public": public,
                "network": names.get(network_id, ""),
            }
            for title, body, created_at, public, network_id in Announcement.objects.filter(
                network_id__in=ids,
                commission__isnull=True,
                created_at__gte=starts,
                created_at__lt=ends,
            )
            .order_by("created_at", "pk")
            .values_list("title", "body", "created_at", "public", "network_id")
        ]
    summary["participation"]["events"] = len(events)
    return {
        "network": network.name,
        "year": year,
        "networks": [names[pk] for pk in ids if pk != network.pk and pk in names],
        "summary": summary,
        "sheets": sheets,
        "events": events,
        "announcements": announcements,
    }


def _summary(memberships, starts, ends, zone, names, ids) -> dict:
    joined = [
        {"entity": name, "day": _day(since, zone), "network": names.get(network_id, "")}
        for name, since, network_id in memberships.filter(since__gte=starts, since__lt=ends)
        .order_by("since", "entity__name")
        .values_list("entity__name", "since", "network_id")
    ]
    left = [
        {"entity": name, "day": _day(left_at, zone), "network": names.get(network_id, "")}
        for name, left_at, network_id in memberships.filter(left_at__gte=starts, left_at__lt=ends)
        .order_by("left_at", "entity__name")
        .values_list("entity__name", "left_at", "network_id")
    ]
    # The members at the end of the year: joined before it ended, not gone by then.
    at_end = memberships.filter(since__lt=ends).filter(
        Q(left_at__isnull=True) | Q(left_at__gte=ends)
    )
    kinds: Counter = Counter()
    sectors: Counter = Counter()
    entity_ids: set[int] = set()
    for entity_id, kind, sector in at_end.order_by("entity_id").values_list(
        "entity_id", "entity__kind", "platform__sector"
    ):
        if entity_id in entity_ids:
            continue  # an entity in two regions counts once
        entity_ids.add(entity_id)
        kinds[kind] += 1
        sectors[sector] += 1
    areas: Counter = Counter(
        code
        for code, _entity_id in set(
            Entity.priority_areas.through.objects.filter(
                entity_id__in=at_end.values("entity_id")
            ).values_list("priorityarea__code", "entity_id")
        )
    )
    took_part = set(
        Registration.objects.filter(
            event__network_id__in=ids,
            entity__isnull=False,
            status=RegistrationStatus.CONFIRMED,
            event__starts_at__gte=starts,
            event__starts_at__lt=ends,
        )
        .filter(
            Q(attended_people__gt=0)
            | Q(event__attendance_recorded_at__isnull=True, attended_people__isnull=True)
        )
        .values_list("entity_id", flat=True)
    )
    members = len(entity_ids)
    participating = len(took_part & entity_ids)
    return {
        "joined": joined,
        "left": left,
        "members": members,
        "composition": {
            "kinds": _counted(kinds, dict(EntityKind.choices)),
            "platforms": _counted(sectors, dict(Sector.choices)),
            "areas": _counted(areas, dict(PriorityAreaCode.choices)),
        },
        "participation": {
            "members": members,
            "participating": participating,
            "percent": round(100 * participating / members) if members else None,
            "events": 0,
        },
    }


def _sheets(ids, year, first_day, last_day, zone, names) -> list[dict]:
    """The commissions' sheets of the year, in the order they were filled."""
    sheets = list(
        ClosingSheet.objects.filter(commission__network_id__in=ids, year=year)
        .select_related("commission", "entity")
        .order_by("filled_at", "pk")
    )
    seats: dict[int, list[str]] = {}
    for commission_id, name in (
        CommissionMember.objects.filter(
            commission_id__in={sheet.commission_id for sheet in sheets},
            joined_on__lte=last_day,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first_day))
        .order_by("entity__name", "pk")
        .values_list("commission_id", "entity__name")
    ):
        seats.setdefault(commission_id, []).append(name)
    return [
        {
            "commission": sheet.commission.name,
            "network": names.get(sheet.commission.network_id, ""),
            "occasion": str(sheet.get_occasion_display()),
            "day": _day(sheet.filled_at, zone),
            "filled_by": sheet.entity.name,
            "entities": sorted(set(seats.get(sheet.commission_id, []))),
            "participants": sheet.participants,
            "objectives": sheet.objectives,
            "methodology": sheet.methodology,
            "activities": sheet.activities,
            "results": sheet.results,
            "evaluation": sheet.evaluation,
        }
        for sheet in sheets
    ]


def _events(ids, starts, ends, zone, names) -> list[dict]:
    """The events held in the year, in date order, with their published minutes and decisions."""
    events = list(
        Event.objects.filter(network_id__in=ids, starts_at__gte=starts, starts_at__lt=ends)
        .exclude(status__in=[EventStatus.DRAFT, EventStatus.CANCELLED])
        .select_related("commission", "minutes")
        .annotate(
            entities=Count(
                "registrations__entity",
                filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
                distinct=True,
            )
        )
        .order_by("starts_at", "pk")
    )
    decisions: dict[int, list[dict]] = {}
    for event_id, text, follow_up in (
        Decision.objects.filter(
            minutes__event_id__in=[event.pk for event in events],
            minutes__published_at__isnull=False,
        )
        .order_by("position", "pk")
        .values_list("minutes__event_id", "text", "follow_up")
    ):
        decisions.setdefault(event_id, []).append({"text": text, "follow_up": follow_up})
    kinds = dict(EventKind.choices)
    rows = []
    for event in events:
        minutes = getattr(event, "minutes", None)
        rows.append(
            {
                "title": event.title,
                "kind": str(kinds.get(event.kind, event.kind)),
                "day": _day(event.starts_at, zone),
                "last_day": _day(event.ends_at - timedelta(seconds=1), zone),
                "place": event.place,
                "commission": event.commission.name if event.commission else "",
                "network": names.get(event.network_id, ""),
                "entities": event.entities,
                "minutes": minutes.summary if minutes and minutes.published_at else "",
                "decisions": decisions.get(event.pk, []),
            }
        )
    return rows
