"""The shared partials: the form field Django renders with `as_field_group`, and the site header."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from core.forms import InlineSelect
from tests import factories


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())


def ids_in(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


class EveryKindOfField(forms.Form):
    name = forms.CharField(help_text="As it is known in the network.")
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="One of them."
    )
    areas = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Any of them.",
    )
    accept = forms.BooleanField(help_text="You must accept it.")
    notes = forms.CharField(widget=forms.Textarea, required=False, help_text="Optional.")
    secret = forms.CharField(widget=forms.HiddenInput)


@pytest.mark.parametrize("bound", [False, True], ids=["blank", "with errors"])
def test_every_id_a_field_points_screen_readers_at_is_on_the_page(bound):
    form = EveryKindOfField(data={"notes": "x"} if bound else None)
    html = "".join(str(field.as_field_group()) for field in form)
    found = ids_in(html)

    assert found.described_by, "the fields describe themselves by their help and errors"
    assert set(found.described_by) <= found.ids
    if bound:
        assert {"id_name_error", "id_kind_error", "id_accept_error"} <= found.ids
        assert "id_name_error" in found.described_by


def test_a_field_renders_through_the_one_project_template():
    html = str(EveryKindOfField()["name"].as_field_group())

    assert 'class="field' in html
    assert 'id="id_name_helptext"' in html


def test_a_real_form_page_points_at_ids_that_exist(client, db):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(reverse("workspace:register_entity"), {}, secure=True)

    assert response.status_code == 200
    found = ids_in(response.text)
    assert found.described_by
    assert set(found.described_by) <= found.ids


def test_the_header_links_each_facilitated_network_to_its_facilitation_pages(client, network):
    facilitator = factories.FacilitatorFactory(network=network).user
    other = factories.FacilitatorFactory(user=facilitator).network
    client.force_login(facilitator)

    page = client.get(reverse("home"), secure=True).text

    for each in (network, other):
        address = reverse("facilitation:overview", kwargs={"network_slug": each.slug})
        assert f'href="{address}"' in page
    assert f'href="{reverse("workspace:home")}"' in page


def test_the_header_of_someone_signed_out_offers_to_log_in(client, db):
    response = client.get(reverse("home"), secure=True)

    assert response.context["account_navigation"] is None
    assert re.search(r'href="/cuenta/login/', response.text)


def test_no_code_of_ours_hides_a_missing_url_name():
    """A link to a URL name that does not exist must fail loudly, not fall back to a path."""
    from pathlib import Path

    from django.conf import settings

    skipped = {".venv", "var", "tests", "node_modules", "static", "locale"}
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).rglob("*.py")
        if not skipped & set(path.relative_to(settings.BASE_DIR).parts)
        and "NoReverseMatch" in path.read_text()
    ]
    assert offenders == []


def test_template_tags_of_ours_do_not_exist_to_query():
    """Pages get what they show from their view or a context processor, not from a tag."""
    from pathlib import Path

    from django.conf import settings

    tag_modules = [
        path
        for path in Path(settings.BASE_DIR).glob("*/templatetags/*.py")
        if path.name != "__init__.py"
    ]
    for path in tag_modules:
        text = path.read_text()
        assert ".objects" not in text and "selectors" not in text, path


@pytest.mark.parametrize("value", ["", "b", "x&y"])
def test_the_inline_select_writes_what_djangos_select_writes(value):
    choices = [
        ("", "All"),
        ("b", "B <b>"),
        ("x&y", "X & Y"),
        ("Group", [("g1", "G1"), ("g2", "G2")]),
    ]
    attrs = {"id": "id_choice", "required": True, "disabled": False, "data-n": 3}
    ours = InlineSelect(attrs=attrs, choices=choices).render("choice", value)
    djangos = forms.Select(attrs=attrs, choices=choices).render("choice", value)
    assert ours == djangos
    assert "selected" in ours
