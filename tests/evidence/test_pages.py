"""The analysis page reads only the snapshot; the collaborations page records and confirms ties."""

import random
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.celery import app
from evidence.management.commands.bench_analysis import generate_network
from evidence.models import AnalysisSnapshot, Collaboration, CollaborationKind, SnapshotState
from evidence.tasks import analyse_network
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.evidence.test_analysis import TODAY, build_twelve


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


@pytest.fixture
def eager_celery():
    saved = {name: app.conf[name] for name in ("task_always_eager", "task_eager_propagates")}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(saved)


def analysis_url(network):
    return reverse("evidence:analysis", kwargs={"network_slug": network.slug})


def collaborations_url(network):
    return reverse("evidence:collaborations", kwargs={"network_slug": network.slug})


@time_machine.travel(TODAY, tick=False)
def test_the_facilitator_sees_the_latest_analysis_beside_the_study_and_the_trend(
    client, network, facilitator
):
    with all_networks():
        build_twelve(network)
    analyse_network(network.pk)
    analyse_network(network.pk)
    client.force_login(facilitator)

    response = client.get(analysis_url(network), secure=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "13,6\u00a0%" in page  # 9 of 66 possible ties
    assert "5,3\u00a0%" in page  # the study's density
    assert "E03" in page and "E12" in page  # the most central, and an isolated entity
    assert "Exacta." in page
    assert page.count("<tr>") >= 8 + 1 + 2  # the figures, and the trend of two snapshots


def test_the_page_makes_the_same_queries_for_twelve_entities_as_for_twenty_thousand(
    client, network, other_network, facilitator, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        with all_networks():
            build_twelve(network)
        analyse_network(network.pk)
    client.force_login(facilitator)
    client.get(analysis_url(network), secure=True)  # warm what every request shares
    with CaptureQueriesContext(connection) as small:
        assert client.get(analysis_url(network), secure=True).status_code == 200
    small_count = len(small.captured_queries)  # read now: each request empties the log

    big = other_network
    with network_scope(big):
        generate_network(big, 20_000, random.Random(7))
    analyse_network(big.pk)
    client.force_login(factories.FacilitatorFactory(network=big).user)
    client.get(analysis_url(big), secure=True)

    with django_assert_num_queries(small_count):
        response = client.get(analysis_url(big), secure=True)
    assert response.status_code == 200
    assert "20000 entidades" in response.content.decode().replace(".", "").replace(",", "")


def test_running_the_analysis_queues_one_job_and_the_page_shows_its_progress(
    client, network, facilitator, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    with network_scope(network):
        AnalysisSnapshot.objects.create(
            network=network,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            state=SnapshotState.RUNNING,
            progress=40,
        )
    page = client.get(analysis_url(network), secure=True).content.decode()
    assert 'value="40"' in page
    assert "Ejecutar el análisis ahora" not in page

    # Asking again while one runs starts no second one.
    client.post(analysis_url(network), secure=True)
    with network_scope(network):
        assert AnalysisSnapshot.objects.count() == 1
        AnalysisSnapshot.objects.update(state=SnapshotState.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(analysis_url(network), secure=True)

    assert response.status_code == 302
    with network_scope(network):
        latest = AnalysisSnapshot.objects.order_by("-pk").first()
    assert (latest.state, latest.progress, latest.requested_by) == (
        SnapshotState.DONE,
        100,
        facilitator,
    )


def test_a_member_entity_cannot_open_or_run_the_analysis(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.representative)

    assert client.get(analysis_url(network), secure=True).status_code == 403
    assert client.post(analysis_url(network), secure=True).status_code == 403
    with network_scope(network):
        assert not AnalysisSnapshot.objects.exists()


@time_machine.travel(datetime(2026, 6, 30, 15, tzinfo=UTC))
def test_an_entity_records_a_collaboration_and_only_the_other_entity_confirms_it(
    client, network, other_network
):
    ours = factories.MembershipFactory(network=network)
    theirs = factories.MembershipFactory(network=network)
    bystander = factories.MembershipFactory(network=network)
    client.force_login(ours.representative)

    response = client.post(
        collaborations_url(network),
        {
            "from_entity": ours.entity.pk,
            "to_entity": theirs.entity.pk,
            "kind": CollaborationKind.HELP,
            "what": "Nos prestaron su local",
            "happened_on": "2026-06-01",
        },
        secure=True,
    )

    assert response.status_code == 302
    with network_scope(network):
        collaboration = Collaboration.objects.get()
    assert (collaboration.from_entity, collaboration.to_entity) == (ours.entity, theirs.entity)
    assert collaboration.declared_by == ours.representative
    assert not collaboration.is_confirmed

    for outsider in (ours.representative, bystander.representative):
        client.force_login(outsider)
        response = client.post(
            collaborations_url(network), {"confirm": collaboration.pk}, secure=True
        )
        assert response.status_code == 400
        collaboration.refresh_from_db()
        assert not collaboration.is_confirmed

    client.force_login(theirs.alternate)
    assert "Nos prestaron su local" in client.get(collaborations_url(network)).content.decode()
    client.post(collaborations_url(network), {"confirm": collaboration.pk}, secure=True)
    collaboration.refresh_from_db()
    assert collaboration.is_confirmed and collaboration.confirmed_by == theirs.alternate

    # Another network's page does not know this collaboration.
    factories.MembershipFactory(network=other_network, representative=theirs.alternate)
    response = client.post(
        collaborations_url(other_network), {"confirm": collaboration.pk}, secure=True
    )
    assert response.status_code == 404


@time_machine.travel(datetime(2026, 6, 30, 15, tzinfo=UTC))
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"happened_on": "2026-08-01"}, "una vez que ocurrió"),
        ({"what": "   "}, "Este campo es requerido"),
        ({"to_entity": "self"}, "Escoja una opción válida"),
        ({"happened_on": "1900-01-01"}, "fecha"),
    ],
)
def test_a_collaboration_that_cannot_be_recorded_is_explained_and_nothing_changes(
    client, network, change, message
):
    ours = factories.MembershipFactory(network=network)
    theirs = factories.MembershipFactory(network=network)
    client.force_login(ours.representative)
    body = {
        "from_entity": ours.entity.pk,
        "to_entity": theirs.entity.pk,
        "kind": CollaborationKind.CONTACT,
        "what": "Feria conjunta",
        "happened_on": "2026-06-01",
    } | change
    if body["to_entity"] == "self":
        body["to_entity"] = ours.entity.pk

    response = client.post(collaborations_url(network), body, secure=True)

    assert response.status_code == 400
    assert message in response.content.decode()
    with network_scope(network):
        assert not Collaboration.objects.exists()
