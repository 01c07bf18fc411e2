"""The national dashboard: the networks under a network (its regions), side by side.

The national facilitator compares the regional networks on the figures each
regional facilitator reads on their own overview (`facilitation.selectors.overview`,
`events.selectors.participation_of_networks`): members by platform and by kind of
entity (the proportions of section 5.1), commissions by state, events and
participation over the last 12 months, representative turnover, applications
waiting, and how each moved quarter by quarter.

Every read is grouped by network over the networks under this one, so the page
costs the same number of queries for two regions or twenty. The regions are
read together on purpose: each query names the networks in the reach.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Aggregate, Count, Model, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission
from events.models import Event, EventStatus
from events.selectors import (
    PARTICIPATION_WINDOW,
    Participation,
    participation_of_networks,
    taking_part,
)
from facilitation.selectors.overview import (
    RepresentativeTurnover,
    commission_figures,
    membership_figures,
)
from members.history import MembershipAction
from members.models import EntityKind, Membership, MembershipStatus
from members.reach import network_ids_in_reach
from networks.models import HistoryEntry, Network
from networks.scoping import all_networks
from platforms.models import Sector

QUARTERS = 4
MONTHS_IN_A_QUARTER = 3


@dataclass(frozen=True)
class Quarter:
    """Three months of the last twelve, ending at `ends_at` (excluded)."""

    starts_at: datetime
    ends_at: datetime

    @property
    def last_moment(self) -> datetime:
        return self.ends_at - timedelta(microseconds=1)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and hour `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def last_quarters(now: datetime) -> list[Quarter]:
    """The four quarters of the twelve months before `now`, the oldest first."""
    return [
        Quarter(
            starts_at=months_before(now, MONTHS_IN_A_QUARTER * (QUARTERS - index)),
            ends_at=months_before(now, MONTHS_IN_A_QUARTER * (QUARTERS - 1 - index)),
        )
        for index in range(QUARTERS)
    ]


@dataclass(frozen=True)
class Share:
    """A part of a region's active members: a platform's sector or a kind of entity."""

    label: str
    count: int
    percent: int | None


@dataclass(frozen=True)
class Bar:
    value: int | None
    height: int  # percent of the tallest bar of this figure across the regions

    @property
    def y(self) -> int:
        return 100 - self.height


@dataclass
class Trend:
    """One figure of a region, quarter by quarter, drawn as small bars."""

    label: object
    values: list[int | None]
    unit: str = ""
    bars: list[Bar] = field(default_factory=list)


@dataclass
class RegionFigures:
    network: Network
    active_members: int
    applications_waiting: int
    turnover: RepresentativeTurnover
    active_commissions: int
    stalled_commissions: int
    vacant_commissions: int
    events_held: int
    participation: Participation
    by_sector: list[Share]
    by_kind: list[Share]
    trends: list[Trend]


@dataclass
class NationalDashboard:
    network: Network
    quarters: list[Quarter]
    regions: list[RegionFigures]
    sectors: list[str]
    kinds: list[str]
    trend_labels: list


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _member_at(moment: datetime) -> Q:
    """A membership that had joined and not left at this moment."""
    joined = Q(joined_at__lt=moment) | Q(
        joined_at__isnull=True, status=MembershipStatus.ACTIVE, applied_at__lt=moment
    )
    return joined & (Q(left_at__isnull=True) | Q(left_at__gte=moment))


def _in_quarter(field_name: str, quarter: Quarter) -> Q:
    return Q(**{f"{field_name}__gte": quarter.starts_at, f"{field_name}__lt": quarter.ends_at})


def _grouped(queryset: QuerySet[Model], **figures: Aggregate) -> dict[int, dict]:
    rows = queryset.order_by().values("network_id").annotate(**figures)
    return {row["network_id"]: row for row in rows}


def _scale(trends_of_regions: list[list[Trend]]) -> None:
    """Each figure's bars against its tallest value across the regions, so they compare."""
    if not trends_of_regions:
        return
    for position in range(len(trends_of_regions[0])):
        same_figure = [trends[position] for trends in trends_of_regions]
        tallest = max((value or 0 for trend in same_figure for value in trend.values), default=0)
        for trend in same_figure:
            trend.bars = [
                Bar(value=value, height=round(100 * (value or 0) / tallest) if tallest else 0)
                for value in trend.values
            ]


