"""Reads behind the commission pages: the archive, a commission's timeline, who may act.

Every page reads a fixed number of queries whatever the size of the
commission: members, promoter terms, the work plan and sheets in one query
each, and the timeline one page at a time with its comments and linked
actions prefetched. Only public facts are loaded for the public: entities,
never the people who act for them.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil
from operator import attrgetter

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import JSONObject
from django.utils import timezone

from commissions.models import (
    Action,
    ClosingSheet,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    Follower,
    Post,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from core.actors import Actor
from core.aggregates import IdList, JSONList, ids_in, rows_as
from members.models import Entity, Membership
from members.reach import acting_entity_ids, memberships_in_reach, network_ids_in_reach
from members.rules import entity_roles
from networks.models import Network
from networks.rules import cached_role, facilitated_ids, forget_role
from networks.scoping import all_networks, network_scope
from platforms.models import Platform

TIMELINE_PAGE_SIZE = 20
ARCHIVE_PAGE_SIZE = 20


@dataclass
class CommissionSeat:
    member: CommissionMember
    platform: Platform | None


@dataclass
class TimelineEntry:
    """One line of the timeline: a progress update or a state change, newest first."""

    at: datetime
    update: ProgressUpdate | None = None
    change: StateChange | None = None
    post: Post | None = None
    replies: list[Post] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass
class CommissionPage:
    commission: Commission
    seats: list[CommissionSeat]
    terms: list[PromoterTerm] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    sheets: list[ClosingSheet] = field(default_factory=list)
    timeline: Page[ProgressUpdate] | None = None
    entries: list[TimelineEntry] = field(default_factory=list)

    @property
    def platforms(self) -> list[Platform]:
        seen: dict[int, Platform] = {}
        for seat in self.seats:
            if seat.platform is not None:
                seen.setdefault(seat.platform.pk, seat.platform)
        return sorted(seen.values(), key=lambda platform: (platform.position, platform.pk))

    @property
    def is_cross_sector(self) -> bool:
        return len(self.platforms) > 1

    @property
    def current_terms(self) -> list[PromoterTerm]:
        return [term for term in self.terms if term.ended_at is None]

    @property
    def past_terms(self) -> list[PromoterTerm]:
        return sorted(
            (term for term in self.terms if term.ended_at is not None),
            key=attrgetter("ended_at"),
            reverse=True,
        )

    @property
    def promoter_entities(self) -> list[Entity]:
        return [term.entity for term in self.current_terms]


def _commission(network: Network, commission_id: int) -> Commission | None:
    commission = Commission.objects.filter(pk=commission_id).first()
    if commission is not None:
        # The network is already loaded by the middleware: no query to reach it again.
        commission.network = network
    return commission


def get_commission(*, network: Network, commission_id: int) -> Commission | None:
    with network_scope(network):
        return _commission(network, commission_id)


def platforms_in_reach(network: Network) -> dict[int, Platform]:
    """{platform id: platform} of the network and of those under it, in one query.

    A member of a region sits in the region's platform; it is shown as the
    network's own platform of the same sector, so a national commission counts
    sectors, not regions.
    """
    with all_networks():
        return _as_own_platforms(
            network, Platform.objects.filter(network_id__in=network_ids_in_reach(network))
        )


def _as_own_platforms(network: Network, found: Iterable[Platform]) -> dict[int, Platform]:
    found = list(found)
    own = {platform.sector: platform for platform in found if platform.network_id == network.pk}
    return {platform.pk: own.get(platform.sector, platform) for platform in found}


def _commission_with_plan_and_platforms(
    network: Network, commission_id: int
) -> tuple[Commission | None, list[Topic], dict[int, Platform]]:
    """The commission, its work plan's topics and `platforms_in_reach`, in one query.

    Topics and platforms are a few short rows; they come as two JSON columns of
    the commission's row.
    """
    topics = (
        Topic.objects.filter(commission=OuterRef("pk"))
        .order_by()
        .values("commission")
        .annotate(rows=JSONList(JSONObject(id="pk", title="title", priority="priority")))
        .values("rows")
    )
    with all_networks():
        platforms = (
            Platform.objects.filter(network_id__in=network_ids_in_reach(network))
            .order_by()
            # One group, whatever the rows: every platform in reach.
            .annotate(reach=Value(network.pk))
            .values("reach")
            .annotate(
                rows=JSONList(
                    JSONObject(
                        id="pk",
                        network_id="network_id",
                        sector="sector",
                        name="name",
                        position="position",
                    )
                )
            )
            .values("rows")
        )
    commission = (
        Commission.objects.filter(pk=commission_id)
        .annotate(topic_rows=Subquery(topics), platform_rows=Subquery(platforms))
        .first()
    )
    if commission is None:
        return None, [], {}
    # The network is already loaded by the middleware: no query to reach it again.
    commission.network = network
    plan = rows_as(Topic, commission.topic_rows, network_id=network.pk, commission_id=commission.pk)
    plan.sort(key=attrgetter("priority", "pk"))
    return commission, plan, _as_own_platforms(network, rows_as(Platform, commission.platform_rows))


def commission_page(
    *, network: Network, commission_id: int, timeline_page: int | str | None = 1
) -> CommissionPage | None:
    """A commission of this network with its members, promoters, work plan and timeline.

    The look-up runs in the network's scope, so another network's commission id
    finds nothing. Members are listed only while they are active members of the
    network: the public sees public facts only.
    """
    with network_scope(network):
        commission, topics, platforms = _commission_with_plan_and_platforms(network, commission_id)
        if commission is None:
            return None
        # Members of the networks under this one sit in its commissions too.
        active_membership = memberships_in_reach(network).filter(entity_id=OuterRef("entity_id"))
        members = list(
            CommissionMember.objects.filter(commission=commission, left_on__isnull=True)
            .filter(Exists(active_membership))
            .annotate(platform_id=Subquery(active_membership.values("platform_id")[:1]))
            .select_related("entity")
            .order_by("entity__name")
        )
        terms = list(
            PromoterTerm.objects.filter(commission=commission)
            .select_related("entity")
            .order_by("started_at", "id")
        )
        sheets = list(
            ClosingSheet.objects.filter(commission=commission)
            .select_related("entity")
            .order_by("-year", "occasion")
        )
        timeline, entries = _timeline(commission, timeline_page)
        actions = _actions(commission, entries)
        today = timezone.localdate(timezone.now(), network.zone)
        for action in actions:
            action.is_overdue = bool(  # type: ignore[attr-defined]
                action.is_open and action.due_on and action.due_on < today
            )
    seats = [
        CommissionSeat(member=member, platform=platforms.get(member.platform_id))
        for member in members
    ]
    return CommissionPage(
        commission=commission,
        seats=seats,
        terms=terms,
        topics=topics,
        actions=actions,
        sheets=sheets,
        timeline=timeline,
        entries=entries,
    )


class _CountedPaginator(Paginator):
    """A paginator told its count, read in the same query as the page's rows."""

    def __init__(self, object_list: QuerySet[ProgressUpdate], per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property


def _page_number(number: int | str | None) -> int:
    try:
        return max(int(number or 1), 1)
    except (TypeError, ValueError):
        return 1


def _stretch(field: str, newest: datetime | None, older: datetime | None) -> Q:
    """Rows of the timeline page bounded by `newest` (inclusive) and `older` (exclusive)."""
    bounds = Q()
    if newest is not None:
        bounds &= Q(**{f"{field}__lte": newest})
    if older is not None:
        bounds &= Q(**{f"{field}__gt": older})
    return bounds


def _timeline(
    commission: Commission, number: int | str | None
) -> tuple[Page[ProgressUpdate], list[TimelineEntry]]:
    """One page of progress updates, newest first, with the state changes of that stretch.

    A page covers the time from the newest update of the next page (exclusive)
    up to its own newest update (the first page: up to now). The state changes
    and the conversation's messages of that stretch are woven in, so each
    appears on exactly one page. The rows carry the count of every update, and
    a message carries its replies, so a page costs one query per kind of line.
    """
    updates = (
        ProgressUpdate.objects.filter(commission=commission)
        .select_related("entity")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("entity").order_by("created_at", "id"),
            )
        )
        .annotate(timeline_count=Window(Count("id")))
        .order_by("-created_at", "-id")
    )
    number = _page_number(number)
    # One row more than the page holds: the newest update of the next page bounds this one.
    rows = list(updates[(number - 1) * TIMELINE_PAGE_SIZE :][: TIMELINE_PAGE_SIZE + 1])
    count = rows[0].timeline_count if rows else 0
    if not rows and number > 1:
        # Past the last page (an old link): show the last page, as Django's paginator does.
        count = updates.count()
        number = max(ceil(count / TIMELINE_PAGE_SIZE), 1)
        rows = list(updates[(number - 1) * TIMELINE_PAGE_SIZE :][: TIMELINE_PAGE_SIZE + 1])
    page = _CountedPaginator(updates, TIMELINE_PAGE_SIZE, count=count).page(number)
    page.object_list = rows[:TIMELINE_PAGE_SIZE]
    newest = page.object_list[0].created_at if number > 1 and page.object_list else None
    older = rows[-1].created_at if len(rows) > TIMELINE_PAGE_SIZE else None
    changes = StateChange.objects.filter(commission=commission).filter(
        _stretch("at", newest, older)
    )
    # The messages of the same stretch and, in the same query, their replies.
    messages = (
        Post.objects.filter(commission=commission)
        .filter(
            Q(parent__isnull=True) & _stretch("created_at", newest, older)
            | Q(parent__parent__isnull=True) & _stretch("parent__created_at", newest, older)
        )
        .select_related("entity")
        .order_by("created_at", "id")
    )
    replies: dict[int, list[Post]] = defaultdict(list)
    posts = []
    for message in messages:
        if message.parent_id is None:
            posts.append(message)
        else:
            replies[message.parent_id].append(message)
    entries = [TimelineEntry(at=update.created_at, update=update) for update in page.object_list]
    entries += [TimelineEntry(at=change.at, change=change) for change in changes]
    entries += [
        TimelineEntry(at=post.created_at, post=post, replies=replies[post.pk]) for post in posts
    ]
    # Newest first; at the same moment the change an update caused shows above it.
    entries.sort(key=lambda entry: (entry.at, entry.update is None), reverse=True)
    return page, entries


