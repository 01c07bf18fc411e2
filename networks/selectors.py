"""Reads behind the network pages: the home list, a network's page, the facilitator's workspace."""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    Count,
    Exists,
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
from django.db.models.functions import Coalesce, Lower, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from commissions.models import Commission, CommissionMember, CommissionState, StateChange
from members.models import Membership, MembershipStatus
from networks.models import (
    CharterVersion,
    Facilitator,
    HistoryEntry,
    Interlocutor,
    Network,
    NetworkKind,
)
from networks.scoping import all_networks, network_scope
from networks.services import current_charter
from platforms.models import Platform

# A platform with more active members than this shows the first few and links to the
# directory filtered by that platform.
MEMBERS_SHOWN_PER_PLATFORM = 8


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
    serve, so the counting subqueries are built with scoping lifted on purpose.
    The subqueries keep it to one query however many networks and members there are.
    """
    with all_networks():
        active_members = Membership.objects.filter(status=MembershipStatus.ACTIVE)
        open_commissions = Commission.objects.exclude(state=CommissionState.CLOSED)
        in_reach = Q(network=OuterRef("pk")) | Q(network__parent=OuterRef("pk"))
        networks = Network.objects.annotate(
            active_member_count=count_of(active_members.filter(network=OuterRef("pk"))),
            open_commission_count=count_of(open_commissions.filter(network=OuterRef("pk"))),
            # A network also reaches the members and commissions of its regional
            # networks; an entity in several of them is counted once.
            entities_in_reach=count_of(
                active_members.filter(in_reach), column="entity", distinct=True
            ),
            commissions_in_reach=count_of(open_commissions.filter(in_reach)),
            national_first=Case(
                When(kind=NetworkKind.NATIONAL, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        ).order_by("national_first", Lower("region"), Lower("name"))
        return list(networks)


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

    @property
    def member_count(self) -> int:
        return sum(summary.member_count for summary in self.platforms)


def network_page(*, network: Network) -> NetworkPage:
    """Everything the public page of one network shows, in a fixed number of queries."""
    with network_scope(network):
        parent = Network.objects.filter(pk=network.parent_id).first() if network.parent_id else None
        children = list(network.children.order_by("name"))
        charter = current_charter(network)

        platforms = list(
            Platform.objects.annotate(
                member_count=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                )
            ).order_by("position", "id")
        )
        # The first few active members of every platform, in one query: number the
        # members of each platform by name and keep the first rows of each.
        first_members = (
            Membership.objects.filter(status=MembershipStatus.ACTIVE)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("platform_id")],
                    order_by=[F("entity__name").asc(), F("entity_id").asc()],
                )
            )
            .filter(rank__lte=MEMBERS_SHOWN_PER_PLATFORM)
            .select_related("entity")
            .order_by("platform_id", "rank")
        )
        members_by_platform: dict[int, list[Membership]] = {}
        for membership in first_members:
            members_by_platform.setdefault(membership.platform_id, []).append(membership)
        summaries = [
            PlatformSummary(
                platform=platform,
                member_count=platform.member_count,
                members=members_by_platform.get(platform.pk, []),
            )
            for platform in platforms
        ]

        commissions = list(
            Commission.objects.annotate(
                member_count=count_of(
                    CommissionMember.objects.filter(commission=OuterRef("pk"), left_on__isnull=True)
                )
            ).order_by("name")
        )
    return NetworkPage(
        network=network,
        parent=parent,
        children=children,
        charter=charter,
        platforms=summaries,
        open_commissions=[c for c in commissions if c.is_open],
        archived_commissions=[c for c in commissions if not c.is_open],
    )


# The facilitator's workspace (issue #3 item 4, issue #4 item 9). These reads are
# for the facilitators of one network: unlike the public ones above they show
# applications, suspended members and the people who represent each entity.

REPRESENTATIVES_CHANGED = "membership.representatives"


@dataclass
class RepresentativeTurnover:
    """How many active members changed their representative at least once (section 5.1)."""

    active_members: int
    changed: int

    @property
    def percent(self) -> int | None:
        if not self.active_members:
            return None
        return round(100 * self.changed / self.active_members)


def _representative_replaced_since_joining():
    """A history row where an entity's representative was replaced after it joined.

    Naming the first representative (from nobody to someone) is not a change of
    representative; replacing one person by another (or by nobody) is.
    """
    return (
        HistoryEntry.objects.filter(
            action=REPRESENTATIVES_CHANGED,
            content_type=ContentType.objects.get_for_model(Membership),
            object_id=OuterRef("pk"),
            # Members made active without a recorded joining date count from their application.
            at__gte=Coalesce(OuterRef("joined_at"), OuterRef("applied_at")),
            changes__has_key="representative",
        )
        .exclude(changes__representative__0=None)
        .values("pk")
    )


def representative_turnover(*, network: Network) -> RepresentativeTurnover:
    """The share of active members whose representative changed since joining, in one query."""
    with network_scope(network):
        counts = Membership.objects.filter(status=MembershipStatus.ACTIVE).aggregate(
            active=Count("pk"),
            changed=Count("pk", filter=Q(Exists(_representative_replaced_since_joining()))),
        )
    return RepresentativeTurnover(active_members=counts["active"], changed=counts["changed"])


@dataclass
class WorkspaceOverview:
    network: Network
    active_members: int
    applications_waiting: int
    vacant_commissions: int
    stalled_commissions: int
    turnover: RepresentativeTurnover
    platforms: list[Platform]
    attention: list["CommissionNeedingAttention"]
    attention_count: int


def workspace_overview(
    *, network: Network, now=None, attention_shown: int = 5
) -> WorkspaceOverview:
    """The facilitator's front page: counts, turnover and the most urgent commissions.

    Four queries whatever the size of the network: memberships, commissions,
    platforms and the first commissions needing attention.
    """
    with network_scope(network):
        memberships = Membership.objects.aggregate(
            active=Count("pk", filter=Q(status=MembershipStatus.ACTIVE)),
            applied=Count("pk", filter=Q(status=MembershipStatus.APPLIED)),
            changed=Count(
                "pk",
                filter=Q(status=MembershipStatus.ACTIVE)
                & Q(Exists(_representative_replaced_since_joining())),
            ),
        )
        commissions = Commission.objects.aggregate(
            vacant=Count("pk", filter=Q(state=CommissionState.VACANT)),
            stalled=Count("pk", filter=Q(state=CommissionState.STALLED)),
        )
        platforms = list(
            Platform.objects.annotate(
                member_count=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                )
            ).order_by("position", "id")
        )
        attention = commissions_needing_attention(network=network, now=now)[:attention_shown]
    return WorkspaceOverview(
        network=network,
        active_members=memberships["active"],
        applications_waiting=memberships["applied"],
        vacant_commissions=commissions["vacant"],
        stalled_commissions=commissions["stalled"],
        turnover=RepresentativeTurnover(
            active_members=memberships["active"], changed=memberships["changed"]
        ),
        platforms=platforms,
        attention=attention,
        attention_count=commissions["vacant"] + commissions["stalled"],
    )


def pending_applications(*, network: Network) -> QuerySet[Membership]:
    """Memberships waiting for a facilitator's decision, the oldest first."""
    with network_scope(network):
        return (
            Membership.objects.filter(status=MembershipStatus.APPLIED)
            .select_related("entity", "platform", "charter_version", "representative")
            .order_by("applied_at", "id")
        )


