"""Schemathesis against the live schema: every operation, as a member and as a facilitator.

The schema is fetched from the running application (the WSGI app, in this
process, on the test's database connection), and every operation it describes
gets at least 50 generated cases per person. A case passes when the server
answers without a server error and the answer matches the schema: a status
code it documents, its content type and its body. Path parameters are drawn
from the data set most of the time, so that answers other than 404 are
exercised too; the rest are what the generator makes of the schema.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from core.actors import SYSTEM
from decisions.models import DecisionRule, Position, Proposal, ProposalState, Stance
from events.models import RegistrationStatus
from members.api_tokens import create_api_token
from members.models import MembershipStatus
from networks.scoping import all_networks
from networks.services import appoint_facilitator
from platforms.models import Sector
from tests import factories
from tests.events import factories as event_factories

SCHEMA_PATH = "/api/v1/schema/?format=json"
CASES_PER_OPERATION = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# What the data set holds for each path parameter, by network; filled for each
# test by the `data_set` fixture and read while cases are generated.
REAL_VALUES = {}


def build_network(*, slug, name):
    """A network with its facilitator, members, a commission at work and a plenary."""
    network = factories.NetworkFactory(name=name, slug=slug)
    facilitator = factories.UserFactory()
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    platform = factories.platform_of(network, Sector.CIVIL_SOCIETY)
    memberships = [
        factories.MembershipFactory(network=network, platform=platform) for _ in range(3)
    ]
    memberships.append(
        factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    )
    entities = [membership.entity for membership in memberships]
    commission = factories.CommissionFactory(network=network)
    for entity in entities[:3]:
        factories.CommissionMemberFactory(commission=commission, entity=entity)
    factories.PromoterTermFactory(commission=commission, entity=entities[0])
    topic = factories.TopicFactory(commission=commission)
    action = factories.ActionFactory(commission=commission, topic=topic, responsible=entities[1])
    updates = [
        factories.ProgressUpdateFactory(commission=commission, entity=entity)
        for entity in entities[:2]
    ]
    idle = factories.CommissionFactory(network=network)
    event, registration, decision = event_factories.event_with_minutes(
        network=network, entity=entities[0], commission=commission, title=f"Plenaria {name}"
    )
    workshop = event_factories.EventFactory(network=network)
    personal = event_factories.RegistrationFactory(
        event=workshop, user=memberships[1].representative, entity=entities[1]
    )
    waiting = event_factories.RegistrationFactory(
        event=workshop,
        entity=entities[2],
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=timezone.now(),
    )
    proposal = Proposal.objects.create(
        network=network,
        title=f"Propuesta de {name}",
        text="Adoptar el código de ética.",
        proposer=entities[0],
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=5),
        state=ProposalState.OPEN,
        rule=DecisionRule.CONSENT_THEN_VOTE,
    )
    Position.objects.create(
        network=network,
        proposal=proposal,
        entity=entities[1],
        stance=Stance.OBJECT,
        note="Falta un plazo de consulta.",
    )
    values = {
        "network_slug": [network.slug],
        "proposal_id": [proposal.pk],
        "entity_slug": [entity.slug for entity in entities],
        "platform_id": [platform.pk],
        "membership_id": [membership.pk for membership in memberships],
        "commission_id": [commission.pk, idle.pk],
        "topic_id": [topic.pk],
        "action_id": [action.pk],
        "update_id": [update.pk for update in updates],
        "event_id": [event.pk, workshop.pk],
        "registration_id": [registration.pk, personal.pk, waiting.pk],
        "decision_id": [decision.pk],
        "token": [registration.cancel_token],
    }
    return network, facilitator, memberships, values


@pytest.fixture
def data_set(db):
    """Two networks; the people under test belong to the first one only."""
    with all_networks():
        home, facilitator, memberships, home_values = build_network(
            slug="arequipa", name="Red de Voluntariado de Arequipa"
        )
        _away, _, _, away_values = build_network(slug="cusco", name="Red Soy Voluntari@ Cusco")
    # The home network comes up twice as often: the people under test act there.
    REAL_VALUES.clear()
    REAL_VALUES.update({"networks": [home_values, home_values, away_values]})
    yield {"network": home, "facilitator": facilitator, "member": memberships[0].representative}
    REAL_VALUES.clear()


def load_live_schema():
    """The schema the application serves, fetched through its WSGI interface.

    It is loaded while tests are collected, so that each operation becomes a
    test of its own; describing the API reads no row of the database.
    """
    # The in-process client calls the application "localhost".
    with override_settings(ALLOWED_HOSTS=["localhost"]):
        return schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)


schema = load_live_schema()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)

    def real_parameters(values):
        return st.fixed_dictionaries(
            {name: st.sampled_from(values[name]) for name in path_parameters if name in values}
        ).map(lambda real: {**path_parameters, **real})

    real = st.sampled_from(REAL_VALUES["networks"]).flatmap(real_parameters)
    # Three times in four the parameters name real objects (of one network, or
    # of both mixed); otherwise they are whatever the generator made.
    return st.integers(0, 3).flatmap(lambda n: st.just(path_parameters) if n == 0 else real)


# Bodies name an entity by its slug (and an application a platform by its id):
# real ones, often, so that writes get past "unknown entity" to the rules.
BODY_VALUES = {"entity": "entity_slug", "platform": "platform_id"}


@schema.hook
def flatmap_body(context, body):
    known = [key for key in BODY_VALUES if isinstance(body, dict) and key in body]
    if not known:
        return st.just(body)
    home = REAL_VALUES["networks"][0]
    real = st.fixed_dictionaries(
        {key: st.sampled_from(home[BODY_VALUES[key]]) for key in known}
    ).map(lambda values: {**body, **values})
    return st.integers(0, 3).flatmap(lambda n: st.just(body) if n == 0 else real)


@pytest.fixture(autouse=True)
def _same_connection():
    """Requests to the WSGI app keep the test's connection open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _localhost(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]


