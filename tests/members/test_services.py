from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from core.actors import SYSTEM
from core.errors import DomainError
from members.models import Membership, MembershipStatus
from members.services import change_membership_status, set_representatives
from networks.models import HistoryEntry
from networks.scoping import all_networks
from tests import factories

APPLIED = MembershipStatus.APPLIED
ACTIVE = MembershipStatus.ACTIVE
SUSPENDED = MembershipStatus.SUSPENDED
LEFT = MembershipStatus.LEFT
REJECTED = MembershipStatus.REJECTED

# The lifecycle, written out here rather than read from the code under test.
ALLOWED = {
    (APPLIED, ACTIVE),
    (APPLIED, REJECTED),
    (ACTIVE, SUSPENDED),
    (ACTIVE, LEFT),
    (SUSPENDED, ACTIVE),
    (SUSPENDED, LEFT),
    (LEFT, APPLIED),
    (LEFT, ACTIVE),
    (REJECTED, APPLIED),
}
ALL_PAIRS = [(before, after) for before in MembershipStatus for after in MembershipStatus]
REFUSED = [pair for pair in ALL_PAIRS if pair not in ALLOWED]
NEEDS_REASON = {SUSPENDED, REJECTED, LEFT}

FIRST_DAY = datetime(2024, 3, 1, 15, 0, tzinfo=UTC)
LATER = datetime(2024, 9, 20, 15, 0, tzinfo=UTC)


def pair_id(pair):
    return f"{pair[0]}-to-{pair[1]}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are checked by their English source text; their Spanish is the translations' test.
    with translation.override("en"):
        yield


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def membership_in(network, status, **fields):
    with all_networks():
        return factories.MembershipFactory(network=network, status=status, **fields)


def history_of(membership):
    with all_networks():
        return list(
            HistoryEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Membership),
                object_id=membership.pk,
            ).order_by("at", "id")
        )


def fresh(membership):
    with all_networks():
        return Membership.objects.get(pk=membership.pk)


@pytest.mark.parametrize("pair", sorted(ALLOWED), ids=pair_id)
def test_an_allowed_transition_changes_the_status_and_records_it(network, facilitator, pair):
    before, after = pair
    membership = membership_in(network, before)

    change_membership_status(
        membership=membership, status=after, by=facilitator, reason="Acordado en plenaria"
    )

    assert membership.status == after
    assert fresh(membership).status == after
    [entry] = history_of(membership)
    assert entry.actor == facilitator
    assert entry.action == "membership.status"
    assert entry.changes == {"status": [before, after]}
    assert entry.reason == "Acordado en plenaria"
    assert entry.network_id == network.pk


@pytest.mark.parametrize("pair", REFUSED, ids=pair_id)
def test_a_refused_transition_changes_nothing(network, facilitator, pair):
    before, after = pair
    membership = membership_in(network, before, status_reason="estado anterior")

    with pytest.raises(DomainError) as refusal:
        change_membership_status(membership=membership, status=after, by=facilitator, reason="x")

    assert str(refusal.value) == (
        f"A membership that is {MembershipStatus(before).label} cannot become "
        f"{MembershipStatus(after).label}."
    )
    unchanged = fresh(membership)
    assert (unchanged.status, unchanged.status_reason) == (before, "estado anterior")
    assert history_of(membership) == []


@pytest.mark.parametrize("reason", ["", "   \n"], ids=["empty", "blank"])
@pytest.mark.parametrize(
    "pair", sorted(pair for pair in ALLOWED if pair[1] in NEEDS_REASON), ids=pair_id
)
def test_suspending_rejecting_and_leaving_need_a_reason(network, facilitator, pair, reason):
    before, after = pair
    membership = membership_in(network, before)

    with pytest.raises(DomainError, match="Please give a reason"):
        change_membership_status(membership=membership, status=after, by=facilitator, reason=reason)

    assert fresh(membership).status == before
    assert history_of(membership) == []


@pytest.mark.parametrize(
    "pair", sorted(pair for pair in ALLOWED if pair[1] not in NEEDS_REASON), ids=pair_id
)
def test_approving_and_returning_need_no_reason(network, facilitator, pair):
    before, after = pair
    membership = membership_in(network, before)

    change_membership_status(membership=membership, status=after, by=facilitator)

    assert fresh(membership).status == after


def test_an_unknown_status_is_refused_with_a_clear_message(network, facilitator):
    membership = membership_in(network, ACTIVE)

    with pytest.raises(DomainError, match="not a membership status"):
        change_membership_status(membership=membership, status="expelled", by=facilitator)

    assert fresh(membership).status == ACTIVE


def test_the_reason_is_kept_without_surrounding_blanks(network, facilitator):
    membership = membership_in(network, ACTIVE)

    change_membership_status(
        membership=membership, status=SUSPENDED, by=facilitator, reason="  Sin representante \n"
    )

    assert fresh(membership).status_reason == "Sin representante"
    assert history_of(membership)[0].reason == "Sin representante"


