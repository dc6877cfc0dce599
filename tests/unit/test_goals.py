"""The goal checker and the top-need suggestion (stage 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring_mosaic.analysis.goals import (
    FIX_ORDER,
    advise,
    check_goal,
    gap,
    missing_criteria,
    split_steps,
    suggest_top_needs,
)
from mentoring_mosaic.content.schema import CRITERION_IDS
from mentoring_mosaic.model import DomainRating, Goal, Needs

TODAY = dt.date(2026, 11, 25)


def good_goal(**changes: object) -> Goal:
    base = {
        "need": "research",
        "goal": "Submit my first abstract to the spring meeting",
        "steps": "Pick the case with Dr Lee\nDraft the abstract\nGet feedback from my mentor",
        "measure": "Abstract submitted before the deadline",
        "deadline": TODAY + dt.timedelta(days=90),
        "partner": "Dr Lee",
    }
    base.update(changes)
    return Goal(**base)


NEEDS = Needs(
    ratings={"research": DomainRating(support=1, need=4), "teaching": DomainRating(need=1)},
    top_needs=["research"],
)


def test_a_good_goal_lacks_nothing(content) -> None:
    check = check_goal(good_goal(), content, needs=NEEDS, today=TODAY)
    assert check.ok, [(f.criterion, f.reason) for f in check.findings if not f.ok]
    assert [f.criterion for f in check.findings] == list(CRITERION_IDS)
    assert check.met == list(CRITERION_IDS)


def test_an_empty_goal_lacks_everything_and_each_has_the_content_hint(content) -> None:
    check = check_goal(Goal(), content, needs=NEEDS, today=TODAY)
    assert check.missing == list(CRITERION_IDS)
    hints = {c.id: c.hint for c in content.criteria}
    for finding in check.findings:
        assert finding.hint == hints[finding.criterion]
        assert finding.reason
    assert check.finding("timeline").name == "On a timeline"


@pytest.mark.parametrize(
    ("change", "lacking"),
    [
        ({"need": ""}, "important"),
        ({"need": "teaching"}, "important"),  # rated low and not a top need
        ({"steps": ""}, "specific"),
        ({"goal": "Improve"}, "specific"),
        ({"goal": "Get better at research stuff", "steps": "read"}, "specific"),
        ({"measure": ""}, "measurable"),
        ({"measure": "I feel more confident"}, "measurable"),
        ({"partner": ""}, "accountable"),
        ({"partner": "myself"}, "accountable"),
        ({"partner": "No one."}, "accountable"),
        ({"deadline": None}, "timeline"),
        ({"deadline": TODAY}, "timeline"),
        ({"deadline": TODAY - dt.timedelta(days=3)}, "timeline"),
        ({"deadline": TODAY + dt.timedelta(days=5 * 365)}, "timeline"),
        ({"deadline": TODAY + dt.timedelta(days=10)}, "realistic"),  # 3 steps in 10 days
        ({"deadline": None}, "realistic"),
        ({"steps": "\n".join(f"step number {i}" for i in range(12))}, "realistic"),
    ],
)
def test_each_criterion_fails_on_its_own_weakness(
    content, change: dict[str, object], lacking: str
) -> None:
    missing = missing_criteria(good_goal(**change), content, needs=NEEDS, today=TODAY)
    assert lacking in missing


def test_realistic_says_what_it_needs_to_judge(content) -> None:
    def reason(**change: object) -> str:
        check = check_goal(good_goal(**change), content, needs=NEEDS, today=TODAY)
        return check.finding("realistic").reason

    assert reason(steps="") == "Cannot tell yet: add the steps."
    assert reason(deadline=None) == "Cannot tell yet: add a deadline."
    assert reason(steps="", deadline=None) == "Cannot tell yet: add the steps and a deadline."


def test_a_vague_goal_is_fine_when_the_steps_are_concrete(content) -> None:
    goal = good_goal(goal="Improve my teaching on the wards this year")
    assert "specific" not in missing_criteria(goal, content, needs=NEEDS, today=TODAY)


def test_a_measure_with_a_number_counts(content) -> None:
    goal = good_goal(measure="3 sessions taught, rated by the students")
    check = check_goal(goal, content, needs=NEEDS, today=TODAY)
    assert check.finding("measurable").ok
    assert "number" in check.finding("measurable").reason


def test_important_from_a_high_rating_or_without_needs(content) -> None:
    high = Needs(ratings={"teaching": DomainRating(need=3)})
    goal = good_goal(need="teaching")
    assert check_goal(goal, content, needs=high, today=TODAY).finding("important").ok
    assert check_goal(goal, content, needs=None, today=TODAY).finding("important").ok


def test_reasons_name_the_domain_in_words(content) -> None:
    reason = check_goal(good_goal(), content, needs=NEEDS, today=TODAY).finding("important")
    assert "Research and scholarship" in reason.reason


def test_split_steps_handles_lines_semicolons_and_numbering() -> None:
    assert split_steps("") == []
    assert split_steps("1. email Dr Lee 2. book a slot") == ["email Dr Lee", "book a slot"]
    assert split_steps("- read a; - write b\n\n• c") == ["read a", "write b", "c"]
    assert split_steps("Read 2 papers\nMeet 3 people") == ["Read 2 papers", "Meet 3 people"]


def test_suggest_top_needs_by_largest_gap() -> None:
    ratings = {
        "teaching": DomainRating(support=0, need=2),
        "research": DomainRating(support=1, need=4),
        "leadership": DomainRating(support=2, need=4),
        "career_guidance": DomainRating(support=0, need=2),
        "clinical_skills": DomainRating(support=4, need=4),
        "gone_from_content": DomainRating(support=0, need=4),
    }
    order = ["career_guidance", "clinical_skills", "research", "teaching", "leadership"]
    assert suggest_top_needs(ratings, order, k=3) == ["research", "leadership", "career_guidance"]
    assert suggest_top_needs(ratings, order, k=10) == [
        "research",
        "leadership",
        "career_guidance",
        "teaching",
    ]
    assert suggest_top_needs({}, order) == []
    assert gap(None) == 0
    assert gap(DomainRating(support=3, need=1)) == -2


def advice_for(content, **change: object):
    goal = good_goal(**change)
    return advise(check_goal(goal, content, needs=NEEDS, today=TODAY), goal)


def test_a_goal_not_started_gets_an_invitation_not_a_list(content) -> None:
    goal = Goal(need="research")
    advice = advise(check_goal(goal, content, needs=NEEDS, today=TODAY), goal)
    assert not advice.started and advice.next is None and not advice.ready
    assert advice.met == ()
    assert advice.status == "not started yet"
    # other fields filled but no goal yet: still "start with the goal"
    goal = Goal(need="research", partner="Dr Lee")
    advice = advise(check_goal(goal, content, needs=NEEDS, today=TODAY), goal)
    assert not advice.started and [f.criterion for f in advice.met] == ["accountable"]


def test_the_next_thing_follows_the_order_of_the_form(content) -> None:
    advice = advice_for(content, steps="", measure="", deadline=None, partner="")
    assert advice.next is not None and advice.next.criterion == "specific"
    assert advice.status == "next: specific"
    assert advice_for(content, measure="", partner="").next.criterion == "measurable"
    assert advice_for(content, deadline=None, partner="").next.criterion == "timeline"
    assert advice_for(content, partner="").next.criterion == "accountable"
    assert advice_for(content, deadline=TODAY + dt.timedelta(days=10)).next.criterion == (
        "realistic"
    )
    assert advice_for(content, need="teaching").next.criterion == "important"
    assert set(FIX_ORDER) == set(CRITERION_IDS)


def test_advice_lists_what_is_met_and_a_good_goal_is_ready(content) -> None:
    advice = advice_for(content, partner="")
    assert [f.criterion for f in advice.met] == [
        c for c in CRITERION_IDS if c != "accountable"
    ]
    assert advice.next.hint.startswith("Name a person")  # the content file's hint
    ready = advice_for(content)
    assert ready.ready and ready.next is None and ready.status == "✓ ready"
