"""A plenary in a browser: it needs an agenda, a member registers, attendance and minutes."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from core.actors import SYSTEM
from events.models import Event, Registration
from networks.scoping import all_networks
from networks.services import appoint_facilitator
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "una clave larga y segura 2026"


def log_in(page, user, axe):
    page.context.clear_cookies()
    page.goto("/cuenta/login/")
    axe(page, "log-in")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Iniciar sesión")).click()
    page.wait_for_url("**/mi-red/")
    axe(page, "my-network")


def test_a_plenary_is_announced_with_an_agenda_attended_and_minuted(page, shots, axe, network):
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    member = factories.MembershipFactory(
        network=network,
        entity__name="Colectivo Misti Verde",
        representative=factories.UserFactory(password=PASSWORD),
    )
    starts = timezone.localtime(timezone.now() + timedelta(hours=2), network.zone)

    log_in(page, facilitator, axe)
    page.goto(f"/redes/{network.slug}/eventos/nuevo/")
    page.get_by_label("Tipo de evento").select_option(label="Plenaria")
    page.get_by_label("Título").fill("Plenaria de diciembre")
    page.get_by_label("Presencial", exact=True).check()
    page.get_by_label("Lugar").fill("Auditorio municipal, Arequipa")
    page.get_by_label("Empieza").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Termina").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Solo miembros").check()
    page.get_by_role("checkbox", name=re.compile("Anunciar ahora")).check()
    shots(page, "new-plenary")
    with page.expect_navigation():
        page.get_by_role("button", name="Crear el evento").click()
    # Functional principle (4.1 d.1): no plenary without a concrete proposal.
    # The error is in the summary at the top, which links to the field, and at the field.
    summary = page.locator(".error-summary")
    expect(summary.get_by_text("Una plenaria solo se anuncia con agenda")).to_be_visible()
    shots(page, "plenary-refused-without-agenda")
    with all_networks():
        assert not Event.objects.exists()

    page.get_by_label("Primer punto de agenda").fill("Día Internacional del Voluntariado")
    page.get_by_label("Propuesto por").select_option(label="Colectivo Misti Verde")
    proposal = "Una feria en la Plaza de Armas el 5 de diciembre."
    page.get_by_label("Propuesta concreta").fill(proposal)
    page.get_by_role("button", name="Crear el evento").click()
    page.wait_for_url(re.compile(r"/eventos/\d+/$"))
    shots(page, "plenary-announced")
    with all_networks():
        event = Event.objects.get()

    log_in(page, member.representative, axe)
    page.goto(f"/redes/{network.slug}/eventos/{event.pk}/")
    axe(page, "plenary")
    page.get_by_label("Cuántas personas asistirán").fill("3")
    page.get_by_role("button", name="Inscribirse").click()
    shots(page, "member-registered")
    with all_networks():
        registration = Registration.objects.get(event=event)
    assert (registration.entity, registration.people) == (member.entity, 3)

    # The plenary takes place; afterwards the facilitator records it.
    with time_machine.travel(starts + timedelta(hours=3), tick=True):
        log_in(page, facilitator, axe)
        page.goto(f"/redes/{network.slug}/eventos/{event.pk}/asistencia/")
        page.get_by_label("Colectivo Misti Verde").fill("2")
        page.get_by_role("button", name="Guardar la asistencia").click()
        shots(page, "attendance")
        page.goto(f"/redes/{network.slug}/eventos/{event.pk}/acta/")
        page.get_by_label("Resumen").fill("Se acordó organizar la feria del Día del Voluntariado.")
        page.get_by_label("Acuerdo").first.fill("Organizar la feria el 5 de diciembre.")
        page.get_by_role("button", name="Guardar el acta").click()
        page.get_by_role("button", name="Publicar el acta").click()
        shots(page, "minutes-published")
    registration.refresh_from_db()
    event.refresh_from_db()
    assert registration.attended_people == 2
    with all_networks():
        assert event.minutes.published_at is not None
