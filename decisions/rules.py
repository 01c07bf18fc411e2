"""Who may do what with proposals, built from the roles of `networks.rules` and `members.rules`.

Member entities table proposals, take positions and vote; the facilitator
calls a vote when objections stand but never takes a position (4.2 a); an
event's organisers record what entities state in the plenary. The services
ask these same permissions and check the rest.
"""

import rules

from events.rules import is_organiser
from members.rules import entity_roles, is_member
from networks.rules import can_run_network, is_facilitator


@rules.predicate
def is_proposer(user, proposal):
    """Acts for the entity that tabled the proposal."""
    roles = entity_roles(user)
    if roles is None or proposal is None:
        return False
    return proposal.proposer_id in roles.entities_in(proposal.network_id)


@rules.predicate
def organises_its_plenary(user, proposal):
    """Acts for an organiser of the event whose agenda holds the proposal."""
    if proposal is None or proposal.agenda_item_id is None:
        return False
    return is_organiser(user, proposal.agenda_item.event)


rules.add_perm("decisions.view_proposals", is_member | can_run_network)
rules.add_perm("decisions.table_proposal", is_member & ~is_facilitator)
rules.add_perm("decisions.take_position", is_member & ~is_facilitator)
rules.add_perm("decisions.amend_proposal", is_proposer & ~is_facilitator)
rules.add_perm("decisions.withdraw_proposal", is_proposer & ~is_facilitator)
rules.add_perm("decisions.open_vote", can_run_network | (is_proposer & ~is_facilitator))
rules.add_perm("decisions.record_in_plenary", organises_its_plenary & ~is_facilitator)
rules.add_perm("decisions.set_review_date", can_run_network | (is_proposer & ~is_facilitator))
rules.add_perm("decisions.change_governance", can_run_network)