def national_dashboard(*, network: Network, now: datetime | None = None) -> NationalDashboard:
    """The figures of every network under this one, in a fixed number of queries."""
    now = now or timezone.now()
    quarters = last_quarters(now)
    year_ago = now - PARTICIPATION_WINDOW
    under = [pk for pk in network_ids_in_reach(network) if pk != network.pk]
    with all_networks():
        regions = list(Network.objects.filter(pk__in=under).order_by(Lower("name"), "pk"))
        memberships = _grouped(
            Membership.objects.filter(network_id__in=under),
            **membership_figures(),
            **{
                f"members_{index}": Count("pk", filter=_member_at(quarter.ends_at))
                for index, quarter in enumerate(quarters)
            },
            **{
                f"applications_{index}": Count("pk", filter=_in_quarter("applied_at", quarter))
                for index, quarter in enumerate(quarters)
            },
        )
        active = Membership.objects.filter(
            network_id__in=under, status=MembershipStatus.ACTIVE
        ).order_by()
        # Active members by sector and by kind, from one count of each pair of them.
        sectors: Counter[tuple[int, str]] = Counter()
        kinds: Counter[tuple[int, str]] = Counter()
        for row in active.values("network_id", "platform__sector", "entity__kind").annotate(
            total=Count("pk")
        ):
            sectors[row["network_id"], row["platform__sector"]] += row["total"]
            kinds[row["network_id"], row["entity__kind"]] += row["total"]
        commissions = _grouped(
            Commission.objects.filter(network_id__in=under),
            **commission_figures(),
            **{
                f"open_{index}": Count(
                    "pk",
                    filter=Q(started_on__lte=timezone.localdate(quarter.last_moment))
                    & (
                        Q(closed_on__isnull=True)
                        | Q(closed_on__gt=timezone.localdate(quarter.last_moment))
                    ),
                )
                for index, quarter in enumerate(quarters)
            },
        )
        events = _grouped(
            Event.objects.filter(network_id__in=under, status=EventStatus.ANNOUNCED),
            held=Count("pk", filter=Q(starts_at__gte=year_ago, starts_at__lte=now)),
            **{
                f"held_{index}": Count("pk", filter=_in_quarter("starts_at", quarter))
                for index, quarter in enumerate(quarters)
            },
        )
        taking_part_by_quarter = _grouped(
            taking_part(since=quarters[0].starts_at, until=now).filter(network_id__in=under),
            **{
                f"took_part_{index}": Count(
                    "entity_id", distinct=True, filter=_in_quarter("event__starts_at", quarter)
                )
                for index, quarter in enumerate(quarters)
            },
        )
        replacements = _grouped(
            HistoryEntry.objects.filter(
                network_id__in=under,
                action=MembershipAction.REPRESENTATIVES,
                content_type=ContentType.objects.get_for_model(Membership),
                changes__has_key="representative",
                at__gte=quarters[0].starts_at,
            ).exclude(changes__representative__0=None),
            **{
                f"replaced_{index}": Count("pk", filter=_in_quarter("at", quarter))
                for index, quarter in enumerate(quarters)
            },
        )
    participation = participation_of_networks(network_ids=under, now=now)

    sector_shown = list(Sector)
    kind_shown = [kind for kind in EntityKind if any(k == kind for (_, k) in kinds)]
    figures = []
    for region in regions:
        counts = memberships.get(region.pk, {})
        states = commissions.get(region.pk, {})
        held = events.get(region.pk, {})
        took_part = taking_part_by_quarter.get(region.pk, {})
        replaced = replacements.get(region.pk, {})
        active_members = counts.get("active", 0)
        members_by_quarter = [counts.get(f"members_{index}", 0) for index in range(QUARTERS)]
        figures.append(
            RegionFigures(
                network=region,
                active_members=active_members,
                applications_waiting=counts.get("applied", 0),
                turnover=RepresentativeTurnover(
                    active_members=active_members, changed=counts.get("changed", 0)
                ),
                active_commissions=states.get("active", 0),
                stalled_commissions=states.get("stalled", 0),
                vacant_commissions=states.get("vacant", 0),
                events_held=held.get("held", 0),
                participation=participation[region.pk],
                by_sector=[
                    Share(
                        label=str(sector.label),
                        count=sectors.get((region.pk, sector.value), 0),
                        percent=_percent(sectors.get((region.pk, sector.value), 0), active_members),
                    )
                    for sector in sector_shown
                ],
                by_kind=[
                    Share(
                        label=str(kind.label),
                        count=kinds.get((region.pk, kind.value), 0),
                        percent=_percent(kinds.get((region.pk, kind.value), 0), active_members),
                    )
                    for kind in kind_shown
                ],
                trends=[
                    Trend(
                        label=_("Member entities at the quarter's end"), values=members_by_quarter
                    ),
                    Trend(
                        label=_("Applications received"),
                        values=[counts.get(f"applications_{i}", 0) for i in range(QUARTERS)],
                    ),
                    Trend(
                        label=_("Open commissions at the quarter's end"),
                        values=[states.get(f"open_{i}", 0) for i in range(QUARTERS)],
                    ),
                    Trend(
                        label=_("Events held"),
                        values=[held.get(f"held_{i}", 0) for i in range(QUARTERS)],
                    ),
                    Trend(
                        label=_("Participation in events"),
                        unit="%",
                        values=[
                            _percent(took_part.get(f"took_part_{i}", 0), members_by_quarter[i])
                            for i in range(QUARTERS)
                        ],
                    ),
                    Trend(
                        label=_("Representatives replaced"),
                        values=[replaced.get(f"replaced_{i}", 0) for i in range(QUARTERS)],
                    ),
                ],
            )
        )
    _scale([region.trends for region in figures])
    return NationalDashboard(
        network=network,
        quarters=quarters,
        regions=figures,
        sectors=[str(sector.label) for sector in sector_shown],
        kinds=[str(kind.label) for kind in kind_shown],
        trend_labels=[trend.label for trend in figures[0].trends] if figures else [],
    )
