"""Exports: facilitators get contacts; the public directory holds public facts only."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import MembershipStatus
from tests import factories


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def export_url(network, **query):
    url = reverse("evidence:export", kwargs={"network_slug": network.slug})
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def body(response):
    return b"".join(response.streaming_content)


def test_the_members_export_streams_every_membership_with_its_contacts(
    client, network, facilitator
):
    active = factories.MembershipFactory(network=network)
    factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    client.force_login(facilitator)

    response = client.get(export_url(network, datos="members", formato="csv"), secure=True)

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Entidad", "Tipo", "Plataforma", "Estado"]
    assert len(rows) == 3
    assert (
        active.representative.email
        in body(
            client.get(export_url(network, datos="members", formato="csv"), secure=True)
        ).decode()
    )


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    client, network, facilitator
):
    entity = factories.EntityFactory(name='=HYPERLINK("http://example.com","x")')
    factories.MembershipFactory(network=network, entity=entity)
    client.force_login(facilitator)

    text = body(client.get(export_url(network, datos="members"), secure=True)).decode()

    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("dataset", ["members", "commissions", "registrations"])
def test_each_facilitator_export_opens_as_an_excel_workbook(client, network, facilitator, dataset):
    membership = factories.MembershipFactory(network=network)
    commission = factories.CommissionFactory(network=network)
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    client.force_login(facilitator)

    response = client.get(export_url(network, datos=dataset, formato="xlsx"), secure=True)

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] in ("Entidad", "Comisión", "Evento")
    if dataset != "registrations":
        assert len(rows) == 2


def test_an_unknown_data_set_or_format_is_a_bad_request(client, network, facilitator):
    client.force_login(facilitator)

    assert client.get(export_url(network, datos="people"), secure=True).status_code == 400
    assert client.get(export_url(network, formato="pdf"), secure=True).status_code == 400


def test_member_entities_cannot_export_the_contacts(client, network):
    membership = factories.MembershipFactory(network=network)
    client.force_login(membership.representative)

    assert client.get(export_url(network, datos="members"), secure=True).status_code == 403


def test_the_public_directory_download_holds_public_facts_only(client, network):
    active = factories.MembershipFactory(network=network)
    pending = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    url = reverse("evidence:directory_download", kwargs={"network_slug": network.slug})

    as_json = json.loads(body(client.get(url + "?formato=json", secure=True)))
    as_csv = body(client.get(url, secure=True)).decode()

    assert [record["Entidad"] for record in as_json] == [active.entity.name]
    assert active.entity.name in as_csv and pending.entity.name not in as_csv
    for text in (json.dumps(as_json), as_csv):
        assert active.representative.email not in text
        assert active.representative.phone not in text
