"""Who may convene what, decided in `create_event` and `update_event`; the form offers no more.

The network's own events (plenary, founding meeting, congress, induction
workshop) are convened by its facilitator or by its regional interlocutor,
through the interlocutor entity; a commission's meetings, and any event linked
to a commission, by its promoters; every other event by member entities, as
organisers. A facilitator never convenes as an entity (4.2 a).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.actors import SYSTEM
from core.errors import DomainError
from events import services
from events.models import KINDS_CONVENED_BY_THE_NETWORK, Event, EventKind, Visibility
from members.services import assign_interlocutor
from networks.scoping import all_networks
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MEMBER_KINDS = {
    EventKind.TRAINING,
    EventKind.VOLUNTEER_DAY,
    EventKind.YOUTH_SERVICE_DAY,
    EventKind.OTHER,
}


def fields(**overrides):
    start = timezone.now() + timedelta(days=10)
    values = {
        "kind": EventKind.TRAINING,
        "title": "Encuentro",
        "format": "in_person",
        "place": "Auditorio",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "visibility": Visibility.PUBLIC,
    }
    values.update(overrides)
    return values


def create(cast, by, organisers=(), **overrides):
    return services.create_event(
        network=cast.network, by=by, organisers=list(organisers), **fields(**overrides)
    )


def count_events():
    with all_networks():
        return Event.objects.count()


@pytest.fixture
def interlocutor(cast):
    """Entity 2 is the network's regional interlocutor."""
    entity = cast.entities[2]
    assign_interlocutor(network=cast.network, entity=entity, by=SYSTEM)
    return entity


@pytest.fixture
def commission(cast):
    """A commission promoted by entity 1, where entity 0 sits."""
    commission = factories.CommissionFactory(network=cast.network)
    factories.PromoterTermFactory(commission=commission, entity=cast.entities[1])
    factories.CommissionMemberFactory(commission=commission, entity=cast.entities[0])
    return commission


@pytest.mark.parametrize("kind", sorted(KINDS_CONVENED_BY_THE_NETWORK))
def test_the_networks_own_events_are_convened_by_the_facilitator(cast, kind):
    event = create(cast, cast.facilitator, kind=kind)
    assert event.kind == kind


@pytest.mark.parametrize("kind", sorted(KINDS_CONVENED_BY_THE_NETWORK))
def test_a_member_that_is_not_the_interlocutor_cannot_convene_the_networks_own_events(
    cast, interlocutor, kind
):
    entity = cast.entities[0]
    with pytest.raises(DomainError, match="convened by its facilitator or its regional"):
        create(cast, cast.representative_of(entity), organisers=[entity], kind=kind)
    assert count_events() == 0


def test_the_interlocutor_convenes_a_plenary_through_its_entity(cast, interlocutor):
    person = cast.representative_of(interlocutor)

    with pytest.raises(DomainError, match="name the interlocutor entity among the organisers"):
        create(cast, person, kind=EventKind.PLENARY)
    event = create(cast, person, organisers=[interlocutor], kind=EventKind.PLENARY)

    assert event.kind == EventKind.PLENARY
    assert count_events() == 1


def test_a_commission_meeting_is_called_by_its_promoters_only(cast, commission):
    promoter, member = cast.entities[1], cast.entities[0]

    for person, organisers in (
        (cast.representative_of(member), [member]),
        (cast.facilitator, [promoter]),
    ):
        with pytest.raises(DomainError, match="Only the commission's promoters"):
            create(
                cast,
                person,
                organisers=organisers,
                kind=EventKind.COMMISSION_MEETING,
                commission=commission,
            )
    with pytest.raises(DomainError, match="Say which commission meets"):
        create(
            cast,
            cast.representative_of(promoter),
            organisers=[promoter],
            kind=EventKind.COMMISSION_MEETING,
        )
    event = create(
        cast,
        cast.representative_of(promoter),
        organisers=[promoter],
        kind=EventKind.COMMISSION_MEETING,
        commission=commission,
    )

    assert event.commission == commission
    assert count_events() == 1


def test_a_promoter_must_name_its_own_promoter_entity_among_the_organisers(cast, commission):
    promoter, member = cast.entities[1], cast.entities[0]
    with pytest.raises(DomainError, match="promoter entity of the commission that you act for"):
        create(
            cast,
            cast.representative_of(promoter),
            organisers=[member],
            kind=EventKind.COMMISSION_MEETING,
            commission=commission,
        )
    assert count_events() == 0


