"""What waits for a facilitator in each network they facilitate: their landing page and the header.

A facilitator signs in to "My network". They act for no entity, so without this
it would say nothing waits for them while applications wait for their decision.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, RowNumber

from commissions.models import Commission, CommissionState
from core.actors import Actor
from core.aggregates import JSONList
from members.models import Membership, MembershipStatus, Notification
from networks.models import Network
from networks.rules import facilitated_ids
from networks.scoping import all_networks

# The oldest applications named on the landing page, per network; the rest are a link away.
APPLICATIONS_SHOWN = 5


@dataclass
class FacilitatedNetwork:
    network: Network
    applications_waiting: int
    vacant_commissions: int
    stalled_commissions: int
    unread: int
    applications: list

    @property
    def commissions_needing_attention(self) -> int:
        return self.vacant_commissions + self.stalled_commissions

    @property
    def waiting(self) -> int:
        """What the header counts: applications to decide and commissions to look after."""
        return self.applications_waiting + self.commissions_needing_attention


def _count(queryset: QuerySet[Model]) -> Coalesce:
    counted = queryset.order_by().values("network_id").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_what_waits(user: Any, recipient: Any) -> QuerySet[Any]:
    """The networks `user` facilitates today, each with what waits in it.

    `user` and `recipient` are the person, or a reference to them from an
    outer query (`navigation_column`).
    """
    in_network = {"network_id": OuterRef("pk")}
    return Network.objects.filter(
        facilitators__user=user, facilitators__ended_on__isnull=True
    ).annotate(
        applications_waiting=_count(
            Membership.objects.filter(**in_network, status=MembershipStatus.APPLIED)
        ),
        vacant_commissions=_count(
            Commission.objects.filter(**in_network, state=CommissionState.VACANT)
        ),
        stalled_commissions=_count(
            Commission.objects.filter(**in_network, state=CommissionState.STALLED)
        ),
        unread=_count(
            Notification.objects.filter(**in_network, recipient=recipient, read_at__isnull=True)
        ),
    )


def facilitated_networks(
    user: Actor, *, with_applications: bool = False
) -> list[FacilitatedNetwork]:
    """The networks this person facilitates today, by name, with what waits in each.

    One query (two with the applications named), whatever the networks and what
    they hold, after the person's facilitator role (read once per request).
    """
    if not facilitated_ids(user):
        # Most people facilitate nothing: the role, read once per request, says so
        # without building the counts' query.
        return []
    # The person's own facilitation, in every network they facilitate; each count
    # is narrowed to its network by the subquery.
    with all_networks():
        networks = list(_with_what_waits(user, user).order_by("name", "pk"))
        applications: dict[int, list[Membership]] = {}
        waiting_in = [network.pk for network in networks if network.applications_waiting]
        if with_applications and waiting_in:
            rows = (
                Membership.objects.filter(
                    network_id__in=waiting_in, status=MembershipStatus.APPLIED
                )
                .annotate(
                    position=Window(
                        RowNumber(),
                        partition_by=[F("network_id")],
                        order_by=[F("applied_at").asc(), F("id").asc()],
                    )
                )
                .filter(position__lte=APPLICATIONS_SHOWN)
                .select_related("entity", "platform")
                .order_by("applied_at", "id")
            )
            for membership in rows:
                applications.setdefault(membership.network_id, []).append(membership)
    return [
        FacilitatedNetwork(
            network=network,
            applications_waiting=network.applications_waiting,
            vacant_commissions=network.vacant_commissions,
            stalled_commissions=network.stalled_commissions,
            unread=network.unread,
            applications=applications.get(network.pk, []),
        )
        for network in networks
    ]


_COUNTS = ("applications_waiting", "vacant_commissions", "stalled_commissions", "unread")


def navigation_column() -> Subquery:
    """What `facilitated_networks` reads, as one column of a query of users (the header's).

    Registered with the query that reads every role (`members.rules`), so the
    header of a facilitator's pages costs no query of its own. Read it with
    `navigation_rows`.
    """
    with all_networks():
        networks = _with_what_waits(OuterRef("pk"), OuterRef(OuterRef("pk")))
    rows = JSONList(
        JSONObject(id="pk", name="name", slug="slug", **{name: name for name in _COUNTS})
    )
    return Subquery(
        networks.order_by().values("facilitators__user").annotate(rows=rows).values("rows")
    )


def navigation_rows(rows: list[dict[str, Any]] | None) -> list[FacilitatedNetwork]:
    """The networks a `navigation_column` holds, as `facilitated_networks` gives them."""
    found = [
        FacilitatedNetwork(
            network=Network.from_db(
                None, ["id", "name", "slug"], [row["id"], row["name"], row["slug"]]
            ),
            applications=[],
            **{name: row[name] for name in _COUNTS},
        )
        for row in rows or []
    ]
    return sorted(found, key=lambda row: (row.network.name, row.network.pk))
