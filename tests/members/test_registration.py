"""Entities register themselves and apply to a network."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from commissions.models import CommissionMember, CommissionState, PromoterTerm
from core.actors import SYSTEM
from core.errors import DomainError
from members import selectors
from members.models import Entity, Invitation, Membership, MembershipStatus, Notification
from members.services import (
    accept_invitation,
    apply_for_membership,
    change_membership_status,
    register_entity,
)
from networks.models import MembershipApproval
from networks.scoping import all_networks
from networks.services import publish_charter
from platforms.models import Sector
from tests import factories


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """Pages in English, so their messages are checked by their source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def charter(network):
    return publish_charter(
        network=network,
        mission="Fortalecer el voluntariado.",
        vision="Un espacio plural.",
        principles="Horizontal, inclusivo.",
        code_of_ethics="Actuamos con transparencia.",
        commitment="Participamos en al menos una comisión.",
        by=SYSTEM,
    )


@pytest.fixture
def applicant(db):
    return factories.UserFactory(email="ana@example.org")


@pytest.fixture
def entity(applicant):
    return register_entity(by=applicant, name="Jóvenes del Misti", kind="youth_group")


def apply(network, entity, user, charter, **overrides):
    arguments = {
        "network": network,
        "entity": entity,
        "platform": factories.platform_of(network, Sector.YOUTH),
        "by": user,
        "charter_version": charter,
        "accept_charter": True,
    }
    arguments.update(overrides)
    return apply_for_membership(**arguments)


def membership_of(entity, network):
    with all_networks():
        return Membership.objects.get(entity=entity, network=network)


# Registering an organisation


def test_an_unregistered_group_registers_and_its_registrant_may_apply_for_it(applicant):
    entity = register_entity(
        by=applicant, name="  Vecinos   Solidarios ", kind="informal_group", city="Arequipa"
    )

    assert entity.name == "Vecinos Solidarios"
    assert entity.legally_registered is False
    assert entity.created_by == applicant
    assert selectors.entities_represented_by(applicant) == [entity]


def test_two_entities_with_the_same_name_get_different_slugs(applicant):
    first = register_entity(by=applicant, name="Manos Unidas", kind="ngo")
    second = register_entity(by=applicant, name="Manos Unidas", kind="ngo", not_a_duplicate=True)

    assert first.slug == "manos-unidas"
    assert second.slug == "manos-unidas-2"


def test_registering_a_name_like_an_existing_one_asks_for_confirmation(applicant):
    factories.EntityFactory(name="Asociación Chachani Verde")

    with pytest.raises(DomainError, match="similar name"):
        register_entity(by=applicant, name="asociacion CHACHANI verde", kind="association")

    assert not Entity.objects.filter(created_by=applicant).exists()
    register_entity(
        by=applicant, name="Asociacion Chachani Verde", kind="association", not_a_duplicate=True
    )
    assert Entity.objects.filter(created_by=applicant).count() == 1


def test_an_unverified_person_cannot_register_an_organisation(db):
    person = factories.UserFactory(verified=False)

    with pytest.raises(DomainError, match="verify your email"):
        register_entity(by=person, name="Vecinos Solidarios", kind="informal_group")

    assert not Entity.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "Chachani Verde",
        "asociación chachani",
        "ASOCIACION CHACHANI VERDE",
        "Asociacion Chachani Verdes",
    ],
)
def test_similar_entities_finds_names_whatever_accents_case_and_extra_words(db, typed):
    wanted = factories.EntityFactory(name="Asociación Chachani Verde")
    factories.EntityFactory(name="Colectivo Manglares Vivos")
    factories.EntityFactory(name="Asociación Voluntaria del Sur")

    assert selectors.similar_entities(typed) == [wanted]


def test_similar_entities_ignores_names_that_share_only_generic_words(db):
    factories.EntityFactory(name="Asociación de Voluntariado Juvenil")

    assert selectors.similar_entities("Asociación Cultural Yanahuara") == []
    assert selectors.similar_entities("de la") == []


def test_similar_entities_answers_in_one_query_with_twenty_thousand_entities(
    network, django_assert_num_queries
):
    factories.bulk_members(network, 20_000)
    wanted = factories.EntityFactory(name="Voluntarios del Cañón del Colca")

    with django_assert_num_queries(1):
        found = selectors.similar_entities("voluntarios canon del colca")

    assert found[0] == wanted


