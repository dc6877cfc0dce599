"""Stage 6: tricky situations, talked through in small groups.

One scenario shows at a time: the one about the participant's biggest gap first
(``ordered_scenarios``), any other one a choice away. Its card has the situation, a few short
questions for the group, the group's timer (visual only, no sound), the participant's own notes
(saved in the ``scenarios`` section: ``strategy`` and ``discussed``) and, folded, ideas to
compare after the talk (the scenario's debrief points). Why the stage matters and its sources
fold away too, so the page fits the slot at first sight.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from ..analysis.actions import biggest_gap, ordered_scenarios
from ..content import Content
from ..content.schema import Scenario
from ..model import ScenarioNote
from ..session import Session
from .common import TypingSaver, citations_html, esc, guarded, html_block, labeled
from .pages import StageView

TIMER_CHOICES = (3, 5, 8, 10, 12, 15, 20)

CSS = """<style>
.mm-timer-card { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; }
.mm-timer { font-size: 1.9em; font-weight: 700; font-variant-numeric: tabular-nums;
  color: #1d3557; min-width: 4.2em; letter-spacing: 0.02em; line-height: 1.2; }
.mm-timer.mm-timer-running { color: #14532d; }
.mm-timer.mm-timer-done { color: #9a3412; }
.mm-chip { display: inline-block; padding: 1px 10px; border-radius: 999px; background: #e2e8f0;
  color: #1e293b; font-size: 0.85em; margin: 0 6px 2px 0; }
.mm-chip.mm-chip-gap { background: #ffedd5; color: #7c2d12; font-weight: 600; }
.mm-scenario h2 { margin: 0.2em 0 0.2em; }
.mm-scenario h3 { font-size: 1em; margin: 0.6em 0 0.1em; }
.mm-scenario p { margin: 0.4em 0; }
.mm-s6-prompts { margin: 0.2em 0 0.4em; padding-left: 22px; }
.mm-s6-timer { background: #f8fafc; border-radius: 6px; padding: 2px 10px; margin: 4px 0 6px; }
.mm-s6-ideas { background: #f8fafc; border-left: 4px solid #2a6f97; padding: 2px 12px; }
.mm-s6-ideas ul, .mm-s6-list { margin: 4px 0; padding-left: 20px; }
.mm-s6-list li { overflow-wrap: anywhere; }
.mm-s6-folds { display: flex; flex-wrap: wrap; gap: 0 24px; }
.mm-s6-folds details[open] { flex-basis: 100%; }
.mm-s6-pick .widget-dropdown { width: 100%; max-width: 460px; }
</style>"""


def _mmss(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class DiscussionTimer(ipw.VBox):
    """A count-down for the small-group discussion: start, pause, reset, minutes to choose.

    A daemon thread updates the display once a second while it runs; pausing, resetting,
    reaching zero or closing the widget stops that thread.
    """

    def __init__(
        self,
        minutes: int = 10,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._interval = interval
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.running = False
        self._ends_at = 0.0
        self.minutes = ipw.Dropdown(
            options=[(f"{m} minutes", m) for m in TIMER_CHOICES],
            value=minutes if minutes in TIMER_CHOICES else 10,
            layout=ipw.Layout(width="140px", min_width="140px"),
        )
        self.remaining = float(self.minutes.value * 60)
        self.display = html_block("")
        self.start_button = ipw.Button(
            description="Start timer", icon="play", button_style="primary",
            tooltip="Start the discussion timer", layout=ipw.Layout(width="auto"),
        )
        self.reset_button = ipw.Button(
            description="Reset timer", icon="undo", tooltip="Back to the full time",
            layout=ipw.Layout(width="auto"),
        )
        self.start_button.on_click(lambda _b: self.toggle())
        self.reset_button.on_click(lambda _b: self.reset())
        self.minutes.observe(lambda _c: self.reset(), names="value")
        # one line: the choice reads "10 minutes", so its name stays for screen readers only
        self.minutes.description = "Discussion time"
        self.minutes.add_class("mm-labeled")
        self.label = html_block(
            '<div class="mm-label">Group timer</div>'
            '<div class="mm-hint">On this screen only, no sound.</div>'
        )
        row = ipw.HBox(
            [self.label, self.display, self.minutes, self.start_button, self.reset_button],
            layout=ipw.Layout(flex_flow="row wrap", align_items="center", width="100%"),
        )
        row.add_class("mm-wrap")
        row.add_class("mm-timer-card")
        for child in row.children:
            child.layout.margin = "0 12px 0 0"
        super().__init__([row], layout=ipw.Layout(width="100%"))
        self.add_class("mm-s6-timer")
        self._render()

    # -- state -------------------------------------------------------------------------
    def toggle(self) -> None:
        """Start when stopped, pause when running."""
        if self.running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        """Count down from what is left (from the full time when it had run out)."""
        with self._lock:
            if self.running:
                return
            if self.remaining <= 0:
                self.remaining = float(self.minutes.value * 60)
            self._ends_at = self._clock() + self.remaining
            self.running = True
            self._stop = threading.Event()
            stop = self._stop
        self._thread = threading.Thread(
            target=self._run, args=(stop,), name="mm-discussion-timer", daemon=True
        )
        self._thread.start()
        self._render()

    def pause(self) -> None:
        """Stop counting and keep what is left."""
        with self._lock:
            if self.running:
                self.remaining = max(0.0, self._ends_at - self._clock())
            self.running = False
            self._stop.set()
        self._join()
        self._render()

    def reset(self) -> None:
        """Stop and go back to the full time."""
        self.pause()
        self.remaining = float(self.minutes.value * 60)
        self._render()

    def close(self) -> None:
        """Stop the thread when the widget goes away."""
        with self._lock:
            self.running = False
            self._stop.set()
        self._join()
        super().close()

    @property
    def thread_alive(self) -> bool:
        """Whether the background thread is running (for tests)."""
        return self._thread is not None and self._thread.is_alive()

    def _join(self) -> None:
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2 * self._interval + 1)

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self._interval):
            if not self.tick():
                break

    def tick(self) -> bool:
        """Update the display; False once the time is up or the timer was stopped."""
        with self._lock:
            if not self.running:
                return False
            self.remaining = max(0.0, self._ends_at - self._clock())
            if self.remaining <= 0:
                self.running = False
                self._stop.set()
        self._render()
        return self.running

    def _render(self) -> None:
        done = self.remaining <= 0
        state = "mm-timer-running" if self.running else ("mm-timer-done" if done else "")
        text = "Time is up" if done else _mmss(self.remaining)
        self.display.value = (
            f'<div class="mm-timer {state}" role="timer" aria-live="off" '
            f'aria-label="Discussion time left">{text}</div>'
            + ('<div role="status" class="mm-hint">Time to wrap up your discussion.</div>'
               if done else "")
        )
        self.start_button.description = "Pause timer" if self.running else (
            "Start timer" if self.remaining >= self.minutes.value * 60 else "Resume timer"
        )
        self.start_button.icon = "pause" if self.running else "play"


WHY_SUMMARY = "Why this matters"
SOURCES_SUMMARY = "Sources"
IDEAS_SUMMARY = "Ideas to compare, after your talk"
NOTES_LABEL = "My notes: what I would do"
DISCUSSED_LABEL = "We talked it through in our group"
PICK_LABEL = "Scenario for your group"
NOTED = "✓ "
"""Marks, in the scenario picker, a scenario that holds the participant's notes."""


def _fold(summary: str, body: str, css: str = "mm-fold") -> str:
    """A collapsed disclosure (``<details>``); ``body`` is markup we built and escaped."""
    return f'<details class="{css}"><summary>{esc(summary)}</summary>{body}</details>'


def why_html(content: Content) -> str:
    """The "Why this matters" fold: the stage's key points and how the cases were chosen."""
    points = "".join(f"<li>{esc(p)}</li>" for p in content.stage("scenarios").key_points)
    return _fold(
        WHY_SUMMARY,
        f'<ul class="mm-s6-list">{points}</ul>'
        '<p class="mm-hint">The cases follow what mentees find hard: finding mentors, a '
        "mentor's time, expectations, goals that pull apart, and support beyond the clinic. "
        "Practising the words with others makes the real conversation easier.</p>",
    )


def sources_html(content: Content) -> str:
    """The "Sources" fold: the stage's source, then each scenario's, first use first."""
    ids = [content.stage("scenarios").source] + [s.source for s in content.scenarios]
    listing = citations_html(content, list(dict.fromkeys(ids)), "mm-s6-list")
    return _fold(SOURCES_SUMMARY, listing)


class ScenarioCard(ipw.VBox):
    """One scenario: situation, short questions for the group, my notes, ideas folded.

    Only the view's open card shows (``set_open``); the group's timer sits in its
    ``timer_slot`` while it is open.
    """

    def __init__(self, scenario: Scenario, on_save: Callable[[str, ScenarioNote], None]) -> None:
        self.scenario = scenario
        self._on_save = on_save
        self._loading = False
        self.header = html_block("")
        self.body = html_block(
            f"<p>{esc(scenario.situation)}</p>"
            "<h3>Talk it through</h3>"
            '<ol class="mm-s6-prompts">'
            + "".join(f"<li>{esc(p)}</li>" for p in scenario.prompts)
            + "</ol>"
        )
        self.timer_slot = ipw.Box(layout=ipw.Layout(width="100%"))
        self.strategy = ipw.Textarea(
            rows=4,
            continuous_update=True,
            placeholder="Your first move, the words you would use, who else could help.",
            layout=ipw.Layout(width="100%", max_width="720px"),
        )
        self.discussed = ipw.Checkbox(
            description=DISCUSSED_LABEL, indent=False, layout=ipw.Layout(width="auto"),
        )
        self.discussed.add_class("mm-check-wrap")
        self.debrief = html_block(
            _fold(
                IDEAS_SUMMARY,
                '<div class="mm-s6-ideas"><ul>'
                + "".join(f"<li>{esc(p)}</li>" for p in scenario.debrief)
                + "</ul></div>",
            )
        )
        # the notes save while they are typed, the tick at once
        self.saver = TypingSaver(self._save)
        self.strategy.observe(self._typed, names="value")
        self.discussed.observe(self._ticked, names="value")
        super().__init__(
            [
                self.header,
                self.body,
                self.timer_slot,
                labeled(self.strategy, NOTES_LABEL),
                self.discussed,
                self.debrief,
            ],
            layout=ipw.Layout(width="100%", display="none"),
        )
        self.add_class("mm-card")
        self.add_class("mm-scenario")

    @property
    def is_open(self) -> bool:
        """Whether this is the scenario on show."""
        return self.layout.display != "none"

    @property
    def has_notes(self) -> bool:
        """Whether the participant wrote anything for this scenario."""
        return bool(self.strategy.value.strip())

    def set_open(self, shown: bool) -> None:
        """Show or hide the whole card (the view keeps one shown)."""
        self.layout.display = "" if shown else "none"

    def show_header(self, gap_name: str | None) -> None:
        """The title, its kind and, for the biggest gap's card, why it comes first."""
        chips = f'<span class="mm-chip">{esc(self.scenario.category)}</span>'
        if gap_name:
            chips += (
                f'<span class="mm-chip mm-chip-gap">Matches your biggest gap: '
                f"{esc(gap_name)}</span>"
            )
        self.header.value = f"<h2>{esc(self.scenario.title)}</h2><div>{chips}</div>"

    def load(self, note: ScenarioNote | None) -> None:
        """Show a stored note without saving it again (save or cancel the words still
        waiting first: ``saver``)."""
        self._loading = True
        try:
            self.strategy.value = note.strategy if note else ""
            self.discussed.value = note.discussed if note else False
        finally:
            self._loading = False

    def _typed(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self.saver.request()

    def _ticked(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self.saver.save_now()

    def _save(self) -> None:
        self._on_save(
            self.scenario.id,
            ScenarioNote(strategy=self.strategy.value, discussed=self.discussed.value),
        )


class ScenariosView(StageView):
    """Stage 6: one scenario at a time, biggest gap first, the group's timer in its card."""

    stage_id = "scenarios"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self.timer = DiscussionTimer()
        self.cards = {s.id: ScenarioCard(s, self._save_note) for s in content.scenarios}
        self.open_id: str = ""
        self._chosen = False  # the participant picked a scenario: keep it on re-ordering
        self._picking = False
        self.intro = html_block("")
        self.picker = ipw.Dropdown(
            options=[(s.title, s.id) for s in content.scenarios],
            layout=ipw.Layout(width="100%", max_width="460px"),
        )
        self.picker.observe(self._on_pick, names="value")
        self.pick_hint = html_block("")
        pick_row = labeled(self.picker, PICK_LABEL)
        pick_row.children = (*pick_row.children, self.pick_hint)
        pick_row.add_class("mm-s6-pick")
        self.card_list = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.children = [
            html_block(CSS),
            self.intro,
            html_block(
                f'<div class="mm-s6-folds">{why_html(content)}{sources_html(content)}</div>'
            ),
            pick_row,
            self.status,
            self.card_list,
        ]
        self.refresh()

    @property
    def order(self) -> list[str]:
        """Scenario ids in the order offered: the biggest gap's first."""
        return [card.scenario.id for card in self.card_list.children]  # type: ignore[attr-defined]

    def refresh(self) -> None:
        """Re-order for the current workbook, show the stored notes, keep one scenario open.

        The biggest gap's scenario opens unless the participant chose another one here.
        """
        for card in self.cards.values():
            card.saver.flush()  # the notes still waiting are saved before they are read back
        wb = self.session.workbook
        gap = biggest_gap(wb, self.content)
        ordered = ordered_scenarios(wb, self.content)
        gap_name = self.content.domain_names.get(gap, gap) if gap else None
        for i, scenario in enumerate(ordered):
            card = self.cards[scenario.id]
            card.show_header(gap_name if i == 0 and gap in scenario.domains else None)
            card.load(wb.scenarios.get(scenario.id))
        self.card_list.children = [self.cards[s.id] for s in ordered]
        keep = self.open_id if self._chosen and self.open_id in self.cards else ordered[0].id
        self._show_picker_options()
        self.open_scenario(keep, chosen=self._chosen)
        first = ordered[0]
        if gap_name and gap in first.domains:
            lead = (
                f"Shown first: a scenario about your biggest gap, <strong>{esc(gap_name)}"
                "</strong> (a need you rated, with no mentor for it yet)."
            )
        else:
            lead = (
                "Rate your needs (stage 1) and add your mentors (stage 4), and a scenario "
                "about your biggest gap will come first."
            )
        self.intro.value = (
            "<p>With your small group, take one scenario (or the one your facilitator gives "
            "you: choose it below). Read it aloud, start the timer, talk it through, then "
            "write what you would do.</p>"
            f'<p class="mm-hint">{lead}</p>'
        )

    def open_scenario(self, scenario_id: str, *, chosen: bool = True) -> None:
        """Show this scenario (and the timer in it); hide every other one."""
        if scenario_id not in self.cards:
            return
        self.open_id = scenario_id
        self._chosen = chosen
        for sid, card in self.cards.items():
            card.set_open(sid == scenario_id)
            card.timer_slot.children = [self.timer] if sid == scenario_id else []
        if self.picker.value != scenario_id:
            self._picking = True
            try:
                self.picker.value = scenario_id
            finally:
                self._picking = False

    def _show_picker_options(self) -> None:
        """The picker lists the scenarios in order, ✓ before those holding notes."""
        options = [
            ((NOTED if self.cards[sid].has_notes else "") + self.cards[sid].scenario.title, sid)
            for sid in self.order
        ]
        noted = any(self.cards[sid].has_notes for sid in self.order)
        self.pick_hint.value = (
            '<span class="mm-hint">✓ marks a scenario with your notes.</span>' if noted else ""
        )
        if list(self.picker.options) == options:
            return
        keep = self.picker.value
        self._picking = True
        try:
            self.picker.options = options
            self.picker.value = keep if keep in self.cards else options[0][1]
        finally:
            self._picking = False

    @guarded()
    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._picking or change["new"] is None:
            return
        self.open_scenario(change["new"])

    def on_show(self) -> None:
        """Needs or people may have changed in another stage: re-order."""
        self.refresh()

    def _on_session_change(self, what: str) -> None:
        if what == "*":  # a resumed file or a demo: start again from the biggest gap
            self._chosen = False
            for card in self.cards.values():
                card.saver.cancel()  # the notes waiting belonged to the workbook replaced
        super()._on_session_change(what)

    @guarded()
    def _save_note(self, scenario_id: str, note: ScenarioNote) -> None:
        def change(notes: dict[str, ScenarioNote]) -> None:
            notes[scenario_id] = note

        self.session.edit("scenarios", change)
        self.status.clear()
        self._show_picker_options()

    def close(self) -> None:
        """Stop the timer's thread with the view."""
        self.timer.close()
        super().close()
