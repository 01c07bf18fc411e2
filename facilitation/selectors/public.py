"""Reads behind the public network pages: the home list of networks and a network's page.

They roll up what several apps hold (members per platform, open commissions),
which is why they live at the top, with the facilitator's pages.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
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
from members.models import Membership, MembershipStatus
from members.reach import (
    MemberCounts,
    has_networks_under,
    member_counts_of_every_network,
    memberships_in_reach,
    network_ids_in_reach,
    networks_in_reach_of_each,
)
from members.selectors import one_per_entity
from networks.models import CharterVersion, Interlocutor, Network, NetworkKind
from networks.scoping import all_networks, network_scope
from networks.selectors import current_charter, interlocutor_terms
from platforms.models import Platform

# A platform with more active members than this shows the first few and links to the
# directory filtered by that platform.
MEMBERS_SHOWN_PER_PLATFORM = 8
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


def count_of(queryset: QuerySet, *, column: str = "pk", distinct: bool = False) -> Subquery:
    """COUNT over the rows of a correlated subquery, as one column of the outer query.

    The count is a plain function rather than an aggregate, so the subquery gets no
    GROUP BY and always returns exactly one row: 0 when nothing matches.
    """
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = (
        queryset.order_by()
        .annotate(total=Func(F(column), template=template, output_field=IntegerField()))
        .values("total")
    )
    return Subquery(counted, output_field=IntegerField())


def networks_overview() -> list[Network]:
    """Every network, the national one first, with its active members and open commissions.

    The home page lists all networks at once, which no single network scope can
    serve, so the counts are read with scoping lifted on purpose. Three queries
    however many networks and members there are: the networks, one grouped count
    of memberships (`members.reach`) and one of open commissions; the sums over a
    network's reach are added up here.
    """
    with all_networks():
        national_first = Case(
            When(kind=NetworkKind.NATIONAL, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        networks = list(Network.objects.order_by(national_first, Lower("region"), Lower("name")))
        member_counts = member_counts_of_every_network()
        open_commissions = dict(
            Commission.objects.exclude(state=CommissionState.CLOSED)
            .order_by()
            .values_list("network_id")
            .annotate(total=Count("pk"))
            .values_list("network_id", "total")
        )
    reach = networks_in_reach_of_each(networks)
    for network in networks:
        counts = member_counts.get(network.pk, MemberCounts())
        # On the network, as annotations would be. A network also reaches the members
        # and commissions of the networks under it; an entity in several counts once.
        values = {
            "active_member_count": counts.active,
            "open_commission_count": open_commissions.get(network.pk, 0),
            "entities_in_reach": counts.in_reach,
            "commissions_in_reach": sum(
                open_commissions.get(network_id, 0) for network_id in reach[network.pk]
            ),
            "reaches_others": len(reach[network.pk]) > 1,
        }
        for name, value in values.items():
            setattr(network, name, value)
    return networks


@dataclass
class NetworkGroup:
    """A network with no parent (a country's national network) and every network under it."""

    root: Network
    under: list[Network] = field(default_factory=list)

    @property
    def networks(self) -> list[Network]:
        return [self.root, *self.under]


def network_groups(networks: list[Network]) -> list[NetworkGroup]:
    """The networks of `networks_overview`, each under the network with no parent above it.

    One group per national network (an installation may hold several countries),
    its regional networks in the order given and each one's provincial or
    municipal networks right after it; then the networks that sit under none. No query.
    """
    children: dict[int | None, list[Network]] = {}
    for network in networks:
        children.setdefault(network.parent_id, []).append(network)
    groups = []
    for root in children.get(None, []):
        group = NetworkGroup(root=root)
        waiting = [(child, root, 1) for child in reversed(children.get(root.pk, []))]
        while waiting:
            network, above, depth = waiting.pop()
            # On the network, as annotations would be: the network it sits under, and how deep.
            network.above = above  # type: ignore[attr-defined]
            network.depth = depth  # type: ignore[attr-defined]
            group.under.append(network)
            waiting += [
                (child, network, depth + 1) for child in reversed(children.get(network.pk, []))
            ]
        groups.append(group)
    return groups


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
        parent = Network.objects.filter(pk=network.parent_id).first() if network.parent_id else None
        children = list(network.children.order_by("name"))
        reaching = bool(children) and has_networks_under(network)
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
        commissions = list(
            commission_rows.annotate(
                member_count=count_of(
                    seats.filter(commission=OuterRef("pk"), left_on__isnull=True).order_by()
                )
            ).order_by("name", "id")
        )
        for commission in commissions:
            if commission.network_id == network.pk:
                # The network is already loaded: no query to reach it again.
                commission.network = network
    return NetworkPage(
        network=network,
        parent=parent,
        children=children,
        charter=charter,
        platforms=summaries,
        open_commissions=[c for c in commissions if c.is_open],
        archived_commissions=[c for c in commissions if not c.is_open],
        interlocutor_terms=interlocutor_terms(network=network),
    )
