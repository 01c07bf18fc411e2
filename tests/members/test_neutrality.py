"""The facilitator stays neutral (section 4.2 a): never the representative or alternate of
an entity in a network they facilitate, and never acting for a member entity there.

Each door is refused in its service, so no page, API call or admin form can open it.
"""

import pytest

from core.actors import SYSTEM
from core.errors import DomainError
from members.models import Entity, Invitation, InvitationRole, Membership, MembershipStatus
from members.services import (
    accept_current_charter,
    accept_invitation,
    apply_for_membership,
    name_representative_or_alternate,
    register_entity,
    set_representatives,
    update_entity_profile,
)
from networks.models import Facilitator, HistoryEntry
from networks.services import appoint_facilitator, publish_charter
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped", "english")]

NEUTRAL = "Facilitators stay neutral"
NEVER_A_POST = "a facilitator stays neutral and is never the representative or alternate"


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


@pytest.fixture
def charter(network):
    return publish_charter(
        network=network,
        mission="Fortalecer el voluntariado.",
        vision="Un espacio plural.",
        principles="Horizontal.",
        code_of_ethics="Transparencia.",
        by=SYSTEM,
    )


def fresh(membership):
    return Membership.objects.get(pk=membership.pk)


def posts_of(membership):
    membership = fresh(membership)
    return membership.representative_id, membership.alternate_id


# A facilitator never holds a post in a network they facilitate (defect 1, domain part)


def test_not_even_the_system_places_a_facilitator_in_a_post_of_their_network(network, facilitator):
    membership = factories.MembershipFactory(network=network)
    before = posts_of(membership)

    with pytest.raises(DomainError, match=NEVER_A_POST):
        set_representatives(
            membership=membership,
            representative=membership.representative,
            alternate=facilitator,
            by=SYSTEM,
        )

    assert posts_of(membership) == before


def test_a_facilitator_cannot_accept_an_invitation_to_a_post_in_their_network(network, facilitator):
    membership = factories.MembershipFactory(network=network, alternate=None)
    invitation = name_representative_or_alternate(
        membership=membership,
        role=InvitationRole.ALTERNATE,
        email=facilitator.email,
        by=membership.representative,
    )

    with pytest.raises(DomainError, match="You facilitate"):
        accept_invitation(invitation=invitation, by=facilitator)

    assert fresh(membership).alternate is None
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_facilitator_may_take_a_post_in_a_network_they_do_not_facilitate(
    network, other_network, facilitator
):
    membership = factories.MembershipFactory(network=other_network, alternate=None)
    invitation = name_representative_or_alternate(
        membership=membership,
        role=InvitationRole.ALTERNATE,
        email=facilitator.email,
        by=membership.representative,
    )

    accept_invitation(invitation=invitation, by=facilitator)

    assert fresh(membership).alternate == facilitator


def test_a_facilitator_cannot_apply_for_an_entity_in_their_network(network, facilitator, charter):
    entity = register_entity(by=facilitator, name="Colectivo de la Facilitadora", kind="ngo")

    with pytest.raises(DomainError, match=NEUTRAL):
        apply_for_membership(
            network=network,
            entity=entity,
            platform=factories.platform_of(network),
            by=facilitator,
            charter_version=charter,
            accept_charter=True,
        )

    assert not Membership.objects.filter(entity=entity).exists()


def test_appointing_someone_who_holds_a_post_tells_them_to_hand_it_over_first(network):
    membership = factories.MembershipFactory(network=network, entity__name="Manos Unidas")
    person = membership.alternate

    with pytest.raises(DomainError, match=r"alternate of Manos Unidas .* hand that post over"):
        appoint_facilitator(network=network, user=person, by=SYSTEM)

    assert not Facilitator.objects.filter(user=person).exists()
    set_representatives(membership=membership, representative=membership.representative, by=person)
    assert appoint_facilitator(network=network, user=person, by=SYSTEM).user == person


@pytest.mark.parametrize(
    "status", [MembershipStatus.APPLIED, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED]
)
def test_a_post_in_a_live_membership_stops_the_appointment(network, status):
    person = factories.MembershipFactory(network=network, status=status).representative

    with pytest.raises(DomainError, match="hand that post over"):
        appoint_facilitator(network=network, user=person, by=SYSTEM)


