"""Three months on: what came of the plan, compared with the workshop day (pure, no widgets).

The review stage, the notebook copy and the programme's follow-up figures read the same
answers through these functions:

* :func:`actions_to_review` — the plan's actions, overdue ones first;
* :func:`support_vs_baseline` — support today for the top needs against the workshop day;
* :func:`mosaic_then_and_now` — who was added, who became an existing mentor, which gaps
  closed and which remain (gaps as :func:`analysis.mosaic.mosaic_metrics` finds them);
* :func:`goals_to_review` and :func:`next_plan_goals` — the goals carried into the next plan;
* :func:`next_round` — after a finished review, the next one: the finished round is kept in
  ``Workbook.past_reviews`` and the plan as it is now becomes the new "then".

"Then" is the workbook's :class:`model.Baseline` (taken when the wrap-up is finished); a
workbook without one (saved before schema version 4) has no "then", and every function says so
with None instead of guessing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ..content import Content
from ..model import (
    ActionItem,
    ActionReview,
    ActionStatus,
    Baseline,
    DomainRating,
    Goal,
    GoalDecision,
    Needs,
    Person,
    Review,
    ReviewRound,
    Workbook,
)
from .mosaic import Gap, MosaicMetrics, mosaic_metrics

CLOSED_STATUSES: frozenset[str] = frozenset({"done", "dropped"})
"""An action with one of these answers is no longer waiting, so it is never overdue."""


# -- the baseline ----------------------------------------------------------------------------


def baseline_to_store(
    workbook: Workbook, today: dt.date, now: dt.datetime | None = None
) -> Baseline | None:
    """The workshop-day copy to store when the wrap-up is finished, or None to keep what is there.

    Finishing again on the same day (the participant changed the plan before leaving) takes a
    fresh copy. On a later day the first copy stays: it is the workshop day, and a participant
    who comes back months later and downloads a file again must not lose their "then". Once a
    review exists, the copy it compares against never changes.
    """
    if workbook.review is not None:
        return None
    old = workbook.baseline
    if old is not None and old.taken_on != today:
        return None
    new = Baseline(
        taken_on=today,
        taken_at=now or dt.datetime.now(dt.UTC),
        needs=workbook.needs.model_copy(deep=True),
        goals=[g.model_copy(deep=True) for g in workbook.goals],
        people=[p.model_copy(deep=True) for p in workbook.people],
        actions=[a.model_copy(deep=True) for a in workbook.actions],
    )
    if old is not None and old.model_dump(exclude={"taken_at"}) == new.model_dump(
        exclude={"taken_at"}
    ):
        return None  # nothing changed since: no save
    return new


# -- actions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionToReview:
    """One action of the plan with the review's answer so far."""

    action: ActionItem
    status: ActionStatus | None
    note: str
    days_overdue: int
    """Days past its date on the review day; 0 when it is not overdue."""

    @property
    def overdue(self) -> bool:
        """Past its date and not answered done or dropped."""
        return self.days_overdue > 0

    @property
    def still_open(self) -> bool:
        """Not answered done or dropped (nor, before any answer, ticked done in the plan)."""
        return self.status not in CLOSED_STATUSES and not (
            self.status is None and self.action.done)


def actions_still_to_come(workbook: Workbook, today: dt.date) -> list[ActionItem]:
    """The plan's actions still open and not yet past their date: what a calendar reminder
    can still help with after a review (a reminder of a day gone by never rings)."""
    return [item.action for item in actions_to_review(workbook, today)
            if item.still_open and (item.action.due is None or item.action.due >= today)]


def review_day(workbook: Workbook, today: dt.date | None = None) -> dt.date:
    """The day the review is about: ``today`` if given, else the review's day, else today."""
    if today is not None:
        return today
    if workbook.review is not None and workbook.review.reviewed_on is not None:
        return workbook.review.reviewed_on
    return dt.date.today()


