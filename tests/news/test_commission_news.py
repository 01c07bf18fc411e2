"""A commission proposed, a progress update, a commission closed: who hears, once."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone

from commissions import services
from commissions.lifecycle import sweep_commissions
from commissions.models import CommissionState
from commissions.notifications import CommissionNotice
from core.errors import DomainError
from members import notifications
from networks.scoping import network_scope
from tests import factories
from tests.news.conftest import deliver_with_two_workers, leave

pytestmark = pytest.mark.django_db


def propose(town):
    return services.propose_commission(
        network=town.network,
        entity=town.member.entity,
        name="Comisión de Ferias",
        purpose="Organizar ferias de voluntariado.",
        by=town.member.representative,
    )


def test_a_proposed_commission_reaches_the_members_in_the_weekly_digest(town):
    leave(town.gone)
    commission = propose(town)
    for person in (town.quiet.representative, town.shared.alternate, town.member.alternate):
        (item,) = town.inbox(person, CommissionNotice.PROPOSED)
        assert item.link == commission.get_absolute_url()
    assert town.inbox(town.member.representative, CommissionNotice.PROPOSED) == []  # the proposer
    assert town.inbox(town.elsewhere.representative) == []
    assert town.inbox(town.gone.representative) == []
    # Not at once: in the weekly digest, even for people who chose mail at once.
    notifications.deliver_pending_notifications()
    assert not town.mailed(town.shared.alternate)
    notifications.deliver_weekly_digests(town.network)
    (digest,) = town.mailed(town.shared.alternate)
    assert "Comisión de Ferias" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert not town.mailed(town.quiet.representative)


def follow(town, commission, membership):
    return services.follow_commission(
        commission=commission, entity=membership.entity, by=membership.representative
    )


def test_a_progress_update_reaches_members_and_followers(town):
    commission = propose(town)
    services.join_commission(
        commission=commission, entity=town.quiet.entity, by=town.quiet.representative
    )
    follow(town, commission, town.shared)
    update = services.post_progress_update(
        commission=commission,
        entity=town.member.entity,
        by=town.member.representative,
        text="Reservamos la plaza.",
    )
    notifications.deliver_pending_notifications()
    (item,) = town.inbox(town.shared.alternate, CommissionNotice.UPDATE_POSTED)
    assert item.link == f"{commission.get_absolute_url()}#update-{update.pk}"
    assert town.inbox(town.quiet.alternate, CommissionNotice.UPDATE_POSTED)
    assert not town.mailed(town.quiet.representative)
    assert town.inbox(town.member.alternate, CommissionNotice.UPDATE_POSTED)
    assert not town.inbox(town.member.representative, CommissionNotice.UPDATE_POSTED)
    assert not town.inbox(town.elsewhere.representative)
    message = town.mailed(town.shared.alternate)[-1]
    assert "Reservamos la plaza." in message.body


def test_an_entity_that_left_the_network_hears_nothing_of_what_it_followed(town):
    commission = propose(town)
    follow(town, commission, town.gone)
    leave(town.gone)
    services.post_progress_update(
        commission=commission,
        entity=town.member.entity,
        by=town.member.representative,
        text="Avance.",
    )
    assert not town.inbox(town.gone.representative, CommissionNotice.UPDATE_POSTED)


def test_following_is_not_joining_and_is_once(town):
    commission = propose(town)
    follow(town, commission, town.shared)
    with pytest.raises(DomainError):
        follow(town, commission, town.shared)
    with pytest.raises(DomainError):
        follow(town, commission, town.member)  # it sits there already
    assert not commission.members.filter(pk=town.shared.entity.pk).exists()


def test_an_entity_that_joins_a_commission_it_follows_follows_it_no_more(town):
    commission = propose(town)
    follow(town, commission, town.shared)

    services.join_commission(
        commission=commission, entity=town.shared.entity, by=town.shared.representative
    )

    with network_scope(town.network):
        (row,) = commission.followers.filter(entity=town.shared.entity)
    assert row.ended_at is not None
    # Having left, it may follow again.
    services.leave_commission(
        commission=commission, entity=town.shared.entity, by=town.shared.representative
    )
    follow(town, commission, town.shared)


def test_the_migration_ends_the_follows_of_entities_that_sit(town):
    commission = propose(town)
    follow(town, commission, town.shared)
    with network_scope(town.network):
        # Joined before joining ended a follow.
        factories.CommissionMemberFactory(commission=commission, entity=town.shared.entity)
        other = factories.CommissionFactory(network=town.network)
    follow(town, other, town.shared)

    end_follows = import_module(
        "commissions.migrations.0009_sitting_entities_follow_no_more"
    ).end_follows_of_sitting_entities
    end_follows(apps, schema_editor=None)

    with network_scope(town.network):
        assert commission.followers.get(entity=town.shared.entity).ended_at is not None
        assert other.followers.get(entity=town.shared.entity).ended_at is None


def unfollow(town, commission, membership):
    return services.unfollow_commission(
        commission=commission, entity=membership.entity, by=membership.representative
    )


def test_an_entity_that_stops_following_hears_no_more_and_keeps_the_dated_row(town):
    commission = propose(town)
    follow(town, commission, town.shared)

    stopped = unfollow(town, commission, town.shared)

    assert stopped.ended_at is not None
    services.post_progress_update(
        commission=commission,
        entity=town.member.entity,
        by=town.member.representative,
        text="Avance.",
    )
    assert not town.inbox(town.shared.alternate, CommissionNotice.UPDATE_POSTED)
    with network_scope(town.network):
        assert commission.followers.filter(entity=town.shared.entity).count() == 1
    # It may follow again later: a new row, the old one kept.
    follow(town, commission, town.shared)
    with network_scope(town.network):
        assert commission.followers.filter(entity=town.shared.entity).count() == 2


def test_only_whoever_acts_for_a_following_entity_stops_its_following(town, english):
    commission = propose(town)
    with pytest.raises(DomainError, match="does not follow"):
        unfollow(town, commission, town.shared)
    follow(town, commission, town.shared)
    with pytest.raises(DomainError):
        services.unfollow_commission(
            commission=commission, entity=town.shared.entity, by=town.quiet.representative
        )
    with pytest.raises(DomainError):
        services.unfollow_commission(
            commission=commission, entity=town.shared.entity, by=town.facilitator
        )
    with network_scope(town.network):
        assert commission.followers.get(entity=town.shared.entity).ended_at is None


def test_the_commission_page_offers_to_stop_following_and_does_it(town, client):
    commission = propose(town)
    follow(town, commission, town.shared)
    client.force_login(town.shared.representative)
    url = commission.get_absolute_url()

    page = client.get(url).content.decode()
    assert f"{url}dejar-de-seguir/" in page
    response = client.post(f"{url}dejar-de-seguir/", {"entity": town.shared.entity.pk})

    assert response.status_code == 302
    with network_scope(town.network):
        assert commission.followers.get(entity=town.shared.entity).ended_at is not None
    page = client.get(url).content.decode()
    assert f"{url}dejar-de-seguir/" not in page
    assert f"{url}seguir/" in page
    # Nothing left to stop: the page says so and changes nothing.
    response = client.post(f"{url}dejar-de-seguir/", {"entity": town.shared.entity.pk})
    assert response.status_code in (200, 400)


def test_a_commission_closed_by_its_promoters_tells_its_members_the_reason(town):
    commission = propose(town)
    services.join_commission(
        commission=commission, entity=town.shared.entity, by=town.shared.representative
    )
    services.close_as_completed(
        commission=commission,
        entity=town.member.entity,
        by=town.member.representative,
        note="La feria se hizo.",
    )
    notifications.deliver_pending_notifications()
    (_item,) = town.inbox(town.shared.representative, CommissionNotice.COMPLETED)
    assert "La feria se hizo." in town.mailed(town.shared.representative)[-1].body
    assert not town.inbox(town.quiet.representative, CommissionNotice.COMPLETED)
    assert not town.inbox(town.elsewhere.representative)


def test_a_commission_closed_by_the_sweep_tells_its_members_why(town):
    with network_scope(town.network):
        commission = factories.CommissionFactory(
            network=town.network,
            state=CommissionState.VACANT,
            vacant_since=timezone.now() - timedelta(days=400),
        )
        for membership in (town.member, town.quiet):
            factories.CommissionMemberFactory(commission=commission, entity=membership.entity)
    sweep_commissions()
    notifications.deliver_pending_notifications()
    (item,) = town.inbox(town.member.alternate, CommissionNotice.CLOSED)
    assert "no entity stepped up" in item_text(item) or "ninguna" in item_text(item).lower()
    assert town.inbox(town.quiet.representative, CommissionNotice.CLOSED)
    assert not town.mailed(town.quiet.representative)
    assert not town.inbox(town.shared.representative, CommissionNotice.CLOSED)
    assert not town.inbox(town.elsewhere.representative)


def item_text(item):
    return notifications.subject_and_body(item)[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two sessions at once need PostgreSQL (CI runs them)",
)
def test_a_progress_update_is_mailed_once_with_two_workers(town):
    commission = propose(town)
    follow(town, commission, town.shared)
    services.post_progress_update(
        commission=commission,
        entity=town.member.entity,
        by=town.member.representative,
        text="Avance.",
    )
    mail.outbox.clear()
    deliver_with_two_workers()
    assert town.outbox_rows(town.shared.alternate) == 1
