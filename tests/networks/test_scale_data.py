"""The scale data generator creates what it says, and a second run adds a separate set."""

import io

import pytest
from django.core.management import CommandError, call_command

from commissions.models import Commission, CommissionMember, ProgressUpdate, PromoterTerm
from members.models import Entity, Membership
from networks.models import Network, NetworkKind
from platforms.models import Platform


def generate(**options):
    out = io.StringIO()
    call_command("generate_scale_data", stdout=out, **options)
    return out.getvalue()


def test_generates_the_numbers_it_is_given_and_prints_them(db, unscoped):
    output = generate(networks=3, entities=30, commissions=7, updates=20)

    assert Network.objects.filter(kind=NetworkKind.REGIONAL).count() == 3
    national = Network.objects.get(kind=NetworkKind.NATIONAL)
    assert set(Network.objects.exclude(pk=national.pk).values_list("parent", flat=True)) == {
        national.pk
    }
    assert Platform.objects.count() == 6 * 4
    assert Entity.objects.count() == 30
    assert Membership.objects.count() == 30
    assert Commission.objects.count() == 7
    assert CommissionMember.objects.count() == 7 * 4
    assert PromoterTerm.objects.count() == 7
    assert ProgressUpdate.objects.count() == 20
    assert "memberships" in output and "Generated in" in output


def test_generated_rows_stay_inside_their_network(db, unscoped):
    generate(networks=4, entities=40, commissions=8, updates=16)

    for member in CommissionMember.objects.select_related("commission"):
        assert member.network_id == member.commission.network_id
        assert Membership.objects.filter(network=member.network_id, entity=member.entity).exists()
    for membership in Membership.objects.select_related("platform"):
        assert membership.platform.network_id == membership.network_id
    for update in ProgressUpdate.objects.select_related("commission"):
        assert update.network_id == update.commission.network_id


def test_a_second_run_adds_a_separate_set(db, unscoped):
    generate(networks=2, entities=10, commissions=2, updates=0)
    generate(networks=2, entities=10, commissions=2, updates=0)

    assert Network.objects.filter(kind=NetworkKind.NATIONAL).count() == 2
    assert Entity.objects.count() == 20
    assert ProgressUpdate.objects.count() == 0


def test_refuses_fewer_entities_than_networks(db, unscoped):
    with pytest.raises(CommandError, match="at least one entity per network"):
        generate(networks=5, entities=3, commissions=1)

    assert not Network.objects.exists()