def member_list(
    *,
    network: Network,
    query: str = "",
    status: str = "",
    platform: Platform | None = None,
    kind: str = "",
) -> QuerySet[Membership]:
    """Every membership of the network, whatever its status, with representative and alternate."""
    with network_scope(network):
        memberships = Membership.objects.select_related(
            "entity", "platform", "representative", "alternate"
        )
        if query:
            memberships = memberships.filter(entity__name__icontains=query)
        if status:
            memberships = memberships.filter(status=status)
        if platform is not None:
            memberships = memberships.filter(platform=platform)
        if kind:
            memberships = memberships.filter(entity__kind=kind)
        return memberships.order_by("entity__name", "entity_id")


def membership_for_facilitator(*, network: Network, membership_id: int) -> Membership | None:
    with network_scope(network):
        return (
            Membership.objects.select_related(
                "entity", "platform", "representative", "alternate", "charter_version"
            )
            .filter(pk=membership_id)
            .first()
        )


def active_memberships(*, network: Network) -> QuerySet[Membership]:
    """Active members by name: the entities that may become the regional interlocutor."""
    with network_scope(network):
        return (
            Membership.objects.filter(status=MembershipStatus.ACTIVE)
            .select_related("entity")
            .order_by("entity__name", "entity_id")
        )


