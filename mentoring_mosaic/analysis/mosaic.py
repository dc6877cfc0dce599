"""Mosaic metrics: depth, breadth, gaps, the domain x level grid and the kind of network.

Definitions (CONTENT.md, stages 4 and 5):

* **Depth** of a domain: how many *existing* mentors stand behind it, and how strong those
  ties are. The depth score is the sum of their tie strengths (weak 1, moderate 2, strong 3).
* **Breadth**: how many domains, levels (senior / peer / junior) and places (division,
  institution, external, personal life) the existing mentors span.
* **Gap**: a domain with no existing mentor. Gaps are ordered by the participant's stage-1
  need: the chosen top needs first (in the order chosen), then by need rating, then in the
  content's order.
* **Network kind** (Higgins & Kram 2001): developmental networks vary in *diversity* (how many
  different social circles the mentors come from) and *tie strength*. Here diversity counts
  the places and levels beyond the first one ("spread"); a spread of
  :data:`HIGH_DIVERSITY_SPREAD` or more is high. Ties are strong when at least
  :data:`STRONG_CORE` current mentors are close ones (tie strength 3), or when the only mentor
  is. The rule counts close mentors instead of averaging, so adding one more acquaintance never
  turns a network of strong ties into one of weak ties.

Only mentors count (the participant's own mentees are people they support, not support for
them). Potential mentors are counted apart, so stage 5 can show "after" next to "before".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import Content
from ..content.schema import NetworkType, Suggestion
from ..model import LEVELS, PLACES, Person, Workbook

HIGH_DIVERSITY_SPREAD = 3
"""(distinct places - 1) + (distinct levels - 1) at or above this counts as high diversity."""

STRONG_CORE = 2
"""This many close mentors (tie strength 3) or more make a network of strong ties."""

LEVEL_WORDS = {"senior": "Senior", "peer": "Peer", "junior": "Junior"}


@dataclass(frozen=True)
class Cell:
    """One square of the domain x level grid."""

    existing: int = 0
    potential: int = 0
    tie_sum: int = 0  # sum of tie strengths of the existing mentors here


@dataclass(frozen=True)
class DomainDepth:
    """How deep the support for one domain goes."""

    domain_id: str
    name: str
    color: str
    existing: int  # existing mentors who support this domain
    potential: int  # potential mentors who would
    tie_sum: int  # depth score: the sum of the existing mentors' tie strengths
    strong: int  # existing mentors with a strong tie
    need: int  # stage-1 need rating (0-4), 0 when not rated
    top_need: bool

    @property
    def is_gap(self) -> bool:
        """No existing mentor supports this domain."""
        return self.existing == 0


@dataclass(frozen=True)
class Breadth:
    """How wide the existing network is."""

    domains: int
    domains_total: int
    levels: int
    levels_total: int
    places: int
    places_total: int
    level_names: tuple[str, ...] = ()
    place_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    """A domain with no existing mentor, and where to look at each level."""

    domain_id: str
    name: str
    color: str
    need: int
    top_need: bool
    potential: int  # potential mentors already named for it
    suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)  # level -> list


@dataclass(frozen=True)
class NetworkKind:
    """Where the network sits on Higgins & Kram's two dimensions, in plain words."""

    diversity: str  # "low" / "high"
    ties: str  # "weak" / "strong"
    spread: int
    mean_tie: float
    type: NetworkType
    explanation: str


@dataclass(frozen=True)
class MosaicMetrics:
    """Everything the mosaic view shows."""

    depth: list[DomainDepth]  # content order
    grid: dict[str, dict[str, Cell]]  # domain id -> level -> cell
    breadth: Breadth
    gaps: list[Gap]  # most needed first
    level_mix: dict[str, int]  # existing mentors per level
    potential_level_mix: dict[str, int]
    existing_mentors: int
    potential_mentors: int
    mentees: int
    total_depth: int  # sum of all domains' depth scores
    kind: NetworkKind | None  # None until there is at least one existing mentor

    def domain(self, domain_id: str) -> DomainDepth:
        """The depth entry of one domain."""
        return next(d for d in self.depth if d.domain_id == domain_id)


def _need(workbook: Workbook, domain_id: str) -> int:
    rating = workbook.needs.ratings.get(domain_id)
    return rating.need if rating is not None else 0


def gap_order_key(workbook: Workbook, domain_ids: list[str]) -> dict[str, tuple[int, int, int]]:
    """Sort keys: top needs first (their order), then higher need rating, then content order."""
    top = list(workbook.needs.top_needs)
    keys = {}
    for index, domain_id in enumerate(domain_ids):
        in_top = top.index(domain_id) if domain_id in top else len(top) + 1
        keys[domain_id] = (in_top, -_need(workbook, domain_id), index)
    return keys


