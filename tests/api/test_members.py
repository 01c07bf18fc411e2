"""Members in the API: the public directory, memberships for facilitators, applications."""

import pytest

from core.actors import SYSTEM
from members.models import Entity, Membership, MembershipStatus, PriorityArea
from networks.models import MembershipApproval
from networks.scoping import all_networks
from networks.services import publish_charter
from platforms.models import Sector
from tests import factories

ENGLISH = {"Accept-Language": "en"}
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def people_of(membership):
    return [membership.representative.email, membership.representative.last_name]


def test_the_directory_lists_active_members_without_their_people(client, network, unscoped):
    active = factories.MembershipFactory(network=network, entity__name="Chachani Verde")
    factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    factories.MembershipFactory(network=network, status=MembershipStatus.SUSPENDED)
    response = client.get("/api/v1/networks/arequipa/entities/")
    assert response.status_code == 200
    body = response.json()
    assert [entry["slug"] for entry in body["results"]] == [active.entity.slug]
    assert body["results"][0]["platform"]["sector"] == Sector.CIVIL_SOCIETY
    text = response.content.decode()
    assert not any(secret in text for secret in people_of(active))
    assert "email" not in text and "phone" not in text


def test_the_directory_searches_and_filters_like_the_page(client, network, unscoped):
    youth = factories.platform_of(network, Sector.YOUTH)
    chachani = factories.MembershipFactory(network=network, entity__name="Chachani Verde")
    misti = factories.MembershipFactory(
        network=network, entity__name="Misti Joven", entity__kind="youth_group", platform=youth
    )
    misti.entity.priority_areas.add(PriorityArea.objects.get(code="youth"))
    url = "/api/v1/networks/arequipa/entities/"

    def slugs(**query):
        return [entry["slug"] for entry in client.get(url, query).json()["results"]]

    assert slugs(q="chach") == [chachani.entity.slug]
    assert slugs(platform=youth.pk) == [misti.entity.slug]
    assert slugs(kind="youth_group") == [misti.entity.slug]
    assert slugs(area="youth") == [misti.entity.slug]
    assert slugs(ordering="-entity__name") == [misti.entity.slug, chachani.entity.slug]


