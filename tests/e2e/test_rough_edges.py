"""Pages stay as wide as the phone: long labels and long unbroken words wrap."""

import pytest

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


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
