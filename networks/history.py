"""A network's history: who changed what and when, and how each change reads.

Every change a service records names its action with a member of an enum of
its own app, a subclass of `HistoryAction` (`members.history.MembershipAction`,
`events.history.EventAction`, …); `record_change` refuses anything else. Each
app says how its actions read with a `SentenceBook`, registered from its
`AppConfig.ready()`: the facilitator's activity page reads the books, and no
app writes into another's. A book must give a sentence for every member of its
enum, and `tests/test_registries.py` fails on an enum whose book is missing.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import Actor, person_or_none
from networks.models import Facilitator, HistoryEntry, Network


class HistoryAction(models.TextChoices):
    """The base of every app's enum of the changes it records (`app.change` as value)."""


def record_change(
    *,
    network: Network,
    subject: models.Model,
    action: HistoryAction,
    by: Actor,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> HistoryEntry:
    """Keep who changed what and when ("nothing is lost", DESIGN.md).

    The history row of an act that its service has already allowed: it checks
    nothing itself. The system is recorded as nobody.
    """
    if not isinstance(action, HistoryAction):
        raise TypeError(f"{action!r} is not a member of a HistoryAction enum.")
    return HistoryEntry.objects.create(
        network=network,
        actor=person_or_none(by),
        action=action,
        content_type=ContentType.objects.get_for_model(type(subject)),
        object_id=subject.pk,
        changes=changes or {},
        reason=reason,
    )


def _nothing_to_load(entries: list[HistoryEntry]) -> None:
    return None


def _no_subject(entry: HistoryEntry, loaded: Any) -> None:
    return None


@dataclass(frozen=True)
class SentenceBook:
    """How the changes of one enum read.

    `load(entries)` reads, in a fixed number of queries, what the sentences of
    these entries name (it runs once per page, inside the network's scope);
    `sentences[action](entry, loaded)` is the sentence of one entry, and
    `subject(entry, loaded)` the row it is about, for a link to it (or None).
    """

    actions: type[HistoryAction]
    sentences: Mapping[HistoryAction, Callable[[HistoryEntry, Any], str]]
    load: Callable[[list[HistoryEntry]], Any] = _nothing_to_load
    subject: Callable[[HistoryEntry, Any], Any] = _no_subject


_BOOKS: dict[str, SentenceBook] = {}


def register_sentences(book: SentenceBook) -> None:
    """Make `book` the one that tells how its actions read; every action needs a sentence."""
    missing = [action.value for action in book.actions if action not in book.sentences]
    if missing:
        raise ImproperlyConfigured(f"No sentence for the history actions {missing}.")
    for action in book.actions:
        if _BOOKS.get(action.value, book) is not book:
            raise ImproperlyConfigured(f"The history action {action.value} has two books.")
        _BOOKS[action.value] = book


def has_sentence(action: str) -> bool:
    return action in _BOOKS


@dataclass
class Sentence:
    entry: HistoryEntry
    text: str
    subject: Any = None


def sentences_for(entries: Iterable[HistoryEntry]) -> list[Sentence]:
    """The sentence of each entry, in order, with one `load` per book the entries use.

    A row whose action no book knows (recorded by an older release) still reads,
    plainly, with its action's name.
    """
    entries = list(entries)
    batches: dict[int, tuple[SentenceBook, list[HistoryEntry]]] = {}
    for entry in entries:
        book = _BOOKS.get(entry.action)
        if book is not None:
            batches.setdefault(id(book), (book, []))[1].append(entry)
    loaded = {key: book.load(batch) for key, (book, batch) in batches.items()}
    result = []
    for entry in entries:
        book = _BOOKS.get(entry.action)
        if book is None:
            text = _("A change was recorded (%(action)s).") % {"action": entry.action}
            result.append(Sentence(entry=entry, text=text))
            continue
        data = loaded[id(book)]
        result.append(
            Sentence(
                entry=entry,
                text=str(book.sentences[book.actions(entry.action)](entry, data)),
                subject=book.subject(entry, data),
            )
        )
    return result


def changes_of(entry: HistoryEntry) -> dict[str, Any]:
    """The entry's recorded changes, or nothing if they are not a mapping."""
    return entry.changes if isinstance(entry.changes, dict) else {}


def before_after(value: object) -> tuple[Any, Any]:
    """The (before, after) of a change recorded as a two-item list; None for what is missing."""
    items = list(value) if isinstance(value, list | tuple) else []
    items += [None, None]
    return items[0], items[1]


def ids_in(value: object) -> set[int]:
    """The ids a change recorded as a list holds (before and after)."""
    if isinstance(value, list | tuple):
        return {item for item in value if isinstance(item, int)}
    return set()


def subjects_of(
    model: type[models.Model], entries: Iterable[HistoryEntry], **related: Any
) -> dict[Any, Any]:
    """The rows of `model` the entries are about, by id, in one query (`select_related`)."""
    ids = {entry.object_id for entry in entries}
    queryset = model._default_manager.filter(pk__in=ids)
    if related.get("select_related"):
        queryset = queryset.select_related(*related["select_related"])
    return {row.pk: row for row in queryset}


# Someone whose account is gone, in a sentence.
SOMEONE_GONE = gettext_lazy("someone no longer registered")


# The tenant core's own changes ----------------------------------------------------


class NetworkAction(HistoryAction):
    CHARTER_PUBLISHED = "charter.published"
    FACILITATOR_APPOINTED = "facilitator.appointed"
    FACILITATOR_ENDED = "facilitator.ended"
    INTERLOCUTOR_POWERS = "network.interlocutor_powers"


class AdminAction(HistoryAction):
    """Changes made in the admin that no service governs (`networks.admin.KeepsHistory`)."""

    ADDED = "admin.added"
    CHANGED = "admin.changed"
    DELETED = "admin.deleted"


def _load_facilitators(entries: list[HistoryEntry]) -> dict[int, Facilitator]:
    return subjects_of(Facilitator, entries, select_related=["user"])


def _facilitator(entry: HistoryEntry, facilitators: dict[int, Facilitator]) -> Facilitator | None:
    return facilitators.get(entry.object_id)


def _facilitator_name(entry: HistoryEntry, facilitators: dict[int, Facilitator]) -> str:
    facilitator = facilitators.get(entry.object_id)
    return str(facilitator.user) if facilitator is not None else str(SOMEONE_GONE)


NETWORK_SENTENCES = SentenceBook(
    actions=NetworkAction,
    load=_load_facilitators,
    subject=_facilitator,
    sentences={
        NetworkAction.CHARTER_PUBLISHED: lambda entry, _loaded: (
            _("Version %(version)s of the charter was published.")
            % {"version": changes_of(entry).get("version", "?")}
        ),
        NetworkAction.FACILITATOR_APPOINTED: lambda entry, loaded: (
            _("%(person)s was appointed facilitator.")
            % {"person": _facilitator_name(entry, loaded)}
        ),
        NetworkAction.FACILITATOR_ENDED: lambda entry, loaded: (
            _("%(person)s stopped facilitating the network.")
            % {"person": _facilitator_name(entry, loaded)}
        ),
        NetworkAction.INTERLOCUTOR_POWERS: lambda _entry, _loaded: _(
            "The powers of the regional interlocutor were changed."
        ),
    },
)


def _admin_sentence(entry: HistoryEntry, _loaded: Any) -> str:
    """A change made in the admin: what kind of row, and which fields (values are in the admin)."""
    changes = changes_of(entry)
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    what = model._meta.verbose_name if model is not None else _("record")
    if entry.action == AdminAction.DELETED:
        text = _("%(what)s “%(name)s” was removed in the admin.") % {
            "what": what,
            "name": changes.get("deleted", ""),
        }
    elif entry.action == AdminAction.ADDED:
        text = _("%(what)s was added in the admin.") % {"what": what}
    else:
        labels = []
        for name in changes:
            try:
                field = model._meta.get_field(name) if model is not None else None
            except FieldDoesNotExist:
                field = None
            labels.append(str(getattr(field, "verbose_name", name)))
        text = _("%(what)s was changed in the admin: %(fields)s.") % {
            "what": what,
            "fields": ", ".join(labels),
        }
    return capfirst(text)


ADMIN_SENTENCES = SentenceBook(
    actions=AdminAction,
    sentences=dict.fromkeys(AdminAction, _admin_sentence),
)
