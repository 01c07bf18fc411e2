"""Reads behind the public member pages: the directory and an entity's profile.

Only public facts leave these functions: active members, their entity's
public fields and their platform. Representatives and alternates are never
loaded here, so no template can show them by accident.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.expressions import Combinable
from django.utils import timezone

from core.actors import Actor
from core.text import folded
from members.commission_choice import commission_choice
from members.models import (
    Entity,
    Invitation,
    Membership,
    MembershipStatus,
    PriorityArea,
    User,
)
from members.reach import has_networks_under, memberships_in_reach, network_ids_in_reach
from members.workspace_sections import Section, Waiting, entity_sections, person_sections
from networks.models import CharterVersion, Network
from networks.rules import cached_role
from networks.scoping import all_networks, network_scope
from platforms.models import Platform


def name_search(query: str, *, field: str = "entity__search_name") -> Q:
    """Names holding every word typed, whatever their accents and case ("raices" finds "Raíces")."""
    condition = Q()
    for word in folded(query).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition


def _public_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related(
        "entity", "platform"
    )


def directory(
    *,
    network: Network,
    query: str = "",
    platform: Platform | None = None,
    kind: str = "",
    area: PriorityArea | None = None,
    region: Network | None = None,
) -> QuerySet[Membership]:
    """Active members of a network, by entity name, narrowed by the directory's filters.

    A network with networks under it (the national one) lists the members of all
    of them (`members.reach`), each entity once, through one of its memberships;
    `region` narrows it to one network under it, and `platform` to a sector.
    """
    with network_scope(network):
        if has_networks_under(network):
            memberships = one_per_entity(
                memberships_in_reach(region if region is not None else network)
            ).select_related("entity", "platform", "network")
        else:
            memberships = _public_memberships()
        memberships = memberships.prefetch_related(
            Prefetch("entity__priority_areas", queryset=PriorityArea.objects.order_by("id"))
        )
        if query:
            memberships = memberships.filter(name_search(query))
        if platform is not None and has_networks_under(network):
            memberships = memberships.filter(platform__sector=platform.sector)
        elif platform is not None:
            memberships = memberships.filter(platform=platform)
        if kind:
            memberships = memberships.filter(entity__kind=kind)
        if area is not None:
            # An entity holds an area at most once, so this join adds no duplicate rows.
            memberships = memberships.filter(entity__priority_areas=area)
        return memberships.order_by("entity__name", "entity_id")


def one_per_entity(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Of several memberships of one entity, keep the first: an entity is listed once."""
    earlier = memberships.filter(entity_id=OuterRef("entity_id"), pk__lt=OuterRef("pk"))
    return memberships.filter(~Exists(earlier))


def regions_under(*, network: Network) -> list[Network]:
    """The networks under this one (its regions, and any level below), by name."""
    ids = [pk for pk in network_ids_in_reach(network) if pk != network.pk]
    return list(Network.objects.filter(pk__in=ids).order_by("name")) if ids else []


def networks_under(*, network: Network) -> QuerySet[Network]:
    """The networks under this one, at any depth, as a queryset (a filter's choices), by name."""
    ids = [pk for pk in network_ids_in_reach(network) if pk != network.pk]
    return Network.objects.filter(pk__in=ids).order_by("name", "id")


def regions_of_entities(entity_ids: Iterable[int], *, network: Network) -> dict[int, list[Network]]:
    """{entity id: the networks under `network` it is an active member of, by name}.

    One query whatever the number of entities, none for a network with none under it.
    """
    entity_ids = list(entity_ids)
    if not entity_ids or not has_networks_under(network):
        return {}
    others = (
        memberships_in_reach(network)
        .filter(entity_id__in=entity_ids)
        .exclude(network_id=network.pk)
        .select_related("network")
        .order_by("network__name", "network_id")
    )
    found: dict[int, list[Network]] = {}
    for other in others:
        found.setdefault(other.entity_id, []).append(other.network)
    return found


