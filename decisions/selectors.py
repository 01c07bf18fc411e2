"""Reads of proposals that pages and the API share; a read never writes."""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissions.models import Commission
from core.actors import Actor
from decisions.models import (
    CLOSED_STATES,
    DECIDED_STATES,
    Amendment,
    Position,
    Proposal,
    ProposalState,
    Stance,
    Vote,
)
from events.models import Event
from members.models import Entity, MembershipStatus
from members.rules import entity_roles
from networks.models import Network

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Objections(TypedDict):
    """What `proposals` adds to each proposal: how many objections stand."""

    objections: int


if TYPE_CHECKING:
    # A proposal of the list, as the type checker knows it; only a type, never built.
    ListedProposal = WithAnnotations[Proposal, Objections]

# The list's filters: what a person picks, and the states each shows.
LIST_FILTERS = {
    "open": (ProposalState.DRAFT, ProposalState.OPEN, ProposalState.OBJECTED, ProposalState.VOTING),
    "closed": CLOSED_STATES,
    "adopted": (ProposalState.ADOPTED,),
    "not_adopted": (ProposalState.NOT_ADOPTED,),
}


def proposals(
    *, network: Network, commission: Commission | None = None, status: str = ""
) -> "QuerySet[ListedProposal]":
    """A network's proposals (or a commission's), newest first, filtered by state if asked."""
    queryset = Proposal.objects.filter(network=network).select_related(
        "proposer", "commission", "network"
    )
    if commission is not None:
        queryset = queryset.filter(commission=commission)
    if status in LIST_FILTERS:
        queryset = queryset.filter(state__in=LIST_FILTERS[status])
    return queryset.annotate(
        objections=Count(
            "positions",
            filter=Q(positions__superseded_at__isnull=True, positions__stance=Stance.OBJECT),
        )
    ).order_by("-opens_at", "-id")


def get_proposal(*, network: Network, proposal_id: int) -> Proposal | None:
    return (
        Proposal.objects.filter(network=network, pk=proposal_id)
        .select_related("proposer", "commission", "agenda_item__event", "network")
        .first()
    )


def local_moment(moment: datetime, network: Network) -> str:
    """A moment in the network's time zone, as people write it, with the zone's city."""
    local = timezone.localtime(moment, network.zone)
    city = network.time_zone.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(when)s, %(city)s time") % {
        "when": date_format(local, "DATETIME_FORMAT"),
        "city": city,
    }


def status_sentence(proposal: Proposal, *, objections: int) -> str:
    """Where the proposal stands, in words a member reads on a phone."""
    network = proposal.network
    if proposal.state == ProposalState.DRAFT:
        return _("Positions open on %(when)s.") % {"when": local_moment(proposal.opens_at, network)}
    if proposal.state == ProposalState.OPEN:
        standing = (
            ngettext(
                "%(count)s objection stands",
                "%(count)s objections stand",
                objections,
            )
            % {"count": objections}
            if objections
            else _("No objection stands")
        )
        return _("%(standing)s; the window closes on %(when)s.") % {
            "standing": standing,
            "when": local_moment(proposal.closes_at, network),
        }
    if proposal.state == ProposalState.OBJECTED:
        return ngettext(
            "The window closed with %(count)s objection standing: not adopted unless a vote "
            "adopts it.",
            "The window closed with %(count)s objections standing: not adopted unless a vote "
            "adopts it.",
            objections,
        ) % {"count": objections}
    if proposal.state == ProposalState.VOTING:
        # A vote opens with its end set (`services.open_vote`).
        vote_closes_at = cast(datetime, proposal.vote_closes_at)
        return _(
            "Being voted; the vote closes on %(when)s (adopted with %(share)s of yes + no)."
        ) % {
            "when": local_moment(vote_closes_at, network),
            "share": proposal.threshold_label,
        }
    if proposal.state == ProposalState.WITHDRAWN:
        return _("Withdrawn by its proposer.")
    return outcome_sentence(proposal)