# Applying to a network


def test_applying_stores_the_charter_version_and_moment_and_waits_for_review(
    network, charter, applicant, entity
):
    membership = apply(network, entity, applicant, charter)

    assert membership.status == MembershipStatus.APPLIED
    assert membership.representative == applicant
    assert membership.charter_version == charter
    assert timezone.now() - membership.charter_accepted_at < timedelta(minutes=1)
    assert membership.joined_at is None


def test_in_an_open_network_the_entity_is_active_at_once(network, charter, applicant, entity):
    network.membership_approval = MembershipApproval.OPEN
    network.save()

    membership = apply(network, entity, applicant, charter)

    assert membership.status == MembershipStatus.ACTIVE
    assert membership.joined_at is not None


def test_applying_tells_the_facilitators(network, charter, applicant, entity):
    facilitator = factories.FacilitatorFactory(network=network).user

    apply(network, entity, applicant, charter)

    with all_networks():
        assert Notification.objects.get(recipient=facilitator).kind == "membership.applied"


def test_the_charter_must_be_accepted(network, charter, applicant, entity):
    with pytest.raises(DomainError, match="accept the network's commitment"):
        apply(network, entity, applicant, charter, accept_charter=False)

    with all_networks():
        assert not Membership.objects.exists()


def test_a_charter_published_while_reading_must_be_read_again(network, charter, applicant, entity):
    publish_charter(
        network=network, mission="m", vision="v", principles="p", code_of_ethics="c", by=SYSTEM
    )

    with pytest.raises(DomainError, match="new version of its charter"):
        apply(network, entity, applicant, charter)


def test_the_alternate_is_invited_by_mail_whether_or_not_they_have_an_account(
    network,
    charter,
    applicant,
    entity,
    django_capture_on_commit_callbacks,
    mail_delivered_at_commit,
):
    factories.UserFactory(email="Beto@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        membership = apply(network, entity, applicant, charter, alternate_email="beto@example.org")
    other = register_entity(by=applicant, name="Huellas Andinas", kind="ngo")
    with django_capture_on_commit_callbacks(execute=True):
        second = apply(network, other, applicant, charter, alternate_email="new@example.org")

    assert (membership.alternate, second.alternate) == (None, None)
    with all_networks():
        invitations = {
            invitation.membership_id: invitation for invitation in Invitation.objects.all()
        }
    assert invitations[membership.pk].email == "beto@example.org"
    assert invitations[second.pk].email == "new@example.org"
    assert {invitation.role for invitation in invitations.values()} == {"alternate"}
    assert [message.to for message in mail.outbox] == [["beto@example.org"], ["new@example.org"]]
    assert invitations[second.pk].token in mail.outbox[1].body


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-email", "not a valid email"), ("ANA@example.org", "different person")],
)
def test_a_bad_alternate_email_changes_nothing(network, charter, applicant, entity, email, message):
    with pytest.raises(DomainError, match=message):
        apply(network, entity, applicant, charter, alternate_email=email)

    with all_networks():
        assert not Membership.objects.exists()
        assert not Invitation.objects.exists()


def test_applying_twice_names_the_current_status(network, charter, applicant, entity):
    apply(network, entity, applicant, charter)

    with pytest.raises(DomainError, match="its membership is applied"):
        apply(network, entity, applicant, charter)

    with all_networks():
        assert Membership.objects.count() == 1


def test_a_rejected_entity_may_apply_again(network, charter, applicant, entity):
    membership = apply(network, entity, applicant, charter)
    change_membership_status(
        membership=membership, status="rejected", reason="Faltan datos", by=SYSTEM
    )

    again = apply(network, entity, applicant, charter)

    assert again.pk == membership.pk
    assert again.status == MembershipStatus.APPLIED
    assert again.status_reason == ""


def test_an_entity_active_elsewhere_may_join_another_network(
    network, other_network, charter, applicant, entity
):
    network.membership_approval = MembershipApproval.OPEN
    network.save()
    apply(network, entity, applicant, charter)

    elsewhere = apply(other_network, entity, applicant, None)

    assert elsewhere.status == MembershipStatus.APPLIED
    assert membership_of(entity, network).status == MembershipStatus.ACTIVE


