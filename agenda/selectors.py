"""Reads of the annual agendas: a network's agendas, one year's, and the page of a line.

A line shows the commissions working on it in every region. Those
commissions belong to the agenda's network or to networks under it, so the
line's page reads them, their latest progress update and their next events
across those networks on purpose; every such query names the commissions
attached to the line, which belong to networks in the agenda network's reach.
The page costs the same few queries with 2 commissions or 200.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from agenda.models import Agenda, AgendaComment, AgendaState, Attachment, Line
from commissions.models import Commission, CommissionState, ProgressUpdate
from core.actors import Actor
from events.models import Event, EventStatus, Visibility
from members.reach import network_ids_in_reach
from members.rules import entity_roles
from networks.models import Interlocutor, Network
from networks.rules import facilitated_ids
from networks.scoping import network_scope

# The next events shown for each commission on a line's page.
EVENTS_PER_COMMISSION = 3


def may_run(user: Actor, network: Network) -> bool:
    return user.is_authenticated and user.has_perm("agenda.run", network)


def commenting_network_ids(user: Actor, network: Network) -> set[int]:
    """The networks under this one in whose name this person may comment (one query at most).

    Those they facilitate, and those whose interlocutor entity they act for today.
    """
    if not user.is_authenticated:
        return set()
    under = [pk for pk in network_ids_in_reach(network) if pk != network.pk]
    if not under:
        return set()
    if user.is_superuser and user.is_active:
        return set(under)
    ids = set(under) & facilitated_ids(user)
    roles = entity_roles(user)
    if roles is not None:
        wanted = Q()
        for pk in under:
            entity_ids = roles.entities_in(pk)
            if entity_ids:
                wanted |= Q(network_id=pk, entity_id__in=entity_ids)
        if wanted:
            ids |= set(
                Interlocutor.objects.with_scopes_disabled()
                .filter(wanted, ended_at__isnull=True)
                .values_list("network_id", flat=True)
            )
    return ids


def readable_agendas(user: Actor, network: Network) -> QuerySet[Agenda]:
    """The agendas of the network this person may read (inside the network's scope).

    Published ones for everyone; the others for whoever runs the network, and
    open ones for those who comment on them in the name of a network under it.
    """
    agendas = Agenda.objects.filter(network=network)
    if may_run(user, network):
        return agendas
    shown = Q(state=AgendaState.PUBLISHED)
    if commenting_network_ids(user, network):
        shown |= Q(state=AgendaState.OPEN)
    return agendas.filter(shown)


def agendas_of(user: Actor, network: Network) -> list[Agenda]:
    with network_scope(network):
        return list(readable_agendas(user, network).order_by("-year"))


def agendas_with_lines(user: Actor, network: Network) -> QuerySet[Agenda]:
    """The agendas this person may read, newest first, each with its lines in order.

    Each line counts the commissions attached to it. Three queries for any
    number of agendas and lines; evaluate it inside the network's scope.
    """
    lines = Line.objects.annotate(commission_count=Count("attachments")).order_by("position", "id")
    return (
        readable_agendas(user, network)
        .select_related("proposal")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-year", "id")
    )


@dataclass
class AgendaPage:
    agenda: Agenda
    lines: list[Line]
    comments: list[AgendaComment] = field(default_factory=list)


def agenda_page(user: Actor, *, network: Network, year: int) -> AgendaPage | None:
    """One year's agenda with its lines, each with how many commissions work on it."""
    with network_scope(network):
        agenda = (
            readable_agendas(user, network).select_related("proposal").filter(year=year).first()
        )
        if agenda is None:
            return None
        agenda.network = network
        lines = list(agenda.lines.order_by("position", "id"))
        counts = dict(_attachment_counts(agenda))
        for line in lines:
            line.agenda = agenda
            line.commission_count = counts.get(line.pk, 0)  # type: ignore[attr-defined]
        comments = []
        if agenda.state != AgendaState.DRAFTED or may_run(user, network):
            comments = list(
                agenda.comments.select_related("commenting_network", "author").order_by(
                    "created_at", "id"
                )
            )
    return AgendaPage(agenda=agenda, lines=lines, comments=comments)


def _attachment_counts(agenda: Agenda) -> QuerySet[Attachment, tuple[int, int]]:
    return (
        Attachment.objects.filter(line__agenda=agenda)
        .order_by()
        .values_list("line_id")
        .annotate(total=Count("pk"))
        .values_list("line_id", "total")
    )


@dataclass
class CommissionOnLine:
    commission: Commission
    attachment: Attachment
    latest_update: ProgressUpdate | None
    events: list[Event]

    @property
    def region(self) -> Network:
        return self.commission.network


def get_line(user: Actor, *, network: Network, year: int, line_id: int) -> Line | None:
    with network_scope(network):
        agenda = readable_agendas(user, network).filter(year=year).first()
        if agenda is None:
            return None
        agenda.network = network
        line = agenda.lines.filter(pk=line_id).first()
        if line is not None:
            line.agenda = agenda
        return line


def commissions_on_line(line: Line, *, now: datetime | None = None) -> list[CommissionOnLine]:
    """The commissions working on a line, from every region, in four queries whatever their number.

    Each with its network (its region), its latest progress update and its next
    public events. The commissions of networks under the agenda's network are
    read there on purpose: the attachments name them, and only commissions in
    the reach of the agenda's network are kept.
    """
    now = now or timezone.now()
    owner = line.agenda.network
    with network_scope(owner):
        attachments = list(Attachment.objects.filter(line=line).order_by("attached_at", "id"))
    ids = [attachment.commission_id for attachment in attachments]
    if not ids:
        return []
    reach = network_ids_in_reach(owner)
    commissions = {
        commission.pk: commission
        for commission in Commission.objects.with_scopes_disabled()
        .filter(pk__in=ids, network_id__in=reach)
        .select_related("network")
    }
    latest = {
        update.commission_id: update
        for update in ProgressUpdate.objects.with_scopes_disabled()
        .filter(commission_id__in=commissions)
        .order_by("commission_id", "-created_at", "-id")
        .distinct("commission_id")
    }
    events: dict[int, list[Event]] = {}
    upcoming = (
        Event.objects.with_scopes_disabled()
        .filter(
            commission_id__in=commissions,
            status=EventStatus.ANNOUNCED,
            visibility=Visibility.PUBLIC,
            ends_at__gte=now,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("commission_id")],
                order_by=[F("starts_at").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=EVENTS_PER_COMMISSION)
        .order_by("starts_at", "id")
    )
    for event in upcoming:
        # Only the events of these commissions were read: their commission is there.
        commission_id = cast(int, event.commission_id)
        event.network = commissions[commission_id].network
        events.setdefault(commission_id, []).append(event)
    rows = []
    for attachment in attachments:
        commission = commissions.get(attachment.commission_id)
        if commission is None:
            continue
        rows.append(
            CommissionOnLine(
                commission=commission,
                attachment=attachment,
                latest_update=latest.get(commission.pk),
                events=events.get(commission.pk, []),
            )
        )
    rows.sort(key=lambda row: ((row.region.region or row.region.name).lower(), row.commission.name))
    return rows


def attachable_commissions(user: Actor, line: Line) -> QuerySet[Commission]:
    """The open commissions this person may attach to the line, not on it yet (two queries).

    Those of networks in reach that they facilitate, and those their entities promote.
    """
    if not user.is_authenticated or line.agenda.state != AgendaState.PUBLISHED:
        return Commission.objects.with_scopes_disabled().none()
    reach = network_ids_in_reach(line.agenda.network)
    site_admin = user.is_superuser and user.is_active
    facilitated = set(reach) if site_admin else set(reach) & facilitated_ids(user)
    roles = entity_roles(user)
    entity_ids: set[int] = set()
    if roles is not None:
        for pk in reach:
            entity_ids |= roles.entities_in(pk)
    wanted = Q(network_id__in=facilitated)
    if entity_ids:
        wanted |= Q(promoter_terms__entity_id__in=entity_ids, promoter_terms__ended_at__isnull=True)
    if not facilitated and not entity_ids:
        return Commission.objects.with_scopes_disabled().none()
    with network_scope(line.agenda.network):
        attached = list(
            Attachment.objects.filter(line=line).values_list("commission_id", flat=True)
        )
    return (
        Commission.objects.with_scopes_disabled()
        .filter(wanted, network_id__in=reach)
        .exclude(state=CommissionState.CLOSED)
        .exclude(pk__in=attached)
        .select_related("network")
        .distinct()
        .order_by("network__name", "name")
    )
