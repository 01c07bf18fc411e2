"""Who may record collaborations and read the network's analysis."""

import rules

from members.rules import is_member
from networks.rules import can_run_network

# A member entity declares its own collaborations (the service checks which entity).
rules.add_perm("evidence.declare_collaboration", is_member)
# The analysis names entities and how connected each is: for whoever runs the network.
rules.add_perm("evidence.view_analysis", can_run_network)
# Members' contacts and registrations are personal data: for whoever runs the network.
rules.add_perm("evidence.export_network_data", can_run_network)
# Bringing the network's own spreadsheets in writes memberships: for whoever runs the network.
rules.add_perm("evidence.import_network_data", can_run_network)
