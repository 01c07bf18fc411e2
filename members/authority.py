"""Whether the person acting speaks for a member entity: the check services make once.

The rest of the authority a service checks (a permission of the registry, the
facilitator's neutrality) is in `networks.authority`.
"""

from django.utils.translation import gettext as _

from core.actors import is_system
from core.errors import DomainError
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
