import pytest
from django.conf import settings
from django.urls import reverse

from commissions.models import CommissionState
from core.actors import SYSTEM
from facilitation.selectors.public import (
    COUNTRIES_PER_PAGE,
    MEMBERS_SHOWN_PER_PLATFORM,
    NETWORKS_SHOWN_UNDER_A_COUNTRY,
    NETWORKS_SHOWN_UNDER_A_REGION,
)
from members.models import MembershipStatus
from members.services import apply_for_membership, change_membership_status
from networks.models import NetworkKind
from networks.services import publish_charter
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, url, **extra):
    return client.get(url, secure=True, **extra)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def national(db):
    return factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )


# Home


def test_home_lists_the_national_network_first_with_its_counts(client, national, network):
    network.parent = national
    network.save()
    factories.MembershipFactory.create_batch(3, network=network)
    factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    factories.MembershipFactory(network=national)
    factories.CommissionFactory.create_batch(2, network=network)
    factories.CommissionFactory(network=network, state=CommissionState.CLOSED)

    response = get(client, reverse("home"))

    networks = response.context["networks"]
    assert [n.slug for n in networks] == ["nacional", "arequipa"]
    arequipa = networks[1]
    assert (arequipa.active_member_count, arequipa.open_commission_count) == (3, 2)
    assert networks[0].active_member_count == 1
    # The national network reaches its own member and the regional network's three,
    # and the regional network's open commissions.
    assert networks[0].entities_in_reach == 4
    assert networks[0].commissions_in_reach == 2


def test_home_counts_an_entity_in_two_regional_networks_once_for_the_nation(
    client, national, network, other_network
):
    for regional in (network, other_network):
        regional.parent = national
        regional.save()
    entity = factories.EntityFactory()
    factories.MembershipFactory(network=network, entity=entity)
    factories.MembershipFactory(network=other_network, entity=entity)

    response = get(client, reverse("home"))

    assert response.context["networks"][0].entities_in_reach == 1


def home_counts(client, slug):
    networks = {n.slug: n for n in get(client, reverse("home")).context["networks"]}
    network = networks[slug]
    return (
        network.active_member_count,
        network.entities_in_reach,
        network.commissions_in_reach,
    )


def test_home_counts_follow_a_membership_through_application_approval_and_leaving(
    client, national, network
):
    person = factories.UserFactory()
    network.parent = national
    network.save()
    factories.MembershipFactory(network=national)
    factories.CommissionFactory(network=national)
    factories.CommissionFactory(network=network)
    entity = factories.EntityFactory(created_by=person)

    membership = apply_for_membership(
        network=network, entity=entity, platform=factories.platform_of(network), by=person
    )
    assert membership.status == MembershipStatus.APPLIED
    assert home_counts(client, "arequipa") == (0, 0, 1)
    assert home_counts(client, "nacional") == (1, 1, 2)

    change_membership_status(membership=membership, status=MembershipStatus.ACTIVE, by=SYSTEM)
    assert home_counts(client, "arequipa") == (1, 1, 1)
    # The national network counts its own member and the region's new one.
    assert home_counts(client, "nacional") == (1, 2, 2)

    change_membership_status(
        membership=membership, status=MembershipStatus.LEFT, by=SYSTEM, reason="Cerró."
    )
    assert home_counts(client, "arequipa") == (0, 0, 1)
    assert home_counts(client, "nacional") == (1, 1, 2)


def test_home_counts_reach_every_level_under_a_network(client, national, network):
    network.parent = national
    network.save()
    province = factories.NetworkFactory(slug="caylloma", parent=network, region="Arequipa")
    factories.MembershipFactory(network=province)
    factories.CommissionFactory(network=province)
    factories.CommissionFactory(network=province, state=CommissionState.CLOSED)

    assert home_counts(client, "caylloma") == (1, 1, 1)
    assert home_counts(client, "arequipa") == (0, 1, 1)
    assert home_counts(client, "nacional") == (0, 1, 1)


def test_home_speaks_spanish_by_default(client, network):
    response = get(client, reverse("home"))

    assert response["Content-Language"] == "es"
    assert "Redes de voluntariado" in response.text
    assert '<html lang="es">' in response.text


def test_home_speaks_english_with_the_language_cookie(client, network):
    response = get(in_english(client), reverse("home"))

    assert "Volunteering networks" in response.text
    assert '<html lang="en">' in response.text


