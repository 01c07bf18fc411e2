"""The changes of an annual agenda in its network's history, and how each reads."""

from django.utils.translation import gettext as _

from agenda.models import Agenda
from networks.history import HistoryAction, SentenceBook, subjects_of


class AgendaAction(HistoryAction):
    DRAFTED = "agenda.drafted"
    LINE_ADDED = "agenda.line_added"
    OPENED = "agenda.opened"
    COMMENTED = "agenda.commented"
    PUBLISHED = "agenda.published"
    ATTACHED = "agenda.attached"


def _load_agendas(entries):
    return subjects_of(Agenda, entries, select_related=["network"])


def _agenda(entry, agendas):
    return agendas.get(entry.object_id)


def _sentence(message):
    def sentence(entry, agendas) -> str:
        agenda = agendas.get(entry.object_id)
        values = {"year": agenda.year if agenda is not None else "", **entry.changes}
        return message() % values

    return sentence


AGENDA_SENTENCES = SentenceBook(
    actions=AgendaAction,
    load=_load_agendas,
    subject=_agenda,
    sentences={
        AgendaAction.DRAFTED: _sentence(lambda: _("The agenda of %(year)s was drafted.")),
        AgendaAction.LINE_ADDED: _sentence(
            lambda: _("The line of work %(line)s was added to the agenda of %(year)s.")
        ),
        AgendaAction.OPENED: _sentence(
            lambda: _("The agenda of %(year)s was opened for comments.")
        ),
        AgendaAction.COMMENTED: _sentence(
            lambda: _("%(network)s commented on the agenda of %(year)s.")
        ),
        AgendaAction.PUBLISHED: _sentence(lambda: _("The agenda of %(year)s was published.")),
        AgendaAction.ATTACHED: _sentence(
            lambda: _(
                "The commission %(commission)s joined the line %(line)s of the agenda of %(year)s."
            )
        ),
    },
)
