"""Our own preset layout of the mosaic, computed in Python (no physics, no randomness).

* The participant sits at the centre, (0, 0), with their name below. Screen coordinates: y
  grows downwards.
* **Mentors** (existing and potential) sit in rings by tie strength: strong ties innermost,
  then moderate, then weak. The rings are ellipses, wider than tall, because the map is a
  landscape box on a laptop. Each ring is split by level: **peers on the left, seniors at the
  top, juniors on the right**; the participant's **mentees** sit in their own sector below.
* Every name is drawn whole (wrapped, up to :data:`NAME_LIMIT` characters) below its node.
  Placement is collision-checked on the boxes of node plus label: a person who does not fit
  on a ring moves a little further out, so no name covers another, a node, or a ring's label.
* Within a sector people are ordered existing first, then by name and id, so the same input
  always gives the same picture.
* A node the participant dragged keeps its saved :attr:`Person.position`; others avoid it.

Label sizes are estimated from character widths (generously, so the real text fits inside);
the browser test reads the boxes cytoscape.js draws and checks that none overlap.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from ..model import Person

NODE_SIZE = 38.0
"""Diameter of a person's node, in layout units (pixels at zoom 1)."""

ME_SIZE = 56.0
FONT = 15.0
"""Font size of names, in layout units; with :data:`MIN_ZOOM` at least 12 CSS px on screen."""

MIN_ZOOM = 0.82
"""The map never zooms out further than this, so that names stay at least 12 px high."""

LINE_HEIGHT = 1.2
LABEL_WIDTH = 140.0
"""Names wrap at this width (layout units)."""

LABEL_GAP = 4.0  # between a node and its name
LABEL_PAD = 3.0  # the name's white background reaches this far around the text
MARGIN = 4.0  # kept free around every box
NAME_LIMIT = 30
RING_FONT = 15.0
SECTOR_FONT = 15.0
STRETCH = 1.75
"""Horizontal semi-axis of every ring, relative to its vertical one."""

FIRST_RADIUS = 104.0
RING_STEP = 28.0
"""How much further out a person goes when their ring has no room left (vertical units)."""

BAND_GAP = 36.0
"""Extra distance between the outermost person of one tie band and the next band."""

TIE_ORDER = (3, 2, 1)
TIE_WORDS = {3: "Strong ties", 2: "Moderate ties", 1: "Weak ties"}

# Angles in degrees, clockwise from 12 o'clock (on the ellipse's parameter).
SECTORS: dict[tuple[str, str], tuple[float, float]] = {
    ("mentor", "peer"): (-128.0, -48.0),
    ("mentor", "senior"): (-42.0, 42.0),
    ("mentor", "junior"): (48.0, 128.0),
    ("mentee", ""): (146.0, 214.0),
}
SECTOR_LABELS = {
    ("mentor", "peer"): "Peers",
    ("mentor", "senior"): "Seniors",
    ("mentor", "junior"): "Juniors",
    ("mentee", ""): "My mentees",
}
LEVEL_SECTOR_ORDER = (("mentor", "peer"), ("mentor", "senior"), ("mentor", "junior"))
PLACING_ORDER = (("mentor", "senior"), ("mentor", "peer"), ("mentor", "junior"), ("mentee", ""))
RING_LABEL_ANGLES = (-138.0, 138.0, -142.0, 142.0, 180.0, -134.0, 134.0)
"""Where a ring's name goes first: the free gaps beside the mentees' sector."""

ME_ID = "__me__"

# Approximate advance widths (em) of a sans-serif face, rounded up: estimates err wide.
_NARROW = set("ijlI.,;:'!|ft()[] ")
_WIDE = set("mwMW@%")


def char_width(char: str, bold: bool = False) -> float:
    """Estimated width of one character, in em."""
    if char in _NARROW:
        width = 0.36
    elif char in _WIDE:
        width = 1.0
    elif char.isupper() or char.isdigit():
        width = 0.74
    else:
        width = 0.62
    return width * (1.08 if bold else 1.0)


