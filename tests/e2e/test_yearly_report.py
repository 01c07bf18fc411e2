"""The facilitator generates the network's report of 2014, reads its sheets in date order,
downloads its PDF and publishes it on the network's page."""

from datetime import date

import pytest
from django.test import Client
from playwright.sync_api import expect

from evidence.tasks import generate_activity_report
from networks.scoping import network_scope
from tests import factories
from tests.evidence.test_report import YEAR, a_year_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_facilitator_generates_the_report_and_downloads_the_pdf(
    browser, live_server, shots, tmp_path, monkeypatch
):
    network = factories.NetworkFactory(
        name="Red de Voluntariado de Arequipa", slug="arequipa", founded_on=date(YEAR, 4, 5)
    )
    with network_scope(network):
        a_year_of(network, size=3)
    # The worker's part, done at once: the job runs as the page queues it.
    monkeypatch.setattr("evidence.views.queue_report", generate_activity_report)
    facilitator = factories.FacilitatorFactory(network=network).user
    client = Client()
    client.force_login(facilitator)
    context = browser.new_context(
        base_url=live_server.url,
        locale="es-PE",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)

    page.goto("/redes/arequipa/facilitacion/informes/")
    expect(page.get_by_role("heading", name="Informes anuales de actividades")).to_be_visible()
    shots(page, "reports")
    page.get_by_label("Año").select_option(str(YEAR))
    with page.expect_navigation():
        page.get_by_role("button", name="Generar el informe").click()
    expect(page.get_by_role("heading", name=f"Informe de actividades {YEAR}")).to_be_visible()
    sheets = page.locator(".report-sheet h3")
    expect(sheets).to_have_text(["Comisión 2", "Comisión 1", "Comisión 0"])
    expect(page.locator(".report-sociogram img")).to_be_visible()
    shots(page, "report")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar el PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    with page.expect_navigation():
        page.get_by_role("button", name="Publicar en la página de la red").click()
    page.goto("/redes/arequipa/")
    page.get_by_role("link", name=f"Informe de actividades {YEAR}").click()
    expect(page.locator(".report-sheet h3")).to_have_count(3)
    shots(page, "public-report")
    context.close()
