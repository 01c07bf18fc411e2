"""Who may do what with an annual agenda.

The facilitator of the agenda's network drafts it, opens it for comments and
publishes it. While it is open, each network under it speaks through its
facilitator or its interlocutor (asked with that network). A commission is
attached to a line by its promoters or by the facilitator of its own network
(asked with the commission).
"""

import rules

from commissions.rules import is_promoter
from members.rules import is_interlocutor
from networks.rules import can_run_network

rules.add_perm("agenda.run", can_run_network)
rules.add_perm("agenda.comment_for", can_run_network | is_interlocutor)
rules.add_perm("agenda.attach", is_promoter | can_run_network)
