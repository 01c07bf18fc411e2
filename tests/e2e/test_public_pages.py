import pytest
from playwright.sync_api import expect

from core.actors import SYSTEM
from members.models import PriorityArea
from networks.services import publish_charter
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_a_network_and_an_entity_in_spanish(page, shots, live_server):
    network = factories.NetworkFactory(name="Red de Voluntariado de Arequipa", slug="arequipa")
    publish_charter(
        network=network,
        mission="Fortalecer el voluntariado en Arequipa.",
        vision="Un espacio plural de diálogo.",
        principles="Funcional, horizontal, inclusiva.",
        code_of_ethics="Actuamos con transparencia.",
        by=SYSTEM,
    )
    member = factories.MembershipFactory(
        network=network,
        entity__name="Colectivo Misti Verde",
        entity__slug="colectivo-misti-verde",
    )
    member.entity.priority_areas.set(PriorityArea.objects.filter(code="environment"))
    factories.MembershipFactory.create_batch(3, network=network)

    page.goto("/")
    shots(page, "home")
    page.get_by_role("link", name="Red de Voluntariado de Arequipa").first.click()
    page.wait_for_url("**/redes/arequipa/")
    expect(page.get_by_text("Fortalecer el voluntariado en Arequipa.")).to_be_visible()
    shots(page, "network")
    page.goto("/redes/arequipa/directorio/")
    page.get_by_label("Nombre de la entidad").fill("Misti")
    with page.expect_navigation():
        page.get_by_role("button", name="Buscar", exact=True).click()
    expect(page.get_by_role("link", name="Colectivo Misti Verde")).to_be_visible()
    shots(page, "directory-search")
    page.get_by_role("link", name="Colectivo Misti Verde").click()
    page.wait_for_url("**/entidades/colectivo-misti-verde/")
    assert member.representative.email not in page.content()
    shots(page, "entity")