def test_nobody_applies_for_an_entity_they_do_not_represent(network, charter, entity):
    stranger = factories.UserFactory()

    with pytest.raises(DomainError, match="You do not represent"):
        apply(network, entity, stranger, charter)

    with all_networks():
        assert not Membership.objects.exists()


def test_a_platform_of_another_network_is_refused(
    network, other_network, charter, applicant, entity
):
    with pytest.raises(DomainError, match="this network's platforms"):
        apply(network, entity, applicant, charter, platform=factories.platform_of(other_network))

    with all_networks():
        assert not Membership.objects.exists()


def test_an_unverified_person_cannot_apply(network, charter, db):
    person = factories.UserFactory(verified=False)
    entity = factories.EntityFactory(created_by=person)

    with pytest.raises(DomainError, match="verify your email"):
        apply(network, entity, person, charter)


# Commission on joining (Arequipa, footnote 16)


@pytest.fixture
def arequipa_rule(network):
    network.commission_on_joining = True
    network.save()
    return network


def test_where_the_network_asks_for_it_a_commission_must_be_chosen(
    arequipa_rule, charter, applicant, entity
):
    with pytest.raises(DomainError, match="join a commission or propose one"):
        apply(arequipa_rule, entity, applicant, charter)


def test_a_closed_or_foreign_commission_cannot_be_chosen(
    arequipa_rule, other_network, charter, applicant, entity
):
    closed = factories.CommissionFactory(network=arequipa_rule, state=CommissionState.CLOSED)
    foreign = factories.CommissionFactory(network=other_network)

    for commission in (closed, foreign):
        with pytest.raises(DomainError, match="open commissions"):
            apply(arequipa_rule, entity, applicant, charter, commission=commission)


def test_the_commission_chosen_is_joined_on_approval(arequipa_rule, charter, applicant, entity):
    commission = factories.CommissionFactory(network=arequipa_rule)
    membership = apply(arequipa_rule, entity, applicant, charter, commission=commission)
    with all_networks():
        assert not CommissionMember.objects.filter(entity=entity).exists()

    change_membership_status(membership=membership, status="active", by=SYSTEM)

    with all_networks():
        assert CommissionMember.objects.filter(commission=commission, entity=entity).exists()
    membership.refresh_from_db()
    assert membership.pending_commission is None


def test_the_commission_proposed_is_created_on_approval_with_the_entity_as_promoter(
    arequipa_rule, charter, applicant, entity
):
    membership = apply(
        arequipa_rule,
        entity,
        applicant,
        charter,
        proposed_commission_name="Patrimonio y Juventud",
        proposed_commission_purpose="Recorridos culturales.",
    )

    change_membership_status(membership=membership, status="active", by=SYSTEM)

    with all_networks():
        term = PromoterTerm.objects.get(entity=entity)
    assert term.commission.name == "Patrimonio y Juventud"


def test_in_an_open_network_the_commission_choice_is_carried_out_at_once(
    arequipa_rule, charter, applicant, entity
):
    arequipa_rule.membership_approval = MembershipApproval.OPEN
    arequipa_rule.save()
    commission = factories.CommissionFactory(network=arequipa_rule)

    apply(arequipa_rule, entity, applicant, charter, commission=commission)

    with all_networks():
        assert CommissionMember.objects.filter(commission=commission, entity=entity).exists()


# Decision notices


def test_approval_and_rejection_notify_representative_and_alternate_with_the_reason(
    network, charter, applicant, entity
):
    alternate = factories.UserFactory()
    membership = apply(network, entity, applicant, charter, alternate_email=alternate.email)
    with all_networks():
        accept_invitation(invitation=Invitation.objects.get(membership=membership), by=alternate)
    change_membership_status(
        membership=membership, status="rejected", reason="Falta el código", by=SYSTEM
    )

    with all_networks():
        rejected = Notification.objects.filter(kind="membership.rejected")
        assert {n.recipient for n in rejected} == {applicant, alternate}
        assert rejected[0].context["reason"] == "Falta el código"

    change_membership_status(membership=membership, status="applied", by=SYSTEM)
    change_membership_status(membership=membership, status="active", by=SYSTEM)

    with all_networks():
        approved = Notification.objects.filter(kind="membership.approved")
        assert {n.recipient for n in approved} == {applicant, alternate}


