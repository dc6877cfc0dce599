"""Three months on: the review page, clicked with no browser; the baseline the wrap-up keeps."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from mentoring_mosaic.model import (
    ActionItem,
    Baseline,
    DomainRating,
    Goal,
    Needs,
    Person,
    Review,
    Workbook,
)
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.app import WorkshopApp
from mentoring_mosaic.widgets.pages import (
    LAST_STAGE_NUMBER,
    REVIEW_BUTTON,
    REVIEW_BUTTON_BACK,
    STAGE_IDS,
    StageHeader,
    StagePage,
)
from mentoring_mosaic.widgets.stage7_wrapup import WrapUpView
from mentoring_mosaic.widgets.stage8_review import PARTS, ReviewView

TODAY = dt.date(2026, 11, 30)
WORKSHOP = TODAY - dt.timedelta(days=95)


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def three_months_on() -> Workbook:
    """A plan from 95 days ago: two actions (one overdue), two top needs, a potential mentor
    who has since become a mentor, a new mentor, and two goals."""
    needs = Needs(
        ratings={"sponsorship": DomainRating(support=0, need=4),
                 "research": DomainRating(support=2, need=3)},
        top_needs=["sponsorship", "research"],
    )
    goals = [Goal(id="g1", need="sponsorship", goal="Find a sponsor <b>now</b>"),
             Goal(id="g2", need="research", goal="Submit the abstract")]
    actions = [
        ActionItem(id="a1", text="Ask Dr Okafor for coffee", due=TODAY + dt.timedelta(days=20)),
        ActionItem(id="a2", text="Email <Dr Lee> the draft", due=WORKSHOP + dt.timedelta(days=14)),
    ]
    then = [Person(id="lee", name="Dr Lee", domains=["research"]),
            Person(id="oka", name="Dr Okafor", status="potential", domains=["sponsorship"])]
    now = [Person(id="lee", name="Dr Lee", domains=["research"]),
           Person(id="oka", name="Dr Okafor", domains=["sponsorship"]),
           Person(id="pat", name="Pat (peer)", level="peer", domains=["feedback"])]
    return Workbook(
        needs=needs, goals=goals, actions=actions, people=now,
        baseline=Baseline(taken_on=WORKSHOP, needs=needs, goals=goals, people=then,
                          actions=actions),
    )


def review_view(session: Session, content) -> ReviewView:
    return ReviewView(session, content, today=lambda: TODAY)


def visible_text(widget) -> str:
    out = []

    def walk(w) -> None:
        if getattr(w, "layout", None) is not None and w.layout.display == "none":
            return
        if hasattr(w, "value") and isinstance(w.value, str):
            out.append(w.value)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return re.sub(r"<[^>]+>", " ", " ".join(out))


def test_the_review_is_offered_for_later_never_as_a_workshop_step(session, content) -> None:
    app = WorkshopApp(session=session)
    assert app.stage_ids == list(STAGE_IDS) and "review" not in app.stage_ids
    assert [b.description for b in app.later_steps] == [REVIEW_BUTTON]
    app.go("wrapup")
    assert app.next_button.disabled  # the wrap-up is still the end of the workshop
    app.later_steps[0].click()
    assert app.current == "review" and isinstance(app.views["review"], ReviewView)
    assert "Three months on" in app.header.title.value
    assert f"of {LAST_STAGE_NUMBER}" not in app.header.title.value
    app.prev_button.click()
    assert app.current == "wrapup"
    # back on a later day (a file from the workshop resumed): no longer "come back later"
    session.replace(three_months_on())
    assert [b.description for b in app.later_steps] == [REVIEW_BUTTON_BACK]
    header = StageHeader(content, "wrapup")
    assert "08_review.ipynb" in header.nav.value and REVIEW_BUTTON in header.nav.value
    page = StagePage("review", session=session)
    assert "07_wrapup.ipynb" in page.header.nav.value


def test_overdue_actions_come_first_and_each_answer_is_saved(session, content, store) -> None:
    session.replace(three_months_on())
    view = review_view(session, content)
    assert [r.item.action.id for r in view.action_rows] == ["a2", "a1"]
    first = visible_text(view)
    assert "Overdue by 81 days" in first and "Email <Dr Lee> the draft" not in first  # escaped
    assert "Email &lt;Dr Lee&gt; the draft" in view.action_rows[0].children[0].value
    assert "27 Aug 2026" in first and "95 days ago" in first
    assert store.load("t").review is None  # opening the page is not an answer

    row = view.action_rows[0]
    row.status.value = "partly"
    row.note.value = "Sent, no reply yet"
    view.action_rows[1].status.value = "not_yet"
    review = store.load("t").review
    assert review.reviewed_on == TODAY
    assert review.actions["a2"].status == "partly" and review.actions["a2"].note.startswith("Sent")
    assert review.actions["a1"].status == "not_yet"
    assert "Overdue" not in view.action_rows[1].children[0].value  # a1 is not due yet
    row.status.value = "dropped"  # no longer waiting: no longer overdue
    assert "Overdue" not in row.children[0].value
    row.status.value = "not_yet"
    assert "Overdue by 81 days" in row.children[0].value


def test_support_today_is_shown_against_the_workshop_day(session, content, store) -> None:
    session.replace(three_months_on())
    view = review_view(session, content)
    view.part_buttons["support"].click()
    assert view.body.children == (view.parts["support"],)
    text = visible_text(view)
    assert "On the workshop day: 0 none" in text and "On the workshop day: 2 some" in text
    view.support["sponsorship"].value = 3
    assert store.load("t").review.support_today == {"sponsorship": 3}


def test_the_mosaic_then_and_now_names_who_changed(session, content) -> None:
    session.replace(three_months_on())
    view = review_view(session, content)
    view.next_button.click()
    view.next_button.click()
    assert view.current == "mosaic"
    lists = view.mosaic_lists.value
    assert "New mentors" in lists and "Dr Okafor" in lists and "Pat (peer)" in lists
    assert "Gaps closed:</strong> " + content.domain("sponsorship").name in lists
    assert "Gaps that remain" in lists
    # the pictures' key: outlines in words, and each kind of support's colour with its name
    assert "a dashed one someone to approach" in lists
    assert all(f'background:{d.color}">' in lists and d.name in lists for d in content.domains)
    assert view.then_pic.value.count("<img") == 1 and view.now_pic.value.count("<img") == 1
    assert "Then: 27 Aug 2026" in view.then_pic.value


def test_goals_are_carried_into_the_next_plan_on_finish(session, content, store) -> None:
    session.replace(three_months_on())
    view = review_view(session, content)
    view.show_part("goals")
    keep, revise = view.goal_rows
    assert keep.revised_box.layout.display == "none"
    keep.decision.value = "retire"
    revise.decision.value = "revise"
    assert revise.revised_box.layout.display == ""
    revise.revised.value = "Submit the full paper by June"
    assert "Submit the full paper by June" in view.next_plan.value
    assert "Find a sponsor" not in view.next_plan.value
    stored = store.load("t")
    assert stored.review.goals["g1"].decision == "retire"
    assert stored.review.goals["g2"].revised == "Submit the full paper by June"
    assert [g.goal for g in stored.goals] == ["Find a sponsor <b>now</b>", "Submit the abstract"]

    view.show_part("outcome")
    assert view.next_button.layout.display == "none"
    view.finish.click()
    stored = store.load("t")
    assert [(g.id, g.goal) for g in stored.goals] == [("g2", "Submit the full paper by June")]
    assert [g.id for g in stored.baseline.goals] == ["g1", "g2"]  # the workshop day is kept
    assert stored.review.completed_at is not None
    again = review_view(Session(store=store, key="t"), content)  # stable when reopened
    assert [r.goal.id for r in again.goal_rows] == ["g1", "g2"]
    assert again.goal_rows[0].decision.value == "retire"
    # the revised goal shows the words it had, its new words in the box (not twice the new)
    assert again.goal_rows[1].goal.goal == "Submit the abstract"
    assert again.goal_rows[1].revised.value == "Submit the full paper by June"
    assert again.finish.description == "Update my finished review"
    assert "You finished this review on" in again.intro.value


def test_outcome_short_items_and_consent_asked_again(session, content, store) -> None:
    session.replace(three_months_on())
    view = review_view(session, content)
    view.show_part("outcome")
    text = visible_text(view)
    assert content.review_outcome.text in text
    assert content.review_item("met_new_mentor").text in text
    assert [label for label, _ in view.outcome.options] == [p.label for p in content.scale]
    view.outcome.value = 4
    view.met_new_mentor.value = True
    view.managing_up.value = False
    review = store.load("t").review
    assert (review.relationships_improved, review.met_new_mentor,
            review.managing_up_conversation) == (4, True, False)
    assert review.consent.decided_at is None and not view.consent.value  # off until ticked
    view.finish.click()
    review = store.load("t").review
    assert review.consent.share_anonymised is False and review.consent.decided_at is not None
    assert "Your review is saved" in view.finished.value
    assert view.keep.layout.display == ""
    view.download.click()
    saved = json.loads(view.download.last_payload)
    assert saved["review"]["relationships_improved"] == 4 and saved["baseline"] is not None
    view.consent.value = True
    assert store.load("t").review.consent.share_anonymised is True


def test_a_workbook_without_a_baseline_is_told_politely(session, content, store) -> None:
    wb = three_months_on()
    wb.baseline = None
    session.replace(wb)
    view = review_view(session, content)
    assert content.review_text("no_baseline").text in visible_text(view)
    view.show_part("mosaic")
    assert "no copy of the workshop day" in view.mosaic_lists.value
    assert view.then_pic.value == "" and "<img" in view.now_pic.value
    view.show_part("support")
    assert "On the workshop day" not in visible_text(view)
    view.support["research"].value = 1
    assert store.load("t").review.support_today == {"research": 1}


def test_an_empty_workbook_gets_hints_not_errors(session, content) -> None:
    view = review_view(session, content)
    for pid, _short in PARTS:
        view.show_part(pid)
        assert view.status.value == ""
    assert "no actions" in visible_text(view.parts["actions"])


def test_resume_rebuilds_the_review_with_the_file_s_answers(session, content) -> None:
    view = review_view(session, content)
    wb = three_months_on()
    wb.review = Review(actions={"a1": {"status": "done", "note": "Coffee booked"}},
                       support_today={"research": 4}, relationships_improved=5)
    session.replace(wb)
    assert {r.item.action.id: r.status.value for r in view.action_rows} == {
        "a1": "done", "a2": None}
    assert view.support["research"].value == 4 and view.outcome.value == 5


# -- the baseline, kept when the wrap-up is finished -----------------------------------------
def test_submitting_the_evaluation_keeps_a_copy_of_the_workshop_day(session, content, store):
    wb = three_months_on()
    wb.baseline = None
    session.replace(wb)
    view = WrapUpView(session, content)
    assert store.load("t").baseline is None
    view.submit.click()
    base = store.load("t").baseline
    assert base is not None and base.taken_on == dt.datetime.now().astimezone().date()
    assert [p.id for p in base.people] == ["lee", "oka", "pat"]
    assert [a.id for a in base.actions] == ["a1", "a2"]


def test_a_take_home_file_carries_the_copy_and_a_later_day_keeps_the_first(session, content,
                                                                          store) -> None:
    wb = three_months_on()  # its baseline is from 95 days ago
    session.replace(wb)
    view = WrapUpView(session, content)
    data, _name = view.take_home_file("json", "workbook")
    assert json.loads(data)["baseline"]["taken_on"] == WORKSHOP.isoformat()
    wb.baseline = None
    session.replace(wb)
    data, _name = view.take_home_file("json", "workbook")
    assert json.loads(data)["baseline"]["taken_on"] == dt.date.today().isoformat()


def test_the_notebook_copy_opens_the_review_once_run(content, mm_home, monkeypatch) -> None:
    """A participant who kept only the notebook copy opens it in JupyterLab, runs its cell,
    and the review shows under it, with their answers back in this computer's workbook."""
    import os
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    from mentoring_mosaic.exports.notebook import to_ipynb
    from mentoring_mosaic.store import DEFAULT_KEY, Store

    root = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("PYTHONPATH", str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    wb = three_months_on()
    nb = nbformat.reads(to_ipynb(wb, content).decode(), as_version=4)
    assert "Three months on?" in nb.cells[-2].source
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[-1].outputs
    assert "Your workbook is back" in "".join(o.get("text", "") for o in outputs)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    store = Store()
    try:
        assert store.load(DEFAULT_KEY).baseline == wb.baseline
    finally:
        store.dispose()


# -- the reviewed demo persona ------------------------------------------------------------------
def test_the_reviewed_persona_shows_the_review_filled_in(session, content) -> None:
    from mentoring_mosaic.demo import DEMO_KEYS, demo_personas, is_demo_workbook

    assert DEMO_KEYS[-1] == "demo-review"
    label, wb = demo_personas(TODAY)["demo-review"]
    assert "three months on" in label and is_demo_workbook(wb)
    assert wb.baseline.taken_on == TODAY - dt.timedelta(days=95)
    assert wb.review.reviewed_on == TODAY and wb.review.completed_at is not None
    session.replace(wb)
    view = review_view(session, content)
    statuses = [r.status.value for r in view.action_rows]
    assert None not in statuses and "done" in statuses
    assert all(choice.value is not None for choice in view.support.values())
    assert [r.decision.value for r in view.goal_rows] == ["keep", "retire", "revise"]
    view.show_part("mosaic")
    assert "New mentors" in view.mosaic_lists.value and "Gaps closed" in view.mosaic_lists.value
    assert view.outcome.value == 4 and view.consent.value is True
    assert "Your review is saved" in view.finished.value


def test_a_review_started_in_another_tab_is_kept(store, content) -> None:
    """Two pages of one participant (two kernels): the second page's first answer keeps the
    answers the first page gave."""
    first, second = Session(store=store, key="t"), Session(store=store, key="t")
    first.replace(three_months_on())
    second.reload()
    one, two = review_view(first, content), review_view(second, content)
    one.action_rows[0].status.value = "done"
    two.outcome.value = 5
    review = store.load("t").review
    assert review.actions["a2"].status == "done" and review.relationships_improved == 5


# -- the next review: each plan builds on the last ---------------------------------------------
def review_finished(days_ago: int = 95) -> Workbook:
    """three_months_on()'s plan, reviewed and finished ``days_ago`` days ago (its workshop
    day 95 days before that): one action partly done, support for sponsorship 2, g2 revised."""
    from mentoring_mosaic.analysis.follow_up import next_plan_goals
    from mentoring_mosaic.model import ActionReview, Consent, GoalReview

    wb = three_months_on()
    finished = TODAY - dt.timedelta(days=days_ago)
    wb.baseline.taken_on = finished - dt.timedelta(days=95)
    wb.review = Review(
        reviewed_on=finished,
        completed_at=dt.datetime.combine(finished, dt.time(15), tzinfo=dt.UTC),
        actions={"a2": ActionReview(status="partly", note="Sent, no reply")},
        support_today={"sponsorship": 2},
        goals={"g1": GoalReview(decision="keep"),
               "g2": GoalReview(decision="revise", revised="Submit the full paper")},
        relationships_improved=4,
        consent=Consent(share_anonymised=True, decided_at=dt.datetime(2026, 8, 27,
                                                                      tzinfo=dt.UTC)),
    )
    wb.goals = next_plan_goals(wb)
    return wb


def test_start_my_next_review_keeps_the_last_and_compares_with_it(session, content,
                                                                   store) -> None:
    from mentoring_mosaic.widgets.stage8_review import NEXT_ROUND

    first = review_finished(95)
    session.replace(first)
    view = review_view(session, content)
    text = " ".join(visible_text(view).split())
    assert view.next_box.layout.display == "" and view.next_round.description == NEXT_ROUND
    assert view.next_round.button_style == "primary"  # three months on: the next review leads
    assert view.next_box in view.next_slot_top.children  # above the parts
    assert "You finished your last review on 27 Aug 2026 (95 days ago)" in text
    assert "Your last review is kept" in text
    assert content.review_text("intro").text not in text  # the card says what to do now
    assert view.finish.description == "Update my finished review"

    view.show_part("goals")
    view.next_round.click()
    assert view.current == "actions"  # the next review starts at its first part
    saved = store.load("t")
    assert len(saved.past_reviews) == 1
    assert saved.past_reviews[0].review == first.review  # every answer kept
    assert saved.past_reviews[0].baseline == first.baseline
    assert saved.baseline.taken_on == WORKSHOP  # the day the last review was finished
    assert [g.goal for g in saved.baseline.goals] == ["Find a sponsor <b>now</b>",
                                                       "Submit the full paper"]
    assert saved.baseline.needs.ratings["sponsorship"].support == 2  # what the review said
    assert saved.review == Review()
    assert view.status.value == ""
    text = " ".join(visible_text(view).split())
    assert view.next_box.layout.display == "none" and view.finish.description == "Finish my review"
    assert "Your last review: 27 Aug 2026 (95 days ago)" in text and "Reviews so far: 1" in text
    assert "Your workshop day" not in text
    row = next(r for r in view.action_rows if r.item.action.id == "a2")
    assert "At your last review: Partly" in row.text.value and row.status.value is None
    view.show_part("support")
    text = " ".join(visible_text(view).split())
    assert "At your last review: 2 some" in text
    assert "workshop day" not in text  # the part's own words too
    view.show_part("mosaic")
    assert "workshop day" not in " ".join(visible_text(view).split())

    row.status.value = "done"
    saved = store.load("t")
    assert saved.review.actions["a2"].status == "done" and saved.review.reviewed_on == TODAY
    assert saved.past_reviews[0].review.actions["a2"].status == "partly"  # untouched

    view.show_part("outcome")
    view.finish.click()  # finishing round 2 offers round 3 (for later), none lost
    assert view.next_box.layout.display == "" and view.next_round.layout.display == "none"
    later = ReviewView(session, content, today=lambda: TODAY + dt.timedelta(days=90))
    assert later.next_round.layout.display == "" and later.next_round.button_style == "primary"
    later.next_round.click()
    assert [r.review.reviewed_on for r in store.load("t").past_reviews] == [WORKSHOP, TODAY]


def test_the_next_review_is_offered_quietly_just_after_finishing(session, content) -> None:
    session.replace(review_finished(10))
    view = review_view(session, content)
    assert view.next_box.layout.display == ""
    assert view.next_round.layout.display == "none"  # nothing to press by mistake yet
    assert content.review_text("intro").text in visible_text(view)  # still this review's page
    # not above the parts: under the finished review, with the day to come back
    assert view.next_slot_top.children == ()
    assert view.next_box in view.next_slot_after.children
    due = TODAY - dt.timedelta(days=10) + dt.timedelta(days=content.review_after_days)
    assert f"Come back around <strong>{due.day} {due:%b %Y}</strong>" in view.next_text.value
    view.show_part("outcome")
    assert "Come back around" in " ".join(visible_text(view).split())
    session.replace(three_months_on())  # a review not finished: nothing to start
    assert view.next_box.layout.display == "none"


def test_a_stale_tab_cannot_start_the_next_review_over_new_answers(store, content) -> None:
    first, second = Session(store=store, key="t"), Session(store=store, key="t")
    first.replace(review_finished(95))
    second.reload()
    one, two = review_view(first, content), review_view(second, content)
    one.next_round.click()
    one.action_rows[0].status.value = "done"  # an answer of round 2
    two.next_round.click()  # this page still shows round 1 as finished
    saved = store.load("t")
    assert len(saved.past_reviews) == 1 and saved.review.reviewed_on == TODAY
    assert any(a.status == "done" for a in saved.review.actions.values())
    assert two.next_box.layout.display == "none"  # it now shows what is stored


def test_a_finished_review_gives_a_calendar_reminder_for_the_next(session, content) -> None:
    """After "Finish my review" the page offers the next review's reminder, dated from this
    review (not from the workshop day), with the plan's dated actions."""
    session.replace(three_months_on())
    view = review_view(session, content)
    view.show_part("outcome")
    assert view.keep.layout.display == "none"  # nothing to keep before the review is done
    view.finish.click()
    assert view.keep.layout.display == ""
    view.calendar.click()
    assert view.calendar.last_filename == "mentoring-mosaic-my-next-review.ics"
    text = view.calendar.last_payload.decode("utf-8").replace("\r\n ", "")
    due = TODAY + dt.timedelta(days=content.review_after_days)
    assert f"DTSTART;VALUE=DATE:{due:%Y%m%d}" in text
    assert (WORKSHOP + dt.timedelta(days=content.review_after_days)).strftime("%Y%m%d") \
        not in text
    assert "Ask Dr Okafor for coffee" in text  # open, due in 20 days
    assert "the draft" not in text  # open, but its day has gone by: a reminder never rings
    view.show_part("actions")
    done = next(r for r in view.action_rows if r.item.action.id == "a1")
    done.status.value = "done"
    view.calendar.click()
    text = view.calendar.last_payload.decode("utf-8").replace("\r\n ", "")
    assert "Ask Dr Okafor for coffee" not in text  # done: left out
    assert "BEGIN:VEVENT" in text  # the review's reminder is still there


def test_answering_an_action_does_not_move_it_and_only_open_ones_are_overdue(
        session, content) -> None:
    """three_months_on(): a2 is past its date, a1 is not yet due. Answering a2 "done" and
    building the page again (a reload) keeps the order (the plan's dates), and a2 is no
    longer marked overdue; no count of late actions nags above them."""
    session.replace(three_months_on())
    view = review_view(session, content)
    order = [r.item.action.id for r in view.action_rows]
    assert order == ["a2", "a1"]
    assert "Overdue by 81 days" in view.action_rows[0].text.value
    view.action_rows[0].status.value = "done"
    again = review_view(session, content)
    assert [r.item.action.id for r in again.action_rows] == order
    assert "Overdue" not in again.action_rows[0].text.value  # done: no longer marked late
    assert "past their date." not in visible_text(again)
