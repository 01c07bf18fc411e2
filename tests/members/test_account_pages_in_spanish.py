"""The account pages and their mail speak the site's Spanish: its name, "usted", one login word."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

# What allauth's own Spanish says where ours does not: "tú" forms, and its other names
# for logging in and out.
NOT_OURS = re.compile(
    r"\b(tu|tus|tú|te|puedes|tienes|has|estás|vete|introdúcelo|selecciona|ten paciencia"
    r"|regístrate|login|iniciar sesión con|acceder|ingresar|entrar|sign in|log in)\b",
    re.IGNORECASE,
)
USTED = re.compile(r"\b(su|sus|usted|le|ha|puede|siga|abra|escriba|ingrese|elija)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(autouse=True)
def _site_and_fresh_rate_limits(settings, fresh_rate_limits):
    settings.SITE_URL = "http://tejido.example:8101"


@pytest.fixture
def person():
    return factories.UserFactory(email="ana.quispe@example.org")


def assert_our_spanish(text: str) -> None:
    assert not NOT_OURS.search(text), NOT_OURS.search(text)
    assert USTED.search(text), text


@pytest.mark.parametrize(
    "path",
    [
        "/cuenta/login/",
        "/cuenta/signup/",
        "/cuenta/password/reset/",
        "/cuenta/password/reset/done/",
        "/cuenta/password/reset/key/1-wrong/",
        "/cuenta/confirm-email/",
        "/cuenta/confirm-email/wrong-key/",
    ],
)
def test_the_account_pages_speak_the_sites_spanish(client, path):
    response = client.get(path, follow=True)

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Tejido" in text
    main = text.split("Tejido:")[0]  # the page without the footer
    assert_our_spanish(main.replace("Iniciar sesión", "").replace("Cerrar sesión", ""))


def test_logging_in_and_out_has_one_name_everywhere(client, person):
    page = visible_text(client.get("/cuenta/login/").content.decode())
    assert page.count("Iniciar sesión") >= 3  # the header, the title and the button
    assert "Acceder" not in page and "Entrar" not in page

    client.force_login(person)
    page = visible_text(client.get("/cuenta/logout/").content.decode())
    assert "Cerrar sesión" in page
    assert "Salir" not in page


def test_a_wrong_password_is_refused_in_the_sites_spanish(client, person):
    response = client.post("/cuenta/login/", {"login": person.email, "password": "wrong"})

    assert response.status_code == 200
    assert "El correo electrónico o la contraseña no son correctos." in response.content.decode()


def test_the_confirmation_mail_names_the_site_speaks_usted_and_links_to_the_site_url(
    client, mailoutbox
):
    client.post(
        "/cuenta/signup/",
        {
            "email": "beto@example.org",
            "first_name": "Beto",
            "last_name": "Rojas",
            "language": "es",
            "password1": "tejido seguro 2025",
            "password2": "tejido seguro 2025",
        },
    )

    (message,) = mailoutbox
    assert message.subject == "[Tejido] Por favor, confirme su dirección de correo electrónico"
    assert "testserver" not in message.body  # the host the request named
    assert re.search(r"http://tejido\.example:8101/cuenta/confirm-email/\S+/", message.body)
    assert "Tejido:" in message.body
    assert_our_spanish(message.body)


def test_the_password_reset_mail_names_the_site_speaks_usted_and_links_to_the_site_url(
    client, person, mailoutbox
):
    response = client.post("/cuenta/password/reset/", {"email": person.email})
    assert response.status_code == 302

    (message,) = mailoutbox
    assert message.subject == "[Tejido] Restablezca su contraseña"
    assert "testserver" not in message.body  # the host the request named
    link = re.search(r"http://tejido\.example:8101(/cuenta/password/reset/key/\S+/)", message.body)
    assert link, message.body
    assert_our_spanish(message.body)

    page = client.get(link.group(1), follow=True)
    assert "Elija una contraseña nueva" in page.content.decode()


def test_a_reset_for_an_unknown_address_answers_in_the_sites_spanish(client, mailoutbox):
    client.post("/cuenta/password/reset/", {"email": "nadie@example.org"})

    (message,) = mailoutbox
    assert "http://tejido.example:8101/cuenta/signup/" in message.body
    assert_our_spanish(message.body)


@pytest.mark.parametrize(
    "template", ["password_changed", "password_reset", "password_set", "email_changed"]
)
def test_a_change_to_the_account_would_be_told_in_the_sites_spanish(template, settings):
    # Allauth sends these only with ACCOUNT_EMAIL_NOTIFICATIONS; they are ready for it.
    context = {
        "current_site": {"name": "Tejido"},
        "site_url": settings.SITE_URL,
        "from_email": "a@example.org",
        "to_email": "b@example.org",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "2026-12-05",
    }
    with translation.override("es"):
        body = render_to_string(f"account/email/{template}_message.txt", context)

    assert "Tejido:" in body
    assert_our_spanish(body)
