"""The commission pages as people use them: each action through its form, by each persona."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from commissions import forms as commission_forms
from commissions import services, uploads
from commissions.models import (
    Action,
    ActionStatus,
    ClosingSheet,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    Post,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from core.actors import SYSTEM
from networks.scoping import all_networks, network_scope
from networks.services import appoint_facilitator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Story:
    """A commission with a promoter, a sitting member, a member outside it, and a facilitator."""

    def __init__(self, network):
        self.network = network
        self.facilitator = factories.UserFactory()
        appoint_facilitator(network=network, user=self.facilitator, by=SYSTEM)
        self.promoter_membership = factories.MembershipFactory(
            network=network, entity__name="Promotora Misti"
        )
        self.member_membership = factories.MembershipFactory(
            network=network, entity__name="Miembro Chachani"
        )
        self.outsider_membership = factories.MembershipFactory(
            network=network, entity__name="Entidad Pichu Pichu"
        )
        self.promoter = self.promoter_membership.representative
        self.member = self.member_membership.representative
        self.outsider = self.outsider_membership.representative
        self.stranger = factories.UserFactory()
        self.commission = services.propose_commission(
            network=network,
            entity=self.promoter_membership.entity,
            name="Comisión de Juventud",
            purpose="Voluntariado juvenil en los barrios.",
            by=self.promoter,
        )
        services.join_commission(
            commission=self.commission, entity=self.member_membership.entity, by=self.member
        )

    def url(self, name, **kwargs):
        return reverse(
            f"commissions:{name}",
            kwargs={
                "network_slug": self.network.slug,
                "commission_id": self.commission.pk,
                **kwargs,
            },
        )

    def refresh(self):
        with all_networks():
            self.commission.refresh_from_db()
        return self.commission


@pytest.fixture
def story(network):
    return Story(network)


def as_user(client, user):
    client.force_login(user)
    return client


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, secure=True, **extra)


def get(client, url):
    return client.get(url, secure=True)


def count(model, **filters):
    with all_networks():
        return model.objects.filter(**filters).count()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return buffer.getvalue()


# Proposing a commission


def test_a_member_proposes_a_commission_and_becomes_its_first_promoter(client, story):
    url = reverse("commissions:propose", kwargs={"network_slug": story.network.slug})
    response = post(
        as_user(client, story.outsider),
        url,
        {
            "entity": story.outsider_membership.entity.pk,
            "name": "Comisión Ambiental",
            "kind": "thematic",
            "purpose": "Cuidar el río Chili.",
        },
    )

    with all_networks():
        commission = Commission.objects.get(name="Comisión Ambiental")
        promoters = list(commission.promoter_terms.values_list("entity_id", flat=True))
    assert response.status_code == 302
    assert response.url == commission.get_absolute_url()
    assert promoters == [story.outsider_membership.entity.pk]


def test_proposing_a_name_already_taken_shows_the_reason_and_creates_nothing(client, story):
    url = reverse("commissions:propose", kwargs={"network_slug": story.network.slug})
    response = post(
        as_user(client, story.outsider),
        url,
        {
            "entity": story.outsider_membership.entity.pk,
            "name": "comisión de juventud",
            "kind": "thematic",
            "purpose": "Otra vez.",
        },
    )

    assert response.status_code == 400
    assert "Esta red ya tiene una comisión con ese nombre." in response.text
    assert count(Commission) == 1


@pytest.mark.parametrize("persona", ["facilitator", "stranger"])
def test_facilitators_and_people_without_an_entity_may_not_propose(client, story, persona):
    url = reverse("commissions:propose", kwargs={"network_slug": story.network.slug})
    response = post(
        as_user(client, getattr(story, persona)),
        url,
        {"entity": story.outsider_membership.entity.pk, "name": "X", "kind": "thematic"},
    )

    assert response.status_code == 403
    assert count(Commission) == 1


def test_a_visitor_is_sent_to_log_in_before_proposing(client, story):
    url = reverse("commissions:propose", kwargs={"network_slug": story.network.slug})

    response = post(client, url, {"name": "X"})

    assert response.status_code == 302
    assert "next=" in response.url
    assert count(Commission) == 1


def test_a_person_acting_for_several_entities_chooses_one_and_no_other(client, story):
    second = factories.MembershipFactory(
        network=story.network, entity__name="Segunda Entidad", representative=story.outsider
    )
    url = reverse("commissions:propose", kwargs={"network_slug": story.network.slug})
    client = as_user(client, story.outsider)

    page = get(client, url)
    refused = post(
        client,
        url,
        {"entity": story.member_membership.entity.pk, "name": "Ajena", "kind": "thematic"},
    )
    accepted = post(
        client,
        url,
        {"entity": second.entity.pk, "name": "Propia", "kind": "event", "purpose": "Día."},
    )

    assert '<select name="entity"' in page.text
    assert "Segunda Entidad" in page.text and "Entidad Pichu Pichu" in page.text
    assert refused.status_code == 400
    assert accepted.status_code == 302
    with all_networks():
        commission = Commission.objects.get(name="Propia")
        assert commission.promoter_terms.get().entity_id == second.entity.pk
    assert count(Commission, name="Ajena") == 0


# Joining, leaving, promoting


def test_a_member_entity_joins_and_leaves_a_commission(client, story):
    client = as_user(client, story.outsider)
    entity = story.outsider_membership.entity

    joined = post(client, story.url("join"), {"entity": entity.pk})
    assert joined.status_code == 302
    assert count(CommissionMember, entity=entity, left_on__isnull=True) == 1

    left = post(client, story.url("leave"), {"entity": entity.pk})
    assert left.status_code == 302
    assert count(CommissionMember, entity=entity, left_on__isnull=False) == 1


def test_the_facilitator_may_not_join_step_up_or_close(client, story):
    client = as_user(client, story.facilitator)

    for name in ("join", "step_up", "close", "leave"):
        assert post(client, story.url(name), {"entity": 1}).status_code == 403
    assert count(PromoterTerm) == 1
    assert story.refresh().state == CommissionState.ACTIVE


def test_a_sitting_member_steps_up_as_promoter(client, story):
    entity = story.member_membership.entity

    response = post(as_user(client, story.member), story.url("step_up"), {"entity": entity.pk})

    assert response.status_code == 302
    assert count(PromoterTerm, entity=entity, ended_at__isnull=True) == 1


def test_stepping_up_beyond_the_networks_limit_shows_why_and_changes_nothing(client, story):
    story.network.max_promoter_terms = 1
    story.network.save()
    other = services.propose_commission(
        network=story.network, entity=story.member_membership.entity, name="Otra", by=story.member
    )
    story.commission = other

    response = post(
        as_user(client, story.promoter),
        story.url("step_up"),
        {"entity": story.promoter_membership.entity.pk},
    )

    assert response.status_code == 400
    assert "acaparar" in response.text or "monopol" in response.text.lower()
    assert count(PromoterTerm, commission=other) == 1


def test_stepping_down_needs_a_reason(client, story):
    entity = story.promoter_membership.entity

    response = post(
        as_user(client, story.promoter), story.url("step_down"), {"entity": entity.pk, "reason": ""}
    )

    assert response.status_code == 400
    assert count(PromoterTerm, ended_at__isnull=True) == 1


def test_the_last_promoter_steps_down_and_the_page_says_when_it_closes(client, story):
    entity = story.promoter_membership.entity
    client = as_user(client, story.promoter)

    response = post(
        client, story.url("step_down"), {"entity": entity.pk, "reason": "Cambio de equipo"}
    )

    commission = story.refresh()
    assert response.status_code == 302
    assert commission.state == CommissionState.VACANT
    body = get(client, story.url("detail")).text
    closes = commission.closes_on
    assert "Se cierra automáticamente" in body
    assert str(closes.year) in body
    assert "Cambio de equipo" in body  # the past term's reason and the timeline's note


def test_a_member_who_does_not_promote_may_not_step_down(client, story):
    response = post(
        as_user(client, story.member),
        story.url("step_down"),
        {"entity": story.promoter_membership.entity.pk, "reason": "Ajena"},
    )

    assert response.status_code == 403
    assert count(PromoterTerm, ended_at__isnull=True) == 1


# Progress updates, comments


def test_a_promoter_posts_an_update_with_image_attachment_and_linked_action(client, story):
    entity = story.promoter_membership.entity
    action = factories.ActionFactory(commission=story.commission, responsible=entity)

    response = post(
        as_user(client, story.promoter),
        story.url("post_update"),
        {
            "entity": entity.pk,
            "text": "Hicimos la primera jornada.",
            "image": SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
            "attachment": SimpleUploadedFile(
                "acta.pdf", b"%PDF-1.4 acta", content_type="application/pdf"
            ),
            "actions": [action.pk],
        },
    )

    assert response.status_code == 302
    with all_networks():
        update = ProgressUpdate.objects.get()
        assert list(update.actions.all()) == [action]
    assert update.image.name.startswith("commissions/updates/")
    assert update.attachment.name.startswith("commissions/attachments/")
    body = get(client, story.url("detail")).text
    assert "Hicimos la primera jornada." in body
    assert update.image.url in body and update.attachment.url in body


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("image", ("foto.png", b"not an image at all", "image/png"), "imagen"),
        ("image", ("foto.gif", b"GIF89a" + b"\0" * 20, "image/gif"), "imagen"),
        ("attachment", ("virus.exe", b"MZ\x90\x00", "application/octet-stream"), "PDF"),
        ("attachment", ("falso.pdf", b"MZ\x90\x00", "application/pdf"), "PDF"),
        ("attachment", ("hoja.xlsx", b"PK\x03\x04 broken", "application/zip"), "PDF"),
    ],
)
def test_an_update_with_a_file_of_the_wrong_type_is_refused(client, story, field, upload, message):
    name, content, content_type = upload

    response = post(
        as_user(client, story.promoter),
        story.url("post_update"),
        {
            "entity": story.promoter_membership.entity.pk,
            "text": "Con archivo.",
            field: SimpleUploadedFile(name, content, content_type=content_type),
        },
    )

    assert response.status_code == 400
    assert message in response.text
    assert count(ProgressUpdate) == 0


def test_an_update_with_files_too_large_is_refused(client, story, monkeypatch):
    monkeypatch.setattr(uploads, "IMAGE_MAX_BYTES", 10)
    monkeypatch.setattr(uploads, "ATTACHMENT_MAX_BYTES", 10)

    response = post(
        as_user(client, story.promoter),
        story.url("post_update"),
        {
            "entity": story.promoter_membership.entity.pk,
            "text": "Muy pesado.",
            "image": SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
            "attachment": SimpleUploadedFile("acta.pdf", b"%PDF-1.4" + b"x" * 20),
        },
    )

    assert response.status_code == 400
    assert "La imagen pesa" in response.text
    assert "El adjunto pesa" in response.text
    assert count(ProgressUpdate) == 0


def test_the_size_limits_are_five_and_ten_megabytes():
    assert uploads.IMAGE_MAX_BYTES == 5 * 1024 * 1024
    assert uploads.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("persona", ["member", "outsider", "facilitator"])
def test_only_promoters_post_updates(client, story, persona):
    response = post(
        as_user(client, getattr(story, persona)),
        story.url("post_update"),
        {"entity": story.promoter_membership.entity.pk, "text": "Intruso"},
    )

    assert response.status_code == 403
    assert count(ProgressUpdate) == 0


def test_a_sitting_member_comments_and_others_may_not(client, story):
    update = services.post_progress_update(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        text="Avance",
        by=story.promoter,
    )
    url = story.url("comment", update_id=update.pk)

    empty = post(as_user(client, story.member), url, {"entity": story.member_membership.entity.pk})
    done = post(client, url, {"entity": story.member_membership.entity.pk, "text": "¡Bien hecho!"})
    client.logout()
    refused = post(
        as_user(client, story.outsider),
        url,
        {"entity": story.outsider_membership.entity.pk, "text": "Desde fuera"},
    )

    assert empty.status_code == 400
    assert done.status_code == 302
    assert done.url.endswith(f"#update-{update.pk}")
    assert refused.status_code == 403
    with all_networks():
        assert list(Comment.objects.values_list("text", flat=True)) == ["¡Bien hecho!"]


def test_a_comment_on_an_update_of_another_commission_is_404(client, story):
    other = factories.CommissionFactory(network=story.network)
    update = factories.ProgressUpdateFactory(
        commission=other, entity=story.member_membership.entity
    )

    response = post(
        as_user(client, story.member),
        story.url("comment", update_id=update.pk),
        {"entity": story.member_membership.entity.pk, "text": "Perdido"},
    )

    assert response.status_code == 404
    assert count(Comment) == 0


# Work plan


def test_a_promoter_adds_topics_and_reorders_them(client, story):
    client = as_user(client, story.promoter)
    entity = story.promoter_membership.entity.pk
    for title in ("Juventud", "Ambiente", "Cultura"):
        assert (
            post(client, story.url("add_topic"), {"entity": entity, "title": title}).status_code
            == 302
        )
    with all_networks():
        cultura = Topic.objects.get(title="Cultura")

    response = post(
        client, story.url("move_topic", topic_id=cultura.pk), {"entity": entity, "direction": "up"}
    )

    assert response.status_code == 302
    with all_networks():
        order = list(Topic.objects.order_by("priority").values_list("title", flat=True))
    assert order == ["Juventud", "Cultura", "Ambiente"]


def test_a_promoter_adds_an_action_and_changes_its_status(client, story):
    client = as_user(client, story.promoter)
    entity = story.promoter_membership.entity
    topic = factories.TopicFactory(commission=story.commission, title="Ambiente")

    added = post(
        client,
        story.url("add_action"),
        {
            "entity": entity.pk,
            "title": "Feria ambiental",
            "topic": topic.pk,
            "responsible": entity.pk,
            "due_on": "2030-12-05",
        },
    )
    with all_networks():
        action = Action.objects.get()
    changed = post(
        client,
        story.url("action_status", action_id=action.pk),
        {"entity": entity.pk, "status": ActionStatus.IN_PROGRESS},
    )

    assert added.status_code == 302 and changed.status_code == 302
    with all_networks():
        action.refresh_from_db()
    assert (action.topic, action.responsible, action.due_on) == (topic, entity, date(2030, 12, 5))
    assert action.status == ActionStatus.IN_PROGRESS


def test_an_action_whose_responsible_is_not_a_promoter_is_refused(client, story):
    response = post(
        as_user(client, story.promoter),
        story.url("add_action"),
        {
            "entity": story.promoter_membership.entity.pk,
            "title": "Sin responsable válido",
            "responsible": story.member_membership.entity.pk,
        },
    )

    assert response.status_code == 400
    assert count(Action) == 0


def test_a_bad_due_date_or_status_is_refused(client, story):
    client = as_user(client, story.promoter)
    entity = story.promoter_membership.entity
    action = factories.ActionFactory(commission=story.commission, responsible=entity)

    bad_date = post(
        client,
        story.url("add_action"),
        {"entity": entity.pk, "title": "X", "responsible": entity.pk, "due_on": "31-31-2030"},
    )
    bad_status = post(
        client,
        story.url("action_status", action_id=action.pk),
        {"entity": entity.pk, "status": "lost"},
    )

    assert bad_date.status_code == 400 and bad_status.status_code == 400
    with all_networks():
        assert Action.objects.get().status == ActionStatus.PLANNED


def test_members_who_do_not_promote_may_not_touch_the_work_plan(client, story):
    client = as_user(client, story.member)
    action = factories.ActionFactory(
        commission=story.commission, responsible=story.promoter_membership.entity
    )
    topic = factories.TopicFactory(commission=story.commission)
    entity = story.member_membership.entity.pk

    answers = [
        post(client, story.url("add_topic"), {"entity": entity, "title": "Mío"}).status_code,
        post(client, story.url("move_topic", topic_id=topic.pk), {"entity": entity}).status_code,
        post(client, story.url("add_action"), {"entity": entity, "title": "Y"}).status_code,
        post(
            client,
            story.url("action_status", action_id=action.pk),
            {"entity": entity, "status": "done"},
        ).status_code,
    ]

    assert answers == [403, 403, 403, 403]
    assert count(Topic) == 1 and count(Action, status=ActionStatus.PLANNED) == 1


# Closing and sheets


def test_closing_asks_for_confirmation_then_closes_and_sends_promoters_to_the_sheet(client, story):
    client = as_user(client, story.promoter)
    entity = story.promoter_membership.entity.pk

    confirm_page = get(client, story.url("close"))
    unconfirmed = post(client, story.url("close"), {"entity": entity})
    assert story.refresh().state == CommissionState.ACTIVE
    closed = post(client, story.url("close"), {"entity": entity, "confirm": "on", "note": "Hecho"})

    assert confirm_page.status_code == 200 and unconfirmed.status_code == 400
    assert closed.status_code == 302
    assert closed.url == story.url("sheet")
    assert story.refresh().state == CommissionState.CLOSED


def test_a_closed_commission_page_is_read_only_and_refuses_every_action(client, story):
    update = services.post_progress_update(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        text="Avance",
        by=story.promoter,
    )
    services.close_as_completed(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        note="Hecho",
        by=story.promoter,
    )
    client = as_user(client, story.member)

    body = get(client, story.url("detail")).text
    answers = {
        name: post(client, story.url(name, **kwargs), {"entity": 1, "text": "x"}).status_code
        for name, kwargs in [
            ("join", {}),
            ("leave", {}),
            ("step_up", {}),
            ("post_update", {}),
            ("comment", {"update_id": update.pk}),
            ("add_topic", {}),
            ("close", {}),
        ]
    }

    for name in ("join", "leave", "step_up", "step_down", "post_update", "add_topic", "close"):
        assert story.url(name) not in body
    assert story.url("comment", update_id=update.pk) not in body
    assert "Archivada" in body
    assert set(answers.values()) == {403}
    assert count(Comment) == 0


def test_promoters_fill_the_closing_sheet_and_the_archive_shows_it(client, story):
    services.close_as_completed(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        note="Hecho",
        by=story.promoter,
    )
    client = as_user(client, story.promoter)
    fields = {
        "participants": "Cinco entidades de tres plataformas",
        "objectives": "Voluntariado juvenil",
        "methodology": "Talleres",
        "activities": "Tres jornadas",
        "results": "Doscientos jóvenes",
        "evaluation": "Repetir el próximo año",
    }
    entity = story.promoter_membership.entity.pk

    incomplete = post(client, story.url("sheet"), {**fields, "results": "", "entity": entity})
    assert count(ClosingSheet) == 0
    filled = post(client, story.url("sheet"), {**fields, "entity": entity})

    assert incomplete.status_code == 400
    assert filled.status_code == 302
    with all_networks():
        sheet = ClosingSheet.objects.get()
    assert sheet.occasion == ClosingSheet.Occasion.CLOSING
    archive = get(client, reverse("commissions:list", args=[story.network.slug])).text
    assert "Concluida, cerrada por sus promotores" in archive
    assert f"#sheet-{sheet.pk}" in archive
    assert "Doscientos jóvenes" in get(client, story.url("detail")).text


def test_members_who_never_promoted_may_not_fill_a_sheet(client, story):
    services.close_as_completed(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        note="Hecho",
        by=story.promoter,
    )

    response = post(as_user(client, story.member), story.url("sheet"), {"entity": 1})

    assert response.status_code == 403


def test_the_yearly_sheet_is_offered_once_the_commission_is_a_year_old(client, story):
    client = as_user(client, story.promoter)
    young = get(client, story.url("sheet"))
    assert young.status_code == 200
    assert 'name="results"' not in young.text

    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        client = as_user(client, story.promoter)
        page = get(client, story.url("sheet"))
        assert 'name="results"' in page.text
        fields = dict.fromkeys(commission_forms.ClosingSheetForm.FIELDS, "texto")
        post(client, story.url("sheet"), {**fields, "entity": story.promoter_membership.entity.pk})
        year = timezone.now().year

    with all_networks():
        sheet = ClosingSheet.objects.get()
    assert (sheet.occasion, sheet.year) == (ClosingSheet.Occasion.YEARLY, year)


# What each persona sees


def test_visitors_see_the_record_but_no_forms_and_no_personal_data(client, story):
    services.post_progress_update(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        by=story.promoter,
        text="Avance público",
    )

    body = get(client, story.url("detail")).text

    assert "Avance público" in body
    assert 'name="csrfmiddlewaretoken"' not in body.split("</header>")[1]
    for person in (story.promoter, story.member):
        assert person.email not in body
        assert person.last_name not in body


def test_the_facilitator_sees_the_page_without_promoter_buttons(client, story):
    body = get(as_user(client, story.facilitator), story.url("detail")).text

    assert "Voluntariado juvenil en los barrios." in body
    assert story.url("step_up") not in body
    assert story.url("post_update") not in body


def test_a_promoter_sees_the_work_plan_and_update_forms(client, story):
    body = get(as_user(client, story.promoter), story.url("detail")).text

    assert story.url("post_update") in body
    assert story.url("add_topic") in body
    assert story.url("step_down") in body
    assert story.url("join") not in body


def test_a_commission_of_another_network_is_404_for_every_action(client, story, other_network):
    foreign = factories.CommissionFactory(network=other_network)
    client = as_user(client, story.promoter)

    for name in ("join", "step_up", "post_update", "close", "sheet"):
        url = reverse(f"commissions:{name}", args=[story.network.slug, foreign.pk])
        assert post(client, url, {"entity": 1}).status_code == 404


def test_the_page_explains_a_stalled_commission(client, story):
    with all_networks():
        Commission.objects.filter(pk=story.commission.pk).update(state=CommissionState.STALLED)

    body = get(client, story.url("detail")).text

    assert "Estancada desde" in body


def test_the_page_renders_in_english(client, story):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = get(as_user(client, story.promoter), story.url("detail")).text

    for text in ("Work plan", "Promoters", "Timeline", "Post a progress update", "Acting for"):
        assert text in body


def test_the_page_renders_in_spanish(client, story):
    body = get(as_user(client, story.promoter), story.url("detail")).text

    for text in ("Plan de trabajo", "Promotoras", "Línea de tiempo", "Publicar un avance"):
        assert text in body


# Timeline


def fill_timeline(story, count):
    """`count` updates, each with two comments and a linked action; state changes between them."""
    entity = story.promoter_membership.entity
    member = story.member_membership.entity
    start = timezone.now() - timedelta(days=count + 1)
    with network_scope(story.network):
        action = factories.ActionFactory(commission=story.commission, responsible=entity)
        updates = ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                network=story.network,
                commission=story.commission,
                entity=entity,
                text=f"Avance {number}",
                created_at=start + timedelta(days=number),
            )
            for number in range(count)
        )
        Comment.objects.bulk_create(
            Comment(network=story.network, update=update, entity=member, text=f"Comentario {n}")
            for update in updates
            for n in range(2)
        )
        ProgressUpdate.actions.through.objects.bulk_create(
            ProgressUpdate.actions.through(progressupdate_id=update.pk, action_id=action.pk)
            for update in updates
        )
    return updates


# The network; the commission with its work plan's topics and the platforms in reach;
# members, promoter terms, closing sheets, the timeline, its comments, messages, state
# changes and actions. A signed-in person adds themselves with their roles (and, for a
# facilitator, the header's counts) and the decisions section its proposals.
@pytest.mark.parametrize(
    ("persona", "most"), [("visitor", 10), ("promoter", 12), ("facilitator", 12)]
)
def test_the_timeline_makes_as_many_queries_with_500_updates_as_with_5(
    client, story, persona, most, django_assert_num_queries, django_assert_max_num_queries
):
    if persona != "visitor":
        as_user(client, getattr(story, persona))
    fill_timeline(story, 5)
    get(client, story.url("detail"))  # a first request settles the session
    with django_assert_max_num_queries(most) as small:
        response = get(client, story.url("detail"))
    assert len(response.context["page"].entries) >= 5

    fill_timeline(story, 495)
    with django_assert_num_queries(len(small)):
        response = get(client, story.url("detail"))

    assert response.context["page"].timeline.paginator.count == 500


def test_the_timeline_is_paginated_newest_first_and_weaves_in_state_changes(client, story):
    updates = fill_timeline(story, 45)
    with network_scope(story.network):
        StateChange.objects.create(
            network=story.network,
            commission=story.commission,
            from_state=CommissionState.ACTIVE,
            to_state=CommissionState.STALLED,
            reason=StateChange.Reason.NO_ACTIVITY,
            at=updates[2].created_at + timedelta(hours=1),
        )

    first = get(client, story.url("detail"))
    last = get(client, story.url("detail") + "?page=3")
    bad = get(client, story.url("detail") + "?page=abc")

    first_entries = first.context["page"].entries
    last_entries = last.context["page"].entries
    assert next(e.update for e in first_entries if e.update).pk == updates[-1].pk
    assert [e.update.pk for e in last_entries if e.update] == [u.pk for u in reversed(updates[:5])]
    # Each change shows once, on the page of its stretch of time, between its neighbours.
    assert [e.change.reason for e in first_entries if e.change] == ["proposed"]
    assert [e.change.reason for e in last_entries if e.change] == ["no_activity"]
    kinds = [e.update.pk if e.update else "change" for e in last_entries]
    assert kinds == [
        updates[4].pk,
        updates[3].pk,
        "change",
        updates[2].pk,
        updates[1].pk,
        updates[0].pk,
    ]
    assert bad.status_code == 200


def test_each_timeline_page_names_its_updates_actions_and_keeps_replies_with_their_message(
    client, story
):
    updates = fill_timeline(story, 25)
    entity = story.member_membership.entity
    with network_scope(story.network):
        other = factories.ActionFactory(commission=story.commission, title="Acción sin avances")
        named = Action.objects.exclude(pk=other.pk).get(commission=story.commission)
        ProgressUpdate.actions.through.objects.create(
            progressupdate_id=updates[0].pk, action_id=other.pk
        )
        old = Post.objects.create(
            network=story.network,
            commission=story.commission,
            entity=entity,
            text="Mensaje antiguo",
            created_at=updates[1].created_at + timedelta(hours=1),
        )
        # A reply written today to the old message stays with it, on the second page.
        Post.objects.create(
            network=story.network,
            commission=story.commission,
            entity=entity,
            parent=old,
            text="Respuesta reciente",
        )

    first = get(client, story.url("detail")).context["page"]
    second = get(client, story.url("detail") + "?page=2").context["page"]
    past_the_end = get(client, story.url("detail") + "?page=99").context["page"]

    assert [entry.actions for entry in first.entries if entry.update] == [[named]] * 20
    by_update = {entry.update.pk: entry.actions for entry in second.entries if entry.update}
    assert by_update[updates[0].pk] == [named, other]
    assert by_update[updates[1].pk] == [named]
    assert [entry.post for entry in first.entries if entry.post] == []
    (message,) = [entry for entry in second.entries if entry.post]
    assert message.post == old
    assert [reply.text for reply in message.replies] == ["Respuesta reciente"]
    assert [action.pk for action in first.actions] == [named.pk, other.pk]
    assert first.timeline.paginator.count == second.timeline.paginator.count == 25
    assert past_the_end.timeline.number == 2
    assert [entry.at for entry in past_the_end.entries] == [entry.at for entry in second.entries]


# Archive


def close_commissions(network, names, *, purpose="", topics=""):
    with network_scope(network):
        return [
            factories.CommissionFactory(
                network=network,
                name=name,
                purpose=purpose,
                topics=topics,
                state=CommissionState.CLOSED,
                closed_on=date(2025, 3, 1),
                closed_reason="no_promoter",
            )
            for name in names
        ]


def test_the_archive_lists_open_and_closed_commissions_apart(client, story):
    close_commissions(story.network, ["Feria del Libro 2024"])

    response = get(client, reverse("commissions:list", args=[story.network.slug]))

    assert [c.name for c in response.context["open_commissions"]] == ["Comisión de Juventud"]
    assert [c.name for c in response.context["page"].object_list] == ["Feria del Libro 2024"]
    assert "Ninguna entidad asumió como promotora" in response.text


def test_the_archive_searches_closed_commissions_by_name_purpose_and_topics(client, story):
    close_commissions(story.network, ["Feria del Libro"])
    close_commissions(story.network, ["Mesa A"], purpose="Reforestar el valle del Colca")
    close_commissions(story.network, ["Mesa B"], topics="Salud mental")
    (with_plan,) = close_commissions(story.network, ["Mesa C"])
    factories.TopicFactory(commission=with_plan, title="Gestión de riesgos")
    url = reverse("commissions:list", args=[story.network.slug])

    def found(query):
        response = get(client, f"{url}?q={query}")
        return [c.name for c in response.context["page"].object_list]

    assert found("libro") == ["Feria del Libro"]
    assert found("colca") == ["Mesa A"]
    assert found("salud") == ["Mesa B"]
    assert found("riesgos") == ["Mesa C"]
    assert found("juventud") == []  # open commissions are not part of the archive search


def test_the_archive_is_paginated_with_a_fixed_number_of_queries(
    client, story, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("commissions:list", args=[story.network.slug])
    close_commissions(story.network, [f"Cerrada {n:03d}" for n in range(3)])
    with django_assert_max_num_queries(30) as small:
        get(client, url)

    close_commissions(story.network, [f"Cerrada {n:03d}" for n in range(3, 60)])
    with django_assert_num_queries(len(small)):
        response = get(client, url + "?page=2")

    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 20
