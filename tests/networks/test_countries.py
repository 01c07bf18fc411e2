"""Several countries in one installation, and networks below a region (section 6.5).

Each national network has its own facilitators, time zone and language; a
network opened under another takes those two from it. A provincial or
municipal network sits under a region with the same rules one level down:
its members act in the commissions and events of every network above it, and
a sibling province reaches nothing of the other.
"""

import pytest
from django.contrib.admin import AdminSite
from django.urls import reverse

from agenda import services as agenda_services
from commissions import services as commission_services
from commissions.models import CommissionMember
from core.actors import SYSTEM
from core.errors import DomainError
from members.reach import is_in_reach
from members.services import assign_interlocutor
from networks.admin import NetworkAdmin
from networks.models import Interlocutor, Network, NetworkKind
from networks.scoping import all_networks
from networks.services import open_network
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def peru():
    national = open_network(
        name="Red Nacional Soy Voluntari@",
        slug="nacional",
        kind=NetworkKind.NATIONAL,
        time_zone="America/Lima",
        default_language="es",
        by=SYSTEM,
    )
    arequipa = open_network(
        name="Red de Voluntariado de Arequipa",
        slug="arequipa",
        kind=NetworkKind.REGIONAL,
        parent=national,
        region="Arequipa",
        by=SYSTEM,
    )
    return national, arequipa


def province(region, name, by=SYSTEM):
    return open_network(
        name=f"Red de Voluntariado de {name}",
        slug=name.lower(),
        kind=NetworkKind.LOCAL,
        parent=region,
        region=name,
        by=by,
    )


def test_a_network_under_another_takes_its_time_zone_and_language():
    country = open_network(
        name="Red Nacional de Voluntariado de Bolivia",
        slug="bolivia",
        kind=NetworkKind.NATIONAL,
        time_zone="America/La_Paz",
        default_language="en",
        by=SYSTEM,
    )

    region = open_network(
        name="Red de Voluntariado de Cochabamba",
        slug="cochabamba",
        kind=NetworkKind.REGIONAL,
        parent=country,
        by=SYSTEM,
    )
    town = province(region, "Quillacollo")
    told = open_network(
        name="Red de Voluntariado de Tarija",
        slug="tarija",
        kind=NetworkKind.REGIONAL,
        parent=country,
        default_language="es",
        by=SYSTEM,
    )

    assert (region.time_zone, region.default_language) == ("America/La_Paz", "en")
    assert (town.time_zone, town.default_language) == ("America/La_Paz", "en")
    assert (told.time_zone, told.default_language) == ("America/La_Paz", "es")


def test_each_level_sits_where_it_belongs(peru):
    national, arequipa = peru

    for kind, parent in [
        (NetworkKind.LOCAL, None),
        (NetworkKind.NATIONAL, national),
        (NetworkKind.LOCAL, national),
        (NetworkKind.REGIONAL, arequipa),
    ]:
        with pytest.raises(DomainError, match="cannot sit there"):
            open_network(name="Red mal puesta", slug="mal", kind=kind, parent=parent, by=SYSTEM)
    with pytest.raises(DomainError):
        open_network(
            name="Otra", slug="arequipa", kind=NetworkKind.LOCAL, parent=arequipa, by=SYSTEM
        )
    assert not Network.objects.filter(slug="mal").exists()


def test_a_regional_facilitator_opens_a_province_under_it_and_nowhere_else(peru):
    national, arequipa = peru
    facilitator = factories.FacilitatorFactory(network=arequipa).user
    piura = open_network(
        name="Red Soy Voluntari@ Piura", slug="piura", kind="regional", parent=national, by=SYSTEM
    )

    caylloma = province(arequipa, "Caylloma", by=facilitator)

    assert caylloma.parent == arequipa
    with pytest.raises(DomainError, match="Only a site admin or a facilitator"):
        province(piura, "Sullana", by=facilitator)
    with pytest.raises(DomainError, match="Only a site admin opens"):
        open_network(name="Red de Chile", slug="chile", kind="national", by=facilitator)
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    assert open_network(name="Red de Chile", slug="chile", kind="national", by=admin).parent is None


def test_a_province_member_acts_in_the_national_and_regional_commissions_not_a_siblings(peru):
    national, arequipa = peru
    caylloma, islay = province(arequipa, "Caylloma"), province(arequipa, "Islay")
    member = factories.MembershipFactory(network=caylloma, entity__name="Jóvenes del Colca")
    national_commission = factories.CommissionFactory(network=national, name="Congreso Nacional")
    regional_commission = factories.CommissionFactory(network=arequipa, name="Medio Ambiente 1")
    sibling_commission = factories.CommissionFactory(network=islay, name="Lomas de Islay")

    for commission in (national_commission, regional_commission):
        commission_services.join_commission(
            commission=commission, entity=member.entity, by=member.representative
        )
    with pytest.raises(DomainError):
        commission_services.join_commission(
            commission=sibling_commission, entity=member.entity, by=member.representative
        )

    assert is_in_reach(member.entity, national) and is_in_reach(member.entity, arequipa)
    assert not is_in_reach(member.entity, islay)
    with all_networks():
        seats = set(
            CommissionMember.objects.filter(entity=member.entity).values_list(
                "commission__network__slug", flat=True
            )
        )
    assert seats == {"nacional", "arequipa"}


