"""Changes made in the admin reach the network's activity history: who, what, before and after."""

import pytest
from django.urls import reverse

from commissions.models import Commission
from events.models import Registration
from members.models import Entity, Membership
from networks.models import HistoryEntry, Network
from platforms.models import Platform, Sector
from tests import factories
from tests.admin.conftest import admin_url, form_data
from tests.events.factories import RegistrationFactory

# The actions of the history rows written for changes made in the admin.
ADMIN_CHANGED = "admin.changed"
ADMIN_DELETED = "admin.deleted"


def entries(network, action=ADMIN_CHANGED):
    return list(
        HistoryEntry.objects.with_scopes_disabled()
        .filter(network=network, action=action)
        .order_by("pk")
    )


def save_change(client, model, obj, **changes):
    url = admin_url(model, "change", obj.pk)
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_a_facilitator_changing_the_networks_settings_is_recorded_with_old_and_new_values(
    client, facilitator, network
):
    client.force_login(facilitator)

    save_change(client, Network, network, stall_after_days="90", region="Arequipa sur")

    [entry] = entries(network)
    assert entry.actor == facilitator
    assert entry.subject == network
    assert entry.changes == {
        "stall_after_days": [60, 90],
        "region": ["Arequipa", "Arequipa sur"],
    }


def test_saving_without_changing_anything_records_nothing(client, facilitator, network):
    client.force_login(facilitator)

    save_change(client, Network, network)

    assert entries(network) == []


def test_renaming_a_platform_is_recorded_in_its_network(client, facilitator, network, unscoped):
    platform = Platform.objects.get(network=network, sector=Sector.YOUTH)
    client.force_login(facilitator)

    save_change(client, Platform, platform, name="Juventudes")

    [entry] = entries(network)
    assert (entry.actor, entry.subject) == (facilitator, platform)
    assert entry.changes == {"name": ["", "Juventudes"]}


def test_a_platform_changed_from_the_network_page_is_recorded(
    client, facilitator, network, unscoped
):
    platform = Platform.objects.get(network=network, sector=Sector.YOUTH)
    client.force_login(facilitator)
    url = admin_url(Network, "change", network.pk)
    data = form_data(client.get(url))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("platforms-") and key.endswith("-id") and value == str(platform.pk)
    )
    data[f"platforms-{index}-description"] = "Colectivos juveniles"

    assert client.post(url, data).status_code == 302

    [entry] = entries(network)
    assert entry.subject == platform
    assert entry.changes == {"description": ["", "Colectivos juveniles"]}


def test_moving_a_membership_to_another_platform_is_recorded(client, facilitator, mine, unscoped):
    before = mine.platform
    after = Platform.objects.get(network=mine.network, sector=Sector.PUBLIC)
    client.force_login(facilitator)

    save_change(client, Membership, mine, platform=str(after.pk))

    [entry] = entries(mine.network)
    assert (entry.actor, entry.subject) == (facilitator, mine)
    assert entry.changes == {"platform": [before.pk, after.pk]}


def test_a_site_admin_correcting_a_shared_entity_is_recorded_in_each_of_its_networks(
    client, superuser, mine, other_network, unscoped
):
    entity = mine.entity
    factories.MembershipFactory(network=other_network, entity=entity)
    client.force_login(superuser)

    save_change(client, Entity, entity, city="Yanahuara")

    for network in (mine.network, other_network):
        [entry] = entries(network)
        assert (entry.actor, entry.subject) == (superuser, entity)
        assert entry.changes == {"city": ["Arequipa", "Yanahuara"]}


def test_a_site_admin_renaming_a_commission_is_recorded(client, superuser, network, unscoped):
    commission = factories.CommissionFactory(network=network, name="Comisión de Salud")
    client.force_login(superuser)

    save_change(client, Commission, commission, name="Comisión de Salud Mental")

    [entry] = entries(network)
    assert entry.changes == {"name": ["Comisión de Salud", "Comisión de Salud Mental"]}


def test_a_site_admin_removing_a_mistaken_registration_is_recorded(
    client, superuser, network, unscoped
):
    registration = RegistrationFactory(event__network=network, name="Duplicado", email="d@x.org")
    client.force_login(superuser)

    response = client.post(admin_url(Registration, "delete", registration.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    [entry] = entries(network, ADMIN_DELETED)
    assert (entry.actor, entry.object_id) == (superuser, registration.pk)
    assert entry.changes == {"deleted": str(registration)}


def test_a_name_typed_with_a_line_break_is_kept_on_one_line(client, facilitator, network):
    client.force_login(facilitator)

    save_change(client, Network, network, region="Arequipa\r\nBcc: todos@example.org")

    network.refresh_from_db()
    assert network.region == "Arequipa Bcc: todos@example.org"


def test_the_activity_feed_tells_of_changes_made_in_the_admin(
    client, facilitator, network, settings
):
    client.force_login(facilitator)
    save_change(client, Network, network, stall_after_days="90")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    feed = client.get(reverse("facilitation:activity", kwargs={"network_slug": network.slug}))

    assert feed.status_code == 200
    assert "Network was changed in the admin:" in feed.text
    assert "days without activity before a commission counts as stalled" in feed.text


@pytest.mark.parametrize("model", [Network, Platform])
def test_a_facilitator_records_nothing_in_a_network_they_do_not_facilitate(
    client, facilitator, other_network, model, unscoped
):
    row = other_network if model is Network else Platform.objects.filter(network=other_network)[0]
    client.force_login(facilitator)

    response = client.post(admin_url(model, "change", row.pk), {"name": "Tomada"})

    assert response.status_code in {302, 403, 404}
    assert entries(other_network) == []
