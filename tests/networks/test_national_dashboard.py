"""The national dashboard: the regional networks under the national one, side by side."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from commissions.models import CommissionState
from events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus
from facilitation.selectors.national import last_quarters, months_before, national_dashboard
from members.models import EntityKind, MembershipStatus
from networks.models import NetworkKind
from networks.scoping import all_networks
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


def url(network):
    return reverse("facilitation:regions", kwargs={"network_slug": network.slug})


@pytest.fixture
def national(db):
    return factories.NetworkFactory(
        name="Red Soy Voluntari@ Perú", slug="peru", kind=NetworkKind.NATIONAL, region=""
    )


def region_under(national, name, slug):
    return factories.NetworkFactory(name=name, slug=slug, parent=national, region=name)


def event_in(network, *, starts_at, status=EventStatus.ANNOUNCED):
    return Event.objects.with_scopes_disabled().create(
        network=network,
        kind=EventKind.PLENARY,
        title="Plenaria regional",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        registration_closes_at=starts_at,
        status=status,
    )


def took_part(event, membership):
    return Registration.objects.with_scopes_disabled().create(
        network=event.network,
        event=event,
        entity=membership.entity,
        status=RegistrationStatus.CONFIRMED,
    )


@pytest.fixture
def regions(national, unscoped):
    """Arequipa, busy; Piura, small and quiet."""
    now = timezone.now()
    arequipa = region_under(national, "Red Arequipa", "arequipa")
    piura = region_under(national, "Red Piura", "piura")
    # Arequipa: three active members joined over a year ago (two associations in civil
    # society, one university), one application waiting.
    joined = now - timedelta(days=500)
    first = factories.MembershipFactory(network=arequipa, joined_at=joined, applied_at=joined)
    factories.MembershipFactory(network=arequipa, joined_at=joined, applied_at=joined)
    factories.MembershipFactory(
        network=arequipa,
        joined_at=joined,
        applied_at=joined,
        entity=factories.EntityFactory(kind=EntityKind.UNIVERSITY),
        platform=factories.platform_of(arequipa, Sector.UNIVERSITY),
    )
    factories.MembershipFactory(
        network=arequipa, status=MembershipStatus.APPLIED, applied_at=now - timedelta(days=3)
    )
    factories.CommissionFactory(network=arequipa)
    factories.CommissionFactory(network=arequipa, state=CommissionState.STALLED)
    factories.CommissionFactory(network=arequipa, state=CommissionState.VACANT)
    # One plenary a month ago, where the first member took part; a draft never counts.
    plenary = event_in(arequipa, starts_at=now - timedelta(days=30))
    took_part(plenary, first)
    event_in(arequipa, starts_at=now - timedelta(days=60), status=EventStatus.DRAFT)
    # Piura: one member that joined four months ago.
    factories.MembershipFactory(
        network=piura, joined_at=now - timedelta(days=120), applied_at=now - timedelta(days=130)
    )
    # A member of the national network itself is no region's.
    factories.MembershipFactory(network=national)
    return arequipa, piura


def test_the_dashboard_compares_each_region_on_the_overview_figures(national, regions):
    arequipa, piura = regions

    dashboard = national_dashboard(network=national)

    assert [region.network for region in dashboard.regions] == [arequipa, piura]
    busy, quiet = dashboard.regions
    assert (busy.active_members, busy.applications_waiting) == (3, 1)
    assert (busy.active_commissions, busy.stalled_commissions, busy.vacant_commissions) == (1, 1, 1)
    assert busy.events_held == 1
    assert (busy.participation.participating, busy.participation.percent) == (1, 33)
    civil_society = next(s for s in busy.by_sector if s.label == Sector.CIVIL_SOCIETY.label)
    universities = next(s for s in busy.by_sector if s.label == Sector.UNIVERSITY.label)
    assert (civil_society.count, civil_society.percent) == (2, 67)
    assert (universities.count, universities.percent) == (1, 33)
    assert dashboard.kinds == [EntityKind.ASSOCIATION.label, EntityKind.UNIVERSITY.label]
    assert [(s.count, s.percent) for s in busy.by_kind] == [(2, 67), (1, 33)]
    assert (quiet.active_members, quiet.applications_waiting, quiet.events_held) == (1, 0, 0)
    assert quiet.participation.percent == 0


def test_the_trend_reads_each_quarter_of_the_last_twelve_months(national, regions):
    dashboard = national_dashboard(network=national)

    busy, quiet = dashboard.regions
    with translation.override("en"):
        trends = {str(trend.label): trend.values for trend in busy.trends}
        quiet_members = quiet.trends[0].values
    assert trends["Member entities at the quarter's end"] == [3, 3, 3, 3]
    assert trends["Applications received"] == [0, 0, 0, 1]
    assert trends["Events held"] == [0, 0, 0, 1]
    assert trends["Participation in events"] == [0, 0, 0, 33]
    # Piura's member joined in the last quarter but one.
    assert quiet_members == [0, 0, 1, 1]
    # The bars of one figure share a scale across the regions.
    members_bars = [trend.bars for trend in (busy.trends[0], quiet.trends[0])]
    assert [bar.height for bar in members_bars[0]] == [100, 100, 100, 100]
    assert [bar.height for bar in members_bars[1]] == [0, 0, 33, 33]


def test_months_before_keeps_the_day_or_takes_the_shorter_months_last():
    moment = datetime(2026, 5, 31, 15, 0, tzinfo=UTC)
    assert months_before(moment, 3) == datetime(2026, 2, 28, 15, 0, tzinfo=UTC)
    assert months_before(moment, 12) == datetime(2025, 5, 31, 15, 0, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 1) == datetime(2025, 12, 15, tzinfo=UTC)


def test_the_quarters_cover_the_last_twelve_months_without_gaps():
    now = timezone.now()
    quarters = last_quarters(now)
    assert len(quarters) == 4
    assert quarters[-1].ends_at == now
    assert all(a.ends_at == b.starts_at for a, b in pairwise(quarters))
    assert (now - quarters[0].starts_at).days in (365, 366)


def test_the_national_facilitator_reads_the_page_in_spanish(client, national, regions):
    facilitator = factories.FacilitatorFactory(network=national).user
    client.force_login(facilitator)

    page = client.get(url(national), secure=True)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Red Arequipa" in text and "Red Piura" in text
    assert "Regiones" in text  # the navigation names the page
    assert "Trimestre a trimestre" in text
    # Arequipa's participation is read across the regions, under the national network's scope.
    assert "(1/3)" in text


@pytest.mark.parametrize("who", ["regional facilitator", "member", "representative of a region"])
def test_nobody_but_the_national_facilitators_opens_it(client, national, regions, who):
    arequipa, _ = regions
    people = {
        "regional facilitator": lambda: factories.FacilitatorFactory(network=arequipa).user,
        "member": lambda: factories.MembershipFactory(network=national).representative,
        "representative of a region": lambda: (
            factories.MembershipFactory(network=arequipa).representative
        ),
    }
    client.force_login(people[who]())

    assert client.get(url(national), secure=True).status_code == 403


def test_the_site_admin_opens_it(client, national, regions):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url(national), secure=True).status_code == 200


def test_a_network_without_networks_under_it_has_no_dashboard_nor_link(client, regions):
    arequipa, _ = regions
    client.force_login(factories.FacilitatorFactory(network=arequipa).user)

    assert client.get(url(arequipa), secure=True).status_code == 404
    overview = client.get(
        reverse("facilitation:overview", kwargs={"network_slug": arequipa.slug}), secure=True
    )
    assert url(arequipa) not in overview.content.decode()


def test_the_national_overview_links_to_the_dashboard(client, national, regions):
    client.force_login(factories.FacilitatorFactory(network=national).user)
    overview = client.get(
        reverse("facilitation:overview", kwargs={"network_slug": national.slug}), secure=True
    )
    assert url(national) in overview.content.decode()


def fill(region, index):
    now = timezone.now()
    memberships = [
        factories.MembershipFactory(network=region, joined_at=now - timedelta(days=200))
        for _ in range(2)
    ]
    factories.MembershipFactory(network=region, status=MembershipStatus.APPLIED)
    factories.CommissionFactory(network=region, state=CommissionState.STALLED)
    event = event_in(region, starts_at=now - timedelta(days=10 + index))
    took_part(event, memberships[0])


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_costs_the_same_queries_for_two_regions_or_twenty(
    client, national, unscoped, django_assert_num_queries, count
):
    for index in range(count):
        fill(region_under(national, f"Red Región {index:02d}", f"region-{index:02d}"), index)
    facilitator = factories.FacilitatorFactory(network=national).user
    client.force_login(facilitator)
    client.get(url(national), secure=True)  # warms the session and the content types

    with all_networks(), django_assert_num_queries(QUERIES_OF_THE_PAGE):
        page = client.get(url(national), secure=True)

    assert page.status_code == 200
    assert page.content.decode().count('class="trend-bars"') == 6 * count


# The request (the network with the networks under it, and the user with their roles and
# the header's counts in one query) and the dashboard: the regions, then one grouped query
# each for memberships, platforms and kinds, commissions, events, the quarters'
# participation, representatives and the year's participation.
QUERIES_OF_THE_PAGE = 10


def test_the_page_is_in_english_for_an_english_reader(client, national, regions):
    client.force_login(factories.FacilitatorFactory(network=national).user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Quarter by quarter" in client.get(url(national), secure=True).content.decode()
