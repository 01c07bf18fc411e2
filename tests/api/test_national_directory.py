"""The national network's directory through the API lists the member entities of its regions."""

import pytest

from members.models import MembershipStatus
from networks.models import NetworkKind
from platforms.models import Sector
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "unscoped")]

URL = "/api/v1/networks/{}/entities/"


@pytest.fixture
def national():
    return factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )


def region(national, name):
    return factories.NetworkFactory(
        name=f"Red Soy Voluntari@ {name}", slug=name.lower(), region=name, parent=national
    )


def entries(client, network, **filters):
    response = client.get(URL.format(network.slug), filters)
    assert response.status_code == 200, response.content
    return response.json()


def test_each_regions_member_is_listed_once_with_its_regional_networks(client, national):
    arequipa, piura, tumbes = (region(national, name) for name in ("Arequipa", "Piura", "Tumbes"))
    both = factories.EntityFactory(name="Brigada de dos regiones")
    factories.MembershipFactory(network=arequipa, entity=both)
    factories.MembershipFactory(network=piura, entity=both)
    factories.MembershipFactory(network=tumbes, entity__name="Manglares Vivos")
    factories.MembershipFactory(network=national, entity__name="Voluntariado Nacional")
    factories.MembershipFactory(
        network=tumbes, entity__name="Solo solicitante", status=MembershipStatus.APPLIED
    )

    body = entries(client, national)

    assert body["count"] == 3
    assert {
        row["name"]: [place["slug"] for place in row["regional_networks"]]
        for row in body["results"]
    } == {
        "Brigada de dos regiones": ["arequipa", "piura"],
        "Manglares Vivos": ["tumbes"],
        "Voluntariado Nacional": [],
    }
    assert body["results"][0]["regional_networks"][0] == {
        "slug": "arequipa",
        "name": "Red Soy Voluntari@ Arequipa",
        "region": "Arequipa",
    }


def test_the_national_directory_filters_by_region_and_sector_like_its_page(client, national):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    factories.MembershipFactory(
        network=arequipa,
        entity__name="Jóvenes del Misti",
        platform=factories.platform_of(arequipa, Sector.YOUTH),
    )
    factories.MembershipFactory(network=arequipa, entity__name="Fundación Chachani")
    factories.MembershipFactory(
        network=piura,
        entity__name="Jóvenes del Chira",
        platform=factories.platform_of(piura, Sector.YOUTH),
    )
    youth = factories.platform_of(national, Sector.YOUTH)

    def names(**filters):
        return [row["name"] for row in entries(client, national, **filters)["results"]]

    assert names(region="piura") == ["Jóvenes del Chira"]
    assert names(platform=youth.pk) == ["Jóvenes del Chira", "Jóvenes del Misti"]
    assert names(region="arequipa", platform=youth.pk) == ["Jóvenes del Misti"]


def test_a_region_that_is_not_under_the_network_is_a_400_that_names_the_filter(client, national):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    factories.MembershipFactory(network=piura, entity__name="Jóvenes del Chira")
    elsewhere = factories.NetworkFactory(slug="cusco", region="Cusco")

    for network, slug in (
        (national, "lima-norte"),
        (national, elsewhere.slug),
        (arequipa, "piura"),
    ):
        response = client.get(URL.format(network.slug), {"region": slug})
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"region"}


def test_a_regional_directory_holds_nothing_of_a_sibling_region(client, national):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    factories.MembershipFactory(network=arequipa, entity__name="Fundación Chachani")
    factories.MembershipFactory(network=piura, entity__name="Jóvenes del Chira")

    body = entries(client, arequipa)

    assert [(row["name"], row["regional_networks"]) for row in body["results"]] == [
        ("Fundación Chachani", [])
    ]


def test_the_national_directory_makes_the_same_queries_at_1x_and_10x_data(
    client, national, django_assert_max_num_queries, django_assert_num_queries
):
    regions = [region(national, f"Region{number:02d}") for number in range(10)]
    factories.bulk_members(regions[0], 30)
    factories.bulk_members(regions[1], 30)
    filters = {"q": "entidad", "region": regions[1].slug, "kind": "association", "page_size": 5}
    with django_assert_max_num_queries(8) as plain:
        entries(client, national, page_size=100)
    with django_assert_max_num_queries(10) as filtered:
        entries(client, national, **filters)

    for network in regions[2:]:
        factories.bulk_members(network, 67)
    with django_assert_num_queries(len(plain)):
        body = entries(client, national, page_size=100)
    with django_assert_num_queries(len(filtered)):
        entries(client, national, **filters)

    assert body["count"] == 60 + 8 * 67 == 596
    assert len(body["results"]) == 100
    assert all(len(row["regional_networks"]) == 1 for row in body["results"])
