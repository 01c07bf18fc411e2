"""Deciding together: tabling, amending, positions, the vote and the outcome.

Consent is sought first; where the network's rule allows, a vote with a
qualified majority (three quarters by default) decides when objections stand
(governance models of the network manual, step 2). Every entity has one voice
whatever its size (4.1 d.3), taken by its representative or alternate; the
facilitator calls a vote but never takes a position or votes (4.2 a).

Every function takes the acting person as `by` (`core.actors.SYSTEM` for
jobs), runs in one transaction inside the proposal's network scope, and raises
`DomainError` with a readable message, changing nothing, when it refuses.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from commissions.models import Commission, CommissionMember, CommissionState
from commissions.services import free_text, one_line
from core.actors import SYSTEM, Actor, is_system, person_or_none
from core.dates import check_day, check_moment
from core.errors import DomainError
from decisions.history import DecisionAction
from decisions.models import (
    Amendment,
    Choice,
    DecidedBy,
    DecisionRule,
    GovernanceSettings,
    Position,
    Proposal,
    ProposalState,
    Stance,
    Vote,
)
from decisions.notifications import DecisionNotice
from decisions.outcome import VoteCount, meets_quorum, vote_adopts
from decisions.selectors import local_moment, standing_objections
from events.models import AgendaItem, Decision, Event, EventStatus, Minutes, local_time
from events.rules import is_organiser
from members.authority import require_acts_for
from members.models import Entity, Membership, MembershipStatus, Notification
from members.notifications import representative_ids_by_entity
from members.outbox import queue_notifications
from networks.authority import fresh, refuse_facilitator, require_perm
from networks.history import record_change
from networks.models import Network
from networks.scoping import network_scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOTE_LENGTH = 4000
GOVERNANCE_FIELDS = (
    "rule",
    "threshold_numerator",
    "threshold_denominator",
    "quorum_percent",
    "min_membership_days",
)
# Before a window closes, the entities still silent are reminded this long ahead.
REMINDER_AHEAD = timedelta(hours=24)

# What an entity states on a proposal: a position, or a vote.
_Stated = TypeVar("_Stated", Position, Vote)


def governance_of(network: Network) -> GovernanceSettings:
    """The network's decision rules: its saved row, or the defaults (consent, then a ¾ vote)."""
    with network_scope(network):
        settings = GovernanceSettings.objects.filter(network=network).first()
    return settings or GovernanceSettings(network=network)


