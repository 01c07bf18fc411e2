"""The schedule of proposals: opening, reminding, closing and reviewing, set-based and idempotent.

Each function works on one network (the active scope), claims the rows it
changes with `SELECT … FOR UPDATE SKIP LOCKED`, and changes their state in the
same transaction: two workers running at once share the rows between them, and
a row once handled no longer matches. Each reminder is a `Notification` under
a unique key, so a retry sends nothing twice.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from decisions.models import DECIDED_STATES, Position, Proposal, ProposalState, Vote
from decisions.notifications import DecisionNotice
from decisions.services import (
    REMINDER_AHEAD,
    _eligible_memberships,
    _freeze_rules,
    _tell_entities,
    decide,
    due_for_closing,
)
from members.models import Notification
from members.notifications import representative_ids_by_entity
from members.outbox import queue_notifications


def _claim(queryset):
    return list(
        queryset.select_for_update(skip_locked=True, of=("self",))
        .select_related("network")
        .order_by("pk")
    )


@transaction.atomic
def open_due_proposals(*, now=None) -> int:
    """Open the windows whose time has come, with the network's rules as they stand now."""
    now = now or timezone.now()
    proposals = _claim(Proposal.objects.filter(state=ProposalState.DRAFT, opens_at__lte=now))
    for proposal in proposals:
        _freeze_rules(proposal)
        proposal.state = ProposalState.OPEN
        proposal.save()
    return len(proposals)


@transaction.atomic
def close_due_proposals(*, now=None) -> int:
    """Compute, once, the outcome of every window or vote that has closed."""
    now = now or timezone.now()
    proposals = _claim(due_for_closing(now))
    decide(proposals, now=now)
    return len(proposals)


def _silent_entities(proposal, model, now):
    spoke = model.objects.filter(proposal=proposal, superseded_at__isnull=True).values("entity_id")
    return set(
        _eligible_memberships(proposal, now)
        .exclude(entity_id__in=spoke)
        .values_list("entity_id", flat=True)
    )


@transaction.atomic
def remind_closing_soon(*, now=None) -> int:
    """A day before a window or a vote closes, tell the entities that have not spoken yet."""
    now = now or timezone.now()
    soon = now + REMINDER_AHEAD
    sent = 0
    consent = _claim(
        Proposal.objects.filter(
            state=ProposalState.OPEN,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=soon,
            closing_reminder_sent_at__isnull=True,
        )
    )
    for proposal in consent:
        sent += _tell_entities(
            proposal,
            _silent_entities(proposal, Position, now),
            kind=DecisionNotice.CLOSING_SOON,
            key=f"proposal.closing_soon:{proposal.pk}",
            closes=proposal.closes_at,
        )
    Proposal.objects.filter(pk__in=[p.pk for p in consent]).update(closing_reminder_sent_at=now)
    voting = _claim(
        Proposal.objects.filter(
            state=ProposalState.VOTING,
            vote_closes_at__gt=now,
            vote_closes_at__lte=soon,
            vote_reminder_sent_at__isnull=True,
        )
    )
    for proposal in voting:
        sent += _tell_entities(
            proposal,
            _silent_entities(proposal, Vote, now),
            kind=DecisionNotice.VOTE_CLOSING_SOON,
            key=f"proposal.vote_closing_soon:{proposal.pk}",
            closes=proposal.vote_closes_at,
        )
    Proposal.objects.filter(pk__in=[p.pk for p in voting]).update(vote_reminder_sent_at=now)
    return sent


@transaction.atomic
def remind_reviews(*, now=None) -> int:
    """When a decision's review date comes, tell the entity that proposed it."""
    now = now or timezone.now()
    proposals = [
        proposal
        for proposal in _claim(
            Proposal.objects.filter(
                Q(state__in=DECIDED_STATES),
                review_on__isnull=False,
                review_reminder_sent_at__isnull=True,
            )
        )
        if proposal.review_on <= timezone.localdate(now, proposal.network.zone)
    ]
    people = representative_ids_by_entity((p.network_id, p.proposer_id) for p in proposals)
    notifications = [
        Notification(
            network=proposal.network,
            recipient_id=user_id,
            kind=DecisionNotice.REVIEW_DUE,
            key=f"proposal.review_due:{proposal.pk}:{proposal.review_on.isoformat()}",
            context={"proposal": proposal.title, "review_on": proposal.review_on.isoformat()},
            link=proposal.get_absolute_url(),
        )
        for proposal in proposals
        for user_id in sorted(people.get((proposal.network_id, proposal.proposer_id), ()))
    ]
    queue_notifications(notifications)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(review_reminder_sent_at=now)
    return len(notifications)