def plan_actions(workbook: Workbook) -> list[ActionItem]:
    """The actions the review asks about: the plan as it is now.

    Actions added since the workshop belong to the plan too; one deleted since is gone on
    purpose. Only when the plan is empty now are the workshop day's actions asked about.
    """
    if workbook.actions or workbook.baseline is None:
        return list(workbook.actions)
    return list(workbook.baseline.actions)


def actions_to_review(workbook: Workbook, today: dt.date | None = None) -> list[ActionToReview]:
    """Every action of the plan: those past their date first (earliest date first), then
    those with a date to come (soonest first), then those without one; the plan's own order
    breaks ties. The order depends on the plan's dates only, never on the answers, so a row
    the participant has just answered stays where it was. Only an action still open (not
    done or dropped) counts as overdue."""
    day = review_day(workbook, today)
    answers = workbook.review.actions if workbook.review is not None else {}
    out = []
    for action in plan_actions(workbook):
        answer = answers.get(action.id)
        item = ActionToReview(action, answer.status if answer else None,
                              answer.note if answer else "", 0)
        if action.due is not None and item.still_open and action.due < day:
            item = dataclasses.replace(item, days_overdue=(day - action.due).days)
        out.append(item)
    order = {id(item): i for i, item in enumerate(out)}

    def key(item: ActionToReview) -> tuple[int, dt.date, int]:
        due = item.action.due
        return (0 if due is not None and due < day else (1 if due is not None else 2),
                due or dt.date.max, order[id(item)])

    return sorted(out, key=key)


def share_done(workbook: Workbook) -> tuple[int, int] | None:
    """(actions answered done, actions answered) in the review; None without answers.

    Unanswered actions are left out rather than counted as not done: the figure says what
    participants reported, never a guess.
    """
    if workbook.review is None:
        return None
    answered = [a.status for a in workbook.review.actions.values() if a.status is not None]
    if not answered:
        return None
    return sum(1 for s in answered if s == "done"), len(answered)


# -- support for the top needs -------------------------------------------------------------


@dataclass(frozen=True)
class SupportChange:
    """Support for one top need on the workshop day and today (0-4; None: not rated)."""

    domain_id: str
    name: str
    then: int | None
    now: int | None

    @property
    def change(self) -> int | None:
        """Now minus then, when both are rated."""
        if self.then is None or self.now is None:
            return None
        return self.now - self.then


def top_needs(workbook: Workbook) -> list[str]:
    """The needs the review asks about: the workshop day's top needs (today's without one)."""
    if workbook.baseline is not None and workbook.baseline.needs.top_needs:
        return list(workbook.baseline.needs.top_needs)
    return list(workbook.needs.top_needs)


def support_vs_baseline(workbook: Workbook, content: Content) -> list[SupportChange]:
    """Support today for each top need, beside its support rating on the workshop day.

    "Then" is the baseline's stage-1 support rating (None without a baseline or a rating);
    "now" is the review's answer (None until answered). Both use stage 1's 0-4 scale.
    """
    then = workbook.baseline.needs.ratings if workbook.baseline is not None else {}
    now = workbook.review.support_today if workbook.review is not None else {}
    names = content.domain_names
    return [
        SupportChange(
            domain_id=d,
            name=names.get(d, d),
            then=then[d].support if d in then else None,
            now=now.get(d),
        )
        for d in top_needs(workbook)
    ]


def support_changes(workbook: Workbook) -> dict[str, int]:
    """Per domain, support now minus support on the workshop day, where both are known.

    Every domain the review rated and the baseline rated counts (the programme's "change in
    support per domain"); nothing without a baseline.
    """
    if workbook.baseline is None or workbook.review is None:
        return {}
    then = workbook.baseline.needs.ratings
    return {
        d: now - then[d].support for d, now in workbook.review.support_today.items() if d in then
    }


# -- the mosaic then and now ---------------------------------------------------------------


