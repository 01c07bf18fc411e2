"""The home page's counters of each network stay exact after any write, and are checked nightly.

Each network's row is counted at a version of the network and of those under it
(`networks.changes`): whoever writes, a service, the admin or a bulk update,
the next read finds the version moved and counts that network again. The
nightly job counts every network and reports a row that was wrong although
its version said it was current.
"""

import pytest
from django.urls import reverse

from commissions import services as commission_services
from commissions.models import Commission, CommissionState
from core.actors import SYSTEM
from facilitation import counters
from facilitation.models import NetworkCounters
from members.models import Membership, MembershipStatus
from members.services import apply_for_membership, change_membership_status
from networks import changes
from networks.models import Network
from networks.scoping import all_networks
from tests import factories
from tests.admin.conftest import admin_url, form_data
from tests.commissions.conftest import Cast

pytestmark = pytest.mark.django_db


def shown(*networks):
    """What the home page would show for these networks: their rows, counted again where old."""
    ids = [network.pk for network in networks]
    with all_networks():
        return counters.current_counts(ids)


def counted_afresh(*networks):
    with all_networks():
        return counters.count([network.pk for network in networks])


def assert_exact(*networks):
    assert shown(*networks) == counted_afresh(*networks)


def test_a_row_is_kept_and_read_again_until_its_network_changes(
    national, regions, django_assert_num_queries
):
    factories.MembershipFactory(network=regions[0])
    first = shown(national, *regions)

    with django_assert_num_queries(2):  # the versions and the rows, nothing counted
        again = shown(national, *regions)

    assert again == first
    assert first[national.pk].entities_in_reach == 1
    assert NetworkCounters.objects.count() == 3


def test_counters_follow_a_membership_through_approval_and_leaving(national, regions):
    arequipa = regions[0]
    person = factories.UserFactory()
    entity = factories.EntityFactory(created_by=person)
    shown(national, arequipa)

    membership = apply_for_membership(
        network=arequipa, entity=entity, platform=factories.platform_of(arequipa), by=person
    )
    assert shown(national, arequipa)[arequipa.pk].active_members == 0

    change_membership_status(membership=membership, status=MembershipStatus.ACTIVE, by=SYSTEM)
    counts = shown(national, arequipa)
    assert (counts[arequipa.pk].active_members, counts[national.pk].entities_in_reach) == (1, 1)
    assert_exact(national, arequipa)

    change_membership_status(
        membership=membership, status=MembershipStatus.LEFT, by=SYSTEM, reason="Cerró."
    )
    counts = shown(national, arequipa)
    assert (counts[arequipa.pk].active_members, counts[national.pk].entities_in_reach) == (0, 0)
    assert_exact(national, arequipa)


def test_counters_follow_a_commission_closed_by_its_promoter(national, regions):
    arequipa = regions[0]
    cast = Cast(arequipa)
    promoter = cast.entities[0]
    commission = commission_services.propose_commission(
        network=arequipa, entity=promoter, name="Medio Ambiente", by=cast.rep(promoter)
    )
    counts = shown(national, arequipa)
    assert (counts[arequipa.pk].open_commissions, counts[national.pk].commissions_in_reach) == (
        1,
        1,
    )

    commission_services.close_as_completed(
        commission=commission, entity=promoter, note="Objetivos cumplidos", by=cast.rep(promoter)
    )

    counts = shown(national, arequipa)
    assert (counts[arequipa.pk].open_commissions, counts[national.pk].commissions_in_reach) == (
        0,
        0,
    )
    assert_exact(national, arequipa)


def test_counters_follow_a_bulk_update_that_no_service_saw(national, regions):
    arequipa = regions[0]
    factories.bulk_members(arequipa, 5)
    factories.CommissionFactory.create_batch(3, network=arequipa)
    assert shown(national)[national.pk].entities_in_reach == 5

    with all_networks():
        Membership.objects.filter(network=arequipa).update(status=MembershipStatus.SUSPENDED)
        Commission.objects.filter(network=arequipa).update(state=CommissionState.CLOSED)

    counts = shown(national, arequipa)
    assert counts[national.pk].entities_in_reach == 0
    assert counts[national.pk].commissions_in_reach == 0
    assert counts[arequipa.pk].active_members == 0
    assert_exact(national, arequipa)


def test_counters_follow_a_network_moved_under_another_in_the_admin(
    client, settings, national, network
):
    settings.SECURE_SSL_REDIRECT = False
    factories.MembershipFactory.create_batch(2, network=network)
    factories.CommissionFactory(network=network)
    assert shown(national)[national.pk].entities_in_reach == 0
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    url = admin_url(Network, "change", network.pk)
    data = form_data(client.get(url))
    data["parent"] = str(national.pk)
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    counts = shown(national)
    assert (counts[national.pk].entities_in_reach, counts[national.pk].commissions_in_reach) == (
        2,
        1,
    )
    assert_exact(national, network)


def test_an_entity_in_two_regions_counts_once_in_the_national_reach(national, regions):
    entity = factories.EntityFactory()
    for region in regions:
        factories.MembershipFactory(network=region, entity=entity)
    factories.MembershipFactory(network=national)

    counts = shown(national, *regions)

    assert counts[national.pk].entities_in_reach == 2
    assert counts[national.pk].active_members == 1
    assert [counts[region.pk].active_members for region in regions] == [1, 1]


def test_the_home_page_shows_the_kept_counts(client, national, regions):
    factories.bulk_members(regions[0], 3)
    client.get(reverse("home"), secure=True)
    NetworkCounters.objects.filter(network=regions[0]).update(active_members=42)

    response = client.get(reverse("home"), secure=True)

    networks = {network.pk: network for network in response.context["networks"]}
    # Nothing changed since the row was kept: the page reads it as it is, counting nothing.
    assert networks[regions[0].pk].active_member_count == 42


def test_without_versions_the_shown_networks_are_counted_every_time(national, regions, monkeypatch):
    monkeypatch.setattr(changes, "enabled", lambda: False)
    factories.MembershipFactory(network=regions[0])

    counts = shown(national, *regions)

    assert counts[national.pk].entities_in_reach == 1
    assert not NetworkCounters.objects.exists()
    assert counters.recount([national.pk]) == []
