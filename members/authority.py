"""Whether the person acting speaks for a member entity: the check services make once.

The rest of the authority a service checks (a permission of the registry, the
facilitator's neutrality) is in `networks.authority`.
"""

from django.utils.translation import gettext as _

from core.actors import is_system
from core.errors import DomainError
from members.reach import acting_entity_ids
from members.rules import entity_roles
from networks.authority import fresh


def require_acts_for(by, entity, network):
    """Refuse unless `by` is the entity's representative or alternate in this network."""
    if is_system(by):
        return
    roles = entity_roles(fresh(by)) if by is not None else None
    if roles is None or entity is None or entity.pk not in roles.entities_in(network.pk):
        raise DomainError(
            _("You do not act for %(entity)s in %(network)s.")
            % {"entity": entity, "network": network}
        )


def require_acts_in_reach(by, entity, network):
    """Refuse unless `by` acts for the entity in this network or a network under it.

    What commissions and events ask (`members.reach`): a member of a regional
    network takes part in the national network's commissions and events.
    """
    if is_system(by):
        return
    roles = entity_roles(fresh(by)) if by is not None else None
    if roles is None or entity is None or entity.pk not in acting_entity_ids(roles, network):
        raise DomainError(
            _("You do not act for %(entity)s in %(network)s.")
            % {"entity": entity, "network": network}
        )
