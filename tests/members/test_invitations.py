"""Invitations to be an entity's representative or alternate, and taking the post by accepting."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError
from core.models import OutgoingMail
from members.models import Invitation, InvitationRole
from members.services import accept_invitation, name_representative_or_alternate
from networks.models import HistoryEntry
from networks.scoping import all_networks
from tests import factories


@pytest.fixture(autouse=True)
def _mail_sent_at_commit(mail_delivered_at_commit):
    """The invitation is an outbox row written with it; the test sees it sent at commit."""


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def membership(network):
    return factories.MembershipFactory(network=network, alternate=None)


def invite(membership, email="nueva@example.org", role=InvitationRole.ALTERNATE):
    with all_networks():
        return name_representative_or_alternate(
            membership=membership, role=role, email=email, by=membership.representative
        )


def refreshed(invitation):
    with all_networks():
        return Invitation.objects.get(pk=invitation.pk)


def test_naming_someone_without_an_account_mails_an_invitation_valid_two_weeks(
    membership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(membership)

    assert isinstance(invitation, Invitation)
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert mail.outbox[0].to == ["nueva@example.org"]
    assert reverse("workspace:invitation", args=[invitation.token]) in mail.outbox[0].body
    membership.refresh_from_db()
    assert membership.alternate is None


def test_the_invitation_mail_speaks_the_networks_language(
    membership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(membership)

    assert " lo invita a ser su suplente en " in mail.outbox[0].subject


def test_a_newer_invitation_replaces_the_older_one(membership):
    first = invite(membership, "uno@example.org")
    second = invite(membership, "dos@example.org")
    person = factories.UserFactory(email="uno@example.org")

    with pytest.raises(DomainError, match="newer invitation replaced"):
        accept_invitation(invitation=refreshed(first), by=person)
    assert refreshed(second).replaced_at is None


def test_the_invitee_becomes_the_alternate_and_the_change_is_recorded(membership):
    invitation = invite(membership)
    person = factories.UserFactory(email="Nueva@Example.org")

    accept_invitation(invitation=refreshed(invitation), by=person)

    membership.refresh_from_db()
    assert membership.alternate == person
    assert refreshed(invitation).used_by == person
    with all_networks():
        assert HistoryEntry.objects.filter(
            action="membership.representatives", object_id=membership.pk
        ).exists()


def test_an_invitation_to_be_representative_hands_the_post_over(membership):
    invitation = invite(membership, role=InvitationRole.REPRESENTATIVE)
    person = factories.UserFactory(email="nueva@example.org")

    accept_invitation(invitation=refreshed(invitation), by=person)

    membership.refresh_from_db()
    assert membership.representative == person


def test_an_invitation_is_used_once(membership):
    invitation = invite(membership)
    person = factories.UserFactory(email="nueva@example.org")
    accept_invitation(invitation=refreshed(invitation), by=person)

    with pytest.raises(DomainError, match="already been used"):
        accept_invitation(invitation=refreshed(invitation), by=person)


def test_an_expired_invitation_changes_nothing(membership):
    invitation = invite(membership)
    person = factories.UserFactory(email="nueva@example.org")

    later = timezone.now() + timedelta(days=15)
    with time_machine.travel(later), pytest.raises(DomainError, match="expired"):
        accept_invitation(invitation=refreshed(invitation), by=person)

    membership.refresh_from_db()
    assert membership.alternate is None
    assert refreshed(invitation).used_at is None


def test_an_invitation_for_another_email_changes_nothing(membership):
    invitation = invite(membership)
    intruder = factories.UserFactory(email="otra@example.org")

    with pytest.raises(DomainError, match="another email address"):
        accept_invitation(invitation=refreshed(invitation), by=intruder)

    membership.refresh_from_db()
    assert membership.alternate is None


def test_an_unverified_invitee_cannot_accept(membership):
    invitation = invite(membership)
    person = factories.UserFactory(email="nueva@example.org", verified=False)

    with pytest.raises(DomainError, match="verify your email"):
        accept_invitation(invitation=refreshed(invitation), by=person)


def test_naming_someone_with_an_account_changes_nothing_until_they_accept(
    membership, django_capture_on_commit_callbacks
):
    colleague = factories.UserFactory(email="colega@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        result = invite(membership, "COLEGA@example.org")

    membership.refresh_from_db()
    assert isinstance(result, Invitation)
    assert membership.alternate is None
    assert mail.outbox[0].to == ["colega@example.org"]
    with all_networks():
        assert not HistoryEntry.objects.filter(action="membership.representatives").exists()

    accept_invitation(invitation=refreshed(result), by=colleague)

    membership.refresh_from_db()
    assert membership.alternate == colleague


def test_the_alternate_who_becomes_representative_leaves_the_alternate_post_empty(network):
    membership = factories.MembershipFactory(network=network)
    representative, alternate = membership.representative, membership.alternate

    invitation = invite(membership, alternate.email, role=InvitationRole.REPRESENTATIVE)
    membership.refresh_from_db()
    assert (membership.representative, membership.alternate) == (representative, alternate)

    accept_invitation(invitation=refreshed(invitation), by=alternate)

    membership.refresh_from_db()
    assert membership.representative == alternate
    assert membership.alternate is None


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("not an email", InvitationRole.ALTERNATE, "not a valid email"),
        ("", InvitationRole.REPRESENTATIVE, "needs a representative"),
    ],
)
def test_bad_emails_are_refused(membership, email, role, message):
    with pytest.raises(DomainError, match=message):
        invite(membership, email, role=role)

    with all_networks():
        assert not Invitation.objects.exists()


def test_the_representative_cannot_also_be_the_alternate(membership):
    with pytest.raises(DomainError, match="different person"):
        invite(membership, membership.representative.email.upper())


def test_only_the_entitys_people_change_its_posts(membership):
    stranger = factories.UserFactory()

    with pytest.raises(DomainError, match="Only the entity's representative"), all_networks():
        name_representative_or_alternate(
            membership=membership, role="alternate", email="x@example.org", by=stranger
        )


# The invitation page


def test_a_visitor_is_asked_to_sign_up_or_log_in_and_comes_back(client, membership):
    invitation = invite(membership)
    url = reverse("workspace:invitation", args=[invitation.token])

    response = client.get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert f"{reverse('account_signup')}?next=" in body
    assert f"{reverse('account_login')}?next=" in body
    assert "nueva@example.org" in body


def test_the_invitee_accepts_on_the_page(client, membership):
    invitation = invite(membership)
    person = factories.UserFactory(email="nueva@example.org")
    client.force_login(person)

    response = client.post(reverse("workspace:invitation", args=[invitation.token]))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.alternate == person


def test_a_used_invitation_shows_a_message_and_no_button(client, membership):
    invitation = invite(membership)
    person = factories.UserFactory(email="nueva@example.org")
    accept_invitation(invitation=refreshed(invitation), by=person)
    client.force_login(person)

    response = client.post(reverse("workspace:invitation", args=[invitation.token]))

    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("workspace:invitation", args=["nothing-here"])).status_code == 404


# Naming on the representatives page tells nothing about who has an account


def name_on_the_page(client, membership, email):
    url = reverse("members:representatives", args=[membership.network.slug, membership.entity.slug])
    posted = client.post(url, {"role": "alternate", "alternate-email": email})
    followed = client.get(url)
    return posted, followed


def test_the_page_answers_the_same_for_an_address_with_and_without_an_account(client, network):
    known = factories.UserFactory(
        email="conocida@example.org", first_name="Zenobia", last_name="Quispe Mamani"
    )
    mine = factories.MembershipFactory(network=network, alternate=None)
    client.force_login(mine.representative)

    posted_known, page_known = name_on_the_page(client, mine, known.email)
    posted_unknown, page_unknown = name_on_the_page(client, mine, "nadie@example.org")

    assert posted_known.status_code == posted_unknown.status_code == 302
    assert posted_known.url == posted_unknown.url
    said_known = [str(message) for message in page_known.context["messages"]]
    said_unknown = [str(message) for message in page_unknown.context["messages"]]
    assert said_known == [
        "We sent an invitation to conocida@example.org; it is valid for 14 days. "
        "The person takes the post when they accept it."
    ]
    assert [text.replace(known.email, "@") for text in said_known] == [
        text.replace("nadie@example.org", "@") for text in said_unknown
    ]
    for page in (page_known, page_unknown):
        assert "Quispe Mamani" not in page.content.decode()
        assert "Zenobia" not in page.content.decode()
    mine.refresh_from_db()
    assert mine.alternate is None


def test_a_site_admin_may_invite_a_representative(network, django_capture_on_commit_callbacks):
    membership = factories.MembershipFactory(network=network)
    admin = factories.UserFactory(is_superuser=True, verified=False)

    with django_capture_on_commit_callbacks(execute=True), all_networks():
        invitation = name_representative_or_alternate(
            membership=membership,
            role=InvitationRole.REPRESENTATIVE,
            email="nueva@example.org",
            by=admin,
        )

    assert invitation.invited_by == admin
    assert mail.outbox[0].to == ["nueva@example.org"]
    before = membership.representative
    membership.refresh_from_db()
    assert membership.representative == before


def test_the_invitation_mail_is_written_with_the_invitation_and_rolls_back_with_it(membership):
    invite(membership, email="suplente@example.org")
    assert OutgoingMail.objects.pending().get().recipients == "suplente@example.org"
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(membership, email="otra@example.org")
        raise RuntimeError("the page failed after saving")
    assert OutgoingMail.objects.count() == 1
