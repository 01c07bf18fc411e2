"""The network middleware and the language middleware, seen through small probe views.

The probes are this module's own URL configuration (`pytest.mark.urls`), so
the tests do not depend on how the real pages look.
"""

import pytest
from django.http import Http404, JsonResponse
from django.urls import include, path
from django.utils import translation

from config import urls as project_urls
from members.models import Membership
from networks.scoping import ScopeError, all_networks
from tests import factories


def network_probe(request, network_slug):
    return JsonResponse(
        {
            "network": request.network.slug,
            "entities": sorted(m.entity.name for m in Membership.objects.select_related("entity")),
        }
    )


def membership_probe(request, network_slug, membership_id):
    try:
        membership = Membership.objects.select_related("entity").get(pk=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    return JsonResponse({"entity": membership.entity.name})


def outside_probe(request):
    return JsonResponse({"network": request.network, "count": Membership.objects.count()})


def language_probe(request):
    return JsonResponse(
        {"language": translation.get_language(), "spanish": translation.gettext("Spanish")}
    )


def admin_probe(request):
    return JsonResponse({"count": Membership.objects.count()})


urlpatterns = [
    path("redes/<slug:network_slug>/sonda/", network_probe),
    path("redes/<slug:network_slug>/sonda/<int:membership_id>/", membership_probe),
    path("fuera/", outside_probe),
    path("idioma/", language_probe),
    path("admin/sonda/", admin_probe),
    path("i18n/", include("django.conf.urls.i18n")),
    # After the probes, the site's own routes: its error pages link to them.
    *project_urls.urlpatterns,
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def memberships(network, other_network):
    with all_networks():
        ours = factories.MembershipFactory(
            network=network, entity=factories.EntityFactory(name="Jóvenes del Misti")
        )
        theirs = factories.MembershipFactory(
            network=other_network, entity=factories.EntityFactory(name="Colectivo Qosqo")
        )
    return ours, theirs


def test_an_unknown_network_slug_is_not_found(client, db):
    response = client.get("/redes/no-existe/sonda/", secure=True)

    assert response.status_code == 404


def test_the_request_carries_its_network_and_sees_only_its_rows(client, network, memberships):
    response = client.get(f"/redes/{network.slug}/sonda/", secure=True)

    assert response.status_code == 200
    assert response.json() == {"network": network.slug, "entities": ["Jóvenes del Misti"]}


def test_a_view_under_one_prefix_cannot_read_another_networks_row(client, network, memberships):
    ours, theirs = memberships

    own = client.get(f"/redes/{network.slug}/sonda/{ours.pk}/", secure=True)
    foreign = client.get(f"/redes/{network.slug}/sonda/{theirs.pk}/", secure=True)

    assert own.json() == {"entity": "Jóvenes del Misti"}
    assert foreign.status_code == 404
    assert "Qosqo" not in foreign.content.decode()


def test_a_route_outside_any_network_has_no_network_and_cannot_query_one(client, memberships):
    with pytest.raises(ScopeError):
        client.get("/fuera/", secure=True)


def test_the_scope_does_not_outlive_the_request(client, network, memberships):
    client.get(f"/redes/{network.slug}/sonda/", secure=True)

    with pytest.raises(ScopeError):
        Membership.objects.count()


def test_the_admin_spans_every_network(client, memberships):
    response = client.get("/admin/sonda/", secure=True)

    assert response.json() == {"count": 2}


@pytest.mark.django_db
def test_spanish_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/idioma/", headers={"accept-language": "en-US,en;q=0.9"}, secure=True)

    assert response.json() == {"language": "es", "spanish": "Español"}
    assert response.headers["Content-Language"] == "es"
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.django_db
def test_the_language_cookie_switches_to_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/idioma/", secure=True)

    assert response.json() == {"language": "en", "spanish": "Spanish"}
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_an_unsupported_language_cookie_falls_back_to_spanish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/idioma/", headers={"accept-language": "fr"}, secure=True)

    assert response.json()["language"] == "es"


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie_the_middleware_reads(client, settings):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/idioma/"}, secure=True)
    response = client.get("/idioma/", secure=True)

    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert response.json()["language"] == "en"
