"""Stage 6: challenging scenarios for the small groups.

Scenario cards come from the content files, the one matching the participant's biggest gap
first. Each card has the situation, prompts for the group, a place for the participant's own
strategy (saved in the ``scenarios`` section), and the facilitator's debrief points on request.
A visible timer paces the small-group discussion (visual only, no sound).
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
from .common import esc, guarded, html_block, labeled
from .pages import StageView

TIMER_CHOICES = (3, 5, 8, 10, 12, 15, 20)

CSS = """<style>
.mm-timer-card { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; }
.mm-timer { font-size: 2.4em; font-weight: 700; font-variant-numeric: tabular-nums;
  color: #1d3557; min-width: 4.2em; letter-spacing: 0.02em; }
.mm-timer.mm-timer-running { color: #14532d; }
.mm-timer.mm-timer-done { color: #9a3412; }
.mm-chip { display: inline-block; padding: 1px 10px; border-radius: 999px; background: #e2e8f0;
  color: #1e293b; font-size: 0.85em; margin-right: 6px; }
.mm-chip.mm-chip-gap { background: #ffedd5; color: #7c2d12; font-weight: 600; }
.mm-debrief { background: #f8fafc; border-left: 4px solid #2a6f97; padding: 4px 12px; }
.mm-scenario h3 { margin-top: 0.3em; }
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
            layout=ipw.Layout(width="auto", max_width="200px"),
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
        row = ipw.HBox(
            [self.display, labeled(self.minutes, "Discussion time"), self.start_button,
             self.reset_button],
            layout=ipw.Layout(flex_flow="row wrap", align_items="center", width="100%"),
        )
        row.add_class("mm-wrap")
        row.add_class("mm-timer-card")
        for child in row.children[1:]:
            child.layout.margin = "0 12px 0 0"
        row.children[1].layout.width = "auto"
        super().__init__([row], layout=ipw.Layout(width="100%"))
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


class ScenarioCard(ipw.VBox):
    """One scenario: situation, group prompts, my strategy, debrief on request."""

    def __init__(self, scenario: Scenario, on_save: Callable[[str, ScenarioNote], None]) -> None:
        self.scenario = scenario
        self._on_save = on_save
        self._loading = False
        self.header = html_block("")
        body = html_block(
            f"<p>{esc(scenario.situation)}</p>"
            "<h4>For your small group</h4><ol>"
            + "".join(f"<li>{esc(p)}</li>" for p in scenario.prompts)
            + "</ol>"
        )
        self.strategy = ipw.Textarea(
            rows=4,
            continuous_update=False,
            placeholder="What would you do? Your first move, your words, who else could help.",
            layout=ipw.Layout(width="100%", max_width="720px"),
        )
        self.discussed = ipw.Checkbox(
            description="We discussed this in our group", indent=False,
            layout=ipw.Layout(width="auto"),
        )
        self.debrief_toggle = ipw.ToggleButton(
            description="Show debrief points", icon="lightbulb-o", value=False,
            tooltip="The facilitator's points for after the discussion",
            layout=ipw.Layout(width="auto"),
        )
        self.debrief = html_block(
            '<div class="mm-debrief"><h4>Debrief points</h4><ul>'
            + "".join(f"<li>{esc(p)}</li>" for p in scenario.debrief)
            + "</ul></div>"
        )
        self.debrief.layout.display = "none"
        self.debrief_toggle.layout.align_self = "flex-start"
        self.debrief_toggle.observe(self._on_toggle, names="value")
        self.open_toggle = ipw.ToggleButton(
            description="Open this scenario", icon="chevron-down", value=False,
            tooltip=f"Show the situation and prompts: {scenario.title}",
            layout=ipw.Layout(width="auto", align_self="flex-start"),
        )
        self.open_toggle.observe(lambda change: self.set_open(bool(change["new"])), names="value")
        self.strategy.observe(self._changed, names="value")
        self.discussed.observe(self._changed, names="value")
        self.details = ipw.VBox(
            [
                body,
                labeled(self.strategy, f"My strategy: {scenario.title}"),
                self.discussed,
                self.debrief_toggle,
                self.debrief,
            ],
            layout=ipw.Layout(width="100%", display="none"),
        )
        super().__init__(
            [self.header, self.open_toggle, self.details], layout=ipw.Layout(width="100%")
        )
        self.add_class("mm-card")
        self.add_class("mm-scenario")

    @property
    def is_open(self) -> bool:
        """Whether the situation, prompts and strategy are shown."""
        return self.details.layout.display != "none"

    def set_open(self, shown: bool) -> None:
        """Show or fold the card's details (the title always shows)."""
        self.details.layout.display = "" if shown else "none"
        if self.open_toggle.value != shown:
            self.open_toggle.value = shown
        self.open_toggle.description = "Close this scenario" if shown else "Open this scenario"
        self.open_toggle.icon = "chevron-up" if shown else "chevron-down"

    def show_header(self, gap_name: str | None) -> None:
        """The title, its category and, for the first card, why it comes first."""
        chips = f'<span class="mm-chip">{esc(self.scenario.category)}</span>'
        if gap_name:
            chips += (
                f'<span class="mm-chip mm-chip-gap">Matches your biggest gap: '
                f"{esc(gap_name)}</span>"
            )
        self.header.value = f"<h3>{esc(self.scenario.title)}</h3><div>{chips}</div>"

    def load(self, note: ScenarioNote | None) -> None:
        """Show a stored note without saving it again."""
        self._loading = True
        try:
            self.strategy.value = note.strategy if note else ""
            self.discussed.value = note.discussed if note else False
        finally:
            self._loading = False

    def _on_toggle(self, change: dict[str, Any]) -> None:
        shown = bool(change["new"])
        self.debrief.layout.display = "" if shown else "none"
        self.debrief_toggle.description = "Hide debrief points" if shown else "Show debrief points"

    def _changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._on_save(
            self.scenario.id,
            ScenarioNote(strategy=self.strategy.value, discussed=self.discussed.value),
        )


class ScenariosView(StageView):
    """Stage 6: the timer and the scenario cards, biggest gap first."""

    stage_id = "scenarios"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self.timer = DiscussionTimer()
        self.cards = {s.id: ScenarioCard(s, self._save_note) for s in content.scenarios}
        self.intro = html_block("")
        self.card_list = ipw.VBox(layout=ipw.Layout(width="100%"))
        timer_card = ipw.VBox(
            [
                html_block(
                    "<h2>Small-group timer</h2><p class=\"mm-hint\">For the group's discussion "
                    "of one scenario. It only counts down on this screen; there is no sound."
                    "</p>"
                ),
                self.timer,
            ],
            layout=ipw.Layout(width="100%"),
        )
        timer_card.add_class("mm-card")
        self.children = [
            html_block(CSS),
            self.intro,
            timer_card,
            self.status,
            html_block("<h2>Scenarios</h2>"),
            self.card_list,
        ]
        self.refresh()

    @property
    def order(self) -> list[str]:
        """Scenario ids as shown, top to bottom."""
        return [card.scenario.id for card in self.card_list.children]  # type: ignore[attr-defined]

    def refresh(self) -> None:
        """Order the cards for the current workbook and show the stored strategies."""
        wb = self.session.workbook
        gap = biggest_gap(wb, self.content)
        ordered = ordered_scenarios(wb, self.content)
        gap_name = self.content.domain_names.get(gap, gap) if gap else None
        for i, scenario in enumerate(ordered):
            card = self.cards[scenario.id]
            card.show_header(gap_name if i == 0 and gap in scenario.domains else None)
            note = wb.scenarios.get(scenario.id)
            card.load(note)
            if i == 0 or (note is not None and note.strategy.strip()):
                card.set_open(True)
        self.card_list.children = [self.cards[s.id] for s in ordered]
        if gap_name:
            lead = (
                f"Your biggest gap is <strong>{esc(gap_name)}</strong>: a need you rated, with "
                "no current mentor for it yet. The first scenario is about it."
            )
        else:
            lead = (
                "Rate your needs (stage 1) and add your mentors (stage 4), and the scenario "
                "that fits your biggest gap will come first."
            )
        self.intro.value = (
            "<p>In your small group, pick a scenario (or take the one your facilitator gives "
            "you), read it aloud and talk it through with the prompts. Then write your own "
            "strategy and open the debrief points to compare. Each title opens its "
            "scenario.</p>"
            f'<p class="mm-hint">{lead}</p>'
        )

    def on_show(self) -> None:
        """Needs or people may have changed in another stage: re-order."""
        self.refresh()

    @guarded()
    def _save_note(self, scenario_id: str, note: ScenarioNote) -> None:
        def change(notes: dict[str, ScenarioNote]) -> None:
            notes[scenario_id] = note

        self.session.edit("scenarios", change)
        self.status.clear()

    def close(self) -> None:
        """Stop the timer's thread with the view."""
        self.timer.close()
        super().close()
