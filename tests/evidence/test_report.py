"""The yearly activity report (recommendation 1): what it gathers, its job, files and publishing."""

import io
import re
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from announcements.models import Announcement
from commissions.models import ClosingSheet
from core.actors import SYSTEM
from core.errors import DomainError
from events.models import Decision, EventOrganiser, Minutes
from evidence.models import ActivityReport, SnapshotState
from evidence.report import gather
from evidence.services import generate_report, publish_report, request_report
from evidence.tasks import generate_activity_report
from members.models import MembershipStatus
from networks.models import NetworkKind
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

YEAR = 2014


def moment(day, hour=10):
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour + 5)


def sheet(commission, entity, day, **fields):
    return ClosingSheet.objects.create(
        network=commission.network,
        commission=commission,
        entity=entity,
        occasion=ClosingSheet.Occasion.YEARLY,
        year=day.year,
        participants=fields.get("participants", "Entidades de la comisión"),
        objectives=fields.get("objectives", f"Objetivos de {commission.name}"),
        methodology="Reuniones mensuales",
        activities="Talleres",
        results="Cinco jornadas",
        evaluation="Funcionó",
        filled_at=moment(day),
    )


def a_year_of(network, *, size=2, prefix=""):
    """Members who joined in the year, commissions with sheets, an event with minutes, news."""
    platform = factories.platform_of(network)
    members = [
        factories.MembershipFactory(
            network=network,
            platform=platform,
            status=MembershipStatus.ACTIVE,
            joined_at=moment(date(YEAR, 4, 5 + index % 20)),
        )
        for index in range(size + 1)
    ]
    # One that joined before and left during the year.
    factories.MembershipFactory(
        network=network,
        platform=platform,
        status=MembershipStatus.LEFT,
        joined_at=moment(date(YEAR - 1, 5, 1)),
        left_at=moment(date(YEAR, 9, 1)),
    )
    # The sheets are filled in an order unlike that of their rows.
    for index in range(size):
        commission = factories.CommissionFactory(
            network=network, name=f"{prefix}Comisión {index}", started_on=date(YEAR, 4, 5)
        )
        factories.CommissionMemberFactory(
            commission=commission, entity=members[index].entity, joined_on=date(YEAR, 4, 6)
        )
        factories.CommissionMemberFactory(
            commission=commission, entity=members[index + 1].entity, joined_on=date(YEAR, 4, 6)
        )
        sheet(commission, members[index].entity, date(YEAR, 12, 20) - timedelta(days=5 * index))
    for index in range(size):
        event = EventFactory(
            network=network,
            title=f"{prefix}Plenaria {index}",
            starts_at=moment(date(YEAR, 6, 1 + index)),
            ends_at=moment(date(YEAR, 6, 1 + index), 13),
            registration_closes_at=moment(date(YEAR, 6, 1 + index)),
        )
        EventOrganiser.objects.create(network=network, event=event, entity=members[0].entity)
        minutes = Minutes.objects.create(
            network=network,
            event=event,
            summary=f"{prefix}Acta {index}",
            published_at=moment(date(YEAR, 6, 3)),
        )
        Decision.objects.create(network=network, minutes=minutes, text=f"{prefix}Acuerdo {index}")
        Announcement.objects.create(
            network=network,
            title=f"{prefix}Anuncio {index}",
            body="Texto",
            created_at=moment(date(YEAR, 7, 1 + index)),
        )
    return members


def test_the_report_gathers_the_year_in_a_fixed_number_of_queries():
    counts = []
    for size in (2, 8):
        network = factories.NetworkFactory()
        with network_scope(network):
            a_year_of(network, size=size)
            network = type(network).objects.get(pk=network.pk)
            with CaptureQueriesContext(connection) as queries:
                data = gather(network=network, year=YEAR)
        counts.append(len(queries))
        assert len(data["sheets"]) == size
        assert len(data["events"]) == size
        assert len(data["announcements"]) == size
        assert len(data["summary"]["joined"]) == size + 1
        assert [row["entity"] for row in data["summary"]["left"]] != []
        assert data["summary"]["members"] == size + 1
    assert counts[0] == counts[1], counts


def test_the_sheets_come_in_date_order_with_their_member_entities_and_the_events_minutes():
    network = factories.NetworkFactory()
    with network_scope(network):
        members = a_year_of(network, size=3)
        data = gather(network=network, year=YEAR)
    assert [row["day"] for row in data["sheets"]] == sorted(row["day"] for row in data["sheets"])
    assert [row["commission"] for row in data["sheets"]] == [
        "Comisión 2",
        "Comisión 1",
        "Comisión 0",
    ]
    names = sorted([members[0].entity.name, members[1].entity.name])
    assert data["sheets"][-1]["entities"] == names
    assert data["events"][0]["minutes"] == "Acta 0"
    assert data["events"][0]["decisions"] == [{"text": "Acuerdo 0", "follow_up": ""}]