def test_a_post_that_ended_or_one_elsewhere_does_not_stop_the_appointment(network, other_network):
    former = factories.MembershipFactory(network=network, status=MembershipStatus.LEFT)
    elsewhere = factories.MembershipFactory(network=other_network)

    appoint_facilitator(network=network, user=former.representative, by=SYSTEM)
    appoint_facilitator(network=network, user=elsewhere.representative, by=SYSTEM)

    assert Facilitator.objects.filter(network=network).count() == 2


# A facilitator does not act for a member entity of their network (neutrality, section 4.2 a).
# These facilitators hold a post from before the rule (data that exists on live sites).


@pytest.fixture
def facilitator_with_a_post(network):
    membership = factories.MembershipFactory(network=network)
    factories.FacilitatorFactory(network=network, user=membership.representative)
    return membership


def test_a_facilitator_cannot_accept_the_charter_for_an_entity_of_their_network(
    facilitator_with_a_post, charter
):
    membership = facilitator_with_a_post

    with pytest.raises(DomainError, match=NEUTRAL):
        accept_current_charter(
            membership=membership, charter_version=charter, by=membership.representative
        )

    assert fresh(membership).charter_version is None


def test_a_facilitator_cannot_name_representatives_of_an_entity_of_their_network(
    facilitator_with_a_post,
):
    membership = facilitator_with_a_post

    with pytest.raises(DomainError, match=NEUTRAL):
        name_representative_or_alternate(
            membership=membership,
            role=InvitationRole.ALTERNATE,
            email="otra@example.org",
            by=membership.representative,
        )

    assert not Invitation.objects.exists()


def test_a_facilitator_cannot_rearrange_the_posts_of_an_entity_of_their_network(
    facilitator_with_a_post,
):
    membership = facilitator_with_a_post
    before = posts_of(membership)

    with pytest.raises(DomainError, match=NEUTRAL):
        set_representatives(
            membership=membership,
            representative=membership.representative,
            by=membership.representative,
        )

    assert posts_of(membership) == before
    assert not HistoryEntry.objects.filter(action="membership.representatives").exists()


def test_a_facilitator_cannot_edit_the_profile_of_an_entity_of_their_network(
    facilitator_with_a_post,
):
    membership = facilitator_with_a_post

    with pytest.raises(DomainError, match=NEUTRAL):
        update_entity_profile(
            entity=membership.entity, by=membership.representative, name="Otro", kind="ngo"
        )

    assert Entity.objects.get(pk=membership.entity_id).name != "Otro"


def test_a_shared_entity_cannot_be_edited_by_a_facilitator_of_any_of_its_networks(
    network, other_network, facilitator
):
    """One profile is shown in every network of the entity: editing it speaks for the
    entity in the facilitator's network too, whichever post the edit comes through."""
    theirs = factories.MembershipFactory(network=other_network, representative=facilitator)
    factories.MembershipFactory(network=network, entity=theirs.entity)

    assert not facilitator.has_perm("members.edit_entity", theirs.entity)
    with pytest.raises(DomainError, match=NEUTRAL):
        update_entity_profile(entity=theirs.entity, by=facilitator, name="Otro", kind="ngo")


def test_an_entity_outside_the_facilitators_networks_is_theirs_to_edit(
    network, other_network, facilitator
):
    theirs = factories.MembershipFactory(network=other_network, representative=facilitator)

    update_entity_profile(entity=theirs.entity, by=facilitator, name="Nuevo Nombre", kind="ngo")

    assert Entity.objects.get(pk=theirs.entity_id).name == "Nuevo Nombre"


def test_the_registry_refuses_the_facilitator_the_pages_of_an_entity_of_their_network(
    facilitator_with_a_post,
):
    membership = facilitator_with_a_post
    person = membership.representative

    assert not person.has_perm("members.manage_membership", membership)
    assert not person.has_perm("members.edit_entity", membership.entity)
    assert not person.has_perm("members.apply", membership.network)
