import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from core.actors import SYSTEM
from networks.scoping import network_scope
from platforms.models import Platform, Sector
from platforms.services import seed_platforms
from tests import factories

SIX_SECTORS = [
    "public",
    "private",
    "civil_society",
    "youth",
    "university",
    "international",
]


def sectors_of(network):
    with network_scope(network):
        return list(Platform.objects.order_by("position").values_list("sector", flat=True))


def test_every_new_network_gets_the_six_sector_platforms_in_order(db):
    first = factories.NetworkFactory()
    second = factories.NetworkFactory()

    assert sectors_of(first) == SIX_SECTORS
    assert sectors_of(second) == SIX_SECTORS


def test_seeding_twice_adds_nothing(network):
    seed_platforms(network=network, by=SYSTEM)
    seed_platforms(network=network, by=SYSTEM)

    with network_scope(network):
        assert Platform.objects.count() == 6


def test_seeding_restores_a_missing_sector_only(network):
    with network_scope(network):
        Platform.objects.filter(sector=Sector.YOUTH).delete()

    seed_platforms(network=network, by=SYSTEM)

    assert sorted(sectors_of(network)) == sorted(SIX_SECTORS)


def test_a_platform_can_be_renamed_and_seeding_keeps_the_name(network):
    with network_scope(network):
        youth = Platform.objects.get(sector=Sector.YOUTH)
        youth.name = "Plataforma de Juventudes del Sur"
        youth.save()

    seed_platforms(network=network, by=SYSTEM)

    with network_scope(network):
        youth = Platform.objects.get(sector=Sector.YOUTH)
    assert str(youth) == "Plataforma de Juventudes del Sur"


def test_an_unnamed_platform_is_called_by_its_sector(network):
    with network_scope(network):
        university = Platform.objects.get(sector=Sector.UNIVERSITY)

    with translation.override("en"):
        assert (university.name, str(university)) == ("", "Universities")


def test_a_network_has_one_platform_per_sector(network, other_network):
    with network_scope(network), pytest.raises(IntegrityError), transaction.atomic():
        Platform.objects.create(network=network, sector=Sector.PUBLIC)

    with network_scope(other_network):
        assert Platform.objects.filter(sector=Sector.PUBLIC).count() == 1
