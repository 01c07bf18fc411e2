"""Visitors' public pages from the cache, under versions the database keeps in each write's
transaction: a change shows on the very next request, and no page is shared between
networks, languages or people."""

import gzip
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissions.models import Commission
from members import services as member_services
from members.models import Entity, EntityKind, Membership, Notification, User
from networks import changes, page_cache
from networks.models import NetworkChange, NetworkKind
from networks.scoping import all_networks
from tests import factories
from tests.events.factories import EventFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the versions are kept by PostgreSQL triggers"
    ),
]


@pytest.fixture
def country(db):
    """A national network with two regions; an entity sits in both regions."""
    national = factories.NetworkFactory(
        name="Red Nacional", slug="nacional", kind=NetworkKind.NATIONAL
    )
    north = factories.NetworkFactory(name="Red Piura", slug="piura", parent=national)
    south = factories.NetworkFactory(name="Red Arequipa", slug="arequipa", parent=national)
    with all_networks():
        shared = factories.MembershipFactory(network=north).entity
        factories.MembershipFactory(network=south, entity=shared)
        only_north = factories.MembershipFactory(network=north, entity__name="Raíces del Norte")
        only_south = factories.MembershipFactory(network=south, entity__name="Manos del Sur")
    return {
        "national": national,
        "north": north,
        "south": south,
        "shared": shared,
        "north_member": only_north,
        "south_member": only_south,
    }


def versions(world):
    return {
        name: changes.version_of_network(world[name].slug)
        for name in ("national", "north", "south")
    }


def test_a_write_in_a_region_changes_its_version_and_the_nationals_not_its_siblings(country):
    before = versions(country)
    with all_networks():
        factories.CommissionFactory(network=country["north"])
    after = versions(country)

    assert after["north"] > before["north"]
    assert after["national"] > before["national"]
    assert after["south"] == before["south"]


def test_a_write_in_the_national_network_changes_every_regions_version(country):
    before = versions(country)
    with all_networks():
        factories.CommissionFactory(network=country["national"])
    after = versions(country)

    assert all(after[name] > before[name] for name in before)


def test_a_bulk_update_and_a_delete_change_the_version(country):
    with all_networks():
        commission = factories.CommissionFactory(network=country["south"])
    before = versions(country)["south"]
    with all_networks():
        Commission.objects.filter(pk=commission.pk).update(name="Otra comisión")
    updated = versions(country)["south"]
    with all_networks():
        Commission.objects.filter(pk=commission.pk).delete()

    assert before < updated < versions(country)["south"]


def test_a_change_to_an_entity_changes_every_networks_version(country):
    before = versions(country)
    Entity.objects.filter(pk=country["shared"].pk).update(description="Nueva descripción")

    assert all(value > before[name] for name, value in versions(country).items())


def test_a_login_a_token_or_a_notification_changes_no_version(country):
    before = changes.version_of_everything()
    User.objects.filter(pk=country["north_member"].representative_id).update(last_login=None)

    assert changes.version_of_everything() == before


def test_every_write_changes_the_version_of_signed_in_pages(country):
    before = changes.version_of_signed_in_pages()
    User.objects.filter(pk=country["north_member"].representative_id).update(last_login=None)
    after_login = changes.version_of_signed_in_pages()
    with all_networks():
        factories.CommissionFactory(network=country["south"])

    assert before < after_login < changes.version_of_signed_in_pages()


def test_compaction_folds_the_rows_and_keeps_every_version(country):
    with all_networks():
        for _ in range(3):
            factories.CommissionFactory(network=country["north"])
    before, everything = versions(country), changes.version_of_everything()
    rows = NetworkChange.objects.count()

    changes.compact()

    assert versions(country) == before
    assert changes.version_of_everything() == everything
    assert NetworkChange.objects.count() < rows


def test_compaction_does_nothing_where_there_are_no_triggers(country, monkeypatch):
    # SQLite, the embedded default, has neither the triggers nor a DELETE inside WITH.
    monkeypatch.setattr(changes, "enabled", lambda: False)
    rows = NetworkChange.objects.count()

    assert changes.compact() == 0
    assert NetworkChange.objects.count() == rows


