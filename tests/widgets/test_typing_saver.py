"""Words save while they are typed (no browser): the throttled saver, and each page's free-text
answers going through it with nothing dropped and nothing written back into the field.

A participant's words reach the kernel at every key (``continuous_update=True``). The saver
saves at once after a pause, then at most every ``SAVE_EVERY`` seconds, and always the last
words. Here a manual clock and scheduler stand in for the kernel's event loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw
import pytest

from mentoring_mosaic.model import ActionItem, Goal, Needs, Person, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets import common
from mentoring_mosaic.widgets.common import (
    SAVE_EVERY,
    SaveIndicator,
    TypingSaver,
    flush_typing,
    typing_pending,
)
from mentoring_mosaic.widgets.stage1_needs import NeedsView
from mentoring_mosaic.widgets.stage2_managing_up import ManagingUpView
from mentoring_mosaic.widgets.stage5_expand import ExpandView
from mentoring_mosaic.widgets.stage6_scenarios import ScenariosView
from mentoring_mosaic.widgets.stage7_wrapup import WrapUpView
from mentoring_mosaic.widgets.welcome import WelcomeView


class Timer:
    def __init__(self, clock: Clock, at: float, callback: Callable[[], None]) -> None:
        self.clock, self.at, self.callback, self.cancelled = clock, at, callback, False

    def cancel(self) -> None:
        self.cancelled = True


class Clock:
    """A manual clock and ``call_later``: time moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.timers: list[Timer] = []

    def __call__(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(self, self.now + delay, callback)
        self.timers.append(timer)
        return timer

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for timer in sorted(self.timers, key=lambda t: t.at):
            if timer.at <= self.now and not timer.cancelled and timer in self.timers:
                self.timers.remove(timer)
                timer.callback()

    @property
    def waiting(self) -> list[Timer]:
        return [t for t in self.timers if not t.cancelled]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Every saver and indicator made in the test runs on the manual clock."""
    c = Clock()
    monkeypatch.setattr(common, "_clock", c)
    monkeypatch.setattr(common, "_kernel_scheduler", c.call_later)
    return c


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def stored(store) -> Workbook:
    return store.load("t")


def typed(field: ipw.Widget, words: str) -> None:
    """Type ``words`` one key at a time, as the browser sends them."""
    start = len(field.value)
    for i in range(start + 1, len(words) + 1):
        field.value = words[:i]


def echoes(field: ipw.Widget) -> list[str]:
    """Every value the field takes: the test's keys, and anything the kernel writes back."""
    seen: list[str] = []
    field.observe(lambda change: seen.append(change["new"]), names="value")
    return seen


# -- the saver ---------------------------------------------------------------------------------


def test_the_first_key_saves_at_once_then_at_most_every_interval_and_the_last_wins(
    clock: Clock,
) -> None:
    box = ipw.Text()
    saved: list[str] = []
    saver = TypingSaver(lambda: saved.append(box.value))
    box.observe(saver.request, names="value")
    box.value = "A"
    assert saved == ["A"], "after a pause the first key saves at once"
    for word in ("An", "Ana", "Ana "):
        clock.advance(0.1)
        box.value = word
    assert saved == ["A"] and saver.pending and len(clock.waiting) == 1  # one save due
    clock.advance(SAVE_EVERY)
    assert saved == ["A", "Ana "], "the due save reads the newest words"
    assert not saver.pending and not clock.waiting
    clock.advance(10)
    assert saved == ["A", "Ana "], "nothing more to save"


def test_flush_saves_what_waits_now_and_nothing_twice(clock: Clock) -> None:
    saved: list[int] = []
    n = iter(range(100))
    saver = TypingSaver(lambda: saved.append(next(n)))
    saver.flush()
    assert saved == [], "nothing waiting, nothing saved"
    saver.request()
    saver.request()
    assert saved == [0] and saver.pending
    saver.flush()
    assert saved == [0, 1] and not saver.pending and not clock.waiting
    clock.advance(SAVE_EVERY)
    assert saved == [0, 1], "the timer was cancelled by the flush"


def test_flush_typing_saves_every_form_and_cancel_forgets(clock: Clock) -> None:
    saved: list[str] = []
    one, two = TypingSaver(lambda: saved.append("one")), TypingSaver(lambda: saved.append("two"))
    for saver in (one, two):
        saver.request()
        saver.request()
    assert typing_pending()
    two.cancel()
    flush_typing()
    assert saved == ["one", "two", "one"] and not typing_pending()
    clock.advance(SAVE_EVERY)
    assert saved == ["one", "two", "one"]


def test_outside_an_event_loop_every_key_saves_at_once() -> None:
    """Widget tests and scripts: no loop, so no waiting (nothing is ever left unsaved)."""
    saved: list[int] = []
    saver = TypingSaver(lambda: saved.append(1))
    for _ in range(3):
        saver.request()
    assert saved == [1, 1, 1] and not saver.pending


def test_on_the_kernel_event_loop_the_last_words_save_after_the_interval() -> None:
    """The real scheduler: ``call_later`` on the running loop (Voilà's kernel runs one)."""
    box = ipw.Text()
    saved: list[str] = []
    saver = TypingSaver(lambda: saved.append(box.value), interval=0.2)
    box.observe(saver.request, names="value")

    async def type_then_wait() -> None:
        for word in ("H", "Hi", "Hi!"):
            box.value = word
            await asyncio.sleep(0.02)
        assert saved == ["H"] and saver.pending
        await asyncio.sleep(0.3)

    asyncio.run(type_then_wait())
    assert saved == ["H", "Hi!"] and not saver.pending


def test_a_save_that_fails_does_not_stop_the_next_one(clock: Clock) -> None:
    calls: list[int] = []

    def save() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk full")

    saver = TypingSaver(save)
    with pytest.raises(RuntimeError):
        saver.request()
    saver.request()
    clock.advance(SAVE_EVERY)
    assert len(calls) == 2 and not saver.pending


# -- the indicator -----------------------------------------------------------------------------


def test_the_indicator_says_saving_while_words_wait_and_saved_after_the_pause(
    session: Session, clock: Clock
) -> None:
    indicator = SaveIndicator(session)
    shown: list[str] = []
    indicator.observe(lambda change: shown.append(change["new"]), names="value")
    box = ipw.Text()
    saver = TypingSaver(lambda: session.update("evaluation", {"comments": box.value}))
    box.observe(saver.request, names="value")
    typed(box, "Great")
    assert "Saving…" in indicator.value, "words are waiting: it does not say saved"
    for _ in range(4):  # typing on: saves every half second, the indicator stays put
        clock.advance(0.2)
        box.value += "!"
    assert "Saving…" in indicator.value
    assert sum("Saving…" in v for v in shown) == 1, "no flicker while typing"
    clock.advance(SAVE_EVERY)  # the last words saved
    assert session.workbook.evaluation.comments == "Great!!!!"
    clock.advance(SAVE_EVERY)  # and the typing paused
    assert "✓ Saved" in indicator.value and "Saving" not in indicator.value
    # a choice (not typing) shows saved at once
    session.update("evaluation", {"comments": "x"})
    assert "✓ Saved" in indicator.value


# -- each page: saved while typed, nothing written back into the field -------------------------


def test_welcome_profile_saves_while_typed_without_echo(session: Session, store) -> None:
    view = WelcomeView(session, content=_content())
    seen = echoes(view.display_name)
    typed(view.display_name, "Ana Lopez ")
    assert stored(store).profile.display_name == "Ana Lopez"
    assert seen == [("Ana Lopez ")[:i] for i in range(1, 11)], "the kernel wrote nothing back"
    assert view.display_name.continuous_update and view.next_role.continuous_update


def test_stage1_goal_and_whats_new_save_while_typed(session: Session, store) -> None:
    session.update("needs", Needs(top_needs=["research"]))
    view = NeedsView(session, _content())
    seen = echoes(view.whats_new)
    typed(view.whats_new, "Leading a team ")
    assert stored(store).profile.whats_new == "Leading a team "
    assert seen[-1] == "Leading a team " and len(seen) == len("Leading a team ")
    editor = next(iter(view.editors.values()))
    goal_seen = echoes(editor.goal)
    typed(editor.goal, "By June I will submit one abstract ")
    assert stored(store).goals[0].goal == "By June I will submit one abstract"
    assert goal_seen[-1].endswith("abstract ") and len(goal_seen) == len(goal_seen[-1])
    assert "Goal for" in editor.toggle.description  # the checker followed


def test_stage1_a_removed_goal_is_not_brought_back_by_words_waiting(
    session: Session, store, clock: Clock
) -> None:
    session.update("goals", [Goal(id="old", need="teaching", goal="Teach")])
    session.update("needs", Needs(top_needs=["research"]))
    view = NeedsView(session, _content())
    extra = view.editors["old"]
    extra.goal.value = "Teach more"
    clock.advance(0.1)
    extra.goal.value = "Teach more often"  # waits for its save
    extra.remove.click()
    clock.advance(SAVE_EVERY * 2)
    assert [g.id for g in stored(store).goals] == []


def test_stage2_words_waiting_go_to_the_mentor_they_were_typed_for(
    session: Session, store, clock: Clock
) -> None:
    view = ManagingUpView(session, _content())
    for name in ("Dr Lee", "Dr Chen"):
        view.new_name.value = name
        view.add_button.click()
    lee, chen = (next(p for p in session.workbook.people if p.name == n)
                 for n in ("Dr Lee", "Dr Chen"))
    view.picker.value = lee.id
    clock.advance(1)
    typed(view.need_from, "feedback on my grant")
    assert view.plan_saver.pending
    view.picker.value = chen.id  # before the due save
    assert stored(store).managing_up[lee.id].need_from == "feedback on my grant"
    assert chen.id not in stored(store).managing_up
    assert view.need_from.value == ""


def test_stage2_title_typed_is_not_rewritten_while_typing(session: Session, store) -> None:
    view = ManagingUpView(session, _content())
    view.new_name.value = "Dr Lee"
    view.add_button.click()
    seen = echoes(view.title_field)
    need_seen = echoes(view.need_from)
    typed(view.title_field, "program director ")
    assert session.workbook.people[0].title == "program director"
    assert seen == [("program director ")[:i] for i in range(1, 18)]
    assert need_seen == [], "the plan's fields were not filled again"
    assert view.agenda_text.startswith("Meeting with Dr Lee, program director")


def test_stage2_a_removed_mentor_gets_no_plan_from_words_waiting(
    session: Session, store, clock: Clock
) -> None:
    view = ManagingUpView(session, _content())
    view.new_name.value = "Dr Lee"
    view.add_button.click()
    lee = session.workbook.people[0]
    clock.advance(1)
    typed(view.one_ask, "Read my draft")
    assert view.plan_saver.pending
    session.remove_person(lee.id)
    clock.advance(SAVE_EVERY)
    assert stored(store).managing_up == {} and stored(store).people == []


def test_stage5_step_and_name_save_while_typed_and_an_emptied_name_is_kept(
    session: Session, store
) -> None:
    session.save_person(Person(id="p", name="a peer for Research", status="potential",
                               domains=["research"]))
    view = ExpandView(session, _content())
    name, step, _date = view.rows["p"]
    name_seen, step_seen = echoes(name), echoes(step)
    typed(step, "Coffee after rounds ")
    assert stored(store).person("p").next_step == "Coffee after rounds"
    assert step_seen[-1] == "Coffee after rounds " and len(step_seen) == 20
    for _ in range(len(name.value)):  # backspace the placeholder away
        name.value = name.value[:-1]
    assert name.value == "", "the emptied field is left alone"
    assert stored(store).person("p").name == "a", "the last name typed is kept"
    assert "is kept until you type one" in view.status.value
    typed(name, "Dr Diaz ")
    assert stored(store).person("p").name == "Dr Diaz"
    assert name.value == "Dr Diaz " and name_seen[-1] == "Dr Diaz "
    assert len(name_seen) == len("a peer for Research") + len("Dr Diaz "), "no write-back"


def test_stage6_notes_save_while_typed_and_survive_the_card_reloading(
    session: Session, store, clock: Clock
) -> None:
    view = ScenariosView(session, _content())
    card = view.cards[view.open_id]
    clock.advance(1)
    typed(card.strategy, "Ask my chief")
    assert card.saver.pending
    view.on_show()  # the stage shown again: cards re-read the workbook
    assert card.strategy.value == "Ask my chief"
    assert stored(store).scenarios[card.scenario.id].strategy == "Ask my chief"


def test_stage7_action_and_comments_save_while_typed(
    session: Session, store, clock: Clock
) -> None:
    session.update("actions", [ActionItem(id="a", text="Email Dr Lee", source="own")])
    view = WrapUpView(session, _content())
    row = view.plan_rows[0]
    assert isinstance(row.text, ipw.Textarea) and row.text.continuous_update
    clock.advance(1)
    seen = echoes(row.text)
    typed(row.text, "Email Dr Lee about the grant, the abstract and the May conference ")
    clock.advance(SAVE_EVERY)
    assert stored(store).actions[0].text.endswith("the May conference")
    assert seen[-1].endswith("conference ") and len(seen) == len(seen[-1]) - len("Email Dr Lee")
    assert row.text.rows >= 2, "a long action's box grows"
    clock.advance(1)
    typed(view.comments, "Thank you")
    assert view.eval_saver.pending
    view.downloads["json"].click()  # a download holds the words typed just before the click
    assert b'"comments": "Thank you"' in view.downloads["json"].last_payload
    assert stored(store).evaluation.comments == "Thank you"


def test_stage7_a_removed_action_is_not_brought_back(
    session: Session, store, clock: Clock
) -> None:
    session.update("actions", [ActionItem(id="a", text="Email Dr Lee", source="own")])
    view = WrapUpView(session, _content())
    row = view.plan_rows[0]
    clock.advance(1)
    typed(row.text, "Email Dr Lee today")
    assert row.saver.pending
    row.remove.click()
    clock.advance(SAVE_EVERY * 2)
    assert stored(store).actions == []


def test_resume_saves_words_waiting_into_the_backup_first(
    session: Session, store, clock: Clock
) -> None:
    from mentoring_mosaic.widgets.common import WorkbookFileBar

    view = WelcomeView(session, _content())
    bar = WorkbookFileBar(session)
    clock.advance(1)
    typed(view.display_name, "Ana")
    assert view.saver.pending
    other = Workbook()
    other.profile.display_name = "Resumed"
    raw = other.model_dump_json().encode()
    bar.upload.value = ({"name": "w.json", "type": "application/json", "size": len(raw),
                         "content": memoryview(raw), "last_modified": dt.datetime.now()},)
    assert view.display_name.value == "Resumed"
    previous = store.latest_backup("t")
    assert previous is not None and previous.profile.display_name == "Ana"
    clock.advance(SAVE_EVERY * 2)
    assert stored(store).profile.display_name == "Resumed"


def _content() -> Any:
    from mentoring_mosaic.content import get_content

    return get_content()


def test_every_answer_field_types_live(session: Session) -> None:
    """The stage modules' free-text answers send every key; the add-forms keep Enter/blur."""
    session.update("needs", Needs(top_needs=["research"]))
    session.save_person(Person(id="p", name="x", status="potential", domains=["research"],
                               next_step_date=dt.date(2027, 1, 1)))
    session.update("actions", [ActionItem(id="a", text="Do it", source="own")])
    content = _content()
    welcome = WelcomeView(session, content)
    needs = NeedsView(session, content)
    editor = next(iter(needs.editors.values()))
    up = ManagingUpView(session, content)
    expand = ExpandView(session, content)
    scenarios = ScenariosView(session, content)
    wrap = WrapUpView(session, content)
    answers = [
        welcome.display_name, welcome.current_role, welcome.next_role, needs.whats_new,
        editor.goal, editor.steps, editor.measure, editor.partner, editor.barriers,
        up.title_field, up.need_from, up.offer_back, up.frequency, up.channel, up.one_ask,
        up.one_change, *expand.rows["p"][:2], *(c.strategy for c in scenarios.cards.values()),
        wrap.plan_rows[0].text, wrap.plan_rows[0].who, wrap.change_30, wrap.comments,
    ]
    assert all(field.continuous_update for field in answers)
