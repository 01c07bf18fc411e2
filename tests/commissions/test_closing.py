"""Closing a commission as completed is its promoters' act; the facilitator may undo a mistake.

Everyone sitting in the commission, and the facilitator, is told with the
closing note. Within 30 days of the closing (in the network's calendar) the
facilitator can reopen it, with a reason, recorded as a state change and in
the network's history.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from commissions import lifecycle, services
from commissions.models import Commission, CommissionState, PromoterTerm, StateChange
from core.errors import DomainError
from facilitation.activity import history_items
from members.models import Membership, MembershipStatus, Notification
from members.notifications import subject_and_body
from networks.models import HistoryEntry
from networks.scoping import all_networks
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIMA = ZoneInfo("America/Lima")
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in Lima, on 2 March
DAY = timedelta(days=1)


def at(moment):
    return time_machine.travel(moment, tick=False)


def proposed(cast, *, name="Medio Ambiente", members=(1,)):
    """Promoted by entity 0, with the other entities given sitting in it."""
    promoter = cast.entities[0]
    with at(START - DAY):
        commission = services.propose_commission(
            network=cast.network, entity=promoter, name=name, by=cast.rep(promoter)
        )
        for index in members:
            entity = cast.entities[index]
            services.join_commission(commission=commission, entity=entity, by=cast.rep(entity))
    return commission


def close(cast, commission, entity=None, note="Objetivos cumplidos", moment=START):
    entity = entity or cast.entities[0]
    with at(moment):
        return services.close_as_completed(
            commission=commission, entity=entity, note=note, by=cast.rep(entity)
        )


def reopen(cast, commission, moment, reason="Se cerró por error", by=None):
    with at(moment):
        return services.reopen_commission(
            commission=commission, reason=reason, by=by or cast.facilitator
        )


def recipients(kind):
    with all_networks():
        return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def people(cast, *entities):
    return {user.pk for entity in entities for user in cast.people_of(entity)}


def last_change(commission):
    with all_networks():
        change = StateChange.objects.filter(commission=commission).order_by("at", "id").last()
    return change.from_state, change.to_state, change.reason, change.note, change.actor


# Closing


def test_a_member_who_is_not_a_promoter_cannot_close_the_commission(cast, client):
    commission = proposed(cast)
    member = cast.entities[1]

    with pytest.raises(DomainError, match="Only the commission's promoters may close it"):
        close(cast, commission, entity=member)
    client.force_login(cast.rep(member))
    page = client.post(
        reverse("commissions:close", args=[cast.network.slug, commission.pk]),
        {"entity": member.pk, "note": "Listo", "confirm": "on"},
    )
    api = client.post(
        f"/api/v1/networks/{cast.network.slug}/commissions/{commission.pk}/close/",
        {"entity": member.slug, "note": "Listo", "confirm": True},
        content_type="application/json",
    )

    assert (page.status_code, api.status_code) == (403, 403)
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    assert recipients("commission.completed") == set()


def test_closing_tells_the_people_of_every_sitting_entity_and_the_facilitators_with_the_note(
    cast, other_network
):
    promoter, member, suspended, gone = cast.entities
    commission = proposed(cast, members=(1, 2, 3))
    services.leave_commission(commission=commission, entity=gone, by=cast.rep(gone))
    with all_networks():
        Membership.objects.filter(network=cast.network, entity=suspended).update(
            status=MembershipStatus.SUSPENDED
        )
    # The same member entity in another network, with other people: they hear nothing.
    elsewhere = factories.MembershipFactory(network=other_network, entity=member)

    close(cast, commission, note="Hicimos la feria ambiental")

    told = recipients("commission.completed")
    closer = cast.rep(promoter)
    assert told == (people(cast, promoter, member) | {cast.facilitator.pk}) - {closer.pk}
    assert not told & {elsewhere.representative_id, elsewhere.alternate_id}
    with all_networks():
        notification = Notification.objects.filter(kind="commission.completed").first()
    assert notification.network_id == cast.network.pk
    assert notification.context["note"] == "Hicimos la feria ambiental"
    subject, body = subject_and_body(notification)
    assert "Medio Ambiente" in subject
    # The date as the reader writes dates, not "2026-04-01".
    assert "Hicimos la feria ambiental" in body and "April 1, 2026" in body


def test_a_closing_without_a_note_is_refused_and_changes_nothing(cast):
    commission = proposed(cast)

    with pytest.raises(DomainError, match="Say what the commission achieved"):
        close(cast, commission, note=" \n ")

    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE


# Reopening


@pytest.mark.parametrize(
    ("moment", "reopened"),
    [
        (datetime(2026, 4, 1, 23, 30, tzinfo=LIMA), True),  # day 30, late in Lima (UTC: 2 April)
        (datetime(2026, 4, 2, 0, 30, tzinfo=LIMA), False),  # day 31, early in Lima
    ],
    ids=["day-30", "day-31"],
)
def test_the_facilitator_reopens_within_thirty_days_of_the_closing(cast, moment, reopened):
    commission = close(cast, proposed(cast))
    assert commission.closed_on.isoformat() == "2026-03-02"

    if reopened:
        reopen(cast, commission, moment)
    else:
        with pytest.raises(DomainError, match="only within 30 days"):
            reopen(cast, commission, moment)

    commission.refresh_from_db()
    assert (commission.state != CommissionState.CLOSED) is reopened


def test_reopening_restores_the_promoters_the_closing_ended_and_records_why(cast):
    promoter, member = cast.entities[:2]
    commission = proposed(cast)
    with at(START - DAY):
        services.step_up_as_promoter(commission=commission, entity=member, by=cast.rep(member))
    close(cast, commission)
    moment = START + 3 * DAY

    reopen(cast, commission, moment, reason="La cerraron por error")

    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    assert (commission.closed_on, commission.closed_reason) == (None, "")
    assert commission.last_activity_at == moment
    assert commission.stalls_on == timezone.localdate(moment, cast.network.zone) + timedelta(
        days=cast.network.stall_after_days
    )
    with all_networks():
        open_terms = PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)
        assert {term.entity_id for term in open_terms} == {promoter.pk, member.pk}
        assert {term.started_at for term in open_terms} == {moment}
        assert PromoterTerm.objects.filter(commission=commission).count() == 4
    assert last_change(commission) == (
        "closed",
        "active",
        "reopened",
        "La cerraron por error",
        cast.facilitator,
    )
    with all_networks():
        entry = HistoryEntry.objects.get(
            action="commission.reopened",
            content_type=ContentType.objects.get_for_model(Commission),
            object_id=commission.pk,
        )
        (item,) = history_items(network=cast.network, entries=[entry])
    assert (entry.actor, entry.reason, entry.network_id) == (
        cast.facilitator,
        "La cerraron por error",
        cast.network.pk,
    )
    assert "Medio Ambiente" in item.text and "2026-03-02" in item.text
    assert recipients("commission.reopened") == people(cast, promoter, member)


def test_a_commission_closed_by_the_sweep_reopens_vacant_with_a_fresh_grace_period(cast):
    promoter, member = cast.entities[:2]
    commission = proposed(cast)
    with all_networks():
        term = PromoterTerm.objects.select_related("entity").get(commission=commission)
    with at(START):
        services.step_down_as_promoter(term=term, reason="Nos vamos", by=cast.rep(promoter))
    closed_at = START + 31 * DAY
    lifecycle.sweep_commissions(now=closed_at)
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED
    moment = closed_at + 10 * DAY

    reopen(cast, commission, moment)

    commission.refresh_from_db()
    assert commission.state == CommissionState.VACANT
    assert commission.vacant_since == moment
    assert commission.closes_on == timezone.localdate(moment, cast.network.zone) + timedelta(
        days=cast.network.vacancy_grace_days
    )
    assert last_change(commission)[:3] == ("closed", "vacant", "reopened")
    with all_networks():
        assert not PromoterTerm.objects.filter(ended_at__isnull=True).exists()
    assert cast.facilitator.pk in recipients("commission.vacant")
    assert people(cast, promoter, member) <= recipients("commission.call_for_promoters")


@pytest.mark.parametrize("persona", ["promoter", "member"])
def test_only_the_facilitator_reopens_a_commission(cast, client, persona):
    commission = close(cast, proposed(cast))
    person = cast.rep(cast.entities[0] if persona == "promoter" else cast.entities[1])

    with pytest.raises(DomainError, match="Only the network's facilitator may reopen"):
        reopen(cast, commission, START + DAY, by=person)
    client.force_login(person)
    with at(START + DAY):
        page = client.post(
            reverse("commissions:reopen", args=[cast.network.slug, commission.pk]),
            {"reason": "Error"},
        )
        api = client.post(
            f"/api/v1/networks/{cast.network.slug}/commissions/{commission.pk}/reopen/",
            {"reason": "Error"},
            content_type="application/json",
        )

    assert (page.status_code, api.status_code) == (403, 403)
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED


def test_reopening_needs_a_reason_and_an_open_commission_has_nothing_to_reopen(cast):
    commission = proposed(cast)
    with pytest.raises(DomainError, match="nothing to reopen"):
        reopen(cast, commission, START)
    close(cast, commission)
    with pytest.raises(DomainError, match="Say why"):
        reopen(cast, commission, START + DAY, reason="  ")
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED


def test_the_facilitator_reopens_through_the_page(cast, client):
    commission = close(cast, proposed(cast))
    url = reverse("commissions:reopen", args=[cast.network.slug, commission.pk])
    detail = reverse("commissions:detail", args=[cast.network.slug, commission.pk])
    client.force_login(cast.facilitator)

    with at(START + DAY):
        page = client.get(detail)
        form = client.get(url)
        empty = client.post(url, {"reason": ""})
        done = client.post(url, {"reason": "Se cerró por error"})

    assert url in page.text
    assert form.status_code == 200 and 'name="reason"' in form.text
    assert empty.status_code == 400
    assert done.status_code == 302
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    with at(START + 40 * DAY):
        late = client.get(url)
    assert late.status_code == 200 and 'name="reason"' not in late.text


def test_the_facilitator_reopens_through_the_api(cast, client):
    commission = close(cast, proposed(cast))
    url = f"/api/v1/networks/{cast.network.slug}/commissions/{commission.pk}/reopen/"
    client.force_login(cast.facilitator)

    with at(START + DAY):
        before = client.get(url).json()
        without_reason = client.post(url, {}, content_type="application/json")
        done = client.post(url, {"reason": "Se cerró por error"}, content_type="application/json")
        after = client.get(url).json()

    assert before == {"reopenable": True, "reopen_until": "2026-04-01"}
    assert without_reason.status_code == 400
    assert done.status_code == 200
    assert done.json()["commission"]["state"] == "active"
    assert after == {"reopenable": False, "reopen_until": None}