def label_regions(memberships: Iterable[Membership], *, network: Network) -> None:
    """Name on each listed membership the networks under `network` its entity belongs to.

    One query for the page, whatever its size: `membership.regions` is the list of
    those networks, and `membership.home` the one whose address its profile has.
    """
    rows = list(memberships)
    if not rows or not has_networks_under(network):
        for membership in rows:
            membership.regions, membership.home = [], network
        return
    by_entity = regions_of_entities([membership.entity_id for membership in rows], network=network)
    for membership in rows:
        membership.regions = by_entity.get(membership.entity_id, [])
        membership.home = membership.network


def network_platforms(*, network: Network) -> list[Platform]:
    with network_scope(network):
        return list(Platform.objects.order_by("position", "id"))


def priority_areas() -> list[PriorityArea]:
    return list(PriorityArea.objects.order_by("id"))


@dataclass
class EntityProfile:
    membership: Membership
    entity: Entity
    priority_areas: list[PriorityArea]
    commissions: list


def entity_profile(*, network: Network, entity_slug: str) -> EntityProfile | None:
    """An entity as this network shows it, or None unless it is an active member here.

    An entity may belong to several networks; under one network's address it
    exists only through an active membership of that network.
    """
    with network_scope(network):
        membership = _public_memberships().filter(entity__slug=entity_slug).first()
        if membership is None:
            return None
        entity = membership.entity
        areas = list(entity.priority_areas.order_by("id"))
        commissions = commission_choice().seats(entity_ids=[entity.pk])
    return EntityProfile(
        membership=membership, entity=entity, priority_areas=areas, commissions=commissions
    )


# Registration and the entity's workspace -----------------------------------------

