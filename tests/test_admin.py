"""The admin: every page loads, and a facilitator sees only the networks they facilitate."""

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from announcements.models import Announcement, Correction
from commissions.models import (
    Action,
    ClosingSheet,
    Comment,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from core import outbox
from core.models import OutgoingMail
from evidence.models import ActivityReport, AnalysisSnapshot, Collaboration
from members.models import Membership, MembershipStatus, Notification, User
from networks.models import HistoryEntry, Interlocutor
from networks.services import (
    FACILITATORS_GROUP,
    appoint_facilitator,
    end_facilitation,
    publish_charter,
)
from tests import factories
from tests.events.factories import event_with_minutes

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def fill_network(network, *, prefix, by):
    """One row of every kind in a network, with names that say which network they belong to."""
    publish_charter(
        network=network,
        mission=f"Misión {prefix}",
        vision=f"Visión {prefix}",
        principles="Horizontal",
        code_of_ethics="Ética",
        by=by,
    )
    membership = factories.MembershipFactory(
        network=network,
        entity__name=f"Colectivo {prefix}",
        representative__first_name=prefix,
        representative__last_name="Representante",
        status=MembershipStatus.APPLIED,
    )
    commission = factories.CommissionFactory(network=network, name=f"Comisión {prefix}")
    entity = membership.entity
    factories.CommissionMemberFactory(commission=commission, entity=entity)
    # The records the commission services write, one of each.
    rows = {"network": network, "commission": commission}
    StateChange.objects.create(**rows, to_state="active", reason="proposed", note=prefix)
    PromoterTerm.objects.create(**rows, entity=entity)
    topic = Topic.objects.create(**rows, title=f"Tema {prefix}")
    Action.objects.create(**rows, topic=topic, title=f"Acción {prefix}", responsible=entity)
    update = ProgressUpdate.objects.create(**rows, entity=entity, text=f"Avance {prefix}")
    Comment.objects.create(network=network, update=update, entity=entity, text=prefix)
    ClosingSheet.objects.create(
        **rows,
        occasion="yearly",
        year=2015,
        participants=prefix,
        objectives=prefix,
        methodology=prefix,
        activities=prefix,
        results=prefix,
        evaluation=prefix,
        entity=entity,
    )
    Notification.objects.create(
        network=network, recipient=membership.representative, kind=prefix, key=prefix
    )
    Interlocutor.objects.create(network=network, entity=entity)
    event_with_minutes(
        network=network, entity=entity, commission=commission, title=f"Plenaria {prefix}"
    )
    Collaboration.objects.create(
        network=network,
        from_entity=entity,
        to_entity=factories.EntityFactory(name=f"Aliada {prefix}"),
        kind="contact",
        what=f"Feria {prefix}",
        happened_on=date(2015, 5, 1),
    )
    announcement = Announcement.objects.create(
        network=network, title=f"Aviso {prefix}", body=f"Texto {prefix}", public=True
    )
    Correction.objects.create(
        network=network, announcement=announcement, text=f"Fe de erratas {prefix}"
    )
    AnalysisSnapshot.objects.create(
        network=network, period_start=date(2015, 1, 1), period_end=date(2015, 12, 31)
    )
    ActivityReport.objects.create(network=network, year=2015)
    return membership


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # The admin is what is under test here, not the redirect to HTTPS.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def two_networks(network, other_network, superuser, unscoped):
    """Network A (Arequipa) with its facilitator, network B (Cusco) with secret-sounding rows."""
    mine = fill_network(network, prefix="Arequipeño", by=superuser)
    # The mail outbox is the site admin's: addresses and texts of every network.
    outbox.enqueue([mail.EmailMessage(subject="Aviso", body="Texto", to=["ana@example.org"])])
    theirs = fill_network(other_network, prefix="Forastero", by=superuser)
    facilitator = factories.UserFactory(first_name="Fabiola", last_name="Facilitadora")
    appoint_facilitator(network=network, user=facilitator, by=superuser)
    appoint_facilitator(
        network=other_network, user=factories.UserFactory(last_name="Forastero"), by=superuser
    )
    return {"facilitator": facilitator, "mine": mine, "theirs": theirs}


def first_row_of(model, network=None):
    manager = model._default_manager
    if hasattr(manager, "with_scopes_disabled"):
        manager = manager.with_scopes_disabled()
    rows = manager.all()
    if network is not None:
        lookup = "pk" if model._meta.label == "networks.Network" else "network"
        if lookup == "pk" or any(field.name == "network" for field in model._meta.fields):
            rows = rows.filter(**{lookup: network.pk})
        else:
            return None
    return rows.order_by("pk").first()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_page_loads_for_a_superuser(client, superuser, two_networks, model):
    client.force_login(superuser)
    model_admin = admin.site._registry[model]

    assert client.get(admin_url(model, "changelist")).status_code == 200
    row = first_row_of(model)
    assert row is not None, f"the test data has no {model._meta.label}"
    assert client.get(admin_url(model, "change", row.pk)).status_code == 200
    request = client.get(admin_url(model, "changelist")).wsgi_request
    if model_admin.has_add_permission(request):
        assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_a_facilitator_sees_nothing_of_a_network_they_do_not_facilitate(
    client, two_networks, other_network, model
):
    client.force_login(two_networks["facilitator"])

    changelist = client.get(admin_url(model, "changelist"))
    # Facilitators may view every model of the application but people's accounts,
    # their email addresses and groups, which are the site admin's.
    assert changelist.status_code == (
        403 if model in (Group, EmailAddress, User, OutgoingMail) else 200
    )
    assert "Forastero" not in changelist.text
    assert "Cusco" not in changelist.text

    row = first_row_of(model, network=other_network)
    if row is not None:
        change_page = client.get(admin_url(model, "change", row.pk))
        assert change_page.status_code in {302, 403, 404}
        assert "Forastero" not in change_page.text


def test_a_facilitator_sees_the_rows_of_their_network(client, two_networks):
    client.force_login(two_networks["facilitator"])

    memberships = client.get(admin_url(Membership, "changelist"))
    assert "Colectivo Arequipeño" in memberships.text
    membership = two_networks["mine"]
    assert client.get(admin_url(Membership, "change", membership.pk)).status_code == 200


def test_a_facilitator_cannot_pick_another_networks_rows_in_a_form(client, two_networks):
    client.force_login(two_networks["facilitator"])

    change_page = client.get(admin_url(Membership, "change", two_networks["mine"].pk))

    assert change_page.status_code == 200
    assert "Cusco" not in change_page.text


def approve(client, membership, reason=""):
    return client.post(
        admin_url(Membership, "changelist"),
        {
            "action": "make_active_from_applied",
            "_selected_action": [membership.pk],
            "apply": "1",
            "reason": reason,
        },
    )


@pytest.mark.parametrize("who", ["facilitator", "site admin"])
def test_a_sent_announcement_is_read_in_the_admin_never_rewritten(
    client, superuser, two_networks, network, who
):
    client.force_login(two_networks["facilitator"] if who == "facilitator" else superuser)
    announcement = Announcement.objects.get(network=network)

    page = client.get(admin_url(Announcement, "change", announcement.pk))
    assert page.status_code == 200
    assert "Texto Arequipeño" in page.text and "Fe de erratas Arequipeño" in page.text
    assert "Forastero" not in page.text
    response = client.post(
        admin_url(Announcement, "change", announcement.pk),
        {"title": "Otro", "body": "Otro texto", "public": ""},
    )
    assert response.status_code == 403
    assert client.post(admin_url(Announcement, "delete", announcement.pk)).status_code == 403
    assert client.get(admin_url(Correction, "add")).status_code == 403
    announcement.refresh_from_db()
    assert (announcement.title, announcement.public) == ("Aviso Arequipeño", True)
    assert announcement.corrections.count() == 1


def test_approving_in_the_admin_goes_through_the_service_and_keeps_history(client, two_networks):
    membership = two_networks["mine"]
    client.force_login(two_networks["facilitator"])

    response = approve(client, membership)

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.joined_at is not None
    entry = HistoryEntry.objects.filter(action="membership.status", object_id=membership.pk).get()
    assert entry.actor == two_networks["facilitator"]
    assert entry.changes == {"status": ["applied", "active"]}


def test_suspending_without_a_reason_asks_for_one_and_changes_nothing(client, two_networks):
    membership = two_networks["mine"]
    client.force_login(two_networks["facilitator"])
    approve(client, membership)

    response = client.post(
        admin_url(Membership, "changelist"),
        {
            "action": "make_suspended_from_active",
            "_selected_action": [membership.pk],
            "apply": "1",
            "reason": "",
        },
    )

    assert response.status_code == 200
    assert "reason" in response.text
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_a_facilitator_cannot_approve_another_networks_membership(client, two_networks):
    client.force_login(two_networks["facilitator"])

    approve(client, two_networks["theirs"])

    theirs = two_networks["theirs"]
    theirs.refresh_from_db()
    assert theirs.status == MembershipStatus.APPLIED


def test_nobody_deletes_a_membership_in_the_admin(client, superuser, two_networks):
    client.force_login(superuser)
    membership = two_networks["mine"]

    response = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries), response.text.count('name="_selected_action"')


