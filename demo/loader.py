"""Loading the demo: a `Demo` shared by its parts, each part a capability of the network.

The demo is built by the modules of `demo.parts`, one per capability (the
networks and their members, commissions, events, decisions, …), run in the
order of their `ORDER` (`demo.parts` says how to add one). Each part's
`load(demo)` creates what is missing and leaves alone what exists, so loading
twice changes nothing; dates are relative to `demo.now`, the moment the demo
is first loaded, so that the jobs have work to do the first time they run.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from demo import demo_data, parts
from members.models import Membership, MembershipStatus, User
from networks.scoping import network_scope


class Demo:
    """What the parts share: the moment of loading, the demo's networks and people, a tally."""

    def __init__(self, *, now=None):
        self.now = now or timezone.now()
        self.created = 0
        self.report: list[str] = []
        # Filled by the first part (`demo.parts.networks`): slug → Network.
        self.networks = {}
        self.facilitator = None
        self.site_admin = None
        self._members = {}

    # Rows

    def get_or_create(self, model, defaults=None, **lookup):
        """The row named by `lookup`, created with `defaults` when missing (and counted)."""
        manager = model._default_manager
        if hasattr(manager, "with_scopes_disabled"):
            manager = manager.with_scopes_disabled()
        obj, created = manager.get_or_create(defaults=defaults, **lookup)
        self.created += created
        return obj, created

    def counted(self, rows):
        """Count rows a part created in bulk; returns them."""
        rows = list(rows)
        self.created += len(rows)
        return rows

    def say(self, line: str) -> None:
        """A line of the command's report."""
        self.report.append(line)

    # Lookups

    def network(self, slug):
        return self.networks[slug]

    def members(self, network) -> list[Membership]:
        """The network's active memberships, the earliest to join first (read once)."""
        if network.pk not in self._members:
            with network_scope(network):
                self._members[network.pk] = list(
                    Membership.objects.filter(status=MembershipStatus.ACTIVE)
                    .select_related("entity", "representative", "alternate", "platform")
                    .order_by("joined_at", "id")
                )
        return self._members[network.pk]

    def forget_members(self, network) -> None:
        """After a part changed who is a member: read them again next time."""
        self._members.pop(network.pk, None)

    # Time

    def days_from_now(self, days: float) -> dt.datetime:
        return self.now + dt.timedelta(days=days)

    def local(self, network, days: int, hour: int, minute: int = 0) -> dt.datetime:
        """`hour`:`minute` in the network's time zone, `days` days from the day of loading."""
        day = timezone.localdate(self.now, network.zone) + dt.timedelta(days=days)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=network.zone)

    # People

    def account(self, plan, *, is_superuser=False):
        """A demo account that logs in with the demo password, its address verified."""
        user, created = self.get_or_create(
            User,
            email=plan.email,
            defaults={
                "username": plan.email,
                "first_name": plan.first_name,
                "last_name": plan.last_name,
                "phone": plan.phone,
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(demo_data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        return user

    def person(self, plan):
        """A person of the demo who does not log in (a representative, an alternate)."""
        user, created = self.get_or_create(
            User,
            email=plan.email,
            defaults={
                "username": plan.email,
                "first_name": plan.first_name,
                "last_name": plan.last_name,
                "phone": plan.phone,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user


def load_demo(*, now=None) -> Demo:
    """Run every part of the demo in one transaction; returns the `Demo` with its report."""
    demo = Demo(now=now)
    with transaction.atomic():
        for part in parts.PARTS:
            part.load(demo)
    return demo
