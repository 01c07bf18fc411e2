"""The commissions each of a person's entities sits in, in "My network".

Registered with `members.workspace_sections`.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from commissions.models import CommissionMember, CommissionState, PromoterTerm
from members.workspace_sections import Section, Waiting, reach_of
from networks.rules import cached_role


def seats_of(user, pairs: set[tuple[int, int]]) -> list:
    """The seats of these (network id, entity id), by commission name, each saying whether its
    entity promotes the commission (`promotes`): one query, once per request.

    The commissions section lists them; the events section asks which
    commissions' events are for the person's entities.
    """
    read = cached_role(user, "commission_seats", lambda _user: {})
    key = frozenset(pairs)
    if read is None or key not in read:
        entity_ids = {entity_id for _network_id, entity_id in pairs}
        network_ids = {network_id for network_id, _entity_id in pairs}
        seats = [
            seat
            for seat in CommissionMember.objects.filter(
                entity_id__in=entity_ids, network_id__in=network_ids, left_on__isnull=True
            )
            .annotate(
                promotes=Exists(
                    PromoterTerm.objects.filter(
                        commission=OuterRef("commission_id"),
                        entity=OuterRef("entity_id"),
                        ended_at__isnull=True,
                    )
                )
            )
            .select_related("commission", "network")
            .order_by("commission__name", "id")
            if (seat.network_id, seat.entity_id) in pairs
        ]
        if read is None:
            return seats
        read[key] = seats
    return read[key]


def commissions_of_entities(*, user, memberships) -> dict[int, Section]:
    """Each entity's seats, with its role in each (member or promoter), in one query
    (`seats_of`).

    A vacant commission waits for the person: their entity may step up as its promoter.
    """
    # Its own network's commissions, and, as an active member, those of the networks above.
    pairs = reach_of(user, memberships)
    entity_ids = {entity_id for _network_id, entity_id in pairs}
    seats = seats_of(user, pairs)
    sections = {
        entity_id: Section(
            title=_("Commissions"),
            template="commissions/includes/workspace_commissions.html",
            items=[],
            empty=_("Your entity does not sit in any commission yet."),
        )
        for entity_id in entity_ids
    }
    for seat in seats:
        section = sections[seat.entity_id]
        section.items.append(seat)
        if seat.commission.state == CommissionState.VACANT:
            section.waiting.append(
                Waiting(
                    text=_(
                        "“%(commission)s” (%(network)s), where %(entity)s sits, has no promoter: "
                        "your entity may step up before it closes."
                    )
                    % {
                        "commission": seat.commission.name,
                        "network": seat.network.name,
                        "entity": _entity_name(memberships, seat.entity_id),
                    },
                    url=reverse(
                        "commissions:detail",
                        kwargs={
                            "network_slug": seat.network.slug,
                            "commission_id": seat.commission_id,
                        },
                    ),
                    link_text=_("See the commission"),
                )
            )
    return sections


def _entity_name(memberships, entity_id):
    return next(m.entity.name for m in memberships if m.entity_id == entity_id)