def test_language_switch_posts_to_set_language_and_keeps_the_reader_on_the_page(client, network):
    url = reverse("networks:detail", kwargs={"network_slug": network.slug})
    page = get(client, url)
    assert f'action="{reverse("set_language")}"' in page.text

    response = client.post(reverse("set_language"), {"language": "en", "next": url}, secure=True)

    assert response.status_code == 302
    assert response["Location"] == url
    assert "Directory" in get(client, url).text


def test_home_makes_the_same_queries_with_ten_times_the_networks_and_members(
    client, national, network, django_assert_max_num_queries, django_assert_num_queries
):
    network.parent = national
    network.save()
    factories.bulk_members(network, 40)
    factories.CommissionFactory(network=network)
    get(client, reverse("home"))  # counts the networks once and keeps their rows
    with django_assert_max_num_queries(8) as small:
        get(client, reverse("home"))
    queries = len(small)

    for _ in range(9):
        regional = factories.NetworkFactory(parent=national)
        factories.bulk_members(regional, 400)
        factories.CommissionFactory.create_batch(2, network=regional)
    get(client, reverse("home"))
    with django_assert_num_queries(queries) as large:
        response = get(client, reverse("home"))

    assert len(response.context["networks"]) == 11
    # What the page reads is a row per network, never the memberships or commissions.
    read = " ".join(query["sql"] for query in large.captured_queries)
    assert "members_membership" not in read and "commissions_commission" not in read


def test_home_shows_the_first_regional_networks_of_a_country_and_links_to_the_rest(
    client, national
):
    for number in range(NETWORKS_SHOWN_UNDER_A_COUNTRY + 3):
        factories.NetworkFactory(parent=national, name=f"Red {number:02d}", region=f"R{number:02d}")

    response = get(client, reverse("home"))

    (group,) = response.context["groups"]
    assert [n.region for n in group.under] == [
        f"R{number:02d}" for number in range(NETWORKS_SHOWN_UNDER_A_COUNTRY)
    ]
    assert f"Ver las {NETWORKS_SHOWN_UNDER_A_COUNTRY + 3} redes que dependen de" in response.text
    assert f'href="{national.get_absolute_url()}#children-heading"' in response.text


def test_home_shows_a_few_local_networks_under_a_region_and_counts_the_others(
    client, national, network
):
    network.parent = national
    network.save()
    for number in range(NETWORKS_SHOWN_UNDER_A_REGION + 2):
        factories.NetworkFactory(parent=network, name=f"Provincia {number}", region="Arequipa")

    response = get(client, reverse("home"))

    (group,) = response.context["groups"]
    assert group.under[0].slug == "arequipa"
    assert len(group.under) == 1 + NETWORKS_SHOWN_UNDER_A_REGION
    assert group.under[0].more_under == 2
    assert "2 redes más dependen de ella" in response.text


def test_home_pages_its_countries(client, db):
    for number in range(COUNTRIES_PER_PAGE + 1):
        factories.NetworkFactory(
            name=f"Red Nacional {number:02d}",
            slug=f"pais-{number:02d}",
            kind=NetworkKind.NATIONAL,
            region="",
        )

    first = get(client, reverse("home"))
    second = get(client, reverse("home"), data={"page": 2})
    beyond = get(client, reverse("home"), data={"page": "x"})

    assert len(first.context["groups"]) == COUNTRIES_PER_PAGE
    assert [g.root.slug for g in second.context["groups"]] == [f"pais-{COUNTRIES_PER_PAGE:02d}"]
    assert 'rel="next"' in first.text
    assert beyond.status_code == 200


# Network page


@pytest.fixture
def network_with_charter(network):
    publish_charter(
        network=network,
        mission="Fortalecer el voluntariado en Arequipa.",
        vision="Un espacio plural de diálogo.",
        principles="Funcional, horizontal, inclusiva.",
        code_of_ethics="Actuamos con respeto.",
        by=SYSTEM,
    )
    return network


def test_network_page_shows_the_current_charter(client, network_with_charter):
    publish_charter(
        network=network_with_charter,
        mission="Misión renovada por la asamblea.",
        vision="Visión nueva.",
        principles="Participativa y diversa.",
        code_of_ethics="Código.",
        by=SYSTEM,
    )
    url = reverse("networks:detail", kwargs={"network_slug": network_with_charter.slug})

    response = get(client, url)

    assert "Misión renovada por la asamblea." in response.text
    assert "Participativa y diversa." in response.text
    assert "Fortalecer el voluntariado en Arequipa." not in response.text
    assert "Misión, visión y principios" in response.text


