"""The network of networks in a browser, as its national facilitator walks it: the national
dashboard, a national commission that entities of two regions join, the year's common agenda
with two lines, published, and a regional commission attached to one of them."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Agenda, AgendaState, Attachment
from commissions.models import CommissionMember
from commissions.services import propose_commission
from core.actors import SYSTEM
from networks.models import NetworkKind
from networks.scoping import all_networks
from networks.services import appoint_facilitator
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "una clave larga y segura 2026"
NATIONAL_COMMISSION = "Día Internacional del Voluntariado nacional"
REGIONAL_COMMISSION = "Medio Ambiente Arequipa"
LINES = [
    (
        "Medio ambiente",
        "Sumar el voluntariado de todas las regiones al cuidado del ambiente.",
        "medio ambiente, cambio climático",
    ),
    (
        "Juventud",
        "Abrir espacios para que las y los jóvenes participen como voluntarios.",
        "juventud, cultura",
    ),
]


def log_in(page, user, axe):
    page.context.clear_cookies()
    page.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Iniciar sesión")).click()
    page.wait_for_url("**/mi-red/")
    axe(page, "my-network")


def member(network, name):
    return factories.MembershipFactory(
        network=network,
        entity__name=name,
        entity__region=network.region,
        entity__city=network.region,
        representative=factories.UserFactory(password=PASSWORD),
    )


def test_the_national_facilitator_walks_the_network_of_networks(page, shots, axe):
    national = factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )
    arequipa = factories.NetworkFactory(
        name="Red Soy Voluntari@ Arequipa", slug="arequipa", region="Arequipa", parent=national
    )
    piura = factories.NetworkFactory(
        name="Red Soy Voluntari@ Piura", slug="piura", region="Piura", parent=national
    )
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=national, user=facilitator, by=SYSTEM)
    misti = member(arequipa, "Colectivo Misti Verde")
    chira = member(piura, "Jóvenes del Chira")
    chachani = member(arequipa, "Asociación Chachani")
    # A facilitator proposes no commission: it stays neutral and acts for no entity
    # (`refuse_facilitator` in the service, and the page offers it no form), so a member
    # entity of a region proposed the national commission before the walk, through the
    # service its page calls.
    commission = propose_commission(
        network=national,
        entity=chachani.entity,
        name=NATIONAL_COMMISSION,
        purpose="Coordinar entre las regiones la celebración del 5 de diciembre.",
        by=chachani.representative,
    )
    # Arequipa's own commission on the environment, promoted by Colectivo Misti Verde.
    regional = propose_commission(
        network=arequipa,
        entity=misti.entity,
        name=REGIONAL_COMMISSION,
        purpose="Limpiezas de la campiña y educación ambiental en los colegios.",
        by=misti.representative,
    )
    year = timezone.localdate(timezone.now(), national.zone).year

    # The national dashboard: the regions side by side.
    log_in(page, facilitator, axe)
    page.goto(f"/redes/{national.slug}/facilitacion/")
    page.get_by_role("navigation", name="Facilitación").get_by_role("link", name="Regiones").click()
    page.wait_for_url(f"**/redes/{national.slug}/facilitacion/regiones/")
    expect(page.get_by_role("heading", name="Las regiones lado a lado")).to_be_visible()
    today = page.locator("table").first
    expect(today.get_by_role("rowheader", name="Red Soy Voluntari@ Arequipa")).to_be_visible()
    expect(today.get_by_role("rowheader", name="Red Soy Voluntari@ Piura")).to_be_visible()
    shots(page, "national-dashboard")

    # The national commission, open, with its proposer from Arequipa.
    page.goto(f"/redes/{national.slug}/comisiones/")
    page.get_by_role("link", name=NATIONAL_COMMISSION).click()
    page.wait_for_url(f"**/redes/{national.slug}/comisiones/{commission.pk}/")
    expect(page.get_by_role("heading", name=NATIONAL_COMMISSION, level=1)).to_be_visible()
    expect(page.get_by_text("Asociación Chachani").first).to_be_visible()
    # The facilitator stays neutral: no button to join for it.
    expect(page.get_by_role("button", name="Unirse a la comisión")).to_have_count(0)
    shots(page, "national-commission")

    # An entity from Arequipa and one from Piura join it from its page.
    for membership, step in ((misti, "arequipa-joined"), (chira, "piura-joined")):
        log_in(page, membership.representative, axe)
        page.goto(f"/redes/{national.slug}/comisiones/{commission.pk}/")
        page.get_by_role("button", name="Unirse a la comisión").click()
        page.wait_for_url(f"**/redes/{national.slug}/comisiones/{commission.pk}/**")
        expect(page.get_by_role("button", name="Unirse a la comisión")).to_have_count(0)
        members = page.locator("section", has=page.get_by_role("heading", name="Entidades miembro"))
        expect(members.get_by_role("link", name=membership.entity.name)).to_be_visible()
        # The regions' members are counted by sector, as the national network's platforms.
        expect(members).to_contain_text("Sus miembros vienen de una plataforma: Sociedad civil.")
        shots(page, step)
    with all_networks():
        sitting = set(
            CommissionMember.objects.filter(
                commission=commission, left_on__isnull=True
            ).values_list("entity__name", flat=True)
        )
    assert sitting == {"Asociación Chachani", "Colectivo Misti Verde", "Jóvenes del Chira"}

    # The national facilitator drafts the year's agenda with two lines.
    log_in(page, facilitator, axe)
    page.goto(f"/redes/{national.slug}/agenda/")
    page.get_by_role("link", name="Preparar una agenda anual").click()
    page.get_by_label("Año").fill(str(year))
    page.get_by_label("Introducción").fill(
        "Las regiones coinciden en sus temas: esta agenda los vuelve líneas comunes."
    )
    shots(page, "draft-agenda")
    page.get_by_role("button", name="Preparar la agenda").click()
    page.wait_for_url(f"**/redes/{national.slug}/agenda/{year}/")
    for title, purpose, topics in LINES:
        page.get_by_role("link", name="Añadir una línea de trabajo").click()
        page.get_by_label("Título").fill(title)
        page.get_by_label("Propósito").fill(purpose)
        page.get_by_label("Temas").fill(topics)
        if title == LINES[0][0]:
            shots(page, "add-a-line")
        page.get_by_role("button", name="Añadir la línea").click()
        page.wait_for_url(f"**/redes/{national.slug}/agenda/{year}/")
        expect(page.get_by_role("heading", name=title, level=3)).to_be_visible()
    shots(page, "agenda-drafted")

    # Open for the regions' comments, then published.
    page.get_by_role("link", name="Abrir la agenda a comentarios").click()
    page.get_by_role("button", name="Abrirla a comentarios").click()
    page.wait_for_url(f"**/redes/{national.slug}/agenda/{year}/")
    expect(page.get_by_text("La agenda está abierta a comentarios.")).to_be_visible()
    shots(page, "agenda-open")
    page.get_by_role("link", name="Publicar la agenda").click()
    shots(page, "publish-agenda")
    page.get_by_role("button", name="Publicarla").click()
    page.wait_for_url(f"**/redes/{national.slug}/agenda/{year}/")
    expect(page.get_by_text("La agenda está publicada.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Publicada el "))).to_be_visible()
    expect(page.get_by_role("link", name="Publicar la agenda")).to_have_count(0)
    shots(page, "agenda-published")
    with all_networks():
        agenda = Agenda.objects.get(network=national, year=year)
        assert agenda.state == AgendaState.PUBLISHED
        assert list(agenda.lines.order_by("position").values_list("title", flat=True)) == [
            title for title, _purpose, _topics in LINES
        ]

    # The promoter of Arequipa's commission attaches it to the environment line.
    log_in(page, misti.representative, axe)
    page.goto(f"/redes/{national.slug}/agenda/{year}/")
    page.get_by_role("link", name="Medio ambiente").click()
    expect(page.get_by_text("Aún no hay comisiones trabajando en esta línea.")).to_be_visible()
    page.get_by_role("link", name="Sumar una comisión").click()
    page.get_by_label("Comisión").select_option(
        label=f"{REGIONAL_COMMISSION} (Red Soy Voluntari@ Arequipa)"
    )
    shots(page, "attach-a-commission")
    page.get_by_role("button", name="Sumarla").click()
    page.wait_for_url(re.compile(rf"/agenda/{year}/lineas/\d+/$"))
    expect(page.get_by_text("La comisión trabaja ahora en esta línea.")).to_be_visible()
    section = page.locator("section", has=page.get_by_role("heading", name="Comisiones que"))
    expect(section.get_by_role("link", name=REGIONAL_COMMISSION)).to_be_visible()
    expect(section.get_by_text("Arequipa", exact=True)).to_be_visible()
    shots(page, "commission-attached")
    with all_networks():
        attachment = Attachment.objects.get()
    assert (attachment.commission, attachment.line.title) == (regional, "Medio ambiente")
    assert attachment.attached_by == misti.representative