def _actions(commission: Commission, entries: list[TimelineEntry]) -> list[Action]:
    """The commission's actions, and on each update of the timeline page the actions it names.

    One query: each action carries the ids of the page's updates that name it.
    """
    on_page = {entry.update.pk: entry for entry in entries if entry.update is not None}
    actions = (
        Action.objects.filter(commission=commission)
        .select_related("responsible", "topic")
        .order_by("topic__priority", "due_on", "id")
    )
    if on_page:
        links = (
            ProgressUpdate.actions.through.objects.filter(
                action_id=OuterRef("pk"), progressupdate_id__in=list(on_page)
            )
            .values("action_id")
            .annotate(ids=IdList("progressupdate_id"))
        )
        actions = actions.annotate(named_by=Subquery(links.values("ids")))  # type: ignore[misc]
    found = list(actions)
    for action in found:
        for update_id in ids_in(getattr(action, "named_by", None)):
            on_page[update_id].actions.append(action)
    return found


def archive(*, network: Network, query: str = "") -> tuple[list[Commission], QuerySet[Commission]]:
    """The open commissions of a network, and its closed ones matching a search."""
    with network_scope(network):
        member_count = Count("memberships", filter=Q(memberships__left_on__isnull=True))
        open_commissions: list[Commission] = list(
            Commission.objects.exclude(state=CommissionState.CLOSED)
            .annotate(member_count=member_count)
            .order_by("name")
        )
        closed: QuerySet[Commission] = (
            Commission.objects.filter(state=CommissionState.CLOSED)
            .annotate(member_count=member_count)
            .prefetch_related(
                Prefetch("sheets", queryset=ClosingSheet.objects.order_by("-year", "occasion"))
            )
            .order_by("-closed_on", "name")
        )
        if query:
            plan_topic = Topic.objects.filter(commission=OuterRef("pk"), title__icontains=query)
            closed = closed.filter(
                Q(name__icontains=query)
                | Q(purpose__icontains=query)
                | Q(topics__icontains=query)
                | Exists(plan_topic)
            )
    for commission in open_commissions:
        commission.network = network
    return open_commissions, closed


