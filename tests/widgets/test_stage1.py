"""Stage 1 without a browser: one tap per answer, top needs by tapping, one goal open at a time.

Taps are made the way the browser makes them: a segment's tick box turns on (its neighbours
are turned off by the view). Every check reads the store, not only the widgets.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring_mosaic.model import DomainRating, Goal, Needs, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.stage1_needs import MAX_TOP_NEEDS, NeedsView, Segmented


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def stored(store) -> Workbook:
    return store.load("t")


def tap(control: Segmented, n: int) -> None:
    """Tap segment ``n`` as a participant would (the browser ticks that box)."""
    control.boxes[n].value = True


def ticked(control: Segmented) -> list[int]:
    return [n for n, box in enumerate(control.boxes) if box.value]


def test_taps_store_support_and_need_including_zero(session, store, content) -> None:
    view = NeedsView(session, content)
    assert ticked(view.support["research"]) == [] and view.support["research"].value is None
    assert stored(store).needs.ratings == {}

    tap(view.need["research"], 4)
    assert stored(store).needs.ratings["research"] == DomainRating(support=0, need=4)
    # the untouched side is stored as 0, and the row shows it
    assert ticked(view.support["research"]) == [0] and ticked(view.need["research"]) == [4]
    tap(view.support["research"], 1)
    tap(view.support["research"], 2)  # changing an answer: one segment only
    assert ticked(view.support["research"]) == [2]
    assert stored(store).needs.ratings["research"] == DomainRating(support=2, need=4)

    # a deliberate 0 on a fresh row is an answer, stored as such
    tap(view.need["teaching"], 0)
    assert stored(store).needs.ratings["teaching"] == DomainRating(support=0, need=0)
    # tapping the chosen segment again keeps the answer (never emptied)
    view.need["research"].boxes[4].value = False
    assert ticked(view.need["research"]) == [4]
    assert stored(store).needs.ratings["research"].need == 4
    assert "Research and scholarship (gap 2)" in view.suggestion.value


def test_every_segment_has_a_name_with_its_domain(session, content) -> None:
    view = NeedsView(session, content)
    for d in content.domains:
        for side, spoken in ((view.support, "support today"), (view.need, "need at my next")):
            names = [box.description for box in side[d.id].boxes]
            assert len(names) == 5 and len(set(names)) == 5
            assert all(d.name in n and spoken in n for n in names)
        assert d.name in view.top[d.id].description
        # on hover: plain words (an HTML description would otherwise show its markup)
        for box in [*view.support[d.id].boxes, *view.need[d.id].boxes, view.top[d.id]]:
            assert box.tooltip and "<" not in box.tooltip and d.name in box.tooltip


def test_top_needs_by_tapping_at_most_three_with_a_message(session, store, content) -> None:
    view = NeedsView(session, content)
    ids = [d.id for d in content.domains]
    assert MAX_TOP_NEEDS == 3
    for did in ids[:3]:
        view.top[did].value = True
    assert stored(store).needs.top_needs == ids[:3]
    view.top[ids[3]].value = True  # the fourth
    assert stored(store).needs.top_needs == ids[:3]
    assert not view.top[ids[3]].value
    message = view.top_status.value
    assert "already have 3 top needs" in message and 'role="alert"' in message
    assert content.domain_names[ids[3]] in message
    # the message sits in the row that was tapped, not far below the grid
    assert view.top_status in view.rows[ids[3]].children
    view.top[ids[1]].value = False
    assert view.top_status.value == ""
    assert all(view.top_status not in row.children for row in view.rows.values())
    view.top[ids[3]].value = True
    assert stored(store).needs.top_needs == [ids[0], ids[2], ids[3]]
    assert "My top needs (3 of 3)" in view.top_summary.value


def test_use_the_suggestion_opens_one_goal_and_folds_the_others(session, store, content):
    view = NeedsView(session, content)
    for did, (support, need) in {"research": (1, 4), "networking": (0, 3),
                                 "teaching": (2, 4), "feedback": (3, 3)}.items():
        tap(view.support[did], support)
        tap(view.need[did], need)
    view.use_suggestion.click()
    assert stored(store).needs.top_needs == ["research", "networking", "teaching"]
    editors = list(view.editors.values())
    assert [e.need for e in editors] == ["research", "networking", "teaching"]
    assert [e.is_open for e in editors] == [True, False, False]
    assert [e.body.layout.display for e in editors] == ["", "none", "none"]
    first, second, _third = editors
    # a folded goal is one line: its title and where it stands
    assert second.toggle.description == (
        "▸ Goal for Networking and access to opportunities · not started yet"
    )
    # nothing alarming about a goal not yet started
    assert "Start with: what do you want to be able to do?" in first.checker.value
    assert "0 of 6" not in first.checker.value and "missing" not in first.checker.value.lower()

    second.toggle.click()
    assert [e.is_open for e in editors] == [False, True, False]
    second.goal.value = "Meet three people in my new division before July"
    assert "Next: specific." in second.checker.value
    assert second.toggle.description.endswith("· next: specific")
    second.toggle.click()  # folds it: none open
    assert not any(e.is_open for e in editors)
    assert stored(store).goals[0].goal.startswith("Meet three people")


def test_a_complete_goal_says_ready_and_lists_nothing_missing(session, store, content) -> None:
    view = NeedsView(session, content)
    view.top["research"].value = True
    editor = view.editors[next(iter(view.editors))]
    assert editor.is_open  # the first goal opens when it is marked
    editor.goal.value = "Submit my first abstract to the spring meeting"
    editor.steps.value = "Pick the case with Dr Lee\nDraft the abstract\nGet feedback"
    assert "Next: measurable." in editor.checker.value
    assert "✓ Important" in editor.checker.value and "✓ Specific" in editor.checker.value
    editor.measure.value = "Abstract submitted"
    editor.deadline.value = dt.date.today() + dt.timedelta(days=60)
    editor.partner.value = "Dr Lee"
    assert "✓ Ready" in editor.checker.value
    assert editor.toggle.description.endswith("· ✓ ready")
    goal = stored(store).goals[0]
    assert (goal.need, goal.measure, goal.partner) == ("research", "Abstract submitted", "Dr Lee")


def test_reopening_shows_stored_answers_and_opens_the_first_goal_to_finish(store, content):
    ready = Goal(id="g1", need="research", goal="Submit my first abstract to the meeting",
                 steps="Pick the case\nDraft it\nGet feedback", measure="Abstract submitted",
                 deadline=dt.date.today() + dt.timedelta(days=60), partner="Dr Lee")
    started = Goal(id="g2", need="teaching", goal="Teach three ward sessions before June")
    wb = Workbook(
        needs=Needs(ratings={"research": DomainRating(support=1, need=4),
                             "teaching": DomainRating(support=0, need=0)},
                    top_needs=["research", "teaching"]),
        goals=[ready, started],
    )
    store.save_workbook("t", wb)
    view = NeedsView(Session(store=store, key="t"), content)
    assert ticked(view.support["research"]) == [1] and ticked(view.need["research"]) == [4]
    assert ticked(view.support["teaching"]) == [0] and ticked(view.need["teaching"]) == [0]
    assert ticked(view.need["clinical_skills"]) == []  # never answered: nothing chosen
    assert view.top["research"].value and view.top["teaching"].value
    assert not view.editors["g1"].is_open and view.editors["g2"].is_open
    assert view.editors["g1"].toggle.description == "▸ Goal for Research and scholarship · ✓ ready"


def test_more_top_needs_from_an_older_workbook_are_kept(store, content) -> None:
    """Earlier versions allowed five: they stay; only adding a new one is refused."""
    five = ["research", "teaching", "leadership", "networking", "feedback"]
    store.save_workbook("t", Workbook(needs=Needs(top_needs=five)))
    view = NeedsView(Session(store=store, key="t"), content)
    assert [d for d, box in view.top.items() if box.value] == [
        d for d in view.top if d in five
    ]
    view.top["sponsorship"].value = True
    assert stored(store).needs.top_needs == five
    view.top["research"].value = False
    assert stored(store).needs.top_needs == five[1:]


def test_the_chart_shows_on_request(session, content) -> None:
    view = NeedsView(session, content)
    assert view.chart_button.disabled and view.chart.layout.display == "none"
    tap(view.need["research"], 4)
    assert not view.chart_button.disabled and "Need 4</text>" in view.chart.value
    view.chart_button.click()
    assert view.chart.layout.display == "" and view.chart_button.description == "Hide the chart"
    tap(view.need["teaching"], 3)
    assert view.chart.layout.display == ""  # stays open while rating
    view.chart_button.click()
    assert view.chart.layout.display == "none"
