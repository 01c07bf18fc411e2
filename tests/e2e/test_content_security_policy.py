"""The pages work under the site's Content-Security-Policy: the browser blocks nothing.

Chromium reports every script, style, image or connection the policy refuses
as a `securitypolicyviolation` event; a script added before any page script
collects them. The tour covers the public pages, the account pages with their
scripts, the API documentation (which builds itself from scripts), the
browsable API, the admin with its date widgets, and an error page. Each page
is also checked with axe-core once its scripts have run; the findings on the
admin, the API documentation and the browsable API, which other projects
render, are recorded without failing the test.
"""

import pytest
from django.test import Client

from core.actors import SYSTEM
from events.models import EventKind
from networks.services import appoint_facilitator
from platforms.models import Sector
from tests import factories
from tests.events import factories as event_factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber + " " + (event.sample || "")
  );
});
"""


@pytest.fixture
def site():
    network = factories.NetworkFactory(name="Red de Voluntariado de Arequipa", slug="arequipa")
    platform = factories.platform_of(network, Sector.CIVIL_SOCIETY)
    membership = factories.MembershipFactory(network=network, platform=platform)
    commission = factories.CommissionFactory(network=network, name="Medio Ambiente")
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    factories.PromoterTermFactory(commission=commission, entity=membership.entity)
    event = event_factories.EventFactory(
        network=network, title="Plenaria de marzo", kind=EventKind.PLENARY
    )
    facilitator = factories.UserFactory()
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    return {
        "network": network,
        "commission": commission,
        "event": event,
        "representative": membership.representative,
        "entity": membership.entity,
        "admin": admin,
    }


def logged_in_page(browser, live_server, user):
    """A browser tab with the session of `user` (logged in through Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="es-PE")
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
    return page


def violations_on(page, path, *, then=None, axe, ours=True):
    response = page.goto(path)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    if then:
        then(page)
        page.wait_for_load_state("networkidle")
    found = [f"{path}: {violation}" for violation in page.evaluate("window.__violations")]
    # After reading the page's own: axe's probes may trip the policy themselves.
    axe(page, path, ours=ours)
    return found


def test_public_and_member_pages_run_under_the_policy(browser, live_server, site, axe):
    network = site["network"].slug
    page = logged_in_page(browser, live_server, site["representative"])

    def type_an_entity_name(page):
        page.locator("#id_name").fill("Colectivo Misti")
        page.wait_for_timeout(700)  # the similar-names script waits for a pause in typing

    def open_the_account_menu(page):
        page.set_viewport_size({"width": 390, "height": 844})
        toggle = page.locator("[data-menu-toggle]")
        if toggle.count() and toggle.first.is_visible():
            toggle.first.click()

    found = []
    found += violations_on(page, "/", then=open_the_account_menu, axe=axe)
    found += violations_on(page, f"/redes/{network}/", axe=axe)
    found += violations_on(page, f"/redes/{network}/directorio/", axe=axe)
    found += violations_on(page, f"/redes/{network}/entidades/{site['entity'].slug}/", axe=axe)
    found += violations_on(page, f"/redes/{network}/comisiones/", axe=axe)
    found += violations_on(page, f"/redes/{network}/comisiones/{site['commission'].pk}/", axe=axe)
    found += violations_on(page, f"/redes/{network}/eventos/{site['event'].pk}/", axe=axe)
    found += violations_on(page, "/mi-red/", axe=axe)
    found += violations_on(page, "/mi-red/entidades/nueva/", then=type_an_entity_name, axe=axe)
    found += violations_on(page, "/cuenta/ajustes/", axe=axe)
    found += violations_on(page, "/cuenta/tokens/", axe=axe)
    found += violations_on(page, "/calendario/", axe=axe)
    found += violations_on(page, "/redes/no-existe/", axe=axe)

    assert found == []


def test_the_api_documentation_and_the_browsable_api_run_under_the_policy(
    browser, live_server, site, axe
):
    page = logged_in_page(browser, live_server, site["representative"])

    def wait_for_the_operations(page):
        page.wait_for_selector(".opblock", timeout=30_000)
        page.locator(".opblock-summary").first.click()

    found = violations_on(page, "/api/v1/docs/", then=wait_for_the_operations, axe=axe, ours=False)
    found += violations_on(page, "/api/v1/networks/", axe=axe, ours=False)
    found += violations_on(
        page, f"/api/v1/networks/{site['network'].slug}/commissions/", axe=axe, ours=False
    )

    assert found == []
    # The documentation really built itself: its scripts ran.
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)


def test_the_admin_runs_under_the_policy(browser, live_server, site, axe):
    page = logged_in_page(browser, live_server, site["admin"])

    def use_the_date_widgets(page):
        today = page.locator(".datetimeshortcuts a").first
        if today.count():
            today.click()
        calendar = page.locator(".date-icon").first
        if calendar.count():
            calendar.click()

    found = violations_on(page, "/admin/", axe=axe, ours=False)
    found += violations_on(page, "/admin/members/user/", axe=axe, ours=False)
    found += violations_on(
        page,
        f"/admin/networks/network/{site['network'].pk}/change/",
        then=use_the_date_widgets,
        axe=axe,
        ours=False,
    )
    found += violations_on(
        page, f"/admin/events/event/{site['event'].pk}/change/", axe=axe, ours=False
    )

    assert found == []
