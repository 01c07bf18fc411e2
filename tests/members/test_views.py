import pytest
from django.conf import settings
from django.urls import reverse

from commissions.models import CommissionState
from members.models import EntityKind, MembershipStatus
from members.views import DIRECTORY_PAGE_SIZE
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, url, data=None):
    return client.get(url, data or {}, secure=True)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def directory_url(network):
    return reverse("members:directory", kwargs={"network_slug": network.slug})


def profile_url(network, entity):
    return reverse(
        "members:entity", kwargs={"network_slug": network.slug, "entity_slug": entity.slug}
    )


def listed_names(response):
    return [membership.entity.name for membership in response.context["page"].object_list]


# Directory


def test_directory_lists_active_members_only(client, network):
    factories.MembershipFactory(network=network, entity__name="Activa")
    for status in (
        MembershipStatus.APPLIED,
        MembershipStatus.SUSPENDED,
        MembershipStatus.LEFT,
        MembershipStatus.REJECTED,
    ):
        factories.MembershipFactory(network=network, entity__name=f"No {status}", status=status)

    response = get(client, directory_url(network))

    assert listed_names(response) == ["Activa"]
    assert "No applied" not in response.text


def test_directory_leaves_out_members_of_other_networks(client, network, other_network):
    factories.MembershipFactory(network=network, entity__name="De Arequipa")
    factories.MembershipFactory(network=other_network, entity__name="Del Cusco")

    response = get(client, directory_url(network))

    assert listed_names(response) == ["De Arequipa"]
    assert "Del Cusco" not in response.text


def test_directory_searches_entity_names_ignoring_case(client, network):
    factories.MembershipFactory(network=network, entity__name="Voluntarios del Misti")
    factories.MembershipFactory(network=network, entity__name="Jóvenes Solidarios")

    response = get(client, directory_url(network), {"q": "misti"})

    assert listed_names(response) == ["Voluntarios del Misti"]
    assert 'value="misti"' in response.text


def test_directory_filters_by_platform_kind_and_priority_area(client, network):
    youth = factories.platform_of(network, Sector.YOUTH)
    factories.MembershipFactory(
        network=network,
        entity__name="Jóvenes Ambientalistas",
        entity__kind=EntityKind.YOUTH_GROUP,
        entity__areas=["environment", "youth"],
        platform=youth,
    )
    factories.MembershipFactory(
        network=network,
        entity__name="Jóvenes Lectores",
        entity__kind=EntityKind.YOUTH_GROUP,
        entity__areas=["education"],
        platform=youth,
    )
    factories.MembershipFactory(
        network=network,
        entity__name="ONG Verde",
        entity__kind=EntityKind.NGO,
        entity__areas=["environment"],
    )
    url = directory_url(network)

    assert listed_names(get(client, url, {"platform": youth.pk})) == [
        "Jóvenes Ambientalistas",
        "Jóvenes Lectores",
    ]
    assert listed_names(get(client, url, {"kind": "ngo"})) == ["ONG Verde"]
    assert listed_names(get(client, url, {"area": "environment"})) == [
        "Jóvenes Ambientalistas",
        "ONG Verde",
    ]
    assert listed_names(
        get(client, url, {"platform": youth.pk, "area": "environment", "q": "jóvenes"})
    ) == ["Jóvenes Ambientalistas"]


def test_directory_shows_kind_platform_city_and_areas(client, network):
    factories.MembershipFactory(
        network=network,
        entity__name="Brigada Universitaria",
        entity__kind=EntityKind.UNIVERSITY,
        entity__city="Camaná",
        entity__areas=["health"],
        platform=factories.platform_of(network, Sector.UNIVERSITY),
    )

    body = get(client, directory_url(network)).text

    for text in ("Brigada Universitaria", "Universidad", "Universidades", "Camaná", "Salud"):
        assert text in body


