"""Who may read the facilitator's pages beyond the facilitator: the network's activity."""

import rules

from members.rules import interlocutor_sees_activity
from networks.rules import can_run_network

rules.add_perm("networks.view_activity", can_run_network | interlocutor_sees_activity)
