"""Branded, translated 400, 403, 404 and 500 pages; the API keeps its JSON shape for each.

Some answers need a view that fails on purpose: this module is also a URL
configuration (the project's routes plus two such views), used with
`pytest.mark.urls`.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path
from django.utils import translation

from config import urls as project_urls
from tests import factories


def _fails(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("api/v1/falla/", _fails),
    path("api/v1/prohibido/", _forbidden),
    path("falla/", _fails),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

pytestmark = pytest.mark.django_db

BRAND = 'class="brand"'


def in_english(client):
    client.cookies["tejido_language"] = "en"
    return client


@pytest.fixture
def crashing_client():
    """A client that gets the 500 page, as a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


# 404


def test_a_missing_page_is_a_branded_404_in_spanish_by_default(client):
    response = client.get("/redes/no-existe/", secure=True)

    assert response.status_code == 404
    page = response.content.decode()
    assert BRAND in page and 'lang="es"' in page
    assert "Página no encontrada" in page
    assert "Page not found" not in page


def test_a_missing_page_is_a_branded_404_in_english_when_chosen(client):
    response = in_english(client).get("/no/such/page/", secure=True)

    assert response.status_code == 404
    page = response.content.decode()
    assert BRAND in page and 'lang="en"' in page
    assert "Page not found" in page


def test_another_networks_object_gets_the_same_404_page(client, network, other_network):
    commission = factories.CommissionFactory(network=other_network)
    response = client.get(f"/redes/{network.slug}/comisiones/{commission.pk}/", secure=True)
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_the_api_answers_404_in_its_own_shape(client):
    response = client.get("/api/v1/no-such-route/", HTTP_ACCEPT_LANGUAGE="en", secure=True)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


# 403


@pytest.mark.parametrize(
    ("language", "title"), [("es", "No puede hacer esto"), ("en", "You may not do this")]
)
def test_a_refused_page_is_a_branded_403_in_the_readers_language(client, network, language, title):
    client.cookies["tejido_language"] = language
    client.force_login(factories.UserFactory())

    response = client.get(f"/redes/{network.slug}/facilitacion/", secure=True)

    assert response.status_code == 403
    page = response.content.decode()
    assert BRAND in page and title in page


@pytest.mark.urls("tests.test_error_pages")
def test_the_api_answers_403_in_its_own_shape_even_outside_its_views(client):
    response = client.get("/api/v1/prohibido/", HTTP_ACCEPT_LANGUAGE="en", secure=True)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You do not have permission to perform this action.",
        "code": "permission_denied",
    }


@pytest.mark.parametrize(
    ("language", "title"), [("es", "Este formulario caducó"), ("en", "This form has expired")]
)
def test_a_form_sent_without_its_csrf_token_gets_a_branded_translated_403(language, title, db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["tejido_language"] = language

    response = client.post("/cuenta/login/", {"login": "a@example.org", "password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert BRAND in page and title in page


# 400


@pytest.mark.parametrize(
    ("language", "title"),
    [("es", "No se pudo leer esta solicitud"), ("en", "This request could not be read")],
)
def test_a_malformed_request_is_a_branded_400_in_the_readers_language(client, language, title):
    client.cookies["tejido_language"] = language
    response = client.get("/?red=%00", secure=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert BRAND in page and title in page


def test_the_api_answers_400_in_its_own_shape(client):
    response = client.get("/api/v1/networks/?search=%00", HTTP_ACCEPT_LANGUAGE="en", secure=True)
    assert response.status_code == 400
    assert response.json() == {"detail": "Malformed request.", "code": "parse_error"}


# 500


@pytest.mark.urls("tests.test_error_pages")
@pytest.mark.parametrize(
    ("language", "title"),
    [("es", "Algo falló de nuestro lado"), ("en", "Something went wrong on our side")],
)
def test_a_server_error_is_a_branded_500_in_the_readers_language(crashing_client, language, title):
    crashing_client.cookies["tejido_language"] = language

    response = crashing_client.get("/falla/", secure=True)

    assert response.status_code == 500
    page = response.content.decode()
    assert BRAND in page and title in page and f'lang="{language}"' in page
    assert "a bug" not in page


@pytest.mark.urls("tests.test_error_pages")
def test_the_api_answers_500_in_its_own_shape(crashing_client):
    response = crashing_client.get("/api/v1/falla/", HTTP_ACCEPT_LANGUAGE="en", secure=True)
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred.", "code": "error"}


def test_the_500_page_needs_no_database_no_session_and_no_request():
    # What failed may be the database: the page must render from the template alone.
    with translation.override("es"):
        page = render_to_string("500.html")
    assert "Algo falló de nuestro lado" in page and "/static/css/tejido.css" in page


def test_an_error_page_that_cannot_render_falls_back_to_plain_text(monkeypatch, caplog):
    from django.http import Http404
    from django.test import RequestFactory

    from core import error_pages

    def broken(request, exception):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(error_pages.defaults, "page_not_found", broken)
    with translation.override("en"):
        response = error_pages.page_not_found(RequestFactory().get("/x/"), Http404())

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert "error 404" in response.content.decode()
    assert "could not be rendered" in caplog.text
