"""The sociogram of the hand-made twelve entities: laid out by the job, drawn from the snapshot."""

import math
import re

import pytest
import time_machine
from django.urls import reverse

from evidence.models import AnalysisSnapshot
from evidence.sociogram import BRIDGE, CONNECTED_RADIUS, FLAGS, ISOLATED_RADIUS, SIZE, X, Y
from evidence.tasks import analyse_network
from networks.scoping import all_networks, network_scope
from platforms.models import Sector
from tests import factories
from tests.evidence.test_analysis import TODAY, build_twelve


@pytest.fixture
def analysed(network):
    with time_machine.travel(TODAY, tick=False):
        with all_networks():
            entities = build_twelve(network)
        analyse_network(network.pk)
    return entities


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def svg_url(network, **query):
    url = reverse("evidence:sociogram", kwargs={"network_slug": network.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def names_drawn(svg):
    return sorted(re.findall(r"<title>(E\d\d):", svg))


def ties_drawn(svg):
    path = re.search(r'<path d="([^"]*)"', svg)
    return path.group(1).count("M") if path else 0


def test_the_job_places_isolated_entities_on_the_edge_and_marks_the_bridges(network, analysed):
    with network_scope(network):
        sociogram = AnalysisSnapshot.objects.get().sociogram
    nodes = {node[1]: node for node in sociogram["nodes"]}
    assert sorted(nodes) == [f"E{number:02d}" for number in range(1, 13)]

    def from_centre(name):
        return math.hypot(nodes[name][X] - SIZE / 2, nodes[name][Y] - SIZE / 2)

    assert {name for name in nodes if abs(from_centre(name) - ISOLATED_RADIUS) < 1} == {
        "E09",
        "E12",
    }
    assert all(
        from_centre(name) <= CONNECTED_RADIUS + 1 for name in nodes if name not in {"E09", "E12"}
    )
    assert {name for name, node in nodes.items() if node[FLAGS] & BRIDGE} == {"E03", "E07"}
    assert len(sociogram["edges"]) == 9
    assert [node[4] for node in (nodes["E03"], nodes["E07"], nodes["E12"])] == [4, 2, 0]


def test_the_svg_is_filtered_by_platform_kind_of_entity_and_kind_of_tie(
    client, network, analysed, facilitator
):
    client.force_login(facilitator)
    with network_scope(network):
        civil = factories.platform_of(network, Sector.CIVIL_SOCIETY)

    whole = client.get(svg_url(network), secure=True)
    assert whole["Content-Type"].startswith("image/svg+xml")
    assert "default-src 'none'" in whole["Content-Security-Policy"]
    svg = whole.content.decode()
    assert names_drawn(svg) == [f"E{number:02d}" for number in range(1, 13)]
    assert ties_drawn(svg) == 9
    assert 'stroke="#111111" stroke-width="3"><title>E03: 4 vínculos · puente' in svg
    assert svg.count('stroke="#111111" stroke-width="3"') == 2 + 1  # E03, E07 and the legend

    civil_only = client.get(svg_url(network, plataforma=civil.pk), secure=True).content.decode()
    assert names_drawn(civil_only) == ["E04", "E07", "E09", "E10", "E11"]
    assert ties_drawn(civil_only) == 1  # 10-11; E4-E6 and E6-E7 leave the platform

    commissions = client.get(svg_url(network, lazo="commission"), secure=True).content.decode()
    assert ties_drawn(commissions) == 5  # 1-2, 1-3, 2-3, 3-4, 3-5
    helped = client.get(svg_url(network, lazo="help"), secure=True).content.decode()
    assert ties_drawn(helped) == 1

    download = client.get(svg_url(network, descargar=1), secure=True)
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".svg" in download["Content-Disposition"]


def test_an_unknown_filter_is_refused_with_a_message(client, network, analysed, facilitator):
    client.force_login(facilitator)
    response = client.get(svg_url(network, lazo="enemies"), secure=True)
    assert response.status_code == 400
    page = client.get(
        reverse("evidence:analysis", kwargs={"network_slug": network.slug}) + "?plataforma=x",
        secure=True,
    )
    assert page.status_code == 400
    assert "no eran válidos" in page.content.decode()


def test_the_page_shows_the_picture_and_a_table_of_the_same_facts(
    client, network, analysed, facilitator
):
    client.force_login(facilitator)
    with network_scope(network):
        university = factories.platform_of(network, Sector.UNIVERSITY)
    url = reverse("evidence:analysis", kwargs={"network_slug": network.slug})

    page = client.get(f"{url}?plataforma={university.pk}", secure=True).content.decode()

    assert f"sociograma.svg?plataforma={university.pk}" in page
    table = page.split('class="table-scroll sociogram-table"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(E\d\d)</th>', table) == ["E01", "E02"]
    assert "js/sociogram.js" in page


def test_the_public_sociogram_shows_no_names_and_only_when_the_network_shares_it(
    client, network, analysed, facilitator
):
    public_url = reverse("evidence:public_sociogram", kwargs={"network_slug": network.slug})
    detail = reverse("networks:detail", kwargs={"network_slug": network.slug})
    sharing = reverse("evidence:sociogram_sharing", kwargs={"network_slug": network.slug})
    assert client.get(public_url, secure=True).status_code == 404
    assert public_url not in client.get(detail, secure=True).content.decode()

    member = factories.MembershipFactory(network=network).representative
    client.force_login(member)
    assert client.post(sharing, {"public": "1"}, secure=True).status_code == 403
    client.logout()
    assert client.get(public_url, secure=True).status_code == 404

    client.force_login(facilitator)
    client.post(sharing, {"public": "1"}, secure=True)
    client.logout()

    response = client.get(public_url, secure=True)
    svg = response.content.decode()
    assert response.status_code == 200
    assert svg.count("<circle") >= 12 and "E03" not in svg and "<title>E" not in svg
    assert public_url in client.get(detail, secure=True).content.decode()

    client.force_login(facilitator)
    client.post(sharing, {"public": "0"}, secure=True)
    assert client.get(public_url, secure=True).status_code == 404