def test_network_page_lists_active_members_under_their_platform(client, network):
    active = factories.MembershipFactory(network=network, entity__name="Jóvenes por Arequipa")
    factories.MembershipFactory(
        network=network, entity__name="Grupo en espera", status=MembershipStatus.APPLIED
    )
    url = reverse("networks:detail", kwargs={"network_slug": network.slug})

    response = get(client, url)

    profile_url = reverse(
        "members:entity", kwargs={"network_slug": network.slug, "entity_slug": active.entity.slug}
    )
    assert f'href="{profile_url}"' in response.text
    assert "Grupo en espera" not in response.text
    summaries = {s.platform.sector: s for s in response.context["page"].platforms}
    assert len(summaries) == len(Sector.values)
    assert summaries[Sector.CIVIL_SOCIETY].member_count == 1


def test_network_page_shows_a_few_members_of_a_big_platform_and_links_to_the_rest(client, network):
    factories.bulk_members(network, 6 * (MEMBERS_SHOWN_PER_PLATFORM + 2))
    url = reverse("networks:detail", kwargs={"network_slug": network.slug})

    response = get(client, url)

    for summary in response.context["page"].platforms:
        assert len(summary.members) == MEMBERS_SHOWN_PER_PLATFORM
        assert summary.member_count == MEMBERS_SHOWN_PER_PLATFORM + 2
        directory = reverse("members:directory", kwargs={"network_slug": network.slug})
        assert f"{directory}?platform={summary.platform.pk}" in response.text


def test_network_page_lists_open_commissions_and_archives_closed_ones(client, network):
    factories.CommissionFactory(network=network, name="Comisión de Juventud")
    factories.CommissionFactory(
        network=network, name="Comisión del Día del Voluntariado", state=CommissionState.CLOSED
    )
    url = reverse("networks:detail", kwargs={"network_slug": network.slug})

    response = get(client, url)

    page = response.context["page"]
    assert [c.name for c in page.open_commissions] == ["Comisión de Juventud"]
    assert [c.name for c in page.archived_commissions] == ["Comisión del Día del Voluntariado"]
    assert "Comisiones archivadas" in response.text


def test_network_page_links_parent_and_regional_networks(client, national, network):
    network.parent = national
    network.save()

    national_page = get(client, reverse("networks:detail", kwargs={"network_slug": "nacional"}))
    regional_page = get(client, reverse("networks:detail", kwargs={"network_slug": "arequipa"}))

    assert network.get_absolute_url() in national_page.text
    assert "Redes regionales" in national_page.text
    assert national.get_absolute_url() in regional_page.text


def test_network_page_in_english(client, network_with_charter):
    url = reverse("networks:detail", kwargs={"network_slug": network_with_charter.slug})

    response = get(in_english(client), url)

    assert "Mission, vision and principles" in response.text
    assert "Civil society" in response.text


def test_unknown_network_is_404(client, db):
    response = get(client, reverse("networks:detail", kwargs={"network_slug": "atlantida"}))

    assert response.status_code == 404


def test_network_page_shows_no_personal_data_of_representatives(client, network):
    membership = factories.MembershipFactory(network=network)
    url = reverse("networks:detail", kwargs={"network_slug": network.slug})

    body = get(client, url).text

    for person in (membership.representative, membership.alternate):
        assert person.email not in body
        assert person.phone not in body
        assert person.last_name not in body


def test_network_page_makes_the_same_few_queries_with_100_and_20000_entities(
    client, network_with_charter, django_assert_max_num_queries, django_assert_num_queries
):
    network = network_with_charter
    factories.bulk_members(network, 100)
    factories.CommissionFactory.create_batch(3, network=network)
    url = reverse("networks:detail", kwargs={"network_slug": network.slug})
    # Eleven at most: the page cache's version, and the interlocutor's terms among them.
    with django_assert_max_num_queries(11) as small:
        assert get(client, url).status_code == 200

    factories.bulk_members(network, 19_900, start=100)
    with django_assert_num_queries(len(small)):
        response = get(client, url)

    assert response.context["page"].member_count == 20_000
