"""Announcements: who hears them, by which channel, once; corrections; the way out of mail."""

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from announcements import services
from core.actors import SYSTEM
from core.errors import DomainError
from core.models import OutgoingMail
from members import notifications
from members.models import MembershipStatus, NotificationPreference
from members.services import assign_interlocutor, change_membership_status, choose_mail
from networks.scoping import all_networks
from tests import factories

pytestmark = pytest.mark.django_db


def turn_off(person, network):
    """The person's own choice, on their settings page: no mail from this network."""
    choose_mail(
        by=person,
        default=person.notification_preference,
        per_network={network: NotificationPreference.NEVER},
    )


@pytest.fixture
def town(network, other_network):
    """Network A with members; an entity shared with network B; one that left A."""
    with all_networks():
        facilitator = factories.FacilitatorFactory(network=network).user
        member = factories.MembershipFactory(network=network)
        quiet = factories.MembershipFactory(network=network)
        shared = factories.MembershipFactory(network=network)
        factories.MembershipFactory(
            network=other_network,
            entity=shared.entity,
            representative=shared.representative,
            alternate=shared.alternate,
        )
        elsewhere = factories.MembershipFactory(network=other_network)
        gone = factories.MembershipFactory(network=network)
        change_membership_status(
            membership=gone, status=MembershipStatus.LEFT, by=SYSTEM, reason="Cerró la sede."
        )
        applied = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    # "Not at all" for network A only: the quiet member's representative.
    notifications_for = {
        "member": member,
        "quiet": quiet,
        "shared": shared,
        "elsewhere": elsewhere,
        "gone": gone,
        "applied": applied,
    }
    turn_off(quiet.representative, network)
    return facilitator, notifications_for


def inbox_of(user):
    return list(notifications.inbox(user))


def mailed_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_the_facilitator_reaches_every_active_members_representative_and_alternate(network, town):
    facilitator, people = town
    announcement = services.announce(
        network=network, by=facilitator, title="Plenaria de diciembre", body="Será el 12."
    )
    notifications.deliver_pending_notifications()

    for key in ("member", "quiet", "shared"):
        for person in (people[key].representative, people[key].alternate):
            (item,) = inbox_of(person)
            assert item.link == announcement.get_absolute_url()
    # Everybody has it in the inbox; mail only as each chose for this network.
    assert mailed_to(people["member"].representative)
    assert mailed_to(people["quiet"].alternate)
    assert not mailed_to(people["quiet"].representative)
    # Another network's member, an entity that left, an applicant: nothing.
    for key in ("elsewhere", "gone", "applied"):
        assert inbox_of(people[key].representative) == []
        assert not mailed_to(people[key].representative)
    assert inbox_of(facilitator) == []
    (message,) = mailed_to(people["member"].representative)
    assert network.name in message.body
    assert settings.SITE_URL + announcement.get_absolute_url() in message.body


def test_a_person_in_two_networks_chooses_for_each(network, other_network, town):
    facilitator, people = town
    shared = people["shared"].representative
    turn_off(shared, other_network)
    services.announce(network=network, by=facilitator, title="Aviso", body="Texto.")
    notifications.deliver_pending_notifications()
    # Off in B, on in A: a message from A still comes.
    assert len(mailed_to(shared)) == 1


def test_the_unsubscribe_link_works_without_a_session_and_only_for_its_network(
    client, network, other_network, town
):
    facilitator, people = town
    person = people["shared"].representative
    services.announce(network=network, by=facilitator, title="Primero", body="Texto.")
    notifications.deliver_pending_notifications()
    (message,) = mailed_to(person)
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>").removeprefix(settings.SITE_URL)

    # A mail scanner's GET changes nothing; the one-click POST, with no session, does.
    assert client.get(url, secure=True).status_code == 200
    assert notifications.preference_of(person, network) == NotificationPreference.IMMEDIATELY
    response = client.post(url, {"List-Unsubscribe": "One-Click"}, secure=True)
    assert response.status_code == 200
    with all_networks():
        assert notifications.preference_of(person, network) == NotificationPreference.NEVER
        assert (
            notifications.preference_of(person, other_network) == NotificationPreference.IMMEDIATELY
        )

    mail.outbox.clear()
    services.announce(network=network, by=facilitator, title="Segundo", body="Texto.")
    notifications.deliver_pending_notifications()
    assert mailed_to(person) == []
    assert len(inbox_of(person)) == 2


def test_a_forged_unsubscribe_link_changes_nothing(client, network, town):
    _facilitator, people = town
    person = people["member"].representative
    token = notifications.unsubscribe_token(person.pk, network.pk)
    response = client.post(f"/cuenta/baja/{token}x/", secure=True)
    assert response.status_code == 400
    assert notifications.preference_of(person, network) == NotificationPreference.IMMEDIATELY


