"""What the site header shows of the signed-in person, read only if a page shows it."""

from functools import cached_property

from django.http import HttpRequest

from members.notifications import unread_count
from networks.selectors import networks_facilitated_by


class AccountNavigation:
    """The header's account menu: two queries, made when the template first reads them."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(self.user)

    @cached_property
    def facilitated(self) -> list[dict[str, str]]:
        return [{"slug": slug, "name": name} for slug, name in networks_facilitated_by(self.user)]


def account_navigation(request: HttpRequest) -> dict[str, AccountNavigation | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account_navigation": None}
    return {"account_navigation": AccountNavigation(user)}
