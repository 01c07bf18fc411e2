"""What the site header counts for a facilitator: what waits in each network they facilitate."""

from functools import cached_property

from django.http import HttpRequest

from facilitation.selectors.landing import FacilitatedNetwork, facilitated_networks
from networks.rules import cached_role

# The role the header reads: read with every role of the person (`FacilitationConfig.ready`).
NAVIGATION = "facilitation_navigation"


class FacilitationNavigation:
    """The header's "Facilitation" link and its count, read with the person's roles."""

    def __init__(self, user, network=None) -> None:
        self.user = user
        self.network = network

    @cached_property
    def networks(self) -> list[FacilitatedNetwork]:
        return cached_role(self.user, NAVIGATION, facilitated_networks)

    @property
    def waiting(self) -> int:
        return sum(row.waiting for row in self.networks)

    @property
    def here(self) -> FacilitatedNetwork | None:
        """The request's network, if the person facilitates it (its own pages' navigation)."""
        if self.network is None:
            return None
        return next((row for row in self.networks if row.network.pk == self.network.pk), None)


def facilitation_navigation(request: HttpRequest) -> dict[str, FacilitationNavigation | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"facilitation_navigation": None}
    return {
        "facilitation_navigation": FacilitationNavigation(
            user, network=getattr(request, "network", None)
        )
    }