def token_header(person):
    _token, key = create_api_token(by=person, name="Schemathesis")
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def member_header(data_set):
    return token_header(data_set["member"])


@pytest.fixture
def facilitator_header(data_set):
    return token_header(data_set["facilitator"])


FUZZING = settings(
    max_examples=CASES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZING
def test_every_operation_answers_a_member_within_its_schema(case, member_header):
    case.call_and_validate(headers=member_header, checks=CHECKS)


@schema.parametrize()
@FUZZING
def test_every_operation_answers_a_facilitator_within_its_schema(case, facilitator_header):
    case.call_and_validate(headers=facilitator_header, checks=CHECKS)


# What the fuzzing found, kept as plain tests.


def test_a_path_no_api_route_matches_answers_in_the_api_error_shape(client, db):
    response = client.get("/api/v1/networks/ñandú!/platforms/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_the_schema_documents_the_error_answers_of_every_operation(client, db):
    paths = client.get(SCHEMA_PATH).json()["paths"]
    for operations in paths.values():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert {"400", "401", "403", "404"} <= set(operation["responses"])
            if method not in ("get", "head", "options"):
                assert "409" in operation["responses"]


def test_a_network_without_parent_is_described_as_such(client, network):
    schema = client.get(SCHEMA_PATH).json()
    assert schema["components"]["schemas"]["Network"]["properties"]["parent"]["nullable"]
    assert client.get("/api/v1/networks/arequipa/").json()["parent"] is None


def test_a_blank_web_address_is_described_as_allowed(client, network):
    factories.MembershipFactory(network=network, entity__website="")
    schema = client.get(SCHEMA_PATH).json()
    website = schema["components"]["schemas"]["DirectoryEntry"]["properties"]["website"]
    assert {"type": "string", "maxLength": 0} in website["oneOf"]
    assert client.get("/api/v1/networks/arequipa/entities/").json()["results"][0]["website"] == ""
