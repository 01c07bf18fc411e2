"""The changes commissions records in a network's history, and how each reads.

Most of a commission's life is kept in its own `StateChange` rows, which the
activity page reads directly; the history holds what a facilitator does to one.
"""

from django.utils.translation import gettext as _

from networks.history import HistoryAction, SentenceBook, changes_of


class CommissionAction(HistoryAction):
    REOPENED = "commission.reopened"


def _reopened_sentence(entry, _loaded) -> str:
    changes = changes_of(entry)
    return _("The commission %(commission)s, closed on %(closed_on)s, was reopened.") % {
        "commission": changes.get("commission", "?"),
        "closed_on": changes.get("closed_on", "?"),
    }


COMMISSION_SENTENCES = SentenceBook(
    actions=CommissionAction,
    sentences={CommissionAction.REOPENED: _reopened_sentence},
)
