from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.actors import SYSTEM
from networks.models import Network
from platforms.services import seed_platforms


@receiver(post_save, sender=Network, dispatch_uid="seed_platforms_for_new_network")
def seed_platforms_for_new_network(
    sender: type[Network], instance: Network, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        seed_platforms(network=instance, by=SYSTEM)
