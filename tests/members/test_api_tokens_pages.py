"""The account page where a person creates and revokes personal API tokens."""

import pytest

from members.api_tokens import create_api_token
from members.models import ApiToken
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/cuenta/tokens/"


@pytest.fixture
def person(client):
    user = factories.UserFactory()
    client.force_login(user)
    return user


def test_a_new_tokens_key_is_shown_once_and_then_authenticates(client, person):
    response = client.post(URL, {"name": "Web de la red"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("tejido_") and key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(URL)
    assert key not in again.content.decode()
    assert "Web de la red" in again.content.decode()
    client.logout()
    assert client.get("/api/v1/networks/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_token_without_a_name_is_refused_with_a_message(client, person):
    response = client.post(URL, {"name": "   "})
    assert response.context["key"] is None
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(client, person):
    token, key = create_api_token(by=person, name="CRM")
    response = client.post("/cuenta/tokens/revocar/", {"token": token.pk}, follow=True)
    assert "quedó revocado" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/networks/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_nobody_revokes_or_sees_another_persons_token(client, person):
    other = factories.UserFactory()
    token, _key = create_api_token(by=other, name="Ajeno")
    assert "Ajeno" not in client.get(URL).content.decode()
    for value in (token.pk, "abc", ""):
        response = client.post("/cuenta/tokens/revocar/", {"token": value}, follow=True)
        assert "Ese token no existe" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_needs_a_login_and_is_linked_from_settings(client, db):
    assert client.get(URL).status_code == 302
    client.force_login(factories.UserFactory())
    assert URL in client.get("/cuenta/ajustes/").content.decode()


@pytest.mark.parametrize("count", [2, 200])
def test_the_tokens_page_makes_the_same_queries_at_any_size(
    client, person, count, django_assert_num_queries
):
    ApiToken.objects.bulk_create(
        ApiToken(user=person, name=f"Token {n}", prefix="tejido_abcd", digest=f"{n:064d}")
        for n in range(count)
    )
    # user with the roles and the header's counts; the tokens (the session is in the cache)
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200
