"""The sociogram: where the analysis job placed each entity, and its drawing as SVG.

`lay_out` runs inside the job, with igraph (Fruchterman-Reingold, with a grid
above a thousand entities): the entities with ties inside a circle, the
isolated ones on a ring around it, grouped by platform. The snapshot keeps
the places with each entity's platform, kind, ties and whether it is a bridge,
and every tie with its kinds as bits, so a page draws any filter of it without
reading anything else.

`draw` writes a standalone SVG with presentation attributes only (no script,
no style element), so the same file is shown as an image, downloaded, and put
in the yearly report. `facts` gives the same facts as rows of a table.
"""

import math
import random
from xml.sax.saxutils import escape

import igraph
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidence.ties import TieKind
from members.models import EntityKind

# The drawing is a square of SIZE units; the ring of isolated entities is just inside it.
SIZE = 1000
CONNECTED_RADIUS = 0.40 * SIZE
ISOLATED_RADIUS = 0.47 * SIZE
TIE_BITS = {TieKind.COMMISSION: 1, TieKind.EVENT: 2, TieKind.CONTACT: 4, TieKind.HELP: 8}
BRIDGE = 1
ISOLATED = 2
# Colours told apart by people with the common colour blindnesses (Okabe and Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#666666"]
LAYOUT_ITERATIONS = 300
LEGEND_ROW = 28

# The positions of a node's fields in the stored list, kept short for large networks.
ID, NAME, PLATFORM, KIND, DEGREE, X, Y, FLAGS = range(8)


def tie_kind_labels() -> dict[str, str]:
    return {
        TieKind.COMMISSION: _("Same commission"),
        TieKind.EVENT: _("Event organised together"),
        TieKind.CONTACT: _("Declared: worked together"),
        TieKind.HELP: _("Declared: one helped the other"),
    }


def lay_out(*, graph: igraph.Graph, members, degrees, bridges: set[int], ties, seed: int) -> dict:
    """The places of every entity and the ties between them, as the snapshot stores them."""
    count = len(members)
    connected = [position for position in range(count) if degrees[position] > 0]
    places: dict[int, tuple[float, float]] = {}
    if connected:
        chooser = random.Random(seed)  # noqa: S311 - a starting layout, no secret
        # Spread as igraph spreads its own start (a side of √n), so that its grid stays fine.
        side = math.sqrt(len(connected)) / 2
        start = [[chooser.uniform(-side, side), chooser.uniform(-side, side)] for _ in connected]
        part = graph.subgraph(connected)
        coordinates = part.layout_fruchterman_reingold(
            niter=LAYOUT_ITERATIONS, seed=start, grid="auto"
        ).coords
        centre_x = sum(x for x, _ in coordinates) / len(coordinates)
        centre_y = sum(y for _, y in coordinates) / len(coordinates)
        distances = sorted(math.hypot(x - centre_x, y - centre_y) for x, y in coordinates)
        # Scaled on the 98th percentile, so that a small component flung far away
        # does not shrink the rest to a dot; the few beyond are pulled in.
        reach = distances[min(len(distances) - 1, int(len(distances) * 0.98))] or 1.0
        for position, (x, y) in zip(connected, coordinates, strict=True):
            dx, dy = (x - centre_x) / reach, (y - centre_y) / reach
            length = math.hypot(dx, dy)
            if length > 1:
                dx, dy = dx / length, dy / length
            places[position] = (dx * CONNECTED_RADIUS, dy * CONNECTED_RADIUS)
    isolated = sorted(
        (position for position in range(count) if degrees[position] == 0),
        key=lambda position: (members[position].platform_id, members[position].name),
    )
    for order, position in enumerate(isolated):
        angle = 2 * math.pi * order / len(isolated) - math.pi / 2
        places[position] = (ISOLATED_RADIUS * math.cos(angle), ISOLATED_RADIUS * math.sin(angle))

    index = {member.entity_id: position for position, member in enumerate(members)}
    nodes = []
    for position, member in enumerate(members):
        x, y = places[position]
        flags = (BRIDGE if member.entity_id in bridges else 0) | (
            ISOLATED if degrees[position] == 0 else 0
        )
        nodes.append(
            [
                member.entity_id,
                member.name,
                member.platform_id,
                member.kind,
                degrees[position],
                round(x + SIZE / 2, 1),
                round(y + SIZE / 2, 1),
                flags,
            ]
        )
    edges = [
        [index[first], index[second], sum(TIE_BITS.get(kind, 0) for kind in kinds)]
        for (first, second), kinds in sorted(ties.pairs.items())
    ]
    used = sorted({member.platform_id for member in members})
    return {
        "nodes": nodes,
        "edges": edges,
        "platforms": [
            [platform_id, ties.platforms.get(platform_id, ""), PALETTE[order % len(PALETTE)]]
            for order, platform_id in enumerate(used)
        ],
    }


def selected(sociogram: dict, *, platform=None, kind=None) -> list[int]:
    """The positions of the nodes the filters keep."""
    return [
        position
        for position, node in enumerate(sociogram.get("nodes", []))
        if (platform is None or node[PLATFORM] == platform) and (kind is None or node[KIND] == kind)
    ]


