"""What the site header counts for a facilitator: what waits in each network they facilitate."""

from functools import cached_property

from django.http import HttpRequest

from facilitation.selectors.landing import FacilitatedNetwork, facilitated_networks


class FacilitationNavigation:
    """The header's "Facilitation" link and its count: one query, made when the header reads it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def networks(self) -> list[FacilitatedNetwork]:
        return facilitated_networks(self.user)

    @property
    def waiting(self) -> int:
        return sum(row.waiting for row in self.networks)


def facilitation_navigation(request: HttpRequest) -> dict[str, FacilitationNavigation | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"facilitation_navigation": None}
    return {"facilitation_navigation": FacilitationNavigation(user)}
