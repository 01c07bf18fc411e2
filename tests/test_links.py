"""What a long list says of each row (a link, a count, a label) is what Django's tags say."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from commissions.models import Commission, CommissionKind, CommissionState
from core.links import link


@pytest.mark.parametrize("commission_id", [1, 7, 42, 9081726354453627189, 1234567890])
def test_a_commission_link_is_the_reversed_one(commission_id):
    kwargs = {"network_slug": "red-9081726354453627189", "commission_id": commission_id}
    made = link(
        "commissions:detail", "commission_id", commission_id, network_slug="red-9081726354453627189"
    )
    assert made == reverse("commissions:detail", kwargs=kwargs)


@pytest.mark.parametrize("network_slug", ["arequipa", "piura-2", "lima"])
@pytest.mark.parametrize("entity_slug", ["casa-del-sol", "sol_y_luna-3", "x"])
def test_an_entity_link_is_the_reversed_one_for_each_network(network_slug, entity_slug):
    made = link("members:entity", "entity_slug", entity_slug, network_slug=network_slug)
    expected = reverse(
        "members:entity", kwargs={"network_slug": network_slug, "entity_slug": entity_slug}
    )
    assert made == expected


def test_a_value_reverse_would_quote_or_refuse_is_left_to_reverse():
    with pytest.raises(NoReverseMatch):
        link("members:entity", "entity_slug", "dos palabras", network_slug="lima")
    with pytest.raises(NoReverseMatch):
        link("commissions:detail", "commission_id", "12a", network_slug="lima")


def test_the_link_follows_the_script_prefix():
    try:
        set_script_prefix("/tejido/")
        made = link("networks:detail", "network_slug", "lima")
        assert made == "/tejido/redes/lima/" == reverse("networks:detail", args=["lima"])
    finally:
        set_script_prefix("/")
    assert link("networks:detail", "network_slug", "lima") == "/redes/lima/"


@pytest.mark.parametrize("count", [0, 1, 2, 1000])
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_members_filter_says_what_blocktranslate_says(count, language):
    filtered = Template("{% load network_page %}{{ count|members }}")
    translated = Template(
        "{% load i18n %}{% blocktranslate trimmed count counter=count %}{{ counter }} member"
        "{% plural %}{{ counter }} members{% endblocktranslate %}"
    )
    with translation.override(language):
        context = Context({"count": count})
        assert filtered.render(context) == translated.render(context)
    with translation.override("es"):
        assert Template("{% load network_page %}{{ 1|members }}").render(Context()) == "1 miembro"


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_display_filter_says_what_get_display_says(language):
    commission = Commission(kind=CommissionKind.EVENT, state=CommissionState.VACANT)
    unknown = Commission(kind="other", state=CommissionState.CLOSED)
    template = Template('{% load choices %}{{ c|display:"kind" }}/{{ c|display:"state" }}')
    with translation.override(language):
        for instance in (commission, unknown):
            expected = f"{instance.get_kind_display()}/{instance.get_state_display()}"
            assert template.render(Context({"c": instance})) == expected
    with translation.override("es"):
        assert template.render(Context({"c": commission})) == "Organiza un evento/Sin promotor/a"