def closed_page(
    *, network: Network, closed: QuerySet[Commission], number: int | str | None
) -> Page[Commission]:
    with network_scope(network):
        page = Paginator(closed, ARCHIVE_PAGE_SIZE).get_page(number)
        page.object_list = list(page.object_list)
    for commission in page.object_list:
        commission.network = network
    return page


@dataclass
class Standing:
    """The entities a person acts for in a commission's network, and what each of them is there."""

    entity_ids: frozenset[int] = frozenset()
    sitting: frozenset[int] = frozenset()
    promoting: frozenset[int] = frozenset()
    ever_promoted: frozenset[int] = frozenset()
    facilitates: bool = False


def _standings(user: Actor) -> dict[int, Standing]:
    """{commission id: standing} of this person, kept with their roles for the request."""
    found: dict[int, Standing] = cached_role(user, "commission_standing", lambda _user: {})
    return found


def standing_of(user: Actor, commission: Commission) -> Standing:
    """What this person may act as in this commission, read once per request.

    Two small queries when the person acts for an entity of the network,
    none otherwise (none either after `standing_on_page`).
    """
    roles = entity_roles(user)
    if roles is None:
        return Standing()
    cache = _standings(user)
    if commission.pk in cache:
        return cache[commission.pk]
    entity_ids = frozenset(acting_entity_ids(roles, commission.network))
    sitting: frozenset[int] = frozenset()
    terms: list[tuple[int, datetime | None]] = []
    if entity_ids:
        with network_scope(commission.network):
            sitting = frozenset(
                CommissionMember.objects.filter(
                    commission=commission, entity_id__in=entity_ids, left_on__isnull=True
                ).values_list("entity_id", flat=True)
            )
            terms = list(
                PromoterTerm.objects.filter(
                    commission=commission, entity_id__in=entity_ids
                ).values_list("entity_id", "ended_at")
            )
    standing = cache[commission.pk] = _standing(user, commission, entity_ids, sitting, terms)
    return standing


