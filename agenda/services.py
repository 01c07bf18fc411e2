"""The life of an annual agenda: drafted, opened for comments, published; commissions attach.

The facilitator of the agenda's network drafts it, adds its lines, opens it
to the networks under it for comments and publishes it, optionally as a
proposal those member entities adopted (`decisions`). While open, each
network under it comments through its facilitator or its interlocutor. Once
published, the promoters of a commission, or the facilitator of its network,
attach it to a line: a commission of the agenda's network or of any network
under it (`members.reach`), never of a sibling's.

Every function takes the acting person as `by` and refuses with a
`DomainError`, changing nothing, when the person or the agenda's state does
not allow the act.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.history import AgendaAction
from agenda.models import Agenda, AgendaComment, AgendaState, Attachment, Line
from commissions.models import Commission
from core.actors import Actor, person_or_none
from core.errors import DomainError
from core.text import checked_line, checked_text
from decisions.models import Proposal, ProposalState
from members.reach import network_ids_in_reach
from networks.authority import require_perm, require_person
from networks.history import record_change
from networks.models import Network
from networks.scoping import all_networks, network_scope


def _require_facilitator(by: Actor, network: Network) -> None:
    require_perm(
        by,
        "agenda.run",
        network,
        _("Only the facilitator of %(network)s drafts, opens and publishes its agenda.")
        % {"network": network.name},
    )


def _require_state(agenda: Agenda, *states: AgendaState) -> None:
    if agenda.state not in states:
        raise DomainError(
            _("The agenda of %(year)s is %(state)s: that cannot be done now.")
            % {"year": agenda.year, "state": agenda.get_state_display().lower()}
        )


def draft_agenda(*, network: Network, year: int, by: Actor, introduction: str = "") -> Agenda:
    """A new agenda of the network for a year, drafted; one per network and year."""
    _require_facilitator(by, network)
    if not Agenda.FIRST_YEAR <= int(year) <= Agenda.LAST_YEAR:
        raise DomainError(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": Agenda.FIRST_YEAR, "last": Agenda.LAST_YEAR}
        )
    introduction = checked_text(introduction, label=_("Introduction"), max_length=4000)
    with network_scope(network), transaction.atomic():
        if Agenda.objects.filter(network=network, year=year).exists():
            raise DomainError(
                _("%(network)s already has an agenda for %(year)s.")
                % {"network": network.name, "year": year}
            )
        agenda = Agenda.objects.create(network=network, year=year, introduction=introduction)
        record_change(network=network, subject=agenda, action=AgendaAction.DRAFTED, by=by)
    return agenda


def add_line(*, agenda: Agenda, by: Actor, title: str, purpose: str, topics: str = "") -> Line:
    """A line of work, added while the agenda is drafted or open for comments."""
    network = agenda.network
    _require_facilitator(by, network)
    title = checked_line(title, label=_("Title"), max_length=Line.TITLE_LENGTH)
    purpose = checked_text(purpose, label=_("Purpose"), max_length=Line.PURPOSE_LENGTH)
    topics = checked_line(topics, label=_("Topics"), max_length=Line.TOPICS_LENGTH)
    if not title or not purpose:
        raise DomainError(_("A line of work needs a title and a purpose."))
    with network_scope(network), transaction.atomic():
        agenda = Agenda.objects.select_for_update().get(pk=agenda.pk)
        _require_state(agenda, AgendaState.DRAFTED, AgendaState.OPEN)
        if agenda.lines.filter(title__iexact=title).exists():
            raise DomainError(
                _("The agenda already has a line called %(title)s.") % {"title": title}
            )
        position = agenda.lines.count() + 1
        line = Line.objects.create(
            network=network,
            agenda=agenda,
            title=title,
            purpose=purpose,
            topics=topics,
            position=position,
        )
        record_change(
            network=network,
            subject=agenda,
            action=AgendaAction.LINE_ADDED,
            by=by,
            changes={"line": title},
        )
    return line


def open_for_comments(*, agenda: Agenda, by: Actor) -> Agenda:
    """The drafted agenda, shown to the networks under its network for their comments."""
    network = agenda.network
    _require_facilitator(by, network)
    with network_scope(network), transaction.atomic():
        locked = Agenda.objects.select_for_update().get(pk=agenda.pk)
        _require_state(locked, AgendaState.DRAFTED)
        if not locked.lines.exists():
            raise DomainError(_("Add at least one line of work before opening the agenda."))
        locked.state = AgendaState.OPEN
        locked.opened_at = timezone.now()
        locked.save(update_fields=["state", "opened_at"])
        record_change(network=network, subject=locked, action=AgendaAction.OPENED, by=by)
    agenda.state, agenda.opened_at = locked.state, locked.opened_at
    return agenda


def comment(*, agenda: Agenda, by: Actor, network: Network, text: str) -> AgendaComment:
    """A comment of a network under the agenda's network, by its facilitator or interlocutor."""
    require_person(by, _("Sign in to comment on the agenda."))
    text = checked_text(text, label=_("Comment"), max_length=AgendaComment.TEXT_LENGTH)
    if not text:
        raise DomainError(_("Write the comment first."))
    owner = agenda.network
    if network.pk == owner.pk or network.pk not in network_ids_in_reach(owner):
        raise DomainError(
            _("Only the networks under %(network)s comment on its agenda.")
            % {"network": owner.name}
        )
    require_perm(
        by,
        "agenda.comment_for",
        network,
        _("Only the facilitator or the interlocutor of %(network)s comments in its name.")
        % {"network": network.name},
    )
    with network_scope(owner), transaction.atomic():
        locked = Agenda.objects.select_for_update().get(pk=agenda.pk)
        if locked.state != AgendaState.OPEN:
            raise DomainError(
                _("The agenda of %(year)s is not open for comments.") % {"year": locked.year}
            )
        made = AgendaComment.objects.create(
            network=owner, agenda=locked, commenting_network=network, author=by, text=text
        )
        record_change(
            network=owner,
            subject=locked,
            action=AgendaAction.COMMENTED,
            by=by,
            changes={"network": network.name},
        )
    return made


