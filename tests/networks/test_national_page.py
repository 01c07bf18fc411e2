"""The national network's public page counts and lists what its regional networks hold."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from commissions.models import CommissionState
from facilitation.selectors.public import ARCHIVED_COMMISSIONS_SHOWN, OPEN_COMMISSIONS_SHOWN
from networks.models import NetworkKind
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    return factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )


def region(national, name):
    return factories.NetworkFactory(
        name=f"Red Soy Voluntari@ {name}", slug=name.lower(), region=name, parent=national
    )


def page_of(client, network):
    response = client.get(
        reverse("networks:detail", kwargs={"network_slug": network.slug}), secure=True
    )
    assert response.status_code == 200
    return response


def test_the_national_page_counts_each_regional_member_once_under_its_sector(client, national):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    both = factories.EntityFactory(name="Brigada de dos regiones")
    factories.MembershipFactory(network=arequipa, entity=both)
    factories.MembershipFactory(network=piura, entity=both)
    factories.MembershipFactory(
        network=piura,
        entity__name="Jóvenes del Chira",
        platform=factories.platform_of(piura, Sector.YOUTH),
    )

    page = page_of(client, national).context["page"]

    assert page.member_count == 2
    by_sector = {summary.platform.sector: summary for summary in page.platforms}
    assert by_sector[Sector.YOUTH].member_count == 1
    assert [m.entity.name for m in by_sector[Sector.YOUTH].members] == ["Jóvenes del Chira"]
    assert by_sector[Sector.CIVIL_SOCIETY].member_count == 1


def test_the_national_page_lists_the_regions_commissions_with_their_region_and_counts(
    client, national
):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    environment = factories.CommissionFactory(network=arequipa, name="Medio ambiente")
    factories.CommissionMemberFactory(
        commission=environment, entity=factories.MembershipFactory(network=arequipa).entity
    )
    factories.CommissionFactory(network=piura, name="Políticas públicas")
    factories.CommissionFactory(network=national, name="Congreso nacional")
    factories.CommissionFactory(network=piura, name="Cerrada", state=CommissionState.CLOSED)

    response = page_of(client, national)

    page = response.context["page"]
    assert [c.name for c in page.open_commissions] == [
        "Congreso nacional",
        "Medio ambiente",
        "Políticas públicas",
    ]
    assert [c.member_count for c in page.open_commissions] == [0, 1, 0]
    assert [c.name for c in page.archived_commissions] == ["Cerrada"]
    text = response.content.decode()
    assert reverse("commissions:detail", args=["arequipa", environment.pk]) in text
    children = {child.slug: child for child in page.children}
    assert (
        children["arequipa"].active_member_count,
        children["arequipa"].open_commission_count,
    ) == (1, 1)
    assert (children["piura"].active_member_count, children["piura"].open_commission_count) == (
        0,
        1,
    )


def test_the_page_lists_the_first_open_commissions_and_the_latest_closed_and_says_there_are_more(
    client, national
):
    arequipa = region(national, "Arequipa")
    shown, archived = OPEN_COMMISSIONS_SHOWN, ARCHIVED_COMMISSIONS_SHOWN
    factories.CommissionFactory(network=national, name="Zona nacional")
    for number in range(shown + 5):
        factories.CommissionFactory(network=arequipa, name=f"Comisión {number:02}")
    for number in range(archived + 5):
        factories.CommissionFactory(
            network=arequipa,
            name=f"Cerrada {number:02}",
            state=CommissionState.CLOSED,
            closed_on=date(2025, 1, 1) + timedelta(days=number),
        )

    response = page_of(client, national)

    page = response.context["page"]
    # The network's own first, then the regions' by name.
    assert [c.name for c in page.open_commissions] == ["Zona nacional"] + [
        f"Comisión {number:02}" for number in range(shown - 1)
    ]
    # The latest closed first.
    assert [c.name for c in page.archived_commissions] == [
        f"Cerrada {number:02}" for number in reversed(range(5, archived + 5))
    ]
    assert page.more_open and page.more_archived
    text = response.content.decode()
    assert "Hay más comisiones abiertas de las que lista esta página" in text
    assert reverse("commissions:list", args=[national.slug]) in text


def test_a_page_with_few_commissions_does_not_say_there_are_more(client, national):
    factories.CommissionFactory(network=national, name="Congreso nacional")

    page = page_of(client, national).context["page"]

    assert not page.more_open and not page.more_archived


def test_a_regional_page_shows_nothing_of_its_sibling(client, national):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    factories.MembershipFactory(network=piura, entity__name="Jóvenes del Chira")
    factories.CommissionFactory(network=piura, name="Políticas públicas")

    text = page_of(client, arequipa).content.decode()

    assert "Jóvenes del Chira" not in text and "Políticas públicas" not in text


def test_the_national_page_makes_the_same_queries_with_more_regions_and_members(
    client, national, django_assert_max_num_queries, django_assert_num_queries
):
    regions = [region(national, name) for name in ("Arequipa", "Piura")]
    factories.bulk_members(regions[0], 30)
    factories.CommissionFactory(network=regions[1])
    with django_assert_max_num_queries(25) as small:
        page_of(client, national)

    regions += [region(national, f"Region{number}") for number in range(5)]
    for network in regions[1:]:
        factories.bulk_members(network, 40)
        factories.CommissionFactory(network=network)
    with django_assert_num_queries(len(small)):
        response = page_of(client, national)

    assert response.context["page"].member_count == 30 + 6 * 40