def test_directory_paginates_and_keeps_the_filters_in_page_links(client, network):
    factories.bulk_members(network, DIRECTORY_PAGE_SIZE * 2 + 5)
    url = directory_url(network)

    first = get(client, url, {"q": "entidad"})

    assert first.context["page"].paginator.num_pages == 3
    assert len(first.context["page"].object_list) == DIRECTORY_PAGE_SIZE
    assert "q=entidad&amp;page=2" in first.text
    second = get(client, url, {"q": "entidad", "page": 2})
    assert second.context["page"].number == 2
    assert set(listed_names(second)).isdisjoint(listed_names(first))
    last = get(client, url, {"q": "entidad", "page": 3})
    assert len(last.context["page"].object_list) == 5
    assert "page=2" in last.text


@pytest.mark.parametrize(
    "bad_input",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999"},
        {"platform": "not-a-number"},
        {"platform": "999999"},
        {"kind": "spaceship"},
        {"area": "astrology"},
        {"q": "x" * 500},
        {"q": "%' OR 1=1 --"},
        {"platform": ["1", "2"]},
    ],
)
def test_directory_survives_bad_input(client, network, bad_input):
    factories.MembershipFactory(network=network, entity__name="Sigue Visible")

    response = get(client, directory_url(network), bad_input)

    assert response.status_code == 200
    assert response.context["page"].number >= 1


def test_directory_explains_an_invalid_filter_and_ignores_it(client, network):
    factories.MembershipFactory(network=network, entity__name="Sigue Visible")

    response = get(client, directory_url(network), {"kind": "spaceship"})

    assert listed_names(response) == ["Sigue Visible"]
    assert "no eran válidos" in response.text
    assert 'role="alert"' in response.text


def test_directory_refuses_a_platform_of_another_network(client, network, other_network):
    factories.MembershipFactory(network=network, entity__name="De Arequipa")
    foreign = factories.platform_of(other_network)

    response = get(client, directory_url(network), {"platform": foreign.pk})

    assert listed_names(response) == ["De Arequipa"]
    assert response.context["form"].errors


def test_directory_out_of_range_page_falls_back_to_the_last_page(client, network):
    factories.bulk_members(network, DIRECTORY_PAGE_SIZE + 1)

    response = get(client, directory_url(network), {"page": 50})

    assert response.context["page"].number == 2


def test_directory_says_so_when_nothing_matches(client, network):
    response = get(client, directory_url(network), {"q": "nadie se llama así"})

    assert "Ninguna entidad miembro coincide con esta búsqueda." in response.text


def test_directory_speaks_spanish_by_default_and_english_with_the_cookie(client, network):
    url = directory_url(network)

    assert "Directorio de miembros" in get(client, url).text
    assert "Member directory" in get(in_english(client), url).text


def test_directory_has_labelled_inputs(client, network):
    body = get(client, directory_url(network)).text

    for field in ("q", "platform", "kind", "area"):
        assert f'<label for="id_{field}">' in body


def test_directory_shows_no_personal_data_of_representatives(client, network):
    membership = factories.MembershipFactory(
        network=network,
        representative__last_name="Quispe Mamani",
        alternate__last_name="Huamán Ccori",
    )

    body = get(client, directory_url(network)).text

    for person in (membership.representative, membership.alternate):
        assert person.email not in body
        assert person.phone not in body
        assert person.last_name not in body


def test_directory_makes_the_same_few_queries_with_100_and_20000_entities(
    client, network, django_assert_max_num_queries, django_assert_num_queries
):
    factories.bulk_members(network, 100)
    url = directory_url(network)
    filters = {"q": "entidad", "kind": "association", "area": "education", "page": 2}
    with django_assert_max_num_queries(10) as plain:
        get(client, url)
    with django_assert_max_num_queries(10) as filtered:
        get(client, url, filters)

    factories.bulk_members(network, 19_900, start=100)
    with django_assert_num_queries(len(plain)):
        response = get(client, url)
    with django_assert_num_queries(len(filtered)):
        get(client, url, filters)

    assert response.context["page"].paginator.count == 20_000


# Entity profile


def test_entity_profile_shows_public_facts(client, network):
    membership = factories.MembershipFactory(
        network=network,
        entity__name="Asociación Misti Verde",
        entity__kind=EntityKind.ASSOCIATION,
        entity__legally_registered=True,
        entity__website="https://mistiverde.example.org",
        entity__description="Reforestamos las laderas del Misti.",
        entity__city="Arequipa",
        entity__areas=["environment"],
    )

    response = get(client, profile_url(network, membership.entity))

    for text in (
        "Asociación Misti Verde",
        "Reforestamos las laderas del Misti.",
        "https://mistiverde.example.org",
        "Inscrita legalmente",
        "Medio ambiente",
        "Sociedad civil",
    ):
        assert text in response.text


