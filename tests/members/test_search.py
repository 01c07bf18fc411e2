"""Searching entities by name as people type: without accents, in any case."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from core.text import folded
from members import facilitator_selectors, selectors
from members.models import Entity, MembershipStatus
from networks.scoping import all_networks
from tests import factories

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only"
)


def names(memberships):
    return [membership.entity.name for membership in memberships]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Raíces", "raices"),
        ("ASOCIACIÓN  Ñaña", "asociacion nana"),
        ("Straße", "strasse"),
        ("ﬁnanzas", "finanzas"),
        ("", ""),
        (None, ""),
    ],
)
def test_folded_drops_accents_and_case(typed, expected):
    assert folded(typed) == expected


@pytest.fixture
def members(network, other_network):
    for name in ("Raíces del Ande", "Asociación Chachani", "Colectivo Misti", "Raíz Nueva"):
        factories.MembershipFactory(network=network, entity__name=name)
    factories.MembershipFactory(network=other_network, entity__name="Raíces del Cusco")


@pytest.mark.usefixtures("members")
@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("raices", ["Raíces del Ande"]),
        ("RAICES", ["Raíces del Ande"]),
        ("Raíces", ["Raíces del Ande"]),
        ("asociacion", ["Asociación Chachani"]),
        ("ASOCIACIÓN", ["Asociación Chachani"]),
        ("  ande   raices ", ["Raíces del Ande"]),
        ("ra", ["Raíces del Ande", "Raíz Nueva"]),
        ("raices cusco", []),
        ("%", []),
        ("_", []),
    ],
)
def test_the_directory_finds_names_whatever_accents_and_case(network, typed, found):
    assert names(selectors.directory(network=network, query=typed)) == found


@pytest.mark.usefixtures("members")
def test_the_facilitators_member_list_finds_names_whatever_accents_and_case(network):
    factories.MembershipFactory(
        network=network, entity__name="Raíces Suspendidas", status=MembershipStatus.SUSPENDED
    )

    found = facilitator_selectors.member_list(network=network, query="RAICES")

    assert names(found) == ["Raíces Suspendidas", "Raíces del Ande"]


@pytest.mark.usefixtures("members")
def test_the_directory_page_and_api_search_without_accents(client, network):
    page = client.get(
        reverse("members:directory", kwargs={"network_slug": network.slug}),
        {"q": "raices"},
        secure=True,
    )
    api = client.get(f"/api/v1/networks/{network.slug}/entities/", {"q": "asociacion"})

    assert [m.entity.name for m in page.context["page"].object_list] == ["Raíces del Ande"]
    assert [entry["name"] for entry in api.json()["results"]] == ["Asociación Chachani"]


def test_similar_entities_finds_a_name_typed_without_accents(db):
    wanted = factories.EntityFactory(name="Raíces Ñañas del Ande")

    assert selectors.similar_entities("RAICES NANAS") == [wanted]


def test_the_search_name_follows_the_name_on_every_kind_of_write(db):
    entity = factories.EntityFactory(name="Asociación Uno")
    assert entity.search_name == "asociacion uno"

    entity.name = "Raíces Dos"
    entity.save(update_fields=["name"])
    entity.refresh_from_db()
    assert entity.search_name == "raices dos"

    created = Entity.objects.bulk_create([Entity(name="Ñandú Tres", slug="nandu-tres", kind="ngo")])
    assert Entity.objects.get(pk=created[0].pk).search_name == "nandu tres"

    entity.name = "Árbol Cuatro"
    Entity.objects.bulk_update([entity], ["name"])
    assert Entity.objects.get(pk=entity.pk).search_name == "arbol cuatro"


def test_the_migration_fills_the_search_name_of_entities_stored_before(db):
    factories.EntityFactory(name="Raíces Antiguas")
    factories.EntityFactory(name="Asociación Vieja")
    Entity.objects.update(search_name="")
    migration = importlib.import_module("members.migrations.0010_entity_search_name")

    # The fill reads only the editor's connection; a real editor cannot open inside a test.
    migration.fill_search_names(apps, SimpleNamespace(connection=connection))

    assert sorted(Entity.objects.values_list("search_name", flat=True)) == [
        "asociacion vieja",
        "raices antiguas",
    ]


@on_postgresql
def test_a_name_search_can_use_the_trigram_index(network):
    factories.bulk_members(network, 50)
    with all_networks():
        query = Entity.objects.filter(selectors.name_search("raices", field="search_name"))
        sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "entity_search_name_trgm" in plan