@transaction.atomic
def update_governance(
    *, network: Network, by: Actor, **fields: str | int | None
) -> GovernanceSettings:
    """The rule, majority, quorum and waiting days of a network; open proposals keep theirs."""
    unknown = set(fields) - set(GOVERNANCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown governance settings: {sorted(unknown)}")
    with network_scope(network):
        require_perm(
            by,
            "decisions.change_governance",
            network,
            _("Only the network's facilitator changes how it decides."),
        )
        settings, _created = GovernanceSettings.objects.select_for_update().get_or_create(
            network=network
        )
        for name, value in fields.items():
            setattr(settings, name, value)
        if settings.rule not in DecisionRule.values:
            raise DomainError(_("Unknown decision rule."))
        numerator, denominator = settings.threshold_numerator, settings.threshold_denominator
        if not (1 <= numerator <= denominator):
            raise DomainError(_("The majority is a share such as 3/4: at most 1, more than 1/2."))
        if numerator * 2 <= denominator:
            raise DomainError(_("The majority must be more than half of yes and no."))
        quorum = settings.quorum_percent
        if quorum is not None and not (1 <= quorum <= 100):
            raise DomainError(_("The quorum is a percentage between 1 and 100."))
        days = settings.min_membership_days
        if days is not None and days < 0:
            raise DomainError(_("The days of membership cannot be negative."))
        settings.save()
        record_change(
            network=network,
            subject=settings,
            action=DecisionAction.GOVERNANCE_CHANGED,
            by=by,
            changes={name: str(value) for name, value in fields.items()},
        )
    return settings


# Who takes part ------------------------------------------------------------------


def _member_entities(proposal: Proposal) -> QuerySet[Membership]:
    """Active member entities of the proposal's network, or of its commission."""
    memberships = Membership.objects.filter(status=MembershipStatus.ACTIVE)
    if proposal.commission_id is not None:
        sitting = CommissionMember.objects.filter(
            commission_id=proposal.commission_id, left_on__isnull=True
        ).values("entity_id")
        memberships = memberships.filter(entity_id__in=sitting)
    return memberships


def _eligible_memberships(proposal: Proposal, now: datetime) -> QuerySet[Membership]:
    """Member entities that may take part now: active, and members long enough if so set."""
    memberships = _member_entities(proposal)
    if proposal.min_membership_days:
        since = now - timedelta(days=proposal.min_membership_days)
        memberships = memberships.annotate(
            member_since=Coalesce("joined_at", "status_changed_at")
        ).filter(member_since__lte=since)
    return memberships


def eligible_entity_ids(proposal: Proposal, *, now: datetime | None = None) -> set[int]:
    now = now or timezone.now()
    with network_scope(proposal.network):
        return set(_eligible_memberships(proposal, now).values_list("entity_id", flat=True))


def _check_takes_part(proposal: Proposal, entity: Entity, now: datetime) -> None:
    if not _member_entities(proposal).filter(entity=entity).exists():
        if proposal.commission_id is not None:
            raise DomainError(
                _("%(entity)s does not sit in this commission: it cannot take part.")
                % {"entity": entity}
            )
        raise DomainError(
            _("%(entity)s is not an active member of the network.") % {"entity": entity}
        )
    if not _eligible_memberships(proposal, now).filter(entity=entity).exists():
        raise DomainError(
            _(
                "%(entity)s joined less than %(days)s days ago: under the network's rules it "
                "takes part in decisions opened after that."
            )
            % {"entity": entity, "days": proposal.min_membership_days}
        )


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _freeze_rules(proposal: Proposal) -> None:
    """Copy the network's rules into the proposal: later changes leave it as it opened."""
    settings = GovernanceSettings.objects.filter(network_id=proposal.network_id).first()
    settings = settings or GovernanceSettings(network_id=proposal.network_id)
    for name in GOVERNANCE_FIELDS:
        setattr(proposal, name, getattr(settings, name))


# Tabling, amending, withdrawing ---------------------------------------------------


@transaction.atomic
def table_proposal(
    *,
    network: Network,
    entity: Entity,
    by: Actor,
    title: str,
    text: str,
    closes_at: datetime,
    opens_at: datetime | None = None,
    commission: Commission | None = None,
    event: Event | None = None,
) -> Proposal:
    """Any member entity tables a proposal, for a plenary's agenda too (4.1 d.1, d.5)."""
    title = one_line(title, limit=Proposal.TITLE_LENGTH, field=_("The title"))
    text = free_text(text, limit=Proposal.TEXT_LENGTH, field=_("The proposal"))
    if not title or not text.strip():
        raise DomainError(_("A proposal needs a title and a text."))
    now = timezone.now()
    opens_at = opens_at or now
    check_moment(opens_at, zone=network.zone, what=_("The opening"))
    check_moment(closes_at, zone=network.zone, what=_("The closing"))
    if closes_at <= max(opens_at, now):
        raise DomainError(_("The window must close after it opens, and in the future."))
    with network_scope(network):
        require_acts_for(by, entity, network)
        refuse_facilitator(by, network)
        require_perm(
            by, "decisions.table_proposal", network, _("Only member entities table proposals.")
        )
        if not Membership.objects.filter(entity=entity, status=MembershipStatus.ACTIVE).exists():
            raise DomainError(
                _("%(entity)s is not an active member of %(network)s.")
                % {"entity": entity, "network": network}
            )
        if commission is not None:
            if commission.network_id != network.pk:
                raise DomainError(_("This commission belongs to another network."))
            if commission.state == CommissionState.CLOSED:
                raise DomainError(_("This commission is closed: it decides nothing more."))
            if not CommissionMember.objects.filter(
                commission=commission, entity=entity, left_on__isnull=True
            ).exists():
                raise DomainError(_("Only entities sitting in the commission table its proposals."))
        agenda_item = None
        if event is not None:
            agenda_item = _put_on_agenda(network, event, entity, title, text, now)
        proposal = Proposal(
            network=network,
            commission=commission,
            title=title,
            text=text,
            proposer=entity,
            tabled_by=person_or_none(by),
            agenda_item=agenda_item,
            created_at=now,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        _freeze_rules(proposal)
        if opens_at <= now:
            proposal.state = ProposalState.OPEN
        proposal.save()
        record_change(network=network, subject=proposal, action=DecisionAction.TABLED, by=by)
    return proposal


def _put_on_agenda(
    network: Network, event: Event, entity: Entity, title: str, text: str, now: datetime
) -> AgendaItem:
    """The proposal becomes an agenda item of the event, whoever organises it."""
    locked = Event.objects.select_for_update().filter(pk=event.pk).first()
    if locked is None or locked.network_id != network.pk:
        raise DomainError(_("This event belongs to another network."))
    if locked.status == EventStatus.CANCELLED or locked.ends_at <= now:
        raise DomainError(_("This event is over or cancelled: its agenda is closed."))
    last = AgendaItem.objects.filter(event=locked).aggregate(last=Max("position"))["last"]
    return AgendaItem.objects.create(
        network=network,
        event=locked,
        position=(last or 0) + 1,
        title=title,
        proposer=entity,
        proposal=text,
    )


def _require_proposer(
    by: Actor, proposal: Proposal, permission: str, message: "StrOrPromise"
) -> None:
    require_acts_for(by, proposal.proposer, proposal.network)
    refuse_facilitator(by, proposal.network)
    require_perm(by, permission, proposal, message)


@transaction.atomic
def amend_proposal(*, proposal: Proposal, by: Actor, text: str, note: str = "") -> Amendment:
    """The proposer changes the text while positions are taken; earlier positions are flagged."""
    text = free_text(text, limit=Proposal.TEXT_LENGTH, field=_("The proposal"))
    note = free_text(note, limit=NOTE_LENGTH, field=_("The note"))
    if not text.strip():
        raise DomainError(_("A proposal needs a text."))
    now = timezone.now()
    with network_scope(proposal.network):
        _require_proposer(
            by, proposal, "decisions.amend_proposal", _("Only the proposer amends a proposal.")
        )
        locked = _lock(proposal)
        if locked.state not in (ProposalState.DRAFT, ProposalState.OPEN) or (
            locked.state == ProposalState.OPEN and locked.closes_at <= now
        ):
            raise DomainError(_("A proposal is amended only while its window is open."))
        if text == locked.text:
            raise DomainError(_("The new text is the same as the current one."))
        number = (locked.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
        amendment = Amendment.objects.create(
            network=locked.network,
            proposal=locked,
            number=number,
            previous_text=locked.text,
            text=text,
            note=note,
            made_by=person_or_none(by),
            made_at=now,
        )
        locked.text = text
        locked.save(update_fields=["text"])
        if locked.agenda_item_id:
            AgendaItem.objects.filter(pk=locked.agenda_item_id).update(proposal=text)
        earlier = Position.objects.filter(proposal=locked, superseded_at__isnull=True)
        entity_ids = set(earlier.values_list("entity_id", flat=True))
        earlier.update(needs_review=True)
        _tell_entities(
            locked,
            entity_ids,
            kind=DecisionNotice.AMENDED,
            key=f"proposal.amended:{locked.pk}:{number}",
            closes=locked.closes_at,
        )
        record_change(
            network=locked.network,
            subject=locked,
            action=DecisionAction.AMENDED,
            by=by,
            changes={"amendment": number},
        )
    proposal.refresh_from_db()
    return amendment


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, by: Actor) -> Proposal:
    """The proposer withdraws a proposal not decided yet; everything said stays recorded."""
    now = timezone.now()
    with network_scope(proposal.network):
        _require_proposer(
            by, proposal, "decisions.withdraw_proposal", _("Only the proposer withdraws it.")
        )
        locked = _lock(proposal)
        if locked.is_closed:
            raise DomainError(_("This proposal is already closed."))
        locked.state = ProposalState.WITHDRAWN
        locked.withdrawn_at = now
        locked.save(update_fields=["state", "withdrawn_at"])
        record_change(
            network=locked.network, subject=locked, action=DecisionAction.WITHDRAWN, by=by
        )
    proposal.refresh_from_db()
    return proposal


def _tell_entities(
    proposal: Proposal,
    entity_ids: Collection[int],
    *,
    kind: DecisionNotice,
    key: str,
    closes: datetime | None,
) -> int:
    """Tell the representative and alternate of each entity, once per key."""
    network = proposal.network
    people = representative_ids_by_entity((network.pk, entity_id) for entity_id in entity_ids)
    names = dict(
        Membership.objects.filter(entity_id__in=entity_ids).values_list("entity_id", "entity__name")
    )
    notifications = [
        Notification(
            network=network,
            recipient_id=user_id,
            kind=kind,
            key=key,
            context={
                "proposal": proposal.title,
                "entity": names.get(entity_id, ""),
                "closes": local_time(closes, network) if closes else "",
            },
            link=proposal.get_absolute_url(),
        )
        for (_network_id, entity_id), user_ids in sorted(people.items())
        for user_id in sorted(user_ids)
    ]
    queue_notifications(notifications)
    return len(notifications)


# Positions and votes ---------------------------------------------------------------


def _speaker(by: Actor, proposal: Proposal, entity: Entity, *, in_plenary: bool) -> None:
    """Who may speak for the entity: its own people online, the organiser in the plenary."""
    network = proposal.network
    refuse_facilitator(by, network)
    if in_plenary:
        require_perm(
            by,
            "decisions.record_in_plenary",
            proposal,
            _("Only the organisers of the plenary record what entities state in it."),
        )
        # The system and a site admin pass the permission: neither finds a plenary here.
        agenda_item = proposal.agenda_item
        if agenda_item is None:
            raise DomainError(_("This proposal is on no event's agenda."))
        event = agenda_item.event
        # Asked of the role itself, not only of the permission: a site admin holds
        # every permission but organises no plenary.
        if not is_system(by) and not is_organiser(fresh(by), event):
            raise DomainError(
                _("Only the organisers of the plenary record what entities state in it.")
            )
        if event.status == EventStatus.CANCELLED:
            raise DomainError(_("This event was cancelled."))
        # What is stated in the room is recorded once the plenary has begun (and after
        # it, from the notes, while the window is open), never ahead of it.
        if event.starts_at > timezone.now():
            raise DomainError(
                _(
                    "The plenary has not begun: positions stated in it are recorded from "
                    "%(when)s. Until then each entity takes its own online."
                )
                % {"when": local_moment(event.starts_at, network)}
            )
    else:
        require_acts_for(by, entity, network)
        require_perm(
            by,
            "decisions.take_position",
            proposal,
            _("Only member entities take positions, through their representative or alternate."),
        )


def _replace(
    model: type[_Stated], locked: Proposal, entity: Entity, now: datetime, **fields: Any
) -> _Stated:
    model.objects.filter(proposal=locked, entity=entity, superseded_at__isnull=True).update(
        superseded_at=now
    )
    return model.objects.create(
        network=locked.network, proposal=locked, entity=entity, taken_at=now, **fields
    )


def _position(
    *, proposal: Proposal, entity: Entity, stance: str, by: Actor, note: str, in_plenary: bool
) -> Position:
    if stance not in Stance.values:
        raise DomainError(_("Choose agree, stand aside or object."))
    note = free_text(note or "", limit=NOTE_LENGTH, field=_("The note"))
    if stance == Stance.OBJECT and not note.strip():
        raise DomainError(
            _("An objection needs a reason: say what would make the proposal acceptable.")
        )
    now = timezone.now()
    with network_scope(proposal.network):
        _speaker(by, proposal, entity, in_plenary=in_plenary)
        locked = _lock(proposal)
        if locked.state != ProposalState.OPEN or not (locked.opens_at <= now < locked.closes_at):
            raise DomainError(_("The window for positions is not open."))
        _check_takes_part(locked, entity, now)
        return _replace(
            Position,
            locked,
            entity,
            now,
            stance=stance,
            note=note,
            taken_by=None if in_plenary else person_or_none(by),
            recorded_in_plenary_by=person_or_none(by) if in_plenary else None,
        )


@transaction.atomic
def take_position(
    *, proposal: Proposal, entity: Entity, stance: str, by: Actor, note: str = ""
) -> Position:
    """One entity, one voice (4.1 d.3): a later position replaces the earlier, both kept."""
    return _position(
        proposal=proposal, entity=entity, stance=stance, by=by, note=note, in_plenary=False
    )


@transaction.atomic
def record_position_in_plenary(
    *, proposal: Proposal, entity: Entity, stance: str, by: Actor, note: str = ""
) -> Position:
    """The plenary's organiser records a position an entity states in the room."""
    return _position(
        proposal=proposal, entity=entity, stance=stance, by=by, note=note, in_plenary=True
    )


def _vote(*, proposal: Proposal, entity: Entity, choice: str, by: Actor, in_plenary: bool) -> Vote:
    if choice not in Choice.values:
        raise DomainError(_("Vote yes, no or abstain."))
    now = timezone.now()
    with network_scope(proposal.network):
        _speaker(by, proposal, entity, in_plenary=in_plenary)
        locked = _lock(proposal)
        closes_at = locked.vote_closes_at
        if locked.state != ProposalState.VOTING or closes_at is None or closes_at <= now:
            raise DomainError(_("This proposal is not being voted now."))
        _check_takes_part(locked, entity, now)
        return _replace(
            Vote,
            locked,
            entity,
            now,
            choice=choice,
            taken_by=None if in_plenary else person_or_none(by),
            recorded_in_plenary_by=person_or_none(by) if in_plenary else None,
        )


@transaction.atomic
def cast_vote(*, proposal: Proposal, entity: Entity, choice: str, by: Actor) -> Vote:
    """One entity, one vote (4.1 d.3); the facilitator has none (4.2 a)."""
    return _vote(proposal=proposal, entity=entity, choice=choice, by=by, in_plenary=False)


@transaction.atomic
def record_vote_in_plenary(*, proposal: Proposal, entity: Entity, choice: str, by: Actor) -> Vote:
    """The plenary's organiser records a vote an entity casts in the room."""
    return _vote(proposal=proposal, entity=entity, choice=choice, by=by, in_plenary=True)


@transaction.atomic
def open_vote(*, proposal: Proposal, by: Actor, closes_at: datetime) -> Proposal:
    """When objections stand, the facilitator or the proposer puts it to the vote (if allowed)."""
    now = timezone.now()
    check_moment(closes_at, zone=proposal.network.zone, what=_("The end of the vote"))
    if closes_at <= now:
        raise DomainError(_("The vote must close in the future."))
    with network_scope(proposal.network):
        require_perm(
            by,
            "decisions.open_vote",
            proposal,
            _("Only the facilitator or the proposer puts a proposal to the vote."),
        )
        locked = _lock(proposal)
        if locked.rule != DecisionRule.CONSENT_THEN_VOTE:
            raise DomainError(_("Under this network's rule objections are resolved, not voted on."))
        if locked.state not in (ProposalState.OPEN, ProposalState.OBJECTED) or (
            locked.opens_at > now
        ):
            raise DomainError(_("Only a proposal open for positions, or objected, goes to a vote."))
        if not standing_objections(locked):
            raise DomainError(_("No objection stands: there is nothing to vote on."))
        _count_positions([locked])
        locked.state = ProposalState.VOTING
        locked.vote_opened_at = now
        locked.vote_closes_at = closes_at
        locked.save()
        record_change(
            network=locked.network, subject=locked, action=DecisionAction.VOTE_OPENED, by=by
        )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def set_review_date(*, proposal: Proposal, by: Actor, review_on: date | None) -> Proposal:
    """A decided proposal may carry a day to look at it again; the proposer is reminded."""
    check_day(review_on, zone=proposal.network.zone, what=_("The review date"))
    with network_scope(proposal.network):
        require_perm(
            by,
            "decisions.set_review_date",
            proposal,
            _("Only the facilitator or the proposer sets a review date."),
        )
        locked = _lock(proposal)
        if not locked.is_decided:
            raise DomainError(_("A review date is set once the proposal is decided."))
        locked.review_on = review_on
        locked.review_reminder_sent_at = None
        locked.save(update_fields=["review_on", "review_reminder_sent_at"])
    proposal.refresh_from_db()
    return proposal


# The outcome -------------------------------------------------------------------------


def _count_positions(proposals: Sequence[Proposal]) -> None:
    counts: defaultdict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Position.objects.filter(proposal__in=proposals, superseded_at__isnull=True)
        .values("proposal_id", "stance")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["proposal_id"]][row["stance"]] = row["n"]
    for proposal in proposals:
        mine = counts[proposal.pk]
        proposal.agree_count = mine.get(Stance.AGREE, 0)
        proposal.stand_aside_count = mine.get(Stance.STAND_ASIDE, 0)
        proposal.object_count = mine.get(Stance.OBJECT, 0)


def _count_votes(proposals: Sequence[Proposal]) -> None:
    counts: defaultdict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Vote.objects.filter(proposal__in=proposals, superseded_at__isnull=True)
        .values("proposal_id", "choice")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["proposal_id"]][row["choice"]] = row["n"]
    for proposal in proposals:
        mine = counts[proposal.pk]
        proposal.yes_count = mine.get(Choice.YES, 0)
        proposal.no_count = mine.get(Choice.NO, 0)
        proposal.abstain_count = mine.get(Choice.ABSTAIN, 0)


