"""The demo data: the networks, counts and commissions of the model, loaded once."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from commissions.models import Commission, CommissionMember, CommissionState, PromoterTerm
from decisions.models import DecidedBy, Proposal, ProposalState
from members.models import Entity, EntityKind, Membership, MembershipStatus, User
from members.reach import network_ids_in_reach
from networks.models import HistoryEntry, Network, NetworkKind
from networks.scoping import all_networks
from networks.selectors import current_charter, facilitated_network_ids
from platforms.models import Sector

# Section 6.3 of the model: entities and commissions of each regional network.
TABLE = {
    "Red Soy Voluntari@ La Libertad": (
        21,
        ["Juventud y Trabajo Social", "Cultura de Paz", "Inclusión Social", "Derechos Humanos"],
    ),
    "Red Soy Voluntari@ Piura": (
        32,
        [
            "Desarrollo Social",
            "Políticas Públicas",
            "Fortalecimiento de Capacidades y Formación de Voluntarios",
            "Juventud y Cultura",
            "Brigadas Universitarias y Medio Ambiente",
            "Salud Comunitaria",
        ],
    ),
    "Red Soy Voluntari@ Tumbes": (
        19,
        ["Juventud", "Desarrollo Social", "Políticas Públicas", "Medio Ambiente"],
    ),
    "Red de Voluntariado de Arequipa": (
        50,
        [
            "Cultura y Juventud",
            "Medio Ambiente 1",
            "Medio Ambiente 2",
            "Desarrollo Social 1",
            "Desarrollo Social 2",
            "Desarrollo Social 3",
            "Derechos Humanos, Mujer y Género",
        ],
    ),
    "Red de Voluntariado de Cusco": (
        37,
        ["Juventud", "Infancia", "Discapacidad", "Medio Ambiente"],
    ),
}


@pytest.fixture
def demo(db, unscoped, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", force=True, stdout=io.StringIO())


def counts():
    return {
        model.__name__: model._default_manager.with_scopes_disabled().count()
        if hasattr(model._default_manager, "with_scopes_disabled")
        else model._default_manager.count()
        for model in [
            Network,
            Entity,
            User,
            Membership,
            Commission,
            CommissionMember,
            PromoterTerm,
            HistoryEntry,
        ]
    }


def test_demo_has_the_national_network_and_six_regional_ones(demo):
    national = Network.objects.get(slug="nacional")
    regional = Network.objects.filter(kind=NetworkKind.REGIONAL, parent=national)

    assert national.name == "Red Nacional Soy Voluntari@"
    assert regional.count() == 6
    assert set(regional.values_list("parent", flat=True)) == {national.pk}
    assert Network.objects.get(name="Red de Voluntariado del Perú").founded_on.year == 2011
    assert Network.objects.get(name="Red de Voluntariado de Cusco").founded_on.year == 2015
    assert Network.objects.get(name="Red de Voluntariado de Arequipa").commission_on_joining


def test_a_province_of_arequipa_has_the_members_based_in_its_capital_and_reaches_up(demo):
    arequipa = Network.objects.get(slug="arequipa")
    islay = Network.objects.get(slug="islay")
    members = Membership.objects.filter(network=islay, status=MembershipStatus.ACTIVE)

    assert islay.kind == NetworkKind.LOCAL and islay.parent == arequipa
    assert members.exists()
    assert {m.entity.city for m in members} == {"Mollendo"}
    # Still members of the region, with the same people speaking for them.
    in_arequipa = {
        m.entity_id: m.representative_id
        for m in Membership.objects.filter(network=arequipa, status=MembershipStatus.ACTIVE)
    }
    assert all(in_arequipa[m.entity_id] == m.representative_id for m in members)
    assert islay.pk in network_ids_in_reach(arequipa)
    assert islay.pk in network_ids_in_reach(Network.objects.get(slug="nacional"))
    assert islay.pk in facilitated_network_ids(User.objects.get(email="facilitadora@example.org"))


def test_a_second_country_is_launching_with_its_own_facilitator_and_time_zone(demo):
    bolivia = Network.objects.get(slug="bolivia")
    la_paz = Network.objects.get(slug="la-paz")
    facilitator = User.objects.get(email="facilitador.bolivia@example.org")

    assert bolivia.kind == NetworkKind.NATIONAL and bolivia.parent is None
    assert la_paz.parent == bolivia
    assert {bolivia.time_zone, la_paz.time_zone} == {"America/La_Paz"}
    assert {bolivia.status, la_paz.status} == {"launching"}
    assert set(facilitated_network_ids(facilitator)) == {bolivia.pk, la_paz.pk}
    peru = facilitated_network_ids(User.objects.get(email="facilitadora@example.org"))
    assert not {bolivia.pk, la_paz.pk} & set(peru)
    assert not Membership.objects.filter(network__in=[bolivia, la_paz]).exists()
    assert la_paz.pk not in network_ids_in_reach(Network.objects.get(slug="nacional"))


def test_arequipa_gives_its_interlocutor_the_review_of_applications_and_the_others_do_not(demo):
    arequipa = Network.objects.get(slug="arequipa")
    assert arequipa.interlocutor_reviews_applications and arequipa.interlocutor_sees_activity
    assert not Network.objects.get(slug="cusco").interlocutor_reviews_applications


def test_each_regional_network_has_the_entities_and_commissions_of_the_table(demo):
    for name, (entity_count, commission_names) in TABLE.items():
        network = Network.objects.get(name=name)
        memberships = Membership.objects.filter(network=network)
        assert memberships.filter(status=MembershipStatus.ACTIVE).count() == entity_count, name
        # Besides the members, only applications waiting.
        assert set(memberships.values_list("status", flat=True)) <= {
            MembershipStatus.ACTIVE,
            MembershipStatus.APPLIED,
        }
        commissions = Commission.objects.filter(network=network).values_list("name", flat=True)
        assert sorted(commissions) == sorted(commission_names), name


def test_lima_has_its_latest_105_entities_and_the_commissions_the_model_names(demo):
    lima = Network.objects.get(slug="lima")

    assert Membership.objects.filter(network=lima, status=MembershipStatus.ACTIVE).count() == 105
    names = set(Commission.objects.filter(network=lima).values_list("name", flat=True))
    assert {"Voluntariado para el Desarrollo", "Políticas Públicas", "Medio Ambiente"} <= names
    assert "Día Internacional del Voluntariado" in names


def test_every_network_has_a_published_charter_with_the_six_principles(demo):
    for network in Network.objects.all():
        charter = current_charter(network)
        assert charter is not None
        for principle in ["Funcional", "Horizontal", "Inclusiva", "Participativa", "Diversa"]:
            assert principle in charter.principles
        assert "Flexible" in charter.principles


def test_every_member_has_a_representative_and_a_different_alternate(demo):
    memberships = Membership.objects.filter(status=MembershipStatus.ACTIVE)

    assert not memberships.filter(representative__isnull=True).exists()
    assert not memberships.filter(alternate__isnull=True).exists()
    assert all(m.representative_id != m.alternate_id for m in memberships)


def test_entity_kinds_and_areas_follow_the_proportions_of_section_5_1(demo):
    entities = Entity.objects.all()
    total = entities.count()
    kinds = Counter(entities.values_list("kind", flat=True))

    def share(count):
        return 100 * count / total

    assert share(kinds[EntityKind.ASSOCIATION]) == pytest.approx(30, abs=2)
    assert share(kinds[EntityKind.NGO]) == pytest.approx(16, abs=2)
    assert share(kinds[EntityKind.UNIVERSITY]) == pytest.approx(10, abs=2)
    assert share(kinds[EntityKind.PUBLIC_AGENCY]) == pytest.approx(10, abs=2)
    assert share(kinds[EntityKind.COMPANY]) == pytest.approx(5, abs=2)
    assert share(kinds[EntityKind.INFORMAL_GROUP]) == pytest.approx(10, abs=2)
    assert not entities.filter(kind=EntityKind.INFORMAL_GROUP, legally_registered=True).exists()
    for code, expected in [
        ("education", 50),
        ("volunteering", 43),
        ("vulnerable_populations", 35),
        ("youth", 27),
        ("environment", 20),
    ]:
        assert share(entities.filter(priority_areas__code=code).count()) == pytest.approx(
            expected, abs=2
        )


def test_platforms_match_the_kind_of_each_entity(demo):
    memberships = Membership.objects.select_related("entity", "platform")
    sectors = {(m.entity.kind, m.platform.sector) for m in memberships}

    assert (EntityKind.PUBLIC_AGENCY, Sector.PUBLIC) in sectors
    assert (EntityKind.COMPANY, Sector.PRIVATE) in sectors
    assert not {sector for kind, sector in sectors if kind == EntityKind.PUBLIC_AGENCY} - {
        Sector.PUBLIC
    }
    assert not {sector for kind, sector in sectors if kind == EntityKind.UNIVERSITY} - {
        Sector.UNIVERSITY
    }


def test_commissions_gather_members_from_several_platforms(demo):
    # A national commission's members sit in the platforms of their regions.
    for commission in Commission.objects.all():
        sectors = set(
            Membership.objects.filter(
                network__in=network_ids_in_reach(commission.network),
                entity__in=commission.members.all(),
            ).values_list("platform__sector", flat=True)
        )
        assert len(sectors) >= 2, commission


def test_every_commission_has_one_promoter_among_its_members_but_the_vacant_one(demo):
    for commission in Commission.objects.all():
        terms = PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)
        if commission.state == CommissionState.VACANT:
            assert terms.count() == 0, commission
            continue
        assert terms.count() == 1, commission
        assert commission.members.filter(pk=terms.get().entity_id).exists()


def test_every_arequipa_member_sits_in_a_commission(demo):
    arequipa = Network.objects.get(slug="arequipa")
    members = Membership.objects.filter(
        network=arequipa, status=MembershipStatus.ACTIVE
    ).values_list("entity", flat=True)
    seated = CommissionMember.objects.filter(network=arequipa).values_list("entity", flat=True)

    assert set(members) == set(seated)


def test_demo_accounts_can_log_in_and_the_facilitator_facilitates_every_network_of_peru(
    demo, client
):
    facilitator = User.objects.get(email="facilitadora@example.org")
    admin = User.objects.get(email="admin@example.org")
    peru = network_ids_in_reach(Network.objects.get(slug="nacional"))

    assert facilitator.check_password("tejido-demo")
    assert facilitator.is_staff and not facilitator.is_superuser
    assert facilitated_network_ids(facilitator) == set(peru)
    assert admin.is_superuser and admin.check_password("tejido-demo")
    assert not User.objects.filter(email__endswith="lima.example.org").first().has_usable_password()


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()
    names = set(Entity.objects.values_list("name", flat=True))

    call_command("load_demo", force=True, stdout=io.StringIO())

    assert counts() == before
    assert set(Entity.objects.values_list("name", flat=True)) == names


def test_the_demo_refuses_to_load_without_debug_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")

    assert not Network.objects.exists()


def test_the_demo_networks_hold_decided_proposals_and_one_open(db):
    call_command("load_demo", force=True, stdout=io.StringIO())

    with all_networks():
        lima = Proposal.objects.filter(network__slug="lima")
        ethics = lima.get(title__icontains="código de ética")
        assert (ethics.state, ethics.decided_by, ethics.object_count) == (
            ProposalState.ADOPTED,
            DecidedBy.CONSENT,
            0,
        )
        open_one = lima.get(state=ProposalState.OPEN)
        assert open_one.positions.count() == 4
        voted = Proposal.objects.get(network__slug="arequipa", decided_by=DecidedBy.VOTE)
        assert voted.state == ProposalState.ADOPTED
        assert voted.yes_count * 100 == 80 * (voted.yes_count + voted.no_count)
    # A second run changes nothing.
    call_command("load_demo", force=True, stdout=io.StringIO())
    with all_networks():
        assert Proposal.objects.count() == 3


def test_the_environment_commission_of_arequipa_shows_a_commission_at_work(demo, client):
    commission = Commission.objects.get(network__slug="arequipa", name="Medio Ambiente 1")

    page = client.get(commission.get_absolute_url(), secure=True).context["page"]

    assert [topic.title for topic in page.topics] == [
        "Organización de la III Feria Ambiental",
        "Difusión y convocatoria",
    ]
    assert len(page.actions) == 4
    assert [action.title for action in page.actions if action.is_overdue] == [
        "Tramitar el permiso municipal para la plaza"
    ]
    promoters = {entity.pk for entity in page.promoter_entities}
    assert {action.responsible_id for action in page.actions} <= promoters
    (stands,) = [entry for entry in page.entries if entry.update and entry.actions]
    assert {action.title for action in stands.actions} == {
        "Tramitar el permiso municipal para la plaza",
        "Confirmar los stands de las organizaciones",
    }
    assert len(stands.update.comments.all()) == 1
    (message,) = [entry for entry in page.entries if entry.post]
    assert [reply.entity_id for reply in message.replies] == list(promoters)
    seated = {seat.member.entity_id for seat in page.seats}
    (follower,) = commission.followers.filter(ended_at__isnull=True)
    assert follower.entity_id not in seated
