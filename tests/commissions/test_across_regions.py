"""Work across regions: the national network's commissions and events take its regions' members."""

import pytest
from django.urls import reverse

from commissions import services
from commissions.models import CommissionMember, PromoterTerm
from core.errors import DomainError
from events import services as event_services
from events.models import Registration, Visibility
from members.models import Notification
from networks.models import NetworkKind
from networks.scoping import all_networks
from platforms.models import Sector
from tests import factories
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    national = factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )
    regions = {
        name: factories.NetworkFactory(
            name=f"Red Soy Voluntari@ {name}", slug=name.lower(), region=name, parent=national
        )
        for name in ("Arequipa", "Piura", "Tumbes")
    }
    return national, regions


def member_of(network, name):
    return factories.MembershipFactory(network=network, entity__name=name)


def test_an_entity_of_a_region_joins_a_national_commission_and_steps_up_as_promoter(country):
    national, regions = country
    commission = factories.CommissionFactory(network=national, name="Congreso Nacional 2015")
    chachani = member_of(regions["Arequipa"], "Asociación Chachani")

    services.join_commission(
        commission=commission, entity=chachani.entity, by=chachani.representative
    )
    term = services.step_up_as_promoter(
        commission=commission, entity=chachani.entity, by=chachani.alternate
    )

    with all_networks():
        assert CommissionMember.objects.filter(
            commission=commission, entity=chachani.entity, left_on__isnull=True
        ).exists()
        assert term.network_id == national.pk
        assert PromoterTerm.objects.get(pk=term.pk).ended_at is None


def test_a_national_commissions_page_lists_its_regional_members(client, country):
    national, regions = country
    commission = factories.CommissionFactory(network=national, name="Congreso Nacional 2015")
    for name, network in regions.items():
        membership = member_of(network, f"Entidad de {name}")
        services.join_commission(
            commission=commission, entity=membership.entity, by=membership.representative
        )

    response = client.get(
        reverse("commissions:detail", args=[national.slug, commission.pk]), secure=True
    )

    text = response.content.decode()
    assert all(f"Entidad de {name}" in text for name in regions)


def test_a_national_commissions_page_names_its_regional_members_platforms_by_sector(
    client, country
):
    national, regions = country
    commission = factories.CommissionFactory(network=national, name="Congreso Nacional 2015")
    for name in ("Arequipa", "Piura"):
        membership = member_of(regions[name], f"Entidad de {name}")
        services.join_commission(
            commission=commission, entity=membership.entity, by=membership.representative
        )
    public = factories.MembershipFactory(
        network=regions["Tumbes"],
        entity__name="Municipalidad de Tumbes",
        platform=factories.platform_of(regions["Tumbes"], Sector.PUBLIC),
    )
    services.join_commission(commission=commission, entity=public.entity, by=public.representative)

    response = client.get(
        reverse("commissions:detail", args=[national.slug, commission.pk]), secure=True
    )

    page = response.context["page"]
    civil, state = (
        factories.platform_of(national, sector) for sector in (Sector.CIVIL_SOCIETY, Sector.PUBLIC)
    )
    assert {seat.member.entity.name: seat.platform for seat in page.seats} == {
        "Entidad de Arequipa": civil,
        "Entidad de Piura": civil,
        "Municipalidad de Tumbes": state,
    }
    assert sorted(platform.pk for platform in page.platforms) == sorted([civil.pk, state.pk])
    assert page.is_cross_sector


def test_a_regional_representative_joins_a_national_commission_from_its_page(client, country):
    national, regions = country
    commission = factories.CommissionFactory(network=national)
    membership = member_of(regions["Piura"], "Jóvenes del Chira")
    client.force_login(membership.representative)
    url = reverse("commissions:join", args=[national.slug, commission.pk])

    assert client.get(url, secure=True).status_code == 200
    client.post(url, {"entity": membership.entity.pk}, secure=True)

    with all_networks():
        assert CommissionMember.objects.filter(
            commission=commission, entity=membership.entity
        ).exists()


def test_a_regional_representative_proposes_a_national_commission_from_its_page(client, country):
    national, regions = country
    membership = member_of(regions["Arequipa"], "Asociación Chachani")
    client.force_login(membership.representative)
    listing = client.get(reverse("commissions:list", args=[national.slug]), secure=True)
    url = reverse("commissions:propose", args=[national.slug])

    page = client.get(url, secure=True)
    response = client.post(
        url,
        {
            "entity": membership.entity.pk,
            "name": "Día Internacional del Voluntariado nacional",
            "kind": "event",
            "purpose": "Coordinar el 5 de diciembre en todas las regiones.",
        },
        secure=True,
    )

    assert listing.context["can_propose"]
    assert page.status_code == 200
    assert response.status_code == 302
    with all_networks():
        term = PromoterTerm.objects.get(entity=membership.entity)
    assert (term.network_id, term.commission.name) == (
        national.pk,
        "Día Internacional del Voluntariado nacional",
    )


