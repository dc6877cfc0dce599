"""The wrap-up's action plan and the order of the stage-6 scenarios.

Suggested actions are drawn from the participant's own answers:

- each ILP goal (stage 1): its first step, with the accountability partner, by the deadline;
- each managing-up plan (stage 2): the one ask for the next meeting, or the meeting itself;
- each person with a next step (stages 4-5): the outreach step, by its date;
- the mentoring competency picked to grow this year (stage 3 self-check), if any. It is always
  among the suggestions offered (a long list of dated steps does not push it out).

A suggestion has a stable id (derived from where it came from), so once the participant accepts
it into their plan (the ``actions`` section of stored :class:`ActionItem`) it is not suggested
again, and edits the participant makes to the accepted copy are kept.

Pure Python: no widgets, used by the wrap-up view and by the exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ..content import Content, get_content
from ..content.schema import Scenario
from ..model import ActionItem, Workbook
from .mosaic import mosaic_metrics

TOP_SUGGESTIONS = 8
"""How many suggestions the wrap-up offers at most (a plan longer than this is not a plan)."""

SOURCE_LABELS = {
    "goal": "From my goals",
    "managing_up": "Managing up",
    "outreach": "Outreach",
    "own": "My own",
}
"""How each kind of action is named in the plan and the exports."""

ME = "Me"


def _suggestion_id(*parts: str) -> str:
    """A short id that stays the same for the same origin (goal, plan or person)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"s{digest}"


def _first_line(text: str) -> str:
    """The first non-empty line of a free-text answer, without list markers."""
    for line in text.splitlines():
        line = line.strip().lstrip("-*•0123456789.) ").strip()
        if line:
            return line
    return ""


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sort_key(item: ActionItem) -> tuple[bool, dt.date, int]:
    order = ("goal", "managing_up", "outreach", "own")
    return (item.due is None, item.due or dt.date.max, order.index(item.source))


def grow_action(workbook: Workbook, content: Content | None = None) -> ActionItem | None:
    """The mentoring competency picked in stage 3 to grow this year, as an action (or None).

    ``content`` names the competency (default: the loaded content). A choice the content no
    longer lists still becomes an action, named from its id: nothing the participant chose is
    dropped.
    """
    chosen = workbook.qualities.grow.strip()
    if not chosen:
        return None
    names = {c.id: c.name for c in (content or get_content()).competencies}
    name = names.get(chosen, chosen.replace("_", " ").capitalize())
    return ActionItem(
        id=_suggestion_id("grow", chosen),
        text=f"Grow as a mentor this year: {name}",
        who=ME,
        due=None,
        source="own",
    )


def all_suggestions(workbook: Workbook, content: Content | None = None) -> list[ActionItem]:
    """Every action the answers suggest, soonest first (undated ones last)."""
    out: list[ActionItem] = []
    for goal in workbook.goals:
        step = _first_line(goal.steps)
        goal_text = _shorten(goal.goal, 100)
        if not (step or goal_text):
            continue
        text = f"{step} (towards: {goal_text})" if step and goal_text else step or goal_text
        out.append(
            ActionItem(
                id=_suggestion_id("goal", goal.id),
                text=_shorten(text, 300),
                who=goal.partner or ME,
                due=goal.deadline,
                source="goal",
            )
        )
    for person_id, plan in workbook.managing_up.items():
        person = workbook.person(person_id)
        if person is None:
            continue
        if plan.one_ask.strip():
            text = f"Ask {person.name}: {_shorten(plan.one_ask, 240)}"
        elif plan.next_meeting is not None:
            text = f"Meet {person.name}: send a short agenda two days ahead"
        else:
            continue
        out.append(
            ActionItem(
                id=_suggestion_id("managing_up", person_id),
                text=text,
                who=person.name,
                due=plan.next_meeting,
                source="managing_up",
            )
        )
    for person in workbook.people:
        if person.role != "mentor" or not person.next_step.strip():
            continue
        source = "outreach" if person.status == "potential" else "managing_up"
        out.append(
            ActionItem(
                id=_suggestion_id("person", person.id),
                text=f"{_shorten(person.next_step, 240)} ({person.name})",
                who=person.name,
                due=person.next_step_date,
                source=source,
            )
        )
    grow = grow_action(workbook, content)
    if grow is not None:
        out.append(grow)
    out.sort(key=_sort_key)
    return out


