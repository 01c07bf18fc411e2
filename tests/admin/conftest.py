"""People and rows for the admin's tests: two networks, their facilitator, a site admin."""

import pytest
from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse

from networks.services import appoint_facilitator
from tests import factories


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # The admin is what is under test here, not the redirect to HTTPS.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        first_name="Sara", last_name="Administradora", is_staff=True, is_superuser=True
    )


@pytest.fixture
def facilitator(network, superuser, unscoped):
    person = factories.UserFactory(first_name="Fabiola", last_name="Facilitadora")
    appoint_facilitator(network=network, user=person, by=superuser)
    person.refresh_from_db()
    return person


@pytest.fixture
def mine(network, unscoped):
    """An active membership of the facilitator's network (Arequipa)."""
    return factories.MembershipFactory(network=network, entity__name="Colectivo Arequipeño")


@pytest.fixture
def theirs(other_network, unscoped):
    """A membership of another network (Cusco)."""
    return factories.MembershipFactory(network=other_network, entity__name="Colectivo Cusqueño")


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _add(data, bound):
    value = bound.value()
    widget = bound.field.widget
    if isinstance(widget, CheckboxInput):
        if value:
            data[bound.html_name] = "on"
        return
    if isinstance(widget, MultiWidget):
        for index, part in enumerate(widget.decompress(value)):
            data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        return
    if isinstance(value, list | tuple):
        data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        return
    data[bound.html_name] = "" if value is None else str(getattr(value, "pk", value))


def form_data(response):
    """What a browser posts back from an admin change page when nothing is touched."""
    data = {}
    for bound in response.context["adminform"].form:
        _add(data, bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            _add(data, bound)
        for form in formset.forms:
            for bound in form:
                _add(data, bound)
    return data
