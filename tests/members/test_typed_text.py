"""What people type is cleaned in the services: one line stays one line, free text loses its
control characters, and nothing longer than its field is stored (a message, never a 500)."""

import pytest
from django.urls import reverse

from core.actors import SYSTEM
from core.errors import DomainError
from members.api_tokens import create_api_token
from members.models import Entity, Membership, MembershipStatus
from members.services import (
    apply_for_membership,
    assign_interlocutor,
    change_membership_status,
    register_entity,
    update_entity_profile,
)
from networks.models import CharterVersion, HistoryEntry, Interlocutor
from networks.services import appoint_facilitator, end_facilitation, publish_charter
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped", "english")]

HUGE = "N" * 10_000


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def person(db):
    return factories.UserFactory()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jóvenes\ndel Misti", "Jóvenes del Misti"),
        ("Jóvenes\r\n\tdel  Misti ", "Jóvenes del Misti"),
        ("Jóvenes\x00del Misti", "Jóvenes del Misti"),
        ("Jóvenes\u2028del\x1bMisti", "Jóvenes del Misti"),
    ],
    ids=["newline", "crlf-and-tab", "nul", "separator-and-escape"],
)
def test_an_entity_name_is_stored_on_one_line(person, typed, stored):
    entity = register_entity(by=person, name=typed, kind="youth_group", city=typed)

    assert (entity.name, entity.city) == (stored, stored)


def test_a_description_keeps_its_lines_and_loses_control_characters(person):
    entity = register_entity(
        by=person, name="Vecinos", kind="ngo", description="Primera línea\r\nSegunda\x00 línea\x07"
    )

    assert entity.description == "Primera línea\nSegunda línea"


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 200), ("region", 100), ("city", 100), ("description", 5000)]
)
def test_text_longer_than_its_field_is_refused_and_nothing_is_registered(person, field, limit):
    fields = {"name": "Vecinos Solidarios", "kind": "ngo", field: "x" * (limit + 1)}

    with pytest.raises(DomainError, match=f"at most {limit} characters"):
        register_entity(by=person, **fields)

    assert not Entity.objects.exists()


def test_a_ten_thousand_character_name_is_refused_when_editing(network):
    membership = factories.MembershipFactory(network=network, entity__name="Manos Unidas")

    with pytest.raises(DomainError, match="The organisation's name may have at most 200"):
        update_entity_profile(
            entity=membership.entity, by=membership.representative, name=HUGE, kind="ngo"
        )

    assert Entity.objects.get(pk=membership.entity_id).name == "Manos Unidas"


def test_editing_cleans_the_name_region_and_city(network):
    membership = factories.MembershipFactory(network=network)

    entity = update_entity_profile(
        entity=membership.entity,
        by=membership.representative,
        name="Manos\nUnidas",
        kind="ngo",
        region="Are\x00quipa",
        city="Ca\nmaná",
    )

    entity.refresh_from_db()
    assert (entity.name, entity.region, entity.city) == ("Manos Unidas", "Are quipa", "Ca maná")


@pytest.mark.parametrize("website", ["javascript:alert(1)", "not a url", "ftp://x.org/"])
def test_a_website_that_is_not_a_web_address_is_refused(person, website):
    with pytest.raises(DomainError, match="website"):
        register_entity(by=person, name="A", kind="ngo", website=website)

    assert not Entity.objects.exists()


def test_a_website_loses_a_trailing_line_break(person):
    entity = register_entity(by=person, name="A", kind="ngo", website="https://x.org/\n")

    assert entity.website == "https://x.org/"


def test_an_unknown_kind_of_organisation_is_refused(person):
    with pytest.raises(DomainError, match="kind of organisation"):
        register_entity(by=person, name="Vecinos", kind="x" * 50)


# The commission proposed on joining


@pytest.fixture
def asks_commission(network):
    network.commission_on_joining = True
    network.save()
    return network


def apply_proposing(network, person, name, purpose=""):
    entity = factories.EntityFactory(created_by=person)
    return apply_for_membership(
        network=network,
        entity=entity,
        platform=factories.platform_of(network),
        by=person,
        proposed_commission_name=name,
        proposed_commission_purpose=purpose,
    )


def test_the_commission_proposed_on_joining_is_named_on_one_line(asks_commission, person):
    membership = apply_proposing(asks_commission, person, "Patrimonio\ny\x00Juventud", "Uno\r\nDos")

    assert membership.pending_commission_name == "Patrimonio y Juventud"
    assert membership.pending_commission_purpose == "Uno\nDos"


@pytest.mark.parametrize(
    ("name", "purpose", "message"),
    [(HUGE, "", "at most 200 characters"), ("Patrimonio", "p" * 2001, "at most 2000 characters")],
)
def test_a_commission_proposal_too_long_is_refused(asks_commission, person, name, purpose, message):
    with pytest.raises(DomainError, match=message):
        apply_proposing(asks_commission, person, name, purpose)

    assert not Membership.objects.exists()


