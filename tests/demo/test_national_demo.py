"""The demo's national network shows its regions: their counts, and one commission across them."""

import pytest
from django.urls import reverse

from commissions.models import Commission, CommissionMember
from facilitation.selectors.public import home_page
from members.models import Membership, MembershipStatus
from networks.models import Network
from networks.scoping import all_networks
from tests.demo.test_living_demo import demo  # noqa: F401 (the loaded demo)

pytestmark = pytest.mark.django_db


def test_the_national_page_counts_what_its_regions_hold(demo, client):  # noqa: F811
    national = Network.objects.get(slug="nacional")
    overview = next(network for network in home_page().networks if network.pk == national.pk)

    page = client.get(reverse("networks:detail", args=["nacional"]), secure=True)
    directory = client.get(reverse("members:directory", args=["nacional"]), secure=True)

    assert page.context["page"].member_count == overview.entities_in_reach > 100
    assert directory.context["page"].paginator.count == overview.entities_in_reach
    counts = {child.slug: child.active_member_count for child in page.context["page"].children}
    with all_networks():
        assert (
            counts["arequipa"]
            == Membership.objects.filter(
                network__slug="arequipa", status=MembershipStatus.ACTIVE
            ).count()
        )


def test_the_national_commission_has_members_from_three_regions(demo, client):  # noqa: F811
    with all_networks():
        commission = Commission.objects.get(network__slug="nacional")
        seats = CommissionMember.objects.filter(commission=commission, left_on__isnull=True)
        regions = set(
            Membership.objects.filter(
                entity__in=seats.values("entity"), status=MembershipStatus.ACTIVE
            ).values_list("network__slug", flat=True)
        )
        assert {"arequipa", "piura", "tumbes"} <= regions
        assert commission.promoter_terms.filter(ended_at__isnull=True).exists()

    page = client.get(reverse("networks:detail", args=["nacional"]), secure=True)
    assert commission.name in page.content.decode()
    detail = client.get(
        reverse("commissions:detail", args=["nacional", commission.pk]), secure=True
    )
    assert len(detail.context["page"].seats) == seats.count()
