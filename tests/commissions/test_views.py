import pytest
from django.conf import settings
from django.urls import reverse

from commissions.models import CommissionKind, CommissionMember, CommissionState
from members.models import MembershipStatus
from networks.scoping import network_scope
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, url):
    return client.get(url, secure=True)


def commission_url(network, commission):
    return reverse(
        "commissions:detail",
        kwargs={"network_slug": network.slug, "commission_id": commission.pk},
    )


def seat(network, commission, *, name, sector=Sector.CIVIL_SOCIETY, status=MembershipStatus.ACTIVE):
    membership = factories.MembershipFactory(
        network=network,
        entity__name=name,
        platform=factories.platform_of(network, sector),
        status=status,
    )
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    return membership


def test_commission_page_shows_purpose_state_and_members(client, network):
    commission = factories.CommissionFactory(
        network=network,
        name="Comisión de Medio Ambiente",
        kind=CommissionKind.THEMATIC,
        purpose="Organizar la III Feria Ambiental de Arequipa.",
    )
    seat(network, commission, name="Ecología Joven", sector=Sector.YOUTH)

    response = get(client, commission_url(network, commission))

    for text in (
        "Comisión de Medio Ambiente",
        "Organizar la III Feria Ambiental de Arequipa.",
        "Temática",
        "Activa",
        "Ecología Joven",
        "Juventud",
    ):
        assert text in response.text


def test_commission_with_members_from_several_platforms_is_cross_sector(client, network):
    commission = factories.CommissionFactory(network=network)
    seat(network, commission, name="Municipalidad", sector=Sector.PUBLIC)
    seat(network, commission, name="Universidad San Agustín", sector=Sector.UNIVERSITY)

    response = get(client, commission_url(network, commission))

    assert response.context["page"].is_cross_sector
    assert "Intersectorial" in response.text


def test_commission_with_members_from_one_platform_is_not_called_cross_sector(client, network):
    commission = factories.CommissionFactory(network=network)
    seat(network, commission, name="Uno", sector=Sector.YOUTH)
    seat(network, commission, name="Dos", sector=Sector.YOUTH)

    response = get(client, commission_url(network, commission))

    assert not response.context["page"].is_cross_sector
    assert "Intersectorial" not in response.text


def test_commission_page_leaves_out_members_who_left_it_or_the_network(client, network):
    commission = factories.CommissionFactory(network=network)
    seat(network, commission, name="Presente")
    seat(network, commission, name="Suspendida", status=MembershipStatus.SUSPENDED)
    gone = seat(network, commission, name="Se fue de la comisión")
    with network_scope(network):
        CommissionMember.objects.filter(entity=gone.entity).update(left_on="2024-01-01")

    response = get(client, commission_url(network, commission))

    assert [s.member.entity.name for s in response.context["page"].seats] == ["Presente"]
    assert "Suspendida" not in response.text


def test_closed_commission_shows_as_archived(client, network):
    commission = factories.CommissionFactory(network=network, state=CommissionState.CLOSED)

    response = get(client, commission_url(network, commission))

    assert response.status_code == 200
    assert "Archivada" in response.text


def test_commission_of_another_network_is_404(client, network, other_network):
    foreign = factories.CommissionFactory(network=other_network, name="Comisión del Cusco")

    response = get(client, commission_url(network, foreign))

    assert response.status_code == 404
    assert "Comisión del Cusco" not in response.text
    assert get(client, commission_url(other_network, foreign)).status_code == 200


def test_unknown_commission_is_404(client, network):
    response = get(client, reverse("commissions:detail", args=[network.slug, 987654]))

    assert response.status_code == 404


def test_commission_page_in_english(client, network):
    commission = factories.CommissionFactory(network=network)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = get(client, commission_url(network, commission)).text

    assert "Purpose" in body
    assert "Thematic" in body


def test_commission_page_shows_no_personal_data_of_representatives(client, network):
    commission = factories.CommissionFactory(network=network)
    membership = seat(network, commission, name="Con representante")

    body = get(client, commission_url(network, commission)).text

    for person in (membership.representative, membership.alternate):
        assert person.email not in body
        assert person.phone not in body
        assert person.last_name not in body


def test_commission_page_query_count_does_not_grow_with_its_members(
    client, network, django_assert_max_num_queries, django_assert_num_queries
):
    commission = factories.CommissionFactory(network=network)
    seat(network, commission, name="Primera")
    # Members, promoters, work plan, sheets and one page of the timeline: a fixed budget.
    with django_assert_max_num_queries(12) as small:
        get(client, commission_url(network, commission))

    for number in range(25):
        seat(network, commission, name=f"Entidad {number}", sector=Sector.values[number % 6])
    with django_assert_num_queries(len(small)):
        response = get(client, commission_url(network, commission))

    assert len(response.context["page"].seats) == 26
