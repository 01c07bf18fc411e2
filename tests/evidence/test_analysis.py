"""The analysis of a hand-made network of twelve entities, against values worked out by hand.

The network, over the twelve months to 30 June 2026 (platforms in brackets):

    commission K1 (from Aug 2025): E1 [U], E2 [U], E3 [P]    -> 1-2, 1-3, 2-3
    commission K2: E3 from Aug 2025; E4 Sep-Oct 2025; E5 from Nov 2025
                                                              -> 3-4, 3-5 (E4 and E5 never overlap)
    event organised by E4 [C] and E6 [P] in March 2026        -> 4-6
    E6 declares it worked with E7 [C] (confirmed)             -> 6-7
    E8 [Y] declares that E7 helped it                         -> 7-8
    E10 [C] declares it worked with E11 [C]                   -> 10-11
    left out: a cancelled event of E7 and E8, an event of E7 and E9 in 2024, E9's
    declaration of 2024, a commission seat of an entity that only applied, and one of
    an entity that left in 2024.

Nine ties among twelve entities: density 9/66, mean degree 18/12. E9 and E12 have
none; E12 joined in May 2026. The component of E1..E8 is a triangle (1, 2, 3) with
3-5 and the path 3-4-6-7-8 hanging from E3, so the pairs whose only shortest path
crosses an entity are: E3: {1,2}x{4,5,6,7,8} and 5x{4,6,7,8} = 14; E4: {1,2,3,5}x{6,7,8}
= 12; E6: {1,2,3,4,5}x{7,8} = 10; E7: {1..6}x{8} = 6; everybody else 0. E3 reaches
three other platforms (U, C, Y) and E7 two (P, Y): the two bridges. Seven of the nine
ties cross platforms (not 1-2, not 10-11).
"""

from datetime import UTC, date, datetime

import pytest
import time_machine

from commissions.models import CommissionMember
from events.models import EventOrganiser, EventStatus
from evidence.models import AnalysisSnapshot, Collaboration, CollaborationKind, SnapshotState
from evidence.tasks import analyse_network
from members.models import MembershipStatus
from networks.scoping import all_networks, network_scope
from platforms.models import Sector
from tests import factories
from tests.events.factories import EventFactory

TODAY = datetime(2026, 6, 30, 15, 0, tzinfo=UTC)
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)
PLATFORMS = {1: "U", 2: "U", 3: "P", 4: "C", 5: "Y", 6: "P", 7: "C", 8: "Y", 9: "C", 10: "C"}
PLATFORMS |= {11: "C", 12: "Y"}
SECTORS = {
    "U": Sector.UNIVERSITY,
    "P": Sector.PUBLIC,
    "C": Sector.CIVIL_SOCIETY,
    "Y": Sector.YOUTH,
}


def _sit(commission, entity, joined_on, left_on=None):
    CommissionMember.objects.create(
        network=commission.network,
        commission=commission,
        entity=entity,
        joined_on=joined_on,
        left_on=left_on,
    )


def _organise(network, entities, starts_at, **fields):
    event = EventFactory(network=network, starts_at=starts_at, **fields)
    for entity in entities:
        EventOrganiser.objects.create(network=network, event=event, entity=entity)


def _declare(network, source, target, kind, happened_on, *, confirmed=False):
    Collaboration.objects.create(
        network=network,
        from_entity=source,
        to_entity=target,
        kind=kind,
        what="Campaña conjunta",
        happened_on=happened_on,
        confirmed_at=TODAY if confirmed else None,
    )


def build_twelve(network):
    entities = {}
    for number in range(1, 13):
        entity = factories.EntityFactory(name=f"E{number:02d}")
        factories.MembershipFactory(
            network=network,
            entity=entity,
            platform=factories.platform_of(network, SECTORS[PLATFORMS[number]]),
            joined_at=datetime(2026, 5, 1, tzinfo=UTC) if number == 12 else LONG_AGO,
        )
        entities[number] = entity
    applicant = factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    gone = factories.MembershipFactory(
        network=network,
        status=MembershipStatus.LEFT,
        joined_at=LONG_AGO,
        left_at=datetime(2024, 6, 1, tzinfo=UTC),
    )
    e = entities
    k1 = factories.CommissionFactory(network=network, name="K1")
    for number in (1, 2, 3):
        _sit(k1, e[number], date(2025, 8, 1))
    _sit(k1, applicant.entity, date(2025, 8, 1))
    _sit(k1, gone.entity, date(2024, 1, 1), date(2024, 5, 1))
    k2 = factories.CommissionFactory(network=network, name="K2")
    _sit(k2, e[3], date(2025, 8, 1))
    _sit(k2, e[4], date(2025, 9, 1), date(2025, 10, 1))
    _sit(k2, e[5], date(2025, 11, 1))
    _organise(network, [e[4], e[6]], datetime(2026, 3, 10, 15, tzinfo=UTC))
    _organise(
        network,
        [e[7], e[8]],
        datetime(2026, 4, 10, 15, tzinfo=UTC),
        status=EventStatus.CANCELLED,
    )
    _organise(network, [e[7], e[9]], datetime(2024, 4, 10, 15, tzinfo=UTC))
    _declare(network, e[6], e[7], CollaborationKind.CONTACT, date(2026, 1, 5), confirmed=True)
    _declare(network, e[8], e[7], CollaborationKind.HELP, date(2026, 2, 5))
    _declare(network, e[10], e[11], CollaborationKind.CONTACT, date(2026, 2, 5))
    _declare(network, e[9], e[1], CollaborationKind.CONTACT, date(2024, 2, 5))
    return entities


