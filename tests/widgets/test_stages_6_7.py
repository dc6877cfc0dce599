"""Stage 6 (scenarios) and stage 7 (wrap-up) driven without a browser."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from icalendar import Calendar

from mentoring_mosaic.analysis.actions import all_suggestions, suggested_actions
from mentoring_mosaic.model import DomainRating, Goal, ManagingUpPlan, Needs, Person, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.stage6_scenarios import DiscussionTimer, ScenariosView
from mentoring_mosaic.widgets.stage7_wrapup import WrapUpView

D1 = dt.date(2027, 1, 12)
D2 = dt.date(2027, 2, 3)


@pytest.fixture
def session(store):
    return Session(store=store, key="t")


def planned(session: Session) -> None:
    session.replace(
        Workbook(
            needs=Needs(ratings={"sponsorship": DomainRating(need=4)}),
            goals=[Goal(id="g", goal="Submit an abstract", steps="Draft methods", deadline=D2)],
            people=[
                Person(id="chen", name="Dr Chen", domains=["career_guidance"]),
                Person(id="lee", name="Dr Lee", status="potential", domains=["sponsorship"],
                       next_step="Coffee after rounds", next_step_date=D1),
                Person(id="stu", name="Sam <i>student</i>", role="mentee", level="junior"),
            ],
            managing_up={"chen": ManagingUpPlan(one_ask="Read my draft")},
        )
    )


# -- stage 6 ----------------------------------------------------------------------------------


def test_the_biggest_gap_scenario_comes_first(session: Session, content) -> None:
    view = ScenariosView(session, content)
    try:
        assert view.order == [s.id for s in content.scenarios]
        assert "Rate your needs" in view.intro.value
        planned(session)  # a full replace re-orders
        first = content.scenario(view.order[0])
        assert "sponsorship" in first.domains
        assert "Sponsorship" in view.intro.value
        assert "Matches your biggest gap: Sponsorship" in view.cards[first.id].header.value
        second = view.cards[view.order[1]]
        assert "biggest gap" not in second.header.value
    finally:
        view.close()


def test_a_strategy_and_discussed_are_saved(session: Session, content, store) -> None:
    view = ScenariosView(session, content)
    try:
        card = view.cards["limited_time"]
        card.strategy.value = "Send an agenda <b>two days</b> ahead"
        card.discussed.value = True
        note = session.workbook.scenarios["limited_time"]
        assert note.strategy == "Send an agenda <b>two days</b> ahead" and note.discussed
        assert store.load("t").scenarios["limited_time"].discussed
        # a fresh view shows what was stored
        again = ScenariosView(Session(store=store, key="t"), content)
        assert again.cards["limited_time"].strategy.value.startswith("Send an agenda")
        again.close()
    finally:
        view.close()


def test_debrief_points_wait_in_a_closed_fold(session: Session, content) -> None:
    view = ScenariosView(session, content)
    try:
        card = view.cards["recruit_new_mentor"]
        fold = card.debrief.value
        assert fold.startswith('<details class="mm-fold"><summary>')
        assert "<details open" not in fold and "Ideas to compare, after your talk" in fold
        point = content.scenario("recruit_new_mentor").debrief[-1]
        assert point[:40].replace('"', "&quot;") in fold  # escaped
    finally:
        view.close()


def test_only_the_first_card_starts_open_and_a_strategy_stays_where_it_was_written(
    session: Session, content
) -> None:
    view = ScenariosView(session, content)
    try:
        first, second, third = (view.cards[i] for i in view.order[:3])
        assert first.is_open and not second.is_open and not third.is_open
        view.picker.value = second.scenario.id
        assert second.is_open and not first.is_open
        second.strategy.value = "Ask for a standing slot"
        view.picker.value = first.scenario.id
        assert not second.is_open
        # one at a time on a fresh page too: the first opens, the strategy waits in its card
        again = ScenariosView(session, content)
        assert again.cards[first.scenario.id].is_open
        assert not again.cards[second.scenario.id].is_open
        assert again.cards[second.scenario.id].strategy.value == "Ask for a standing slot"
        again.close()
    finally:
        view.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_timer_counts_down_pauses_resets_and_stops_its_thread() -> None:
    clock = FakeClock()
    timer = DiscussionTimer(minutes=5, interval=0.02, clock=clock)
    try:
        assert "05:00" in timer.display.value and 'role="timer"' in timer.display.value
        timer.start_button.click()
        assert timer.running and timer.thread_alive
        assert timer.start_button.description == "Pause timer"
        clock.now += 61
        time.sleep(0.1)  # the thread ticks
        assert "03:59" in timer.display.value
        timer.start_button.click()  # pause
        assert not timer.running and not timer.thread_alive
        clock.now += 100
        time.sleep(0.05)
        assert "03:59" in timer.display.value
        assert timer.start_button.description == "Resume timer"
        timer.start()
        clock.now += 300
        time.sleep(0.1)
        assert "Time is up" in timer.display.value
        assert not timer.running
        timer._thread.join(1)
        assert not timer.thread_alive
        timer.reset_button.click()
        assert "05:00" in timer.display.value
        timer.minutes.value = 10
        assert "10:00" in timer.display.value
        timer.start()
    finally:
        timer.close()
    assert not timer.thread_alive


def test_real_timer_ticks_each_second() -> None:
    timer = DiscussionTimer(minutes=3)
    try:
        timer.start()
        time.sleep(1.3)
        assert re.search(r"02:5[89]", timer.display.value)
    finally:
        timer.close()
    assert not timer.thread_alive


# -- stage 7: the action plan -----------------------------------------------------------------


def test_suggestions_are_accepted_edited_done_and_removed(
    session: Session, content, store
) -> None:
    planned(session)
    view = WrapUpView(session, content)
    suggestions = all_suggestions(session.workbook)
    assert len(view.suggestion_box.children) == len(suggestions) == 3
    assert not view.plan_rows
    first_button = view.suggestion_box.children[0].children[1]
    first_button.click()
    assert [a.id for a in session.workbook.actions] == [suggestions[0].id]
    assert len(view.suggestion_box.children) == 2

    row = view.plan_rows[0]
    row.text.value = "Email Dr Lee on Monday"
    row.who.value = "Dr Lee"
    row.due.value = D2
    row.done.value = True
    stored = store.load("t").actions[0]
    assert (stored.text, stored.who, stored.due, stored.done) == (
        "Email Dr Lee on Monday", "Dr Lee", D2, True
    )
    row.text.value = "   "  # emptied on the way to new words: the stored text stays,
    assert store.load("t").actions[0].text == "Email Dr Lee on Monday"
    assert row.text.value == "   "  # and the box is left as typed (it saves while typing)
    assert "previous text is kept" in view.status.value
    row.text.value = "Email Dr Lee on Tuesday"
    assert store.load("t").actions[0].text == "Email Dr Lee on Tuesday"
    assert "previous text is kept" not in view.status.value

    view.add_all.click()
    assert len(session.workbook.actions) == 3
    assert view.add_all.layout.display == "none"

    view.new_text.value = "Block Friday mornings for writing"
    view.new_due.value = D1
    view.add_button.click()
    own = session.workbook.actions[-1]
    assert (own.text, own.source, own.due, own.who) == (
        "Block Friday mornings for writing", "own", D1, ""
    )
    assert view.new_text.value == ""

    view.add_button.click()  # nothing typed: a message, nothing stored
    assert len(store.load("t").actions) == 4
    assert "Write what you will do" in view.status.value

    view.plan_rows[0].remove.click()
    assert len(store.load("t").actions) == 3
    assert suggestions[0].id in {a.id for a in all_suggestions(session.workbook)}
    # it is offered again (folded: with three actions in the plan, suggestions step aside)
    assert len(view.suggestion_box.children) == 0 and len(view.more_box.children) == 1
    assert view.more_button.description == "Show 1 suggestion"


# -- stage 7: the take-home files ------------------------------------------------------------


def sent(got: list, button) -> bytes:
    """The bytes a DownloadButton handed to the page at its last click (the page's browser
    module saves them: a message with the file's name, the bytes as a binary buffer)."""
    msg, buffers = got[-1]
    assert msg == {"do": "download", "name": button.last_filename, "mime": button._mime}
    return buffers[0]


def card_with(view, widget) -> int:
    """Index in the view of the card that holds ``widget``."""
    def holds(node) -> bool:
        return node is widget or any(holds(c) for c in getattr(node, "children", ()))
    return next(i for i, child in enumerate(view.children) if holds(child))


def test_evaluation_and_consent_come_before_the_take_home_files(session: Session, content) -> None:
    view = WrapUpView(session, content)
    plan = card_with(view, view.plan_box)
    evaluation = card_with(view, view.headline)
    assert card_with(view, view.consent) == evaluation
    files = card_with(view, view.downloads_box)
    assert plan < evaluation < files < card_with(view, view.closing)


def test_take_home_files_are_built_at_the_click_from_the_answers_of_that_moment(
    session: Session, content, browser_sent: list
) -> None:
    planned(session)
    view = WrapUpView(session, content)
    assert browser_sent == [] and all(b.clicks == 0 for b in view.downloads.values())

    view.comments.value = "Loved the mosaic"
    view.consent.value = True
    view.headline.value = 4
    wb_button = view.downloads["json"]
    wb_button.button.click()
    saved = json.loads(sent(browser_sent, wb_button))
    assert saved["evaluation"]["comments"] == "Loved the mosaic"
    assert saved["evaluation"]["headline"] == 4 and saved["consent"]["share_anonymised"] is True
    assert wb_button.last_filename == "mentoring-mosaic-my-workbook.json"

    view.consent.value = False  # changed after the first download: the next click follows
    wb_button.button.click()
    assert json.loads(sent(browser_sent, wb_button))["consent"]["share_anonymised"] is False
    assert len(browser_sent) == 2  # one message per click: the page saves each once

    pack = view.downloads["html"]
    pack.button.click()
    html = sent(browser_sent, pack).decode()
    assert "<!DOCTYPE html>" in html and "Dr Lee" in html
    assert pack.last_filename == "mentoring-mosaic-my-pack.html"
    copy = view.downloads["ipynb"]
    copy.button.click()
    nb = json.loads(sent(browser_sent, copy))
    assert nb["metadata"]["mentoring_mosaic"]["workbook"]["evaluation"]["comments"] == (
        "Loved the mosaic"
    )
    calendar = view.downloads["ics"]
    calendar.button.click()
    def action_events() -> list:  # the review event three months on has tests of its own
        events = Calendar.from_ical(sent(browser_sent, calendar)).walk("VEVENT")
        return [e for e in events if not str(e["UID"]).startswith("mentoring-mosaic-review-")]

    assert len(action_events()) == 2  # suggestions
    view.new_text.value = "Ask for a sponsor introduction"
    view.new_due.value = D1
    view.add_button.click()
    calendar.button.click()
    events = action_events()
    assert [str(e["SUMMARY"]) for e in events] == ["Ask for a sponsor introduction"]
    assert "Sent to your downloads" in calendar.note.value and calendar.status.value == ""


def test_a_take_home_file_that_fails_says_so_and_keeps_the_answers(
    session: Session, content, monkeypatch: pytest.MonkeyPatch, store, browser_sent: list
) -> None:
    import mentoring_mosaic.widgets.stage7_wrapup as wrapup

    planned(session)
    view = WrapUpView(session, content)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wrapup, "export", broken)
    view.downloads["html"].button.click()
    assert "something went wrong" in view.downloads["html"].status.value
    assert browser_sent == [] and view.downloads["html"].note.value == ""
    assert store.load("t").people[0].name == "Dr Chen"