def test_other_events_are_organised_by_member_entities_the_person_acts_for(cast):
    mine, theirs = cast.entities[0], cast.entities[1]
    person = cast.representative_of(mine)

    with pytest.raises(DomainError, match="Name among the organisers an entity you act for"):
        create(cast, person, organisers=[theirs])
    # Neither the facilitator nor anyone else acting for no member entity (a facilitator
    # recorded as an alternate is refused as neutral: tests/commissions/test_neutrality.py).
    for outsider in (cast.facilitator, factories.UserFactory()):
        with pytest.raises(DomainError, match="organised by member entities"):
            create(cast, outsider, organisers=[mine])
    event = create(cast, person, organisers=[mine, theirs], kind=EventKind.VOLUNTEER_DAY)

    assert event.kind == EventKind.VOLUNTEER_DAY
    assert count_events() == 1


def test_changing_the_kind_or_the_commission_is_checked_like_creating(cast, commission):
    organiser = cast.entities[0]
    person = cast.representative_of(organiser)
    event = create(cast, person, organisers=[organiser])

    with pytest.raises(DomainError, match="convened by its facilitator or its regional"):
        services.update_event(event=event, by=person, kind=EventKind.PLENARY)
    with pytest.raises(DomainError, match="Only the commission's promoters"):
        services.update_event(event=event, by=person, commission=commission)
    services.update_event(event=event, by=person, title="Encuentro de otoño")
    # The facilitator, who manages every event, may make it the network's own.
    services.update_event(event=event, by=cast.facilitator, kind=EventKind.CONGRESS)

    event.refresh_from_db()
    assert (event.kind, event.commission, event.title) == (
        EventKind.CONGRESS,
        None,
        "Encuentro de otoño",
    )


MANAGING = {
    "update_event": lambda event, by: services.update_event(event=event, by=by, title="Otro"),
    "cancel_event": lambda event, by: services.cancel_event(event=event, by=by),
    "announce_event": lambda event, by: services.announce_event(event=event, by=by),
    "add_agenda_item": lambda event, by: services.add_agenda_item(
        event=event, by=by, title="Punto", proposer=event.organisers.get(), proposal="X"
    ),
    "record_attendance": lambda event, by: services.record_attendance(
        event=event, attended={}, by=by
    ),
    "save_minutes": lambda event, by: services.save_minutes(event=event, summary="Acta", by=by),
    "publish_minutes": lambda event, by: services.publish_minutes(event=event, by=by),
}


@pytest.mark.parametrize("name", sorted(MANAGING))
def test_only_its_organisers_and_the_facilitator_manage_an_event(cast, name):
    organiser = cast.entities[0]
    after_it = name in {"record_attendance", "save_minutes", "publish_minutes"}
    start = timezone.now() + (-timedelta(hours=3) if after_it else timedelta(days=3))
    event = create(
        cast,
        cast.representative_of(organiser),
        organisers=[organiser],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    if name == "publish_minutes":
        services.save_minutes(event=event, summary="Acta", by=cast.facilitator)
    other = cast.representative_of(cast.entities[1])

    with all_networks(), pytest.raises(DomainError, match="Only the event's organisers"):
        MANAGING[name](event, other)
    with all_networks():
        MANAGING[name](event, cast.representative_of(organiser))


# The form offers only what the person may create.


def kind_choices(client, cast, person):
    client.force_login(person)
    response = client.get(reverse("events:create", args=[cast.network.slug]))
    form = response.context["form"]
    return (
        {value for value, _label in form.fields["kind"].choices},
        set(form.fields["commission"].queryset),
    )


def test_the_form_offers_each_person_the_kinds_and_commissions_they_may_convene(
    client, cast, interlocutor, commission
):
    member = kind_choices(client, cast, cast.representative_of(cast.entities[0]))
    promoter = kind_choices(client, cast, cast.representative_of(cast.entities[1]))
    speaker = kind_choices(client, cast, cast.representative_of(interlocutor))
    facilitator = kind_choices(client, cast, cast.facilitator)

    assert member == (MEMBER_KINDS, set())
    assert promoter == (MEMBER_KINDS | {EventKind.COMMISSION_MEETING}, {commission})
    assert speaker == (MEMBER_KINDS | KINDS_CONVENED_BY_THE_NETWORK, set())
    assert facilitator == (KINDS_CONVENED_BY_THE_NETWORK, set())


def test_a_member_posting_a_plenary_gets_a_form_error_and_nothing_is_created(client, cast):
    entity = cast.entities[0]
    client.force_login(cast.representative_of(entity))
    start = timezone.localtime(timezone.now() + timedelta(days=14), cast.network.zone)

    response = client.post(
        reverse("events:create", args=[cast.network.slug]),
        {
            "kind": "plenary",
            "title": "Plenaria",
            "format": "in_person",
            "place": "Auditorio",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "visibility": "members",
            "organisers": [entity.pk],
            "reminder_days": "7",
        },
    )

    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert count_events() == 0
