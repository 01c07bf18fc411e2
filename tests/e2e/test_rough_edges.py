"""Pages stay as wide as the phone: long labels and long unbroken words wrap."""

import re

import pytest
from playwright.sync_api import expect

from core.actors import SYSTEM
from networks.services import appoint_facilitator
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "una clave larga y segura 2026"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_regional_network_and_a_profile_with_a_long_word_fit_a_phone(page, shots):
    network = factories.NetworkFactory(
        name="Red Soy Voluntari@ Piura", slug="piura", region="Piura"
    )
    member = factories.MembershipFactory(
        network=network,
        entity__name="Brigadas Universitarias",
        entity__slug="brigadas",
        entity__description="Una palabra sin espacios: " + "voluntariado" * 40,
    )
    factories.MembershipFactory.create_batch(2, network=network)
    page.set_viewport_size(PHONE)

    page.goto("/redes/piura/")
    facts = page.locator("dl.facts")
    assert "12 meses" in facts.inner_text()  # the long participation label
    assert page_width(page) <= PHONE["width"]
    # Each label stays readable: the value column is not squeezed to a letter.
    for value in facts.locator("dd").all():
        assert value.bounding_box()["width"] > 100
    shots(page, "network")

    page.goto(member.get_absolute_url())
    assert page_width(page) <= PHONE["width"]
    shots(page, "profile-with-a-long-word")


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Iniciar sesión")).click()
    page.wait_for_url("**/mi-red/")


def test_the_event_form_lists_51_organisers_in_a_list_to_filter_and_links_its_errors(
    page, shots, network
):
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    factories.MembershipFactory(network=network, entity__name="Colectivo Misti Verde")
    factories.MembershipFactory.create_batch(50, network=network)

    log_in(page, facilitator)
    page.goto(f"/redes/{network.slug}/eventos/nuevo/")
    organisers = page.locator(".field-searchable .choice")
    assert organisers.count() == 51
    page.get_by_label("Filtrar la lista").fill("misti")
    expect(organisers.filter(has_text="Colectivo Misti Verde")).to_be_visible()
    assert page.locator(".field-searchable .choice:visible").count() == 1
    page.get_by_role("checkbox", name="Colectivo Misti Verde").check()
    expect(page.get_by_text("1 elegidas")).to_be_visible()
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"]
    shots(page, "organisers-filtered")

    # Sent without a title: a summary of errors at the top links to the field, marked.
    with page.expect_navigation():
        page.get_by_role("button", name="Crear el evento").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name=re.compile("Título"))
    link.click()
    assert page.evaluate("location.hash") == "#id_title"
    expect(page.get_by_label("Título")).to_be_in_viewport()
    assert page.locator(".field-invalid #id_title").count() == 1
    assert page.get_by_label("Título").get_attribute("aria-invalid") == "true"
    shots(page, "errors-summarised")


def test_without_javascript_the_organisers_are_checkboxes_that_work(browser, live_server, network):
    facilitator = factories.UserFactory(password=PASSWORD)
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    factories.MembershipFactory(network=network, entity__name="Colectivo Misti Verde")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, facilitator)
    page.goto(f"/redes/{network.slug}/eventos/nuevo/")
    assert page.get_by_label("Filtrar la lista").count() == 0
    page.get_by_role("checkbox", name="Colectivo Misti Verde").check()
    assert page.get_by_role("checkbox", name="Colectivo Misti Verde").is_checked()
    context.close()


def test_the_account_pages_say_iniciar_sesion_and_usted_at_both_widths(
    page, shots, fresh_rate_limits
):
    person = factories.UserFactory(password=PASSWORD)

    page.goto("/cuenta/login/")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    text = page.locator("main").inner_text()
    assert "Si todavía no tiene una cuenta" in text
    for other in ("Acceder", "Entrar", "Sign In", "Log in", "Login"):
        assert other not in text
    shots(page, "login")

    page.get_by_role("link", name="cree una").click()
    expect(page.get_by_role("heading", name="Crear una cuenta")).to_be_visible()
    assert "Si ya tiene una cuenta" in page.locator("main").inner_text()
    shots(page, "signup")

    page.goto("/cuenta/password/reset/")
    expect(page.get_by_role("heading", name="Restablezca su contraseña")).to_be_visible()
    page.get_by_label("Correo electrónico").fill(person.email)
    page.get_by_role("button", name="Enviarme el enlace").click()
    expect(page.get_by_text("Le hemos enviado un correo con un enlace")).to_be_visible()
    shots(page, "password-reset-sent")
