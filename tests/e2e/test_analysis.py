"""The facilitator opens the network's analysis, filters the sociogram by platform,
zooms in and downloads the drawing as SVG; the page's script breaks no policy."""

import pytest
import time_machine
from django.test import Client
from playwright.sync_api import expect

from evidence.tasks import analyse_network
from networks.scoping import all_networks
from platforms.models import Sector
from tests import factories
from tests.e2e.test_content_security_policy import COLLECT_VIOLATIONS
from tests.evidence.test_analysis import TODAY, build_twelve

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_facilitator_filters_the_sociogram_and_downloads_it(
    browser, live_server, shots, tmp_path
):
    network = factories.NetworkFactory(name="Red de Voluntariado de Arequipa", slug="arequipa")
    with time_machine.travel(TODAY, tick=False):
        with all_networks():
            build_twelve(network)
        analyse_network(network.pk)
    university = factories.platform_of(network, Sector.UNIVERSITY)
    facilitator = factories.FacilitatorFactory(network=network).user
    client = Client()
    client.force_login(facilitator)
    context = browser.new_context(
        base_url=live_server.url, locale="es-PE", viewport={"width": 1280, "height": 900}
    )
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/redes/arequipa/facilitacion/analisis/")
    expect(page.get_by_role("heading", name="Sociograma")).to_be_visible()
    image = page.locator("[data-sociogram] img")
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('[data-sociogram] img').naturalWidth") == 1000
    # The page's own violations, read before axe's probes may add theirs.
    violations = page.evaluate("window.__violations")
    shots(page, "analysis")

    page.get_by_label("Plataforma").select_option(label=university.label)
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrar").click()
    assert f"plataforma={university.pk}" in page.url
    rows = page.locator(".sociogram-table tbody th[scope=row]")
    expect(rows).to_have_text(["E01", "E02"])

    page.get_by_role("button", name="Acercar").click()
    assert "scale(1.5)" in image.evaluate("element => element.style.transform")
    violations += page.evaluate("window.__violations")
    shots(page, "filtered-and-zoomed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar el sociograma (SVG)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".svg")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    drawing = saved.read_text()
    assert drawing.startswith("<?xml") and "<svg" in drawing
    assert "<title>E01:" in drawing and "<title>E03:" not in drawing  # only the filter's

    assert violations == []
    context.close()