def test_approval_dates_the_joining_and_a_suspension_keeps_it(network, facilitator):
    membership = membership_in(network, APPLIED, joined_at=None)

    with time_machine.travel(FIRST_DAY, tick=False):
        change_membership_status(membership=membership, status=ACTIVE, by=facilitator)
    with time_machine.travel(LATER, tick=False):
        change_membership_status(
            membership=membership, status=SUSPENDED, by=facilitator, reason="Inactiva"
        )
        change_membership_status(membership=membership, status=ACTIVE, by=facilitator)

    membership = fresh(membership)
    assert membership.joined_at == FIRST_DAY
    assert membership.status_changed_at == LATER
    assert membership.left_at is None


def test_leaving_dates_the_departure(network, facilitator):
    with time_machine.travel(FIRST_DAY, tick=False):
        membership = membership_in(network, APPLIED, joined_at=None)
        change_membership_status(membership=membership, status=ACTIVE, by=facilitator)
    with time_machine.travel(LATER, tick=False):
        change_membership_status(
            membership=membership, status=LEFT, by=facilitator, reason="Cerró sus actividades"
        )

    membership = fresh(membership)
    assert (membership.joined_at, membership.left_at) == (FIRST_DAY, LATER)
    assert membership.status_reason == "Cerró sus actividades"


def test_coming_back_after_leaving_starts_a_new_stint(network, facilitator):
    with time_machine.travel(FIRST_DAY, tick=False):
        membership = membership_in(network, ACTIVE, joined_at=FIRST_DAY)
        change_membership_status(membership=membership, status=LEFT, by=facilitator, reason="Pausa")
    back = datetime(2025, 1, 10, 15, 0, tzinfo=UTC)
    with time_machine.travel(back, tick=False):
        change_membership_status(membership=membership, status=APPLIED, by=facilitator)
        applied = fresh(membership)
        change_membership_status(membership=membership, status=ACTIVE, by=facilitator)

    membership = fresh(membership)
    assert (applied.applied_at, applied.joined_at, applied.left_at) == (back, None, None)
    assert (membership.joined_at, membership.left_at) == (back, None)
    assert [entry.changes["status"] for entry in history_of(membership)] == [
        [ACTIVE, LEFT],
        [LEFT, APPLIED],
        [APPLIED, ACTIVE],
    ]


def test_a_status_change_of_one_network_leaves_the_others_alone(
    network, other_network, facilitator
):
    entity = factories.EntityFactory()
    here = membership_in(network, ACTIVE, entity=entity)
    there = membership_in(other_network, ACTIVE, entity=entity)

    change_membership_status(membership=here, status=LEFT, by=facilitator, reason="Se muda")

    assert fresh(there).status == ACTIVE
    assert history_of(there) == []


# set_representatives: the entity's own people rearrange the posts they hold


@pytest.fixture
def people(db):
    return factories.UserFactory(), factories.UserFactory(), factories.UserFactory()


def test_naming_the_same_person_twice_is_refused_and_changes_nothing(network, people):
    first, second, _third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    with pytest.raises(DomainError, match="alternate must be a different person"):
        set_representatives(membership=membership, representative=first, alternate=first, by=first)

    unchanged = fresh(membership)
    assert (unchanged.representative, unchanged.alternate) == (first, second)
    assert history_of(membership) == []


def test_an_entity_needs_a_representative(network, people):
    first, second, _third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    with pytest.raises(DomainError, match="needs a representative"):
        set_representatives(membership=membership, representative=None, by=first)

    assert fresh(membership).representative == first


def test_the_system_places_people_and_only_the_role_that_changed_is_recorded(network, people):
    first, second, third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    set_representatives(membership=membership, representative=first, alternate=third, by=SYSTEM)

    assert fresh(membership).alternate == third
    [entry] = history_of(membership)
    assert entry.action == "membership.representatives"
    assert entry.actor is None
    assert entry.changes == {"alternate": [second.pk, third.pk]}


def test_a_person_is_never_given_a_post_directly_not_even_by_the_representative(network, people):
    first, second, third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    with pytest.raises(DomainError, match="Nobody is given a post without accepting it"):
        set_representatives(membership=membership, representative=first, alternate=third, by=first)

    assert fresh(membership).alternate == second
    assert history_of(membership) == []


def test_naming_the_same_people_again_records_nothing(network, people):
    first, second, _third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    set_representatives(membership=membership, representative=first, alternate=second, by=first)

    assert history_of(membership) == []


def test_swapping_representative_and_alternate_is_one_recorded_change(network, people):
    first, second, _third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    set_representatives(membership=membership, representative=second, alternate=first, by=second)

    membership = fresh(membership)
    assert (membership.representative, membership.alternate) == (second, first)
    [entry] = history_of(membership)
    assert entry.actor == second
    assert entry.changes == {
        "representative": [first.pk, second.pk],
        "alternate": [second.pk, first.pk],
    }


def test_the_alternate_can_be_removed(network, people):
    first, second, _third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    set_representatives(membership=membership, representative=first, by=first)

    assert fresh(membership).alternate is None
    assert history_of(membership)[0].changes == {"alternate": [second.pk, None]}


def test_someone_outside_the_entity_cannot_rearrange_its_posts(network, people):
    first, second, third = people
    membership = membership_in(network, ACTIVE, representative=first, alternate=second)

    with pytest.raises(DomainError, match="Only the entity's representative or alternate"):
        set_representatives(membership=membership, representative=second, alternate=first, by=third)

    assert fresh(membership).representative == first