def standing_on_page(user: Actor, page: CommissionPage) -> Standing:
    """`standing_of`, read from what the commission's page already holds: no query.

    The page seats the members that are active members in reach, and the
    entities a person acts for are such members, so among them the seated
    ones are exactly those sitting; the page holds every promoter term.
    """
    roles = entity_roles(user)
    if roles is None:
        return Standing()
    commission = page.commission
    entity_ids = frozenset(acting_entity_ids(roles, commission.network))
    sitting = frozenset(seat.member.entity_id for seat in page.seats) & entity_ids
    terms = [(term.entity_id, term.ended_at) for term in page.terms if term.entity_id in entity_ids]
    standing = _standings(user)[commission.pk] = _standing(
        user, commission, entity_ids, sitting, terms
    )
    return standing


def _standing(
    user: Actor,
    commission: Commission,
    entity_ids: frozenset[int],
    sitting: frozenset[int],
    terms: list[tuple[int, datetime | None]],
) -> Standing:
    return Standing(
        entity_ids=entity_ids,
        sitting=sitting,
        promoting=frozenset(entity for entity, ended_at in terms if ended_at is None),
        ever_promoted=frozenset(entity for entity, _ended_at in terms),
        facilitates=commission.network_id in facilitated_ids(user),
    )


def forget_standing(user: Actor) -> None:
    forget_role(user, "commission_standing")


def entities_by_id(ids: Collection[int]) -> dict[int, Entity]:
    """The entities a person acts for, by name (entities are not network-owned)."""
    if not ids:
        return {}
    return {entity.pk: entity for entity in Entity.objects.filter(pk__in=ids).order_by("name")}


def entities_on_page(page: CommissionPage, ids: Collection[int]) -> dict[int, Entity]:
    """`entities_by_id`, taking the entities that sit in the commission from its page."""
    found = {seat.member.entity_id: seat.member.entity for seat in page.seats}
    found = {pk: found[pk] for pk in ids if pk in found}
    found |= entities_by_id(set(ids) - set(found))
    return dict(sorted(found.items(), key=lambda item: (item[1].search_name, item[0])))


def open_term(*, commission: Commission, entity: Entity) -> PromoterTerm | None:
    with network_scope(commission.network):
        return PromoterTerm.objects.filter(
            commission=commission, entity=entity, ended_at__isnull=True
        ).first()


def update_of(*, commission: Commission, update_id: int) -> ProgressUpdate | None:
    with network_scope(commission.network):
        update = ProgressUpdate.objects.filter(commission=commission, pk=update_id).first()
    if update is not None:
        update.commission = commission
    return update


def action_of(*, commission: Commission, action_id: int) -> Action | None:
    with network_scope(commission.network):
        action = Action.objects.filter(commission=commission, pk=action_id).first()
    if action is not None:
        action.commission = commission
    return action


def actions_of(commission: Commission) -> list[Action]:
    with network_scope(commission.network):
        return list(Action.objects.filter(commission=commission).order_by("due_on", "id"))


def topics_of(commission: Commission) -> list[Topic]:
    with network_scope(commission.network):
        return list(Topic.objects.filter(commission=commission).order_by("priority", "id"))


def current_promoters(commission: Commission) -> list[Entity]:
    with network_scope(commission.network):
        terms = PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)
        return [term.entity for term in terms.select_related("entity").order_by("entity__name")]


def sheet_of(*, commission: Commission, occasion: str, year: int) -> ClosingSheet | None:
    with network_scope(commission.network):
        return ClosingSheet.objects.filter(
            commission=commission, occasion=occasion, year=year
        ).first()


