"""The goal checker and the top-need suggestion for stage 1 (the individualized learning plan).

A good learning goal is important, specific, measurable, accountable, realistic and on a
timeline (Li et al., Academic Medicine 2010). The checks below are plain, explainable
heuristics: each finding says *why* a criterion is met or not, and carries the hint for it
from the content file ``ilp.toml``. Pure functions, no widgets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..content import Content
from ..content.schema import CRITERION_IDS
from ..model import DomainRating, Goal, Needs

MIN_GOAL_WORDS = 4
"""A goal shorter than this says too little to act on."""

MIN_STEP_WORDS = 2
"""A step needs at least a verb and an object ("email Dr Lee")."""

MAX_STEPS = 8
"""More steps than this will not fit next to a full clinical schedule."""

DAYS_PER_STEP = 7
"""About a week per step is the least a busy trainee can manage."""

MAX_HORIZON_DAYS = 2 * 365
"""A deadline further off than two years is not a timeline, it is a hope."""

HIGH_NEED = 3
"""A need rated this high (on 0-4) makes a goal important even if it is not a top need."""

VAGUE_WORDS = (
    "improve",
    "better",
    "more",
    "work on",
    "try",
    "get good",
    "get better",
    "learn about",
    "be good",
    "stuff",
    "things",
    "somehow",
    "in general",
    "etc",
)
"""Words that, on their own, make a goal or a measure too vague to check."""

OBSERVABLE_WORDS = (
    "sent",
    "send",
    "submit",
    "submitted",
    "held",
    "hold",
    "met",
    "meet",
    "meeting",
    "complete",
    "completed",
    "finish",
    "finished",
    "draft",
    "drafted",
    "present",
    "presented",
    "presentation",
    "publish",
    "published",
    "signed off",
    "sign-off",
    "certified",
    "certificate",
    "written",
    "write",
    "booked",
    "book",
    "attend",
    "attended",
    "delivered",
    "deliver",
    "feedback",
    "score",
    "list",
    "plan",
    "email",
    "abstract",
    "grant",
    "paper",
    "manuscript",
    "session",
    "talk",
    "poster",
)
"""Words naming something you could show someone: the goal has an observable outcome."""

NUMBER_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "twenty",
    "once",
    "twice",
    "weekly",
    "monthly",
    "every",
    "each",
    "first",
    "all",
)
"""Words that count (so a measure without digits can still be counted)."""

NOBODY = {"", "me", "myself", "i", "nobody", "no one", "noone", "none", "n/a", "na", "-", "?"}
"""Answers that do not name an accountability partner."""


@dataclass(frozen=True)
class Finding:
    """The verdict on one criterion for one goal."""

    criterion: str  # one of CRITERION_IDS
    name: str  # "Specific"
    ok: bool
    reason: str  # why, in plain words
    hint: str  # how to fix it (from the content file); shown when not ok


@dataclass(frozen=True)
class GoalCheck:
    """All six findings for one goal, in the content's order."""

    findings: tuple[Finding, ...]

    @property
    def missing(self) -> list[str]:
        """The criterion ids the goal still lacks."""
        return [f.criterion for f in self.findings if not f.ok]

    @property
    def met(self) -> list[str]:
        """The criterion ids the goal meets."""
        return [f.criterion for f in self.findings if f.ok]

    @property
    def ok(self) -> bool:
        """True when nothing is missing."""
        return not self.missing

    def finding(self, criterion: str) -> Finding:
        """The finding for one criterion id."""
        for f in self.findings:
            if f.criterion == criterion:
                return f
        raise KeyError(criterion)


# -- small text helpers ------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def _has_phrase(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases that occur in ``text`` as whole words."""
    low = " " + " ".join(_words(text)) + " "
    return [p for p in phrases if f" {p} " in low]


def split_steps(text: str) -> list[str]:
    """The steps in a free-text field: one per line, or separated by ';' or numbered items.

    Bullets and numbering ("1.", "2)", "-", "•") are removed; blank items dropped.
    """
    if not text.strip():
        return []
    parts = re.split(r"[\n;]+|(?:(?<=\s)|^)(?=\d+[.)]\s)", text)
    steps = []
    for part in parts:
        clean = re.sub(r"^\s*(?:[-*•·]+|\d+[.)])\s*", "", part).strip()
        if clean:
            steps.append(clean)
    return steps