def names(rows):
    return [row["name"] for row in rows]


@pytest.fixture
def twelve(network):
    with all_networks():
        build_twelve(network)
    return network


@time_machine.travel(TODAY, tick=False)
def test_the_analysis_of_twelve_entities_equals_the_figures_worked_out_by_hand(twelve):
    snapshot_id = analyse_network(twelve.pk)

    with network_scope(twelve):
        snapshot = AnalysisSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.state == SnapshotState.DONE
    assert (snapshot.period_start, snapshot.period_end) == (date(2025, 7, 1), date(2026, 6, 30))
    assert (snapshot.entities, snapshot.ties) == (12, 9)
    assert snapshot.density == pytest.approx(9 / 66)
    assert snapshot.mean_degree == pytest.approx(1.5)
    assert snapshot.isolated_share == pytest.approx(2 / 12)
    assert snapshot.cross_sector_share == pytest.approx(7 / 9)
    results = snapshot.results
    assert results["isolated"]["count"] == 2
    assert names(results["isolated"]["entities"]) == ["E09", "E12"]
    assert results["isolated"]["newcomers"] == 1
    degree = {row["name"]: row["value"] for row in results["top_degree"]}
    assert degree == {
        "E03": 4,
        "E01": 2,
        "E02": 2,
        "E04": 2,
        "E06": 2,
        "E07": 2,
        "E05": 1,
        "E08": 1,
        "E10": 1,
        "E11": 1,
    }
    betweenness = [(row["name"], row["value"]) for row in results["top_betweenness"]]
    assert betweenness == [("E03", 14), ("E04", 12), ("E06", 10), ("E07", 6)]
    assert results["betweenness_sampling"] is None
    assert [(row["name"], row["value"]) for row in results["top_in_degree"]] == [
        ("E07", 2),
        ("E11", 1),
    ]
    assert [(row["name"], row["value"]) for row in results["top_out_degree"]] == [
        ("E06", 1),
        ("E08", 1),
        ("E10", 1),
    ]
    assert results["bridges"]["count"] == 2
    assert [(row["name"], row["platforms_reached"]) for row in results["bridges"]["entities"]] == [
        ("E03", 3),
        ("E07", 2),
    ]
    assert results["components"] == {"count": 4, "connected": 2, "largest": 8}
    assert results["declared"] == {
        "count": 3,
        "confirmed": 1,
        "entities_in_contact_share": pytest.approx(5 / 12),
        "entities_that_helped_share": pytest.approx(1 / 12),
    }
    assert results["tie_kinds"] == {"commission": 5, "contact": 2, "event": 1, "help": 1}


@time_machine.travel(TODAY, tick=False)
def test_sampled_betweenness_shows_its_sample_and_error_and_ranks_the_same_entities(twelve):
    from evidence.analysis import analyse
    from evidence.ties import read_ties

    with network_scope(twelve):
        ties = read_ties(
            network=twelve, period_start=date(2025, 7, 1), period_end=date(2026, 6, 30)
        )
    figures = analyse(ties, exact_limit=5)
    sampling = figures["results"]["betweenness_sampling"]
    assert (sampling["sources"], sampling["batches"]) == (12, 4)
    assert sampling["relative_error"] > 0
    # With every entity a source once, the mean of the batches is the exact value; the
    # batches disagree, and that disagreement is the error shown beside each value.
    top = figures["results"]["top_betweenness"]
    assert [(row["name"], row["value"]) for row in top] == [
        ("E03", 14),
        ("E04", 12),
        ("E06", 10),
        ("E07", 6),
    ]
    assert all(row["error"] > 0 for row in top)


@time_machine.travel(TODAY, tick=False)
def test_each_network_is_analysed_on_its_own_ties_when_they_share_an_entity(twelve, other_network):
    with all_networks():
        shared = (
            CommissionMember.objects.filter(commission__name="K2")
            .order_by("joined_on")
            .first()
            .entity
        )
        factories.MembershipFactory(network=other_network, entity=shared, joined_at=LONG_AGO)
        partner = factories.MembershipFactory(network=other_network, joined_at=LONG_AGO)
        commission = factories.CommissionFactory(network=other_network)
        _sit(commission, shared, date(2026, 1, 1))
        _sit(commission, partner.entity, date(2026, 1, 1))

    ours = analyse_network(twelve.pk)
    theirs = analyse_network(other_network.pk)

    with all_networks():
        ours = AnalysisSnapshot.objects.get(pk=ours)
        theirs = AnalysisSnapshot.objects.get(pk=theirs)
    assert (ours.network_id, ours.entities, ours.ties) == (twelve.pk, 12, 9)
    assert (theirs.network_id, theirs.entities, theirs.ties) == (other_network.pk, 2, 1)


@time_machine.travel(TODAY, tick=False)
def test_a_snapshot_is_computed_once_even_when_two_workers_get_it(twelve):
    with network_scope(twelve):
        queued = AnalysisSnapshot.objects.create(
            network=twelve, period_start=date(2025, 7, 1), period_end=date(2026, 6, 30)
        )
    assert analyse_network(twelve.pk, queued.pk) == queued.pk
    assert analyse_network(twelve.pk, queued.pk) is None
    with network_scope(twelve):
        assert AnalysisSnapshot.objects.count() == 1
