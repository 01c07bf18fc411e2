"""The facilitator's pages: overview, applications, members, interlocutor, activity, commissions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissions.models import CommissionState, StateChange
from core.actors import SYSTEM
from facilitation.selectors.attention import days_left_before_closing
from facilitation.selectors.overview import representative_turnover
from members.models import MembershipStatus
from members.services import assign_interlocutor, change_membership_status, set_representatives
from networks.models import HistoryEntry, Interlocutor, NetworkKind
from networks.scoping import all_networks, network_scope
from networks.services import publish_charter
from platforms.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db

READ_PAGES = ["overview", "applications", "members", "interlocutor", "activity", "commissions"]


def url(name, network, **kwargs):
    return reverse(f"facilitation:{name}", kwargs={"network_slug": network.slug, **kwargs})


def get(client, address, **params):
    return client.get(address, params, secure=True)


def post(client, address, data):
    return client.post(address, data, secure=True)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


@pytest.fixture
def facilitator_of_other_network(other_network):
    return factories.FacilitatorFactory(network=other_network).user


@pytest.fixture
def member(network):
    return factories.MembershipFactory(network=network).representative


@pytest.fixture
def applicant(network):
    return factories.MembershipFactory(
        network=network,
        status=MembershipStatus.APPLIED,
        entity=factories.EntityFactory(name="Colectivo Misti Joven"),
    )


def reload(membership):
    with all_networks():
        membership.refresh_from_db()
    return membership


def history_of(network, action):
    with all_networks():
        return list(HistoryEntry.objects.filter(network=network, action=action))


# Who may open the facilitator's pages


@pytest.mark.parametrize("page", READ_PAGES)
def test_the_facilitator_of_the_network_opens_every_page(client, network, facilitator, page):
    client.force_login(facilitator)

    assert get(client, url(page, network)).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
def test_a_site_admin_opens_every_page(client, network, page):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))

    assert get(client, url(page, network)).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("persona", ["facilitator_of_other_network", "member"])
def test_others_are_refused_every_page(client, network, page, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert get(client, url(page, network)).status_code == 403


@pytest.mark.parametrize("page", READ_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, network, page):
    response = get(client, url(page, network))

    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_a_facilitator_with_an_unverified_email_is_refused(client, network):
    person = factories.UserFactory(verified=False)
    factories.FacilitatorFactory(network=network, user=person)
    client.force_login(person)

    assert get(client, url("overview", network)).status_code == 403


def test_a_facilitator_whose_term_ended_is_refused(client, network):
    term = factories.FacilitatorFactory(network=network, ended_on=timezone.localdate())
    client.force_login(term.user)

    assert get(client, url("overview", network)).status_code == 403


# Applications


def test_applications_are_listed_oldest_first_with_charter_and_dates(client, network, facilitator):
    charter = publish_charter(
        network=network,
        mission="m",
        vision="v",
        principles="p",
        code_of_ethics="c",
        by=SYSTEM,
    )
    newer = factories.MembershipFactory(
        network=network,
        status=MembershipStatus.APPLIED,
        applied_at=datetime(2025, 3, 2, 15, 0, tzinfo=UTC),
        entity=factories.EntityFactory(name="Jóvenes del Chachani"),
        charter_version=charter,
        charter_accepted_at=datetime(2025, 3, 2, 15, 0, tzinfo=UTC),
    )
    older = factories.MembershipFactory(
        network=network,
        status=MembershipStatus.APPLIED,
        applied_at=datetime(2025, 2, 1, 15, 0, tzinfo=UTC),
        entity=factories.EntityFactory(name="Universidad del Sur"),
    )
    factories.MembershipFactory(network=network)  # active: not an application
    client.force_login(facilitator)

    response = get(in_english(client), url("applications", network))

    assert list(response.context["page"].object_list) == [older, newer]
    body = response.content.decode()
    assert "Version 1, accepted" in body
    # Applied at 15:00 UTC is 10:00 in Lima, the network's time zone.
    assert "10:00" in body or "10 a.m." in body


def test_approving_an_application_makes_the_member_active_and_writes_history(
    client, network, facilitator, applicant
):
    client.force_login(facilitator)
    back = url("applications", network)

    response = post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "active", "current": "applied", "next": back},
    )

    assert response.status_code == 302
    assert response.url == back
    assert reload(applicant).status == MembershipStatus.ACTIVE
    (entry,) = history_of(network, "membership.status")
    assert entry.actor == facilitator
    assert entry.changes == {"status": ["applied", "active"]}


def test_rejecting_needs_a_reason_and_changes_nothing_without_one(
    client, network, facilitator, applicant, english
):
    client.force_login(in_english(client) and facilitator)

    response = post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "rejected", "current": "applied", "reason": "  "},
    )

    assert response.status_code == 400
    assert "Please give a reason." in response.content.decode()
    assert reload(applicant).status == MembershipStatus.APPLIED
    assert history_of(network, "membership.status") == []


def test_rejecting_with_a_reason_keeps_the_reason_for_the_applicant(
    client, network, facilitator, applicant
):
    client.force_login(facilitator)

    post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "rejected", "current": "applied", "reason": "Falta la carta de compromiso."},
    )

    applicant = reload(applicant)
    assert applicant.status == MembershipStatus.REJECTED
    assert applicant.status_reason == "Falta la carta de compromiso."


def test_a_decision_on_an_application_someone_else_decided_gets_a_clear_message(
    client, network, facilitator, applicant
):
    change_membership_status(membership=applicant, status=MembershipStatus.ACTIVE, by=SYSTEM)
    client.force_login(facilitator)

    response = post(
        in_english(client),
        url("membership", network, membership_id=applicant.pk),
        {"status": "rejected", "current": "applied", "reason": "Duplicada"},
    )

    assert response.status_code == 400
    assert "This application has already been decided" in response.content.decode()
    assert reload(applicant).status == MembershipStatus.ACTIVE
    assert len(history_of(network, "membership.status")) == 1


def test_a_decision_that_is_not_understood_changes_nothing(client, network, facilitator, applicant):
    client.force_login(facilitator)

    response = post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "deleted", "current": "applied"},
    )

    assert response.status_code == 400
    assert reload(applicant).status == MembershipStatus.APPLIED


@pytest.mark.parametrize("persona", ["facilitator_of_other_network", "member"])
def test_others_cannot_decide_on_an_application(client, network, applicant, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "active", "current": "applied"},
    )

    assert response.status_code == 403
    assert reload(applicant).status == MembershipStatus.APPLIED


def test_an_anonymous_decision_is_sent_to_log_in_and_changes_nothing(client, network, applicant):
    response = post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "active", "current": "applied"},
    )

    assert response.status_code == 302
    assert reload(applicant).status == MembershipStatus.APPLIED


def test_an_application_of_another_network_is_not_found(
    client, network, other_network, facilitator
):
    elsewhere = factories.MembershipFactory(network=other_network, status=MembershipStatus.APPLIED)
    client.force_login(facilitator)

    response = post(
        client,
        url("membership", network, membership_id=elsewhere.pk),
        {"status": "active", "current": "applied"},
    )

    assert response.status_code == 404
    assert reload(elsewhere).status == MembershipStatus.APPLIED


def test_a_decision_never_sends_the_facilitator_to_another_site(
    client, network, facilitator, applicant
):
    client.force_login(facilitator)

    response = post(
        client,
        url("membership", network, membership_id=applicant.pk),
        {"status": "active", "current": "applied", "next": "https://example.com/"},
    )

    assert response.url == url("membership", network, membership_id=applicant.pk)


# Members


def test_suspending_reinstating_and_marking_as_left_keep_the_membership(
    client, network, facilitator
):
    membership = factories.MembershipFactory(network=network)
    address = url("membership", network, membership_id=membership.pk)
    client.force_login(facilitator)

    post(client, address, {"status": "suspended", "current": "active", "reason": "Sin respuesta"})
    assert reload(membership).status == MembershipStatus.SUSPENDED
    assert membership.status_reason == "Sin respuesta"

    post(client, address, {"status": "active", "current": "suspended"})
    assert reload(membership).status == MembershipStatus.ACTIVE

    post(client, address, {"status": "left", "current": "active", "reason": "Cerró la oficina"})
    assert reload(membership).status == MembershipStatus.LEFT
    assert membership.left_at is not None

    assert [entry.changes["status"] for entry in history_of(network, "membership.status")] == [
        ["active", "left"],
        ["suspended", "active"],
        ["active", "suspended"],
    ]


def test_suspending_without_a_reason_is_refused(client, network, facilitator):
    membership = factories.MembershipFactory(network=network)
    client.force_login(facilitator)

    response = post(
        client,
        url("membership", network, membership_id=membership.pk),
        {"status": "suspended", "current": "active"},
    )

    assert response.status_code == 400
    assert reload(membership).status == MembershipStatus.ACTIVE


def test_the_member_list_shows_every_status_with_representative_and_alternate(
    client, network, facilitator
):
    active = factories.MembershipFactory(network=network)
    suspended = factories.MembershipFactory(network=network, status=MembershipStatus.SUSPENDED)
    client.force_login(facilitator)

    response = get(client, url("members", network))

    assert set(response.context["page"].object_list) == {active, suspended}
    body = response.content.decode()
    assert active.representative.email in body
    assert active.alternate.email in body


def test_the_member_list_filters_by_status_platform_kind_and_name(client, network, facilitator):
    youth = factories.platform_of(network, Sector.YOUTH)
    wanted = factories.MembershipFactory(
        network=network,
        platform=youth,
        status=MembershipStatus.SUSPENDED,
        entity=factories.EntityFactory(name="Brigada Juvenil Yura", kind="youth_group"),
    )
    factories.MembershipFactory(network=network, platform=youth, status=MembershipStatus.SUSPENDED)
    factories.MembershipFactory(
        network=network,
        status=MembershipStatus.SUSPENDED,
        entity=factories.EntityFactory(name="Brigada Juvenil Cayma", kind="youth_group"),
    )
    client.force_login(facilitator)

    response = get(
        client,
        url("members", network),
        status="suspended",
        platform=youth.pk,
        kind="youth_group",
        q="brigada",
    )

    assert list(response.context["page"].object_list) == [wanted]


def test_a_platform_of_another_network_is_an_ignored_filter(
    client, network, other_network, facilitator
):
    factories.MembershipFactory(network=network)
    client.force_login(facilitator)

    response = get(
        client, url("members", network), platform=factories.platform_of(other_network).pk
    )

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert response.context["invalid_filters"]


# Interlocutor


def test_assigning_and_replacing_the_interlocutor_keeps_every_term(client, network, facilitator):
    first = factories.MembershipFactory(network=network)
    second = factories.MembershipFactory(network=network)
    client.force_login(facilitator)

    post(client, url("interlocutor", network), {"membership": first.pk})
    response = post(
        client, url("interlocutor", network), {"membership": second.pk, "reason": "Rotación anual"}
    )

    assert response.status_code == 302
    with all_networks():
        terms = list(Interlocutor.objects.filter(network=network).order_by("started_at", "id"))
    assert [term.entity for term in terms] == [first.entity, second.entity]
    assert terms[0].ended_at is not None and terms[0].end_reason == "Rotación anual"
    assert terms[1].ended_at is None
    assert len(history_of(network, "interlocutor.assigned")) == 2
    page = get(client, url("interlocutor", network)).content.decode()
    assert "Rotación anual" in page


def test_a_national_network_has_no_interlocutor_and_says_so(client, facilitator, english):
    national = factories.NetworkFactory(kind=NetworkKind.NATIONAL, region="")
    membership = factories.MembershipFactory(network=national)
    client.force_login(factories.FacilitatorFactory(network=national).user)

    response = post(
        in_english(client), url("interlocutor", national), {"membership": membership.pk}
    )

    assert response.status_code == 400
    assert "Only a regional network has a regional interlocutor." in response.content.decode()
    with all_networks():
        assert not Interlocutor.objects.filter(network=national).exists()


def test_an_entity_that_is_not_an_active_member_cannot_become_interlocutor(
    client, network, other_network, facilitator
):
    suspended = factories.MembershipFactory(network=network, status=MembershipStatus.SUSPENDED)
    elsewhere = factories.MembershipFactory(network=other_network)
    client.force_login(facilitator)

    for membership in (suspended, elsewhere):
        response = post(client, url("interlocutor", network), {"membership": membership.pk})
        assert response.status_code == 400
    with all_networks():
        assert not Interlocutor.objects.exists()


@pytest.mark.parametrize("persona", ["facilitator_of_other_network", "member"])
def test_others_cannot_assign_the_interlocutor(client, network, persona, request):
    membership = factories.MembershipFactory(network=network)
    client.force_login(request.getfixturevalue(persona))

    response = post(client, url("interlocutor", network), {"membership": membership.pk})

    assert response.status_code == 403
    with all_networks():
        assert not Interlocutor.objects.exists()


# Representative turnover (section 5.1)


def test_turnover_counts_active_members_whose_representative_was_replaced(network):
    memberships = factories.MembershipFactory.create_batch(5, network=network)
    set_representatives(
        membership=memberships[0],
        representative=factories.UserFactory(),
        alternate=memberships[0].alternate,
        by=SYSTEM,
    )
    # Changing only the alternate is not a change of representative.
    set_representatives(
        membership=memberships[1],
        representative=memberships[1].representative,
        alternate=factories.UserFactory(),
        by=SYSTEM,
    )

    turnover = representative_turnover(network=network)

    assert (turnover.active_members, turnover.changed, turnover.percent) == (5, 1, 20)


def test_naming_the_first_representative_is_not_a_change(network):
    membership = factories.MembershipFactory(network=network, representative=None, alternate=None)
    set_representatives(membership=membership, representative=factories.UserFactory(), by=SYSTEM)

    assert representative_turnover(network=network).changed == 0


def test_turnover_ignores_changes_before_joining_and_members_no_longer_active(network):
    with time_machine.travel(datetime(2025, 1, 1, tzinfo=UTC), tick=False):
        applied = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
        set_representatives(membership=applied, representative=factories.UserFactory(), by=SYSTEM)
        gone = factories.MembershipFactory(network=network, joined_at=timezone.now())
        set_representatives(membership=gone, representative=factories.UserFactory(), by=SYSTEM)
        change_membership_status(
            membership=gone, status=MembershipStatus.LEFT, reason="Cerró", by=SYSTEM
        )
    with time_machine.travel(datetime(2025, 2, 1, tzinfo=UTC), tick=False):
        change_membership_status(membership=applied, status=MembershipStatus.ACTIVE, by=SYSTEM)

    turnover = representative_turnover(network=network)

    assert (turnover.active_members, turnover.changed) == (1, 0)


def test_the_overview_shows_the_turnover_and_counts(client, network, facilitator):
    memberships = factories.MembershipFactory.create_batch(4, network=network)
    set_representatives(
        membership=memberships[0], representative=factories.UserFactory(), by=SYSTEM
    )
    factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    factories.CommissionFactory(network=network, state=CommissionState.VACANT)
    factories.CommissionFactory.create_batch(2, network=network, state=CommissionState.STALLED)
    client.force_login(facilitator)

    overview = get(client, url("overview", network)).context["overview"]

    assert overview.turnover.percent == 25
    assert (overview.active_members, overview.applications_waiting) == (4, 1)
    assert (overview.vacant_commissions, overview.stalled_commissions) == (1, 2)
    civil_society = next(p for p in overview.platforms if p.sector == Sector.CIVIL_SOCIETY)
    assert civil_society.member_count == 4


def test_the_overview_renders_in_english(client, network, facilitator):
    client.force_login(facilitator)

    response = get(in_english(client), url("overview", network))

    assert "Representative turnover" in response.content.decode()


# Commissions needing attention: vacant ones closing soon, stalled ones


@pytest.mark.parametrize(
    ("vacant_for", "days_left"),
    [
        (timedelta(days=27), 3),
        # Now is 13:00 in Lima: vacant since 23:00 one day earlier counts from that day.
        (timedelta(days=27, hours=14), 2),
        (timedelta(days=29), 1),
        (timedelta(days=30), 0),
        (timedelta(days=31), 0),
    ],
)
def test_days_left_before_closing_count_days_in_the_network_calendar_and_never_go_below_zero(
    network, vacant_for, days_left
):
    now = datetime(2025, 6, 1, 18, 0, tzinfo=UTC)
    commission = factories.CommissionFactory(
        network=network, state=CommissionState.VACANT, vacant_since=now - vacant_for
    )

    assert days_left_before_closing(commission, now) == days_left


def test_vacant_commissions_show_days_left_and_stalled_ones_since_when(
    client, network, facilitator
):
    now = datetime(2025, 6, 10, 17, 0, tzinfo=UTC)
    vacant = factories.CommissionFactory(
        network=network,
        name="Día Internacional del Voluntariado",
        state=CommissionState.VACANT,
        vacant_since=now - timedelta(days=20),
    )
    closing_first = factories.CommissionFactory(
        network=network,
        state=CommissionState.VACANT,
        vacant_since=now - timedelta(days=29),
    )
    stalled = factories.CommissionFactory(
        network=network,
        state=CommissionState.STALLED,
        state_changed_at=now - timedelta(days=5),
    )
    factories.CommissionFactory(network=network)  # active: needs nothing
    client.force_login(facilitator)

    with time_machine.travel(now, tick=False):
        response = get(in_english(client), url("commissions", network))

    rows = list(response.context["page"].object_list)
    assert [row.commission for row in rows] == [closing_first, vacant, stalled]
    assert [row.days_left for row in rows] == [1, 10, None]
    assert rows[2].since == stalled.state_changed_at
    body = response.content.decode()
    assert "Closes by itself in 10 days" in body
    assert vacant.get_absolute_url() in body


def test_the_overview_has_a_placeholder_for_upcoming_events(client, network, facilitator):
    client.force_login(facilitator)

    body = get(in_english(client), url("overview", network)).content.decode()

    assert "Upcoming events" in body


# Feed


def test_the_activity_page_tells_what_happened_newest_first_in_the_networks_time(
    client, network, facilitator
):
    with time_machine.travel(datetime(2025, 5, 1, 15, 30, tzinfo=UTC), tick=False):
        applicant = factories.MembershipFactory(
            network=network,
            status=MembershipStatus.APPLIED,
            entity=factories.EntityFactory(name="Voluntarios de Yanahuara"),
        )
        change_membership_status(
            membership=applicant, status=MembershipStatus.ACTIVE, by=facilitator
        )
    with time_machine.travel(datetime(2025, 5, 2, 15, 30, tzinfo=UTC), tick=False):
        new_person = factories.UserFactory(first_name="Rosa", last_name="Quispe")
        set_representatives(
            membership=applicant,
            representative=new_person,
            alternate=applicant.alternate,
            by=SYSTEM,
        )
    with time_machine.travel(datetime(2025, 5, 3, 15, 30, tzinfo=UTC), tick=False):
        assign_interlocutor(network=network, entity=applicant.entity, by=facilitator)
    with time_machine.travel(datetime(2025, 5, 4, 15, 30, tzinfo=UTC), tick=False):
        commission = factories.CommissionFactory(network=network, name="Comisión Ambiental")
        with all_networks():
            StateChange.objects.create(
                network=network,
                commission=commission,
                from_state=CommissionState.ACTIVE,
                to_state=CommissionState.VACANT,
                reason=StateChange.Reason.LAST_PROMOTER_LEFT,
            )
    client.force_login(facilitator)

    response = get(in_english(client), url("activity", network))

    texts = [item.text for item in response.context["items"]]
    assert texts == [
        "The commission Comisión Ambiental is now: Without promoter.",
        "Voluntarios de Yanahuara became the regional interlocutor.",
        "Rosa Quispe became the representative of Voluntarios de Yanahuara.",
        "Voluntarios de Yanahuara was approved as a member.",
    ]
    body = response.content.decode()
    assert "The last promoter stepped down" in body
    assert "Automatically" in body  # the commission's change had no person behind it
    # 15:30 UTC is 10:30 in Lima.
    assert "10:30" in body


def test_the_activity_page_tells_applications_charters_and_events_in_words_not_action_names(
    client, network, facilitator
):
    from events.history import EventAction
    from members.history import MembershipAction
    from networks.history import record_change
    from tests.events.factories import EventFactory

    with all_networks():
        applicant = factories.MembershipFactory(
            network=network,
            status=MembershipStatus.APPLIED,
            entity=factories.EntityFactory(name="Voluntarios de Sachaca"),
        )
        event = EventFactory(network=network, title="Plenaria de junio")
    with network_scope(network):
        for subject, action, changes in (
            (applicant, MembershipAction.APPLIED, {"status": [None, "applied"]}),
            (applicant, MembershipAction.CHARTER_ACCEPTED, {"charter_version": [1, 2]}),
            (event, EventAction.CREATED, {}),
            (event, EventAction.CANCELLED, {}),
        ):
            record_change(
                network=network, subject=subject, action=action, by=facilitator, changes=changes
            )
    client.force_login(facilitator)

    response = get(in_english(client), url("activity", network))

    texts = [item.text for item in response.context["items"]]
    assert texts == [
        "The event Plenaria de junio was cancelled.",
        "The event Plenaria de junio was created.",
        "Voluntarios de Sachaca accepted version 2 of the charter.",
        "Voluntarios de Sachaca applied to join the network.",
    ]
    assert "A change was recorded" not in response.content.decode()
    assert event.get_absolute_url() in response.content.decode()


def test_the_activity_page_shows_nothing_of_another_network(
    client, network, other_network, facilitator
):
    elsewhere = factories.MembershipFactory(
        network=other_network,
        status=MembershipStatus.APPLIED,
        entity=factories.EntityFactory(name="Colectivo Manglares"),
    )
    change_membership_status(membership=elsewhere, status=MembershipStatus.ACTIVE, by=SYSTEM)
    client.force_login(facilitator)

    response = get(client, url("activity", network))

    assert response.context["items"] == []
    assert "Colectivo Manglares" not in response.content.decode()


# Queries do not grow with the network


def add_activity(network, facilitator, count, *, start=0):
    """`count` entities approved, with a new representative, and commissions that moved."""
    for number in range(start, start + count):
        membership = factories.MembershipFactory(
            network=network,
            status=MembershipStatus.APPLIED,
            entity=factories.EntityFactory(name=f"Entidad activa {number:03d}"),
        )
        change_membership_status(
            membership=membership, status=MembershipStatus.ACTIVE, by=facilitator
        )
        set_representatives(
            membership=membership,
            representative=factories.UserFactory(),
            alternate=None,
            by=SYSTEM,
        )
        factories.MembershipFactory(
            network=network,
            status=MembershipStatus.APPLIED,
            entity=factories.EntityFactory(name=f"Entidad postulante {number:03d}"),
        )
        factories.MembershipFactory(
            network=network,
            status=MembershipStatus.SUSPENDED,
            entity=factories.EntityFactory(name=f"Entidad suspendida {number:03d}"),
        )
        commission = factories.CommissionFactory(
            network=network,
            name=f"Comisión {number:03d}",
            state=CommissionState.VACANT,
            vacant_since=timezone.now(),
        )
        factories.CommissionFactory(
            network=network, name=f"Comisión parada {number:03d}", state=CommissionState.STALLED
        )
        with all_networks():
            StateChange.objects.create(
                network=network,
                commission=commission,
                from_state=CommissionState.ACTIVE,
                to_state=CommissionState.VACANT,
                reason=StateChange.Reason.LAST_PROMOTER_LEFT,
            )
        if number % 5 == 0:
            assign_interlocutor(network=network, entity=membership.entity, by=facilitator)
    publish_charter(
        network=network, mission="m", vision="v", principles="p", code_of_ethics="c", by=SYSTEM
    )


@pytest.mark.parametrize("page", ["overview", "applications", "members", "activity", "commissions"])
def test_pages_make_the_same_number_of_queries_at_two_sizes(
    client, network, facilitator, page, django_assert_num_queries
):
    client.force_login(facilitator)
    address = url(page, network)
    add_activity(network, facilitator, 2)
    get(client, address)  # warm the caches every request shares (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert get(client, address).status_code == 200

    add_activity(network, facilitator, 40, start=2)

    with django_assert_num_queries(len(small.captured_queries)):
        response = get(client, address)
    assert response.status_code == 200


def test_the_overview_shows_the_share_of_members_who_took_part_in_an_event(
    client, network, facilitator
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.events.factories import EventFactory, RegistrationFactory

    taking_part = factories.MembershipFactory(network=network).entity
    factories.MembershipFactory(network=network)
    with all_networks():
        past = EventFactory(network=network, starts_at=timezone.now() - timedelta(days=30))
        RegistrationFactory(event=past, entity=taking_part)
    client.force_login(facilitator)
    page = in_english(client).get(url("overview", network), secure=True).content.decode()
    assert "Participation in events" in page
    assert "1 of 2 active members took part in at least one event in the last 12 months." in page


def test_the_overview_lists_the_next_events_drafts_included_cancelled_ones_not(
    client, network, facilitator
):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import EventStatus
    from tests.events.factories import EventFactory

    soon = timezone.now() + timedelta(days=3)
    with all_networks():
        EventFactory(network=network, title="Plenaria de diciembre", starts_at=soon)
        EventFactory(network=network, title="Taller en borrador", status=EventStatus.DRAFT)
        EventFactory(network=network, title="Feria cancelada", status=EventStatus.CANCELLED)
        EventFactory(network=network, title="Encuentro pasado", starts_at=soon - timedelta(days=30))
    client.force_login(facilitator)
    page = client.get(url("overview", network), secure=True).content.decode()
    assert "Plenaria de diciembre" in page and "Taller en borrador" in page
    assert "Feria cancelada" not in page and "Encuentro pasado" not in page