def _real_steps(text: str) -> list[str]:
    return [s for s in split_steps(text) if len(_words(s)) >= MIN_STEP_WORDS]


# -- the six checks ----------------------------------------------------------------------------


def _important(goal: Goal, needs: Needs | None, names: Mapping[str, str]) -> tuple[bool, str]:
    if not goal.goal.strip():
        return False, "The goal is not written yet."
    if not goal.need:
        return False, "The goal is not linked to one of your needs."
    label = names.get(goal.need, goal.need)
    if needs is None:
        return True, f"It serves your need: {label}."
    if goal.need in needs.top_needs:
        return True, f"It serves one of your top needs: {label}."
    rating = needs.ratings.get(goal.need)
    if rating is not None and rating.need >= HIGH_NEED:
        return True, f"You rated your need for {label} high ({rating.need} of 4)."
    return False, f"{label} is not among your top needs and you did not rate it high."


def _specific(goal: Goal) -> tuple[bool, str]:
    words = _words(goal.goal)
    if not words:
        return False, "The goal is not written yet."
    if len(words) < MIN_GOAL_WORDS:
        return False, f"The goal has {len(words)} word(s); say what you will do, in a sentence."
    steps = _real_steps(goal.steps)
    vague = _has_phrase(goal.goal, VAGUE_WORDS)
    if not steps:
        return False, "No steps yet: break the goal into concrete steps."
    if vague and len(steps) < 2:
        return False, (
            f"The goal uses vague words ({', '.join(vague)}) and has only one step: "
            "add the concrete actions."
        )
    return True, f"{len(steps)} concrete step(s)."


def _measurable(goal: Goal) -> tuple[bool, str]:
    measure = goal.measure.strip()
    if not measure:
        return False, "No measure yet: how will you know it is done?"
    has_number = bool(re.search(r"\d", measure)) or bool(_has_phrase(measure, NUMBER_WORDS))
    observable = _has_phrase(measure, OBSERVABLE_WORDS)
    if has_number or observable:
        what = "a number" if has_number else f"an observable outcome ({observable[0]})"
        return True, f"The measure names {what}."
    return False, "The measure has no number and nothing you could show someone."


def _accountable(goal: Goal) -> tuple[bool, str]:
    partner = goal.partner.strip()
    if partner.lower().strip(".!") in NOBODY:
        return False, "No accountability partner named."
    return True, f"{partner} will keep you on track."


def _timeline(goal: Goal, today: dt.date) -> tuple[bool, str]:
    if goal.deadline is None:
        return False, "No deadline set."
    days = (goal.deadline - today).days
    if days <= 0:
        return False, "The deadline has already passed: set a new one."
    if days > MAX_HORIZON_DAYS:
        return False, f"The deadline is {days // 365} years away: bring it within two years."
    return True, f"Due {goal.deadline:%d %b %Y}, in {days} day(s)."


def _realistic(goal: Goal, today: dt.date) -> tuple[bool, str]:
    steps = _real_steps(goal.steps)
    if not steps or goal.deadline is None:
        missing = " and ".join(
            part
            for part, absent in (("the steps", not steps), ("a deadline", goal.deadline is None))
            if absent
        )
        return False, f"Cannot tell yet: add {missing}."
    if len(steps) > MAX_STEPS:
        return False, f"{len(steps)} steps is a lot next to a full schedule: keep the first few."
    days = (goal.deadline - today).days
    if days <= 0:
        return False, "The deadline has passed, so the plan cannot be done as written."
    needed = DAYS_PER_STEP * len(steps)
    if days < needed:
        return False, (
            f"{len(steps)} step(s) in {days} day(s) is tight: allow about a week per step "
            f"(at least {needed} days)."
        )
    return True, f"{len(steps)} step(s) in {days} day(s) leaves room for a busy month."