def text_width(text: str, font: float = FONT, bold: bool = False) -> float:
    """Estimated width of a line of text, in layout units."""
    return sum(char_width(c, bold) for c in text) * font


def compact_wrap(font: float) -> float:
    """Wrap width of names in a compact picture: about ten characters a line."""
    return font * 6.5


def short_name(name: str, limit: int = NAME_LIMIT) -> str:
    """A name as the map shows it: spaces collapsed, whole up to ``limit`` characters."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def wrap_lines(text: str, width: float = LABEL_WIDTH, font: float = FONT,
               bold: bool = False) -> list[str]:
    """Greedy word wrap at spaces, as cytoscape.js does it (a longer word keeps its line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines or [""]


@functools.lru_cache(maxsize=4096)
def label_size(text: str, font: float = FONT, bold: bool = False,
               width: float = LABEL_WIDTH) -> tuple[float, float]:
    """(width, height) of a wrapped label with its background, in layout units."""
    lines = wrap_lines(text, width, font, bold)
    w = max(text_width(line, font, bold) for line in lines)
    if len(lines) > 1:  # the browser may fit more on a line than we guess: up to the full width
        w = max(w, width)
    return w + 2 * LABEL_PAD, len(lines) * font * LINE_HEIGHT + 2 * LABEL_PAD


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle (x0, y0) to (x1, y1) in layout units."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area (touching edges do not count)."""
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)


def node_box(x: float, y: float, label: str, size: float = NODE_SIZE,
             bold: bool = False, side: str = "below", font: float = FONT,
             wrap: float | None = None) -> Box:
    """The node and its name (below it, or beside it on the ``left``/``right``), with a margin."""
    w, h = label_size(label, font, bold, width=wrap or LABEL_WIDTH * font / FONT)
    r = size / 2
    if side == "below":
        half = max(size, w) / 2
        return Box(x - half - MARGIN, y - r - MARGIN, x + half + MARGIN,
                   y + r + LABEL_GAP + h + MARGIN)
    half_h = max(size, h) / 2
    if side == "left":
        return Box(x - r - LABEL_GAP - w - MARGIN, y - half_h - MARGIN, x + r + MARGIN,
                   y + half_h + MARGIN)
    return Box(x - r - MARGIN, y - half_h - MARGIN, x + r + LABEL_GAP + w + MARGIN,
               y + half_h + MARGIN)


def centred_box(x: float, y: float, text: str, font: float, bold: bool = False) -> Box:
    """A label centred on (x, y), with a margin."""
    w, h = label_size(text, font, bold, width=10_000)
    return Box(x - w / 2 - MARGIN, y - h / 2 - MARGIN, x + w / 2 + MARGIN, y + h / 2 + MARGIN)


@dataclass(frozen=True)
class Ring:
    """A guide ellipse: the outer edge of one tie band (for drawing)."""

    radius: float  # vertical semi-axis
    tie: int
    label: str
    label_x: float = 0.0  # where the ring's name goes: a free place on the ring
    label_y: float = 0.0
    stretch: float = STRETCH

    @property
    def rx(self) -> float:
        """Horizontal semi-axis."""
        return round(self.radius * self.stretch, 2)


