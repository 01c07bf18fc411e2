from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import Actor
from networks.authority import require_perm
from networks.models import Network
from networks.scoping import network_scope
from platforms.models import Platform, Sector


@transaction.atomic
def seed_platforms(*, network: Network, by: Actor) -> None:
    """Give a network the six sector platforms of the model (section 4.3 a); idempotent.

    Run by the system when a network is created; by hand, whoever runs the network.
    """
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only a facilitator of this network or a site admin sets up its platforms."),
    )
    with network_scope(network):
        existing = set(Platform.objects.values_list("sector", flat=True))
        Platform.objects.bulk_create(
            Platform(network=network, sector=sector, position=position)
            for position, sector in enumerate(Sector.values)
            if sector not in existing
        )