def publish(*, agenda: Agenda, by: Actor, proposal: Proposal | None = None) -> Agenda:
    """The agenda, published after its comments; as an adopted proposal of its network, if any."""
    network = agenda.network
    _require_facilitator(by, network)
    with network_scope(network), transaction.atomic():
        locked = Agenda.objects.select_for_update().get(pk=agenda.pk)
        _require_state(locked, AgendaState.OPEN)
        if proposal is not None and (
            proposal.network_id != network.pk or proposal.state != ProposalState.ADOPTED
        ):
            raise DomainError(
                _("Only a proposal of %(network)s that was adopted publishes its agenda.")
                % {"network": network.name}
            )
        locked.state = AgendaState.PUBLISHED
        locked.published_at = timezone.now()
        locked.proposal = proposal
        locked.save(update_fields=["state", "published_at", "proposal"])
        record_change(network=network, subject=locked, action=AgendaAction.PUBLISHED, by=by)
    agenda.state, agenda.published_at, agenda.proposal = (
        locked.state,
        locked.published_at,
        locked.proposal,
    )
    return agenda


def attach(*, line: Line, commission: Commission, by: Actor) -> Attachment:
    """The commission works on this line: by its promoters or its network's facilitator.

    The commission belongs to the agenda's network or to a network under it;
    it is open, and on the line once.
    """
    agenda = line.agenda
    owner = agenda.network
    if commission.network_id not in network_ids_in_reach(owner):
        raise DomainError(
            _("Only the commissions of %(network)s and of the networks under it work on its lines.")
            % {"network": owner.name}
        )
    if not commission.is_open:
        raise DomainError(
            _("The commission %(commission)s is closed.") % {"commission": commission.name}
        )
    # The commission may belong to a network under the agenda's: its promoters are read there.
    with all_networks():
        require_perm(
            by,
            "agenda.attach",
            commission,
            _("Only the promoters of %(commission)s or the facilitator of its network attach it.")
            % {"commission": commission.name},
        )
    with network_scope(owner), transaction.atomic():
        locked = Agenda.objects.select_for_update().get(pk=agenda.pk)
        if locked.state != AgendaState.PUBLISHED:
            raise DomainError(
                _("Commissions attach to the lines of the agenda of %(year)s once it is published.")
                % {"year": locked.year}
            )
        if Attachment.objects.filter(line=line, commission_id=commission.pk).exists():
            raise DomainError(
                _("%(commission)s already works on this line.") % {"commission": commission.name}
            )
        attachment = Attachment.objects.create(
            network=owner, line=line, commission=commission, attached_by=person_or_none(by)
        )
        record_change(
            network=owner,
            subject=locked,
            action=AgendaAction.ATTACHED,
            by=by,
            changes={"commission": commission.name, "line": line.title},
        )
    return attachment