def interlocutor_terms(*, network: Network) -> list[Interlocutor]:
    """Every interlocutor term of the network, the current one first."""
    with network_scope(network):
        return list(Interlocutor.objects.select_related("entity").order_by("-started_at", "-id"))


# Commissions needing attention (issue #4 item 9)


def days_left_before_closing(closes_at, now) -> int:
    """Whole days, rounded up, before a vacant commission closes by itself; 0 once due."""
    if closes_at is None:
        return 0
    return max(0, math.ceil((closes_at - now) / timedelta(days=1)))


@dataclass
class CommissionNeedingAttention:
    commission: Commission
    since: datetime | None
    days_left: int | None

    @property
    def is_vacant(self) -> bool:
        return self.commission.state == CommissionState.VACANT


class _AttentionList:
    """A lazily sliced list of commissions needing attention, for the paginator."""

    def __init__(self, queryset, now):
        self.queryset = queryset
        self.now = now

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        rows = self.queryset[index]
        if isinstance(index, slice):
            return [self._wrap(commission) for commission in rows]
        return self._wrap(rows)

    def _wrap(self, commission):
        vacant = commission.state == CommissionState.VACANT
        return CommissionNeedingAttention(
            commission=commission,
            since=commission.vacant_since if vacant else commission.state_changed_at,
            days_left=days_left_before_closing(commission.closes_at, self.now) if vacant else None,
        )


def commissions_needing_attention(*, network: Network, now=None) -> _AttentionList:
    """Vacant commissions, the closest to closing first, then stalled ones, the oldest first."""
    now = now or timezone.now()
    with network_scope(network):
        queryset = Commission.objects.filter(
            state__in=[CommissionState.VACANT, CommissionState.STALLED]
        ).order_by(
            Case(
                When(state=CommissionState.VACANT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            F("closes_at").asc(nulls_last=True),
            "state_changed_at",
            "id",
        )
    return _AttentionList(queryset, now)


# The network's feed: history rows and commission state changes, newest first.


@dataclass
class FeedItem:
    at: datetime
    actor: object
    text: str
    reason: str = ""
    link: str = ""


def feed_rows(*, network: Network):
    """History entries and commission state changes of the network as one dated list.

    Only `(source, id, at)` is read here, for the paginator; `feed_items` turns
    one page of these rows into sentences with a fixed number of queries.
    """
    with network_scope(network):
        # The default orderings are cleared: a compound statement is ordered as a whole.
        history = (
            HistoryEntry.objects.order_by()
            .annotate(source=Value("history"))
            .values("source", "id", "at")
        )
        changes = (
            StateChange.objects.order_by()
            .annotate(source=Value("commission"))
            .values("source", "id", "at")
        )
        return history.union(changes, all=True).order_by("-at", "-id")


def feed_items(*, network: Network, rows) -> list[FeedItem]:
    """Readable sentences for a page of feed rows, in the reader's language."""
    history_ids = [row["id"] for row in rows if row["source"] == "history"]
    change_ids = [row["id"] for row in rows if row["source"] == "commission"]
    with network_scope(network):
        entries = {
            entry.pk: entry
            for entry in HistoryEntry.objects.filter(pk__in=history_ids).select_related("actor")
        }
        changes = {
            change.pk: change
            for change in StateChange.objects.filter(pk__in=change_ids).select_related(
                "commission", "actor"
            )
        }
        items_by_key = {
            ("history", pk): item
            for pk, item in zip(
                entries, history_items(network=network, entries=list(entries.values())), strict=True
            )
        }
    for pk, change in changes.items():
        items_by_key[("commission", pk)] = _state_change_item(network, change)
    return [items_by_key[(row["source"], row["id"])] for row in rows]


def membership_history(*, network: Network, membership: Membership) -> list[FeedItem]:
    with network_scope(network):
        entries = list(
            HistoryEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Membership),
                object_id=membership.pk,
            )
            .select_related("actor")
            .order_by("-at", "-id")
        )
        return history_items(network=network, entries=entries)