def test_all_choices_sit_on_one_settings_page(client, network, other_network, town):
    _facilitator, people = town
    person = people["shared"].representative
    client.force_login(person)
    page = client.get("/cuenta/ajustes/", secure=True).content.decode()
    assert network.name in page and other_network.name in page
    response = client.post(
        "/cuenta/ajustes/",
        {
            "first_name": "Ana",
            "last_name": "Quispe",
            "phone": "",
            "language": "es",
            "notification_preference": NotificationPreference.WEEKLY_DIGEST,
            f"network_{network.pk}": NotificationPreference.NEVER,
            f"network_{other_network.pk}": NotificationPreference.IMMEDIATELY,
        },
        secure=True,
    )
    assert response.status_code == 302
    with all_networks():
        assert notifications.preference_of(person, network) == NotificationPreference.NEVER
        assert (
            notifications.preference_of(person, other_network) == NotificationPreference.IMMEDIATELY
        )


def test_a_correction_sends_the_correction_alone(network, town):
    facilitator, people = town
    announcement = services.announce(
        network=network, by=facilitator, title="Plenaria", body="Será a las 9:00 en el local."
    )
    notifications.deliver_pending_notifications()
    mail.outbox.clear()
    services.correct(announcement=announcement, by=facilitator, text="Es a las 10:00.")
    notifications.deliver_pending_notifications()

    (message,) = mailed_to(people["member"].representative)
    assert "Es a las 10:00." in message.body
    assert "Será a las 9:00" not in message.body
    local = timezone.localtime(announcement.created_at, network.zone)
    # The date of the announcement, in Spanish and in the network's time zone.
    assert f"{local.day} de " in message.body and "America/Lima" in message.body
    assert len(inbox_of(people["member"].representative)) == 2


def test_only_its_author_or_the_facilitator_corrects(network, town):
    facilitator, people = town
    announcement = services.announce(network=network, by=facilitator, title="A", body="B")
    with pytest.raises(DomainError):
        services.correct(announcement=announcement, by=people["member"].representative, text="No.")


def test_members_do_not_write_to_the_whole_network_but_the_interlocutor_does(network, town):
    _facilitator, people = town
    with pytest.raises(DomainError):
        services.announce(
            network=network, by=people["member"].representative, title="Hola", body="Todos."
        )
    assign_interlocutor(network=network, entity=people["member"].entity, by=SYSTEM)
    announcement = services.announce(
        network=network, by=people["member"].representative, title="Hola", body="Todos."
    )
    assert announcement.entity == people["member"].entity
    assert inbox_of(people["quiet"].alternate)


def test_another_networks_facilitator_cannot_write_here(network, other_network, town):
    with all_networks():
        stranger = factories.FacilitatorFactory(network=other_network).user
    with pytest.raises(DomainError):
        services.announce(network=network, by=stranger, title="Hola", body="Todos.")


def test_promoters_write_to_their_commission_members_only(network, town):
    _facilitator, people = town
    with all_networks():
        commission = factories.CommissionFactory(network=network)
        factories.CommissionMemberFactory(commission=commission, entity=people["member"].entity)
        factories.CommissionMemberFactory(commission=commission, entity=people["shared"].entity)
        factories.PromoterTermFactory(commission=commission, entity=people["member"].entity)
    promoter = people["member"].representative
    announcement = services.announce_to_commission(
        commission=commission,
        entity=people["member"].entity,
        by=promoter,
        title="Reunión",
        body="El martes.",
    )
    assert announcement.commission == commission
    assert inbox_of(people["shared"].alternate)
    assert inbox_of(people["member"].alternate)
    assert inbox_of(promoter) == []
    assert inbox_of(people["quiet"].representative) == []
    with pytest.raises(DomainError):
        services.announce_to_commission(
            commission=commission,
            entity=people["shared"].entity,
            by=people["shared"].representative,
            title="Yo también",
            body="No promuevo.",
        )


def test_news_reaches_the_public_page_and_the_rest_does_not(client, network, town):
    facilitator, _people = town
    services.announce(
        network=network, by=facilitator, title="Noticia pública", body="Hola.", public=True
    )
    services.announce(network=network, by=facilitator, title="Solo miembros", body="Hola.")
    page = client.get(f"/redes/{network.slug}/", secure=True).content.decode()
    assert "Noticia pública" in page
    assert "Solo miembros" not in page
    listing = client.get(f"/redes/{network.slug}/anuncios/", secure=True).content.decode()
    assert "Noticia pública" in listing and "Solo miembros" not in listing


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two sessions at once need PostgreSQL (CI runs them)",
)
def test_two_workers_delivering_at_once_mail_each_person_once(network, town):
    facilitator, people = town
    services.announce(network=network, by=facilitator, title="Una vez", body="Solo una.")
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            notifications.deliver_pending_notifications()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    person = people["member"].representative
    assert OutgoingMail.objects.filter(recipients=person.email).count() == 1
    assert OutgoingMail.objects.filter(recipients=people["quiet"].representative.email).count() == 0
