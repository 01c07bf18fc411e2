"""What decisions shows on other apps' pages: an event's page and minutes (through
`events.hooks`), a commission's page (through `commissions.hooks`)."""

from django.template.loader import render_to_string
from django.utils import timezone

from commissions.models import CommissionState
from decisions import selectors
from decisions.models import ProposalState, Stance
from events.models import EventStatus


def proposals_of_event(*, request, event, where: str) -> str:
    """The proposals on the agenda: their status on the event's page, their outcome in minutes."""
    user = request.user
    network = event.network
    if not user.has_perm("decisions.view_proposals", network):
        return ""
    proposals = selectors.decisions_of_event(event=event)
    can_table = (
        where == "page"
        and event.status != EventStatus.CANCELLED
        and event.ends_at > timezone.now()
        and user.has_perm("decisions.table_proposal", network)
    )
    if not proposals and not can_table:
        return ""
    can_manage = user.has_perm("events.manage_event", event)
    rows = []
    for proposal in proposals:
        current = [p for p in proposal.positions.all() if p.superseded_at is None]
        objections = [p for p in current if p.stance == Stance.OBJECT]
        rows.append(
            {
                "proposal": proposal,
                "status": selectors.status_sentence(proposal, objections=len(objections)),
                "objections": sorted(objections, key=lambda p: p.entity.name),
                "can_carry": where == "minutes"
                and can_manage
                and proposal.state == ProposalState.ADOPTED
                and proposal.minutes_decision_id is None,
            }
        )
    return render_to_string(
        "decisions/_event_section.html",
        {
            "network": network,
            "event": event,
            "rows": rows,
            "where": where,
            "can_table": can_table,
        },
        request=request,
    )


# How many of a commission's proposals its page shows; the rest are one link away.
COMMISSION_PAGE_PROPOSALS = 5


def proposals_of_commission(*, request, commission) -> str:
    """The commission's latest proposals with where each stands, and the way to table one."""
    user = request.user
    network = commission.network
    if not user.has_perm("decisions.view_proposals", network):
        return ""
    latest = list(
        selectors.proposals(network=network, commission=commission)[: COMMISSION_PAGE_PROPOSALS + 1]
    )
    can_table = commission.state != CommissionState.CLOSED and user.has_perm(
        "decisions.table_proposal", network
    )
    if not latest and not can_table:
        return ""
    rows = [
        {
            "proposal": proposal,
            "status": selectors.status_sentence(proposal, objections=proposal.objections),
        }
        for proposal in latest[:COMMISSION_PAGE_PROPOSALS]
    ]
    return render_to_string(
        "decisions/_commission_section.html",
        {
            "network": network,
            "commission": commission,
            "rows": rows,
            "more": len(latest) > COMMISSION_PAGE_PROPOSALS,
            "can_table": can_table,
        },
        request=request,
    )
