"""The national network's directory lists the member entities of its regional networks."""

import pytest
from django.urls import reverse

from members.models import MembershipStatus
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


def directory(client, network, **filters):
    url = reverse("members:directory", kwargs={"network_slug": network.slug})
    response = client.get(url, filters, secure=True)
    assert response.status_code == 200
    return response


def listed(response):
    return [membership.entity.name for membership in response.context["page"].object_list]


def test_the_national_directory_lists_every_regions_members_each_once_with_its_regions(
    client, national
):
    arequipa, piura, tumbes = (region(national, name) for name in ("Arequipa", "Piura", "Tumbes"))
    both = factories.EntityFactory(name="Brigada de dos regiones")
    factories.MembershipFactory(network=arequipa, entity=both)
    factories.MembershipFactory(network=piura, entity=both)
    factories.MembershipFactory(network=tumbes, entity__name="Manglares Vivos")
    factories.MembershipFactory(
        network=tumbes, entity__name="Solo solicitante", status=MembershipStatus.APPLIED
    )

    response = directory(client, national)

    assert listed(response) == ["Brigada de dos regiones", "Manglares Vivos"]
    assert response.context["page"].paginator.count == 2
    text = response.content.decode()
    assert "Arequipa" in text and "Piura" in text and "Tumbes" in text
    assert "Solo solicitante" not in text
    # Each entity's profile is at the address of a network it belongs to.
    assert reverse("members:entity", args=["tumbes", "manglares-vivos"]) in text


def test_the_national_directory_filters_by_region_and_by_sector(client, national):
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
    national_youth = factories.platform_of(national, Sector.YOUTH)

    assert listed(directory(client, national, region="piura")) == ["Jóvenes del Chira"]
    assert listed(directory(client, national, platform=national_youth.pk)) == [
        "Jóvenes del Chira",
        "Jóvenes del Misti",
    ]
    assert listed(directory(client, national, region="arequipa", platform=national_youth.pk)) == [
        "Jóvenes del Misti"
    ]


def test_an_unknown_region_is_ignored_with_a_notice(client, national):
    arequipa = region(national, "Arequipa")
    factories.MembershipFactory(network=arequipa, entity__name="Fundación Chachani")

    response = directory(client, national, region="lima-norte")

    assert listed(response) == ["Fundación Chachani"]
    assert response.context["invalid_filters"]


def test_a_sibling_regions_members_are_not_in_a_regional_directory(client, national):
    arequipa, piura = region(national, "Arequipa"), region(national, "Piura")
    factories.MembershipFactory(network=arequipa, entity__name="Fundación Chachani")
    factories.MembershipFactory(network=piura, entity__name="Jóvenes del Chira")

    response = directory(client, arequipa)

    assert listed(response) == ["Fundación Chachani"]
    assert "region" not in response.context["form"].fields


def test_the_national_directory_makes_the_same_queries_at_200_and_20000_entities(
    client, national, django_assert_max_num_queries, django_assert_num_queries
):
    regions = [region(national, f"Region{number:03d}") for number in range(100)]
    for network in regions[:2]:
        factories.bulk_members(network, 100)
    filters = {"q": "entidad", "region": regions[1].slug, "kind": "association", "page": 2}
    with django_assert_max_num_queries(12) as plain:
        directory(client, national)
    with django_assert_max_num_queries(12) as filtered:
        directory(client, national, **filters)

    for network in regions[2:]:
        factories.bulk_members(network, 200)
    with django_assert_num_queries(len(plain)):
        response = directory(client, national)
    with django_assert_num_queries(len(filtered)):
        directory(client, national, **filters)

    assert response.context["page"].paginator.count == 200 + 98 * 200