@dataclass
class MosaicLayout:
    """Positions by person id (plus ``ME_ID`` for the participant) and the guide rings."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    rings: list[Ring] = field(default_factory=list)
    sector_labels: list[tuple[str, float, float]] = field(default_factory=list)
    saved: set[str] = field(default_factory=set)  # ids placed by the participant's drag
    boxes: list[Box] = field(default_factory=list)  # every node, name and guide label
    label_sides: dict[str, str] = field(default_factory=dict)  # "below", "left" or "right"

    def bounds(self, margin: float = 0.0) -> tuple[float, float, float, float]:
        """(min_x, min_y, max_x, max_y) of every node, name and ring, widened by ``margin``."""
        xs = [x for x, _ in self.positions.values()]
        ys = [y for _, y in self.positions.values()]
        for ring in self.rings:
            xs += [-ring.rx, ring.rx]
            ys += [-ring.radius, ring.radius]
        for box in self.boxes:
            xs += [box.x0, box.x1]
            ys += [box.y0, box.y1]
        return (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)


def sector_of(person: Person) -> tuple[str, str]:
    """The angular sector a person belongs to."""
    return ("mentee", "") if person.role == "mentee" else ("mentor", person.level)


def point(radius: float, degrees: float, stretch: float = STRETCH) -> tuple[float, float]:
    """A point on the ring of vertical semi-axis ``radius``, at ``degrees`` from 12 o'clock."""
    rad = math.radians(degrees)
    return (round(radius * stretch * math.sin(rad), 2), round(-radius * math.cos(rad), 2))


def ring_radius_of(x: float, y: float, stretch: float = STRETCH) -> float:
    """The vertical semi-axis of the ring through (x, y)."""
    return math.hypot(x / stretch, y)


def _sort_key(person: Person) -> tuple[int, str, str]:
    return (0 if person.status == "existing" else 1, person.name.casefold(), person.id)


LABEL_SIDES = {
    ("mentor", "peer"): "left",
    ("mentor", "senior"): "below",
    ("mentor", "junior"): "right",
    ("mentee", ""): "below",
}
"""Names sit outwards at the sides (stacked people then need little height) and below elsewhere."""

ANGLE_STEP = 2.0
CELL = 120.0


class BoxIndex:
    """Placed boxes on a coarse grid, so a collision check looks only at near neighbours."""

    def __init__(self) -> None:
        self.boxes: list[Box] = []
        self._cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        return [
            (i, j)
            for i in range(math.floor(box.x0 / CELL), math.floor(box.x1 / CELL) + 1)
            for j in range(math.floor(box.y0 / CELL), math.floor(box.y1 / CELL) + 1)
        ]

    def add(self, box: Box) -> None:
        """Keep ``box`` out of the way of later ones."""
        self.boxes.append(box)
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)

    def collides(self, box: Box) -> bool:
        """Whether ``box`` overlaps any placed box."""
        return any(
            box.overlaps(other) for key in self._keys(box) for other in self._cells.get(key, ())
        )


def _scan_angles(span: tuple[float, float]) -> list[float]:
    """Angles of a sector from its middle outwards, alternating sides."""
    start, end = span
    mid = (start + end) / 2
    half = (end - start) / 2
    out = [mid]
    step = ANGLE_STEP
    while step <= half + 1e-9:
        out += [mid - step, mid + step]
        step += ANGLE_STEP
    return out


def _place_sector(members: list[Person], start_radius: float, key: tuple[str, str],
                  placed: BoxIndex, result: MosaicLayout, font: float = FONT,
                  compact: bool = False) -> float:
    """Place one sector of one tie band, each person at the first free spot from the middle of
    the innermost ring outwards; returns the outermost radius used."""
    span = SECTORS[key]
    side = "below" if compact else LABEL_SIDES[key]
    stretch = 0.5 if compact else STRETCH
    wrap = compact_wrap(font) if compact else None
    angles = _scan_angles(span)
    radius = start_radius
    outer = start_radius
    taken: set[float] = set()  # angles of this ring already found taken (skipped after)
    for person in members:
        label = short_name(person.name)
        while True:
            spot = None
            for angle in angles:
                if angle in taken:
                    continue
                x, y = point(radius, angle, stretch)
                box = node_box(x, y, label, side=side, font=font, wrap=wrap)
                if not placed.collides(box):
                    spot = (x, y, box)
                    break
                taken.add(angle)
            if spot is not None:
                break
            radius += RING_STEP
            taken = set()
        x, y, box = spot
        placed.add(box)
        result.positions[person.id] = (x, y)
        result.label_sides[person.id] = side
        outer = max(outer, radius)
    return outer