def facts(sociogram: dict, *, platform=None, kind=None, tie_kind=None, limit=None):
    """The entities shown, most tied first, as rows; and how many there are in all.

    With a kind of tie chosen, an entity's ties count only ties of that kind.
    """
    nodes = sociogram.get("nodes", [])
    platforms = {row[0]: row[1] for row in sociogram.get("platforms", [])}
    kinds = dict(EntityKind.choices)
    positions = selected(sociogram, platform=platform, kind=kind)
    ties = _degrees(sociogram, tie_kind) if tie_kind else None
    rows = [
        {
            "id": nodes[position][ID],
            "name": nodes[position][NAME],
            "platform": platforms.get(nodes[position][PLATFORM], ""),
            "kind": kinds.get(nodes[position][KIND], ""),
            "ties": ties[position] if ties is not None else nodes[position][DEGREE],
            "bridge": bool(nodes[position][FLAGS] & BRIDGE),
            "isolated": bool(nodes[position][FLAGS] & ISOLATED),
        }
        for position in positions
    ]
    rows.sort(key=lambda row: (-row["ties"], row["name"]))
    return (rows[:limit] if limit is not None else rows), len(rows)


def _degrees(sociogram: dict, tie_kind: str) -> list[int]:
    bit = TIE_BITS[tie_kind]
    counts = [0] * len(sociogram.get("nodes", []))
    for first, second, bits in sociogram.get("edges", []):
        if bits & bit:
            counts[first] += 1
            counts[second] += 1
    return counts


def _radius(degree: int, scale: float) -> float:
    return round((3 + 2.2 * math.sqrt(degree)) * scale, 1)


def draw(
    sociogram: dict,
    *,
    title: str,
    platform=None,
    kind=None,
    tie_kind=None,
    anonymous: bool = False,
) -> str:
    """The sociogram as a standalone SVG document, filtered; without names when anonymous."""
    nodes = sociogram.get("nodes", [])
    platforms = sociogram.get("platforms", [])
    colours = {row[0]: row[2] for row in platforms}
    positions = selected(sociogram, platform=platform, kind=kind)
    shown = set(positions)
    bit = TIE_BITS.get(tie_kind) if tie_kind else None
    scale = min(1.5, max(0.25, math.sqrt(200 / max(len(nodes), 1))))

    path = []
    drawn_ties = 0
    for first, second, bits in sociogram.get("edges", []):
        if first in shown and second in shown and (bit is None or bits & bit):
            a, b = nodes[first], nodes[second]
            path.append(f"M{a[X]} {a[Y]}L{b[X]} {b[Y]}")
            drawn_ties += 1

    legend_rows = 3 + math.ceil(len(platforms) / 3)
    height = SIZE + LEGEND_ROW * legend_rows + 10
    counted = ngettext(
        "%(entities)s entity and %(ties)s tie shown.",
        "%(entities)s entities and %(ties)s ties shown.",
        len(positions),
    ) % {"entities": len(positions), "ties": drawn_ties}
    guide = _("Colour: platform. Size: number of ties. Around the edge: entities without ties.")
    description = f"{counted} {guide}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {height}" '
        f'width="{SIZE}" height="{height}" role="img" '
        'aria-labelledby="sociogram-title sociogram-description" '
        'font-family="Helvetica, Arial, sans-serif">',
        f'<title id="sociogram-title">{escape(title)}</title>',
        f'<desc id="sociogram-description">{escape(description)}</desc>',
        f'<rect width="{SIZE}" height="{height}" fill="#ffffff"/>',
        f'<circle cx="{SIZE / 2}" cy="{SIZE / 2}" r="{ISOLATED_RADIUS}" fill="none" '
        'stroke="#dddddd" stroke-dasharray="4 6"/>',
    ]
    if path:
        out.append(
            f'<path d="{"".join(path)}" fill="none" stroke="#8a8a8a" '
            'stroke-opacity="0.55" stroke-width="1"/>'
        )
    # Small nodes last, so that none hides under a larger one.
    for position in sorted(positions, key=lambda position: -nodes[position][DEGREE]):
        node = nodes[position]
        bridge = node[FLAGS] & BRIDGE
        ring = ' stroke="#111111" stroke-width="3"' if bridge else ' stroke="#ffffff"'
        circle = (
            f'<circle cx="{node[X]}" cy="{node[Y]}" r="{_radius(node[DEGREE], scale)}" '
            f'fill="{colours.get(node[PLATFORM], PALETTE[-1])}"{ring}'
        )
        if anonymous:
            out.append(circle + "/>")
        else:
            label = ngettext("%(name)s: %(ties)s tie", "%(name)s: %(ties)s ties", node[DEGREE]) % {
                "name": node[NAME],
                "ties": node[DEGREE],
            }
            if bridge:
                label += " · " + _("bridge")
            out.append(f"{circle}><title>{escape(label)}</title></circle>")

    top = SIZE + 10
    for order, (_id, label, colour) in enumerate(platforms):
        x = 20 + (order % 3) * 320
        y = top + (order // 3) * LEGEND_ROW + 14
        out.append(f'<circle cx="{x}" cy="{y}" r="8" fill="{colour}" stroke="#ffffff"/>')
        out.append(f'<text x="{x + 16}" y="{y + 5}" font-size="16" fill="#222222">')
        out.append(f"{escape(label)}</text>")
    bridge_key = _("Bridge entity: tied to entities of two or more other platforms")
    y = top + math.ceil(len(platforms) / 3) * LEGEND_ROW + 14
    out.append(f'<circle cx="20" cy="{y}" r="8" fill="#ffffff" stroke="#111111" stroke-width="3"/>')
    out.append(
        f'<text x="36" y="{y + 5}" font-size="16" fill="#222222">{escape(bridge_key)}</text>'
    )
    for line in (guide, counted):
        y += LEGEND_ROW
        out.append(f'<text x="12" y="{y + 5}" font-size="16" fill="#222222">{escape(line)}</text>')
    out.append("</svg>\n")
    return "".join(out)