# Words that say nothing about which organisation a name means.
_NAME_STOPWORDS = {"de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "por", "con"}
_GENERIC_WORDS = {
    "asociacion",
    "association",
    "grupo",
    "group",
    "red",
    "network",
    "voluntariado",
    "voluntarios",
    "voluntarias",
    "voluntario",
    "volunteer",
    "volunteers",
    "volunteering",
    "fundacion",
    "foundation",
    "ong",
    "colectivo",
    "club",
    "programa",
    "peru",
    "juvenil",
    "centro",
    "institucion",
    "organizacion",
}
SIMILAR_CANDIDATES = 200


def normalise_name(name: str) -> str:
    """Lower case, no accents, no punctuation: "Asociación Chachani" → "asociacion chachani"."""
    return " ".join(re.sub(r"[^\w]+", " ", folded(name)).split())


def _name_words(normalised: str) -> list[str]:
    return [word for word in normalised.split() if len(word) > 2 and word not in _NAME_STOPWORDS]


def similar_entities(
    name: str, *, limit: int = 5, within: QuerySet[Entity] | None = None
) -> list[Entity]:
    """Registered entities whose name looks like this one ("this organisation may already be here").

    Candidates are narrowed in SQL (entities whose `search_name` holds the typed
    words, ranked by how many; a trigram index answers this on PostgreSQL) and
    only those are compared in Python by word overlap and difflib's ratio, so it
    stays fast with a hundred thousand entities. `within` narrows the entities
    compared (a network's members).
    """
    normalised = normalise_name(name)
    words = _name_words(normalised)
    if not words:
        return []
    distinctive = [word for word in words if word not in _GENERIC_WORDS] or words
    candidates = similar_candidates(distinctive, within=within)
    typed_distinctive = set(distinctive)
    ranked = []
    for entity in candidates:
        other = normalise_name(entity.name)
        other_distinctive = {word for word in _name_words(other) if word not in _GENERIC_WORDS}
        shared = typed_distinctive & other_distinctive
        overlap = len(shared) / min(len(typed_distinctive), len(other_distinctive) or 1)
        ratio = SequenceMatcher(None, normalised, other).ratio()
        if ratio >= 0.8 or (shared and overlap >= 0.66):
            ranked.append((max(ratio, overlap), entity))
    ranked.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [entity for _similarity, entity in ranked[:limit]]


def similar_candidates(
    words: list[str], *, within: QuerySet[Entity] | None = None
) -> QuerySet[Entity]:
    """Entities whose name holds any of these folded words, those holding the most first.

    The filter is a plain OR of "contains", which the trigram index answers; the
    ranking only orders what it found.
    """
    searched = sorted(set(words), key=len, reverse=True)[:6]
    holds_any = Q()
    score: Combinable | None = None
    for word in searched:
        holds_any |= Q(search_name__contains=word)
        hit = Case(When(search_name__contains=word, then=1), default=0)
        score = hit if score is None else score + hit
    entities = within if within is not None else Entity.objects.all()
    return (
        entities.filter(holds_any)
        .annotate(word_hits=score)
        .order_by("-word_hits", "name")
        .only("pk", "name", "slug", "city", "region")[:SIMILAR_CANDIDATES]
    )


# A person acts for an entity through a membership in one of these states.
LIVE_STATUSES = (MembershipStatus.APPLIED, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


def represents_entity(user: Actor, entity: Entity) -> bool:
    """Does this person act for the entity somewhere, or registered it and has not applied yet?

    While the entity has a live membership (applied, active, suspended), its
    representatives and alternates act for it; once none is left (rejected,
    left), the last ones and its registrant may still apply again.
    """
    if not user.is_authenticated:
        return False
    memberships = [row[1:] for row in _memberships_of_entity(entity)]
    live = [row for row in memberships if row[0] in LIVE_STATUSES]
    if live:
        return any(user.pk in (representative, alternate) for _s, representative, alternate in live)
    return entity.created_by_id == user.pk or any(
        user.pk in (representative, alternate) for _s, representative, alternate in memberships
    )


def live_network_ids(entity: Entity) -> set[int]:
    """The networks where the entity is a member (applied, active or suspended)."""
    return {
        network_id
        for network_id, status, _r, _a in _memberships_of_entity(entity)
        if status in LIVE_STATUSES
    }


def _memberships_of_entity(entity: Entity) -> list[tuple]:
    # An entity belongs to several networks: who acts for it is read across all of them.
    with all_networks():
        return list(
            Membership.objects.filter(entity=entity).values_list(
                "network_id", "status", "representative_id", "alternate_id"
            )
        )


def entities_represented_by(user: User) -> list[Entity]:
    """The entities this person may apply for (see `represents_entity`)."""
    with all_networks():
        mine = Q(memberships__representative=user) | Q(memberships__alternate=user)
        candidates = Entity.objects.filter(mine | Q(created_by=user)).distinct().order_by("name")
        rows = Membership.objects.filter(entity__in=candidates).values_list(
            "entity_id", "status", "representative_id", "alternate_id"
        )
        by_entity: dict[int, list[tuple[str, int | None, int | None]]] = {}
        for entity_id, status, representative_id, alternate_id in rows:
            by_entity.setdefault(entity_id, []).append((status, representative_id, alternate_id))
        chosen = []
        for entity in candidates:
            memberships = by_entity.get(entity.pk, [])
            live = [row for row in memberships if row[0] in LIVE_STATUSES]
            rows_that_count = live or memberships
            if (not live and entity.created_by_id == user.pk) or any(
                user.pk in (representative, alternate)
                for _s, representative, alternate in rows_that_count
            ):
                chosen.append(entity)
        return chosen


@dataclass
class WorkspaceEntity:
    entity: Entity
    memberships: list[Membership] = field(default_factory=list)
    # What the apps above members show of it (`members.workspace_sections`).
    sections: list[Section] = field(default_factory=list)
    open_invitations: list = field(default_factory=list)


@dataclass
class Workspace:
    entities: list[WorkspaceEntity]
    invitations_for_me: list
    charters_to_accept: list[Membership]
    applications_waiting: list[Membership]
    networks: list[Network]
    # What the apps above members show above the entities (a facilitator's networks).
    sections: list[Section] = field(default_factory=list)

    @property
    def waiting(self) -> list[Waiting]:
        """What the sections say waits for the person, the person's own sections first."""
        every = [*self.sections, *(s for item in self.entities for s in item.sections)]
        return [waiting for section in every for waiting in section.waiting]

    @property
    def waiting_for_me(self) -> bool:
        return bool(self.invitations_for_me or self.charters_to_accept or self.waiting)


def workspace(user: User) -> Workspace:
    """Everything "My network" shows, in a fixed number of queries whatever the memberships."""
    now = timezone.now()
    with all_networks():
        current_charter = (
            CharterVersion.objects.filter(network=OuterRef("network"))
            .order_by("-version")
            .values("pk")[:1]
        )
        memberships = list(
            Membership.objects.filter(Q(representative=user) | Q(alternate=user))
            .select_related(
                "entity", "network", "platform", "charter_version", "pending_commission"
            )
            .annotate(current_charter_id=Subquery(current_charter))
            .order_by("entity__name", "network__name")
        )
        registered = list(
            Entity.objects.filter(created_by=user, memberships__isnull=True).order_by("name")
        )
        networks = list(Network.objects.order_by("kind", "name"))
        # The sections find where each entity may act from the same read of the networks.
        cached_role(user, "network_parents", lambda _user: {n.pk: n.parent_id for n in networks})
        live = [membership for membership in memberships if membership.status in LIVE_STATUSES]
        sections = entity_sections(user=user, memberships=live)
        own_sections = person_sections(user=user)
        # The invitations waiting for this person and those its entities sent, in one read.
        live_ids = [membership.pk for membership in live]
        invitations = list(
            Invitation.objects.filter(
                Q(email__iexact=user.email) | Q(membership__in=live_ids),
                used_at__isnull=True,
                replaced_at__isnull=True,
                expires_at__gt=now,
            )
            .annotate(for_me=ExpressionWrapper(Q(email__iexact=user.email), BooleanField()))
            .select_related("membership__entity", "network")
        )
        invitations_for_me = [invitation for invitation in invitations if invitation.for_me]
        sent = [invitation for invitation in invitations if invitation.membership_id in live_ids]
    by_entity: dict[int, WorkspaceEntity] = {}
    for membership in memberships:
        by_entity.setdefault(membership.entity_id, WorkspaceEntity(entity=membership.entity))
        by_entity[membership.entity_id].memberships.append(membership)
        membership.charter_is_current = (
            membership.current_charter_id is None
            or membership.charter_version_id == membership.current_charter_id
        )
        membership.open_invitations = [
            invitation for invitation in sent if invitation.membership_id == membership.pk
        ]
    for entity in registered:
        by_entity.setdefault(entity.pk, WorkspaceEntity(entity=entity))
    for entity_id, its_sections in sections.items():
        if entity_id in by_entity:
            by_entity[entity_id].sections = its_sections
    entities = sorted(by_entity.values(), key=lambda item: item.entity.name.casefold())
    return Workspace(
        entities=entities,
        invitations_for_me=invitations_for_me,
        charters_to_accept=[
            membership
            for membership in memberships
            if membership.status in (MembershipStatus.ACTIVE, MembershipStatus.APPLIED)
            and not membership.charter_is_current
        ],
        applications_waiting=[
            membership
            for membership in memberships
            if membership.status == MembershipStatus.APPLIED
        ],
        networks=networks,
        sections=own_sections,
    )


def open_commissions(*, network: Network) -> list:
    """Commissions a new member may join on joining (not closed)."""
    with network_scope(network):
        return commission_choice().open_commissions(network)


def memberships_here(*, network: Network, entities: list[Entity]) -> list[Membership]:
    """This network's memberships of these entities (to name their status)."""
    with network_scope(network):
        return list(
            Membership.objects.filter(entity__in=[entity.pk for entity in entities])
            .select_related("entity")
            .order_by("entity__name")
        )


def open_invitations(*, membership: Membership) -> list:
    """Invitations of this membership still waiting for their invitee."""
    with network_scope(membership.network):
        return list(
            Invitation.objects.filter(
                membership=membership,
                used_at__isnull=True,
                replaced_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
        )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a link, whatever its network (the token is the secret)."""
    with all_networks():
        return (
            Invitation.objects.filter(token=token)
            .select_related("network", "membership__entity")
            .first()
        )
