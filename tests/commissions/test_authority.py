"""Authority lives in the services: each takes the acting person and decides there.

A page, a form or the API narrowing its choices is a convenience; a call that
skips them (another view, a job, a shell) meets the same rules in the service.
"""

import inspect

import pytest

from commissions import services
from commissions.models import CommissionMember, StateChange
from core.actors import SYSTEM
from core.errors import DomainError
from events import services as event_services
from networks.scoping import all_networks
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Public functions of the services that are not an act of a person, and why.
NOT_ACTS = {
    "within_limit": "a helper for typed text",
    "one_line": "a helper for typed text",
    "free_text": "a helper for typed text",
    "renew_calendar_token": "a person renews their own calendar secret: they are the actor",
    "clean_guest_name": "a helper for typed text: the one text of a guest that a mail carries",
}


def public_functions(module):
    return [
        (name, function)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


@pytest.mark.parametrize(
    ("name", "function"),
    public_functions(services) + public_functions(event_services),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_service_takes_the_acting_person_as_a_required_keyword(name, function):
    if name in NOT_ACTS:
        return
    by = inspect.signature(function).parameters.get("by")
    assert by is not None, f"{name} does not say who acts"
    assert by.kind is inspect.Parameter.KEYWORD_ONLY, f"{name} takes `by` by position"
    assert by.default is inspect.Parameter.empty, f"{name} lets `by` be left out"


def test_a_service_refuses_a_person_who_does_not_act_for_the_entity_named(cast):
    promoter, member = cast.entities[:2]
    commission = services.propose_commission(
        network=cast.network, entity=promoter, name="Salud", by=cast.rep(promoter)
    )
    someone_else = cast.rep(cast.entities[2])
    with pytest.raises(DomainError, match="do not act for"):
        services.join_commission(commission=commission, entity=member, by=someone_else)
    with pytest.raises(DomainError, match="do not act for"):
        services.post_progress_update(
            commission=commission, entity=promoter, text="Avance", by=someone_else
        )
    with pytest.raises(DomainError, match="do not act for"):
        services.join_commission(commission=commission, entity=member, by=None)
    with all_networks():
        assert CommissionMember.objects.filter(commission=commission).count() == 1


def test_a_person_of_another_network_is_refused_even_for_the_same_entity(cast, other_network):
    shared = cast.entities[0]
    elsewhere = factories.MembershipFactory(network=other_network, entity=shared)
    with pytest.raises(DomainError, match="do not act for"):
        services.propose_commission(
            network=cast.network, entity=shared, name="Salud", by=elsewhere.representative
        )


def test_the_system_acts_under_the_rules_of_the_model_and_is_recorded_as_nobody(cast):
    promoter, member = cast.entities[:2]
    commission = services.propose_commission(
        network=cast.network, entity=promoter, name="Salud", by=SYSTEM
    )
    services.join_commission(commission=commission, entity=member, by=SYSTEM)
    with pytest.raises(DomainError, match="already sits"):
        services.join_commission(commission=commission, entity=member, by=SYSTEM)
    with all_networks():
        assert StateChange.objects.get(commission=commission).actor is None
        assert CommissionMember.objects.filter(commission=commission).count() == 2
