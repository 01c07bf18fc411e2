"""The demo's Arequipa 2014: its yearly report is generated, published, and reads in date order."""

import re

import pytest
from django.urls import reverse

from evidence.models import ActivityReport, SnapshotState
from networks.models import Network
from networks.scoping import all_networks
from tests.demo.test_living_demo import demo  # noqa: F401 (the loaded demo)
from tests.evidence.test_report import count_pages

pytestmark = pytest.mark.django_db


def test_arequipa_2014_has_its_report_with_the_sheets_in_date_order_and_the_sociogram(
    demo,  # noqa: F811
    client,
):
    with all_networks():
        network = Network.objects.get(slug="arequipa")
        report = ActivityReport.objects.get(network=network, year=2014)
    assert report.state == SnapshotState.DONE and report.is_published
    pdf = bytes(report.pdf)
    assert pdf.startswith(b"%PDF-") and count_pages(pdf) >= 4
    data = report.data
    assert len(data["sheets"]) == 3 and len(data["events"]) == 4
    assert data["analyses"][0]["ties"] > 0 and data["analyses"][0]["sociogram"]["nodes"]

    page = client.get(
        reverse("evidence:public_report", args=[network.slug, report.pk]), secure=True
    ).content.decode()
    days = re.findall(r'<article class="report-sheet">.*?<time datetime="([\d-]+)"', page, re.S)
    assert days == sorted(days) == ["2014-11-21", "2014-12-05", "2014-12-19"]
    assert "data:image/svg+xml;base64," in page
    assert "San Lazaraso" in page