def sheet_due(
    commission: Commission, *, now: datetime | None = None
) -> tuple[ClosingSheet.Occasion, int] | None:
    """Which sheet the commission owes now, as (occasion, year), or None (recommendation 1, 8).

    A closed commission owes its closing sheet; an open one older than a year
    owes a yearly sheet for the current year, as the yearly reminder says.
    """
    now = now or timezone.now()
    if commission.state == CommissionState.CLOSED:
        closed_on = commission.closed_on or timezone.localdate(now, commission.network.zone)
        return ClosingSheet.Occasion.CLOSING, closed_on.year
    if commission.started_on <= (now - timedelta(days=365)).date():
        return ClosingSheet.Occasion.YEARLY, now.year
    return None


# Reads behind the API: run in the request's network scope --------------------


def _membership_in_reach(network: Network) -> QuerySet[Membership]:
    """The sitting entity's active membership here or in a network under it (`members.reach`)."""
    return memberships_in_reach(network).filter(entity_id=OuterRef("entity_id"))


def platforms_by_commission(
    *, network: Network, commission_ids: Iterable[int]
) -> dict[int, list[Platform]]:
    """The platforms of each commission's sitting members: two queries for any number.

    A member of a region under the network sits through its region's platform,
    named by the network's own platform of the same sector, as on the page.
    """
    rows = (
        CommissionMember.objects.filter(commission_id__in=commission_ids, left_on__isnull=True)
        .annotate(platform_id=Subquery(_membership_in_reach(network).values("platform_id")[:1]))
        .filter(platform_id__isnull=False)
        .values_list("commission_id", "platform_id")
        .distinct()
    )
    pairs = list(rows)
    # A network has a handful of platforms: reading them all keeps the count fixed.
    platforms = platforms_in_reach(network)
    found: dict[int, dict[int, Platform]] = {}
    for commission_id, platform_id in pairs:
        platform = platforms[platform_id]
        found.setdefault(commission_id, {})[platform.pk] = platform
    return {
        commission_id: sorted(
            listed.values(), key=lambda platform: (platform.position, platform.pk)
        )
        for commission_id, listed in found.items()
    }


def commissions_with_counts() -> QuerySet[Commission]:
    return Commission.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )


def commission_with_plan(commission_id: int) -> Commission:
    return (
        commissions_with_counts()
        .select_related("network")
        .prefetch_related("plan_topics")
        .get(pk=commission_id)
    )


def commission_details() -> QuerySet[Commission]:
    # The network's settings give the deadlines.
    return (
        commissions_with_counts()
        .select_related("network")
        .prefetch_related(
            Prefetch("plan_topics", queryset=Topic.objects.order_by("priority", "id"))
        )
    )


def sitting_members(commission: Commission) -> QuerySet[CommissionMember]:
    """Entities sitting in the commission that are active members, with their platform's id.

    Members of the networks under the commission's network sit in it too (`members.reach`).
    """
    in_reach = _membership_in_reach(commission.network)
    return (
        CommissionMember.objects.filter(commission=commission, left_on__isnull=True)
        .filter(Exists(in_reach))
        .annotate(platform_id=Subquery(in_reach.values("platform_id")[:1]))
        .select_related("entity")
        .order_by("entity__name", "id")
    )


def promoter_terms(commission: Commission) -> QuerySet[PromoterTerm]:
    return (
        PromoterTerm.objects.filter(commission=commission)
        .select_related("entity")
        .order_by("started_at", "id")
    )


def work_plan(commission: Commission) -> QuerySet[Topic]:
    actions = Action.objects.select_related("responsible").order_by("due_on", "id")
    return (
        Topic.objects.filter(commission=commission)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("priority", "id")
    )


def state_changes(commission: Commission) -> QuerySet[StateChange]:
    return StateChange.objects.filter(commission=commission).order_by("at", "id")


def progress_updates(commission: Commission) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(commission=commission)
        .select_related("entity")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("id")))
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-id")
    )


def comments_on(update: ProgressUpdate) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(update=update).select_related("entity").order_by("created_at", "id")
    )


def get_post(*, commission: Commission, post_id: int) -> Post | None:
    """A message of this commission's conversation, or None (in the request's scope)."""
    return Post.objects.filter(commission=commission, pk=post_id).select_related("entity").first()


def following(*, commission: Commission, entity_ids: Collection[int]) -> set[int]:
    """Which of these entities follow the commission today."""
    if not entity_ids:
        return set()
    return set(
        Follower.objects.filter(
            commission=commission, entity_id__in=entity_ids, ended_at__isnull=True
        ).values_list("entity_id", flat=True)
    )
