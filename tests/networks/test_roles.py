import pytest
from django.contrib.auth.models import AnonymousUser

from core.actors import SYSTEM
from core.errors import DomainError
from members.models import MembershipStatus
from members.services import assign_interlocutor, change_membership_status
from networks.models import NetworkKind
from networks.rules import forget_roles
from networks.scoping import all_networks
from networks.selectors import current_interlocutor
from networks.services import appoint_facilitator
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def national(db):
    return factories.NetworkFactory(name="Red Nacional", slug="nacional", kind=NetworkKind.NATIONAL)


def test_a_site_admin_or_a_facilitator_of_the_parent_names_facilitators(national, network):
    network.parent = national
    network.save()
    admin = factories.UserFactory(is_superuser=True)
    national_facilitator = factories.UserFactory()
    appoint_facilitator(network=national, user=national_facilitator, by=admin)
    appoint_facilitator(network=network, user=factories.UserFactory(), by=national_facilitator)
    regional_facilitator = factories.UserFactory()
    appoint_facilitator(network=network, user=regional_facilitator, by=SYSTEM)
    with pytest.raises(DomainError, match="parent network"):
        appoint_facilitator(network=national, user=factories.UserFactory(), by=regional_facilitator)
    with pytest.raises(DomainError, match="parent network"):
        appoint_facilitator(network=network, user=factories.UserFactory(), by=regional_facilitator)


def test_the_interlocutor_is_replaceable_at_any_moment_and_history_is_kept(network):
    first, second = (factories.MembershipFactory(network=network).entity for _ in range(2))
    assign_interlocutor(network=network, entity=first, by=SYSTEM)
    assign_interlocutor(network=network, entity=second, reason="Rotación acordada", by=SYSTEM)
    assert current_interlocutor(network).entity == second
    with all_networks():
        terms = list(network.interlocutors.order_by("started_at"))
    assert [term.entity for term in terms] == [first, second]
    assert terms[0].ended_at is not None and terms[0].end_reason == "Rotación acordada"
    with pytest.raises(DomainError, match="already"):
        assign_interlocutor(network=network, entity=second, by=SYSTEM)


def test_the_interlocutor_must_be_an_active_member_of_a_regional_network(network, national):
    outsider = factories.EntityFactory()
    with pytest.raises(DomainError, match="active member"):
        assign_interlocutor(network=network, entity=outsider, by=SYSTEM)
    member = factories.MembershipFactory(network=national).entity
    with pytest.raises(DomainError, match="regional"):
        assign_interlocutor(network=national, entity=member, by=SYSTEM)
    assert current_interlocutor(network) is None


def test_roles_come_from_memberships_facilitations_and_interlocution(network, other_network):
    membership = factories.MembershipFactory(network=network)
    representative, alternate = membership.representative, membership.alternate
    facilitator = factories.UserFactory()
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    assert representative.has_perm("networks.run_network", network) is False
    assert facilitator.has_perm("networks.run_network", network)
    assert not facilitator.has_perm("networks.run_network", other_network)
    assert not AnonymousUser().has_perm("networks.run_network", network)
    assert not alternate.has_perm("networks.view_activity", network)
    assign_interlocutor(network=network, entity=membership.entity, by=SYSTEM)
    # The interlocutor reads the activity where the network gives it that power.
    assert not alternate.has_perm("networks.view_activity", network)
    network.interlocutor_sees_activity = True
    assert alternate.has_perm("networks.view_activity", network)
    assert not alternate.has_perm("networks.view_activity", other_network)


def test_a_suspended_member_loses_its_roles(network):
    membership = factories.MembershipFactory(network=network)
    user = membership.representative
    from members.rules import is_member

    assert is_member(user, network)
    change_membership_status(
        membership=membership, status=MembershipStatus.SUSPENDED, reason="x", by=SYSTEM
    )
    assert is_member(user, network)  # read once per request
    forget_roles(user)
    assert not is_member(user, network)