def test_entity_profile_welcomes_an_informal_group(client, network):
    membership = factories.MembershipFactory(
        network=network, entity__kind=EntityKind.INFORMAL_GROUP, entity__legally_registered=False
    )

    response = get(client, profile_url(network, membership.entity))

    assert "bienvenido" in response.text


def test_entity_profile_lists_its_commissions_in_this_network_only(client, network, other_network):
    membership = factories.MembershipFactory(network=network)
    factories.MembershipFactory(network=other_network, entity=membership.entity)
    here = factories.CommissionFactory(network=network, name="Comisión de Salud Comunitaria")
    there = factories.CommissionFactory(network=other_network, name="Comisión del Cusco")
    factories.CommissionMemberFactory(commission=here, entity=membership.entity)
    factories.CommissionMemberFactory(commission=there, entity=membership.entity)

    body = get(client, profile_url(network, membership.entity)).text

    assert "Comisión de Salud Comunitaria" in body
    assert "Comisión del Cusco" not in body


@pytest.mark.parametrize(
    "status",
    [
        MembershipStatus.APPLIED,
        MembershipStatus.SUSPENDED,
        MembershipStatus.LEFT,
        MembershipStatus.REJECTED,
    ],
)
def test_entity_profile_is_404_unless_the_membership_is_active(client, network, status):
    membership = factories.MembershipFactory(network=network, status=status)

    response = get(client, profile_url(network, membership.entity))

    assert response.status_code == 404


def test_entity_of_another_network_is_404_under_this_network(client, network, other_network):
    membership = factories.MembershipFactory(network=other_network, entity__name="Del Cusco")

    response = get(client, profile_url(network, membership.entity))

    assert response.status_code == 404
    assert "Del Cusco" not in response.text
    assert get(client, profile_url(other_network, membership.entity)).status_code == 200


def test_unknown_entity_is_404(client, network):
    response = get(client, reverse("members:entity", args=[network.slug, "no-existe"]))

    assert response.status_code == 404


def test_entity_profile_in_english(client, network):
    membership = factories.MembershipFactory(network=network, entity__legally_registered=True)

    body = get(in_english(client), profile_url(network, membership.entity)).text

    assert "Legally registered" in body
    assert "Priority areas" in body


def test_entity_profile_shows_no_personal_data_of_representatives(client, network):
    # Names of their own: a random one can be a word of the page ("Español").
    membership = factories.MembershipFactory(
        network=network,
        representative__first_name="Rosalinda",
        representative__last_name="Quispe Mamani",
        alternate__first_name="Teodoro",
        alternate__last_name="Huamán Ccori",
    )

    body = get(client, profile_url(network, membership.entity)).text

    for person in (membership.representative, membership.alternate):
        assert person.email not in body
        assert person.phone not in body
        assert person.last_name not in body
        assert person.first_name not in body


def test_entity_profile_query_count_does_not_grow_with_the_network(
    client, network, django_assert_max_num_queries, django_assert_num_queries
):
    membership = factories.MembershipFactory(network=network, entity__areas=["education"])
    commission = factories.CommissionFactory(network=network)
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    factories.bulk_members(network, 100)
    url = profile_url(network, membership.entity)
    with django_assert_max_num_queries(6) as small:
        get(client, url)

    factories.bulk_members(network, 2_000, start=100)
    more = factories.CommissionFactory.create_batch(5, network=network)
    for other in more:
        factories.CommissionMemberFactory(commission=other, entity=membership.entity)
    with django_assert_num_queries(len(small)):
        response = get(client, url)

    assert len(response.context["profile"].commissions) == 6


def test_commission_closed_shows_as_archived_on_the_profile(client, network):
    membership = factories.MembershipFactory(network=network)
    closed = factories.CommissionFactory(network=network, state=CommissionState.CLOSED)
    factories.CommissionMemberFactory(commission=closed, entity=membership.entity)

    body = get(client, profile_url(network, membership.entity)).text

    assert "Archivada" in body
