"""The demo's national agenda for 2015: its lines gather the commissions of several regions."""

import pytest
from django.urls import reverse

from agenda.models import Agenda, AgendaState
from networks.scoping import all_networks
from tests.demo.test_living_demo import demo  # noqa: F401 (the loaded demo)

pytestmark = pytest.mark.django_db


def test_the_2015_agenda_is_published_with_the_recurring_topics(demo, client):  # noqa: F811
    with all_networks():
        agenda = Agenda.objects.get(network__slug="nacional", year=2015)
        titles = list(agenda.lines.values_list("title", flat=True))
    assert agenda.state == AgendaState.PUBLISHED
    assert {"Medio ambiente", "Juventud", "Desarrollo social"} <= set(titles)

    page = client.get(reverse("agenda:year", args=["nacional", 2015]), secure=True)
    assert page.status_code == 200
    assert "Medio ambiente" in page.content.decode()


def test_each_line_lists_commissions_of_at_least_two_regions(demo, client):  # noqa: F811
    with all_networks():
        lines = list(Agenda.objects.get(network__slug="nacional", year=2015).lines.all())
    for line in lines:
        response = client.get(reverse("agenda:line", args=["nacional", 2015, line.pk]), secure=True)
        assert response.status_code == 200
        regions = {row.region.slug for row in response.context["rows"]}
        assert len(regions) >= 2, line.title