def test_bad_directory_filters_are_a_400_with_field_errors(client, network, other_network):
    foreign = factories.platform_of(other_network)
    response = client.get(
        "/api/v1/networks/arequipa/entities/",
        {"platform": foreign.pk, "kind": "spaceship", "area": "x"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"platform", "kind", "area"}
    assert client.get("/api/v1/networks/arequipa/entities/?platform=abc").status_code == 400


def test_an_entity_profile_exists_only_under_a_network_it_is_active_in(
    client, network, other_network, unscoped
):
    membership = factories.MembershipFactory(network=network)
    commission = factories.CommissionFactory(network=network, name="Mesa Escolar")
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    response = client.get(f"/api/v1/networks/arequipa/entities/{membership.entity.slug}/")
    assert response.status_code == 200
    assert response.json()["commissions"] == [
        {"id": commission.pk, "name": "Mesa Escolar", "is_open": True}
    ]
    assert not any(secret in response.content.decode() for secret in people_of(membership))
    assert client.get(f"/api/v1/networks/cusco/entities/{membership.entity.slug}/").status_code == (
        404
    )
    applied = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    assert client.get(f"/api/v1/networks/arequipa/entities/{applied.entity.slug}/").status_code == (
        404
    )


def test_only_facilitators_see_memberships_with_their_people(client, network, unscoped):
    membership = factories.MembershipFactory(
        network=network, status=MembershipStatus.SUSPENDED, status_reason="Sin asistir"
    )
    url = "/api/v1/networks/arequipa/memberships/"
    assert client.get(url).status_code == 401  # anonymous: asked to authenticate
    client.force_login(membership.representative)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}{membership.pk}/").status_code == 403
    client.force_login(factories.FacilitatorFactory(network=network).user)
    body = client.get(url, {"status": "suspended"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["status_reason"] == "Sin asistir"
    assert row["representative"]["email"] == membership.representative.email
    assert client.get(f"{url}{membership.pk}/").json()["id"] == membership.pk


def test_a_facilitator_of_another_network_gets_nothing(client, network, other_network, unscoped):
    membership = factories.MembershipFactory(network=network)
    client.force_login(factories.FacilitatorFactory(network=other_network).user)
    assert client.get("/api/v1/networks/arequipa/memberships/").status_code == 403
    response = client.get(f"/api/v1/networks/cusco/memberships/{membership.pk}/")
    assert response.status_code == 404


def _bulk_members(network, count):
    platform = factories.platform_of(network)
    entities = Entity.objects.bulk_create(
        Entity(name=f"Entidad {network.slug} {n}", slug=f"entidad-{network.slug}-{n}", kind="ngo")
        for n in range(count)
    )
    with all_networks():
        Membership.objects.bulk_create(
            Membership(network=network, entity=entity, platform=platform) for entity in entities
        )
        Membership.objects.filter(network=network).update(status=MembershipStatus.ACTIVE)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_directory_makes_the_same_queries_at_any_size(
    client, network, count, django_assert_num_queries
):
    _bulk_members(network, count)
    # network, count, page, priority areas
    with django_assert_num_queries(4):
        response = client.get("/api/v1/networks/arequipa/entities/?page_size=100")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [10, 1000])
def test_the_memberships_list_makes_the_same_queries_at_any_size(
    client, network, count, django_assert_num_queries
):
    _bulk_members(network, count)
    client.force_login(factories.FacilitatorFactory(network=network).user)
    client.get("/api/v1/networks/arequipa/memberships/")  # the session, then in the cache
    # network (with the networks under it), user with roles; count, page
    with django_assert_num_queries(4):
        response = client.get("/api/v1/networks/arequipa/memberships/?page_size=100")
    assert response.json()["count"] == count


@pytest.fixture
def applicant(network, unscoped):
    user = factories.UserFactory()
    entity = factories.EntityFactory(created_by=user, name="Colectivo Nuevo")
    return user, entity


def test_applying_through_the_api_uses_the_pages_service(client, network, applicant):
    user, entity = applicant
    network.membership_approval = MembershipApproval.REVIEWED
    network.save()
    charter = publish_charter(
        network=network,
        mission="m",
        vision="v",
        principles="p",
        code_of_ethics="c",
        by=SYSTEM,
    )
    client.force_login(user)
    url = "/api/v1/networks/arequipa/applications/"
    body = {"entity": entity.slug, "platform": factories.platform_of(network).pk}
    refused = client.post(url, body, content_type="application/json", headers=ENGLISH)
    assert refused.status_code == 409
    assert "accept" in refused.json()["detail"]
    assert not Membership.objects.exists()
    response = client.post(
        url,
        {**body, "charter_version": charter.pk},
        content_type="application/json",
        headers=ENGLISH,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == MembershipStatus.APPLIED
    again = client.post(
        url,
        {**body, "charter_version": charter.pk},
        content_type="application/json",
        headers=ENGLISH,
    )
    assert again.status_code == 409 and "already applied" in again.json()["detail"]


def test_applying_needs_an_entity_you_act_for_and_a_platform_here(
    client, network, other_network, applicant
):
    user, _entity = applicant
    stranger = factories.EntityFactory(name="Ajena")
    client.force_login(user)
    response = client.post(
        "/api/v1/networks/arequipa/applications/",
        {"entity": stranger.slug, "platform": factories.platform_of(other_network).pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"entity", "platform"}
    client.logout()
    anonymous = client.post(
        "/api/v1/networks/arequipa/applications/",
        {},
        content_type="application/json",
        headers=ENGLISH,
    )
    assert anonymous.status_code in (401, 403)


def test_the_networks_facilitator_cannot_apply_through_the_api(client, network):
    facilitator = factories.FacilitatorFactory(network=network).user
    entity = factories.EntityFactory(created_by=facilitator)
    client.force_login(facilitator)

    response = client.post(
        "/api/v1/networks/arequipa/applications/",
        {"entity": entity.slug, "platform": factories.platform_of(network).pk},
        content_type="application/json",
        headers=ENGLISH,
    )

    assert response.status_code == 403
    with all_networks():
        assert not Membership.objects.exists()


def test_a_name_too_long_for_the_commission_proposed_is_a_400(client, network, applicant):
    user, entity = applicant
    network.commission_on_joining = True
    network.save()
    client.force_login(user)

    response = client.post(
        "/api/v1/networks/arequipa/applications/",
        {
            "entity": entity.slug,
            "platform": factories.platform_of(network).pk,
            "proposed_commission_name": "C" * 10_000,
        },
        content_type="application/json",
        headers=ENGLISH,
    )

    assert response.status_code == 400
    assert "proposed_commission_name" in response.json()["errors"]
    assert not Membership.objects.exists()
