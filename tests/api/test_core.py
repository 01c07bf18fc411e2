"""What every endpoint shares: tokens, errors, pagination, the schema."""

import pytest
from django.utils import timezone

from core.errors import DomainError
from members.api_tokens import create_api_token, revoke_api_token
from members.models import ApiToken
from networks.models import Network
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_personal_token_authenticates_until_it_is_revoked(client, network):
    user = factories.UserFactory()
    token, key = create_api_token(by=user, name="Sitio de la red")
    assert key.startswith("tejido_") and token.prefix == key[:11]
    assert not ApiToken.objects.filter(digest=key).exists()  # only a hash is kept
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/networks/", **headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    revoke_api_token(token=token, by=user)
    response = client.get("/api/v1/networks/", HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This token is unknown, expired or revoked.",
        "code": "authentication_failed",
    }


def test_only_the_owner_revokes_a_token_and_a_token_needs_a_name(db):
    owner, other = factories.UserFactory(), factories.UserFactory()
    token, _key = create_api_token(by=owner, name="CRM")
    with pytest.raises(DomainError, match="not yours"):
        revoke_api_token(token=token, by=other)
    with pytest.raises(DomainError, match="Name the token"):
        create_api_token(by=owner, name="  ")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_malformed_token_header_is_a_clear_401(client, db):
    response = client.get("/api/v1/networks/", HTTP_AUTHORIZATION="Token")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    response = client.get("/api/v1/networks/", HTTP_AUTHORIZATION="Token tejido_unknown")
    assert response.status_code == 401


def test_errors_have_one_shape(client, network):
    assert client.get("/api/v1/networks/unknown/", HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "Not found.",
        "code": "not_found",
    }
    response = client.get("/api/v1/networks/?page=99")
    assert response.status_code == 404
    assert response.json()["detail"] == "Página inválida."  # Spanish unless asked otherwise
    assert response.json()["code"] == "not_found"


def test_networks_list_their_children_and_paginate(client, network, other_network):
    national = factories.NetworkFactory(name="Red Nacional", slug="nacional", kind="national")
    network.parent = national
    network.save()
    factories.MembershipFactory.create_batch(2, network=network)
    body = client.get("/api/v1/networks/", {"page_size": 2, "ordering": "name"}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    detail = client.get("/api/v1/networks/nacional/").json()
    assert [child["slug"] for child in detail["children"]] == ["arequipa"]
    assert client.get("/api/v1/networks/arequipa/").json()["active_members"] == 2
    assert client.get("/api/v1/networks/", {"kind": "national"}).json()["count"] == 1


def test_platforms_of_a_network_only(client, network, other_network):
    body = client.get("/api/v1/networks/arequipa/platforms/").json()
    assert body["count"] == 6
    assert {platform["sector"] for platform in body["results"]} >= {"public", "youth"}


@pytest.mark.parametrize("networks", [10, 1000])
def test_the_networks_list_makes_the_same_queries_at_any_size(
    client, db, networks, django_assert_num_queries
):
    national = factories.NetworkFactory(kind="national")
    Network.objects.bulk_create(
        Network(name=f"Red {number}", slug=f"red-{number}", parent=national)
        for number in range(networks)
    )
    with django_assert_num_queries(3):
        assert client.get("/api/v1/networks/?page_size=200").status_code == 200


def test_the_schema_describes_the_api_and_the_docs_use_no_cdn(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/networks/{network_slug}/platforms/" in schema["paths"]
    assert "personalToken" in schema["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs and "cdn" not in docs.lower()


def test_a_token_records_use_at_most_hourly(client, db):
    user = factories.UserFactory()
    token, key = create_api_token(by=user, name="x")
    client.get("/api/v1/networks/", HTTP_AUTHORIZATION=f"Token {key}")
    token.refresh_from_db()
    first = token.last_used_at
    client.get("/api/v1/networks/", HTTP_AUTHORIZATION=f"Token {key}")
    token.refresh_from_db()
    assert token.last_used_at == first <= timezone.now()
