"""Commissions through the API: public facts about entities, writes through the services."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commissions.models import (
    Action,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from networks.scoping import all_networks
from platforms.models import Sector
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "unscoped")]

BASE = "/api/v1/networks/arequipa/commissions/"


def member_of(network, *, sector=Sector.CIVIL_SOCIETY, **entity):
    membership = factories.MembershipFactory(
        network=network,
        platform=factories.platform_of(network, sector),
        entity=factories.EntityFactory(**entity),
    )
    return membership


def commission_with_promoter(network, **fields):
    membership = member_of(network)
    commission = factories.CommissionFactory(network=network, **fields)
    factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    factories.PromoterTermFactory(commission=commission, entity=membership.entity)
    return commission, membership


def png_upload(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- Reading ---------------------------------------------------------------


def test_the_list_counts_members_names_platforms_and_filters_by_state_kind_and_name(
    client, network, other_network
):
    commission, _promoter = commission_with_promoter(network, name="Comisión de Juventudes")
    public = member_of(network, sector=Sector.PUBLIC)
    factories.CommissionMemberFactory(commission=commission, entity=public.entity)
    factories.CommissionFactory(network=network, name="Feria", kind="event", state="closed")
    factories.CommissionFactory(network=other_network, name="Comisión del Cusco")

    body = client.get(BASE).json()

    assert [row["name"] for row in body["results"]] == ["Comisión de Juventudes", "Feria"]
    first = body["results"][0]
    assert first["member_count"] == 2 and first["cross_sector"] is True
    assert {platform["sector"] for platform in first["platforms"]} == {"civil_society", "public"}
    assert client.get(BASE, {"state": "closed"}).json()["count"] == 1
    assert client.get(BASE, {"kind": "event"}).json()["results"][0]["name"] == "Feria"
    assert client.get(BASE, {"search": "juvent"}).json()["count"] == 1
    ordered = client.get(BASE, {"ordering": "-member_count"}).json()["results"]
    assert ordered[0]["name"] == "Comisión de Juventudes"
    assert client.get(BASE, {"state": "nonsense"}).status_code == 400


def test_the_detail_tells_where_the_commission_stands_and_hides_other_networks(
    client, network, other_network
):
    commission, _membership = commission_with_promoter(network, topics="Voluntariado escolar")
    factories.TopicFactory(commission=commission, title="Ferias", priority=1)
    elsewhere = factories.CommissionFactory(network=other_network)

    body = client.get(f"{BASE}{commission.pk}/").json()

    assert body["purpose"] == commission.purpose and body["topics"] == "Voluntariado escolar"
    assert body["plan_topics"] == ["Ferias"]
    assert body["state"] == "active" and body["stalls_on"] and body["closed_reason"] == ""
    assert body["closes_on"] is None
    assert client.get(f"{BASE}{elsewhere.pk}/").status_code == 404
    assert client.get(f"{BASE}{elsewhere.pk}/members/").status_code == 404


def test_members_terms_plan_updates_and_changes_name_entities_never_people(client, network):
    commission, membership = commission_with_promoter(network)
    entity = membership.entity
    topic = factories.TopicFactory(commission=commission, title="Ferias", priority=2)
    first = factories.TopicFactory(commission=commission, title="Escuelas", priority=1)
    action = factories.ActionFactory(
        commission=commission, topic=topic, responsible=entity, due_on="2026-12-01"
    )
    update = factories.ProgressUpdateFactory(commission=commission, entity=entity)
    update.actions.set([action])
    Comment.objects.create(
        network=network, update=update, entity=entity, author=membership.representative, text="Bien"
    )
    StateChange.objects.create(
        network=network, commission=commission, to_state="active", reason="proposed"
    )
    url = f"{BASE}{commission.pk}/"

    members = client.get(f"{url}members/").json()["results"]
    terms = client.get(f"{url}promoter-terms/").json()["results"]
    plan = client.get(f"{url}work-plan/").json()["results"]
    updates = client.get(f"{url}updates/").json()["results"]
    comments = client.get(f"{url}updates/{update.pk}/comments/").json()["results"]
    changes = client.get(f"{url}state-changes/").json()["results"]

    assert members == [
        {
            "entity": {"slug": entity.slug, "name": entity.name},
            "platform": {
                "id": membership.platform.pk,
                "sector": "civil_society",
                "name": membership.platform.name,
                "label": membership.platform.label,
            },
            "regional_networks": [],
            "joined_on": members[0]["joined_on"],
        }
    ]
    assert terms[0]["entity"]["slug"] == entity.slug and terms[0]["ended_at"] is None
    assert [row["title"] for row in plan] == [first.title, "Ferias"]
    assert plan[1]["actions"][0]["responsible"]["name"] == entity.name
    assert plan[1]["actions"][0]["due_on"] == "2026-12-01"
    assert updates[0]["actions"] == [action.pk] and updates[0]["comment_count"] == 1
    assert comments[0]["entity"]["name"] == entity.name
    assert changes[0]["to_state"] == "active"
    person = membership.representative
    for response in (members, terms, plan, updates, comments, changes):
        text = str(response)
        assert person.email not in text and person.get_full_name() not in text


def test_an_update_of_another_commission_is_not_found(client, network):
    commission, _membership = commission_with_promoter(network)
    other = factories.CommissionFactory(network=network)
    update = factories.ProgressUpdateFactory(commission=other, entity=_membership.entity)
    assert client.get(f"{BASE}{commission.pk}/updates/{update.pk}/comments/").status_code == 404


# --- Writing ---------------------------------------------------------------


def test_a_representative_joins_for_their_entity_and_a_second_join_is_refused(client, network):
    commission, _promoter = commission_with_promoter(network)
    membership = member_of(network)
    client.force_login(membership.representative)
    url = f"{BASE}{commission.pk}/join/"

    assert client.get(url).json()["entities"] == [
        {"slug": membership.entity.slug, "name": membership.entity.name}
    ]
    response = client.post(url, {"entity": membership.entity.slug}, content_type="application/json")

    assert response.status_code == 200, response.json()
    assert response.json()["commission"]["member_count"] == 2
    assert CommissionMember.objects.filter(commission=commission, entity=membership.entity).exists()
    again = client.post(url, {"entity": membership.entity.slug}, content_type="application/json")
    assert again.status_code == 400  # no entity left to join with
    assert "entity" in again.json()["errors"]


def test_acting_for_an_entity_the_person_does_not_represent_is_a_field_error(client, network):
    commission, _promoter = commission_with_promoter(network)
    membership = member_of(network)
    stranger = member_of(network)
    client.force_login(membership.representative)

    response = client.post(
        f"{BASE}{commission.pk}/join/",
        {"entity": stranger.entity.slug},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "entity" in response.json()["errors"]
    assert not CommissionMember.objects.filter(entity=stranger.entity).exists()


def test_anonymous_and_outsiders_cannot_act(client, network, other_network):
    commission, _promoter = commission_with_promoter(network)
    url = f"{BASE}{commission.pk}/join/"
    assert client.post(url, {"entity": "x"}, content_type="application/json").status_code == 401
    outsider = member_of(other_network)
    client.force_login(outsider.representative)
    response = client.post(url, {"entity": outsider.entity.slug}, content_type="application/json")
    assert response.status_code == 403


def test_stepping_up_beyond_the_promoter_limit_is_a_409_and_nothing_changes(client, network):
    network.max_promoter_terms = 1
    network.save()
    commission, _promoter = commission_with_promoter(network)
    _busy, membership = commission_with_promoter(network)
    client.force_login(membership.representative)

    response = client.post(
        f"{BASE}{commission.pk}/step-up/",
        {"entity": membership.entity.slug},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "refused"
    assert "monopolising roles is not allowed" in response.json()["detail"]
    assert not PromoterTerm.objects.filter(commission=commission, entity=membership.entity).exists()


def test_stepping_down_needs_a_reason_and_leaves_the_commission_vacant(client, network):
    commission, membership = commission_with_promoter(network)
    client.force_login(membership.representative)
    url = f"{BASE}{commission.pk}/step-down/"

    missing = client.post(url, {"entity": membership.entity.slug}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]

    response = client.post(
        url,
        {"entity": membership.entity.slug, "reason": "Cambio de directiva"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["commission"]["state"] == CommissionState.VACANT
    assert response.json()["commission"]["closes_on"] is not None
    term = PromoterTerm.objects.get(commission=commission)
    assert term.end_reason == "Cambio de directiva"


def test_a_promoter_posts_an_update_with_an_image_and_linked_actions(client, network):
    commission, membership = commission_with_promoter(network)
    action = factories.ActionFactory(commission=commission, responsible=membership.entity)
    client.force_login(membership.representative)

    response = client.post(
        f"{BASE}{commission.pk}/updates/",
        {
            "entity": membership.entity.slug,
            "text": "Feria realizada",
            "actions": [action.pk],
            "image": png_upload(),
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["actions"] == [action.pk] and body["entity"]["slug"] == membership.entity.slug
    assert body["image"].startswith("http") and body["attachment"] is None
    assert ProgressUpdate.objects.get(commission=commission).text == "Feria realizada"


def test_an_update_is_checked_like_the_page_form(client, network):
    commission, membership = commission_with_promoter(network)
    other = factories.CommissionFactory(network=network)
    foreign_action = factories.ActionFactory(commission=other, responsible=membership.entity)
    client.force_login(membership.representative)
    url = f"{BASE}{commission.pk}/updates/"
    fake_pdf = SimpleUploadedFile("acta.pdf", b"not a pdf", content_type="application/pdf")

    bad_file = client.post(
        url, {"entity": membership.entity.slug, "text": "Hecho", "attachment": fake_pdf}
    )
    bad_action = client.post(
        url,
        {"entity": membership.entity.slug, "text": "Hecho", "actions": [foreign_action.pk]},
        content_type="application/json",
    )
    not_an_object = client.post(url, ["x"], content_type="application/json")

    assert bad_file.status_code == 400 and "attachment" in bad_file.json()["errors"]
    assert bad_action.status_code == 400 and "actions" in bad_action.json()["errors"]
    assert not_an_object.status_code == 400
    assert not ProgressUpdate.objects.filter(commission=commission).exists()


def test_only_promoters_post_updates(client, network):
    commission, _promoter = commission_with_promoter(network)
    sitting = member_of(network)
    factories.CommissionMemberFactory(commission=commission, entity=sitting.entity)
    client.force_login(sitting.representative)
    response = client.post(
        f"{BASE}{commission.pk}/updates/",
        {"entity": sitting.entity.slug, "text": "Hola"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_sitting_entity_comments_and_a_closed_commission_refuses(client, network):
    commission, membership = commission_with_promoter(network)
    update = factories.ProgressUpdateFactory(commission=commission, entity=membership.entity)
    client.force_login(membership.representative)
    url = f"{BASE}{commission.pk}/updates/{update.pk}/comments/"

    response = client.post(
        url, {"entity": membership.entity.slug, "text": "Gracias"}, content_type="application/json"
    )

    assert response.status_code == 201
    assert response.json()["entity"]["name"] == membership.entity.name
    Commission.objects.filter(pk=commission.pk).update(state=CommissionState.CLOSED)
    closed = client.post(
        url, {"entity": membership.entity.slug, "text": "Otra"}, content_type="application/json"
    )
    assert closed.status_code == 403
    assert Comment.objects.count() == 1


def test_a_term_that_ended_meanwhile_is_a_409(client, network, monkeypatch):
    commission, membership = commission_with_promoter(network)
    client.force_login(membership.representative)
    from commissions import selectors

    monkeypatch.setattr(selectors, "open_term", lambda **kwargs: None)
    response = client.post(
        f"{BASE}{commission.pk}/step-down/",
        {"entity": membership.entity.slug, "reason": "Motivo"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert PromoterTerm.objects.get().ended_at is None


# --- Queries at two sizes --------------------------------------------------


def _fill(commission, entity, size):
    network = commission.network
    with all_networks():
        entities = [factories.EntityFactory.build(slug=f"e-{size}-{n}") for n in range(size)]
        for built in entities:
            built.save()
        CommissionMember.objects.bulk_create(
            CommissionMember(network=network, commission=commission, entity=built)
            for built in entities
        )
        PromoterTerm.objects.bulk_create(
            PromoterTerm(
                network=network, commission=commission, entity=built, ended_at="2026-01-01T00:00Z"
            )
            for built in entities
        )
        topics = Topic.objects.bulk_create(
            Topic(network=network, commission=commission, title=f"T{n}", priority=n)
            for n in range(size)
        )
        Action.objects.bulk_create(
            Action(
                network=network, commission=commission, topic=topic, title="A", responsible=entity
            )
            for topic in topics
        )
        updates = ProgressUpdate.objects.bulk_create(
            ProgressUpdate(network=network, commission=commission, entity=entity, text="x")
            for _n in range(size)
        )
        Comment.objects.bulk_create(
            Comment(network=network, update=updates[0], entity=entity, text="c")
            for _n in range(size)
        )
        StateChange.objects.bulk_create(
            StateChange(
                network=network, commission=commission, to_state="active", reason="activity"
            )
            for _n in range(size)
        )
        Commission.objects.bulk_create(
            Commission(network=network, name=f"Comisión {size} {n}") for n in range(size)
        )
    return updates[0]


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("", 5),
        ("{c}/", 5),
        ("{c}/members/", 5),
        ("{c}/promoter-terms/", 4),
        ("{c}/work-plan/", 5),
        ("{c}/updates/", 5),
        ("{c}/updates/{u}/comments/", 5),
        ("{c}/state-changes/", 4),
    ],
)
def test_every_list_makes_the_same_queries_at_any_size(
    client, network, size, path, queries, django_assert_num_queries
):
    commission, membership = commission_with_promoter(network)
    update = _fill(commission, membership.entity, size)
    url = BASE + path.format(c=commission.pk, u=update.pk)
    with django_assert_num_queries(queries):
        response = client.get(url, {"page_size": 200})
    assert response.status_code == 200


def test_numbers_beyond_any_id_are_not_found_or_invalid_never_a_server_error(client, network):
    commission, _membership = commission_with_promoter(network)
    huge = "9" * 30
    assert client.get(f"{BASE}{huge}/").status_code == 404
    assert client.get(f"{BASE}{commission.pk}/updates/{huge}/comments/").status_code == 404
    assert client.get(f"{BASE}{commission.pk}/work-plan/", {"priority": huge}).status_code in (
        200,
        400,
    )


def test_the_facilitator_stays_neutral_and_cannot_step_up_through_the_api(client, network):
    commission, _promoter = commission_with_promoter(network)
    facilitator = factories.FacilitatorFactory(network=network).user
    client.force_login(facilitator)

    response = client.post(
        f"{BASE}{commission.pk}/step-up/", {"entity": "cualquiera"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert PromoterTerm.objects.filter(commission=commission).count() == 1


def test_the_work_plan_belongs_to_the_commission_asked_for(client, network):
    commission, _membership = commission_with_promoter(network)
    other, _other_membership = commission_with_promoter(network)
    factories.TopicFactory(commission=other, title="Ajeno")
    factories.TopicFactory(commission=commission, title="Propio")
    plan = client.get(f"{BASE}{commission.pk}/work-plan/").json()
    assert [topic["title"] for topic in plan["results"]] == ["Propio"]


def test_a_promoter_closes_the_commission_with_a_note_and_the_members_are_told(client, network):
    from members.models import Notification

    commission, promoter = commission_with_promoter(network)
    member = member_of(network)
    factories.CommissionMemberFactory(commission=commission, entity=member.entity)
    url = f"{BASE}{commission.pk}/close/"

    client.force_login(member.representative)
    assert client.get(url).status_code == 403  # sitting, but not promoting
    client.force_login(promoter.representative)
    offered = client.get(url).json()["entities"]
    unconfirmed = client.post(
        url, {"entity": promoter.entity.slug, "note": "Hecho"}, content_type="application/json"
    )
    closed = client.post(
        url,
        {"entity": promoter.entity.slug, "note": "Feria realizada", "confirm": True},
        content_type="application/json",
    )

    assert offered == [{"slug": promoter.entity.slug, "name": promoter.entity.name}]
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()["errors"]
    assert closed.status_code == 200
    assert closed.json()["commission"]["state"] == CommissionState.CLOSED
    assert closed.json()["commission"]["closed_reason"] == "completed"
    told = set(
        Notification.objects.filter(kind="commission.completed").values_list("recipient", flat=True)
    )
    assert {member.representative_id, member.alternate_id, promoter.alternate_id} <= told
    assert promoter.representative_id not in told
