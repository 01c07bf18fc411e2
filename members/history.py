"""The changes members records in a network's history, and how each reads in the activity page."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from members.models import Entity, Membership, MembershipStatus
from networks.history import (
    SOMEONE_GONE,
    HistoryAction,
    SentenceBook,
    before_after,
    changes_of,
    ids_in,
    subjects_of,
)
from networks.models import Interlocutor


class MembershipAction(HistoryAction):
    CREATED = "membership.created"
    APPLIED = "membership.applied"
    STATUS = "membership.status"
    REPRESENTATIVES = "membership.representatives"
    CHARTER_ACCEPTED = "membership.charter_accepted"


class InterlocutorAction(HistoryAction):
    ASSIGNED = "interlocutor.assigned"


# Memberships ----------------------------------------------------------------------


def _load_memberships(entries):
    people = set()
    for entry in entries:
        if entry.action == MembershipAction.REPRESENTATIVES:
            changes = changes_of(entry)
            for key in ("representative", "alternate"):
                people |= ids_in(changes.get(key))
    return {
        "memberships": subjects_of(Membership, entries, select_related=["entity"]),
        "people": {user.pk: user for user in get_user_model().objects.filter(pk__in=people)},
    }


def _membership(entry, loaded):
    return loaded["memberships"].get(entry.object_id)


def _entity_name(entry, loaded):
    membership = _membership(entry, loaded)
    return membership.entity.name if membership is not None else _("an entity")


def _status_sentence(entry, loaded) -> str:
    previous, new = before_after(changes_of(entry).get("status"))
    values = {"entity": _entity_name(entry, loaded)}
    if new == MembershipStatus.ACTIVE:
        if previous == MembershipStatus.APPLIED:
            return _("%(entity)s was approved as a member.") % values
        return _("%(entity)s was reinstated as a member.") % values
    if new == MembershipStatus.REJECTED:
        return _("The application of %(entity)s was rejected.") % values
    if new == MembershipStatus.SUSPENDED:
        return _("%(entity)s was suspended.") % values
    if new == MembershipStatus.LEFT:
        return _("%(entity)s left the network.") % values
    if new == MembershipStatus.APPLIED:
        return _("%(entity)s applied to join the network.") % values
    return _("The membership of %(entity)s changed.") % values


def _applied_sentence(entry, loaded) -> str:
    _previous, new = before_after(changes_of(entry).get("status"))
    values = {"entity": _entity_name(entry, loaded)}
    if new == MembershipStatus.ACTIVE:
        return _("%(entity)s joined the network.") % values
    return _("%(entity)s applied to join the network.") % values


def _representatives_sentence(entry, loaded) -> str:
    entity = _entity_name(entry, loaded)
    changes = changes_of(entry)
    parts = []
    for key, named, removed in (
        (
            "representative",
            _("%(person)s became the representative of %(entity)s."),
            _("%(entity)s has no representative any more."),
        ),
        (
            "alternate",
            _("%(person)s became the alternate of %(entity)s."),
            _("%(entity)s has no alternate any more."),
        ),
    ):
        if key not in changes:
            continue
        _old, new = before_after(changes[key])
        if new:
            person = loaded["people"].get(new)
            name = str(person) if person is not None else str(SOMEONE_GONE)
            parts.append(named % {"person": name, "entity": entity})
        else:
            parts.append(removed % {"entity": entity})
    return " ".join(parts) or _("The people of %(entity)s were updated.") % {"entity": entity}


def _charter_accepted_sentence(entry, loaded) -> str:
    _previous, version = before_after(changes_of(entry).get("charter_version"))
    return _("%(entity)s accepted version %(version)s of the charter.") % {
        "entity": _entity_name(entry, loaded),
        "version": version if version is not None else "?",
    }


MEMBERSHIP_SENTENCES = SentenceBook(
    actions=MembershipAction,
    load=_load_memberships,
    subject=_membership,
    sentences={
        MembershipAction.CREATED: lambda entry, loaded: (
            _("%(entity)s was added to the network.") % {"entity": _entity_name(entry, loaded)}
        ),
        MembershipAction.APPLIED: _applied_sentence,
        MembershipAction.STATUS: _status_sentence,
        MembershipAction.REPRESENTATIVES: _representatives_sentence,
        MembershipAction.CHARTER_ACCEPTED: _charter_accepted_sentence,
    },
)


# The regional interlocutor -----------------------------------------------------------


def _load_interlocutors(entries):
    interlocutors = subjects_of(Interlocutor, entries)
    entity_ids = {interlocutor.entity_id for interlocutor in interlocutors.values()}
    for entry in entries:
        entity_ids |= ids_in(changes_of(entry).get("entity"))
    entities = {entity.pk: entity for entity in Entity.objects.filter(pk__in=entity_ids)}
    return {"interlocutors": interlocutors, "entities": entities}


def _interlocutor(entry, loaded):
    return loaded["interlocutors"].get(entry.object_id)


def _assigned_sentence(entry, loaded) -> str:
    def name(entity_id):
        entity = loaded["entities"].get(entity_id)
        return entity.name if entity is not None else _("an entity")

    previous, new = before_after(changes_of(entry).get("entity"))
    interlocutor = _interlocutor(entry, loaded)
    entity = name(interlocutor.entity_id if interlocutor is not None else new)
    if previous:
        return _("%(entity)s became the regional interlocutor, replacing %(previous)s.") % {
            "entity": entity,
            "previous": name(previous),
        }
    return _("%(entity)s became the regional interlocutor.") % {"entity": entity}


INTERLOCUTOR_SENTENCES = SentenceBook(
    actions=InterlocutorAction,
    load=_load_interlocutors,
    subject=_interlocutor,
    sentences={InterlocutorAction.ASSIGNED: _assigned_sentence},
)
