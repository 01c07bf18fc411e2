"""Who may read the facilitator's pages beyond the facilitator: the network's activity."""

import rules

from members.rules import is_interlocutor
from networks.rules import can_run_network

rules.add_perm("networks.view_activity", can_run_network | is_interlocutor)
