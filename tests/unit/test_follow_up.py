"""Three months on: the follow-up analysis against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mentoring_mosaic.analysis.follow_up import (
    actions_still_to_come,
    actions_to_review,
    earlier_reviews,
    goals_to_review,
    is_later_round,
    last_round_answers,
    mosaic_then_and_now,
    next_plan_goals,
    next_round,
    plan_actions,
    share_done,
    support_changes,
    support_vs_baseline,
)
from mentoring_mosaic.content import get_content
from mentoring_mosaic.model import (
    ActionItem,
    ActionReview,
    Baseline,
    Consent,
    DomainRating,
    Goal,
    GoalReview,
    Needs,
    Person,
    Review,
    Workbook,
)

WORKSHOP = dt.date(2026, 8, 27)
REVIEW_DAY = dt.date(2026, 11, 30)  # 95 days later


@pytest.fixture
def content():
    return get_content()


def mentor(pid: str, status: str, domains: list[str], **kw) -> Person:
    return Person(id=pid, name=pid.upper(), status=status, domains=domains, **kw)


def workbook() -> Workbook:
    """Then: Lee (existing: research), Ola (potential: sponsorship), Kim (existing: teaching).
    Now: Lee the same, Ola existing, Kim gone, Raj added (existing: sponsorship, teaching),
    Zoe added (potential: leadership), a mentee added."""
    needs_then = Needs(
        ratings={
            "research": DomainRating(support=1, need=4),
            "sponsorship": DomainRating(support=0, need=4),
            "teaching": DomainRating(support=3, need=2),
        },
        top_needs=["sponsorship", "research", "leadership"],
    )
    then_people = [
        mentor("lee", "existing", ["research"]),
        mentor("ola", "potential", ["sponsorship"]),
        mentor("kim", "existing", ["teaching"]),
    ]
    goals = [
        Goal(id="g1", need="sponsorship", goal="Find a sponsor"),
        Goal(id="g2", need="research", goal="Submit the abstract"),
        Goal(id="g3", need="leadership", goal="Join a committee"),
    ]
    actions = [
        ActionItem(id="a1", text="Email Lee", due=dt.date(2026, 9, 10)),       # 81 days late
        ActionItem(id="a2", text="Coffee with Ola", due=dt.date(2026, 11, 1)),  # 29 days late
        ActionItem(id="a3", text="Read the guide"),                              # no date
        ActionItem(id="a4", text="Apply for the course", due=dt.date(2027, 1, 5)),  # not yet due
        ActionItem(id="a5", text="Send the draft", due=dt.date(2026, 10, 1)),   # done
        ActionItem(id="a6", text="Start a peer group", due=dt.date(2026, 9, 1)),  # dropped
    ]
    base = Baseline(taken_on=WORKSHOP, needs=needs_then, goals=goals, people=then_people,
                    actions=actions)
    now_people = [
        mentor("lee", "existing", ["research"]),
        mentor("ola", "existing", ["sponsorship"]),
        mentor("raj", "existing", ["sponsorship", "teaching"]),
        mentor("zoe", "potential", ["leadership"]),
        Person(id="stu", name="A student", role="mentee", level="junior"),
    ]
    review = Review(
        reviewed_on=REVIEW_DAY,
        actions={
            "a2": ActionReview(status="not_yet"),
            "a5": ActionReview(status="done", note="Sent"),
            "a6": ActionReview(status="dropped"),
            "a3": ActionReview(status="partly"),
        },
        support_today={"sponsorship": 3, "research": 1, "teaching": 2},
        goals={
            "g1": GoalReview(decision="keep"),
            "g2": GoalReview(decision="revise", revised="  Submit the full paper by June "),
            "g3": GoalReview(decision="retire"),
        },
    )
    return Workbook(
        needs=needs_then, goals=goals, people=now_people, actions=actions, baseline=base,
        review=review,
    )


def test_actions_past_their_date_come_first_earliest_first() -> None:
    items = actions_to_review(workbook())
    assert [a.action.id for a in items] == ["a6", "a1", "a5", "a2", "a4", "a3"]
    assert [a.days_overdue for a in items] == [0, 81, 0, 29, 0, 0]
    # dropped (a6) and done (a5) are never overdue; the open ones past their date are
    assert [a.overdue for a in items] == [False, True, False, True, False, False]
    assert items[3].status == "not_yet" and items[2].note == "Sent"


def test_answering_an_action_does_not_move_it() -> None:
    """The participant answers row by row: a row answered "done" stays where it was when
    the page is built again (a reload, another part and back)."""
    wb = workbook()
    before = [a.action.id for a in actions_to_review(wb)]
    wb.review.actions = {"a1": ActionReview(status="done"), "a2": ActionReview(status="dropped")}
    assert [a.action.id for a in actions_to_review(wb)] == before
    wb.review.actions = {}
    assert [a.action.id for a in actions_to_review(wb)] == before


def test_an_action_ticked_done_in_the_plan_is_not_overdue_before_it_is_answered() -> None:
    wb = workbook()
    wb.actions = [wb.actions[0].model_copy(update={"done": True})]
    assert actions_to_review(wb)[0].days_overdue == 0


def test_overdue_is_counted_on_the_day_given() -> None:
    wb = workbook()
    items = actions_to_review(wb, today=dt.date(2026, 9, 12))
    assert [(a.action.id, a.days_overdue) for a in items if a.overdue] == [("a1", 2)]
    wb.review.actions = {}  # a6 is no longer answered "dropped"
    items = actions_to_review(wb, today=dt.date(2026, 9, 12))
    assert [(a.action.id, a.days_overdue) for a in items if a.overdue] == [("a6", 11), ("a1", 2)]


def test_the_plan_asked_about_is_today_s_or_the_workshop_day_s_when_emptied() -> None:
    wb = workbook()
    wb.actions = [ActionItem(id="new", text="A new one")]
    assert [a.id for a in plan_actions(wb)] == ["new"]
    wb.actions = []
    assert [a.id for a in plan_actions(wb)] == ["a1", "a2", "a3", "a4", "a5", "a6"]


def test_share_done_counts_answered_actions_only() -> None:
    assert share_done(workbook()) == (1, 4)  # a5 done; a2, a3, a5, a6 answered
    wb = workbook()
    wb.review = Review()
    assert share_done(wb) is None
    wb.review = None
    assert share_done(wb) is None


def test_support_for_the_top_needs_against_the_workshop_day(content) -> None:
    rows = support_vs_baseline(workbook(), content)
    assert [(r.domain_id, r.then, r.now, r.change) for r in rows] == [
        ("sponsorship", 0, 3, 3),
        ("research", 1, 1, 0),
        ("leadership", None, None, None),  # a top need never rated
    ]
    assert rows[0].name == content.domain("sponsorship").name
    # every domain rated then and now counts for the programme, top need or not
    assert support_changes(workbook()) == {"sponsorship": 3, "research": 0, "teaching": -1}


def test_without_a_baseline_there_is_no_then(content) -> None:
    wb = workbook()
    wb.baseline = None
    rows = support_vs_baseline(wb, content)
    assert [(r.domain_id, r.then, r.now) for r in rows] == [
        ("sponsorship", None, 3), ("research", None, 1), ("leadership", None, None)
    ]
    assert support_changes(wb) == {}
    assert mosaic_then_and_now(wb, content) is None


def test_the_mosaic_then_and_now(content) -> None:
    change = mosaic_then_and_now(workbook(), content)
    assert change is not None
    assert [p.id for p in change.added] == ["raj", "zoe"]  # the mentee is not a mentor
    assert [p.id for p in change.became_existing] == ["ola"]
    assert [p.id for p in change.left] == ["kim"]
    assert sorted(p.id for p in change.new_mentors) == ["ola", "raj"]
    # then: existing in research and teaching -> 10 gaps; now: research, sponsorship, teaching
    assert (change.then.existing_mentors, change.now.existing_mentors) == (2, 3)
    assert len(change.then.gaps) == 10 and len(change.now.gaps) == 9
    assert [g.domain_id for g in change.gaps_closed] == ["sponsorship"]
    assert [g.domain_id for g in change.gaps_remaining][:1] == ["leadership"]  # top need first
    assert len(change.gaps_remaining) == 9 and change.new_gaps == []


def test_a_gap_that_opens_since_the_workshop_is_named(content) -> None:
    wb = workbook()
    wb.people = [p for p in wb.people if p.id != "raj"]  # nobody for teaching now (Kim left)
    change = mosaic_then_and_now(wb, content)
    assert [g.domain_id for g in change.new_gaps] == ["teaching"]


def test_goals_carried_into_the_next_plan() -> None:
    wb = workbook()
    assert [g.id for g in goals_to_review(wb)] == ["g1", "g2", "g3"]
    nxt = next_plan_goals(wb)
    assert [(g.id, g.goal) for g in nxt] == [
        ("g1", "Find a sponsor"),
        ("g2", "Submit the full paper by June"),
    ]
    assert nxt[1].need == "research"  # only the words change


def test_undecided_goals_and_empty_revisions_carry_on_unchanged() -> None:
    wb = workbook()
    wb.review.goals = {"g2": GoalReview(decision="revise", revised="  ")}
    assert [(g.id, g.goal) for g in next_plan_goals(wb)] == [
        ("g1", "Find a sponsor"), ("g2", "Submit the abstract"), ("g3", "Join a committee")
    ]


def test_goals_edited_or_added_since_are_reviewed_as_they_are_now() -> None:
    wb = workbook()
    wb.goals = [
        wb.goals[0].model_copy(update={"goal": "Find a sponsor in my society"}),
        Goal(id="g9", need="teaching", goal="Teach a workshop"),
    ]
    reviewed = goals_to_review(wb)
    assert [(g.id, g.goal) for g in reviewed] == [
        ("g1", "Find a sponsor in my society"),
        ("g2", "Submit the abstract"),  # deleted since: the workshop day's words
        ("g3", "Join a committee"),
        ("g9", "Teach a workshop"),
    ]
    assert [g.id for g in next_plan_goals(wb)] == ["g1", "g2", "g9"]
    wb.baseline = None
    assert [g.id for g in goals_to_review(wb)] == ["g1", "g9"]


def test_the_baseline_is_the_workshop_day() -> None:
    from mentoring_mosaic.analysis.follow_up import baseline_to_store

    wb = workbook()
    wb.baseline, wb.review = None, None
    first = baseline_to_store(wb, WORKSHOP)
    assert first is not None and first.taken_on == WORKSHOP
    assert [p.id for p in first.people] == ["lee", "ola", "raj", "zoe", "stu"]
    wb.baseline = first
    assert baseline_to_store(wb, WORKSHOP) is None  # nothing changed: nothing to save
    wb.goals = [*wb.goals, Goal(id="g4", goal="One more")]
    again = baseline_to_store(wb, WORKSHOP)  # changed the plan before leaving: a fresh copy
    assert again is not None and [g.id for g in again.goals][-1] == "g4"
    wb.baseline = again
    wb.goals = []
    assert baseline_to_store(wb, WORKSHOP + dt.timedelta(days=95)) is None  # later: kept
    wb.baseline = None
    wb.review = Review()
    assert baseline_to_store(wb, WORKSHOP) is None  # a review compares with what is there


# -- the next round: each plan builds on the last ---------------------------------------------


def finished(wb: Workbook) -> Workbook:
    """The workbook as it is once "Finish my review" was pressed (goals carried forward)."""
    done = wb.review.model_copy(update={
        "completed_at": dt.datetime(2026, 11, 30, 15, tzinfo=dt.UTC)})
    return wb.model_copy(update={"review": done, "goals": next_plan_goals(wb)})


def second_round(wb: Workbook) -> Workbook:
    step = next_round(wb, now=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    assert step is not None
    return Workbook.model_validate(wb.model_copy(update={
        "past_reviews": step.past_reviews, "baseline": step.baseline, "review": step.review,
    }).model_dump())


def test_the_next_round_keeps_the_finished_round_whole_and_starts_from_the_plan_now() -> None:
    first = finished(workbook())
    assert next_round(workbook()) is None  # an unfinished review has no next round
    wb = second_round(first)
    assert len(wb.past_reviews) == 1
    kept = wb.past_reviews[0]
    assert kept.review == first.review and kept.baseline == first.baseline  # every answer
    base = wb.baseline
    assert base.taken_on == REVIEW_DAY  # the day the last review was finished
    assert [g.goal for g in base.goals] == ["Find a sponsor", "Submit the full paper by June"]
    assert base.goals == wb.goals and base.people == wb.people and base.actions == wb.actions
    # support "then" is what the last review said; the need levels are the plan's
    assert {d: (r.support, r.need) for d, r in base.needs.ratings.items()} == {
        "research": (1, 4), "sponsorship": (3, 4), "teaching": (2, 2)}
    assert wb.needs == first.needs  # the living plan's own ratings are not touched
    assert wb.review == Review() and earlier_reviews(wb) == [REVIEW_DAY]
    assert is_later_round(wb) and not is_later_round(first)
    assert last_round_answers(wb)["a5"].status == "done"
    # a third round keeps both earlier ones, oldest first
    answered = wb.model_copy(update={"review": Review(
        reviewed_on=dt.date(2027, 3, 2), completed_at=dt.datetime(2027, 3, 2, tzinfo=dt.UTC))})
    third = second_round(answered)
    assert [r.review.reviewed_on for r in third.past_reviews] == [REVIEW_DAY, dt.date(2027, 3, 2)]
    assert third.past_reviews[0] == kept and third.baseline.taken_on == dt.date(2027, 3, 2)


def test_the_second_review_compares_with_the_last_review(content) -> None:
    wb = second_round(finished(workbook()))
    raj_mentee = Person(id="amy", name="AMY", status="existing", domains=["leadership"])
    wb = wb.model_copy(update={
        "people": [*wb.people, raj_mentee],
        "review": Review(reviewed_on=dt.date(2027, 3, 1),
                         actions={"a2": ActionReview(status="done")},
                         support_today={"sponsorship": 4}),
    })
    rows = {r.domain_id: (r.then, r.now) for r in support_vs_baseline(wb, content)}
    assert rows["sponsorship"] == (3, 4) and rows["research"] == (1, None)  # then = last review
    assert support_changes(wb) == {"sponsorship": 1}
    assert share_done(wb) == (1, 1)  # this round's answers only
    change = mosaic_then_and_now(wb, content)
    assert [p.id for p in change.new_mentors] == ["amy"]  # Ola and Raj were mentors already
    assert [g.id for g in goals_to_review(wb)] == ["g1", "g2"]  # g3 was retired last time


def test_the_programme_counts_a_second_round_workbook_once(content) -> None:
    from mentoring_mosaic.analysis.cohort import _Ids, follow_up, follow_up_facts, load_files

    ids = _Ids.of(content)
    first = finished(workbook())
    first.review.consent = Consent(share_anonymised=True,
                                   decided_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    started = second_round(first)
    # next review started, nothing answered yet: still counted, with the last finished round
    assert follow_up_facts(started, ids) == follow_up_facts(first, ids)
    f = follow_up([started], content, ids)
    assert (f.read, f.counted, f.not_reviewed) == (1, 1, 0)
    # once answered, the current round counts against its own "then" (the last review)
    answered = started.model_copy(update={"review": Review(
        reviewed_on=dt.date(2027, 3, 1), actions={"a2": ActionReview(status="done")},
        support_today={"sponsorship": 4},
        consent=Consent(share_anonymised=True, decided_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC)),
    )})
    facts = follow_up_facts(answered, ids)
    assert facts[2] == ("done",) and facts[3] == (("sponsorship", 3, 4),) and facts[4] == 0
    # the round-1 copy and the round-2 copy of one workbook: one workbook, the latest copy
    old = first.model_copy(update={"updated_at": dt.datetime(2026, 11, 30, tzinfo=dt.UTC)})
    new = answered.model_copy(update={"updated_at": dt.datetime(2027, 3, 1, tzinfo=dt.UTC)})
    files = [(f"w{i}.json", json.dumps(w.to_json_dict()).encode()) for i, w in
             enumerate((old, new))]
    result = load_files(files, content=content)
    f = follow_up([wb for _n, wb in result.workbooks], content, ids)
    assert (f.read, f.counted) == (1, 1)
    assert follow_up_facts(result.workbooks[0][1], ids) == facts


def test_a_revised_goal_keeps_its_old_words_once_the_review_is_finished() -> None:
    """Finishing puts the new words into the plan; the review still asks about the goal as
    it was (its new words are the answer), so reopening never shows the new words twice."""
    wb = workbook()
    wb.goals = next_plan_goals(wb)  # what "Finish my review" stores
    assert [g.goal for g in goals_to_review(wb)] == [
        "Find a sponsor", "Submit the abstract", "Join a committee"]
    assert [g.goal for g in next_plan_goals(wb)] == ["Find a sponsor",
                                                     "Submit the full paper by June"]


def test_actions_still_to_come_leave_out_closed_and_gone_by() -> None:
    """What the review's calendar reminder keeps: open, and dated today or later (or never)."""
    wb = workbook()  # a5 done, a6 dropped, a2 not yet (past), a3 partly (no date), a4 to come
    wb.actions = [*wb.actions, ActionItem(id="a7", text="Ticked in the plan", done=True,
                                          due=dt.date(2027, 2, 1))]
    kept = [a.id for a in actions_still_to_come(wb, REVIEW_DAY)]
    assert sorted(kept) == ["a3", "a4"]