def test_a_sibling_regions_entity_cannot_propose_a_regional_commission(client, country):
    _national, regions = country
    outsider = member_of(regions["Tumbes"], "Manglares Vivos")
    client.force_login(outsider.representative)

    with pytest.raises(DomainError):
        services.propose_commission(
            network=regions["Arequipa"],
            entity=outsider.entity,
            name="Comisión de Manglares",
            by=outsider.representative,
        )
    page = client.get(reverse("commissions:propose", args=["arequipa"]), secure=True)

    assert page.status_code == 403
    with all_networks():
        assert not PromoterTerm.objects.filter(entity=outsider.entity).exists()


def test_a_sibling_regions_entity_cannot_join_a_regional_commission(country):
    _national, regions = country
    commission = factories.CommissionFactory(network=regions["Arequipa"])
    outsider = member_of(regions["Tumbes"], "Manglares Vivos")

    with pytest.raises(DomainError):
        services.join_commission(
            commission=commission, entity=outsider.entity, by=outsider.representative
        )

    with all_networks():
        assert not CommissionMember.objects.filter(entity=outsider.entity).exists()


def test_a_regional_promoter_counts_toward_the_national_limit_only_in_national_commissions(
    country,
):
    national, regions = country
    national.max_promoter_terms = 1
    national.save(update_fields=["max_promoter_terms"])
    arequipa = regions["Arequipa"]
    chachani = member_of(arequipa, "Asociación Chachani")
    by = chachani.representative
    services.step_up_as_promoter(
        commission=factories.CommissionFactory(network=arequipa), entity=chachani.entity, by=by
    )
    first, second = factories.CommissionFactory.create_batch(2, network=national)

    services.step_up_as_promoter(commission=first, entity=chachani.entity, by=by)
    with pytest.raises(DomainError, match="monopol"):
        services.step_up_as_promoter(commission=second, entity=chachani.entity, by=by)


def test_a_national_congress_takes_registrations_from_three_regions(country):
    national, regions = country
    congress = EventFactory(
        network=national, title="Congreso de redes", visibility=Visibility.MEMBERS
    )

    for name, network in regions.items():
        membership = member_of(network, f"Entidad de {name}")
        event_services.register_entity(
            event=congress, entity=membership.entity, by=membership.representative, people=2
        )

    with all_networks():
        registered = Registration.objects.filter(event=congress).values_list(
            "entity__memberships__network__region", flat=True
        )
        assert sorted(registered) == ["Arequipa", "Piura", "Tumbes"]


def test_a_sibling_regions_entity_cannot_register_for_a_regional_event(country):
    _national, regions = country
    fair = EventFactory(network=regions["Arequipa"])
    outsider = member_of(regions["Piura"], "Jóvenes del Chira")

    with pytest.raises(DomainError):
        event_services.register_entity(
            event=fair, entity=outsider.entity, by=outsider.representative
        )


def test_a_regional_member_registers_for_a_members_only_national_event_from_its_page(
    client, country
):
    national, regions = country
    congress = EventFactory(network=national, visibility=Visibility.MEMBERS)
    membership = member_of(regions["Tumbes"], "Manglares Vivos")
    client.force_login(membership.representative)

    page = client.get(congress.get_absolute_url(), secure=True)
    assert page.status_code == 200
    client.post(
        reverse("events:register_entity", args=[national.slug, congress.pk]),
        {"entity": membership.entity.pk, "people": 3},
        secure=True,
    )

    with all_networks():
        assert Registration.objects.filter(event=congress, entity=membership.entity).exists()


def test_the_regional_members_of_a_national_commission_hear_of_its_progress_and_a_siblings_not(
    country, django_capture_on_commit_callbacks
):
    national, regions = country
    commission = factories.CommissionFactory(network=national, name="Congreso Nacional 2015")
    promoter = member_of(regions["Arequipa"], "Asociación Chachani")
    listener = member_of(regions["Piura"], "Brigada Piurana")
    outsider = member_of(regions["Tumbes"], "Colectivo Tumbesino")
    for membership in (promoter, listener):
        services.join_commission(
            commission=commission, entity=membership.entity, by=membership.representative
        )
    services.step_up_as_promoter(
        commission=commission, entity=promoter.entity, by=promoter.representative
    )

    services.post_progress_update(
        commission=commission,
        entity=promoter.entity,
        by=promoter.representative,
        text="Confirmamos el local del congreso.",
    )

    with all_networks():
        told = set(
            Notification.objects.filter(
                network=national, kind="commission.update_posted"
            ).values_list("recipient", flat=True)
        )
    assert {listener.representative_id, listener.alternate_id} <= told
    assert not {outsider.representative_id, outsider.alternate_id} & told
