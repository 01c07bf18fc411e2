from django.db import transaction

from networks.scoping import network_scope
from platforms.models import Platform, Sector


@transaction.atomic
def seed_platforms(network):
    """Give a network the six sector platforms of the model (section 4.3 a); idempotent."""
    with network_scope(network):
        existing = set(Platform.objects.values_list("sector", flat=True))
        Platform.objects.bulk_create(
            Platform(network=network, sector=sector, position=position)
            for position, sector in enumerate(Sector.values)
            if sector not in existing
        )
