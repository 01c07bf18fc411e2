"""What people type into commissions is cleaned in the services, whatever door it came through.

Names and titles stay on one line without control characters (a line break in
a title once ended up in a mail header); free text keeps its line breaks and
loses the rest (PostgreSQL refuses a NUL byte with a server error); every text
has a length the service checks with a readable message, before the database.
"""

import pytest
from django.urls import reverse

from commissions import services
from commissions.models import Action, Commission, ProgressUpdate, Topic
from core.errors import DomainError
from networks.scoping import all_networks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LONG = "x" * 10_000


@pytest.fixture
def promoted(cast):
    entity = cast.entities[0]
    commission = services.propose_commission(
        network=cast.network, entity=entity, name="Medio Ambiente", by=cast.rep(entity)
    )
    return commission, entity, cast.rep(entity)


def reloaded(model, pk):
    with all_networks():
        return model.objects.get(pk=pk)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Juventud\nBcc: todos@example.org", "Juventud Bcc: todos@example.org"),
        ("Juven\x00tud\r\n", "Juven tud"),
        ("Juventud\u2028 y\tsalud", "Juventud y salud"),
    ],
    ids=["newline", "nul", "separators"],
)
def test_a_commission_name_is_stored_on_one_line_without_control_characters(cast, typed, stored):
    entity = cast.entities[0]
    commission = services.propose_commission(
        network=cast.network, entity=entity, name=typed, by=cast.rep(entity)
    )
    assert reloaded(Commission, commission.pk).name == stored


def test_single_line_texts_longer_than_their_column_are_refused_with_a_clear_message(
    cast, promoted
):
    commission, entity, person = promoted
    with pytest.raises(DomainError, match="name: write at most 200 characters"):
        services.propose_commission(network=cast.network, entity=entity, name=LONG, by=person)
    with pytest.raises(DomainError, match="topic: write at most 200 characters"):
        services.add_topic(commission=commission, entity=entity, title=LONG, by=person)
    with pytest.raises(DomainError, match="action: write at most 300 characters"):
        services.add_action(
            commission=commission, entity=entity, title=LONG, responsible=entity, by=person
        )
    with all_networks():
        assert Commission.objects.count() == 1
        assert not Topic.objects.exists() and not Action.objects.exists()


def test_topic_and_action_titles_are_kept_on_one_line(promoted):
    commission, entity, person = promoted
    topic = services.add_topic(commission=commission, entity=entity, title="Resi\nduos", by=person)
    action = services.add_action(
        commission=commission, entity=entity, title="Fe\x00ria", responsible=entity, by=person
    )
    assert reloaded(Topic, topic.pk).title == "Resi duos"
    assert reloaded(Action, action.pk).title == "Fe ria"


def test_free_text_keeps_its_line_breaks_loses_nul_bytes_and_has_a_limit(promoted):
    commission, entity, person = promoted
    update = services.post_progress_update(
        commission=commission, entity=entity, text="Hicimos\r\nla fe\x00ria", by=person
    )
    assert reloaded(ProgressUpdate, update.pk).text == "Hicimos\nla feria"
    with pytest.raises(DomainError, match="write at most 10000 characters"):
        services.post_progress_update(
            commission=commission, entity=entity, text=LONG + "x", by=person
        )
    with pytest.raises(DomainError, match="closing note: write at most 4000 characters"):
        services.close_as_completed(commission=commission, entity=entity, note=LONG, by=person)
    with pytest.raises(DomainError, match="The comment is empty"):
        services.comment_on_update(update=update, entity=entity, text="\x00\x01", by=person)


# The same inputs through the page and the API: a clear answer, never a server error.


def test_the_propose_page_answers_bad_names_with_a_form_error_and_cleans_line_breaks(client, cast):
    entity = cast.entities[0]
    client.force_login(cast.rep(entity))
    url = reverse("commissions:propose", args=[cast.network.slug])
    data = {"entity": entity.pk, "kind": "thematic", "purpose": "Reforestar"}

    too_long = client.post(url, {**data, "name": LONG})
    with_nul = client.post(url, {**data, "name": "Sa\x00lud"})
    with_newline = client.post(url, {**data, "name": "Salud\nBcc: todos@example.org"})

    assert (too_long.status_code, with_nul.status_code) == (400, 400)
    assert with_newline.status_code == 302
    with all_networks():
        assert list(Commission.objects.values_list("name", flat=True)) == [
            "Salud Bcc: todos@example.org"
        ]


def test_the_api_answers_bad_updates_and_comments_with_a_400(client, cast, promoted):
    commission, entity, person = promoted
    client.force_login(person)
    base = f"/api/v1/networks/{cast.network.slug}/commissions/{commission.pk}/updates/"

    too_long = client.post(base, {"entity": entity.slug, "text": LONG + "x"})
    with_nul = client.post(base, {"entity": entity.slug, "text": "Avance\x00"})
    posted = client.post(base, {"entity": entity.slug, "text": "Avance\r\ncon dos líneas"})
    comments = f"{base}{posted.json()['id']}/comments/"
    long_comment = client.post(
        comments, {"entity": entity.slug, "text": LONG}, content_type="application/json"
    )

    assert (too_long.status_code, with_nul.status_code, posted.status_code) == (400, 400, 201)
    assert posted.json()["text"] == "Avance\ncon dos líneas"
    assert long_comment.status_code == 400
