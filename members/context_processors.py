"""What the site header shows of the signed-in person, read only if a page shows it.

The networks the person facilitates, with what waits in each, come from
`facilitation.context_processors`, which may read the apps above members.
"""

from functools import cached_property

from django.http import HttpRequest

from members.notifications import unread_count


class AccountNavigation:
    """The header's account menu: one query, made when the template first reads it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(self.user)


def account_navigation(request: HttpRequest) -> dict[str, AccountNavigation | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account_navigation": None}
    return {"account_navigation": AccountNavigation(user)}
