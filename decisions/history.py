"""The changes decisions records in a network's history, and how each reads."""

from django.utils.translation import gettext as _

from decisions.models import Proposal
from networks.history import HistoryAction, SentenceBook, subjects_of


class DecisionAction(HistoryAction):
    TABLED = "proposal.tabled"
    AMENDED = "proposal.amended"
    WITHDRAWN = "proposal.withdrawn"
    VOTE_OPENED = "proposal.vote_opened"
    DECIDED = "proposal.decided"
    GOVERNANCE_CHANGED = "governance.changed"


def _load(entries):
    return subjects_of(Proposal, [e for e in entries if e.action != "governance.changed"])


def _subject(entry, proposals):
    return proposals.get(entry.object_id)


def _sentence(message):
    def sentence(entry, proposals) -> str:
        proposal = proposals.get(entry.object_id)
        return message() % {"proposal": proposal.title if proposal else _("a proposal")}

    return sentence


def _governance(entry, _proposals) -> str:
    return _("The network's decision rules were changed.")


DECISION_SENTENCES = SentenceBook(
    actions=DecisionAction,
    load=_load,
    subject=_subject,
    sentences={
        DecisionAction.TABLED: _sentence(lambda: _("The proposal %(proposal)s was tabled.")),
        DecisionAction.AMENDED: _sentence(lambda: _("The proposal %(proposal)s was amended.")),
        DecisionAction.WITHDRAWN: _sentence(lambda: _("The proposal %(proposal)s was withdrawn.")),
        DecisionAction.VOTE_OPENED: _sentence(
            lambda: _("The proposal %(proposal)s was put to the vote.")
        ),
        DecisionAction.DECIDED: _sentence(lambda: _("The proposal %(proposal)s was decided.")),
        DecisionAction.GOVERNANCE_CHANGED: _governance,
    },
)