def test_every_table_public_pages_show_has_the_triggers_and_no_other_has_them():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, count(*) FROM pg_trigger "
            "WHERE tgname LIKE 'tejido_change_%%' GROUP BY 1"
        )
        triggered = dict(cursor.fetchall())
    tracked = {model._meta.db_table for model in changes.tracked_models()}

    assert {table for table, count in triggered.items() if count == 3} == tracked
    assert set(triggered) == tracked
    assert "commissions_commission" in tracked and "members_entity" in tracked
    assert "members_user" not in tracked and "core_outgoingmail" not in tracked


def test_every_other_table_but_the_unseen_has_the_triggers_of_signed_in_pages():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, count(*) FROM pg_trigger "
            "WHERE tgname LIKE 'tejido_private_%%' GROUP BY 1"
        )
        triggered = dict(cursor.fetchall())
    tables = set(connection.introspection.table_names())
    tracked = {model._meta.db_table for model in changes.tracked_models()}

    assert set(triggered) == changes.privately_followed_tables()
    assert set(triggered.values()) == {3}
    assert set(triggered) == tables - tracked - changes.UNSEEN_TABLES
    assert {"members_user", "members_notification", "account_emailaddress"} <= set(triggered)
    assert not set(triggered) & {"django_session", "core_outgoingmail", "networks_networkchange"}


# The cache in front of the pages.


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


def directory_url(network):
    return reverse("members:directory", kwargs={"network_slug": network.slug})


def profile_url(network, entity):
    return reverse(
        "members:entity", kwargs={"network_slug": network.slug, "entity_slug": entity.slug}
    )


def test_a_visitors_second_request_is_answered_with_one_query(
    client, country, django_assert_num_queries
):
    with time_machine.travel(timezone.now(), tick=False):  # no PAGE_CACHE_SECONDS boundary
        first = client.get(directory_url(country["north"]))
        with django_assert_num_queries(1):
            second = client.get(directory_url(country["north"]))

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "no-cache" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_a_page_this_process_answered_is_answered_again_without_asking_redis(
    client, country, monkeypatch
):
    url = directory_url(country["north"])
    with time_machine.travel(timezone.now(), tick=False):  # no PAGE_CACHE_SECONDS boundary
        first = client.get(url)
        asked = []
        monkeypatch.setattr(page_cache.cache, "get", lambda key, *args: asked.append(key))
        second = client.get(url)

    assert asked == []
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_page_kept_in_memory_is_drawn_again_after_a_change_another_process_made(client, country):
    """The version is read on every request, so what a process holds is never stale."""
    entity = country["shared"]
    url = profile_url(country["north"], entity)
    assert "Nombre nuevo" not in client.get(url).content.decode()

    # As another process would: straight into the database, with no cache touched.
    with all_networks():
        Entity.objects.filter(pk=entity.pk).update(name="Nombre nuevo")

    assert "Nombre nuevo" in client.get(url).content.decode()


def test_a_client_holding_the_page_gets_a_304(client, country):
    url = directory_url(country["north"])
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"otra"').status_code == 200


def test_an_entitys_change_shows_on_the_very_next_request(client, country):
    entity = country["shared"]
    with all_networks():
        membership = Membership.objects.get(entity=entity, network=country["north"])
    urls = [directory_url(country["north"]), profile_url(country["south"], entity)]
    for url in urls:
        assert "Nombre nuevo" not in client.get(url).content.decode()

    member_services.update_entity_profile(
        entity=entity,
        by=membership.representative,
        name="Nombre nuevo",
        kind=EntityKind.NGO,
        description="Una descripción nueva",
    )

    for url in urls:
        assert "Nombre nuevo" in client.get(url).content.decode()


def test_the_same_address_in_two_networks_and_two_languages_is_two_pages(client, country):
    north = client.get(directory_url(country["north"])).content.decode()
    south = client.get(directory_url(country["south"])).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    north_in_english = client.get(directory_url(country["north"]))

    assert "Raíces del Norte" in north and "Raíces del Norte" not in south
    assert "Manos del Sur" in south and "Manos del Sur" not in north
    assert north_in_english["Content-Language"] == "en"
    assert north_in_english.content.decode() != north


