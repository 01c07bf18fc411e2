"""API tokens stop when their owner's password changes (any flow), and at an expiry if chosen."""

import datetime as dt
import io
import ipaddress
import random
import re
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.errors import DomainError
from members.api_tokens import MAX_ACTIVE_TOKENS, create_api_token, user_for_key
from members.models import ApiToken, TokenRevocation
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "otra clave segura 77"
API = "/api/v1/networks/"


def fresh_client_address():
    """An address no other test uses: the account pages' limits count per address."""
    return str(ipaddress.ip_address("198.18.0.0") + random.randrange(1, 2**17 - 1))


@pytest.fixture
def person():
    return factories.UserFactory(email=f"tokens-{uuid.uuid4().hex[:12]}@example.org")


def authenticates(client, key):
    return client.get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def assert_revoked_for_the_password(*tokens):
    for token in tokens:
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert token.revoked_because == TokenRevocation.PASSWORD_CHANGED


# A password change revokes every token, whatever the flow.


def test_changing_the_password_on_the_account_page_revokes_every_token(client, person):
    first, first_key = create_api_token(by=person, name="Web")
    second, second_key = create_api_token(by=person, name="Hoja de cálculo")
    client.force_login(person)

    response = client.post(
        "/cuenta/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR=fresh_client_address(),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert_revoked_for_the_password(first, second)
    client.logout()
    assert not authenticates(client, first_key)
    assert not authenticates(client, second_key)


def test_resetting_the_password_by_mail_revokes_every_token(client, person, mailoutbox):
    token, key = create_api_token(by=person, name="Web")
    address = fresh_client_address()
    client.post("/cuenta/password/reset/", {"email": person.email}, REMOTE_ADDR=address)
    link = re.search(r"https?://[^/\s]+(/cuenta/password/reset/key/[^\s]+/)", mailoutbox[0].body)
    response = client.get(link.group(1), follow=True, REMOTE_ADDR=address)
    form_url = response.redirect_chain[-1][0]

    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, REMOTE_ADDR=address
    )

    assert response.status_code == 302
    assert_revoked_for_the_password(token)
    assert user_for_key(key) is None


def test_changepassword_and_set_password_in_code_revoke_every_token(person, monkeypatch):
    token, _key = create_api_token(by=person, name="Web")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", person.username, stdout=io.StringIO())
    assert_revoked_for_the_password(token)

    later, _key = create_api_token(by=person, name="CRM")
    person.set_password("y otra más 2026")
    person.save()
    assert_revoked_for_the_password(later)


def test_saving_a_person_without_a_new_password_keeps_their_tokens(client, person):
    token, key = create_api_token(by=person, name="Web")
    person.first_name = "Rosa"
    person.save()
    # Logging in checks the password, and may store a stronger hash of the same one.
    client.post("/cuenta/login/", {"login": person.email, "password": PASSWORD})

    token.refresh_from_db()
    assert token.revoked_at is None
    assert user_for_key(key) == person


def test_a_stronger_hash_of_the_same_password_is_no_password_change(person, settings):
    token, _key = create_api_token(by=person, name="Web")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    assert person.check_password(PASSWORD)  # upgrades the stored MD5 hash

    person.refresh_from_db()
    assert person.password.startswith("pbkdf2_")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_owner_revoking_one_token_is_recorded_as_such(client, person):
    token, _key = create_api_token(by=person, name="Web")
    client.force_login(person)
    client.post("/cuenta/tokens/revocar/", {"token": token.pk})
    token.refresh_from_db()
    assert token.revoked_because == TokenRevocation.BY_OWNER


# An optional expiry.


def test_a_token_with_an_expiry_authenticates_until_then_and_not_after(client, person):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        token, key = create_api_token(by=person, name="Informe trimestral", valid_days=30)
        assert token.expires_at == dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
        assert authenticates(client, key)

    with time_machine.travel(dt.datetime(2026, 3, 31, 11, 59, tzinfo=dt.UTC), tick=False):
        assert authenticates(client, key)

    with time_machine.travel(dt.datetime(2026, 3, 31, 12, 0, 1, tzinfo=dt.UTC), tick=False):
        response = client.get(API, HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 401
        assert response.json() == {
            "detail": "This token is unknown, expired or revoked.",
            "code": "authentication_failed",
        }
        token.refresh_from_db()
        assert not token.is_active and token.is_expired


def test_a_token_without_an_expiry_lasts_until_revoked(person):
    token, key = create_api_token(by=person, name="Web")
    assert token.expires_at is None
    with time_machine.travel(timezone.now() + dt.timedelta(days=3650)):
        assert user_for_key(key) == person


@pytest.mark.parametrize("valid_days", [0, -1, 7, 10_000])
def test_only_the_offered_lifetimes_are_accepted(person, valid_days, english):
    with pytest.raises(DomainError, match="offered lifetimes"):
        create_api_token(by=person, name="Web", valid_days=valid_days)
    assert not ApiToken.objects.filter(user=person).exists()


def test_expired_tokens_do_not_count_against_the_limit(person):
    with time_machine.travel(timezone.now() - dt.timedelta(days=40)):
        for number in range(MAX_ACTIVE_TOKENS):
            create_api_token(by=person, name=f"Viejo {number}", valid_days=30)

    create_api_token(by=person, name="Nuevo")  # no refusal: the old ones expired


def test_the_tokens_page_offers_a_lifetime_and_shows_the_expiry(client, person):
    client.force_login(person)
    client.cookies["tejido_language"] = "en"
    page = client.get("/cuenta/tokens/").content.decode()
    assert "Until I revoke it" in page and "90 days" in page

    response = client.post("/cuenta/tokens/", {"name": "Boletín", "valid_days": "90"})

    token = ApiToken.objects.get(user=person)
    assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)
    assert "Expires" in response.content.decode()


def test_the_tokens_page_refuses_a_lifetime_it_did_not_offer(client, person):
    client.force_login(person)
    response = client.post("/cuenta/tokens/", {"name": "Boletín", "valid_days": "5000"})
    assert response.status_code == 200
    assert response.context["form"].errors["valid_days"]
    assert not ApiToken.objects.filter(user=person).exists()


def test_the_tokens_page_says_why_a_token_stopped(client, person):
    create_api_token(by=person, name="Web")
    person.set_password(NEW_PASSWORD)
    person.save()
    client.force_login(person)
    client.cookies["tejido_language"] = "en"
    assert "Revoked when the password changed" in client.get("/cuenta/tokens/").content.decode()
