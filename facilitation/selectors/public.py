"""Reads behind the public network pages: the home list of networks and a network's page.

They roll up what several apps hold (members per platform, open commissions),
which is why they live at the top, with the facilitator's pages.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lower, RowNumber

from commissions.models import Commission, CommissionMember, CommissionState
from facilitation import counters
from members.models import Membership, MembershipStatus
from members.reach import has_networks_under, memberships_in_reach, network_ids_in_reach
from members.selectors import one_per_entity
from networks.models import CharterVersion, Interlocutor, Network, NetworkKind
from networks.scoping import all_networks, network_scope
from networks.selectors import current_charter, interlocutor_terms
from platforms.models import Platform

# A platform with more active members than this shows the first few and links to the
# directory filtered by that platform.
MEMBERS_SHOWN_PER_PLATFORM = 8
# The open commissions a network's page lists (the network's own first, then by name),
# and the latest closed ones: the commissions' page lists every one of them.
OPEN_COMMISSIONS_SHOWN = 30
ARCHIVED_COMMISSIONS_SHOWN = 10
# What the network's page shows of each of the first members of a platform: the window
# over every member reads no more than these.
MEMBER_FIELDS = (
    "network",
    "entity",
    "entity__name",
    "entity__slug",
    "network__slug",
    "network__name",
    "network__region",
)
# What the network's page shows of each commission: a network in reach of the national
# one may hold thousands, and a commission's other fields are long texts.
COMMISSION_FIELDS = ("network_id", "name", "kind", "state", "closed_on")
# The home page shows this many countries (networks with no parent) a page; under each,
# its first regional networks, and under each of those its first local ones. Each links
# to the networks it leaves out, so the page's cost follows what it shows.
COUNTRIES_PER_PAGE = 10
NETWORKS_SHOWN_UNDER_A_COUNTRY = 12
NETWORKS_SHOWN_UNDER_A_REGION = 3


def count_of(queryset: QuerySet, *, column: str | None = None, distinct: bool = False) -> Subquery:
    """COUNT over the rows of a correlated subquery, as one column of the outer query.

    The count is a plain function rather than an aggregate, so the subquery gets no
    GROUP BY and always returns exactly one row: 0 when nothing matches. Without a
    column it counts rows (`COUNT(*)`), which an index holding the filter's columns
    answers alone: the national page's regions, with their members and open
    commissions counted, take 12 ms that way at 200,000 entities, and 144 ms when
    every row is read for its id.
    """
    if column is None:
        count = Func(template="COUNT(*)", output_field=IntegerField())
    else:
        template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
        count = Func(F(column), template=template, output_field=IntegerField())
    counted = queryset.order_by().annotate(total=count).values("total")
    return Subquery(counted, output_field=IntegerField())


@dataclass
class NetworkGroup:
    """A network with no parent (a country's national network) and the networks shown under it."""

    root: Network
    under: list[Network] = field(default_factory=list)

    @property
    def networks(self) -> list[Network]:
        return [self.root, *self.under]


@dataclass
class HomePage:
    """A page of the home list: its countries, each with the networks shown under it."""

    page: Page
    groups: list[NetworkGroup]

    @property
    def networks(self) -> list[Network]:
        """Every network shown, in the page's order."""
        return [network for group in self.groups for network in group.networks]


def _with_children_total(networks: QuerySet[Network]) -> QuerySet[Network]:
    return networks.annotate(children_total=count_of(Network.objects.filter(parent=OuterRef("pk"))))


def home_page(*, page_number: str | int | None = None) -> HomePage:
    """A page of countries for the home list, each with its first networks and their counts.

    Its cost follows what it shows, never the number of networks, members or
    commissions: a page of networks with no parent (a country's national
    network, national first), the first regional networks under each and the
    first few networks under those, one query per level; then the counts of
    each network shown from its row of `facilitation.counters`. Each network
    knows how many networks sit under it (`children_total`), so the page links
    to those it leaves out.
    """
    national_first = Case(
        When(kind=NetworkKind.NATIONAL, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    roots = _with_children_total(Network.objects.filter(parent=None)).order_by(
        national_first, Lower("region"), Lower("name"), "pk"
    )
    page = Paginator(roots, COUNTRIES_PER_PAGE).get_page(page_number)
    groups = [NetworkGroup(root=root) for root in page.object_list]
    shown: list[Network] = [group.root for group in groups]
    children: dict[int, list[Network]] = {}
    depth = 1
    parents = [network for network in shown if network.children_total]  # type: ignore[attr-defined]
    while parents:
        limit = NETWORKS_SHOWN_UNDER_A_COUNTRY if depth == 1 else NETWORKS_SHOWN_UNDER_A_REGION
        level = list(
            _with_children_total(Network.objects.filter(parent__in=parents))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("parent_id")],
                    order_by=[Lower("region").asc(), Lower("name").asc(), F("pk").asc()],
                )
            )
            .filter(rank__lte=limit)
            .order_by("parent_id", "rank")
        )
        for child in level:
            children.setdefault(child.parent_id, []).append(child)  # type: ignore[arg-type]
        shown += level
        parents = [network for network in level if network.children_total]  # type: ignore[attr-defined]
        depth += 1

    counts = counters.current_counts([network.pk for network in shown])
    for network in shown:
        network_counts = counts[network.pk]
        children_total: int = network.children_total  # type: ignore[attr-defined]
        values = {
            "active_member_count": network_counts.active_members,
            "open_commission_count": network_counts.open_commissions,
            "entities_in_reach": network_counts.entities_in_reach,
            "commissions_in_reach": network_counts.commissions_in_reach,
            "reaches_others": children_total > 0,
            # The networks under it that the page leaves out, to link to.
            "more_under": children_total - len(children.get(network.pk, ())),
        }
        for name, value in values.items():
            # On the network, as annotations would be.
            setattr(network, name, value)
    for group in groups:
        # Each network right after the network it sits under, as deep as it is.
        waiting = [(child, group.root, 1) for child in reversed(children.get(group.root.pk, []))]
        while waiting:
            network, above, level_depth = waiting.pop()
            network.above = above  # type: ignore[attr-defined]
            network.depth = level_depth  # type: ignore[attr-defined]
            group.under.append(network)
            waiting += [
                (child, network, level_depth + 1)
                for child in reversed(children.get(network.pk, []))
            ]
    return HomePage(page=page, groups=groups)


