"""A facilitator signs in to "My network": what waits in each network they facilitate.

They act for no entity, so the page used to say nothing waited for them while
applications waited for their decision. The header counts what waits too.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commissions.models import CommissionState
from core.actors import SYSTEM
from facilitation.context_processors import FacilitationNavigation
from facilitation.selectors.landing import facilitated_networks
from members.backends import ModelBackend
from members.models import MembershipStatus, Notification
from members.services import apply_for_membership, change_membership_status, register_entity
from networks.scoping import all_networks
from networks.services import publish_charter
from tests import factories


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def applying(network, name="Asociación Chachani"):
    return factories.MembershipFactory(
        network=network, status=MembershipStatus.APPLIED, entity__name=name
    )


def landing(client, person):
    client.force_login(person)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_pending_is_never_said_while_an_application_waits(client, network, facilitator):
    application = applying(network)

    body = landing(client, facilitator)

    assert "Nothing waits for you right now." not in body
    assert "1 application to Red de Voluntariado de Arequipa waits for your decision." in body
    assert reverse("facilitation:applications", args=[network.slug]) in body
    assert reverse("facilitation:membership", args=[network.slug, application.pk]) in body
    assert "You do not act for any organisation yet" not in body

    change_membership_status(membership=application, status="active", by=facilitator)

    body = landing(client, facilitator)
    assert "Nothing waits for you right now." in body
    assert reverse("facilitation:membership", args=[network.slug, application.pk]) not in body


def test_each_facilitated_network_shows_its_own_applications_commissions_and_messages(
    client, network, other_network, facilitator
):
    factories.FacilitatorFactory(network=other_network, user=facilitator)
    applying(network, "Asociación Chachani")
    applying(network, "Grupo Misti")
    factories.CommissionFactory(
        network=other_network, state=CommissionState.VACANT, vacant_since=timezone.now()
    )
    factories.CommissionFactory(network=other_network, state=CommissionState.STALLED)
    with all_networks():
        Notification.objects.create(
            network=other_network, recipient=facilitator, kind="membership.applied", key="a:1"
        )
    not_mine = factories.NetworkFactory(name="Red de Tumbes")
    applying(not_mine, "Grupo de Tumbes")

    body = landing(client, facilitator)

    assert "2 applications to Red de Voluntariado de Arequipa wait for your decision." in body
    assert "2 commissions of Red Soy Voluntari@ Cusco need your attention." in body
    assert "Commissions: 1 without promoter, 1 stalled." in body
    assert "Grupo Misti" in body
    assert "Red de Tumbes" not in body.split('id="waiting-title"')[0]
    assert "Grupo de Tumbes" not in body
    cusco = body[body.index('id="facilitated-' + str(other_network.pk)) :]
    assert re.search(r"Unread messages</a> <strong>1</strong>", cusco)


def test_the_header_counts_what_waits_next_to_the_facilitation_link(client, network, facilitator):
    applying(network)
    factories.CommissionFactory(
        network=network, state=CommissionState.VACANT, vacant_since=timezone.now()
    )
    applying(factories.NetworkFactory(), "Otra entidad")
    client.force_login(facilitator)

    page = client.get(reverse("home")).content.decode()

    link = re.search(r'<a href="/redes/arequipa/facilitacion/"[^>]*>(.*?)</a>', page, re.S)
    assert link is not None
    assert re.search(r'class="badge">2<span class="visually-hidden"> waiting', link.group(1))


def test_the_header_of_a_facilitator_of_several_networks_counts_each(
    client, network, other_network, facilitator
):
    factories.FacilitatorFactory(network=other_network, user=facilitator)
    applying(other_network)
    client.force_login(facilitator)

    page = client.get(reverse("home")).content.decode()

    summary = re.search(r"<summary>(.*?)</summary>", page, re.S).group(1)
    assert 'class="badge">1<' in summary
    cusco = re.search(r'<a href="/redes/cusco/facilitacion/">(.*?)</a>', page, re.S).group(1)
    arequipa = re.search(r'<a href="/redes/arequipa/facilitacion/">(.*?)</a>', page, re.S)
    assert 'class="badge">1<' in cusco
    assert "badge" not in arequipa.group(1)


def test_the_header_reads_what_waits_with_the_person_in_one_query(
    network, other_network, facilitator, django_assert_num_queries
):
    factories.FacilitatorFactory(network=other_network, user=facilitator)
    applying(other_network, "Grupo Cusco")
    applying(network)
    applying(network, "Asociación Misti")
    factories.CommissionFactory(network=network, state=CommissionState.STALLED)
    with all_networks():
        Notification.objects.create(
            network=network, recipient=facilitator, kind="commission.stalled", key="k:1"
        )
    assert connection.features.supports_json_field  # SQLite asks once per connection

    with django_assert_num_queries(1):
        person = ModelBackend().get_user(facilitator.pk)
        header = FacilitationNavigation(person).networks

    expected = facilitated_networks(facilitator)
    assert [(row.network.pk, row.network.name, row.network.slug) for row in header] == [
        (row.network.pk, row.network.name, row.network.slug) for row in expected
    ]
    assert [(row.waiting, row.unread) for row in header] == [
        (row.waiting, row.unread) for row in expected
    ]
    waiting = {row.network.slug: (row.waiting, row.unread) for row in header}
    assert waiting == {network.slug: (3, 1), other_network.slug: (1, 0)}


def test_a_member_sees_no_facilitation_link(client, network):
    member = factories.MembershipFactory(network=network)
    applying(network)
    client.force_login(member.representative)

    page = client.get(reverse("home")).content.decode()

    assert "/facilitacion/" not in page


def queries_for_landing(client, person):
    client.get(reverse("workspace:home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("workspace:home"))
    return len(captured)


def test_the_landing_page_makes_the_same_queries_whatever_the_networks_and_applications(
    client, network, facilitator
):
    applying(network)
    client.force_login(facilitator)
    few = queries_for_landing(client, facilitator)

    for number in range(4):
        other = factories.NetworkFactory()
        factories.FacilitatorFactory(network=other, user=facilitator)
        for each in range(number + 2):
            applying(other, f"Entidad {number}-{each}")
        factories.CommissionFactory(network=other, state=CommissionState.STALLED)
    many = queries_for_landing(client, facilitator)

    assert few == many


def test_the_facilitator_is_told_of_an_application_with_a_link_to_the_application(
    network, facilitator
):
    charter = publish_charter(
        network=network, mission="m", vision="v", principles="p", code_of_ethics="c", by=SYSTEM
    )
    applicant = factories.UserFactory()
    entity = register_entity(by=applicant, name="Jóvenes del Misti", kind="youth_group")

    membership = apply_for_membership(
        network=network,
        entity=entity,
        platform=factories.platform_of(network),
        by=applicant,
        charter_version=charter,
        accept_charter=True,
    )

    with all_networks():
        told = Notification.objects.get(recipient=facilitator)
    assert told.link == reverse("facilitation:membership", args=[network.slug, membership.pk])


def test_the_facilitation_pages_count_applications_and_commissions_beside_their_links(
    client, network, facilitator
):
    applying(network)
    applying(network, "Grupo Misti")
    factories.CommissionFactory(network=network, state=CommissionState.STALLED)
    client.force_login(facilitator)

    page = client.get(reverse("facilitation:members", args=[network.slug])).content.decode()

    nav = page[page.index('class="facilitation-nav"') :]
    applications = re.search(r'/facilitacion/solicitudes/"[^>]*>(.*?)</a>', nav, re.S).group(1)
    commissions = re.search(r'/facilitacion/comisiones/"[^>]*>(.*?)</a>', nav, re.S).group(1)
    members = re.search(r'/facilitacion/miembros/"[^>]*>(.*?)</a>', nav, re.S).group(1)
    assert re.search(
        r'class="badge badge-warning">2<span class="visually-hidden"> waiting', applications
    )
    assert 'class="badge badge-warning">1<' in commissions
    assert "badge" not in members