# Reasons, charters and tokens


def test_a_reason_is_free_text_without_control_characters_and_with_a_limit(network):
    membership = factories.MembershipFactory(network=network)

    with pytest.raises(DomainError, match="at most 2000 characters"):
        change_membership_status(
            membership=membership, status=MembershipStatus.SUSPENDED, reason=HUGE, by=SYSTEM
        )
    change_membership_status(
        membership=membership,
        status=MembershipStatus.SUSPENDED,
        reason="Sin\x00 representante\nen marzo",
        by=SYSTEM,
    )

    membership.refresh_from_db()
    assert membership.status_reason == "Sin representante\nen marzo"


def test_the_networks_reasons_are_cleaned_and_bounded(network):
    first, second = (factories.MembershipFactory(network=network).entity for _ in range(2))
    assign_interlocutor(network=network, entity=first, by=SYSTEM)
    with pytest.raises(DomainError, match="at most 2000 characters"):
        assign_interlocutor(network=network, entity=second, reason=HUGE, by=SYSTEM)
    assign_interlocutor(network=network, entity=second, reason="Rotación\x00 acordada", by=SYSTEM)
    facilitator = appoint_facilitator(network=network, user=factories.UserFactory(), by=SYSTEM)
    with pytest.raises(DomainError, match="at most 2000 characters"):
        end_facilitation(facilitator=facilitator, reason=HUGE, by=SYSTEM)

    assert Interlocutor.objects.get(entity=first).end_reason == "Rotación acordada"
    assert not HistoryEntry.objects.filter(action="facilitator.ended").exists()


def test_a_charter_needs_its_texts_and_holds_no_control_characters(network):
    texts = {"mission": "m", "vision": "v", "principles": "p", "code_of_ethics": "c"}
    with pytest.raises(DomainError, match="needs its mission"):
        publish_charter(network=network, **{**texts, "mission": " \x00 "}, by=SYSTEM)
    with pytest.raises(DomainError, match="at most 20000 characters"):
        publish_charter(network=network, **{**texts, "vision": "v" * 20_001}, by=SYSTEM)

    charter = publish_charter(network=network, **{**texts, "principles": "Uno\x00\nDos"}, by=SYSTEM)

    assert CharterVersion.objects.get(pk=charter.pk).principles == "Uno\nDos"


def test_a_token_name_is_one_line_and_bounded(person):
    token, _key = create_api_token(by=person, name="Sitio\nde la red")
    with pytest.raises(DomainError, match="at most 100 characters"):
        create_api_token(by=person, name=HUGE)

    assert token.name == "Sitio de la red"


# The pages: a form error, never a 500


@pytest.mark.parametrize(
    ("name", "message"),
    [(HUGE, "at most 200 characters")],
    ids=["ten-thousand-characters"],
)
def test_the_registration_page_answers_bad_names_with_a_form_error(client, person, name, message):
    client.force_login(person)

    response = client.post(reverse("workspace:register_entity"), {"name": name, "kind": "ngo"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entity.objects.exists()


def test_the_registration_page_stores_a_name_with_a_newline_on_one_line(client, person):
    client.force_login(person)

    response = client.post(
        reverse("workspace:register_entity"), {"name": "Jóvenes\r\ndel Misti", "kind": "ngo"}
    )

    assert response.status_code == 302
    assert Entity.objects.get().name == "Jóvenes del Misti"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": HUGE}, "at most 200 characters"),
        ({"description": "d" * 5001}, "at most 5000 characters"),
    ],
    ids=["name", "description"],
)
def test_the_profile_page_answers_bad_input_with_a_form_error(client, network, data, message):
    membership = factories.MembershipFactory(network=network, entity__name="Manos Unidas")
    client.force_login(membership.representative)

    response = client.post(
        reverse("workspace:edit_entity", args=[membership.entity.slug]),
        {"name": "Manos Unidas", "kind": "ngo", **data},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    entity = Entity.objects.get(pk=membership.entity_id)
    assert (entity.name, entity.city) == ("Manos Unidas", membership.entity.city)


def test_a_nul_byte_in_a_form_is_refused_before_any_page_and_nothing_changes(client, network):
    membership = factories.MembershipFactory(network=network, entity__name="Manos Unidas")
    client.force_login(membership.representative)

    registering = client.post(
        reverse("workspace:register_entity"), {"name": "Jóvenes\x00Misti", "kind": "ngo"}
    )
    editing = client.post(
        reverse("workspace:edit_entity", args=[membership.entity.slug]),
        {"name": "Manos Unidas", "kind": "ngo", "city": "Are\x00quipa"},
    )

    assert (registering.status_code, editing.status_code) == (400, 400)
    assert list(Entity.objects.values_list("name", flat=True)) == ["Manos Unidas"]
    assert Entity.objects.get().city == membership.entity.city
