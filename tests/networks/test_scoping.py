import pytest
from django.apps import apps
from django.db import connection

from members.models import Membership
from networks.models import Network
from networks.scoping import NetworkOwned, ScopeError, all_networks, network_scope
from platforms.models import Platform
from tests import factories

# Read from the app registry, so that a network-owned model added later is covered too.
NETWORK_OWNED_MODELS = sorted(
    (model for model in apps.get_models() if issubclass(model, NetworkOwned)),
    key=lambda model: model._meta.label,
)
MODEL_IDS = [model._meta.label for model in NETWORK_OWNED_MODELS]

UNSCOPED_QUERIES = {
    "all": lambda manager: list(manager.all()),
    "iterate": lambda manager: list(manager.get_queryset()),
    "filter": lambda manager: list(manager.filter(pk__gt=0)),
    "exclude": lambda manager: list(manager.exclude(pk=0)),
    "get": lambda manager: manager.get(pk=1),
    "first": lambda manager: manager.first(),
    "count": lambda manager: manager.count(),
    "exists": lambda manager: manager.exists(),
    "exclude_exists": lambda manager: manager.exclude(pk=0).exists(),
    "values_list": lambda manager: list(manager.values_list("pk", flat=True)),
    "in_bulk": lambda manager: manager.in_bulk([1]),
    "update": lambda manager: manager.update(),
    "delete": lambda manager: manager.all().delete(),
}


def test_the_project_has_network_owned_models():
    assert {"members.Membership", "platforms.Platform", "commissions.Commission"} <= set(MODEL_IDS)


@pytest.mark.django_db
@pytest.mark.parametrize("query", UNSCOPED_QUERIES.values(), ids=UNSCOPED_QUERIES.keys())
@pytest.mark.parametrize("model", NETWORK_OWNED_MODELS, ids=MODEL_IDS)
def test_an_unscoped_query_on_a_network_owned_model_raises(model, query):
    with pytest.raises(ScopeError):
        query(model.objects)


@pytest.mark.django_db
@pytest.mark.parametrize("model", NETWORK_OWNED_MODELS, ids=MODEL_IDS)
def test_every_network_owned_model_has_an_index_leading_with_its_network(model):
    """Indexes lead with network_id (DESIGN.md), so a table can later be distributed by it."""
    column = model._meta.get_field("network").column
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    leading = [
        name
        for name, details in constraints.items()
        if (details["index"] or details["unique"]) and (details["columns"] or [None])[0] == column
    ]
    assert leading, f"{model._meta.label} has no index that starts with {column}"


@pytest.fixture
def two_networks(network, other_network):
    with all_networks():
        ours = factories.MembershipFactory(network=network)
        theirs = factories.MembershipFactory(network=other_network)
        shared_entity = factories.EntityFactory()
        shared_here = factories.MembershipFactory(network=network, entity=shared_entity)
        shared_there = factories.MembershipFactory(network=other_network, entity=shared_entity)
    return {
        "ours": ours,
        "theirs": theirs,
        "shared_entity": shared_entity,
        "shared_here": shared_here,
        "shared_there": shared_there,
    }


def test_a_network_scope_shows_only_that_networks_rows(network, other_network, two_networks):
    with network_scope(network):
        visible = set(Membership.objects.all())
        platforms = {platform.network_id for platform in Platform.objects.all()}
        with pytest.raises(Membership.DoesNotExist):
            Membership.objects.get(pk=two_networks["theirs"].pk)

    assert visible == {two_networks["ours"], two_networks["shared_here"]}
    assert platforms == {network.pk}


def test_related_managers_stay_inside_the_scope(network, other_network, two_networks):
    with network_scope(network):
        through_entity = set(two_networks["shared_entity"].memberships.all())
        through_own_network = set(network.memberships.all())
        through_other_network = list(other_network.memberships.all())
        other_platforms = list(other_network.platforms.all())

    assert through_entity == {two_networks["shared_here"]}
    assert through_own_network == {two_networks["ours"], two_networks["shared_here"]}
    assert through_other_network == []
    assert other_platforms == []


@pytest.mark.django_db
def test_a_related_manager_outside_any_scope_raises(network):
    with pytest.raises(ScopeError):
        list(network.memberships.all())


@pytest.mark.django_db
def test_network_scope_refuses_none_and_unsaved_networks():
    with pytest.raises(ValueError, match="saved network"), network_scope(None):
        pass
    with pytest.raises(ValueError, match="saved network"), network_scope(Network(slug="nueva")):
        pass


def test_all_networks_sees_every_networks_rows(two_networks):
    with all_networks():
        assert Membership.objects.count() == 4


def test_a_scope_ends_with_its_block(network, two_networks):
    with network_scope(network):
        Membership.objects.count()
    with pytest.raises(ScopeError):
        Membership.objects.count()


def test_code_running_for_one_network_cannot_open_another_networks_scope(
    network, other_network, two_networks
):
    with network_scope(network), pytest.raises(ScopeError), network_scope(other_network):
        pass


def test_the_same_network_can_be_entered_again_and_all_networks_can_narrow(
    network, other_network, two_networks
):
    with network_scope(network), network_scope(network):
        again = set(Membership.objects.all())
    with all_networks(), network_scope(other_network):
        narrowed = set(Membership.objects.all())

    assert again == {two_networks["ours"], two_networks["shared_here"]}
    assert narrowed == {two_networks["theirs"], two_networks["shared_there"]}
