"""Our own preset layout of the mosaic, computed in Python (no physics, no randomness).

* The participant sits at the centre, (0, 0). Screen coordinates: y grows downwards.
* **Mentors** (existing and potential) fill the upper part of the picture in rings by tie
  strength: strong ties innermost, then moderate, then weak. Each ring is split into three
  angular sectors by level: **peers on the left, seniors at the top, juniors on the right**.
* The participant's **mentees** sit on their own side: the sector at the bottom, also in rings
  by tie strength.
* When a sector has more people than fit at the minimum spacing, it spills into an extra ring a
  little further out, so nothing overlaps even at 200 people.
* Within a sector people are ordered existing first, then by name and id, so the same input
  always gives the same picture.
* A node the participant dragged keeps its saved :attr:`Person.position`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model import Person

NODE_SIZE = 38.0
"""Diameter of a person's node, in layout units (pixels at zoom 1)."""

ME_SIZE = 56.0
MIN_SPACING = 78.0
"""Minimum distance between the centres of neighbours on one ring (node plus its label)."""

FIRST_RADIUS = 100.0
RING_GAP = 56.0
"""Radial distance between two rings of the same tie band."""

BAND_GAP = 72.0
"""Radial distance between the last ring of a tie band and the first ring of the next."""

TIE_ORDER = (3, 2, 1)
TIE_WORDS = {3: "Strong ties", 2: "Moderate ties", 1: "Weak ties"}

# Angles in degrees, clockwise from 12 o'clock.
SECTORS: dict[tuple[str, str], tuple[float, float]] = {
    ("mentor", "peer"): (-128.0, -44.0),
    ("mentor", "senior"): (-40.0, 40.0),
    ("mentor", "junior"): (44.0, 128.0),
    ("mentee", ""): (142.0, 218.0),
}
SECTOR_LABELS = {
    ("mentor", "peer"): "Peers",
    ("mentor", "senior"): "Seniors",
    ("mentor", "junior"): "Juniors",
    ("mentee", ""): "My mentees",
}
LEVEL_SECTOR_ORDER = (("mentor", "peer"), ("mentor", "senior"), ("mentor", "junior"))
STAGGER = (-0.22, 0.22, 0.0)
RING_LABEL_ANGLE = -135.0
"""Ring names sit between the peers' sector and the mentees' sector, where no node goes."""


@dataclass(frozen=True)
class Ring:
    """A guide circle: the outer edge of one tie band (for drawing)."""

    radius: float
    tie: int
    label: str
    label_x: float = 0.0  # where the ring's name goes: in the free gap at the lower left
    label_y: float = 0.0


@dataclass
class MosaicLayout:
    """Positions by person id (plus ``ME_ID`` for the participant) and the guide rings."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    rings: list[Ring] = field(default_factory=list)
    sector_labels: list[tuple[str, float, float]] = field(default_factory=list)
    saved: set[str] = field(default_factory=set)  # ids placed by the participant's drag

    def bounds(self, margin: float = 0.0) -> tuple[float, float, float, float]:
        """(min_x, min_y, max_x, max_y) of every node and ring, widened by ``margin``."""
        xs = [x for x, _ in self.positions.values()]
        ys = [y for _, y in self.positions.values()]
        for ring in self.rings:
            xs += [-ring.radius, ring.radius]
            ys += [-ring.radius, ring.radius]
        return (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)


ME_ID = "__me__"


def sector_of(person: Person) -> tuple[str, str]:
    """The angular sector a person belongs to."""
    return ("mentee", "") if person.role == "mentee" else ("mentor", person.level)


def _point(radius: float, degrees: float) -> tuple[float, float]:
    rad = math.radians(degrees)
    return (round(radius * math.sin(rad), 2), round(-radius * math.cos(rad), 2))


def _capacity(radius: float, span: float) -> int:
    arc = radius * math.radians(span)
    return max(1, int(arc // MIN_SPACING))


def _sort_key(person: Person) -> tuple[int, str, str]:
    return (0 if person.status == "existing" else 1, person.name.casefold(), person.id)


def compute_layout(people: list[Person], *, use_saved: bool = True) -> MosaicLayout:
    """Place everyone: centre, rings by tie strength, sectors by level, mentees apart."""
    result = MosaicLayout()
    result.positions[ME_ID] = (0.0, 0.0)
    groups: dict[tuple[str, str], dict[int, list[Person]]] = {
        key: {t: [] for t in TIE_ORDER} for key in SECTORS
    }
    for person in people:
        if use_saved and person.position is not None:
            result.positions[person.id] = (person.position.x, person.position.y)
            result.saved.add(person.id)
        groups[sector_of(person)][person.tie_strength].append(person)

    radius = FIRST_RADIUS
    for band_index, tie in enumerate(TIE_ORDER):
        band = {key: sorted(g[tie], key=_sort_key) for key, g in groups.items()}
        if not any(band.values()):
            continue
        # How many rings this band needs: the most crowded sector decides.
        rings_needed = 0
        placement: dict[tuple[str, str], list[list[Person]]] = {}
        for key, members in band.items():
            span = SECTORS[key][1] - SECTORS[key][0]
            rows: list[list[Person]] = []
            rest = list(members)
            r = radius
            while rest:
                cap = _capacity(r, span)
                rows.append(rest[:cap])
                rest = rest[cap:]
                r += RING_GAP
            placement[key] = rows
            rings_needed = max(rings_needed, len(rows))
        for key, rows in placement.items():
            start, end = SECTORS[key]
            span = end - start
            for row_index, row in enumerate(rows):
                r = radius + row_index * RING_GAP
                # Turn alternate rings a little, so that people on neighbouring rings do not
                # line up and their labels stay apart (always less than half a slot).
                turn = STAGGER[(band_index + row_index) % len(STAGGER)] / len(row)
                for i, person in enumerate(row):
                    frac = (i + 0.5) / len(row) + turn
                    if person.id not in result.positions:
                        result.positions[person.id] = _point(r, start + frac * span)
        outer = radius + (rings_needed - 1) * RING_GAP
        ring_radius = round(outer + RING_GAP / 2, 2)
        lx, ly = _point(ring_radius, RING_LABEL_ANGLE)
        result.rings.append(Ring(ring_radius, tie, TIE_WORDS[tie], lx, ly))
        radius = outer + BAND_GAP

    label_radius = max([r.radius for r in result.rings], default=FIRST_RADIUS) + 28
    for key, (start, end) in SECTORS.items():
        x, y = _point(label_radius, (start + end) / 2)
        result.sector_labels.append((SECTOR_LABELS[key], x, y))
    return result

