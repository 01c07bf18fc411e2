"""The job machinery: one retry policy, and per-network tasks that run inside their network."""

import pytest
from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from commissions.models import Commission
from config.celery import app
from core.jobs import TRANSIENT_DATABASE_ERRORS, Job
from facilitation.tasks import count_members
from networks.scoping import ScopeError, all_networks
from networks.tasks import NetworkJob
from tests import factories

pytestmark = pytest.mark.django_db


@shared_task(base=NetworkJob, bind=True)
def what_a_network_job_sees(self, network, *, reach_into=None):
    """A task for these tests: what its request holds and what its queries reach."""
    seen = {
        "network": network.slug,
        "args": list(self.request.args),
        "commissions": sorted(Commission.objects.values_list("name", flat=True)),
    }
    if reach_into is not None:
        seen["reached"] = Commission.objects.filter(pk=reach_into).exists()
    return seen


@shared_task(base=NetworkJob, bind=True, max_retries=1)
def failing_network_job(self, network, attempts):
    attempts.append(list(self.request.args))
    raise OperationalError("the database restarted")


@pytest.fixture
def two_networks():
    with all_networks():
        mine = factories.CommissionFactory(name="Juventud de Piura").network
        theirs = factories.CommissionFactory(name="Salud de Tumbes").network
    return mine, theirs


def test_a_network_job_runs_inside_the_scope_of_the_network_it_is_given(two_networks):
    mine, theirs = two_networks
    with all_networks():
        their_commission = Commission.objects.get(network=theirs)
    seen = what_a_network_job_sees(mine.pk, reach_into=their_commission.pk)
    assert seen == {
        "network": mine.slug,
        "args": [mine.pk],
        "commissions": ["Juventud de Piura"],
        "reached": False,
    }


def test_a_network_job_run_by_a_worker_keeps_the_id_in_its_request(two_networks):
    mine, _theirs = two_networks
    result = what_a_network_job_sees.apply(args=[mine.pk])
    assert result.get()["args"] == [mine.pk]


def test_a_retry_sends_the_network_id_again_not_the_network(two_networks):
    mine, _theirs = two_networks
    attempts = []
    result = failing_network_job.apply(args=[mine.pk, attempts])
    assert [args[0] for args in attempts] == [mine.pk, mine.pk]
    assert isinstance(result.result, OperationalError)


def test_a_network_job_leaves_no_scope_behind_and_opens_none_for_a_missing_network(two_networks):
    mine, _theirs = two_networks
    what_a_network_job_sees(mine.pk)
    with pytest.raises(ScopeError):
        Commission.objects.count()
    assert what_a_network_job_sees(mine.pk + 1000) is None


def test_count_members_counts_one_network():
    with all_networks():
        network = factories.MembershipFactory().network
        factories.MembershipFactory()
    assert count_members(network.pk) == {
        "network": network.slug,
        "memberships": {"active": 1},
        "commissions": {},
    }


def test_every_task_of_the_project_has_the_one_retry_policy():
    app.loader.import_default_modules()
    ours = {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0]
        in {"core", "networks", "members", "commissions", "events", "facilitation"}
    }
    assert len(ours) >= 10
    for name, task in ours.items():
        assert isinstance(task, Job), f"{name} does not use the job base (core.jobs.Job)"
        assert task.acks_late, name
        assert set(TRANSIENT_DATABASE_ERRORS) <= set(task.autoretry_for), name
        assert task.retry_backoff and task.retry_jitter, name


def test_no_tasks_module_defines_a_retry_policy_of_its_own():
    for app_name in ("members", "commissions", "events"):
        source = (settings.BASE_DIR / app_name / "tasks.py").read_text()
        for option in ("autoretry_for", "max_retries", "acks_late", "retry_backoff"):
            assert option not in source, f"{app_name}/tasks.py sets {option}: use core.jobs"


def test_every_per_network_beat_entry_fans_out_to_a_network_job():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        # Beat passes no network: a beat entry is never itself a network job.
        assert not isinstance(task, NetworkJob), entry["task"]
