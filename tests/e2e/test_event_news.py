"""News of a plenary in a browser: announced, moved, cancelled, and the member's calendar.

The facilitator announces a plenary; a member sees it in "My network", reads
it in the inbox and registers, and finds it in "My network" with its calendar
entry; the facilitator moves it: the member's calendar entry keeps its UID
with a higher SEQUENCE; the facilitator cancels it: the member is told, with a
cancelling calendar entry. Also: an announcement written to the network, and the
mail settings page.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from core.actors import SYSTEM
from events.models import Event, Registration
from members import notifications
from networks.scoping import all_networks
from networks.services import appoint_facilitator
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "una clave larga y segura 2026"


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Iniciar sesión")).click()
    page.wait_for_url("**/mi-red/")


def calendar_entry(page, event):
    """The event's calendar file as the member downloads it from its page."""
    response = page.request.get(f"/redes/{event.network.slug}/eventos/{event.pk}/evento.ics")
    assert response.ok
    (entry,) = Calendar.from_ical(response.body()).walk("VEVENT")
    return str(entry["UID"]), int(entry["SEQUENCE"]), entry


def attached_calendar(person):
    message = [m for m in mail.outbox if m.to == [person.email]][-1]
    (attachment,) = message.attachments
    return Calendar.from_ical(attachment[1])