@dataclass(frozen=True)
class MosaicChange:
    """The mosaic on the workshop day and today, and what changed between them."""

    then: MosaicMetrics
    now: MosaicMetrics
    added: list[Person]
    """Mentors in the mosaic now who were not in it on the workshop day (existing or not)."""
    became_existing: list[Person]
    """Potential mentors on the workshop day who are existing mentors now (as they are now)."""
    left: list[Person]
    """Mentors on the workshop day who are no longer in the mosaic (as they were then)."""
    gaps_closed: list[Gap]
    """Gaps on the workshop day that an existing mentor fills now (in the order of then)."""
    gaps_remaining: list[Gap]
    """Gaps then that are still gaps now (as they are now, most needed first)."""
    new_gaps: list[Gap]
    """Domains with an existing mentor then and none now."""

    @property
    def new_mentors(self) -> list[Person]:
        """Existing mentors now who were not existing mentors then: added as existing, or a
        potential mentor who became one."""
        added = [p for p in self.added if p.status == "existing"]
        return [*self.became_existing, *added]


def baseline_workbook(workbook: Workbook) -> Workbook | None:
    """The workbook as it was on the workshop day (needs and people from the baseline)."""
    base = workbook.baseline
    if base is None:
        return None
    return workbook.model_copy(
        update={"needs": base.needs, "people": base.people, "goals": base.goals,
                "actions": base.actions}
    )


def mosaic_then_and_now(workbook: Workbook, content: Content) -> MosaicChange | None:
    """Compare the baseline's mosaic with today's; None without a baseline.

    People are matched by their id (kept through edits, downloads and resume). Gaps are those
    of :func:`analysis.mosaic.mosaic_metrics`: a domain with no existing mentor, ordered by
    the workshop day's needs (then) and today's (now).
    """
    before = baseline_workbook(workbook)
    if before is None:
        return None
    then, now = mosaic_metrics(before, content), mosaic_metrics(workbook, content)
    old = {p.id: p for p in before.people if p.role == "mentor"}
    current = [p for p in workbook.people if p.role == "mentor"]
    current_ids = {p.id for p in current}
    then_gaps = {g.domain_id for g in then.gaps}
    now_gaps = {g.domain_id for g in now.gaps}
    return MosaicChange(
        then=then,
        now=now,
        added=[p for p in current if p.id not in old],
        became_existing=[
            p
            for p in current
            if p.id in old and old[p.id].status == "potential" and p.status == "existing"
        ],
        left=[p for pid, p in old.items() if pid not in current_ids],
        gaps_closed=[g for g in then.gaps if g.domain_id not in now_gaps],
        gaps_remaining=[g for g in now.gaps if g.domain_id in then_gaps],
        new_gaps=[g for g in now.gaps if g.domain_id not in then_gaps],
    )


# -- goals carried into the next plan ------------------------------------------------------


def goals_to_review(workbook: Workbook) -> list[Goal]:
    """The goals the review asks about: the workshop day's, as they are now where they still
    exist; then any goal added since. Without a baseline, today's goals."""
    current = {g.id: g for g in workbook.goals}
    if workbook.baseline is None:
        return list(workbook.goals)
    answers = workbook.review.goals if workbook.review is not None else {}
    # a goal answered "revise" keeps its old words here (the new ones are the answer), also
    # once finishing the review has put the new words into the plan
    then = [g if g.id in answers and answers[g.id].decision == "revise"
            else current.get(g.id, g) for g in workbook.baseline.goals]
    seen = {g.id for g in then}
    return then + [g for g in workbook.goals if g.id not in seen]


def decision(workbook: Workbook, goal_id: str) -> GoalDecision | None:
    """The review's keep / revise / retire for one goal (None: not decided)."""
    if workbook.review is None or goal_id not in workbook.review.goals:
        return None
    return workbook.review.goals[goal_id].decision


