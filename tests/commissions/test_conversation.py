"""A commission's conversation: members post and reply; authors edit and withdraw; the
facilitator hides with a reason, kept; progress updates stay distinct in the timeline."""

import pytest

from commissions import services
from commissions.models import Post
from core.errors import DomainError
from networks.scoping import all_networks, network_scope
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(network):
    with all_networks():
        facilitator = factories.FacilitatorFactory(network=network).user
        commission = factories.CommissionFactory(network=network, name="Comisión de Ferias")
        sitting = [factories.MembershipFactory(network=network) for _ in range(2)]
        for membership in sitting:
            factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
        factories.PromoterTermFactory(commission=commission, entity=sitting[0].entity)
        outsider = factories.MembershipFactory(network=network)
    return facilitator, commission, sitting, outsider


def say(membership, commission, text, parent=None):
    return services.post_to_conversation(
        commission=commission,
        entity=membership.entity,
        by=membership.representative,
        text=text,
        parent=parent,
    )


def test_members_post_and_reply_in_one_thread(room):
    _facilitator, commission, (first, second), _outsider = room
    post = say(first, commission, "¿Quién trae el toldo?")
    reply = say(second, commission, "Nosotros.", parent=post)
    again = say(first, commission, "Gracias.", parent=reply)
    assert reply.parent == post and again.parent == post


def test_entities_outside_the_commission_and_the_facilitator_do_not_post(room):
    facilitator, commission, _sitting, outsider = room
    with pytest.raises(DomainError):
        say(outsider, commission, "Hola.")
    with pytest.raises(DomainError):
        services.post_to_conversation(
            commission=commission, entity=outsider.entity, by=facilitator, text="Hola."
        )


def test_the_author_edits_and_withdraws_and_nobody_else_does(room):
    _facilitator, commission, (first, second), _outsider = room
    post = say(first, commission, "El martes a las 9.")
    with pytest.raises(DomainError):
        services.edit_post(post=post, by=second.representative, text="Otra cosa.")
    with pytest.raises(DomainError):
        services.withdraw_post(post=post, by=second.representative)
    edited = services.edit_post(post=post, by=first.representative, text="El martes a las 10.")
    assert edited.edited_at is not None and edited.text == "El martes a las 10."
    withdrawn = services.withdraw_post(post=post, by=first.representative)
    assert withdrawn.withdrawn_at is not None and not withdrawn.is_shown
    with all_networks():
        assert Post.objects.get(pk=post.pk).text == "El martes a las 10."  # kept


def test_the_facilitator_hides_with_a_reason_that_is_kept(room):
    facilitator, commission, (first, second), _outsider = room
    post = say(first, commission, "El teléfono de la señora es 999 999 999.")
    with pytest.raises(DomainError):
        services.hide_post(post=post, by=second.representative, reason="No.")
    with pytest.raises(DomainError):
        services.hide_post(post=post, by=facilitator, reason="")
    hidden = services.hide_post(post=post, by=facilitator, reason="Datos personales.")
    assert hidden.hidden_reason == "Datos personales." and hidden.hidden_by == facilitator
    assert hidden.text.startswith("El teléfono")
    with pytest.raises(DomainError):
        services.edit_post(post=post, by=first.representative, text="Otra cosa.")


def test_the_timeline_shows_updates_apart_from_messages(client, network, room):
    facilitator, commission, (first, second), _outsider = room
    services.post_progress_update(
        commission=commission, entity=first.entity, by=first.representative, text="Avance real."
    )
    post = say(second, commission, "Un mensaje.")
    services.edit_post(post=post, by=second.representative, text="Un mensaje corregido.")
    hidden = say(first, commission, "Algo que no debía.")
    services.hide_post(post=hidden, by=facilitator, reason="Fuera de lugar.")
    client.force_login(second.representative)
    page = client.get(commission.get_absolute_url(), secure=True).content.decode()
    assert "timeline-update" in page and "Avance real." in page
    assert "Un mensaje corregido." in page and "editado" in page
    assert "Algo que no debía." not in page and "Fuera de lugar." in page


def test_posting_through_the_page(client, network, room):
    _facilitator, commission, (first, _second), outsider = room
    client.force_login(first.representative)
    url = f"/redes/{network.slug}/comisiones/{commission.pk}/conversacion/"
    response = client.post(url, {"entity": first.entity.pk, "text": "Hola a todas."}, secure=True)
    assert response.status_code == 302
    with network_scope(network):
        assert Post.objects.get().text == "Hola a todas."
    client.force_login(outsider.representative)
    response = client.post(url, {"entity": outsider.entity.pk, "text": "Yo."}, secure=True)
    assert response.status_code == 403
