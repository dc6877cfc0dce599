"""The wrap-up's action plan and the stage-6 scenario order."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest.mock import patch

from mentoring_mosaic.analysis.actions import (
    accept,
    all_suggestions,
    biggest_gap,
    commitments,
    grow_action,
    ordered_scenarios,
    suggested_actions,
)
from mentoring_mosaic.model import (
    ActionItem,
    DomainRating,
    Goal,
    ManagingUpPlan,
    Needs,
    Person,
    Qualities,
    Workbook,
)

D1 = dt.date(2027, 1, 10)
D2 = dt.date(2027, 2, 1)
D3 = dt.date(2027, 3, 5)


def planned_workbook() -> Workbook:
    chen = Person(id="chen", name="Dr Chen", domains=["career_guidance"])
    lewis = Person(
        id="lewis",
        name="Dr Lewis",
        status="potential",
        domains=["leadership"],
        next_step="Ask for a 20-minute coffee about QI",
        next_step_date=D1,
    )
    return Workbook(
        goals=[
            Goal(
                id="g1",
                need="research",
                goal="Submit my first abstract",
                steps="1. Draft the methods\n2. Send to Dr Chen",
                deadline=D3,
                partner="Sam",
            ),
            Goal(id="g2", need="teaching", goal="Give a noon conference"),
            Goal(id="g3"),  # empty: suggests nothing
        ],
        people=[chen, lewis, Person(id="kid", name="A student", role="mentee", next_step="x")],
        managing_up={
            "chen": ManagingUpPlan(one_ask="Read my personal statement", next_meeting=D2),
            "ghost": ManagingUpPlan(one_ask="nobody"),  # person removed: ignored
        },
    )


def test_suggestions_come_from_goals_plans_and_outreach_soonest_first() -> None:
    items = all_suggestions(planned_workbook())
    assert [(a.source, a.who, a.due) for a in items] == [
        ("outreach", "Dr Lewis", D1),
        ("managing_up", "Dr Chen", D2),
        ("goal", "Sam", D3),
        ("goal", "Me", None),
    ]
    assert items[0].text == "Ask for a 20-minute coffee about QI (Dr Lewis)"
    assert items[1].text == "Ask Dr Chen: Read my personal statement"
    assert items[2].text == "Draft the methods (towards: Submit my first abstract)"
    assert items[3].text == "Give a noon conference"


def test_meeting_without_an_ask_still_suggests_preparing_it() -> None:
    wb = planned_workbook()
    wb.managing_up = {"chen": ManagingUpPlan(next_meeting=D2)}
    (item,) = [a for a in all_suggestions(wb) if a.source == "managing_up"]
    assert item.text.startswith("Meet Dr Chen") and item.due == D2


def test_suggestion_ids_are_stable_and_accepted_ones_are_not_offered_again() -> None:
    wb = planned_workbook()
    first = all_suggestions(wb)
    assert [a.id for a in first] == [a.id for a in all_suggestions(planned_workbook())]
    wb.actions = accept(wb, [first[0].id, first[0].id, "unknown"])
    assert [a.id for a in wb.actions] == [first[0].id]
    assert first[0].id not in {a.id for a in suggested_actions(wb)}
    assert len(suggested_actions(wb)) == len(first) - 1


def test_an_edited_accepted_action_keeps_the_participants_words() -> None:
    wb = planned_workbook()
    wb.actions = accept(wb, [all_suggestions(wb)[0].id])
    wb.actions = [wb.actions[0].model_copy(update={"text": "Email Dr Lewis on Monday"})]
    wb.actions = accept(wb, [a.id for a in all_suggestions(wb)])
    assert wb.actions[0].text == "Email Dr Lewis on Monday"
    assert len(wb.actions) == 4


def test_commitments_are_the_plan_or_else_the_suggestions() -> None:
    wb = planned_workbook()
    plan = commitments(wb)
    assert plan.suggested and len(plan.items) == 4
    wb.actions = [
        ActionItem(id="a", text="done one", done=True, due=D1),
        ActionItem(id="b", text="later", due=D3),
        ActionItem(id="c", text="soon", due=D2),
    ]
    plan = commitments(wb)
    assert not plan.suggested
    assert [a.id for a in plan.items] == ["c", "b", "a"]


def test_suggestions_are_capped() -> None:
    wb = Workbook(goals=[Goal(goal=f"goal {i}") for i in range(20)])
    assert len(suggested_actions(wb)) == 8
    assert len(suggested_actions(wb, limit=3)) == 3


def test_the_competency_to_grow_is_a_suggestion_and_reaches_the_plan(content) -> None:
    wb = planned_workbook()
    assert grow_action(wb, content) is None  # nothing picked: nothing suggested
    wb.qualities = Qualities(grow="aligning_expectations")
    grow = grow_action(wb, content)
    assert grow is not None
    assert grow.text == "Grow as a mentor this year: Aligning expectations"
    assert grow.who == "Me" and grow.due is None and grow.source == "own"
    # undated, so after the dated steps; the same id every time, so it is offered once
    assert all_suggestions(wb, content)[-1] == grow
    assert grow_action(wb, content).id == grow.id
    assert commitments(wb).items[-1].text == grow.text  # no own plan yet: suggested
    wb.actions = accept(wb, [grow.id], content)
    assert [a.text for a in wb.actions] == [grow.text]
    assert grow.id not in {a.id for a in suggested_actions(wb, content=content)}
    assert [a.text for a in commitments(wb).items] == [grow.text]  # now in the plan itself


def test_the_competency_to_grow_keeps_its_place_among_many_suggestions(content) -> None:
    wb = Workbook(
        goals=[Goal(goal=f"goal {i}", deadline=D1) for i in range(20)],
        qualities=Qualities(grow="fostering_independence"),
    )
    top = suggested_actions(wb, content=content)
    assert len(top) == 8
    assert top[-1].text == "Grow as a mentor this year: Fostering independence"
    assert [a.text for a in top[:7]] == [f"goal {i}" for i in range(7)]


def test_a_competency_the_content_no_longer_has_is_still_suggested(content) -> None:
    wb = Workbook(qualities=Qualities(grow="coaching_peers"))
    grow = grow_action(wb, content)
    assert grow is not None and grow.text == "Grow as a mentor this year: Coaching peers"


def test_no_rated_need_means_no_biggest_gap_and_file_order(content) -> None:
    wb = Workbook()
    assert biggest_gap(wb, content) is None
    assert ordered_scenarios(wb, content) == list(content.scenarios)


def test_biggest_gap_is_the_most_needed_domain_without_a_mentor(content) -> None:
    wb = Workbook(
        needs=Needs(
            ratings={
                "sponsorship": DomainRating(need=4),
                "research": DomainRating(need=4),
                "teaching": DomainRating(need=2),
            }
        ),
        people=[Person(name="Dr R", domains=["research"])],
    )
    assert biggest_gap(wb, content) == "sponsorship"
    first = ordered_scenarios(wb, content)[0]
    assert first.domains[0] == "sponsorship"  # the case mainly about the gap, not a side theme
    assert sorted(s.id for s in ordered_scenarios(wb, content)) == sorted(
        s.id for s in content.scenarios
    )
    # a potential mentor does not close the gap; an existing one does
    wb.people.append(Person(name="Dr S", status="potential", domains=["sponsorship"]))
    assert biggest_gap(wb, content) == "sponsorship"
    wb.people.append(Person(name="Dr T", domains=["sponsorship"]))
    assert biggest_gap(wb, content) == "teaching"
    assert "teaching" in ordered_scenarios(wb, content)[0].domains


def test_a_top_need_outranks_a_rating(content) -> None:
    wb = Workbook(
        needs=Needs(
            ratings={"research": DomainRating(need=4)},
            top_needs=["networking"],
        )
    )
    assert biggest_gap(wb, content) == "networking"
    assert "networking" in ordered_scenarios(wb, content)[0].domains


def test_a_case_mainly_about_the_gap_beats_one_that_touches_it() -> None:
    from mentoring_mosaic.content.schema import Scenario

    base = {"category": "alignment", "situation": "s", "prompts": ["a", "b", "c"],
            "debrief": ["x", "y", "z"], "source": "x"}
    side = Scenario(id="side", title="Side", domains=["research", "sponsorship"], **base)
    main = Scenario(id="main", title="Main", domains=["sponsorship", "research"], **base)
    content = SimpleNamespace(scenarios=[side, main])
    wb = Workbook(needs=Needs(ratings={"sponsorship": DomainRating(need=4)}))
    with patch("mentoring_mosaic.analysis.actions.biggest_gap", return_value="sponsorship"), \
            patch("mentoring_mosaic.analysis.actions.gap_weights", return_value={}):
        assert [s.id for s in ordered_scenarios(wb, content)] == ["main", "side"]
