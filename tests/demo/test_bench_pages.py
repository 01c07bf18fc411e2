import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from commissions.models import CommissionState
from demo.management.commands.bench_pages import (
    ANONYMOUS,
    TRIVIAL_PATH,
    Command,
    GunicornServer,
    Measured,
    wrk_latency,
)
from networks.models import Facilitator
from networks.scoping import all_networks
from tests import factories

pytestmark = pytest.mark.django_db

WRK_OUTPUT = """
  Latency Distribution
     50%    6.31ms
     75%   10.02ms
     90%   20.11ms
     99%    1.12s
"""


def test_the_trivial_page_is_not_part_of_the_site(client):
    assert client.get("/bench/ok/", secure=True).status_code == 404


@override_settings(ROOT_URLCONF="config.bench_urls")
def test_the_benchmark_mounts_the_trivial_page_beside_the_whole_site(client):
    assert client.get("/bench/ok/", secure=True).content == b"ok"
    assert client.get(reverse("home"), secure=True).status_code == 200


def test_wrk_latencies_are_read_in_milliseconds():
    assert wrk_latency(WRK_OUTPUT, "50%") == pytest.approx(6.31)
    assert wrk_latency(WRK_OUTPUT, "99%") == pytest.approx(1120.0)


SERVER_KEY = "the-benchmark-server-s-own-key-" + "k" * 40


def signed_in(client, page):
    """The page read with the cookies a browser holds: the session, and the CSRF cookie."""
    client.cookies.clear()
    cookies = dict(pair.split("=", 1) for pair in page.headers["Cookie"].split("; "))
    assert set(cookies) == {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get(page.path, secure=True)
    # The page keeps the browser's CSRF cookie, so the page may be kept for the session.
    csrf = response.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is None or csrf.value == cookies[settings.CSRF_COOKIE_NAME]
    return response


def test_the_member_and_the_facilitator_are_signed_in_as_the_server_reads_them(
    client, network, settings
):
    membership = factories.MembershipFactory(network=network)
    closed = factories.CommissionFactory(network=network, state=CommissionState.CLOSED)
    factories.CommissionMemberFactory(commission=closed, entity=membership.entity)
    commission = factories.CommissionFactory(network=network)
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)

    with all_networks():
        pages = Command().signed_in_pages(network, secret_key=SERVER_KEY)
        (facilitator,) = Facilitator.objects.filter(network=network, ended_on__isnull=True)

    assert [(page.persona, page.name) for page in pages] == [
        ("member", "my network"),
        ("member", "commission page"),
        ("facilitator", "facilitation overview"),
        ("facilitator", "members page"),
    ]
    assert str(commission.pk) in pages[1].path
    settings.SECRET_KEY = SERVER_KEY
    for page in pages:
        response = signed_in(client, page)
        assert response.status_code == 200, page
        expected = membership.representative if page.persona == "member" else facilitator.user
        assert response.wsgi_request.user == expected

    # Under another key the session's hash does not match: nobody is signed in.
    settings.SECRET_KEY = "another-key-" + "o" * 40
    assert signed_in(client, pages[0]).status_code == 302

    Command().sign_out(pages)
    assert not Session.objects.exists()


def test_the_queries_of_each_page_are_counted_signed_in_as_its_persona(network, settings):
    membership = factories.MembershipFactory(network=network)
    commission = factories.CommissionFactory(network=network)
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    path = reverse(
        "commissions:detail",
        kwargs={"network_slug": network.slug, "commission_id": commission.pk},
    )
    with all_networks():
        pages = [
            Measured(ANONYMOUS, "trivial view", TRIVIAL_PATH, {}),
            Measured(ANONYMOUS, "commission page", path, {}),
        ]
        pages += Command().signed_in_pages(network, secret_key=SERVER_KEY)

    queries = Command().queries_drawn(pages, secret_key=SERVER_KEY)

    assert set(queries) == {(page.persona, page.name) for page in pages}
    # The trivial page is mounted in the server only: there is nothing to count here.
    assert queries[ANONYMOUS, "trivial view"] is None
    # The member reads the same page as the visitor, and who they are on top of it.
    assert queries["member", "commission page"] > queries[ANONYMOUS, "commission page"] > 0
    # Drawn under the server's key: nobody was signed out on the way.
    assert Session.objects.count() == 2


def test_a_facilitator_the_network_has_is_the_one_signed_in(network):
    factories.MembershipFactory(network=network)
    commission = factories.CommissionFactory(network=network)
    with all_networks():
        entity = network.memberships.get().entity
    factories.CommissionMemberFactory(commission=commission, entity=entity)
    existing = factories.FacilitatorFactory(network=network)

    with all_networks():
        Command().signed_in_pages(network, secret_key=SERVER_KEY)
        assert Facilitator.objects.filter(network=network).count() == 1
    with override_settings(SECRET_KEY=SERVER_KEY):
        signed_in_as = {session.get_decoded()["_auth_user_id"] for session in Session.objects.all()}
    assert str(existing.user.pk) in signed_in_as
    assert len(signed_in_as) == 2


def test_the_server_runs_under_the_key_the_sessions_were_written_with():
    server = GunicornServer({"workers": 1, "port": 8001}, stdout=None)

    assert server.environment()["SECRET_KEY"] == server.secret_key
