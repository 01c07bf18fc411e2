"""What decisions shows on an event's page and in its minutes (through `events.hooks`)."""

from django.template.loader import render_to_string
from django.utils import timezone

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