def networks_with_counts() -> QuerySet[Network]:
    """Every network, national first, with its parent, its children and its active members.

    The API's list of networks is the national roll-up, so it spans networks on purpose.
    """
    with all_networks():
        return (
            Network.objects.select_related("parent")
            .prefetch_related("children")
            .annotate(
                active_members=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                )
            )
            .order_by("kind", "name")
        )


@dataclass
class PlatformSummary:
    platform: Platform
    member_count: int
    members: list[Membership] = field(default_factory=list)

    @property
    def more_count(self) -> int:
        return self.member_count - len(self.members)


@dataclass
class NetworkPage:
    network: Network
    parent: Network | None
    children: list[Network]
    charter: CharterVersion | None
    platforms: list[PlatformSummary]
    open_commissions: list[Commission]
    archived_commissions: list[Commission]
    interlocutor_terms: list[Interlocutor] = field(default_factory=list)
    # More than these are open or closed: the commissions' page lists them all.
    more_open: bool = False
    more_archived: bool = False

    @property
    def interlocutor(self) -> Interlocutor | None:
        """The current term, when the network has an interlocutor today."""
        current = self.interlocutor_terms[0] if self.interlocutor_terms else None
        return current if current is not None and current.ended_at is None else None

    @property
    def past_interlocutors(self) -> list[Interlocutor]:
        return [term for term in self.interlocutor_terms if term.ended_at is not None]

    @property
    def member_count(self) -> int:
        return sum(summary.member_count for summary in self.platforms)


