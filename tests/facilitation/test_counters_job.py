"""The nightly job counts every network's home page counters again and reports any drift.

A row whose version was current but whose counts were wrong means something
wrote around the page versions; the job repairs it and logs a warning. A row
that is only old (its network changed since) is counted again silently, as the
next read of the home page would.
"""

import logging

import pytest

from config.celery import app
from facilitation import counters
from facilitation.models import NetworkCounters
from facilitation.tasks import recount_every_network
from tests import factories
from tests.facilitation.test_counters import counted_afresh, shown

pytestmark = pytest.mark.django_db


def test_the_nightly_job_repairs_a_row_that_drifted_and_reports_it(national, regions, caplog):
    factories.bulk_members(regions[0], 3)
    shown(national, *regions)
    NetworkCounters.objects.filter(network=regions[0]).update(active_members=42)
    NetworkCounters.objects.filter(network=national).update(entities_in_reach=0)

    with caplog.at_level(logging.WARNING, logger="facilitation.counters"):
        drift = counters.recount([national.pk, *(region.pk for region in regions)])

    assert {(found.network_id, found.counter, found.kept, found.counted) for found in drift} == {
        (regions[0].pk, "active_members", 42, 3),
        (national.pk, "entities_in_reach", 0, 3),
    }
    assert "active members of network" in caplog.text and "42 kept, 3 counted" in caplog.text
    assert shown(national, *regions) == counted_afresh(national, *regions)
    assert counters.recount([national.pk, *(region.pk for region in regions)]) == []


def test_the_nightly_job_counts_every_network_and_takes_an_old_row_for_no_drift(
    national, regions, caplog
):
    factories.bulk_members(regions[1], 2)
    shown(national, *regions)
    factories.bulk_members(regions[1], 2, start=2)  # the rows are old now, not wrong
    NetworkCounters.objects.filter(network=regions[0]).update(active_members=7)
    app.conf.task_always_eager = True
    try:
        with caplog.at_level(logging.WARNING, logger="facilitation.counters"):
            assert recount_every_network.delay().get() == 3
    finally:
        app.conf.task_always_eager = False

    assert [record.getMessage() for record in caplog.records] == [
        f"The home page's active members of network {regions[0].pk} had drifted: "
        "7 kept, 0 counted; repaired."
    ]
    rows = {row.network_id: row for row in NetworkCounters.objects.all()}
    assert rows[regions[1].pk].active_members == 4
    assert rows[national.pk].entities_in_reach == 4
    assert rows[regions[0].pk].active_members == 0
