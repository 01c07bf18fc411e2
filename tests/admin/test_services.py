"""The admin is not the last line: what a service governs goes through it, with who acts."""

import pytest
from django.core import mail

from members.models import Invitation, InvitationRole, Membership, MembershipStatus
from members.services import assign_interlocutor
from networks.models import CharterVersion, Facilitator, HistoryEntry, Interlocutor
from networks.services import publish_charter
from tests import factories
from tests.admin.conftest import admin_url, form_data


def change_membership(client, membership, **changes):
    url = admin_url(Membership, "change", membership.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_a_facilitator_cannot_make_themselves_an_entitys_representative_even_by_crafting_the_post(
    client, facilitator, mine
):
    representative = mine.representative
    client.force_login(facilitator)

    client.post(
        admin_url(Membership, "change", mine.pk),
        {
            "platform": mine.platform_id,
            "representative": facilitator.pk,
            "invite_representative": facilitator.email,
        },
    )

    mine.refresh_from_db()
    assert mine.representative == representative
    assert not Invitation.objects.filter(membership=mine).exists()


def test_a_facilitators_membership_form_has_no_invitation(client, facilitator, mine):
    client.force_login(facilitator)

    page = client.get(admin_url(Membership, "change", mine.pk))

    assert page.status_code == 200
    assert "invite_representative" not in page.context["adminform"].form.fields
    assert 'name="representative"' not in page.text


def test_a_site_admin_invites_a_new_alternate_through_the_members_service(
    client, superuser, mine, django_capture_on_commit_callbacks, mail_delivered_at_commit
):
    alternate = mine.alternate
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_membership(client, mine, invite_alternate="nueva.suplente@example.org")

    assert response.status_code == 302
    invitation = Invitation.objects.get(membership=mine)
    assert (invitation.role, invitation.email, invitation.invited_by) == (
        InvitationRole.ALTERNATE,
        "nueva.suplente@example.org",
        superuser,
    )
    mine.refresh_from_db()
    # Nobody takes the post before accepting.
    assert mine.alternate == alternate
    assert [message.to for message in mail.outbox] == [["nueva.suplente@example.org"]]


def test_an_invitation_the_service_refuses_is_a_form_error_and_nothing_is_sent(
    client, superuser, mine, django_capture_on_commit_callbacks
):
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_membership(
            client,
            mine,
            invite_representative="nuevo.representante@example.org",
            invite_alternate=mine.representative.email,
        )

    assert response.status_code == 200
    assert "invite_alternate" in response.context["adminform"].form.errors
    assert not Invitation.objects.filter(membership=mine).exists()
    assert mail.outbox == []


def test_people_status_and_charter_typed_into_the_post_change_nothing_even_for_a_site_admin(
    client, superuser, mine, unscoped
):
    stranger = factories.UserFactory()
    charter = publish_charter(
        network=mine.network,
        mission="M",
        vision="V",
        principles="P",
        code_of_ethics="C",
        by=superuser,
    )
    before = Membership.objects.values().get(pk=mine.pk)
    client.force_login(superuser)

    response = change_membership(
        client,
        mine,
        representative=stranger.pk,
        alternate=stranger.pk,
        status=MembershipStatus.ACTIVE,
        charter_version=charter.pk,
        entity=factories.EntityFactory().pk,
    )

    assert response.status_code == 302
    assert Membership.objects.values().get(pk=mine.pk) == before


def test_a_facilitator_assigns_the_interlocutor_through_the_service(
    client, facilitator, network, unscoped
):
    member = factories.MembershipFactory(network=network, status=MembershipStatus.ACTIVE)
    client.force_login(facilitator)

    response = client.post(
        admin_url(Interlocutor, "add"),
        {"network": network.pk, "entity": member.entity_id, "reason": "Elegida en plenaria"},
    )

    assert response.status_code == 302
    interlocutor = Interlocutor.objects.get(network=network, ended_at__isnull=True)
    assert interlocutor.entity == member.entity
    entry = HistoryEntry.objects.get(action="interlocutor.assigned", object_id=interlocutor.pk)
    assert entry.actor == facilitator


def test_the_interlocutor_services_refusal_is_a_form_error(client, facilitator, network, unscoped):
    applicant = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    client.force_login(facilitator)

    # The entity has only applied: the service wants an active member.
    response = client.post(
        admin_url(Interlocutor, "add"), {"network": network.pk, "entity": applicant.entity_id}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Interlocutor.objects.filter(network=network).exists()


def test_a_facilitator_publishes_a_charter_through_the_service(client, facilitator, network):
    client.force_login(facilitator)

    response = client.post(
        admin_url(CharterVersion, "add"),
        {
            "network": network.pk,
            "mission": "Tejer redes",
            "vision": "Un país voluntario",
            "principles": "Horizontal",
            "code_of_ethics": "Respeto",
            "commitment": "",
        },
    )

    assert response.status_code == 302
    charter = CharterVersion.objects.with_scopes_disabled().get(network=network)
    entry = HistoryEntry.objects.with_scopes_disabled().get(
        action="charter.published", object_id=charter.pk
    )
    assert (charter.version, entry.actor) == (1, facilitator)


@pytest.mark.parametrize("model", [Facilitator, Interlocutor])
def test_saving_an_existing_term_again_changes_nothing_and_does_not_fail(
    client, superuser, facilitator, network, model, unscoped
):
    if model is Interlocutor:
        member = factories.MembershipFactory(network=network, status=MembershipStatus.ACTIVE)
        row = assign_interlocutor(network=network, entity=member.entity, by=superuser)
    else:
        row = Facilitator.objects.get(user=facilitator)
    client.force_login(superuser)
    url = admin_url(model, "change", row.pk)
    history = HistoryEntry.objects.count()

    response = client.post(url, form_data(client.get(url)))

    assert response.status_code == 302
    assert model.objects.filter(network=network).count() == 1
    assert HistoryEntry.objects.count() == history


def test_a_site_admin_adds_a_membership_as_an_application_without_people(
    client, superuser, network, unscoped
):
    entity = factories.EntityFactory()
    platform = factories.platform_of(network)
    client.force_login(superuser)

    response = client.post(
        admin_url(Membership, "add"),
        {"network": network.pk, "entity": entity.pk, "platform": platform.pk},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(entity=entity)
    # Approval follows through the status actions; people through invitations.
    assert membership.status == MembershipStatus.APPLIED
    assert (membership.representative, membership.alternate) == (None, None)
    entry = HistoryEntry.objects.get(action="membership.created", object_id=membership.pk)
    assert entry.actor == superuser
    assert entry.changes["platform"] == [None, platform.pk]
