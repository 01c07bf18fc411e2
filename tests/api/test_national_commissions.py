"""The national network's commissions through the API hold the members of its regions."""

import pytest

from commissions import services
from networks.models import NetworkKind
from platforms.models import Sector
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "unscoped")]


@pytest.fixture
def country():
    national = factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )
    regions = {
        name: factories.NetworkFactory(
            name=f"Red Soy Voluntari@ {name}", slug=name.lower(), region=name, parent=national
        )
        for name in ("Arequipa", "Piura")
    }
    return national, regions


def join(commission, network, name, sector=Sector.CIVIL_SOCIETY):
    membership = factories.MembershipFactory(
        network=network, entity__name=name, platform=factories.platform_of(network, sector)
    )
    services.join_commission(
        commission=commission, entity=membership.entity, by=membership.representative
    )
    return membership


def test_a_regional_entity_sits_in_a_national_commission_with_its_platform_and_region(
    client, country
):
    national, regions = country
    commission = factories.CommissionFactory(network=national, name="Congreso Nacional 2015")
    join(commission, regions["Arequipa"], "Asociación Chachani", Sector.PUBLIC)
    base = f"/api/v1/networks/nacional/commissions/{commission.pk}/"

    members = client.get(f"{base}members/").json()["results"]
    detail = client.get(base).json()
    listed = client.get("/api/v1/networks/nacional/commissions/").json()["results"]

    public = factories.platform_of(national, Sector.PUBLIC)
    assert members == [
        {
            "entity": {"slug": members[0]["entity"]["slug"], "name": "Asociación Chachani"},
            "platform": {
                "id": public.pk,
                "sector": "public",
                "name": public.name,
                "label": public.label,
            },
            "regional_networks": [
                {"slug": "arequipa", "name": "Red Soy Voluntari@ Arequipa", "region": "Arequipa"}
            ],
            "joined_on": members[0]["joined_on"],
        }
    ]
    assert detail["member_count"] == 1
    assert [platform["id"] for platform in detail["platforms"]] == [public.pk]
    assert [platform["id"] for platform in listed[0]["platforms"]] == [public.pk]


def test_members_of_two_regions_in_one_sector_give_the_commission_one_platform(client, country):
    national, regions = country
    commission = factories.CommissionFactory(network=national)
    join(commission, regions["Arequipa"], "Jóvenes del Misti")
    join(commission, regions["Piura"], "Jóvenes del Chira")
    join(commission, national, "Voluntariado Nacional", Sector.PUBLIC)

    detail = client.get(f"/api/v1/networks/nacional/commissions/{commission.pk}/").json()
    members = client.get(f"/api/v1/networks/nacional/commissions/{commission.pk}/members/").json()[
        "results"
    ]

    assert sorted(platform["sector"] for platform in detail["platforms"]) == [
        "civil_society",
        "public",
    ]
    assert detail["cross_sector"] is True
    assert {row["entity"]["name"]: row["regional_networks"] for row in members} == {
        "Jóvenes del Chira": [
            {"slug": "piura", "name": "Red Soy Voluntari@ Piura", "region": "Piura"}
        ],
        "Jóvenes del Misti": [
            {"slug": "arequipa", "name": "Red Soy Voluntari@ Arequipa", "region": "Arequipa"}
        ],
        "Voluntariado Nacional": [],
    }


def test_a_regional_commission_shows_nothing_of_a_sibling_regions_members(client, country):
    _national, regions = country
    commission = factories.CommissionFactory(network=regions["Arequipa"])
    piura = factories.MembershipFactory(network=regions["Piura"], entity__name="Jóvenes del Chira")
    # A row written past the service, which would refuse it: the read still hides it.
    factories.CommissionMemberFactory(commission=commission, entity=piura.entity)

    members = client.get(f"/api/v1/networks/arequipa/commissions/{commission.pk}/members/").json()

    assert members["count"] == 0
