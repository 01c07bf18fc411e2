"""Every service of members, networks and platforms decides who may act, with the
same permission the pages check in the rules registry.

For each service, a person the registry refuses is refused by the service as
well, and nothing changes. The table must name every public function of those
modules: a new service without a row here (and so without its check) fails
`test_every_service_of_the_modules_is_in_the_table`.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.actors import SYSTEM
from core.errors import DomainError
from members import api_tokens
from members import services as member_services
from members.models import (
    ApiToken,
    Entity,
    Invitation,
    InvitationRole,
    Membership,
    MembershipStatus,
    TokenRevocation,
)
from networks import services as network_services
from networks.history import record_change
from networks.models import CharterVersion, Facilitator, HistoryEntry, Interlocutor, Network
from platforms import services as platform_services
from platforms.models import Platform
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped", "english")]

MODULES = (member_services, network_services, platform_services, api_tokens)

# Public functions of those modules that are not acts of a person, and why.
NOT_ACTS = {
    "invitation_refusal": "a read: why a person cannot accept, shown by the page",
    "digest_of": "a hash",
    "user_for_key": "a read behind token authentication",
    "unsubscribe": "a mail's one-click link: its signed token is the authority, without a session",
    "choose_mail": "a person's own mail choices: refused unless a person acts, for themselves",
    "checked_profile": "a check of an imported row's profile, as registration cleans it; no write",
    "checked_email": "a check of an imported row's address; no write",
    "is_application_decision": "whether a change of status approves or rejects an application",
}


class World:
    """One regional network with a facilitator, members, a charter, an invitation, a token."""

    def __init__(self, network):
        self.network = network
        self.facilitator = factories.FacilitatorFactory(network=network).user
        self.membership = factories.MembershipFactory(network=network)
        self.representative = self.membership.representative
        self.alternate = self.membership.alternate
        self.entity = self.membership.entity
        self.applied = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
        self.other_member = factories.MembershipFactory(network=network)
        self.outsider = factories.UserFactory()
        # An organisation the facilitator registered: theirs to apply for, but not here.
        self.facilitators_entity = factories.EntityFactory(created_by=self.facilitator)
        self.unverified = factories.UserFactory(verified=False)
        self.charter = network_services.publish_charter(
            network=network,
            mission="Misión",
            vision="Visión",
            principles="Principios",
            code_of_ethics="Código",
            by=SYSTEM,
        )
        self.invitation = Invitation.objects.create(
            network=network,
            membership=self.other_member,
            role=InvitationRole.ALTERNATE,
            email="invitada@example.org",
            token="token-de-prueba",
            expires_at=timezone.now() + timedelta(days=14),
        )
        self.token, _key = api_tokens.create_api_token(by=self.representative, name="CRM")


@dataclass
class Case:
    permission: str
    obj: Callable[[World], Any]
    refused: Callable[[World], Any]
    call: Callable[[World, Any], Any]


CASES = {
    "change_membership_status": Case(
        "networks.run_network",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: member_services.change_membership_status(
            membership=w.applied, status=MembershipStatus.ACTIVE, by=by
        ),
    ),
    "set_representatives": Case(
        "members.manage_membership",
        lambda w: w.membership,
        lambda w: w.outsider,
        lambda w, by: member_services.set_representatives(
            membership=w.membership, representative=w.alternate, alternate=w.representative, by=by
        ),
    ),
    "register_entity": Case(
        "members.register_entity",
        lambda w: None,
        lambda w: w.unverified,
        lambda w, by: member_services.register_entity(
            by=by, name="Colectivo Nuevo", kind="informal_group"
        ),
    ),
    "update_entity_profile": Case(
        "members.edit_entity",
        lambda w: w.entity,
        lambda w: w.outsider,
        lambda w, by: member_services.update_entity_profile(
            entity=w.entity, by=by, name="Nombre Tomado", kind="ngo"
        ),
    ),
    "apply_for_membership": Case(
        "members.apply",
        lambda w: w.network,
        lambda w: w.facilitator,
        lambda w, by: member_services.apply_for_membership(
            network=w.network,
            entity=w.facilitators_entity,
            platform=factories.platform_of(w.network),
            by=by,
            charter_version=w.charter,
            accept_charter=True,
        ),
    ),
    "accept_current_charter": Case(
        "members.manage_membership",
        lambda w: w.membership,
        lambda w: w.outsider,
        lambda w, by: member_services.accept_current_charter(
            membership=w.membership, charter_version=w.charter, by=by
        ),
    ),
    "name_representative_or_alternate": Case(
        "members.manage_membership",
        lambda w: w.membership,
        lambda w: w.facilitator,
        lambda w, by: member_services.name_representative_or_alternate(
            membership=w.membership, role=InvitationRole.ALTERNATE, email="x@example.org", by=by
        ),
    ),
    "accept_invitation": Case(
        "members.accept_invitation",
        lambda w: w.invitation,
        lambda w: w.outsider,
        lambda w, by: member_services.accept_invitation(invitation=w.invitation, by=by),
    ),
    "publish_charter": Case(
        "networks.run_network",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: network_services.publish_charter(
            network=w.network,
            mission="m",
            vision="v",
            principles="p",
            code_of_ethics="c",
            by=by,
        ),
    ),
    "appoint_facilitator": Case(
        "networks.appoint_facilitator",
        lambda w: w.network,
        lambda w: w.facilitator,
        lambda w, by: network_services.appoint_facilitator(
            network=w.network, user=w.outsider, by=by
        ),
    ),
    "end_facilitation": Case(
        "networks.appoint_facilitator",
        lambda w: w.network,
        lambda w: w.facilitator,
        lambda w, by: network_services.end_facilitation(
            facilitator=Facilitator.objects.get(user=w.facilitator), by=by
        ),
    ),
    "add_member_entity": Case(
        "networks.run_network",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: member_services.add_member_entity(
            network=w.network,
            platform=factories.platform_of(w.network),
            profile={"name": "Colectivo Importado", "kind": "informal_group"},
            by=by,
        ),
    ),
    "invite_prospect": Case(
        "networks.run_network",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: member_services.invite_prospect(
            network=w.network, email="prospecto@example.org", name="Colectivo Prospecto", by=by
        ),
    ),
    "open_network": Case(
        "networks.open_network_under",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: network_services.open_network(
            name="Red Provincial de Caylloma",
            slug="caylloma",
            kind="local",
            parent=w.network,
            by=by,
        ),
    ),
    "set_interlocutor_powers": Case(
        "networks.run_network",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: network_services.set_interlocutor_powers(
            network=w.network, by=by, interlocutor_reviews_applications=True
        ),
    ),
    "assign_interlocutor": Case(
        "networks.assign_interlocutor",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: member_services.assign_interlocutor(
            network=w.network, entity=w.entity, by=by
        ),
    ),
    "seed_platforms": Case(
        "networks.run_network",
        lambda w: w.network,
        lambda w: w.representative,
        lambda w, by: platform_services.seed_platforms(network=w.network, by=by),
    ),
    "create_api_token": Case(
        "members.create_api_token",
        lambda w: None,
        lambda w: AnonymousUser(),
        lambda w, by: api_tokens.create_api_token(by=by, name="Otro"),
    ),
    "revoke_api_token": Case(
        "members.revoke_api_token",
        lambda w: w.token,
        lambda w: w.outsider,
        lambda w, by: api_tokens.revoke_api_token(token=w.token, by=by),
    ),
    "revoke_all_api_tokens": Case(
        "members.revoke_all_api_tokens",
        lambda w: w.token.user,
        lambda w: w.outsider,
        lambda w, by: api_tokens.revoke_all_api_tokens(
            user=w.token.user, by=by, because=TokenRevocation.BY_OWNER
        ),
    ),
}


def snapshot():
    """What any of these services could change, to prove a refusal changed nothing."""
    return {
        "history": HistoryEntry.objects.count(),
        "memberships": sorted(
            Membership.objects.values_list(
                "pk", "status", "representative_id", "alternate_id", "charter_version_id"
            )
        ),
        "entities": sorted(Entity.objects.values_list("pk", "name", "kind")),
        "invitations": sorted(Invitation.objects.values_list("pk", "used_at", "replaced_at")),
        "charters": CharterVersion.objects.count(),
        "facilitators": sorted(Facilitator.objects.values_list("pk", "ended_on")),
        "interlocutors": Interlocutor.objects.count(),
        "platforms": Platform.objects.count(),
        "networks": sorted(Network.objects.values_list("pk", "interlocutor_reviews_applications")),
        "tokens": sorted(ApiToken.objects.values_list("pk", "revoked_at")),
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_person_the_rules_registry_refuses_is_refused_by_the_service(network, name):
    case = CASES[name]
    world = World(network)
    person = case.refused(world)
    assert not person.has_perm(case.permission, case.obj(world)), "the registry must refuse"
    before = snapshot()

    with pytest.raises(DomainError):
        case.call(world, person)

    assert snapshot() == before


def _public_functions():
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                yield name, function


def test_every_service_of_the_modules_is_in_the_table():
    names = {name for name, _function in _public_functions()}

    assert names - set(CASES) - set(NOT_ACTS) == set(), "add the new service to CASES"
    assert set(CASES) - names == set()


@pytest.mark.parametrize("name", sorted([*CASES, "record_change"]))
def test_every_service_requires_the_person_acting(name):
    # `record_change` writes the history row of an act its caller has already allowed.
    function = {**dict(_public_functions()), "record_change": record_change}[name]

    parameter = inspect.signature(function).parameters["by"]

    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is inspect.Parameter.empty


def test_no_function_of_the_services_has_an_optional_actor():
    optional = [
        f"{module.__name__}.{name}"
        for module in MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and "by" in inspect.signature(function).parameters
        and inspect.signature(function).parameters["by"].default is not inspect.Parameter.empty
    ]

    assert optional == []