def test_membership_changelist_queries_do_not_grow_with_rows(client, network, superuser, unscoped):
    facilitator = factories.UserFactory()
    appoint_facilitator(network=network, user=facilitator, by=superuser)
    client.force_login(facilitator)
    factories.MembershipFactory.create_batch(3, network=network)
    few_queries, few_rows = changelist_queries(client, Membership)

    factories.MembershipFactory.create_batch(30, network=network)
    many_queries, many_rows = changelist_queries(client, Membership)

    assert (few_rows, many_rows) == (3, 33)
    assert few_queries == many_queries


def test_appointing_a_facilitator_opens_the_admin_to_them(network, superuser, unscoped):
    person = factories.UserFactory()

    appoint_facilitator(network=network, user=person, by=superuser)

    person.refresh_from_db()
    assert person.is_staff
    assert person.groups.filter(name=FACILITATORS_GROUP).exists()
    assert (
        Group.objects.get(name=FACILITATORS_GROUP)
        .permissions.filter(codename="change_membership")
        .exists()
    )
    assert (
        not Group.objects.get(name=FACILITATORS_GROUP)
        .permissions.filter(codename="delete_membership")
        .exists()
    )


def test_ending_the_last_facilitation_closes_the_admin_but_not_before(
    network, other_network, superuser, unscoped
):
    person = factories.UserFactory()
    first = appoint_facilitator(network=network, user=person, by=superuser)
    second = appoint_facilitator(network=other_network, user=person, by=superuser)

    end_facilitation(facilitator=first, by=superuser)
    person.refresh_from_db()
    assert person.is_staff

    end_facilitation(facilitator=second, by=superuser)
    person.refresh_from_db()
    assert not person.is_staff
    assert not person.groups.filter(name=FACILITATORS_GROUP).exists()