PLAIN_WORDS_BANNED = ("Binder", ".ipynb", "ipynb", "GraphML", "JSON", ".json", ".ics", ".html",
                      "(0)")


def visible_words(widget) -> list[str]:
    """Texts a participant reads: HTML values, labels, descriptions and button captions."""
    out = []
    for attr in ("value", "description", "tooltip"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
    for child in getattr(widget, "children", ()):
        out += visible_words(child)
    return out


def test_take_home_labels_are_plain_words(
    session: Session, content, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("BINDER_LAUNCH_HOST", "BINDER_REPO_URL", "BINDER_REQUEST", "BINDER_REF_URL",
                "BINDER_PERSISTENT_REQUEST", "BINDER_SERVICE_HOST"):
        monkeypatch.delenv(var, raising=False)
    planned(session)
    view = WrapUpView(session, content)
    words = "\n".join(visible_words(view))
    for bad in PLAIN_WORDS_BANNED:
        assert bad not in words, bad
    labels = [b.button.description for b in view.downloads.values()]
    assert labels == ["⬇ Take-home pack", "⬇ Calendar reminders", "⬇ Workbook file",
                      "⬇ Notebook copy"]
    assert "Reopens your answers in Jupyter" in words

    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    on_binder_view = WrapUpView(session, content)
    words = "\n".join(visible_words(on_binder_view))
    assert "send your workbook file to the facilitator" in words


def test_only_three_suggestions_show_until_asked(session: Session, content) -> None:
    from mentoring_mosaic.demo import pgy3

    workbook = pgy3()
    session.replace(workbook.model_copy(update={"actions": []}))
    view = WrapUpView(session, content)
    total = len(suggested_actions(session.workbook))
    assert total > 3
    assert len(view.suggestion_box.children) == 3
    assert len(view.more_box.children) == total - 3
    assert view.more_box.layout.display == "none"
    assert view.more_button.description == f"Show {total - 3} more suggestions"
    view.more_button.click()
    assert view.more_box.layout.display == ""
    assert view.more_button.description == "Show fewer suggestions"
    view.suggestion_box.children[0].children[1].click()  # adding one keeps the list open
    left = len(suggested_actions(session.workbook))
    assert len(session.workbook.actions) == 1
    assert len(view.more_box.children) == left - 3 and view.more_box.layout.display == ""
    view.more_button.click()
    assert view.more_box.layout.display == "none"
    view.add_all.click()  # with three or more actions in the plan, every suggestion folds
    session.update("actions", session.workbook.actions[:3])
    view.refresh()
    assert len(view.suggestion_box.children) == 0
    assert view.more_button.description.startswith("Show ")
    assert "more" not in view.more_button.description


# -- stage 7: evaluation and consent ----------------------------------------------------------


def texts(widget) -> list[str]:
    """Every HTML/Label value in a widget tree."""
    out = [widget.value] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        out += texts(child)
    return out


def test_evaluation_is_saved_with_the_consent_choice(
    session: Session, content, store
) -> None:
    view = WrapUpView(session, content)
    assert view.consent.value is False
    assert any(content.headline.text in t for t in texts(view))
    assert any("<strong>never</strong> shared" in t for t in texts(view))
    view.headline.value = 5
    view.objectives["manage_up"].value = 4
    view.before["managing_up"].value = 2
    view.after["managing_up"].value = 4
    view.change_30.value = "Send an agenda before every meeting"
    view.comments.value = "<script>alert(1)</script>"
    ev = store.load("t").evaluation
    assert ev.headline == 5 and ev.objectives_met == {"manage_up": 4}
    assert ev.confidence_before == {"managing_up": 2} and ev.confidence_after == {"managing_up": 4}
    assert ev.change_30_days.startswith("Send an agenda") and ev.submitted_at is None
    assert store.load("t").consent.share_anonymised is False

    view.submit.click()
    saved = store.load("t")
    assert saved.evaluation.submitted_at is not None
    assert "<time datetime=" in view.eval_status.value  # shown in the participant's clock
    assert saved.consent.share_anonymised is False and saved.consent.decided_at is not None
    assert "Thank you" in view.eval_status.value

    view.consent.value = True
    assert store.load("t").consent.share_anonymised is True
    view.objectives["manage_up"].value = 0  # "Choose…" again: the answer is removed
    assert store.load("t").evaluation.objectives_met == {}

    again = WrapUpView(Session(store=store, key="t"), content)
    assert again.headline.value == 5 and again.consent.value is True
    assert again.after["managing_up"].value == 4
    assert "Thank you" in again.eval_status.value


def test_closing_message_names_both_roles_and_escapes_names(
    session: Session, content
) -> None:
    view = WrapUpView(session, content)
    assert "mentee" in view.closing.value and "mentor" in view.closing.value
    planned(session)
    assert "Sam &lt;i&gt;student&lt;/i&gt;" in view.closing.value
    assert "<i>" not in view.closing.value
