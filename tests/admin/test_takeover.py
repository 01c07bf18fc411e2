"""Nobody takes over an account through the admin (passwords, email addresses, posts).

A facilitator is staff in the admin. They must not be able to set the password
or the email address of anybody (fresh sign-ups, the people of their networks),
nor name themselves or anybody else representative or alternate of an entity,
and thus reach that person's account or speak for the entity.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import Entity, Invitation, Membership, User
from tests import factories
from tests.admin.conftest import admin_url

NEW_PASSWORD = "Una-clave-nueva-muy-larga-2024"


def account_body(person, **changes):
    """A complete, valid change form for an account, as a crafted request would send it."""
    return {
        "username": person.username,
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": person.phone,
        "language": person.language,
        "notification_preference": person.notification_preference,
        "is_active": "on",
        "date_joined_0": person.date_joined.date().isoformat(),
        "date_joined_1": person.date_joined.time().strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        **changes,
    }


def password_url(person):
    # Django names this route after `auth` whatever the user model is.
    return reverse("admin:auth_user_password_change", args=[person.pk])


def set_password(client, person):
    return client.post(
        password_url(person),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


@pytest.fixture
def fresh_sign_up(db):
    """Somebody who just signed up: no entity, no network."""
    return factories.UserFactory(first_name="Nueva", last_name="Persona")


@pytest.fixture
def representative_of_mine(mine):
    return mine.representative


TARGETS = ["fresh_sign_up", "representative_of_mine"]


@pytest.mark.parametrize("target", TARGETS)
def test_a_facilitator_cannot_set_anybodys_password(client, facilitator, target, request):
    person = request.getfixturevalue(target)
    client.force_login(facilitator)

    page = client.get(password_url(person))
    response = set_password(client, person)

    person.refresh_from_db()
    assert not person.check_password(NEW_PASSWORD)
    assert person.check_password("correct horse battery staple")
    assert (page.status_code, response.status_code) == (403, 403)


@pytest.mark.parametrize("target", TARGETS)
def test_a_facilitator_cannot_change_anybodys_email_address(client, facilitator, target, request):
    person = request.getfixturevalue(target)
    client.force_login(facilitator)

    response = client.post(
        admin_url(User, "change", person.pk), account_body(person, email="toma@example.net")
    )

    person.refresh_from_db()
    assert person.email != "toma@example.net"
    assert not EmailAddress.objects.filter(email="toma@example.net").exists()
    assert response.status_code == 403


def test_a_facilitator_opens_nothing_of_peoples_accounts(client, facilitator, mine):
    client.force_login(facilitator)
    person = mine.representative

    for address in (
        admin_url(User, "changelist"),
        admin_url(User, "change", person.pk),
        admin_url(User, "change", facilitator.pk),
        admin_url(User, "add"),
        admin_url(EmailAddress, "changelist"),
        admin_url(Group, "changelist"),
        reverse("admin:autocomplete")
        + "?term=&app_label=members&model_name=membership&field_name=representative",
    ):
        assert client.get(address).status_code == 403, address
    index = client.get(reverse("admin:index"))
    assert admin_url(User, "changelist") not in index.text


def test_a_site_admin_sets_no_password_and_changes_no_address_in_the_admin(
    client, superuser, fresh_sign_up
):
    client.force_login(superuser)

    password_response = set_password(client, fresh_sign_up)
    response = client.post(
        admin_url(User, "change", fresh_sign_up.pk),
        account_body(fresh_sign_up, email="otra@example.net", first_name="Renombrada"),
    )

    fresh_sign_up.refresh_from_db()
    assert fresh_sign_up.check_password("correct horse battery staple")
    assert fresh_sign_up.email != "otra@example.net"
    assert password_response.status_code == 403
    # What the site admin may change still changes.
    assert response.status_code == 302
    assert fresh_sign_up.first_name == "Renombrada"


def test_a_site_admin_adds_an_account_without_a_password(client, superuser):
    client.force_login(superuser)

    response = client.post(
        admin_url(User, "add"),
        {
            "username": "nueva",
            "email": "Nueva@Example.org",
            "first_name": "Nueva",
            "last_name": "Cuenta",
            "phone": "",
            "language": "es",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    person = User.objects.get(username="nueva")
    assert person.email == "nueva@example.org"
    assert not person.has_usable_password()


def test_the_admins_own_password_form_leads_to_the_account_page(client, facilitator):
    client.force_login(facilitator)

    response = client.get(reverse("admin:password_change"))

    assert response.status_code == 302
    assert response.url == reverse("account_change_password")


def test_the_admin_has_no_login_form_of_its_own(client, facilitator):
    page = client.get(reverse("admin:login"))
    attempt = client.post(
        reverse("admin:login"),
        {"username": facilitator.username, "password": "correct horse battery staple"},
    )

    assert page.status_code == 302
    assert page.url.startswith(reverse("account_login") + "?next=")
    assert attempt.status_code == 302
    assert "_auth_user_id" not in client.session


def membership_body(membership, **changes):
    return {
        "platform": membership.platform_id,
        "representative": membership.representative_id or "",
        "alternate": membership.alternate_id or "",
        "charter_version": "",
        **changes,
    }


@pytest.fixture
def person_of_another_network(theirs, network, unscoped):
    """Represents an entity in Cusco, and is the alternate of another entity in Arequipa."""
    person = theirs.representative
    factories.MembershipFactory(network=network, alternate=person)
    return person


@pytest.mark.parametrize("role", ["representative", "alternate"])
@pytest.mark.parametrize("target", ["facilitator", "fresh_sign_up", "person_of_another_network"])
def test_a_facilitator_names_nobody_to_an_entitys_posts_even_by_crafting_the_post(
    client, facilitator, mine, target, role, request
):
    person = request.getfixturevalue(target)
    before = (mine.representative_id, mine.alternate_id)
    client.force_login(facilitator)

    client.post(
        admin_url(Membership, "change", mine.pk),
        membership_body(
            mine, **{role: person.pk, f"invite_{role}": person.email, "invite_alternate": ""}
        ),
    )

    mine.refresh_from_db()
    assert (mine.representative_id, mine.alternate_id) == before
    assert not Invitation.objects.filter(membership=mine).exists()


def test_a_facilitator_adds_no_membership_and_so_names_no_representative(
    client, facilitator, network, unscoped
):
    entity = factories.EntityFactory()
    client.force_login(facilitator)

    assert client.get(admin_url(Membership, "add")).status_code == 403
    response = client.post(
        admin_url(Membership, "add"),
        {
            "network": network.pk,
            "entity": entity.pk,
            "platform": factories.platform_of(network).pk,
            "representative": facilitator.pk,
        },
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(entity=entity).exists()


def entity_body(entity, **changes):
    return {
        "name": entity.name,
        "slug": entity.slug,
        "kind": entity.kind,
        "region": entity.region,
        "city": entity.city,
        "website": entity.website,
        "description": entity.description,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **changes,
    }


def test_a_facilitator_neither_sees_nor_edits_an_entity_of_no_network(client, facilitator):
    loner = factories.EntityFactory(name="Grupo sin red")
    client.force_login(facilitator)

    assert "Grupo sin red" not in client.get(admin_url(Entity, "changelist")).text
    response = client.post(
        admin_url(Entity, "change", loner.pk), entity_body(loner, name="Grupo tomado")
    )

    loner.refresh_from_db()
    assert loner.name == "Grupo sin red"
    assert response.status_code in {302, 403}


def test_a_facilitator_sees_the_entities_of_their_network_without_editing_them(
    client, facilitator, mine, other_network, unscoped
):
    shared = mine.entity
    factories.MembershipFactory(network=other_network, entity=shared)
    client.force_login(facilitator)

    page = client.get(admin_url(Entity, "change", shared.pk))
    response = client.post(
        admin_url(Entity, "change", shared.pk), entity_body(shared, name="Otro nombre")
    )

    shared.refresh_from_db()
    assert shared.name == "Colectivo Arequipeño"
    assert response.status_code == 403
    assert page.status_code == 200
    assert "Colectivo Arequipeño" in page.text
    assert 'name="name"' not in page.text
    # Its membership in the other network is not shown.
    assert "Cusco" not in page.text