def network_page(*, network: Network) -> NetworkPage:
    """Everything the public page of one network shows, in a fixed number of queries.

    A network with networks under it (the national one) shows the members and
    commissions of all of them (`members.reach`): each entity once, counted under
    the national platform of its sector, and each commission with its network.
    """
    with network_scope(network):
        # The network middleware loads the parent and the networks under with the network.
        parent = network.parent
        reaching = has_networks_under(network)
        children: list[Network] = []
        charter = current_charter(network)
        if reaching:
            platforms = list(Platform.objects.order_by("position", "id"))
            memberships = one_per_entity(memberships_in_reach(network))
            group = "platform__sector"
            key_of: dict[int, object] = {platform.pk: platform.sector for platform in platforms}
            counts: dict = dict(
                memberships.order_by()
                .values(group)
                .annotate(total=Count("entity_id"))
                .values_list(group, "total")
            )
        else:
            platforms = list(
                Platform.objects.annotate(
                    member_count=Count(
                        "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                    )
                ).order_by("position", "id")
            )
            memberships = Membership.objects.filter(status=MembershipStatus.ACTIVE)
            group = "platform_id"
            key_of = {platform.pk: platform.pk for platform in platforms}
            counts = {platform.pk: platform.member_count for platform in platforms}  # type: ignore[attr-defined]
        # The first few active members of every platform, in one query: number the
        # members of each platform by name and keep the first rows of each.
        first_members = (
            memberships.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F(group)],
                    order_by=[F("entity__name").asc(), F("entity_id").asc()],
                ),
                group_key=F(group),
            )
            .filter(rank__lte=MEMBERS_SHOWN_PER_PLATFORM)
            .select_related("entity", "network")
            .only(*MEMBER_FIELDS)
            .order_by("group_key", "rank")
        )
        members_by_key: dict = {}
        for membership in first_members:
            members_by_key.setdefault(membership.group_key, []).append(membership)
        summaries = [
            PlatformSummary(
                platform=platform,
                member_count=counts.get(key_of[platform.pk], 0),
                members=members_by_key.get(key_of[platform.pk], []),
            )
            for platform in platforms
        ]

        if reaching:
            # The regions' commissions and counts are read across the networks in reach on
            # purpose; every query names those networks.
            seats = CommissionMember.objects.with_scopes_disabled().all()
            commission_rows = (
                Commission.objects.with_scopes_disabled()
                .filter(network_id__in=network_ids_in_reach(network))
                .select_related("network")
                .only(*COMMISSION_FIELDS, "network__slug", "network__name", "network__region")
            )
            children = list(
                network.children.annotate(
                    active_member_count=count_of(
                        Membership.objects.with_scopes_disabled().filter(
                            network=OuterRef("pk"), status=MembershipStatus.ACTIVE
                        )
                    ),
                    open_commission_count=count_of(
                        Commission.objects.with_scopes_disabled()
                        .filter(network=OuterRef("pk"))
                        .exclude(state=CommissionState.CLOSED)
                    ),
                ).order_by("name")
            )
        else:
            seats = CommissionMember.objects.all()
            commission_rows = Commission.objects.only(*COMMISSION_FIELDS)
        # The first open commissions by name (the network's own first) and the latest
        # closed ones, one more of each to know there are more: numbered in a subquery,
        # so members are counted for the rows shown only.
        closed = Q(state=CommissionState.CLOSED)
        shown = commission_rows.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[ExpressionWrapper(closed, BooleanField())],
                order_by=[
                    Case(When(network_id=network.pk, then=0), default=1).asc(),
                    F("closed_on").desc(nulls_last=True),
                    F("name").asc(),
                    F("id").asc(),
                ],
            )
        ).filter(rank__lte=max(OPEN_COMMISSIONS_SHOWN, ARCHIVED_COMMISSIONS_SHOWN) + 1)
        commissions: list[Commission] = list(
            commission_rows.filter(pk__in=shown.values("pk"))
            .annotate(
                member_count=count_of(
                    seats.filter(commission=OuterRef("pk"), left_on__isnull=True).order_by()
                )
            )
            .order_by(Case(When(network_id=network.pk, then=0), default=1), "name", "id")
        )
        for commission in commissions:
            if commission.network_id == network.pk:
                # The network is already loaded: no query to reach it again.
                commission.network = network
        open_commissions = [c for c in commissions if c.is_open]
        archived = sorted(
            (c for c in commissions if not c.is_open),
            key=lambda c: (c.network_id != network.pk, -(c.closed_on or date.min).toordinal()),
        )
    return NetworkPage(
        network=network,
        parent=parent,
        children=children,
        charter=charter,
        platforms=summaries,
        open_commissions=open_commissions[:OPEN_COMMISSIONS_SHOWN],
        archived_commissions=archived[:ARCHIVED_COMMISSIONS_SHOWN],
        more_open=len(open_commissions) > OPEN_COMMISSIONS_SHOWN,
        more_archived=len(archived) > ARCHIVED_COMMISSIONS_SHOWN,
        interlocutor_terms=interlocutor_terms(network=network),
    )
