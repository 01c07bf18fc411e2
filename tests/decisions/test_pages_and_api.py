"""The proposal page and the API: the facilitator has no voice there either (4.2 a), and
positions name entities, never people."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from decisions import lifecycle, services
from decisions.models import Position, Stance
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page_url(proposal, name="detail"):
    return reverse(
        f"decisions:{name}",
        kwargs={"network_slug": proposal.network.slug, "proposal_id": proposal.pk},
    )


def api_url(proposal, suffix=""):
    return f"/api/v1/networks/{proposal.network.slug}/proposals/{proposal.pk}/{suffix}"


def make_facilitator_an_alternate(assembly, index=1):
    """Data that should never exist: the facilitator recorded as an entity's alternate.

    The refusal must then come from the facilitator's neutrality, not from acting for
    no entity."""
    with all_networks():
        membership = assembly.memberships[index]
        membership.alternate = assembly.facilitator
        membership.save()


def test_the_facilitator_sees_no_position_form_and_is_refused_on_the_page(client, assembly):
    make_facilitator_an_alternate(assembly)
    proposal = assembly.table()
    client.force_login(assembly.facilitator)

    page = client.get(page_url(proposal))
    assert page.status_code == 200
    assert 'name="stance"' not in page.content.decode()

    refused = client.post(
        page_url(proposal, "position"),
        {"entity": assembly.entities[1].pk, "stance": "agree", "note": ""},
    )
    assert refused.status_code == 403
    with all_networks():
        assert not Position.objects.exists()


def test_the_facilitator_is_refused_in_the_api(client, assembly):
    make_facilitator_an_alternate(assembly)
    proposal = assembly.table()
    client.force_login(assembly.facilitator)

    response = client.post(
        api_url(proposal, "positions/"),
        {"entity": assembly.entities[1].slug, "stance": "agree"},
        content_type="application/json",
        secure=True,
    )

    assert response.status_code == 403
    with all_networks():
        assert not Position.objects.exists()


def test_a_member_takes_a_position_in_the_api_and_a_late_one_is_a_409(client, assembly):
    proposal = assembly.table()
    client.force_login(assembly.rep(1))
    body = {"entity": assembly.entities[1].slug, "stance": "object", "note": "Falta un plazo."}

    created = client.post(
        api_url(proposal, "positions/"), body, content_type="application/json", secure=True
    )
    assert created.status_code == 201
    assert created.json()["entity"]["name"] == assembly.entities[1].name

    listed = client.get(api_url(proposal, "positions/"), secure=True).json()
    assert [row["stance"] for row in listed["results"]] == ["object"]
    detail = client.get(api_url(proposal), secure=True).json()
    assert detail["status"].startswith("1 objeción sigue en pie; el plazo cierra el")

    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        late = client.post(
            api_url(proposal, "positions/"), body, content_type="application/json", secure=True
        )
    assert late.status_code == 409


def test_the_page_names_entities_never_people_and_says_when_it_closes_in_lima(client, assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.OBJECT, "Que incluya a las redes juveniles.")
    client.force_login(assembly.rep(2))

    with time_machine.travel(proposal.created_at, tick=False):
        text = client.get(page_url(proposal)).content.decode()

    assert assembly.entities[1].name in text
    assert "Que incluya a las redes juveniles." in text
    for person in (assembly.rep(1), assembly.alternate(1)):
        assert person.last_name not in text
        assert person.email not in text
    # What a member reads ("3 objections stand; the window closes on 12 December at
    # 18:00 Lima time"), in the person's language and the network's time zone.
    assert "1 objeción sigue en pie; el plazo cierra el" in text
    assert "hora de Lima" in text


def test_the_outcome_appears_on_the_plenarys_minutes(client, assembly):
    with all_networks():
        event = EventFactory(network=assembly.network, title="Plenaria de diciembre")
        event.organiser_rows.create(network=assembly.network, entity=assembly.entities[0])
    proposal = assembly.table(event=event)
    assembly.position(proposal, 1, Stance.STAND_ASIDE, "No es nuestro tema.")
    later = timezone.now() + timedelta(hours=49)
    with time_machine.travel(later, tick=False), network_scope(assembly.network):
        lifecycle.close_due_proposals()
    client.force_login(assembly.rep(0))

    text = client.get(
        reverse(
            "events:minutes",
            kwargs={"network_slug": assembly.network.slug, "event_id": event.pk},
        )
    ).content.decode()

    assert proposal.title in text
    assert "Adoptada por consentimiento: 0 de acuerdo, 1 se hacen a un lado" in text


def test_the_minutes_show_a_voted_outcome_with_who_objected_and_why(client, assembly):
    with all_networks():
        event = EventFactory(network=assembly.network, title="Plenaria de diciembre")
        event.organiser_rows.create(network=assembly.network, entity=assembly.entities[0])
    proposal = assembly.table(event=event)
    assembly.position(proposal, 1, Stance.OBJECT, "Que incluya a las redes juveniles.")
    services.open_vote(
        proposal=proposal, by=assembly.facilitator, closes_at=timezone.now() + timedelta(hours=2)
    )
    for index, choice in ((0, "yes"), (2, "yes"), (3, "yes"), (4, "yes"), (1, "no")):
        assembly.vote(proposal, index, choice)
    later = timezone.now() + timedelta(hours=3)
    with time_machine.travel(later, tick=False), network_scope(assembly.network):
        lifecycle.close_due_proposals()
    client.force_login(assembly.facilitator)

    text = client.get(
        reverse(
            "events:minutes",
            kwargs={"network_slug": assembly.network.slug, "event_id": event.pk},
        )
    ).content.decode()

    assert "Adoptada por votación: 4 sí, 1 no, 0 abstenciones" in text
    assert assembly.entities[1].name in text
    assert "Que incluya a las redes juveniles." in text


def test_the_page_says_who_recorded_a_position_stated_in_the_plenary(client, assembly):
    with all_networks():
        event = EventFactory(
            network=assembly.network,
            title="Plenaria de diciembre",
            starts_at=timezone.now() - timedelta(hours=1),
        )
        event.organiser_rows.create(network=assembly.network, entity=assembly.entities[0])
    proposal = assembly.table(event=event)
    services.record_position_in_plenary(
        proposal=proposal, entity=assembly.entities[3], stance=Stance.AGREE, by=assembly.rep(0)
    )
    client.force_login(assembly.rep(2))

    text = client.get(page_url(proposal)).content.decode()

    assert page_url(proposal, "plenary") not in text  # the organiser records, not this member
    organiser = assembly.rep(0).get_full_name()
    assert organiser
    assert f"registrada en la plenaria por {organiser}" in text


def test_the_organiser_finds_the_plenary_form_once_the_plenary_has_begun(client, assembly):
    with all_networks():
        event = EventFactory(
            network=assembly.network,
            title="Plenaria de diciembre",
            starts_at=timezone.now() + timedelta(hours=2),
        )
        event.organiser_rows.create(network=assembly.network, entity=assembly.entities[0])
    proposal = assembly.table(1, event=event)
    client.force_login(assembly.rep(0))
    assert page_url(proposal, "plenary") not in client.get(page_url(proposal)).content.decode()

    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        text = client.get(page_url(proposal)).content.decode()
        recorded = client.post(
            page_url(proposal, "plenary"),
            {"entity": assembly.entities[2].pk, "stance": "agree", "note": ""},
        )
    assert page_url(proposal, "plenary") in text
    assert recorded.status_code == 302
    with all_networks():
        assert Position.objects.get().recorded_in_plenary_by == assembly.rep(0)


def test_a_site_admin_recording_in_the_plenary_of_a_proposal_on_no_agenda_is_told_why(
    client, assembly
):
    proposal = assembly.table(1)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        page_url(proposal, "plenary"),
        {"entity": assembly.entities[2].pk, "stance": "agree", "note": ""},
    )
    assert response.status_code == 200
    assert "no está en la agenda de ningún evento" in response.content.decode()
    with all_networks():
        assert not Position.objects.exists()


def test_the_facilitator_sets_how_the_network_decides_and_open_proposals_keep_theirs(
    client, assembly
):
    proposal = assembly.table()
    url = reverse("decisions:governance", kwargs={"network_slug": assembly.network.slug})
    body = {
        "rule": "consent_only",
        "threshold_numerator": 2,
        "threshold_denominator": 3,
        "quorum_percent": 60,
        "min_membership_days": "",
    }
    client.force_login(assembly.rep(1))
    assert client.post(url, body).status_code == 403

    client.force_login(assembly.facilitator)
    assert client.get(url).status_code == 200
    saved = client.post(url, body)

    assert saved.status_code == 302
    settings = services.governance_of(assembly.network)
    assert (settings.rule, settings.quorum_percent) == ("consent_only", 60)
    assert (settings.threshold_numerator, settings.threshold_denominator) == (2, 3)
    proposal.refresh_from_db()
    assert (proposal.rule, proposal.quorum_percent) == ("consent_then_vote", None)


def test_a_majority_of_half_or_less_is_refused_and_nothing_changes(client, assembly):
    url = reverse("decisions:governance", kwargs={"network_slug": assembly.network.slug})
    client.force_login(assembly.facilitator)

    refused = client.post(
        url,
        {"rule": "consent_then_vote", "threshold_numerator": 1, "threshold_denominator": 2},
    )

    assert refused.status_code == 200
    assert "más de la mitad" in refused.content.decode()
    settings = services.governance_of(assembly.network)
    assert (settings.pk, settings.threshold_numerator, settings.threshold_denominator) == (
        None,
        3,
        4,
    )


def test_the_list_shows_open_closed_and_each_outcome_apart(client, assembly):
    adopted = assembly.table(title="Adoptada sin objeción")
    later = timezone.now() + timedelta(hours=49)
    with time_machine.travel(later, tick=False), network_scope(assembly.network):
        lifecycle.close_due_proposals()
    still_open = assembly.table(title="Abierta todavía")
    assembly.position(still_open, 1, Stance.OBJECT, "Falta un plazo.")
    url = reverse("decisions:list", kwargs={"network_slug": assembly.network.slug})
    client.force_login(assembly.rep(2))

    def titles(status):
        text = client.get(url, {"estado": status}).content.decode()
        return {title for title in (adopted.title, still_open.title) if title in text}

    assert titles("") == {adopted.title, still_open.title}
    assert titles("open") == {still_open.title}
    assert titles("closed") == {adopted.title}
    assert titles("adopted") == {adopted.title}
    assert titles("not_adopted") == set()
    assert titles("nonsense") == {adopted.title, still_open.title}


def test_members_find_the_decisions_from_the_network_page_and_visitors_do_not(client, assembly):
    network_url = reverse("networks:detail", kwargs={"network_slug": assembly.network.slug})
    decisions_url = reverse("decisions:list", kwargs={"network_slug": assembly.network.slug})

    assert decisions_url not in client.get(network_url).content.decode()
    client.force_login(factories.UserFactory())
    assert decisions_url not in client.get(network_url).content.decode()
    client.force_login(assembly.rep(1))
    assert decisions_url in client.get(network_url).content.decode()


def test_a_commissions_proposals_are_listed_apart_and_linked_from_the_networks_list(
    client, assembly
):
    commission = factories.CommissionFactory(network=assembly.network, name="Comisión de Ferias")
    factories.CommissionMemberFactory(commission=commission, entity=assembly.entities[0])
    of_commission = assembly.table(title="Feria de la comisión", commission=commission)
    of_network = assembly.table(title="Código de la red")
    commission_url = reverse(
        "decisions:commission_list",
        kwargs={"network_slug": assembly.network.slug, "commission_id": commission.pk},
    )
    client.force_login(assembly.rep(2))

    everything = client.get(
        reverse("decisions:list", kwargs={"network_slug": assembly.network.slug})
    ).content.decode()
    only_commission = client.get(commission_url).content.decode()

    assert of_network.title in everything and of_commission.title in everything
    assert commission_url in everything
    assert of_commission.title in only_commission
    assert of_network.title not in only_commission


def test_a_commissions_page_shows_its_proposals_to_members_and_not_to_visitors(client, assembly):
    commission = factories.CommissionFactory(network=assembly.network, name="Comisión de Ferias")
    for index in (0, 1):
        factories.CommissionMemberFactory(commission=commission, entity=assembly.entities[index])
    proposal = assembly.table(title="Feria de la comisión", commission=commission)
    assembly.position(proposal, 1, Stance.OBJECT, "Falta presupuesto.")
    other = assembly.table(title="Código de la red")
    page_of_commission = reverse(
        "commissions:detail",
        kwargs={"network_slug": assembly.network.slug, "commission_id": commission.pk},
    )
    list_of_commission = reverse(
        "decisions:commission_list",
        kwargs={"network_slug": assembly.network.slug, "commission_id": commission.pk},
    )

    seen_by_visitor = client.get(page_of_commission).content.decode()
    client.force_login(assembly.rep(2))
    seen_by_member = client.get(page_of_commission).content.decode()

    assert proposal.title not in seen_by_visitor and list_of_commission not in seen_by_visitor
    assert page_url(proposal) in seen_by_member and list_of_commission in seen_by_member
    assert "1 objeción sigue en pie" in seen_by_member
    assert other.title not in seen_by_member
    assert f"?comision={commission.pk}" in seen_by_member


def test_the_position_form_starts_from_the_position_the_entity_holds(client, assembly):
    proposal = assembly.table()
    assembly.position(proposal, 1, Stance.STAND_ASIDE, "Nos abstenemos por ahora.")
    client.force_login(assembly.rep(1))

    for url in (page_url(proposal), page_url(proposal, "position")):
        form = client.get(url).context["position_form" if url == page_url(proposal) else "form"]
        assert form.initial == {
            "entity": assembly.entities[1].pk,
            "stance": Stance.STAND_ASIDE,
            "note": "Nos abstenemos por ahora.",
        }

    client.force_login(assembly.rep(2))
    assert client.get(page_url(proposal, "position")).context["form"].initial == {}
