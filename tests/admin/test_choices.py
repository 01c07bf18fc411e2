"""Choices in admin forms say which network they belong to, and stay within a row's network."""

import pytest

from members.models import Membership
from platforms.models import Platform, Sector
from tests import factories
from tests.admin.conftest import admin_url, form_data


def platform_options(response):
    return [
        str(label)
        for _value, label in response.context["adminform"].form.fields["platform"].choices
    ]


def test_a_memberships_platform_choices_are_its_networks_and_say_so(
    client, superuser, mine, other_network, unscoped
):
    client.force_login(superuser)

    page = client.get(admin_url(Membership, "change", mine.pk))

    options = [label for label in platform_options(page) if label != "---------"]
    assert len(options) == len(Sector.values)
    assert all(label.endswith("— Red de Voluntariado de Arequipa") for label in options)
    assert "Sociedad civil — Red de Voluntariado de Arequipa" in page.text
    assert "Cusco" not in page.text


def test_a_new_memberships_platform_choices_are_labelled_with_their_network(
    client, superuser, network, other_network
):
    client.force_login(superuser)

    page = client.get(admin_url(Membership, "add"))

    assert "Sociedad civil — Red de Voluntariado de Arequipa" in page.text
    assert "Sociedad civil — Red Soy Voluntari@ Cusco" in page.text


def test_a_facilitator_is_offered_only_the_platforms_of_their_network(
    client, facilitator, mine, other_network
):
    client.force_login(facilitator)

    page = client.get(admin_url(Membership, "change", mine.pk))

    assert page.status_code == 200
    assert "Sociedad civil — Red de Voluntariado de Arequipa" in page.text
    assert "Cusco" not in page.text


def test_a_platform_of_another_network_is_refused_on_a_new_membership_with_a_message(
    client, superuser, network, other_network, unscoped
):
    entity = factories.EntityFactory()
    client.force_login(superuser)

    response = client.post(
        admin_url(Membership, "add"),
        {
            "network": network.pk,
            "entity": entity.pk,
            "platform": factories.platform_of(other_network).pk,
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "platform" in errors
    assert not Membership.objects.filter(entity=entity).exists()


def test_a_platform_of_another_network_is_refused_on_a_membership(
    client, superuser, mine, other_network, unscoped
):
    client.force_login(superuser)
    url = admin_url(Membership, "change", mine.pk)
    data = form_data(client.get(url))
    data["platform"] = factories.platform_of(other_network).pk

    response = client.post(url, data)

    assert response.status_code == 200
    assert "platform" in response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.platform.network_id == mine.network_id


@pytest.mark.parametrize("sector", [Sector.PUBLIC, Sector.YOUTH])
def test_moving_a_membership_to_another_platform_of_its_network_works(
    client, facilitator, mine, sector, unscoped
):
    target = Platform.objects.get(network=mine.network, sector=sector)
    client.force_login(facilitator)
    url = admin_url(Membership, "change", mine.pk)
    data = form_data(client.get(url))
    data["platform"] = target.pk

    response = client.post(url, data)

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.platform == target
