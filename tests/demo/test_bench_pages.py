import pytest
from django.test import override_settings
from django.urls import reverse

from demo.management.commands.bench_pages import wrk_latency

pytestmark = pytest.mark.django_db

WRK_OUTPUT = """
  Latency Distribution
     50%    6.31ms
     75%   10.02ms
     90%   20.11ms
     99%    1.12s
"""


def test_the_trivial_page_is_not_part_of_the_site(client):
    assert client.get("/bench/ok/", secure=True).status_code == 404


@override_settings(ROOT_URLCONF="config.bench_urls")
def test_the_benchmark_mounts_the_trivial_page_beside_the_whole_site(client):
    assert client.get("/bench/ok/", secure=True).content == b"ok"
    assert client.get(reverse("home"), secure=True).status_code == 200


def test_wrk_latencies_are_read_in_milliseconds():
    assert wrk_latency(WRK_OUTPUT, "50%") == pytest.approx(6.31)
    assert wrk_latency(WRK_OUTPUT, "99%") == pytest.approx(1120.0)