def history_items(*, network: Network, entries: list[HistoryEntry]) -> list[FeedItem]:
    """Sentences for history entries, loading what they name in one query per kind."""
    from members.models import Entity, User

    types = ContentType.objects.get_for_models(
        Membership, Facilitator, Interlocutor, CharterVersion
    )
    ids_by_model = {model: set() for model in types}
    type_ids = {content_type.pk: model for model, content_type in types.items()}
    user_ids, entity_ids = set(), set()
    for entry in entries:
        model = type_ids.get(entry.content_type_id)
        if model is not None:
            ids_by_model[model].add(entry.object_id)
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        if entry.action == REPRESENTATIVES_CHANGED:
            for key in ("representative", "alternate"):
                user_ids.update(_pair(changes.get(key)))
        elif entry.action.startswith("interlocutor."):
            entity_ids.update(_pair(changes.get("entity")))
    memberships = Membership.objects.filter(pk__in=ids_by_model[Membership]).select_related(
        "entity"
    )
    facilitators = Facilitator.objects.filter(pk__in=ids_by_model[Facilitator]).select_related(
        "user"
    )
    interlocutors = Interlocutor.objects.filter(pk__in=ids_by_model[Interlocutor])
    subjects = {
        Membership: {membership.pk: membership for membership in memberships},
        Facilitator: {facilitator.pk: facilitator for facilitator in facilitators},
        Interlocutor: {interlocutor.pk: interlocutor for interlocutor in interlocutors},
        CharterVersion: {},
    }
    for interlocutor in subjects[Interlocutor].values():
        entity_ids.add(interlocutor.entity_id)
    people = {user.pk: user for user in User.objects.filter(pk__in=user_ids - {None})}
    entities = {entity.pk: entity for entity in Entity.objects.filter(pk__in=entity_ids - {None})}
    context = _SentenceContext(network=network, people=people, entities=entities)
    items = []
    for entry in entries:
        model = type_ids.get(entry.content_type_id)
        subject = subjects.get(model, {}).get(entry.object_id)
        items.append(
            FeedItem(
                at=entry.at,
                actor=entry.actor,
                text=context.sentence(entry, subject),
                reason=entry.reason,
                link=context.link(entry, subject),
            )
        )
    return items


def _before_after(value):
    """The (before, after) of a change recorded as a two-item list; None for what is missing."""
    items = list(value) if isinstance(value, list | tuple) else []
    items += [None, None]
    return items[0], items[1]


def _pair(value):
    if isinstance(value, list | tuple):
        return {item for item in value if isinstance(item, int)}
    return set()


