"""Who may write to whom: the whole network, or one commission's members."""

import rules

from commissions.rules import is_open, is_promoter
from members.rules import interlocutor_writes_announcements, is_member
from networks.rules import can_run_network

# The facilitator and the regional interlocutor speak to the whole network (4.2 a, 4.2 c).
rules.add_perm("announcements.announce", can_run_network | interlocutor_writes_announcements)
# Promoters speak to their commission's members (4.2 b).
rules.add_perm("announcements.announce_to_commission", is_open & is_promoter)
# Announcements are read by the network's members and whoever runs it; news by everyone.
rules.add_perm("announcements.read", can_run_network | is_member)