def decide(proposals: list[Proposal], *, now: datetime) -> list[Proposal]:
    """The outcome of locked proposals whose window has closed: consent, objection or vote.

    Consent: no standing objection adopts. With objections, a consent-only proposal is
    not adopted, and one that may be voted waits for a vote. A vote adopts when yes is
    at least the frozen share of yes + no and, if a quorum is set, enough entities took
    part (abstaining counts toward the quorum, not the majority).
    """
    consent = [p for p in proposals if p.state == ProposalState.OPEN]
    voting = [p for p in proposals if p.state == ProposalState.VOTING]
    _count_positions(consent)
    _count_votes(voting)
    for proposal in consent:
        proposal.eligible_count = _eligible_memberships(proposal, now).count()
        if not proposal.object_count:
            proposal.state = ProposalState.ADOPTED
            proposal.decided_by = DecidedBy.CONSENT
            proposal.decided_at = now
        elif proposal.rule == DecisionRule.CONSENT_ONLY:
            proposal.state = ProposalState.NOT_ADOPTED
            proposal.decided_by = DecidedBy.CONSENT
            proposal.decided_at = now
        else:
            proposal.state = ProposalState.OBJECTED
    for proposal in voting:
        proposal.eligible_count = _eligible_memberships(proposal, now).count()
        count = VoteCount(
            yes=proposal.yes_count,
            no=proposal.no_count,
            abstain=proposal.abstain_count,
            eligible=proposal.eligible_count,
        )
        proposal.quorum_met = meets_quorum(
            taking_part=count.yes + count.no + count.abstain,
            eligible=count.eligible,
            quorum_percent=proposal.quorum_percent,
        )
        adopted = vote_adopts(
            count,
            numerator=proposal.threshold_numerator,
            denominator=proposal.threshold_denominator,
            quorum_percent=proposal.quorum_percent,
        )
        proposal.state = ProposalState.ADOPTED if adopted else ProposalState.NOT_ADOPTED
        proposal.decided_by = DecidedBy.VOTE
        proposal.decided_at = now
    for proposal in proposals:
        proposal.save()
        if proposal.is_decided:
            record_change(
                network=proposal.network,
                subject=proposal,
                action=DecisionAction.DECIDED,
                by=SYSTEM,
                changes={"state": proposal.state, "decided_by": proposal.decided_by},
            )
    return proposals


