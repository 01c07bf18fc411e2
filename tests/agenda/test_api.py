"""The annual agenda through the API: read only, what its pages show to the same people."""

import pytest

from agenda import services
from tests import factories
from tests.agenda.conftest import promoted_commission
from tests.agenda.test_pages import attach_many
from tests.agenda.test_services import published_agenda
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def agendas_url(network):
    return f"/api/v1/networks/{network.slug}/agendas/"


def line_url(network, line, year=2015):
    return f"{agendas_url(network)}{year}/lines/{line.pk}/"


def test_a_networks_published_agendas_come_with_their_lines_and_commission_counts(client, country):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    arequipa, promoter = promoted_commission(regions["Arequipa"], "Comisión Ambiental Arequipa")
    services.attach(line=line, commission=arequipa, by=promoter.representative)

    body = client.get(agendas_url(national)).json()
    year = client.get(f"{agendas_url(national)}2015/").json()

    assert body["count"] == 1
    assert body["results"][0] == year
    assert year["year"] == 2015 and year["state"] == "published"
    assert year["adopted_as"] is None
    assert year["lines"] == [
        {
            "id": line.pk,
            "title": "Medio ambiente",
            "purpose": "Cuidar el entorno con las comunidades.",
            "topics": ["medio ambiente", "reciclaje"],
            "position": 1,
            "commission_count": 1,
        }
    ]
    assert client.get(agendas_url(regions["Arequipa"])).json()["count"] == 0


def test_a_line_lists_the_commissions_of_every_region_with_progress_and_public_events(
    client, country
):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    arequipa, promoter = promoted_commission(regions["Arequipa"], "Comisión Ambiental Arequipa")
    piura, piura_promoter = promoted_commission(regions["Piura"], "Reforestación Piura")
    update = factories.ProgressUpdateFactory(commission=arequipa, text="Sembramos 300 árboles.")
    EventFactory(network=regions["Piura"], commission=piura, title="Jornada de reforestación")
    EventFactory(
        network=regions["Piura"], commission=piura, title="Reunión interna", visibility="members"
    )
    services.attach(line=line, commission=arequipa, by=promoter.representative)
    services.attach(line=line, commission=piura, by=facilitators["piura"])
    # A member of Piura reads what everyone reads: its region's members-only event stays
    # on Piura's own pages.
    client.force_login(piura_promoter.representative)

    response = client.get(line_url(national, line))

    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2015 and body["title"] == "Medio ambiente"
    rows = body["commissions"]
    assert [(row["network"]["slug"], row["commission"]["name"]) for row in rows] == [
        ("arequipa", "Comisión Ambiental Arequipa"),
        ("piura", "Reforestación Piura"),
    ]
    assert rows[0]["network"] == {
        "slug": "arequipa",
        "name": "Red Soy Voluntari@ Arequipa",
        "region": "Arequipa",
    }
    assert rows[0]["latest_update"]["id"] == update.pk
    assert rows[0]["latest_update"]["text"] == "Sembramos 300 árboles."
    assert rows[1]["latest_update"] is None
    assert [event["title"] for event in rows[1]["next_events"]] == ["Jornada de reforestación"]
    assert rows[1]["next_events"][0]["network"] == "piura"
    assert "Reunión interna" not in response.content.decode()
    text = response.content.decode()
    assert promoter.representative.email not in text


def test_a_draft_is_read_by_those_who_read_it_on_the_pages_and_is_a_404_to_others(client, country):
    national, regions, facilitators = country
    agenda = services.draft_agenda(network=national, year=2016, by=facilitators["nacional"])
    line = services.add_line(
        agenda=agenda, by=facilitators["nacional"], title="Juventud", purpose="Voluntariado."
    )
    detail = f"{agendas_url(national)}2016/"

    def seen():
        listed = [row["year"] for row in client.get(agendas_url(national)).json()["results"]]
        return (
            listed,
            client.get(detail).status_code,
            client.get(line_url(national, line, 2016)).status_code,
        )

    assert seen() == ([], 404, 404)
    client.force_login(facilitators["piura"])
    assert seen() == ([], 404, 404)
    client.force_login(facilitators["nacional"])
    assert seen() == ([2016], 200, 200)

    services.open_for_comments(agenda=agenda, by=facilitators["nacional"])
    client.force_login(facilitators["piura"])
    assert seen() == ([2016], 200, 200)
    client.force_login(factories.MembershipFactory(network=regions["Piura"]).representative)
    assert seen() == ([], 404, 404)


def test_a_regional_agenda_in_draft_is_nothing_to_a_sibling_regions_member(client, country):
    _national, regions, facilitators = country
    agenda = services.draft_agenda(
        network=regions["Arequipa"], year=2016, by=facilitators["arequipa"]
    )
    line = services.add_line(
        agenda=agenda, by=facilitators["arequipa"], title="Ríos limpios", purpose="El Chili."
    )
    client.force_login(factories.MembershipFactory(network=regions["Piura"]).representative)

    assert client.get(agendas_url(regions["Arequipa"])).json()["count"] == 0
    assert client.get(f"{agendas_url(regions['Arequipa'])}2016/").status_code == 404
    assert client.get(line_url(regions["Arequipa"], line, 2016)).status_code == 404
    # Nor does another network's address show it.
    assert client.get(line_url(regions["Piura"], line, 2016)).status_code == 404


def test_bad_input_is_a_404_or_a_400_never_a_500(client, country):
    national, _regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])

    assert client.get(f"{agendas_url(national)}99999999999999999999/").status_code == 404
    assert client.get(line_url(national, line, 2016)).status_code == 404
    assert client.get(f"{agendas_url(national)}2015/lines/{2**70}/").status_code == 404
    assert client.get(agendas_url(national), {"state": "lost"}).status_code == 400


def test_the_list_and_a_line_make_the_same_queries_with_2_and_20_commissions(
    client, country, django_assert_max_num_queries, django_assert_num_queries
):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    attach_many(line, regions, 2, facilitators)
    with django_assert_max_num_queries(10) as list_small:
        client.get(agendas_url(national))
    with django_assert_max_num_queries(10) as line_small:
        client.get(line_url(national, line))

    attach_many(line, regions, 18, facilitators, start=2)
    _later, _other = published_agenda(national, facilitators["nacional"], year=2016)
    with django_assert_num_queries(len(list_small)):
        body = client.get(agendas_url(national)).json()
    with django_assert_num_queries(len(line_small)):
        rows = client.get(line_url(national, line)).json()["commissions"]

    assert [agenda["year"] for agenda in body["results"]] == [2016, 2015]
    assert body["results"][1]["lines"][0]["commission_count"] == 20
    assert len(rows) == 20
    assert {row["network"]["region"] for row in rows} == set(regions)
    assert all(len(row["next_events"]) == 2 for row in rows)
    assert all(row["latest_update"]["text"].startswith("Último avance") for row in rows)
