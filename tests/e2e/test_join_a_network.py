"""End to end in a browser: an entity joins Arequipa and a facilitator approves it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.actors import SYSTEM
from networks.models import MembershipApproval
from networks.services import appoint_facilitator, publish_charter
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "una clave larga y segura 2026"


@pytest.fixture
def arequipa():
    network = factories.NetworkFactory(
        name="Red de Voluntariado de Arequipa",
        slug="arequipa",
        membership_approval=MembershipApproval.REVIEWED,
    )
    publish_charter(
        network=network,
        mission="Fortalecer el voluntariado en Arequipa.",
        vision="Un espacio plural de diálogo.",
        principles="Funcional, horizontal, inclusiva, participativa, diversa, flexible.",
        code_of_ethics="Actuamos con transparencia y respeto.",
        commitment="Nos comprometemos a participar en las comisiones.",
        by=SYSTEM,
    )
    facilitator = factories.UserFactory(
        email="facilitadora@example.org", password=PASSWORD, first_name="Fabiola"
    )
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    return network


def log_in(page, email, axe):
    page.goto("/cuenta/login/")
    axe(page, "log-in")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Iniciar sesión")).click()


def test_an_entity_signs_up_registers_applies_and_is_approved(
    page, shots, axe, arequipa, fresh_rate_limits
):
    # A new person signs up.
    page.goto("/cuenta/signup/")
    shots(page, "sign-up")
    page.get_by_label("Correo electrónico").fill("rosa@misti-verde.org")
    page.get_by_label("Nombres").fill("Rosa")
    page.get_by_label("Apellidos").fill("Quispe")
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_label("Contraseña (de nuevo)").fill(PASSWORD)
    page.get_by_role("button", name="Crear una cuenta").click()
    shots(page, "verification-sent")

    # She opens the verification link from the mail she received.
    message = next(m for m in mail.outbox if "rosa@misti-verde.org" in m.to)
    # The mail links to the public https address; the test server answers on its own.
    path = re.search(r"/cuenta/confirm-email/\S+/", message.body).group(0)
    page.goto(path)
    shots(page, "confirm-email")
    page.get_by_role("button", name="Confirmar").click()
    # Confirming the address logs her in and takes her to her workspace.
    page.wait_for_url("**/mi-red/")
    shots(page, "my-network-empty")

    # She registers her organisation, an informal group.
    page.goto("/mi-red/entidades/nueva/")
    page.get_by_label("Nombre de la organización").fill("Colectivo Misti Verde")
    page.get_by_label("Tipo de organización").select_option(label="Grupo informal")
    page.get_by_label("Ciudad").fill("Arequipa")
    page.get_by_label("Descripción pública").fill("Jóvenes que cuidan el río Chili.")
    page.get_by_label("Medio ambiente").check()
    shots(page, "register-entity")
    page.get_by_role("button", name="Registrar la organización").click()

    # She applies to Arequipa, accepting its charter.
    page.goto("/redes/arequipa/unirse/")
    page.get_by_label("Plataforma").select_option(label="Juventud")
    page.get_by_label(re.compile("mi entidad los acepta")).check()
    shots(page, "apply")
    page.get_by_role("button", name="Postular").click()
    page.wait_for_url("**/mi-red/")
    expect(page.get_by_text("Solicitada").first).to_be_visible()
    shots(page, "applied")

    # Not yet in the public directory.
    page.goto("/redes/arequipa/directorio/")
    axe(page, "directory-before-approval")
    assert page.get_by_role("link", name="Colectivo Misti Verde").count() == 0

    # The facilitator of Arequipa logs in and approves.
    page.context.clear_cookies()
    log_in(page, "facilitadora@example.org", axe)
    # She lands on "My network", where the application waits for her, counted in the header.
    page.wait_for_url("**/mi-red/")
    expect(
        page.get_by_text("1 solicitud a Red de Voluntariado de Arequipa espera su decisión.")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Facilitación 1"))).to_be_visible()
    shots(page, "facilitator-landing")
    page.get_by_role("link", name="Colectivo Misti Verde").click()
    expect(
        page.get_by_role("heading", name="Entidades parecidas que ya están en la red")
    ).to_be_visible()
    shots(page, "application-review")
    page.goto("/redes/arequipa/facilitacion/solicitudes/")
    shots(page, "applications")
    with page.expect_navigation():
        page.get_by_role("button", name="Aprobar").first.click()
    shots(page, "approved")

    # The entity now appears in the public directory, without personal data.
    page.context.clear_cookies()
    page.goto("/redes/arequipa/directorio/")
    entry = page.get_by_role("link", name="Colectivo Misti Verde")
    expect(entry).to_be_visible()
    shots(page, "directory")
    entry.click()
    assert "rosa@misti-verde.org" not in page.content()
    assert "Quispe" not in page.content()
    shots(page, "entity-profile")
