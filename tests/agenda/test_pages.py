"""The agenda's pages: a year's agenda, and a line with the commissions of every region."""

import pytest
from django.urls import reverse

from agenda import services
from agenda.models import AgendaComment, Attachment
from networks.scoping import all_networks
from tests import factories
from tests.agenda.conftest import interlocutor_of, promoted_commission
from tests.agenda.test_services import opened, published_agenda
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def year_url(network, year=2015):
    return reverse("agenda:year", kwargs={"network_slug": network.slug, "year": year})


def line_url(line):
    with all_networks():
        return line.get_absolute_url()


def attach_many(line, regions, count, by_region, *, start=0):
    """`count` commissions spread over the regions, each with an update and two events."""
    names = list(regions)
    for number in range(start, start + count):
        network = regions[names[number % len(names)]]
        commission, _promoter = promoted_commission(
            network, f"Comisión {number} de {network.region}"
        )
        factories.ProgressUpdateFactory(commission=commission, text=f"Avance {number}")
        factories.ProgressUpdateFactory(commission=commission, text=f"Último avance {number}")
        for _ in range(2):
            EventFactory(network=network, commission=commission)
        services.attach(line=line, commission=commission, by=by_region[network.slug])


def test_a_line_lists_the_commissions_of_two_regions_with_progress_and_events(client, country):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    arequipa, promoter = promoted_commission(regions["Arequipa"], "Comisión Ambiental Arequipa")
    piura, _ = promoted_commission(regions["Piura"], "Comisión de Reforestación Piura")
    factories.ProgressUpdateFactory(commission=arequipa, text="Sembramos 300 árboles.")
    EventFactory(network=regions["Piura"], commission=piura, title="Jornada de reforestación")
    EventFactory(
        network=regions["Piura"], commission=piura, title="Reunión interna", visibility="members"
    )
    services.attach(line=line, commission=arequipa, by=promoter.representative)
    services.attach(line=line, commission=piura, by=facilitators["piura"])

    response = client.get(line_url(line), secure=True)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.region.region, row.commission.name) for row in rows] == [
        ("Arequipa", "Comisión Ambiental Arequipa"),
        ("Piura", "Comisión de Reforestación Piura"),
    ]
    text = response.content.decode()
    assert "Sembramos 300 árboles." in text
    assert "Jornada de reforestación" in text
    assert "Reunión interna" not in text


@pytest.mark.parametrize("who", ["visitor", "regional_facilitator"])
def test_a_lines_page_makes_the_same_queries_with_2_and_20_commissions(
    client, country, who, django_assert_max_num_queries, django_assert_num_queries
):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    attach_many(line, regions, 2, facilitators)
    if who == "regional_facilitator":
        client.force_login(facilitators["tumbes"])
    url = line_url(line)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url, secure=True).status_code == 200

    attach_many(line, regions, 18, facilitators, start=2)
    with django_assert_num_queries(len(small)):
        response = client.get(url, secure=True)

    rows = response.context["rows"]
    assert len(rows) == 20
    assert {row.region.region for row in rows} == set(regions)
    assert all(len(row.events) == 2 for row in rows)
    assert all(row.latest_update.text.startswith("Último avance") for row in rows)


def test_a_draft_is_for_its_facilitators_and_a_published_agenda_for_everyone(client, country):
    national, _regions, facilitators = country
    agenda = services.draft_agenda(network=national, year=2016, by=facilitators["nacional"])
    services.add_line(
        agenda=agenda, by=facilitators["nacional"], title="Juventud", purpose="Voluntariado."
    )
    url = year_url(national, 2016)

    assert client.get(url, secure=True).status_code == 302  # to log in
    client.force_login(facilitators["piura"])
    assert client.get(url, secure=True).status_code == 404
    client.force_login(facilitators["nacional"])
    assert client.get(url, secure=True).status_code == 200

    services.open_for_comments(agenda=agenda, by=facilitators["nacional"])
    client.force_login(facilitators["piura"])
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert response.context["comment_form"] is not None

    services.publish(agenda=agenda, by=facilitators["nacional"])
    client.logout()
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert "Juventud" in response.content.decode()


def test_a_region_comments_from_the_agendas_page(client, country):
    national, regions, facilitators = country
    agenda = opened(national, facilitators["nacional"])
    interlocutor = interlocutor_of(regions["Tumbes"])
    client.force_login(interlocutor.representative)

    response = client.post(
        reverse("agenda:comment", kwargs={"network_slug": national.slug}),
        {"agenda": agenda.pk, "network": regions["Tumbes"].pk, "text": "Una línea de manglares."},
        secure=True,
    )

    assert response.status_code == 302
    with all_networks():
        assert AgendaComment.objects.get().commenting_network == regions["Tumbes"]
    page = client.get(year_url(national), secure=True).content.decode()
    assert "Una línea de manglares." in page


def test_a_promoter_attaches_a_commission_from_the_lines_page(client, country):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    commission, promoter = promoted_commission(regions["Piura"], "Comisión Ambiental Piura")
    client.force_login(promoter.representative)
    url = reverse(
        "agenda:attach", kwargs={"network_slug": national.slug, "year": 2015, "line_id": line.pk}
    )

    assert client.get(url, secure=True).status_code == 200
    response = client.post(url, {"commission": commission.pk}, secure=True)

    assert response.status_code == 302
    with all_networks():
        assert Attachment.objects.get().commission == commission
    assert "Comisión Ambiental Piura" in client.get(line_url(line), secure=True).content.decode()


def test_a_promoter_of_a_sibling_network_cannot_attach_to_a_regional_agenda(client, country):
    _national, regions, facilitators = country
    _agenda, line = published_agenda(regions["Arequipa"], facilitators["arequipa"])
    commission, promoter = promoted_commission(regions["Piura"], "Comisión Ambiental Piura")
    client.force_login(promoter.representative)
    url = reverse(
        "agenda:attach",
        kwargs={"network_slug": regions["Arequipa"].slug, "year": 2015, "line_id": line.pk},
    )

    assert client.get(url, secure=True).status_code == 403
    client.post(url, {"commission": commission.pk}, secure=True)
    with all_networks():
        assert not Attachment.objects.exists()