def test_a_national_agenda_line_takes_a_provinces_commission(peru):
    national, arequipa = peru
    caylloma = province(arequipa, "Caylloma")
    facilitator = factories.FacilitatorFactory(network=national).user
    agenda = agenda_services.draft_agenda(network=national, year=2015, by=facilitator)
    line = agenda_services.add_line(
        agenda=agenda, by=facilitator, title="Juventud", purpose="Voluntariado juvenil."
    )
    agenda_services.open_for_comments(agenda=agenda, by=facilitator)
    agenda_services.publish(agenda=agenda, by=facilitator)
    commission = factories.CommissionFactory(network=caylloma, name="Juventud del Colca")

    attachment = agenda_services.attach(
        line=line, commission=commission, by=factories.FacilitatorFactory(network=caylloma).user
    )

    assert attachment.network_id == national.pk


def test_home_groups_each_countrys_networks_under_its_national_network(client, peru):
    national, arequipa = peru
    caylloma = province(arequipa, "Caylloma")
    bolivia = open_network(name="Red de Bolivia", slug="bolivia", kind="national", by=SYSTEM)
    cochabamba = open_network(
        name="Red de Cochabamba", slug="cochabamba", kind="regional", parent=bolivia, by=SYSTEM
    )

    response = client.get(reverse("home"), secure=True)

    groups = {
        group.root.slug: [network.slug for network in group.under]
        for group in response.context["groups"]
    }
    assert groups == {"nacional": ["arequipa", "caylloma"], "bolivia": ["cochabamba"]}
    depths = {
        network.slug: network.depth
        for group in response.context["groups"]
        for network in group.under
    }
    assert depths == {"arequipa": 1, "caylloma": 2, "cochabamba": 1}
    text = response.content.decode()
    assert text.index(cochabamba.name) > text.index("Red de Bolivia")
    assert text.index(caylloma.name) > text.index(arequipa.name) > text.index(national.name)


def test_the_grouped_home_page_makes_the_same_queries_with_more_countries_and_networks(
    client, peru, django_assert_max_num_queries, django_assert_num_queries
):
    # One query per level of networks shown: the small installation already has
    # a province under its region, so only the number of networks grows.
    _national, arequipa = peru
    factories.MembershipFactory(network=province(arequipa, "Caylloma"))
    # The first visit after a change counts the networks again; the next one
    # reads the stored counters.
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("home"), secure=True)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"), secure=True)

    for number in range(3):
        country = open_network(
            name=f"Red nacional {number}", slug=f"pais-{number}", kind="national", by=SYSTEM
        )
        region = open_network(
            name=f"Red regional {number}",
            slug=f"region-{number}",
            kind="regional",
            parent=country,
            by=SYSTEM,
        )
        town = province(region, f"Provincia{number}")
        factories.bulk_members(town, 20)
        factories.CommissionFactory(network=town)
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("home"), secure=True)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"), secure=True)

    assert len(response.context["groups"]) == 4


def test_a_province_has_its_interlocutor_like_a_region(peru):
    _national, arequipa = peru
    caylloma = province(arequipa, "Caylloma")
    member = factories.MembershipFactory(network=caylloma)

    assign_interlocutor(network=caylloma, entity=member.entity, by=SYSTEM)

    with all_networks():
        assert (
            Interlocutor.objects.get(network=caylloma, ended_at__isnull=True).entity
            == member.entity
        )


def test_a_network_added_in_the_admin_under_another_takes_its_defaults(rf, peru):
    national, _arequipa = peru
    Network.objects.filter(pk=national.pk).update(time_zone="America/Bogota", default_language="en")
    national.refresh_from_db()
    site_admin = factories.UserFactory(is_superuser=True, is_staff=True)
    request = rf.post("/admin/networks/network/add/")
    request.user = site_admin
    data = {
        "name": "Red de Voluntariado del Cusco",
        "slug": "cusco",
        "kind": NetworkKind.REGIONAL,
        "parent": national.pk,
        "region": "Cusco",
        "status": "active",
        "time_zone": "America/Lima",  # the form's default, left as it was
        "default_language": "es",
        "membership_approval": "reviewed",
        "stall_after_days": 60,
        "vacancy_grace_days": 30,
        "max_promoter_terms": 3,
    }
    admin = NetworkAdmin(Network, AdminSite())
    form = admin.get_form(request)(data=data)
    assert form.is_valid(), form.errors

    admin.save_model(request, form.save(commit=False), form, change=False)

    cusco = Network.objects.get(slug="cusco")
    assert (cusco.time_zone, cusco.default_language) == ("America/Bogota", "en")