def next_plan_goals(workbook: Workbook) -> list[Goal]:
    """The goals the next plan starts from: kept ones as they are, revised ones with their
    new words, retired ones left out. A goal not decided yet is carried as it is (nothing is
    dropped without the participant saying so); a revision left empty keeps the old words."""
    answers = workbook.review.goals if workbook.review is not None else {}
    out = []
    for goal in goals_to_review(workbook):
        answer = answers.get(goal.id)
        if answer is None or answer.decision in (None, "keep"):
            out.append(goal)
        elif answer.decision == "revise":
            words = answer.revised.strip()
            out.append(goal.model_copy(update={"goal": words}) if words else goal)
    return out


# -- the next round ------------------------------------------------------------------------

NEXT_REVIEW_AFTER_DAYS = 30
"""From this many days after a finished review, the review page leads with "Start my next
review" (before that the finished review stays in front: the participant may still adjust it)."""


def finished_on(review: Review) -> dt.date | None:
    """The day a review was finished (the day of its last answer), None while unfinished.

    The same rule as the take-home pack's next review date (``exports.pack``)."""
    if review.completed_at is None:
        return None
    return review.reviewed_on or review.completed_at.astimezone().date()


def review_finished_on(workbook: Workbook) -> dt.date | None:
    """The day the current review was finished, or None (no review, or not finished yet)."""
    return finished_on(workbook.review) if workbook.review is not None else None


def earlier_reviews(workbook: Workbook) -> list[dt.date | None]:
    """The days the earlier rounds' reviews were finished, oldest first (None: not known)."""
    return [finished_on(r.review) for r in workbook.past_reviews]


def is_later_round(workbook: Workbook) -> bool:
    """Whether "then" is the plan made at the last review rather than the workshop day."""
    return bool(workbook.past_reviews)


def last_round_answers(workbook: Workbook) -> dict[str, ActionReview]:
    """Per action id, what the last finished review said of it (empty in the first round)."""
    if not workbook.past_reviews:
        return {}
    return dict(workbook.past_reviews[-1].review.actions)


@dataclass(frozen=True)
class NextRound:
    """What "Start my next review" stores: every section it changes, in saving order."""

    past_reviews: list[ReviewRound]
    baseline: Baseline
    review: Review


def next_round(workbook: Workbook, now: dt.datetime | None = None) -> NextRound | None:
    """The next review after a finished one, or None when there is no finished review.

    The finished round (the plan it compared against and the review, untouched) joins
    ``past_reviews``; the new baseline is the plan as it is now (the goals already are the
    ones the review carried forward), dated the day the last review was finished, with the
    support the participant reported in that review as its support ratings (so "then" for
    support is the last review, not the workshop day); the new review is empty. Nothing
    already answered is changed or dropped.
    """
    review = workbook.review
    day = review_finished_on(workbook)
    if review is None or day is None:
        return None
    done = ReviewRound(
        baseline=workbook.baseline.model_copy(deep=True) if workbook.baseline else None,
        review=review.model_copy(deep=True),
    )
    return NextRound(
        past_reviews=[r.model_copy(deep=True) for r in workbook.past_reviews] + [done],
        baseline=Baseline(
            taken_on=day,
            taken_at=now or dt.datetime.now(dt.UTC),
            needs=_needs_at_review(workbook.needs, review),
            goals=[g.model_copy(deep=True) for g in workbook.goals],
            people=[p.model_copy(deep=True) for p in workbook.people],
            actions=[a.model_copy(deep=True) for a in workbook.actions],
        ),
        review=Review(),
    )


def _needs_at_review(needs: Needs, review: Review) -> Needs:
    """The plan's needs with the support ratings the review gave (need levels unchanged)."""
    out = needs.model_copy(deep=True)
    for domain, support in review.support_today.items():
        old = out.ratings.get(domain)
        out.ratings[domain] = (old.model_copy(update={"support": support}) if old is not None
                               else DomainRating(support=support))
    return out
