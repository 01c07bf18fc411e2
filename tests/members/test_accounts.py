from urllib.parse import parse_qs

import pytest
from allauth.account.models import EmailAddress
from django.http import HttpResponse
from django.test import RequestFactory

from members.decorators import verified_required
from tests import factories

pytestmark = pytest.mark.django_db


@verified_required
def _act(request):
    request.acted = True
    return HttpResponse("done")


def _request(user):
    request = RequestFactory().get("/redes/arequipa/accion/?x=1")
    request.user = user
    request.acted = False
    return request


def test_verified_required_sends_anonymous_visitors_to_login_and_back():
    from django.contrib.auth.models import AnonymousUser

    request = _request(AnonymousUser())
    response = _act(request)
    assert response.status_code == 302
    path, query = response.url.split("?")
    assert path == "/cuenta/login/"
    assert parse_qs(query)["next"] == ["/redes/arequipa/accion/?x=1"]
    assert not request.acted


def test_verified_required_refuses_an_unverified_person_with_an_explanation():
    user = factories.UserFactory(verified=False)
    request = _request(user)
    response = _act(request)
    assert response.status_code == 403
    assert not request.acted
    assert user.email.encode() in response.content
    assert b"/cuenta/verificacion/reenviar/" in response.content


def test_verified_required_refuses_a_person_without_any_recorded_address():
    user = factories.UserFactory()
    EmailAddress.objects.filter(user=user).delete()
    request = _request(user)
    assert _act(request).status_code == 403
    assert not request.acted


def test_verified_required_lets_a_verified_person_act():
    request = _request(factories.UserFactory())
    response = _act(request)
    assert response.status_code == 200
    assert request.acted