def test_a_member_hears_of_a_plenary_announced_moved_and_cancelled(page, shots, network):
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    member = factories.MembershipFactory(
        network=network,
        entity__name="Colectivo Misti Verde",
        representative=factories.UserFactory(password=PASSWORD),
    )
    starts = timezone.localtime(timezone.now() + timedelta(days=10), network.zone).replace(
        hour=9, minute=0, second=0, microsecond=0
    )

    # The facilitator announces a plenary.
    log_in(page, facilitator)
    page.goto(f"/redes/{network.slug}/eventos/nuevo/")
    page.get_by_label("Tipo de evento").select_option(label="Plenaria")
    page.get_by_label("Título").fill("Plenaria de diciembre")
    page.get_by_label("Presencial", exact=True).check()
    page.get_by_label("Lugar").fill("Auditorio municipal, Arequipa")
    page.get_by_label("Empieza").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Termina").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Solo miembros").check()
    page.get_by_role("checkbox", name=re.compile("Anunciar ahora")).check()
    page.get_by_label("Primer punto de agenda").fill("Día Internacional del Voluntariado")
    page.get_by_label("Propuesto por").select_option(label="Colectivo Misti Verde")
    page.get_by_label("Propuesta concreta").fill("Una feria en la Plaza de Armas.")
    shots(page, "facilitator-new-plenary")
    page.get_by_role("button", name="Crear el evento").click()
    page.wait_for_url(re.compile(r"/eventos/\d+/$"))
    shots(page, "facilitator-plenary-announced")
    with all_networks():
        event = Event.objects.get()
    notifications.deliver_pending_notifications()

    # The member sees it in "My network", open for registration, and reads it in the inbox.
    log_in(page, member.representative)
    open_to_register = page.get_by_role("list", name="Con inscripción abierta")
    expect(open_to_register.get_by_role("link", name="Plenaria de diciembre")).to_be_visible()
    shots(page, "member-my-network")
    page.goto("/cuenta/avisos/")
    announced = page.get_by_role("link", name="Nuevo evento: Plenaria de diciembre")
    expect(announced).to_be_visible()
    expect(page.get_by_text(f"{starts.day} de ")).to_be_visible()
    shots(page, "member-inbox-announced")
    announced.click()
    page.wait_for_url(f"**/eventos/{event.pk}/")
    page.get_by_label("Cuántas personas asistirán").fill("2")
    page.get_by_role("button", name="Inscribirse").click()
    shots(page, "member-registered")
    with all_networks():
        assert Registration.objects.get(event=event).entity == member.entity
    uid, sequence, _entry = calendar_entry(page, event)

    # "My network" now lists it among the events the entity registered for, with its
    # calendar entry, and no longer offers it.
    page.goto("/mi-red/")
    registered = page.get_by_role("list", name="Inscrita en")
    expect(registered.get_by_role("link", name="Plenaria de diciembre", exact=True)).to_be_visible()
    calendar_link = registered.get_by_role("link", name=re.compile("Añadir a su calendario"))
    expect(calendar_link).to_be_visible()
    expect(page.get_by_role("list", name="Con inscripción abierta")).to_have_count(0)
    shots(page, "member-my-network-registered")
    downloaded = page.request.get(calendar_link.get_attribute("href"))
    (listed,) = Calendar.from_ical(downloaded.body()).walk("VEVENT")
    assert str(listed["UID"]) == uid

    # The facilitator moves it two hours later.
    log_in(page, facilitator)
    page.goto(f"/redes/{network.slug}/eventos/{event.pk}/editar/")
    moved = starts + timedelta(hours=2)
    page.get_by_label("Empieza").fill(moved.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Termina").fill((moved + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    shots(page, "facilitator-moves-plenary")
    page.get_by_role("button", name="Guardar el evento").click()
    page.wait_for_url(f"**/eventos/{event.pk}/")
    shots(page, "facilitator-plenary-moved")
    notifications.deliver_pending_notifications()

    # The member is told, and the calendar entry is the same one, revised.
    log_in(page, member.representative)
    page.goto("/cuenta/avisos/")
    expect(
        page.get_by_role("link", name=re.compile("Cambio: Plenaria de diciembre"))
    ).to_be_visible()
    shots(page, "member-inbox-moved")
    new_uid, new_sequence, entry = calendar_entry(page, event)
    assert new_uid == uid and new_sequence > sequence
    assert entry.decoded("DTSTART").hour == moved.hour
    (mailed,) = attached_calendar(member.representative).walk("VEVENT")
    assert str(mailed["UID"]) == uid and int(mailed["SEQUENCE"]) == new_sequence

    # The facilitator cancels it; the member receives the cancellation.
    log_in(page, facilitator)
    page.goto(f"/redes/{network.slug}/eventos/{event.pk}/cancelar/")
    page.get_by_label("Motivo").fill("Paro regional de transportes.")
    shots(page, "facilitator-cancels")
    page.get_by_role("button", name="Cancelar el evento").click()
    page.wait_for_url(f"**/eventos/{event.pk}/")
    shots(page, "facilitator-plenary-cancelled")
    notifications.deliver_pending_notifications()

    log_in(page, member.representative)
    page.goto("/cuenta/avisos/")
    cancelled = page.get_by_role("link", name="Cancelado: Plenaria de diciembre")
    expect(cancelled).to_be_visible()
    expect(page.get_by_text("Paro regional de transportes.", exact=False)).to_be_visible()
    shots(page, "member-inbox-cancelled")
    cancelling = attached_calendar(member.representative)
    assert cancelling["METHOD"] == "CANCEL"
    (gone,) = cancelling.walk("VEVENT")
    assert str(gone["UID"]) == uid and int(gone["SEQUENCE"]) > new_sequence
    cancelled.click()
    page.wait_for_url(f"**/eventos/{event.pk}/")
    shots(page, "member-cancelled-plenary")


def test_an_announcement_and_the_one_click_way_out(page, shots, network):
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    member = factories.MembershipFactory(
        network=network, representative=factories.UserFactory(password=PASSWORD)
    )

    log_in(page, facilitator)
    page.goto(f"/redes/{network.slug}/anuncios/nuevo/")
    page.get_by_label("Título").fill("Convocatoria a la plenaria")
    page.get_by_label("Texto").fill("La plenaria será el 12 de diciembre en el auditorio.")
    page.get_by_label(re.compile("Publicarlo también como noticia")).check()
    shots(page, "facilitator-writes-announcement")
    page.get_by_role("button", name="Enviar el anuncio").click()
    page.wait_for_url(re.compile(r"/anuncios/\d+/$"))
    shots(page, "announcement-sent")
    page.get_by_role("link", name="Corregirlo").click()
    page.get_by_label("Corrección").fill("Es el 13 de diciembre, no el 12.")
    shots(page, "facilitator-corrects")
    page.get_by_role("button", name="Enviar la corrección").click()
    expect(page.get_by_text("Es el 13 de diciembre, no el 12.")).to_be_visible()
    shots(page, "announcement-corrected")
    page.goto(f"/redes/{network.slug}/")
    expect(page.get_by_role("link", name="Convocatoria a la plenaria")).to_be_visible()
    shots(page, "network-page-news")
    notifications.deliver_pending_notifications()

    log_in(page, member.representative)
    page.goto("/cuenta/avisos/")
    expect(page.get_by_role("link", name="Anuncio: Convocatoria a la plenaria")).to_be_visible()
    expect(page.get_by_role("link", name="Corrección: Convocatoria a la plenaria")).to_be_visible()
    shots(page, "member-inbox-announcement")
    page.goto("/cuenta/ajustes/")
    expect(page.get_by_label(network.name)).to_be_visible()
    shots(page, "member-mail-settings")

    # The link at the foot of the mail, opened without a session.
    message = [m for m in mail.outbox if m.to == [member.representative.email]][-1]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    shots(page, "unsubscribe-asks")
    page.get_by_role("button", name=re.compile("Dejar de recibir correos de")).click()
    expect(page.get_by_text("Listo: ya no recibirá correos")).to_be_visible()
    shots(page, "unsubscribe-done")
    assert notifications.preference_of(member.representative, network) == "never"