def due_for_closing(now: datetime) -> QuerySet[Proposal]:
    """Open windows and votes that have closed, in the active scope."""
    return Proposal.objects.filter(
        Q(state=ProposalState.OPEN, closes_at__lte=now)
        | Q(state=ProposalState.VOTING, vote_closes_at__lte=now)
    )


@transaction.atomic
def carry_into_minutes(
    *, proposal: Proposal, by: Actor, commission: Commission | None = None, follow_up: str = ""
) -> Decision:
    """An adopted proposal of a plenary's agenda becomes a decision of its minutes.

    From there it follows the minutes' own follow-up: a commission that takes it
    up, and an action of that commission's work plan.
    """
    follow_up = one_line(follow_up, limit=300, field=_("The follow-up action"))
    with network_scope(proposal.network):
        locked = _lock(proposal)
        agenda_item = locked.agenda_item
        if agenda_item is None:
            raise DomainError(_("This proposal is on no event's agenda."))
        event = Event.objects.get(pk=agenda_item.event_id)
        require_perm(
            by,
            "events.manage_event",
            event,
            _("Only those who run the event write its minutes."),
        )
        if locked.state != ProposalState.ADOPTED:
            raise DomainError(_("Only an adopted proposal goes into the minutes as a decision."))
        if locked.minutes_decision_id is not None:
            raise DomainError(_("This proposal is already a decision of the minutes."))
        minutes = Minutes.objects.filter(event=event).first()
        if minutes is None:
            raise DomainError(_("Write the minutes' summary first."))
        if commission is not None and commission.network_id != locked.network_id:
            raise DomainError(_("Choose a commission of this network."))
        last = Decision.objects.filter(minutes=minutes).aggregate(last=Max("position"))["last"]
        decision = Decision.objects.create(
            network=locked.network,
            minutes=minutes,
            position=(last or 0) + 1,
            text=f"{locked.title}\n{locked.text}",
            follow_up=follow_up,
            commission=commission,
        )
        locked.minutes_decision = decision
        locked.save(update_fields=["minutes_decision"])
    proposal.refresh_from_db()
    return decision