@dataclass
class _SentenceContext:
    network: Network
    people: dict
    entities: dict

    def person(self, user_id):
        person = self.people.get(user_id)
        return str(person) if person is not None else _("someone no longer registered")

    def entity(self, entity_id):
        entity = self.entities.get(entity_id)
        return entity.name if entity is not None else _("an entity")

    def link(self, entry, subject):
        slug = self.network.slug
        if isinstance(subject, Membership):
            return reverse(
                "facilitation:membership",
                kwargs={"network_slug": slug, "membership_id": subject.pk},
            )
        if isinstance(subject, Interlocutor):
            return reverse("facilitation:interlocutor", kwargs={"network_slug": slug})
        return ""

    def sentence(self, entry, subject) -> str:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        action = entry.action
        if isinstance(subject, Membership):
            entity = subject.entity.name
            if action == "membership.status":
                return _membership_status_sentence(entity, changes.get("status"))
            if action == REPRESENTATIVES_CHANGED:
                return self._representatives_sentence(entity, changes)
            if action == "membership.created":
                return _("%(entity)s was added to the network.") % {"entity": entity}
        if isinstance(subject, Facilitator):
            person = str(subject.user)
            if action == "facilitator.appointed":
                return _("%(person)s was appointed facilitator.") % {"person": person}
            if action == "facilitator.ended":
                return _("%(person)s stopped facilitating the network.") % {"person": person}
        if isinstance(subject, Interlocutor) and action == "interlocutor.assigned":
            previous, _new = _before_after(changes.get("entity"))
            entity = self.entity(subject.entity_id)
            if previous:
                return _("%(entity)s became the regional interlocutor, replacing %(previous)s.") % {
                    "entity": entity,
                    "previous": self.entity(previous),
                }
            return _("%(entity)s became the regional interlocutor.") % {"entity": entity}
        if action == "commission.reopened":
            return _("The commission %(commission)s, closed on %(closed_on)s, was reopened.") % {
                "commission": changes.get("commission", "?"),
                "closed_on": changes.get("closed_on", "?"),
            }
        if action == "charter.published":
            return _("Version %(version)s of the charter was published.") % {
                "version": changes.get("version", "?")
            }
        if action.startswith("admin."):
            return _admin_sentence(entry, changes)
        return _("A change was recorded (%(action)s).") % {"action": action}

    def _representatives_sentence(self, entity, changes):
        parts = []
        for key, named, removed in (
            (
                "representative",
                _("%(person)s became the representative of %(entity)s."),
                _("%(entity)s has no representative any more."),
            ),
            (
                "alternate",
                _("%(person)s became the alternate of %(entity)s."),
                _("%(entity)s has no alternate any more."),
            ),
        ):
            if key not in changes:
                continue
            _old, new = _before_after(changes[key])
            if new:
                parts.append(named % {"person": self.person(new), "entity": entity})
            else:
                parts.append(removed % {"entity": entity})
        return " ".join(parts) or _("The people of %(entity)s were updated.") % {"entity": entity}


def _admin_sentence(entry, changes) -> str:
    """A change made in the admin: what kind of row, and which fields (values are in the admin)."""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    what = model._meta.verbose_name if model is not None else _("record")
    if entry.action == "admin.deleted":
        text = _("%(what)s “%(name)s” was removed in the admin.") % {
            "what": what,
            "name": changes.get("deleted", ""),
        }
    elif entry.action == "admin.added":
        text = _("%(what)s was added in the admin.") % {"what": what}
    else:
        labels = []
        for name in changes:
            try:
                labels.append(str(model._meta.get_field(name).verbose_name))
            except (AttributeError, FieldDoesNotExist):
                labels.append(name)
        text = _("%(what)s was changed in the admin: %(fields)s.") % {
            "what": what,
            "fields": ", ".join(labels),
        }
    return capfirst(text)


def _membership_status_sentence(entity, pair) -> str:
    previous, new = _before_after(pair)
    values = {"entity": entity}
    if new == MembershipStatus.ACTIVE:
        if previous == MembershipStatus.APPLIED:
            return _("%(entity)s was approved as a member.") % values
        return _("%(entity)s was reinstated as a member.") % values
    if new == MembershipStatus.REJECTED:
        return _("The application of %(entity)s was rejected.") % values
    if new == MembershipStatus.SUSPENDED:
        return _("%(entity)s was suspended.") % values
    if new == MembershipStatus.LEFT:
        return _("%(entity)s left the network.") % values
    if new == MembershipStatus.APPLIED:
        return _("%(entity)s applied to join the network.") % values
    return _("The membership of %(entity)s changed.") % values


def _state_change_item(network: Network, change: StateChange) -> FeedItem:
    commission = change.commission
    values = {
        "commission": commission.name,
        "state": CommissionState(change.to_state).label
        if change.to_state in CommissionState.values
        else change.to_state,
    }
    if change.reason == StateChange.Reason.PROPOSED:
        text = _("The commission %(commission)s was proposed.") % values
    else:
        text = _("The commission %(commission)s is now: %(state)s.") % values
    reason = (
        StateChange.Reason(change.reason).label
        if change.reason in StateChange.Reason.values
        else change.reason
    )
    if change.note:
        reason = f"{reason}. {change.note}" if reason else change.note
    return FeedItem(
        at=change.at,
        actor=change.actor,
        text=text,
        reason=str(reason),
        link=reverse(
            "commissions:detail",
            kwargs={"network_slug": network.slug, "commission_id": commission.pk},
        ),
    )