def _ring_label(radius: float, tie: int, placed: BoxIndex, font: float = RING_FONT,
                stretch: float = STRETCH) -> Ring:
    """A ring with its name at the first free place on it."""
    label = TIE_WORDS[tie]
    angles = [*RING_LABEL_ANGLES, *range(-180, 180, 4)]
    for angle in angles:
        x, y = point(radius, angle, stretch)
        box = centred_box(x, y, label, font)
        if not placed.collides(box):
            placed.add(box)
            return Ring(radius, tie, label, x, y, stretch)
    return Ring(radius, tie, "", 0.0, 0.0, stretch)  # no free place: the legend names the rings


def compute_layout(people: list[Person], *, me_label: str = "Me",
                   use_saved: bool = True, font: float = FONT,
                   compact: bool = False) -> MosaicLayout:
    """Place everyone: centre, rings by tie strength, sectors by level, mentees apart.

    ``font`` is the size of names (and of the guide labels); a picture shown small, such as
    stage 5's before and after side by side, uses a bigger one so its names stay readable.
    ``compact`` draws for a narrow picture: round rings, every name below its person, wrapped
    short (:func:`compact_wrap`); the picture grows taller instead of wider.
    """
    wrap = compact_wrap(font) if compact else None
    stretch = 0.5 if compact else STRETCH
    result = MosaicLayout()
    result.positions[ME_ID] = (0.0, 0.0)
    placed = BoxIndex()
    placed.add(node_box(0.0, 0.0, short_name(me_label), ME_SIZE, bold=True, font=font,
                        wrap=wrap))
    groups: dict[tuple[str, str], dict[int, list[Person]]] = {
        key: {t: [] for t in TIE_ORDER} for key in SECTORS
    }
    for person in people:
        if use_saved and person.position is not None:
            x, y = person.position.x, person.position.y
            result.positions[person.id] = (x, y)
            result.saved.add(person.id)
            result.label_sides[person.id] = "below"
            placed.add(node_box(x, y, short_name(person.name), font=font, wrap=wrap))
        else:
            groups[sector_of(person)][person.tie_strength].append(person)

    radius = FIRST_RADIUS
    for tie in TIE_ORDER:
        band = {key: sorted(g[tie], key=_sort_key) for key, g in groups.items()}
        if not any(band.values()) and not any(
            p.tie_strength == tie for p in people if p.id in result.saved
        ):
            continue
        outer = radius
        for key in PLACING_ORDER:
            if band[key]:
                outer = max(outer, _place_sector(band[key], radius, key, placed, result, font,
                                                 compact))
        ring = _ring_label(round(outer + BAND_GAP / 2 + NODE_SIZE / 2, 2), tie, placed, font,
                           stretch)
        result.rings.append(ring)
        radius = outer + BAND_GAP + NODE_SIZE

    min_x, min_y, max_x, max_y = _extent(placed.boxes)
    for key in SECTORS:
        text = SECTOR_LABELS[key]
        w, h = label_size(text, font, True, width=10_000)
        mid = sum(SECTORS[key]) / 2
        away = MARGIN + 2  # just outside everything else
        if key == ("mentor", "senior"):
            x, y = 0.0, min_y - h / 2 - away
        elif key == ("mentor", "peer"):
            x, y = min_x - w / 2 - away, point(1.0, mid)[1]
        elif key == ("mentor", "junior"):
            x, y = max_x + w / 2 + away, point(1.0, mid)[1]
        else:
            x, y = 0.0, max_y + h / 2 + away
        result.sector_labels.append((text, round(x, 2), round(y, 2)))
        placed.add(centred_box(x, y, text, font, True))
    result.boxes = placed.boxes
    return result


def _extent(boxes: list[Box]) -> tuple[float, float, float, float]:
    return (min(b.x0 for b in boxes), min(b.y0 for b in boxes),
            max(b.x1 for b in boxes), max(b.y1 for b in boxes))