def test_signed_in_people_are_never_served_a_visitors_page(client, country):
    url = directory_url(country["north"])
    visitors = client.get(url)
    person = country["north_member"].representative
    client.force_login(person)

    page = client.get(url)

    assert reverse("account_logout") in page.content.decode()
    assert page.content != visitors.content
    assert "public" not in page.get("Cache-Control", "")


def test_a_page_that_hands_out_a_csrf_token_is_not_kept(client, country):
    # The application form carries a CSRF token: kept, it would be one visitor's.
    url = reverse("members:apply", kwargs={"network_slug": country["north"].slug})
    first = client.get(url)
    second = client.get(url)

    assert "ETag" not in first and "ETag" not in second


def public_addresses(world):
    north = world["north"]
    slug = {"network_slug": north.slug}
    with all_networks():
        commission = factories.CommissionFactory(network=north)
        event = EventFactory(network=north)
    return [
        reverse("home"),
        reverse("networks:detail", kwargs=slug),
        reverse("members:directory", kwargs=slug) + "?q=raices",
        profile_url(north, world["shared"]),
        reverse("commissions:list", kwargs=slug),
        reverse("commissions:detail", kwargs={**slug, "commission_id": commission.pk}),
        reverse("events:list", kwargs=slug),
        reverse("events:detail", kwargs={**slug, "event_id": event.pk}),
        reverse("events:network_feed", kwargs=slug),
        reverse("api:entities", kwargs=slug),
    ]


def without_stamps(content):
    """A calendar says when it was drawn (DTSTAMP); the rest must be the same."""
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"", content)


def test_every_public_page_from_the_cache_is_the_page_drawn_without_it(
    client, country, settings, django_assert_max_num_queries
):
    addresses = public_addresses(country)
    settings.PAGE_CACHE = False
    drawn = {url: client.get(url, secure=True) for url in addresses}
    settings.PAGE_CACHE = True
    # The clock stands still: a page kept just before a PAGE_CACHE_SECONDS boundary is
    # drawn again just after it, on purpose, and that must not fail this test.
    with time_machine.travel(timezone.now(), tick=False):
        answers = {}
        for url in addresses:
            first = client.get(url, secure=True)
            assert not first.cookies, (url, first.cookies)
            with django_assert_max_num_queries(1, info=url):
                answers[url] = client.get(url, secure=True)
    for url, cached in answers.items():
        assert cached.status_code == drawn[url].status_code == 200, url
        assert without_stamps(cached.content) == without_stamps(drawn[url].content), url
        assert cached["Content-Type"] == drawn[url]["Content-Type"], url
        assert cached.has_header("ETag"), url


def test_a_browser_gets_the_page_gzipped_and_the_same_page_once_decompressed(client, country):
    url = directory_url(country["north"])
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    first_zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert first_zipped.content == zipped.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    assert int(plain["Content-Length"]) == len(plain.content)
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    # Two representations, two ETags; each client's own gives it a 304.
    assert zipped["ETag"] != plain["ETag"]
    holding = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert holding.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 200