def check_goal(
    goal: Goal,
    content: Content,
    *,
    needs: Needs | None = None,
    today: dt.date | None = None,
) -> GoalCheck:
    """Check one goal against the six criteria; hints come from ``content.criteria``.

    ``needs`` (the participant's ratings and top needs) decides *important*; without it any
    goal tied to a need counts as important. ``today`` defaults to the current date.
    """
    today = today or dt.date.today()
    names = content.domain_names
    results = {
        "important": _important(goal, needs, names),
        "specific": _specific(goal),
        "measurable": _measurable(goal),
        "accountable": _accountable(goal),
        "realistic": _realistic(goal, today),
        "timeline": _timeline(goal, today),
    }
    by_id = {c.id: c for c in content.criteria}
    order = [c.id for c in content.criteria] + [c for c in CRITERION_IDS if c not in by_id]
    findings = []
    for cid in order:
        ok, reason = results[cid]
        criterion = by_id.get(cid)
        findings.append(
            Finding(
                criterion=cid,
                name=criterion.name if criterion else cid.capitalize(),
                ok=ok,
                reason=reason,
                hint=criterion.hint if criterion else "",
            )
        )
    return GoalCheck(tuple(findings))


def missing_criteria(
    goal: Goal, content: Content, *, needs: Needs | None = None, today: dt.date | None = None
) -> list[str]:
    """Shortcut: the criterion ids a goal still lacks."""
    return check_goal(goal, content, needs=needs, today=today).missing


# -- what the checker says next ----------------------------------------------------------------

START_PROMPT = "Start with: what do you want to be able to do?"
"""What the checker says to a goal not yet started: an invitation, not a list of what is missing."""

START_HINT = "One sentence is enough, for example “By March I will submit my first abstract.”"

FIX_ORDER = ("specific", "measurable", "timeline", "accountable", "realistic", "important")
"""The order of the form (goal and steps, measure, deadline, partner): the next thing to fix is
the first weak field from the top, so the advice never jumps ahead of where the participant is.
*Important* comes last: it fails only for a goal whose need is no longer a top need."""


@dataclass(frozen=True)
class Advice:
    """The checker's word on one goal: the single next thing to fix and what is already met."""

    started: bool  # the goal itself is written
    next: Finding | None  # None when the goal meets every criterion (or is not started)
    met: tuple[Finding, ...]  # in the content's order

    @property
    def ready(self) -> bool:
        """True when the goal is written and lacks nothing."""
        return self.started and self.next is None

    @property
    def status(self) -> str:
        """A few words for a collapsed goal: not started, what comes next, or ready."""
        if not self.started:
            return "not started yet"
        if self.next is None:
            return "✓ ready"
        return f"next: {self.next.name.lower()}"


def advise(check: GoalCheck, goal: Goal) -> Advice:
    """One next step for ``goal`` (checked as ``check``), in the order of the form.

    A goal whose text is empty is *not started*: the advice is :data:`START_PROMPT`, whatever
    else is filled in, and nothing counts as missing yet.
    """
    met = tuple(f for f in check.findings if f.ok)
    if not goal.goal.strip():
        return Advice(started=False, next=None, met=met)
    by_id = {f.criterion: f for f in check.findings}
    order = [c for c in FIX_ORDER if c in by_id] + [c for c in by_id if c not in FIX_ORDER]
    first = next((by_id[c] for c in order if not by_id[c].ok), None)
    return Advice(started=True, next=first, met=met)


# -- top needs ---------------------------------------------------------------------------------


def gap(rating: DomainRating | None) -> int:
    """Need minus support (negative when a domain is better supported than needed)."""
    return 0 if rating is None else rating.need - rating.support


def suggest_top_needs(
    ratings: Mapping[str, DomainRating], domain_order: Sequence[str], k: int = 3
) -> list[str]:
    """The ``k`` domains with the largest need − support gap, most pressing first.

    Only domains with a positive gap count. Ties go to the higher need, then to the content's
    domain order; domains not in ``domain_order`` (removed from the content) are ignored.
    """
    position = {d: i for i, d in enumerate(domain_order)}
    candidates = [
        (d, r) for d, r in ratings.items() if d in position and gap(r) > 0
    ]
    candidates.sort(key=lambda item: (-gap(item[1]), -item[1].need, position[item[0]]))
    return [d for d, _ in candidates[:k]]
