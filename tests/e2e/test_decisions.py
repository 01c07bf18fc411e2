"""Deciding by consent in a browser: a proposal on a plenary's agenda, an objection, an
amendment that resolves it, the window closing, and the outcome in the minutes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.actors import SYSTEM
from decisions.models import DecidedBy, Position, Proposal, ProposalState, Stance
from decisions.tasks import run_proposal_schedule_in_network
from events.models import AgendaItem, EventKind
from networks.scoping import all_networks
from networks.services import appoint_facilitator
from tests import factories
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "una clave larga y segura 2026"
OBJECTION = "Aceptaríamos si la feria también llega a los distritos del sur."
AMENDED = (
    "Una feria del voluntariado en la Plaza de Armas el 5 de diciembre, y otra en "
    "Socabaya el mismo mes, con un stand por entidad."
)


def log_in(page, user, axe):
    page.context.clear_cookies()
    page.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Iniciar sesión")).click()
    page.wait_for_url("**/mi-red/")
    axe(page, "my-network")


def test_a_proposal_is_objected_amended_and_adopted_by_consent(page, shots, axe, network):
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    proposer = factories.MembershipFactory(
        network=network,
        entity__name="Colectivo Misti Verde",
        representative=factories.UserFactory(password=PASSWORD),
    )
    objector = factories.MembershipFactory(
        network=network,
        entity__name="Voluntarios de Socabaya",
        representative=factories.UserFactory(password=PASSWORD),
    )
    with all_networks():
        plenary = EventFactory(
            network=network, kind=EventKind.PLENARY, title="Plenaria de diciembre"
        )
        AgendaItem.objects.create(
            network=network,
            event=plenary,
            position=1,
            title="Balance del año",
            proposer=proposer.entity,
            proposal="Aprobar el balance del año.",
        )
    event_url = f"/redes/{network.slug}/eventos/{plenary.pk}/"
    closes = timezone.localtime(timezone.now() + timedelta(days=3), network.zone)

    # A member entity, not the organiser, tables a proposal for the plenary's agenda.
    log_in(page, proposer.representative, axe)
    page.goto(event_url)
    page.get_by_role("link", name="Presentar una propuesta para esta agenda").click()
    expect(page.get_by_label("En la agenda de")).to_have_value(str(plenary.pk))
    page.get_by_label("Título").fill("Feria del Día del Voluntariado")
    page.get_by_label(re.compile(r"^Propuesta \(")).fill(
        "Una feria del voluntariado en la Plaza de Armas el 5 de diciembre."
    )
    page.get_by_label("Las posiciones cierran").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    shots(page, "table-a-proposal")
    page.get_by_role("button", name="Presentar la propuesta").click()
    page.wait_for_url(re.compile(r"/decisiones/\d+/$"))
    expect(page.locator("#status")).to_contain_text("No queda ninguna objeción")
    shots(page, "proposal-tabled")
    with all_networks():
        proposal = Proposal.objects.get()
        assert proposal.agenda_item.event == plenary
    proposal_url = proposal.get_absolute_url()

    # Another member objects, saying what would make it acceptable.
    log_in(page, objector.representative, axe)
    page.goto(proposal_url)
    page.get_by_label("Presento una objeción", exact=True).check()
    shots(page, "position-form")
    page.get_by_role("button", name="Registrar la posición").click()
    # An objection without a reason is refused, and nothing is recorded.
    expect(page.locator(".error-summary")).to_be_visible()
    shots(page, "objection-without-a-reason")
    with all_networks():
        assert not Position.objects.exists()
    page.get_by_label("Presento una objeción", exact=True).check()
    page.get_by_label("Nota, o el motivo de una objeción").fill(OBJECTION)
    page.get_by_role("button", name="Registrar la posición").click()
    page.wait_for_url(f"**{proposal_url}")
    expect(page.locator("#status")).to_contain_text("1 objeción sigue en pie")
    expect(page.get_by_text(OBJECTION).first).to_be_visible()
    shots(page, "objection-stands")

    # The proposer amends the text; the objection is flagged for review.
    log_in(page, proposer.representative, axe)
    page.goto(proposal_url)
    page.get_by_role("link", name="Enmendar").click()
    page.get_by_label("Nuevo texto").fill(AMENDED)
    page.get_by_label("Qué cambió y por qué").fill("Sumamos una feria en el sur.")
    shots(page, "amend")
    page.get_by_role("button", name="Guardar el nuevo texto").click()
    page.wait_for_url(f"**{proposal_url}")
    expect(page.get_by_text("Enmienda 1")).to_be_visible()
    shots(page, "amended")

    # The objector reads the new text and withdraws the objection: it agrees.
    log_in(page, objector.representative, axe)
    page.goto(proposal_url)
    expect(page.get_by_text("tomada antes de una enmienda: revísela")).to_be_visible()
    page.get_by_label("De acuerdo", exact=True).check()
    page.get_by_role("button", name="Registrar la posición").click()
    page.wait_for_url(f"**{proposal_url}")
    expect(page.locator("#status")).to_contain_text("No queda ninguna objeción")
    shots(page, "objection-withdrawn")

    # The window closes, and the schedule job runs as the beat would run it.
    with all_networks():
        Proposal.objects.filter(pk=proposal.pk).update(
            opens_at=timezone.now() - timedelta(days=3),
            closes_at=timezone.now() - timedelta(minutes=1),
        )
    result = run_proposal_schedule_in_network.apply(args=(network.pk,)).get()
    assert result["closed"] == 1
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == (ProposalState.ADOPTED, DecidedBy.CONSENT)
    with all_networks():
        current = Position.objects.get(superseded_at__isnull=True)
    assert (current.entity, current.stance) == (objector.entity, Stance.AGREE)

    page.goto(proposal_url)
    expect(page.locator("#status")).to_contain_text("Adoptada por consentimiento")
    shots(page, "adopted")

    # The plenary's minutes show the decision with its outcome and counts.
    log_in(page, facilitator, axe)
    page.goto(f"{event_url}acta/")
    section = page.locator("section", has=page.get_by_role("heading", name="Decisiones sobre"))
    expect(section.get_by_text("Feria del Día del Voluntariado")).to_be_visible()
    expect(section).to_contain_text("Adoptada por consentimiento: 1 de acuerdo")
    shots(page, "minutes")

    # Where the facilitator sets the rule, the majority and the quorum the next proposals take.
    page.goto(f"/redes/{network.slug}/decisiones/")
    page.get_by_role("link", name="Cómo decide la red").click()
    expect(page.get_by_label(re.compile("Primero consentimiento"))).to_be_checked()
    shots(page, "how-the-network-decides")