def outcome_sentence(proposal: Proposal) -> str:
    if proposal.state not in DECIDED_STATES:
        return ""
    if proposal.decided_by == "vote":
        sentence = _(
            "%(outcome)s by vote: %(yes)s yes, %(no)s no, %(abstain)s abstentions "
            "(%(share)s of yes + no needed)."
        ) % {
            "outcome": proposal.get_state_display(),
            "yes": proposal.yes_count,
            "no": proposal.no_count,
            "abstain": proposal.abstain_count,
            "share": proposal.threshold_label,
        }
        if proposal.quorum_met is False:
            sentence += " " + _("The quorum of %(quorum)s%% was not met.") % {
                "quorum": proposal.quorum_percent
            }
        return sentence
    if proposal.state == ProposalState.ADOPTED:
        return _("Adopted by consent: %(agree)s agree, %(aside)s stand aside, no objection.") % {
            "agree": proposal.agree_count,
            "aside": proposal.stand_aside_count,
        }
    return _("Not adopted: %(count)s objections stood and the network decides by consent only.") % {
        "count": proposal.object_count
    }


class ProposalPage(TypedDict):
    """What the proposal page shows beside the proposal itself."""

    amendments: list[Amendment]
    positions: list[Position]
    earlier_positions: list[Position]
    objections: list[Position]
    votes: list[Vote]
    status: str
    my_positions: list[Position]
    my_votes: list[Vote]


def proposal_page(*, proposal: Proposal, user: Actor) -> ProposalPage:
    """Everything the proposal page shows, in a fixed number of queries."""
    positions = list(
        Position.objects.filter(proposal=proposal)
        .select_related("entity", "recorded_in_plenary_by")
        .order_by("entity__name", "-taken_at")
    )
    votes = list(
        Vote.objects.filter(proposal=proposal, superseded_at__isnull=True)
        .select_related("entity", "recorded_in_plenary_by")
        .order_by("entity__name")
    )
    current = [p for p in positions if p.superseded_at is None]
    objections = sum(1 for p in current if p.stance == Stance.OBJECT)
    roles = entity_roles(user) if user.is_authenticated else None
    mine = roles.entities_in(proposal.network_id) if roles else set()
    return {
        "amendments": list(Amendment.objects.filter(proposal=proposal).order_by("number")),
        "positions": current,
        "earlier_positions": [p for p in positions if p.superseded_at is not None],
        "objections": [p for p in current if p.stance == Stance.OBJECT],
        "votes": votes,
        "status": status_sentence(proposal, objections=objections),
        "my_positions": [p for p in current if p.entity_id in mine],
        "my_votes": [v for v in votes if v.entity_id in mine],
    }


def held_positions(*, proposal: Proposal, entities: Iterable[Entity]) -> list[Position]:
    """The positions these entities hold now on the proposal, by entity name."""
    return list(
        Position.objects.filter(proposal=proposal, entity__in=entities, superseded_at__isnull=True)
        .select_related("entity")
        .order_by("entity__name")
    )


def standing_positions(proposal: Proposal) -> QuerySet[Position]:
    """The positions that stand on the proposal, with their entities, by entity name."""
    return (
        Position.objects.filter(proposal=proposal, superseded_at__isnull=True)
        .select_related("entity")
        .order_by("entity__name")
    )


def standing_objections(proposal: Proposal) -> int:
    return Position.objects.filter(
        proposal=proposal, superseded_at__isnull=True, stance=Stance.OBJECT
    ).count()


def member_entity(*, network: Network, slug: str) -> Entity | None:
    """The active member entity of the network with this slug, or None."""
    return Entity.objects.filter(
        slug=slug, memberships__network=network, memberships__status=MembershipStatus.ACTIVE
    ).first()


def held_votes(*, proposal: Proposal, entities: Iterable[Entity]) -> list[Vote]:
    """The votes these entities hold now on the proposal, by entity name."""
    return list(
        Vote.objects.filter(proposal=proposal, entity__in=entities, superseded_at__isnull=True)
        .select_related("entity")
        .order_by("entity__name")
    )


def decisions_of_event(*, event: Event) -> list[Proposal]:
    """The proposals on an event's agenda, with their outcome, for its page and minutes."""
    return list(
        Proposal.objects.filter(agenda_item__event=event)
        .select_related("proposer", "network", "agenda_item")
        .prefetch_related("positions__entity")
        .order_by("agenda_item__position", "pk")
    )
