"""The preset layout: centre, rings by tie strength, sectors by level, mentees apart."""

from __future__ import annotations

import itertools
import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring_mosaic.analysis.layout import (
    ME_ID,
    NODE_SIZE,
    SECTORS,
    STRETCH,
    compute_layout,
    label_size,
    ring_radius_of,
    short_name,
    wrap_lines,
)
from mentoring_mosaic.model import Person, Position


def angle(x: float, y: float) -> float:
    """Degrees clockwise from 12 o'clock on the ring's ellipse, in (-180, 180]."""
    return math.degrees(math.atan2(x / STRETCH, -y))


def people(n: int, seed: int = 7) -> list[Person]:
    rnd = random.Random(seed)
    return [
        Person(
            id=f"p{i:03d}",
            name=f"Person {i}",
            role=rnd.choice(["mentor", "mentor", "mentor", "mentee"]),
            status=rnd.choice(["existing", "potential"]),
            level=rnd.choice(["senior", "peer", "junior"]),
            tie_strength=rnd.choice([1, 2, 3]),
        )
        for i in range(n)
    ]


def test_participant_at_centre_and_everyone_placed() -> None:
    layout = compute_layout(people(12))
    assert layout.positions[ME_ID] == (0.0, 0.0)
    assert set(layout.positions) == {ME_ID} | {p.id for p in people(12)}


def test_strong_ties_sit_inside_weak_ties() -> None:
    crowd = people(60)
    layout = compute_layout(crowd)
    radius = {p.id: ring_radius_of(*layout.positions[p.id]) for p in crowd}
    for tie_in, tie_out in ((3, 2), (2, 1)):
        inner = max(radius[p.id] for p in crowd if p.tie_strength == tie_in)
        outer = min(radius[p.id] for p in crowd if p.tie_strength == tie_out)
        assert inner < outer


def test_levels_have_their_sectors_and_mentees_sit_below() -> None:
    crowd = people(80)
    layout = compute_layout(crowd)
    for p in crowd:
        x, y = layout.positions[p.id]
        a = angle(x, y)
        if p.role == "mentee":
            assert y > 0, "mentees sit on the lower side"
            assert abs(a) >= SECTORS[("mentee", "")][0] - 0.01
        else:
            low, high = SECTORS[("mentor", p.level)]
            assert low - 0.01 <= a <= high + 0.01, (p.level, a)
    seniors = [layout.positions[p.id] for p in crowd if p.role == "mentor" and p.level == "senior"]
    assert all(y < 0 for _, y in seniors), "seniors at the top"


def test_no_overlaps_at_200_people() -> None:
    layout = compute_layout(people(200))
    closest = min(
        math.dist(a, b) for a, b in itertools.combinations(layout.positions.values(), 2)
    )
    assert closest >= NODE_SIZE + 8
    assert_no_box_overlaps(layout)


def assert_no_box_overlaps(layout) -> None:
    """No node-with-name, ring name or sector name covers another (the boxes we reserve)."""
    for a, b in itertools.combinations(layout.boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_names_wrap_whole_and_are_cut_only_past_30_characters() -> None:
    assert short_name("  Dr   Ana  Ruiz ") == "Dr Ana Ruiz"
    thirty = "Prof. Maximilian Oberhauser-Sm"
    assert short_name(thirty) == thirty
    assert short_name(thirty + "ith") == "Prof. Maximilian Oberhauser-S…"
    lines = wrap_lines("Sister Mary-Clare O'Donnell")
    assert " ".join(lines) == "Sister Mary-Clare O'Donnell" and len(lines) >= 2
    w1, h1 = label_size("Lee")
    w2, h2 = label_size("Sister Mary-Clare O'Donnell")
    assert w1 < w2 and h2 > h1


def test_the_participant_and_ring_names_are_kept_free() -> None:
    layout = compute_layout(people(30), me_label="Dr Ana Ruiz-Fernandez")
    assert [r.label for r in layout.rings if r.label] == [r.label for r in layout.rings]
    assert_no_box_overlaps(layout)


def test_same_input_same_picture_and_order_does_not_matter() -> None:
    crowd = people(40)
    first = compute_layout(crowd).positions
    assert compute_layout(crowd).positions == first
    assert compute_layout(list(reversed(crowd))).positions == first


def test_dragged_node_keeps_its_saved_position() -> None:
    crowd = people(10)
    crowd[3] = crowd[3].model_copy(update={"position": Position(x=512.5, y=-40.0)})
    layout = compute_layout(crowd)
    assert layout.positions[crowd[3].id] == (512.5, -40.0)
    assert crowd[3].id in layout.saved
    assert compute_layout(crowd, use_saved=False).positions[crowd[3].id] != (512.5, -40.0)


def test_rings_grow_outwards_and_bounds_cover_everything() -> None:
    layout = compute_layout(people(50))
    radii = [r.radius for r in layout.rings]
    assert radii == sorted(radii)
    min_x, min_y, max_x, max_y = layout.bounds()
    for x, y in layout.positions.values():
        assert min_x <= x <= max_x and min_y <= y <= max_y


def test_empty_mosaic_has_only_the_participant() -> None:
    layout = compute_layout([])
    assert layout.positions == {ME_ID: (0.0, 0.0)}
    assert layout.rings == []


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=10_000))
def test_never_overlaps(n: int, seed: int) -> None:
    layout = compute_layout(people(n, seed))
    points = list(layout.positions.values())
    for a, b in itertools.combinations(points, 2):
        assert math.dist(a, b) >= NODE_SIZE + 8
    assert_no_box_overlaps(layout)
