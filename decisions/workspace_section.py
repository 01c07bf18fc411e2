"""The proposals waiting for each of a person's entities, in "My network" (its "to decide" list).

Registered with `members.workspace_sections`. An entity is waiting to be heard
on an open proposal of its network (of its commission, for a commission's
proposal) while it has taken no position, or its position was taken before
an amendment, and on a proposal being voted while it has not voted; a member
too recent under the proposal's rules takes no part and is not asked.
"""

from datetime import datetime, timedelta
from typing import cast

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commissions.workspace_section import seats_of
from decisions.models import Position, Proposal, ProposalState, Vote
from decisions.selectors import local_moment
from members.models import MembershipStatus
from members.workspace_sections import Section, Waiting, reach_of


def proposals_to_decide(*, user, memberships) -> dict[int, Section]:
    """Three queries whatever the entities: proposals, positions and votes (the seats are
    those the commissions section read)."""
    now = timezone.now()
    active = {
        (membership.network_id, membership.entity_id): membership
        for membership in memberships
        if membership.status == MembershipStatus.ACTIVE
    }
    if not active:
        return {}
    network_ids = {network_id for network_id, _entity_id in active}
    entity_ids = {entity_id for _network_id, entity_id in active}
    proposals = list(
        Proposal.objects.filter(network_id__in=network_ids)
        .filter(
            Q(state=ProposalState.OPEN, opens_at__lte=now, closes_at__gt=now)
            | Q(state=ProposalState.VOTING, vote_closes_at__gt=now)
        )
        .select_related("network", "commission")
        .order_by("closes_at", "id")
    )
    if not proposals:
        return {}
    # The seats the commissions section read: those of every network in the entities' reach.
    seats = {
        (seat.commission_id, seat.entity_id)
        for seat in seats_of(user, reach_of(user, memberships))
        if seat.entity_id in entity_ids
    }
    current = {
        "proposal__in": proposals,
        "entity_id__in": entity_ids,
        "superseded_at__isnull": True,
    }
    settled = set(
        Position.objects.filter(**current, needs_review=False).values_list(
            "proposal_id", "entity_id"
        )
    )
    voted = set(Vote.objects.filter(**current).values_list("proposal_id", "entity_id"))
    sections: dict[int, Section] = {}
    for proposal in proposals:
        for (network_id, entity_id), membership in active.items():
            if network_id != proposal.network_id or not _takes_part(
                proposal, membership, seats, now
            ):
                continue
            voting = proposal.state == ProposalState.VOTING
            if (proposal.pk, entity_id) in (voted if voting else settled):
                continue
            section = sections.setdefault(
                entity_id,
                Section(
                    title=_("To decide"),
                    template="decisions/includes/workspace_to_decide.html",
                    items=[],
                ),
            )
            # A vote opens with its end set (`services.open_vote`).
            closes_at = cast(datetime, proposal.vote_closes_at) if voting else proposal.closes_at
            item = {
                "proposal": proposal,
                "voting": voting,
                "closes": local_moment(closes_at, proposal.network),
            }
            section.items.append(item)
            section.waiting.append(
                Waiting(
                    text=(
                        _("%(entity)s has not voted on “%(proposal)s” (%(network)s) yet.")
                        if voting
                        else _("“%(proposal)s” (%(network)s) waits for the position of %(entity)s.")
                    )
                    % {
                        "entity": membership.entity.name,
                        "proposal": proposal.title,
                        "network": proposal.network.name,
                    },
                    url=proposal.get_absolute_url(),
                    link_text=_("Vote") if voting else _("Take a position"),
                )
            )
    return sections


def _takes_part(proposal, membership, seats, now) -> bool:
    if proposal.commission_id and (proposal.commission_id, membership.entity_id) not in seats:
        return False
    if proposal.min_membership_days:
        since = membership.joined_at or membership.status_changed_at
        return since <= now - timedelta(days=proposal.min_membership_days)
    return True
