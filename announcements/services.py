"""Writing to the network: announcements and their corrections, sent by each person's choice.

An announcement reaches the representative and the alternate of every active
member entity (of the network, or sitting in the commission it is for) through
`members.outbox.queue_notifications`: the inbox always, mail as each person
chose for this network. A correction is sent on its own, to the same people,
never the whole announcement again.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from announcements.models import Announcement, Correction
from announcements.notifications import AnnouncementNotice
from commissions.models import Commission, CommissionMember, PromoterTerm
from core.actors import Actor, person_or_none
from core.errors import DomainError
from core.text import checked_line, checked_text
from members.authority import require_acts_for
from members.models import Entity, Membership, MembershipStatus, Notification
from members.notifications import moment, representative_ids_by_entity
from members.outbox import queue_notifications
from networks.authority import refuse_facilitator, require_perm, require_person
from networks.models import Interlocutor, Network
from networks.rules import is_facilitator
from networks.scoping import network_scope


def _speaker(by: Actor, entity: Entity | None) -> str:
    """The name an announcement is signed with: the entity that speaks, or the person."""
    if entity is not None:
        return entity.name
    return str(by) if by is not None else ""


def _interlocutor_entity(network: Network, by: Actor) -> Entity | None:
    """The interlocutor entity this person acts for in this network, if any."""
    interlocutor = (
        Interlocutor.objects.filter(network=network, ended_at__isnull=True)
        .select_related("entity")
        .first()
    )
    if interlocutor is None:
        return None
    try:
        require_acts_for(by, interlocutor.entity, network)
    except DomainError:
        return None
    return interlocutor.entity


def recipient_ids(announcement: Announcement) -> set[int]:
    """Representatives and alternates of the active member entities it is for (in scope).

    The whole network, or the entities sitting in its commission today; the
    author is not told what they wrote.
    """
    network_id = announcement.network_id
    entity_ids: Iterable[int]
    if announcement.commission_id is None:
        entity_ids = Membership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
            "entity_id", flat=True
        )
    else:
        entity_ids = CommissionMember.objects.filter(
            commission_id=announcement.commission_id, left_on__isnull=True
        ).values_list("entity_id", flat=True)
    people = representative_ids_by_entity((network_id, entity_id) for entity_id in entity_ids)
    recipients: set[int] = set().union(*people.values()) if people else set()
    recipients.discard(announcement.author_id)
    return recipients


def _tell(
    announcement: Announcement,
    *,
    kind: AnnouncementNotice,
    key: str,
    context: dict[str, object],
) -> None:
    queue_notifications(
        Notification(
            network_id=announcement.network_id,
            recipient_id=user_id,
            kind=kind,
            key=key,
            context=context,
            link=announcement.get_absolute_url(),
        )
        for user_id in sorted(recipient_ids(announcement))
    )


def _check_text(title: str, body: str) -> tuple[str, str]:
    title = checked_line(title, label=_("The title"), max_length=Announcement.TITLE_MAX_LENGTH)
    body = checked_text(body, label=_("The text"), max_length=Announcement.BODY_MAX_LENGTH)
    if not title or not body:
        raise DomainError(_("An announcement needs a title and a text."))
    return title, body


@transaction.atomic
def announce(
    *, network: Network, by: Actor, title: str, body: str, public: bool = False
) -> Announcement:
    """The facilitator, or the regional interlocutor, writes to every member of the network."""
    require_person(by, _("Only a person writes an announcement."))
    title, body = _check_text(title, body)
    with network_scope(network):
        require_perm(
            by,
            "announcements.announce",
            network,
            _("Only the facilitator and the interlocutor write to the whole network."),
        )
        # The facilitator writes as themselves; the interlocutor for its entity.
        entity = None if is_facilitator(by, network) else _interlocutor_entity(network, by)
        announcement = Announcement.objects.create(
            network=network,
            entity=entity,
            author=person_or_none(by),
            title=title,
            body=body,
            public=bool(public),
        )
        _tell(
            announcement,
            kind=AnnouncementNotice.TO_NETWORK,
            key=f"announcement:{announcement.pk}",
            context={
                "title": title,
                "text": body,
                "author": _speaker(by, entity),
                "network": network.name,
            },
        )
    return announcement


@transaction.atomic
def announce_to_commission(
    *, commission: Commission, entity: Entity, by: Actor, title: str, body: str
) -> Announcement:
    """A promoter, acting for its promoting entity, writes to the commission's members."""
    network = commission.network
    title, body = _check_text(title, body)
    with network_scope(network):
        require_acts_for(by, entity, network)
        refuse_facilitator(by, network)
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        require_perm(
            by,
            "announcements.announce_to_commission",
            locked,
            _("Only the promoters of an open commission write to its members."),
        )
        if not PromoterTerm.objects.filter(
            commission=locked, entity=entity, ended_at__isnull=True
        ).exists():
            raise DomainError(
                _("%(entity)s does not promote this commission.") % {"entity": entity}
            )
        announcement = Announcement.objects.create(
            network=network,
            commission=locked,
            entity=entity,
            author=person_or_none(by),
            title=title,
            body=body,
        )
        _tell(
            announcement,
            kind=AnnouncementNotice.TO_COMMISSION,
            key=f"announcement:{announcement.pk}",
            context={
                "title": title,
                "text": body,
                "author": entity.name,
                "commission": locked.name,
                "network": network.name,
            },
        )
    return announcement


@transaction.atomic
def correct(*, announcement: Announcement, by: Actor, text: str) -> Correction:
    """Its author, or the network's facilitator, corrects an announcement already sent.

    The correction alone goes to the people it is for now; the announcement's
    text stays as it was sent, with its corrections under it.
    """
    require_person(by, _("Only a person corrects an announcement."))
    text = checked_text(text, label=_("The correction"), max_length=Correction.TEXT_MAX_LENGTH)
    if not text:
        raise DomainError(_("Write what was wrong and what is right."))
    network = announcement.network
    with network_scope(network):
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.author_id != by.pk:
            require_perm(
                by,
                "networks.run_network",
                network,
                _("Only its author or the facilitator corrects an announcement."),
            )
        correction = Correction.objects.create(
            network=network, announcement=locked, author=person_or_none(by), text=text
        )
        _tell(
            locked,
            kind=AnnouncementNotice.CORRECTED,
            key=f"announcement.correction:{correction.pk}",
            context={
                "title": locked.title,
                "text": text,
                "author": _speaker(by, locked.entity if locked.author_id == by.pk else None),
                "sent": moment(locked.created_at),
                "network": network.name,
            },
        )
    return correction
