"""Mosaic metrics: depth, breadth, gaps ordered by need, grid, level mix, network kind."""

from __future__ import annotations

import pytest

from mentoring_mosaic.analysis.mosaic import (
    LEVEL_ORDER,
    existing_only,
    mosaic_metrics,
    suggestions_for_gap,
)
from mentoring_mosaic.model import DomainRating, Needs, Person, Workbook


def wb(*people: Person, needs: Needs | None = None) -> Workbook:
    return Workbook(people=list(people), needs=needs or Needs())


def mentor(name: str, **kw) -> Person:
    return Person(name=name, **kw)


def test_empty_workbook_is_all_gaps_and_has_no_kind(content) -> None:
    m = mosaic_metrics(Workbook(), content)
    assert len(m.gaps) == len(content.domains)
    assert m.breadth.domains == 0 and m.breadth.levels == 0 and m.breadth.places == 0
    assert m.kind is None
    assert m.total_depth == 0


def test_depth_counts_existing_mentors_and_tie_strength(content) -> None:
    m = mosaic_metrics(
        wb(
            mentor("A", domains=["research", "teaching"], tie_strength=3),
            mentor("B", domains=["research"], tie_strength=1, level="peer"),
            mentor("C", domains=["research"], status="potential"),
            mentor("Kid", domains=["research"], role="mentee", level="junior"),
        ),
        content,
    )
    research = m.domain("research")
    assert (research.existing, research.tie_sum, research.potential, research.strong) == (
        2,
        4,
        1,
        1,
    )
    assert m.domain("teaching").tie_sum == 3
    assert m.grid["research"]["senior"].existing == 1
    assert m.grid["research"]["senior"].potential == 1
    assert m.grid["research"]["peer"].tie_sum == 1
    assert m.grid["research"]["junior"].existing == 0, "mentees do not count as support"
    assert m.total_depth == 7
    assert m.existing_mentors == 2 and m.potential_mentors == 1 and m.mentees == 1


def test_breadth_counts_domains_levels_places(content) -> None:
    m = mosaic_metrics(
        wb(
            mentor("A", domains=["research"], place="division"),
            mentor("B", domains=["teaching", "research"], level="peer", place="external"),
            mentor("P", domains=["sponsorship"], level="junior", status="potential"),
        ),
        content,
    )
    b = m.breadth
    assert (b.domains, b.levels, b.places) == (2, 2, 2)
    assert (b.domains_total, b.levels_total, b.places_total) == (len(content.domains), 3, 4)
    assert b.level_names == ("senior", "peer")
    assert m.level_mix == {"senior": 1, "peer": 1, "junior": 0}
    assert m.potential_level_mix == {"senior": 0, "peer": 0, "junior": 1}


def test_gaps_ordered_by_top_needs_then_need_rating(content) -> None:
    needs = Needs(
        ratings={
            "teaching": DomainRating(need=4),
            "leadership": DomainRating(need=2),
            "sponsorship": DomainRating(need=3),
            "research": DomainRating(need=4),
        },
        top_needs=["leadership", "research"],
    )
    m = mosaic_metrics(wb(mentor("A", domains=["research"]), needs=needs), content)
    order = [g.domain_id for g in m.gaps]
    assert "research" not in order, "a domain with an existing mentor is no gap"
    assert order[:3] == ["leadership", "teaching", "sponsorship"]
    assert m.gaps[0].top_need and m.gaps[0].need == 2
    rest = [d.id for d in content.domains if d.id not in order[:3] and d.id != "research"]
    assert order[3:] == rest, "unrated gaps keep the content order"


def test_gap_has_suggestions_at_every_level(content) -> None:
    m = mosaic_metrics(Workbook(), content)
    for gap in m.gaps:
        assert list(gap.suggestions) == list(LEVEL_ORDER)
        for level, found in gap.suggestions.items():
            assert found, (gap.domain_id, level)
            assert all(s.level == level for s in found)
    assert suggestions_for_gap(content, "sponsorship")["senior"] == content.suggestions_for(
        "sponsorship", "senior"
    )


def test_potential_mentor_does_not_fill_a_gap(content) -> None:
    m = mosaic_metrics(wb(mentor("P", domains=["teaching"], status="potential")), content)
    gap = next(g for g in m.gaps if g.domain_id == "teaching")
    assert gap.potential == 1


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        # one place, one level, moderate ties -> low diversity, weak ties
        ([("senior", "division", 2), ("senior", "division", 2)], "receptive"),
        ([("senior", "division", 3), ("senior", "division", 3)], "traditional"),
        # 3 places and 2 levels -> spread 3 -> high diversity
        (
            [("senior", "division", 1), ("peer", "external", 2), ("peer", "personal", 2)],
            "opportunistic",
        ),
        (
            [("senior", "division", 3), ("peer", "external", 3), ("junior", "institution", 2)],
            "entrepreneurial",
        ),
    ],
)
def test_network_kind(content, people, expected) -> None:
    m = mosaic_metrics(
        wb(*(mentor(f"M{i}", level=lv, place=pl, tie_strength=t) for i, (lv, pl, t) in
             enumerate(people))),
        content,
    )
    assert m.kind is not None
    assert m.kind.type.id == expected
    assert m.kind.type == content.network_type(m.kind.diversity, m.kind.ties)
    assert "diversity is" in m.kind.explanation


def test_unknown_domain_ids_are_ignored(content) -> None:
    m = mosaic_metrics(wb(mentor("A", domains=["not_a_domain", "research"])), content)
    assert m.domain("research").existing == 1
    assert m.breadth.domains == 1


def test_existing_only_drops_potential_mentors() -> None:
    w = wb(mentor("A"), mentor("P", status="potential"), mentor("K", role="mentee"))
    before = existing_only(w)
    assert [p.name for p in before.people] == ["A", "K"]
    assert len(w.people) == 3, "the original is untouched"


def test_one_more_acquaintance_never_flips_the_kind_of_network(content) -> None:
    """The issue's case: Entrepreneurial turned Opportunistic when one weak tie was added."""
    base = [mentor("A", level="senior", place="division", tie_strength=3),
            mentor("B", level="peer", place="external", tie_strength=3),
            mentor("C", level="junior", place="institution", tie_strength=2),
            mentor("D", level="senior", place="division", tie_strength=2)]
    before = mosaic_metrics(wb(*base), content).kind
    assert before is not None and before.type.id == "entrepreneurial"
    for place in ("division", "external", "institution"):
        for level in ("senior", "peer", "junior"):
            weak = mentor("Acquaintance", level=level, place=place, tie_strength=1)
            after = mosaic_metrics(wb(*base, weak), content).kind
            assert after is not None and after.ties == before.ties == "strong"
            assert after.type.id == "entrepreneurial"


def test_strong_ties_need_two_very_close_mentors(content) -> None:
    one_close = wb(mentor("A", tie_strength=3), mentor("B", tie_strength=2))
    assert mosaic_metrics(one_close, content).kind.ties == "weak"
    two_close = wb(mentor("A", tie_strength=3), mentor("B", tie_strength=3),
                   *(mentor(f"W{i}", tie_strength=1) for i in range(5)))
    kind = mosaic_metrics(two_close, content).kind
    assert kind.ties == "strong"
    assert "2 of them are very close" in kind.explanation
    assert mosaic_metrics(wb(mentor("Only", tie_strength=3)), content).kind.ties == "strong"