def test_only_whoever_runs_the_network_asks_for_a_report_of_a_year_it_lived():
    network = factories.NetworkFactory(founded_on=date(YEAR, 4, 5))
    member = factories.MembershipFactory(network=network, status=MembershipStatus.ACTIVE)
    facilitator = factories.FacilitatorFactory(network=network).user
    with network_scope(network):
        with pytest.raises(DomainError):
            request_report(network=network, year=YEAR, by=member.representative)
        with pytest.raises(DomainError):
            request_report(network=network, year=YEAR - 1, by=facilitator)
        assert not ActivityReport.objects.exists()
        first = request_report(network=network, year=YEAR, by=facilitator)
        # Asked again while it is queued, the same version comes back.
        assert request_report(network=network, year=YEAR, by=facilitator) == first
        assert first.state == SnapshotState.QUEUED and first.requested_by == facilitator


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF, also when its objects sit in compressed object streams."""
    text = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", text))


def test_the_job_writes_the_report_with_its_pdf_and_workbook_for_one_network_only():
    """Two networks share an entity: each one's report says nothing of the other's year."""
    first, second = factories.NetworkFactory(), factories.NetworkFactory()
    with network_scope(first):
        members = a_year_of(first, prefix="Primera ")
    with network_scope(second):
        a_year_of(second, prefix="Segunda ")
        factories.MembershipFactory(
            network=second,
            entity=members[0].entity,
            status=MembershipStatus.ACTIVE,
            joined_at=moment(date(YEAR, 5, 1)),
        )
        report = ActivityReport.objects.create(network=second, year=YEAR)
    generate_activity_report(second.pk, report.pk)
    with all_networks():
        report = ActivityReport.objects.get(pk=report.pk)
    assert report.state == SnapshotState.DONE and report.progress == 100
    text = str(report.data)
    assert "Segunda Plenaria 0" in text and "Primera" not in text
    assert members[0].entity.name in text  # it is a member of the second network too
    pdf = bytes(report.pdf)
    assert pdf.startswith(b"%PDF-")
    assert count_pages(pdf) >= 2
    book = load_workbook(io.BytesIO(bytes(report.workbook)), read_only=True)
    assert len(book.sheetnames) == 6
    assert report.data["analyses"][0]["entities"] == len(members) + 2
    # Asked twice, the job writes a version once.
    with network_scope(second):
        assert generate_report(network=second, report_id=report.pk) is None


@pytest.fixture
def done(db):
    network = factories.NetworkFactory(founded_on=date(YEAR, 4, 5))
    facilitator = factories.FacilitatorFactory(network=network).user
    with network_scope(network):
        members = a_year_of(network)
        report = ActivityReport.objects.create(network=network, year=YEAR)
        report = generate_report(network=network, report_id=report.pk)
    return network, facilitator, members, report


def test_publishing_is_the_facilitators_and_shows_the_report_on_the_networks_page(client, done):
    network, facilitator, members, report = done
    public_url = reverse("evidence:public_report", args=[network.slug, report.pk])
    with network_scope(network), pytest.raises(DomainError):
        publish_report(report=report, publish=True, by=members[0].representative)
    assert client.get(public_url, secure=True).status_code == 404
    client.force_login(facilitator)
    response = client.post(
        reverse("evidence:report", args=[network.slug, report.pk]),
        {"publish": "1"},
        secure=True,
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(network.get_absolute_url(), secure=True).content.decode()
    assert public_url in page
    public = client.get(public_url, secure=True).content.decode()
    assert "Comisión 0" in public
    # A second version of the year, published, takes the first one's place.
    with network_scope(network):
        again = generate_report(
            network=network,
            report_id=ActivityReport.objects.create(network=network, year=YEAR).pk,
        )
        publish_report(report=again, publish=True, by=SYSTEM)
    assert client.get(public_url, secure=True).status_code == 404
    with network_scope(network):
        publish_report(report=again, publish=False, by=facilitator)
    assert (
        client.get(network.get_absolute_url(), secure=True).content.decode().count("/informes/")
        == 0
    )


def test_the_facilitator_generates_reads_and_downloads_the_report(
    client, done, monkeypatch, django_capture_on_commit_callbacks
):
    network, facilitator, _members, report = done
    queued = []
    monkeypatch.setattr("evidence.views.queue_report", lambda *ids: queued.append(ids))
    client.force_login(facilitator)
    listing = reverse("evidence:reports", args=[network.slug])
    assert client.post(listing, {"year": "1999"}, secure=True).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(listing, {"year": str(YEAR)}, secure=True)
    assert response.status_code == 302 and len(queued) == 1
    page = client.get(response["Location"], secure=True).content.decode()
    assert "<progress" in page
    page = client.get(
        reverse("evidence:report", args=[network.slug, report.pk]), secure=True
    ).content.decode()
    positions = [page.index(f"Comisión {index}") for index in (1, 0)]
    assert positions == sorted(positions)
    pdf = client.get(reverse("evidence:report_pdf", args=[network.slug, report.pk]), secure=True)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    workbook = client.get(
        reverse("evidence:report_workbook", args=[network.slug, report.pk]), secure=True
    )
    assert workbook.content.startswith(b"PK")


def test_the_national_report_gathers_its_regions():
    national = factories.NetworkFactory(kind=NetworkKind.NATIONAL)
    north = factories.NetworkFactory(parent=national, name="Norte")
    south = factories.NetworkFactory(parent=national, name="Sur")
    for region in (north, south):
        with network_scope(region):
            a_year_of(region, prefix=f"{region.name} ")
    other = factories.NetworkFactory()
    with network_scope(other):
        a_year_of(other, prefix="Ajena ")
    with network_scope(national):
        report = ActivityReport.objects.create(network=national, year=YEAR)
        report = generate_report(network=national, report_id=report.pk)
    data = report.data
    assert sorted(data["networks"]) == ["Norte", "Sur"]
    commissions = [row["commission"] for row in data["sheets"]]
    assert "Norte Comisión 0" in commissions and "Sur Comisión 0" in commissions
    assert not any(name.startswith("Ajena") for name in commissions)
    assert [row["network"] for row in data["analyses"]] == [national.name, "Norte", "Sur"]
    assert data["summary"]["members"] == 2 * 3