def test_a_client_that_refuses_gzip_gets_the_page_as_it_is(client, country):
    url = directory_url(country["north"])
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    refused = client.get(url, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")

    assert "Content-Encoding" not in refused
    assert "Raíces del Norte" in refused.content.decode()


def test_a_change_shows_on_the_very_next_gzipped_request(client, country):
    url = directory_url(country["north"])
    before = gzip.decompress(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content).decode()
    with all_networks():
        factories.MembershipFactory(network=country["north"], entity__name="Semillas Nuevas")

    after = gzip.decompress(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content).decode()

    assert "Semillas Nuevas" not in before and "Semillas Nuevas" in after


@pytest.mark.django_db(transaction=True)
def test_the_version_query_stands_in_for_the_kept_connections_health_check(monkeypatch):
    network = factories.NetworkFactory(slug="piura")
    version = changes.version_of_network(network.slug)
    # A connection kept from an earlier request, not yet checked in this one, that the
    # database dropped meanwhile (a restart).
    connection.health_check_enabled, connection.health_check_done = True, False
    connection.connection.close()
    monkeypatch.setattr(
        connection, "is_usable", lambda: pytest.fail("a separate health check was made")
    )

    assert changes.version_of_network(network.slug) == version
    assert connection.connection.closed == 0


# Signed-in pages, kept for their session alone.


def directory_api_url(network):
    return f"/api/v1/networks/{network.slug}/entities/"


def signed_in(client, person):
    """A client signed in as this person, holding the CSRF cookie its forms hand out."""
    client.force_login(person)
    client.get(reverse("workspace:home"))
    return client


def test_a_signed_in_persons_second_request_is_answered_from_their_own_cache(
    client, country, django_assert_num_queries
):
    signed_in(client, country["north_member"].representative)
    url = directory_url(country["north"])
    with time_machine.travel(timezone.now(), tick=False):  # no PAGE_CACHE_SECONDS boundary
        first = client.get(url)
        # The version of signed-in pages (the session is read from the cache).
        with django_assert_num_queries(1):
            second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "private" in second["Cache-Control"] and "public" not in second["Cache-Control"]
    assert "Content-Encoding" not in second
    # Its CSRF cookie's age renewed, as a page drawn renews it.
    csrf_cookie = second.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie.value == client.cookies[settings.CSRF_COOKIE_NAME].value
    assert csrf_cookie["max-age"] == settings.CSRF_COOKIE_AGE
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_two_people_reading_the_same_page_each_get_their_own(client, country):
    url = reverse("workspace:home")
    north = signed_in(client, country["north_member"].representative)
    norths = [north.get(url).content.decode() for _ in range(2)]
    south = signed_in(Client(), country["south_member"].representative)
    souths = [south.get(url).content.decode() for _ in range(2)]

    assert "Raíces del Norte" in norths[1] and "Manos del Sur" not in norths[1]
    assert "Manos del Sur" in souths[1] and "Raíces del Norte" not in souths[1]


def test_a_notification_shows_on_the_very_next_signed_in_request(client, country):
    person = country["north_member"].representative
    signed_in(client, person)
    url = directory_url(country["north"])
    client.get(url)
    assert 'class="badge"' not in client.get(url).content.decode()

    with all_networks():
        Notification.objects.create(
            network=country["north"], recipient=person, kind="membership.applied", key="a:1"
        )

    assert 'class="badge">1<' in client.get(url).content.decode()


def test_a_change_in_another_network_shows_on_the_very_next_signed_in_request(client, country):
    # "My network" shows every network of the person's entity.
    person = country["north_member"].representative
    signed_in(client, person)
    url = reverse("workspace:home")
    client.get(url)
    assert "Red Piura Norte" not in client.get(url).content.decode()

    country["north"].name = "Red Piura Norte"
    country["north"].save(update_fields=["name"])

    assert "Red Piura Norte" in client.get(url).content.decode()


def test_signing_out_ends_the_pages_kept_for_the_session(client, country):
    signed_in(client, country["north_member"].representative)
    url = reverse("workspace:home")
    client.get(url)
    client.get(url)

    client.post(reverse("account_logout"))

    assert client.get(url).status_code == 302


def test_a_page_with_a_message_to_show_is_drawn_and_shows_it(client, country):
    signed_in(client, country["north_member"].representative)
    url = reverse("workspace:home")
    client.get(url)
    kept = client.get(url)
    saved = Message(constants.SUCCESS, "Se guardó tu perfil.")
    client.cookies["messages"] = CookieStorage(None)._encode([saved])

    page = client.get(url)

    assert "Se guardó tu perfil." in page.content.decode()
    assert "Se guardó tu perfil." not in kept.content.decode()


def test_the_admin_and_the_api_are_never_kept_for_a_signed_in_person(admin_client, country):
    for url in (reverse("admin:index"), directory_api_url(country["north"])):
        admin_client.get(url)
        assert "ETag" not in admin_client.get(url)
