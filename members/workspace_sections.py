"""What apps above members add to "My network": their part of each entity's card, and the person's.

Members sits below commissions, events and decisions and imports none of them,
yet "My network" lists, for each of the person's entities, its commissions,
the events it registered for and the proposals waiting for its position. Each
of those apps registers a provider from its `AppConfig.ready()`:

- `register_entity_section(provider, order=…)`: `provider(user=…, memberships=…)`
  is given the person's live memberships (entity and network loaded) and returns
  `{entity id: Section}` for the entities it has something to say about.
- `register_person_section(provider, order=…)`: `provider(user=…)` returns the
  sections shown above the entities (what a facilitator has waiting).

`members.selectors.workspace` calls every provider once for all the entities
together, inside its own cross-network block, so a provider answers in a fixed
number of queries whatever the entities, and reads only what the person's
memberships name. Sections show in the order given, whatever the order the
apps start in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from members.models import MembershipStatus
from members.reach import network_parents, pairs_in_reach
from networks.rules import cached_role


@dataclass
class Waiting:
    """Something that waits for the person, shown under "Waiting for you"."""

    text: str
    url: str
    link_text: str


@dataclass
class Section:
    """One app's part of "My network": a heading, its items and the template that shows them."""

    title: str
    template: str
    items: list
    empty: str = ""  # said when there is no item; without it an empty section is not shown
    waiting: list[Waiting] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # anything else the template needs

    @property
    def has_content(self) -> bool:
        return bool(self.items) or any(self.extra.values())


EntitySectionProvider = Callable[..., dict[int, Section]]
PersonSectionProvider = Callable[..., list[Section]]

_ENTITY_SECTIONS: dict[EntitySectionProvider, int] = {}
_PERSON_SECTIONS: dict[PersonSectionProvider, int] = {}


def register_entity_section(provider: EntitySectionProvider, *, order: int) -> None:
    _ENTITY_SECTIONS[provider] = order


def register_person_section(provider: PersonSectionProvider, *, order: int) -> None:
    _PERSON_SECTIONS[provider] = order


def _in_order(registry):
    return [provider for provider, _order in sorted(registry.items(), key=lambda pair: pair[1])]


def reach_of(user, memberships) -> set[tuple[int, int]]:
    """(network id, entity id) where the person's entities may act: each live membership's own
    network, and, for active ones, every network above it (`members.reach`). The networks'
    parents are read once per request, whichever provider asks first."""
    parents = cached_role(user, "network_parents", lambda _user: network_parents()) or {}
    own = {(membership.network_id, membership.entity_id) for membership in memberships}
    active = {
        (membership.network_id, membership.entity_id)
        for membership in memberships
        if membership.status == MembershipStatus.ACTIVE
    }
    return own | pairs_in_reach(active, parents)


def entity_sections(*, user, memberships) -> dict[int, list[Section]]:
    """{entity id: its sections, in order} from every registered app."""
    sections: dict[int, list[Section]] = {}
    for provider in _in_order(_ENTITY_SECTIONS):
        for entity_id, section in provider(user=user, memberships=memberships).items():
            sections.setdefault(entity_id, []).append(section)
    return sections


def person_sections(*, user) -> list[Section]:
    return [section for provider in _in_order(_PERSON_SECTIONS) for section in provider(user=user)]
