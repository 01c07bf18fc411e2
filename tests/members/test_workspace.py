"""The entity's workspace, "My network", and its permissions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.actors import SYSTEM
from decisions.services import table_proposal
from members.models import Entity, MembershipStatus
from members.services import change_membership_status, name_representative_or_alternate
from networks.scoping import all_networks
from networks.services import publish_charter
from tests import factories
from tests.events.factories import EventFactory, RegistrationFactory


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def person(db):
    return factories.UserFactory(email="ana@example.org")


def memberships_for(person, count):
    """`count` memberships of one person's entities, in as many networks, each with a commission
    it promotes, an event it registered for, one it may register for and a proposal to decide."""
    made = []
    with all_networks():
        for number in range(count):
            network = factories.NetworkFactory()
            publish_charter(
                network=network,
                mission="m",
                vision="v",
                principles="p",
                code_of_ethics="c",
                by=SYSTEM,
            )
            membership = factories.MembershipFactory(network=network, representative=person)
            commission = factories.CommissionFactory(network=network)
            factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
            factories.PromoterTermFactory(commission=commission, entity=membership.entity)
            RegistrationFactory(event=EventFactory(network=network), entity=membership.entity)
            EventFactory(network=network)
            table_proposal(
                network=network,
                entity=membership.entity,
                by=person,
                title="Adoptar el código de ética",
                text="La red adopta el código.",
                closes_at=timezone.now() + timedelta(days=2),
            )
            made.append(membership)
            if number % 2:
                factories.MembershipFactory(
                    network=network,
                    status=MembershipStatus.APPLIED,
                    representative=factories.UserFactory(),
                    alternate=person,
                )
    return made


def test_the_workspace_shows_each_membership_with_status_date_and_reason(client, person, network):
    rejected = factories.MembershipFactory(
        network=network, status=MembershipStatus.APPLIED, representative=person, alternate=None
    )
    change_membership_status(
        membership=rejected, status="rejected", reason="Falta el código", by=SYSTEM
    )
    client.force_login(person)

    body = client.get(reverse("workspace:home")).content.decode()

    assert rejected.entity.name in body
    assert "Rejected" in body
    assert "Falta el código" in body
    assert reverse("members:apply", args=[network.slug]) in body


def test_a_new_charter_version_waits_for_the_entitys_acceptance(client, person, network):
    first = publish_charter(
        network=network,
        mission="m",
        vision="v",
        principles="p",
        code_of_ethics="c",
        by=SYSTEM,
    )
    membership = factories.MembershipFactory(
        network=network, representative=person, charter_version=first
    )
    url = reverse("members:accept_charter", args=[network.slug, membership.entity.slug])
    client.force_login(person)
    assert url not in client.get(reverse("workspace:home")).content.decode()

    publish_charter(
        network=network, mission="m", vision="v", principles="p", code_of_ethics="d", by=SYSTEM
    )

    assert url in client.get(reverse("workspace:home")).content.decode()


def test_an_invitation_waiting_for_the_person_is_listed(client, network):
    membership = factories.MembershipFactory(network=network, alternate=None)
    with all_networks():
        invitation = name_representative_or_alternate(
            membership=membership,
            role="alternate",
            email="later@example.org",
            by=membership.representative,
        )
    newcomer = factories.UserFactory(email="later@example.org")
    client.force_login(newcomer)

    body = client.get(reverse("workspace:home")).content.decode()

    assert reverse("workspace:invitation", args=[invitation.token]) in body


def test_a_registered_entity_that_has_not_applied_yet_is_shown(client, person):
    entity = factories.EntityFactory(created_by=person)
    client.force_login(person)

    body = client.get(reverse("workspace:home")).content.decode()

    assert entity.name in body
    assert "has not applied to any network yet" in body


@pytest.mark.parametrize("count", [1, 10])
def test_the_workspace_makes_the_same_number_of_queries_whatever_the_memberships(
    client, person, count, django_assert_num_queries
):
    memberships_for(person, count)
    client.force_login(person)
    client.get(reverse("workspace:home"))  # warm the session and the content types

    # user with the roles, verified address and unread notifications (for the header) in
    # one query; memberships, registered entities, networks (with their parents, for the
    # reach of each entity), invitations for me and sent; commissions: seats with the
    # promoters among them; events: registrations, events open; decisions: proposals,
    # positions, votes
    with django_assert_num_queries(11):
        response = client.get(reverse("workspace:home"))

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="membership"') == count + count // 2
    assert body.count('class="workspace-commission"') == count
    assert body.count("badge-promoter") == count
    assert body.count('class="workspace-event"') == count
    assert body.count('class="workspace-open-event"') == count
    assert body.count('class="workspace-proposal"') == count


# Editing the public profile


def test_the_representative_edits_the_public_profile(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.alternate)

    response = client.post(
        reverse("workspace:edit_entity", args=[membership.entity.slug]),
        {"name": "Nuevo Nombre", "kind": "ngo", "description": "Otra descripción"},
    )

    assert response.status_code == 302
    entity = Entity.objects.get(pk=membership.entity.pk)
    assert (entity.name, entity.description) == ("Nuevo Nombre", "Otra descripción")


@pytest.mark.parametrize("who", ["stranger", "former_representative", "unverified"])
def test_others_cannot_edit_the_profile(client, network, who):
    membership = factories.MembershipFactory(network=network)
    if who == "stranger":
        user = factories.UserFactory()
    elif who == "unverified":
        user = factories.UserFactory(verified=False)
        membership.representative = user
        with all_networks():
            membership.save()
    else:
        user = membership.representative
        change_membership_status(membership=membership, status="left", reason="Se va", by=SYSTEM)
        factories.MembershipFactory(entity=membership.entity)  # active elsewhere, other people
    client.force_login(user)

    response = client.post(
        reverse("workspace:edit_entity", args=[membership.entity.slug]),
        {"name": "Hackeado", "kind": "ngo"},
    )

    assert response.status_code in (403, 404)
    assert Entity.objects.get(pk=membership.entity.pk).name != "Hackeado"


def test_a_bad_website_is_a_form_error_and_changes_nothing(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.representative)

    response = client.post(
        reverse("workspace:edit_entity", args=[membership.entity.slug]),
        {"name": "Otro", "kind": "ngo", "website": "not a url"},
    )

    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert Entity.objects.get(pk=membership.entity.pk).name != "Otro"


# Representatives and the charter, from the network's pages


def test_the_alternate_names_a_new_alternate_on_the_representatives_page(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.representative)
    url = reverse("members:representatives", args=[network.slug, membership.entity.slug])

    response = client.post(url, {"role": "alternate", "alternate-email": "bad"})
    assert response.status_code == 200
    assert "valid email" in response.content.decode()

    response = client.post(url, {"role": "alternate", "alternate-email": "otra@example.org"})
    assert response.status_code == 302
    with all_networks():
        assert membership.invitations.get().email == "otra@example.org"


def test_a_facilitator_cannot_change_an_entitys_representatives(client, network):
    membership = factories.MembershipFactory(network=network)
    facilitator = factories.FacilitatorFactory(network=network).user
    client.force_login(facilitator)

    response = client.get(
        reverse("members:representatives", args=[network.slug, membership.entity.slug])
    )

    assert response.status_code == 403


def test_accepting_a_new_charter_version(client, network):
    old = publish_charter(
        network=network,
        mission="m",
        vision="v",
        principles="p",
        code_of_ethics="c",
        by=SYSTEM,
    )
    membership = factories.MembershipFactory(network=network, charter_version=old)
    new = publish_charter(
        network=network,
        mission="m2",
        vision="v",
        principles="p",
        code_of_ethics="c2",
        by=SYSTEM,
    )
    client.force_login(membership.representative)
    url = reverse("members:accept_charter", args=[network.slug, membership.entity.slug])

    stale = client.post(url, {"charter_version": old.pk, "accept_charter": "on"})
    assert "new version of its charter" in stale.content.decode()

    client.post(url, {"charter_version": new.pk, "accept_charter": "on"})

    membership.refresh_from_db()
    assert membership.charter_version == new
    assert membership.charter_accepted_at is not None


# Every page added answers in a number of queries that does not grow with the data


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_application_page_makes_the_same_queries_for_one_or_many_entities(client, person):
    network = factories.NetworkFactory(commission_on_joining=True)
    publish_charter(
        network=network, mission="m", vision="v", principles="p", code_of_ethics="c", by=SYSTEM
    )
    client.force_login(person)
    url = reverse("members:apply", args=[network.slug])
    factories.EntityFactory(created_by=person)
    factories.CommissionFactory(network=network)
    few = queries_for(client, url)

    for _number in range(6):
        factories.EntityFactory(created_by=person)
        factories.CommissionFactory(network=network)
        factories.MembershipFactory(representative=person)
    many = queries_for(client, url)

    assert few == many


def test_the_registration_page_makes_the_same_queries_whatever_the_similar_names(client, person):
    client.force_login(person)
    url = reverse("workspace:register_entity")
    factories.EntityFactory(name="Chachani Verde")
    data = {"name": "Chachani Verde", "kind": "ngo"}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.post(url, data)
    with CaptureQueriesContext(connection) as few:
        client.post(url, data)
    for number in range(8):
        factories.EntityFactory(name=f"Chachani Verde {number}")
    with CaptureQueriesContext(connection) as many:
        client.post(url, data)

    assert len(few) == len(many)


def test_the_representatives_page_makes_the_same_queries_whatever_the_invitations(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.representative)
    url = reverse("members:representatives", args=[network.slug, membership.entity.slug])
    few = queries_for(client, url)

    with all_networks():
        for number in range(5):
            name_representative_or_alternate(
                membership=membership,
                role="alternate" if number % 2 else "representative",
                email=f"invitada{number}@example.org",
                by=membership.representative,
            )
    many = queries_for(client, url)

    assert few == many


@pytest.mark.parametrize("route", ["members:accept_charter", "workspace:edit_entity"])
def test_the_charter_and_profile_pages_answer_in_few_queries(client, network, route):
    publish_charter(
        network=network, mission="m", vision="v", principles="p", code_of_ethics="c", by=SYSTEM
    )
    membership = factories.MembershipFactory(network=network)
    membership.entity.priority_areas.set([])
    client.force_login(membership.representative)
    if route == "workspace:edit_entity":
        url = reverse(route, args=[membership.entity.slug])
    else:
        url = reverse(route, args=[network.slug, membership.entity.slug])

    assert queries_for(client, url) <= 12