def test_suspending_sends_no_decision_notice(network, db):
    membership = factories.MembershipFactory(network=network)

    change_membership_status(
        membership=membership, status="suspended", reason="Inactiva", by=SYSTEM
    )

    with all_networks():
        assert not Notification.objects.exists()


# Pages


def test_the_registration_page_registers_and_goes_on_to_apply(client, network, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("workspace:register_entity"),
        {"name": "Huellas Andinas", "kind": "ngo", "network": network.pk, "description": "x"},
    )

    entity = Entity.objects.get(name="Huellas Andinas")
    assert response.status_code == 302
    assert response.url == reverse("members:apply", args=[network.slug]) + f"?entidad={entity.slug}"


def test_the_registration_page_shows_similar_names_and_creates_nothing(client, applicant):
    factories.EntityFactory(name="Asociación Chachani Verde")
    client.force_login(applicant)

    response = client.post(
        reverse("workspace:register_entity"), {"name": "Chachani Verde", "kind": "association"}
    )

    assert response.status_code == 200
    assert "Asociación Chachani Verde" in response.content.decode()
    assert Entity.objects.count() == 1


def test_similar_names_fragment_while_typing(client, applicant):
    factories.EntityFactory(name="Asociación Chachani Verde")
    client.force_login(applicant)

    response = client.get(reverse("workspace:similar_entities"), {"name": "chachani"})

    assert "Asociación Chachani Verde" in response.content.decode()


def test_the_application_page_applies(client, network, charter, applicant, entity):
    client.force_login(applicant)
    url = reverse("members:apply", args=[network.slug])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "entity": entity.pk,
            "platform": factories.platform_of(network).pk,
            "charter_version": charter.pk,
            "accept_charter": "on",
            "alternate_email": "",
        },
    )

    assert response.status_code == 302
    assert membership_of(entity, network).status == MembershipStatus.APPLIED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"accept_charter": ""}, "accept the network"),
        ({"alternate_email": "nope"}, "valid email"),
        ({"platform": "999999"}, "valid choice"),
        ({"entity": "999999"}, "valid choice"),
        ({"charter_version": "abc"}, "new version of its charter"),
    ],
)
def test_bad_input_on_the_application_page_is_a_message_and_changes_nothing(
    client, network, charter, applicant, entity, change, message
):
    client.force_login(applicant)
    data = {
        "entity": entity.pk,
        "platform": factories.platform_of(network).pk,
        "charter_version": charter.pk,
        "accept_charter": "on",
    }
    data.update(change)

    response = client.post(reverse("members:apply", args=[network.slug]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    with all_networks():
        assert not Membership.objects.exists()


def test_an_unverified_person_sees_the_verification_page_and_nothing_changes(
    client, network, charter
):
    person = factories.UserFactory(verified=False)
    entity = factories.EntityFactory(created_by=person)
    client.force_login(person)

    response = client.post(
        reverse("members:apply", args=[network.slug]),
        {"entity": entity.pk, "platform": factories.platform_of(network).pk},
    )

    assert response.status_code == 403
    with all_networks():
        assert not Membership.objects.exists()


def test_a_visitor_is_sent_to_log_in(client, network):
    response = client.get(reverse("members:apply", args=[network.slug]))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_facilitator_is_told_on_the_application_page_that_they_stay_neutral(
    client, network, charter
):
    facilitator = factories.FacilitatorFactory(network=network).user
    entity = factories.EntityFactory(created_by=facilitator)
    client.force_login(facilitator)
    url = reverse("members:apply", args=[network.slug])

    page = client.get(url)
    posted = client.post(
        url,
        {
            "entity": entity.pk,
            "platform": factories.platform_of(network).pk,
            "charter_version": charter.pk,
            "accept_charter": "on",
        },
    )

    assert page.status_code == posted.status_code == 403
    assert "You facilitate this network" in page.content.decode()
    with all_networks():
        assert not Membership.objects.exists()