def suggested_actions(
    workbook: Workbook, limit: int = TOP_SUGGESTIONS, content: Content | None = None
) -> list[ActionItem]:
    """The top suggestions not yet in the participant's plan, soonest first.

    The competency to grow (undated, so sorted last) keeps a place within ``limit``.
    """
    taken = {a.id for a in workbook.actions}
    items = [a for a in all_suggestions(workbook, content) if a.id not in taken]
    top = items[:limit]
    grow = grow_action(workbook, content)
    shown = {a.id for a in top}
    if limit > 0 and grow is not None and grow.id not in taken and grow.id not in shown:
        top = [*top[: limit - 1], grow]
    return top


def accept(
    workbook: Workbook, suggestion_ids: Iterable[str], content: Content | None = None
) -> list[ActionItem]:
    """The ``actions`` section with these suggestions added (each at most once)."""
    wanted = set(suggestion_ids)
    plan = [a.model_copy() for a in workbook.actions]
    taken = {a.id for a in plan}
    for item in all_suggestions(workbook, content):
        if item.id in wanted and item.id not in taken:
            plan.append(item)
            taken.add(item.id)
    return plan


@dataclass(frozen=True)
class Commitments:
    """What the exports print and put in the calendar."""

    items: list[ActionItem]
    suggested: bool
    """True when the participant has no plan of their own yet and these are suggestions."""


def commitments(workbook: Workbook) -> Commitments:
    """The participant's plan; if they have none yet, the top suggestions instead."""
    if workbook.actions:
        return Commitments(sorted(workbook.actions, key=lambda a: (a.done, *_sort_key(a))), False)
    return Commitments(suggested_actions(workbook), True)


# -- the biggest gap and the scenario order ------------------------------------------------


def gap_weights(workbook: Workbook, content: Content) -> dict[str, float]:
    """Gaps (domains with no existing mentor) the participant said they need, weighted.

    The gaps and their order come from :func:`analysis.mosaic.mosaic_metrics` (top needs first,
    then the stage-1 need rating), so stage 4, 5 and 6 agree on what the biggest gap is. A gap
    the participant neither picked nor rated weighs 0: nothing says it matters to them.
    """
    gaps = mosaic_metrics(workbook, content).gaps
    return {
        gap.domain_id: float(len(gaps) - rank) if (gap.top_need or gap.need > 0) else 0.0
        for rank, gap in enumerate(gaps)
    }


def biggest_gap(workbook: Workbook, content: Content) -> str | None:
    """The domain id of the participant's biggest gap, or None when nothing says which."""
    weights = gap_weights(workbook, content)
    best = max(weights, key=lambda d: weights[d], default=None)
    return best if best is not None and weights[best] > 0 else None


def ordered_scenarios(workbook: Workbook, content: Content) -> list[Scenario]:
    """Scenarios with the one matching the biggest gap first, then by how well they fit.

    Among cases about the gap, the one listing it earlier (what the case is mainly about)
    comes first. Without any rated need the file order stands (the first two are the
    workshop's own).
    """
    gap = biggest_gap(workbook, content)
    if gap is None:
        return list(content.scenarios)
    weights = gap_weights(workbook, content)
    indexed = list(enumerate(content.scenarios))
    indexed.sort(
        key=lambda pair: (
            gap not in pair[1].domains,
            pair[1].domains.index(gap) if gap in pair[1].domains else 0,
            -sum(weights.get(d, 0.0) for d in pair[1].domains),
            pair[0],
        )
    )
    return [s for _i, s in indexed]
