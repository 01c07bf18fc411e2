"""The import pages: upload, preview with errors and duplicates, confirm or cancel, progress."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence import views
from evidence.models import ImportState, SpreadsheetImport
from evidence.tasks import check_spreadsheet
from members.models import Entity, Membership, MembershipStatus
from networks.scoping import network_scope
from tests import factories


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def spreadsheet(rows, name="red.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Nombre", "Tipo", "Plataforma", "Correo"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


def imports_url(network):
    return reverse("evidence:imports", kwargs={"network_slug": network.slug})


def import_url(network, record):
    return reverse("evidence:import", kwargs={"network_slug": network.slug, "import_id": record.pk})


def the_upload(network):
    with network_scope(network):
        return SpreadsheetImport.objects.get()


def test_imports_sit_beside_exports_in_the_facilitators_navigation(client, network, facilitator):
    client.force_login(facilitator)

    page = client.get(
        reverse("evidence:exports", kwargs={"network_slug": network.slug}), secure=True
    )

    assert f'href="{imports_url(network)}"' in page.content.decode()


def test_a_facilitator_uploads_sees_each_row_and_imports_only_what_was_confirmed(
    client, network, facilitator
):
    registered = factories.EntityFactory(name="Asociación Juventud Solidaria")
    client.force_login(facilitator)

    response = client.post(
        imports_url(network),
        {
            "kind": "members",
            "file": spreadsheet(
                [
                    ["Asociacion Juventud Solidaria", "ONG", "Sociedad civil", ""],
                    ["Grupo Sin Tipo", "", "Sociedad civil", ""],
                    ["Colectivo Ribereño", "Grupo informal", "Juventud", "rio@example.org"],
                ]
            ),
        },
        secure=True,
    )
    record = the_upload(network)
    assert response.status_code == 302
    assert response["Location"] == import_url(network, record)

    page = client.get(import_url(network, record), secure=True).content.decode()
    assert "Asociación Juventud Solidaria" in page  # the likely duplicate, by name
    assert f'value="link:{registered.pk}"' in page
    assert "Grupo Sin Tipo" in page
    assert "Colectivo Ribereño" in page
    with network_scope(network):
        assert not Membership.objects.exists()

    response = client.post(
        import_url(network, record),
        {"action": "confirm", "row-2": f"link:{registered.pk}"},
        secure=True,
    )

    assert response.status_code == 302
    with network_scope(network):
        members = dict(Membership.objects.values_list("entity__name", "status"))
    assert members == {
        "Asociación Juventud Solidaria": MembershipStatus.ACTIVE,
        "Colectivo Ribereño": MembershipStatus.ACTIVE,
    }
    assert not Entity.objects.filter(name="Grupo Sin Tipo").exists()
    done = client.get(import_url(network, record), secure=True).content.decode()
    assert the_upload(network).state == ImportState.DONE
    assert reverse("facilitation:members", kwargs={"network_slug": network.slug}) in done


def test_cancelling_from_the_page_changes_nothing(client, network, facilitator):
    client.force_login(facilitator)
    client.post(
        imports_url(network),
        {"kind": "members", "file": spreadsheet([["Grupo Uno", "ONG", "Sociedad civil", ""]])},
        secure=True,
    )
    record = the_upload(network)

    response = client.post(import_url(network, record), {"action": "cancel"}, secure=True)

    assert response.status_code == 302
    with network_scope(network):
        assert not SpreadsheetImport.objects.exists()
        assert not Membership.objects.exists()
    assert not Entity.objects.exists()


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("roto.xlsx", b"PK\x03\x04 not really"),
        SimpleUploadedFile("texto.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("vacio.csv", b""),
        SimpleUploadedFile("solo.csv", b"Nombre,Tipo\n"),
        SimpleUploadedFile("nul.csv", b"Nombre\x00,Tipo\nA\x00B,ONG\n"),
    ],
    ids=["damaged", "pdf", "empty", "header only", "nul bytes"],
)
def test_a_file_that_cannot_be_imported_gets_a_message_never_a_500(
    client, network, facilitator, file
):
    client.force_login(facilitator)

    response = client.post(imports_url(network), {"kind": "members", "file": file}, secure=True)

    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert 'role="alert"' in response.content.decode() or "error" in response.content.decode()


def test_the_columns_are_chosen_again_on_the_page(client, network, facilitator):
    client.force_login(facilitator)
    client.post(
        imports_url(network),
        {
            "kind": "members",
            "file": SimpleUploadedFile(
                "raro.csv", "Organización,Clase,Sector\nGrupo Dos,ONG,Sociedad civil\n".encode()
            ),
        },
        secure=True,
    )
    record = the_upload(network)

    response = client.post(
        import_url(network, record),
        {"action": "map", "name": "0", "kind": "1", "platform": "2"},
        secure=True,
    )

    assert response.status_code == 302
    record = the_upload(network)
    assert record.mapping == {"name": 0, "kind": 1, "platform": 2}
    assert record.results[0]["errors"] == []


def test_a_large_file_is_checked_by_the_job_and_the_page_shows_its_progress(
    client, network, facilitator, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(views, "queue_check", lambda *ids: queued.append(ids))
    client.force_login(facilitator)
    rows = [[f"Colectivo Numerado {number}", "ONG", "Sociedad civil", ""] for number in range(250)]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            imports_url(network), {"kind": "members", "file": spreadsheet(rows)}, secure=True
        )
    record = the_upload(network)

    assert queued == [(network.pk, record.pk)]
    page = client.get(import_url(network, record), secure=True).content.decode()
    assert "<progress" in page
    check_spreadsheet(network.pk, record.pk)
    page = client.get(import_url(network, record), secure=True).content.decode()
    assert "<progress" not in page
    assert 'value="confirm"' in page


@pytest.mark.parametrize("page", ["imports", "import"])
def test_the_pages_make_the_same_queries_for_a_small_and_a_large_file(
    client, network, facilitator, page
):
    client.force_login(facilitator)
    counts = []
    for size in (3, 150):
        rows = [[f"Colectivo Contado {size} {n}", "ONG", "Sociedad civil", ""] for n in range(size)]
        client.post(
            imports_url(network), {"kind": "members", "file": spreadsheet(rows)}, secure=True
        )
        with network_scope(network):
            record = SpreadsheetImport.objects.order_by("-pk").first()
        url = imports_url(network) if page == "imports" else import_url(network, record)
        client.get(url, secure=True)  # warm the session and the caches
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, secure=True).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