def network_kind(mentors: list[Person], content: Content) -> NetworkKind | None:
    """Classify the existing mentors along diversity and tie strength."""
    if not mentors:
        return None
    places = {p.place for p in mentors}
    levels = {p.level for p in mentors}
    spread = (len(places) - 1) + (len(levels) - 1)
    mean_tie = sum(p.tie_strength for p in mentors) / len(mentors)
    close = sum(1 for p in mentors if p.tie_strength == 3)
    diversity = "high" if spread >= HIGH_DIVERSITY_SPREAD else "low"
    strong = close >= STRONG_CORE or (len(mentors) == 1 and close == 1)
    ties = "strong" if strong else "weak"
    nt = content.network_type(diversity, ties)
    place_word = "place" if len(places) == 1 else "places"
    level_word = "level" if len(levels) == 1 else "levels"
    close_words = "none of them is" if close == 0 else (
        "one of them is" if close == 1 else f"{close} of them are")
    one = len(mentors) == 1
    explanation = (
        f"Your {len(mentors)} current mentor{'' if one else 's'} "
        f"come{'s' if one else ''} from {len(places)} {place_word} and {len(levels)} "
        f"{level_word}, so diversity is {diversity}; {close_words} very close to you, so your "
        f"network counts as one of {ties} ties (it takes at least {STRONG_CORE} very close "
        "mentors to count as strong)."
    )
    return NetworkKind(diversity, ties, spread, round(mean_tie, 2), nt, explanation)


def mosaic_metrics(workbook: Workbook, content: Content) -> MosaicMetrics:
    """Depth, breadth, gaps, grid, level mix and network kind of a workbook's mosaic."""
    existing = [p for p in workbook.people if p.role == "mentor" and p.status == "existing"]
    potential = [p for p in workbook.people if p.role == "mentor" and p.status == "potential"]
    domain_ids = [d.id for d in content.domains]
    known = set(domain_ids)
    top = set(workbook.needs.top_needs)

    grid: dict[str, dict[str, Cell]] = {d: {lvl: Cell() for lvl in LEVELS} for d in domain_ids}
    for person in existing + potential:
        for domain_id in dict.fromkeys(person.domains):
            if domain_id not in known:
                continue
            cell = grid[domain_id][person.level]
            if person.status == "existing":
                cell = Cell(cell.existing + 1, cell.potential, cell.tie_sum + person.tie_strength)
            else:
                cell = Cell(cell.existing, cell.potential + 1, cell.tie_sum)
            grid[domain_id][person.level] = cell

    depth = []
    for d in content.domains:
        cells = grid[d.id].values()
        depth.append(
            DomainDepth(
                domain_id=d.id,
                name=d.name,
                color=d.color,
                existing=sum(c.existing for c in cells),
                potential=sum(c.potential for c in cells),
                tie_sum=sum(c.tie_sum for c in cells),
                strong=sum(
                    1 for p in existing if d.id in p.domains and p.tie_strength == 3
                ),
                need=_need(workbook, d.id),
                top_need=d.id in top,
            )
        )

    keys = gap_order_key(workbook, domain_ids)
    gaps = [
        Gap(
            domain_id=dd.domain_id,
            name=dd.name,
            color=dd.color,
            need=dd.need,
            top_need=dd.top_need,
            potential=dd.potential,
            suggestions={lvl: content.suggestions_for(dd.domain_id, lvl) for lvl in LEVEL_ORDER},
        )
        for dd in sorted((dd for dd in depth if dd.is_gap), key=lambda dd: keys[dd.domain_id])
    ]

    levels = tuple(lvl for lvl in LEVELS if any(p.level == lvl for p in existing))
    places = tuple(pl for pl in PLACES if any(p.place == pl for p in existing))
    breadth = Breadth(
        domains=sum(1 for dd in depth if not dd.is_gap),
        domains_total=len(depth),
        levels=len(levels),
        levels_total=len(LEVELS),
        places=len(places),
        places_total=len(PLACES),
        level_names=levels,
        place_names=places,
    )
    return MosaicMetrics(
        depth=depth,
        grid=grid,
        breadth=breadth,
        gaps=gaps,
        level_mix={lvl: sum(1 for p in existing if p.level == lvl) for lvl in LEVELS},
        potential_level_mix={lvl: sum(1 for p in potential if p.level == lvl) for lvl in LEVELS},
        existing_mentors=len(existing),
        potential_mentors=len(potential),
        mentees=sum(1 for p in workbook.people if p.role == "mentee"),
        total_depth=sum(dd.tie_sum for dd in depth),
        kind=network_kind(existing, content),
    )


LEVEL_ORDER: tuple[str, ...] = ("junior", "peer", "senior")
"""The order stage 5 offers suggestions in (the abstract's "junior, peer and senior")."""


def suggestions_for_gap(content: Content, domain_id: str) -> dict[str, list[Suggestion]]:
    """Where to look for a mentor in one domain, at junior, peer and senior level."""
    return {lvl: content.suggestions_for(domain_id, lvl) for lvl in LEVEL_ORDER}


def existing_only(workbook: Workbook) -> Workbook:
    """A copy of the workbook without potential mentors (the mosaic 'before')."""
    copy = workbook.model_copy(deep=True)
    copy.people = [p for p in copy.people if p.status == "existing"]
    return copy
