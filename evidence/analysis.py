"""The measures of section 5.3, computed from a network's ties with igraph.

`analyse` is pure: it takes the `Ties` of a period and returns the figures a
snapshot stores. The graph of ties is undirected for density, degree,
betweenness and components (any tie joins two entities); the collaborations
entities declared keep their direction for in- and out-degree, as the study
read who acknowledges whom. Betweenness is exact up to `EXACT_BETWEENNESS_LIMIT`
entities; above that it is estimated from a random sample of source entities,
and its standard error is estimated from independent batches of that sample.
"""

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import timedelta

import igraph

from evidence.sociogram import lay_out
from evidence.ties import TieKind, Ties

EXACT_BETWEENNESS_LIMIT = 5_000
SAMPLED_SOURCES = 2_000
SAMPLE_BATCHES = 4
TOP = 10
LISTED_ISOLATED = 200
# A bridge reaches entities of at least this many platforms besides its own.
BRIDGE_MIN_OTHER_PLATFORMS = 2
NEWCOMER_DAYS = 365


def _entity(member, platforms) -> dict:
    return {
        "id": member.entity_id,
        "name": member.name,
        "platform": platforms.get(member.platform_id, ""),
    }


def analyse(
    ties: Ties,
    *,
    progress: Callable[[int], None] = lambda percent: None,
    seed: int = 0,
    exact_limit: int = EXACT_BETWEENNESS_LIMIT,
) -> dict:
    """Density, degrees, isolated entities, centrality, bridges, cross-sector share, components.

    And the sociogram's layout (`evidence.sociogram.lay_out`), stored apart from the results.
    """
    members = ties.members
    count = len(members)
    index = {member.entity_id: position for position, member in enumerate(members)}
    graph = igraph.Graph(n=count, edges=[(index[a], index[b]) for a, b in ties.pairs])
    progress(30)

    degrees = graph.degree()
    possible = count * (count - 1) / 2
    edges = graph.ecount()
    density = edges / possible if possible else 0.0
    mean_degree = 2 * edges / count if count else 0.0

    newcomers_since = ties.period_end - timedelta(days=NEWCOMER_DAYS)
    isolated = [members[position] for position in range(count) if degrees[position] == 0]
    isolated_newcomers = sum(
        1 for member in isolated if member.joined_on and member.joined_on > newcomers_since
    )

    betweenness, sampling = _betweenness(graph, seed=seed, exact_limit=exact_limit)
    progress(80)

    out_partners: dict[int, set[int]] = defaultdict(set)
    in_partners: dict[int, set[int]] = defaultdict(set)
    declaring: set[int] = set()
    helpers: set[int] = set()
    confirmed = 0
    for from_id, to_id, kind, is_confirmed in ties.declared:
        out_partners[from_id].add(to_id)
        in_partners[to_id].add(from_id)
        declaring.update((from_id, to_id))
        if kind == TieKind.HELP:
            helpers.add(to_id)
        confirmed += is_confirmed

    platform_of = {member.entity_id: member.platform_id for member in members}
    reached: dict[int, set[int]] = defaultdict(set)
    cross = 0
    kinds: Counter[str] = Counter()
    for (first, second), tie_kinds in ties.pairs.items():
        kinds.update(tie_kinds)
        if platform_of[first] != platform_of[second]:
            cross += 1
            reached[first].add(platform_of[second])
            reached[second].add(platform_of[first])
    bridges = sorted(
        (
            member
            for member in members
            if len(reached[member.entity_id]) >= BRIDGE_MIN_OTHER_PLATFORMS
        ),
        key=lambda member: (
            -len(reached[member.entity_id]),
            -betweenness[index[member.entity_id]],
            member.name,
        ),
    )

    sociogram = lay_out(
        graph=graph,
        members=members,
        degrees=degrees,
        bridges={member.entity_id for member in bridges},
        ties=ties,
        seed=seed,
    )
    progress(90)

    components = graph.connected_components()
    sizes = sorted((len(component) for component in components), reverse=True)
    platforms = ties.platforms

    def ranked(score, *, rounded=None) -> list[dict]:
        order = sorted(
            range(count), key=lambda position: (-score(position), members[position].name)
        )
        rows = []
        for position in order[:TOP]:
            value = score(position)
            if value <= 0:
                break
            row = _entity(members[position], platforms)
            row["value"] = round(value, rounded) if rounded is not None else value
            rows.append(row)
        return rows

    top_betweenness = ranked(lambda position: betweenness[position], rounded=2)
    if sampling:
        for row in top_betweenness:
            row["error"] = round(sampling["errors"][index[row["id"]]], 2)
        sampling = {key: value for key, value in sampling.items() if key != "errors"}
        # How far off the ranking's values may be, as one figure: the median relative error.
        sampling["relative_error"] = (
            statistics.median(row["error"] / row["value"] for row in top_betweenness)
            if top_betweenness
            else 0.0
        )

    return {
        "entities": count,
        "ties": edges,
        "density": density,
        "mean_degree": mean_degree,
        "isolated_share": len(isolated) / count if count else 0.0,
        "cross_sector_share": cross / edges if edges else 0.0,
        "sociogram": sociogram,
        "results": {
            "isolated": {
                "count": len(isolated),
                "newcomers": isolated_newcomers,
                "entities": [_entity(member, platforms) for member in isolated[:LISTED_ISOLATED]],
            },
            "declared": {
                "count": len(ties.declared),
                "confirmed": confirmed,
                "entities_in_contact_share": len(declaring) / count if count else 0.0,
                "entities_that_helped_share": len(helpers) / count if count else 0.0,
            },
            "tie_kinds": {kind: kinds[kind] for kind in sorted(kinds)},
            "top_degree": ranked(lambda position: degrees[position]),
            "top_in_degree": ranked(lambda position: len(in_partners[members[position].entity_id])),
            "top_out_degree": ranked(
                lambda position: len(out_partners[members[position].entity_id])
            ),
            "top_betweenness": top_betweenness,
            "betweenness_sampling": sampling,
            "bridges": {
                "count": len(bridges),
                "entities": [
                    {
                        **_entity(member, platforms),
                        "platforms_reached": len(reached[member.entity_id]),
                    }
                    for member in bridges[:TOP]
                ],
            },
            "components": {
                "count": len(sizes),
                "connected": sum(1 for size in sizes if size > 1),
                "largest": sizes[0] if sizes else 0,
            },
        },
    }


def _betweenness(graph: igraph.Graph, *, seed: int, exact_limit: int):
    """Exact betweenness, or an estimate from sampled sources with its standard error."""
    count = graph.vcount()
    if count <= exact_limit:
        return graph.betweenness(directed=False), None
    chooser = random.Random(seed)  # noqa: S311 - a sample of sources, no secret
    sources = chooser.sample(range(count), min(SAMPLED_SOURCES, count))
    batches = [sources[start::SAMPLE_BATCHES] for start in range(SAMPLE_BATCHES)]
    estimates = [
        [value * count / len(batch) for value in graph.betweenness(directed=False, sources=batch)]
        for batch in batches
    ]
    means = [statistics.fmean(values) for values in zip(*estimates, strict=True)]
    errors = [
        statistics.stdev(values) / SAMPLE_BATCHES**0.5 for values in zip(*estimates, strict=True)
    ]
    return means, {"sources": len(sources), "batches": SAMPLE_BATCHES, "errors": errors}
