"""The presenter view for the projector: the current stage, its key points, the next stage,
and a countdown with a visual, sound-free alert.

Keyboard: every control is a large button reachable with Tab (Shift+Tab goes back) and
pressed with Enter or Space. For one-key control, click into the "Keyboard control" box and
type: **N** next stage, **P** previous, **S** or **Space** start/pause, **+** add a minute,
**-** take a minute off, **R** restart the stage's timer.

The countdown runs in the kernel on a small daemon thread that ticks twice a second while the
timer runs and stops cleanly (``Presenter.close()`` or ``Countdown``'s ``stop``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from ..content import Content, get_content
from ..content.schema import Stage
from .common import esc, html_block, stylesheet

RUNS = {"60 minutes": "minutes_60", "90 minutes": "minutes", "120 minutes": "minutes_120"}
"""Run lengths offered, and the agenda column each one uses."""

AMBER_SECONDS = 120
"""The bar turns amber when this much time is left."""

PRESENTER_CSS = """
.mm-presenter { max-width: 1600px; }
.mm-presenter, .mm-presenter .widget-label, .mm-presenter .widget-html-content { font-size: 20px; }
.mm-presenter h1 { font-size: 2.3em; margin: 0.1em 0 0.2em; }
.mm-presenter .mm-stage-meta { color: #334155; font-weight: 600; font-size: 1.05em; }
.mm-presenter ul.mm-points { font-size: 1.35em; line-height: 1.45; padding-left: 1.2em;
  margin: 0.3em 0; }
.mm-presenter .mm-prompt { border-left: 6px solid #2a6f97; background: #f1f5f9; padding: 10px 16px;
  font-size: 1.1em; margin: 10px 0; }
.mm-presenter .mm-next { font-size: 1.15em; color: #1d3557; }
.mm-clock { font-size: 4.2em; font-weight: 800; font-variant-numeric: tabular-nums; line-height: 1;
  color: #1d3557; }
.mm-timebar { width: 100%; height: 28px; background: #e2e8f0; border-radius: 8px; overflow: hidden;
  margin: 8px 0; border: 2px solid #94a3b8; box-sizing: border-box; }
.mm-timebar > span { display: block; height: 100%; }
.mm-time-ok .mm-timebar > span { background: #2a6f97; }
.mm-time-amber .mm-timebar > span { background: #d97706; }
.mm-time-amber .mm-clock { color: #92400e; }
.mm-time-up .mm-timebar { border-color: #b91c1c; }
.mm-time-up .mm-timebar > span { background: #b91c1c; }
.mm-time-up .mm-clock { color: #b91c1c; }
.mm-time-alert { font-size: 1.5em; font-weight: 800; min-height: 1.4em; }
.mm-time-amber .mm-time-alert { color: #92400e; }
.mm-time-up .mm-time-alert { color: #b91c1c; }
.mm-presenter .mm-controls button { font-size: 1.05em; height: 52px; min-width: 150px; }
.mm-presenter .mm-controls button:focus-visible { outline: 4px solid #f4a261; outline-offset: 2px; }
.mm-presenter .mm-keybox input[type="text"] { color: transparent; caret-color: #1d3557; }
.mm-presenter .mm-layout { display: flex; flex-wrap: wrap; gap: 20px; }
.mm-presenter .mm-layout > .mm-main { flex: 2 1 560px; min-width: 0; }
.mm-presenter .mm-layout > .mm-side { flex: 1 1 340px; min-width: 0; }
"""


def format_seconds(seconds: float) -> str:
    """``m:ss`` for a number of seconds (negative means overtime, shown with a +)."""
    whole = round(abs(seconds))
    text = f"{whole // 60}:{whole % 60:02d}"
    return f"+{text}" if seconds < 0 else text


class Countdown:
    """A pausable countdown. Pure Python: the clock is injectable for tests."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.total = float(seconds)
        self._left = float(seconds)
        self._started: float | None = None

    @property
    def running(self) -> bool:
        """Whether the countdown is ticking."""
        return self._started is not None

    def remaining(self) -> float:
        """Seconds left; negative once the time is up (overtime)."""
        if self._started is None:
            return self._left
        return self._left - (self.clock() - self._started)

    def start(self) -> None:
        """Start or resume."""
        if self._started is None:
            self._started = self.clock()

    def pause(self) -> None:
        """Pause, keeping the time left."""
        if self._started is not None:
            self._left = self.remaining()
            self._started = None

    def toggle(self) -> None:
        """Start if paused, pause if running."""
        if self.running:
            self.pause()
        else:
            self.start()

    def add(self, seconds: float) -> None:
        """Add (or with a negative number take off) time."""
        self._left += seconds
        self.total = max(self.total + seconds, 1.0)

    def reset(self, seconds: float | None = None) -> None:
        """Back to the full time (or a new one), paused."""
        if seconds is not None:
            self.total = float(seconds)
        self._left = self.total
        self._started = None

    def state(self) -> str:
        """``"ok"``, ``"amber"`` (2 minutes or less) or ``"up"`` (time is up)."""
        left = self.remaining()
        if left <= 0:
            return "up"
        if left <= AMBER_SECONDS:
            return "amber"
        return "ok"


class Ticker:
    """Calls ``tick()`` every ``interval`` seconds on a daemon thread until stopped."""

    def __init__(self, tick: Callable[[], None], interval: float = 0.5) -> None:
        self._tick = tick
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        """Whether the thread is running."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start ticking (no-op if already running)."""
        if self.alive:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="mm-presenter-timer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._tick()
            except Exception:  # a display hiccup must not kill the timer
                continue

    def stop(self) -> None:
        """Stop and wait for the thread to end."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2)
        self._thread = None


class Presenter(ipw.VBox):
    """The projector view: stage, key points, prompt, next stage and the countdown."""

    def __init__(
        self,
        content: Content | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.5,
    ) -> None:
        super().__init__()
        self.add_class("mm-page")
        self.add_class("mm-presenter")
        self.content = content or get_content()
        self.stages: list[Stage] = list(self.content.agenda)
        self.index = 0
        self.run = ipw.ToggleButtons(
            options=list(RUNS), value="90 minutes", description="Session length",
            style={"description_width": "initial", "button_width": "auto"},
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.countdown = Countdown(self.stage_seconds(), clock=clock)
        self.ticker = Ticker(self._tick, interval)

        def button(text: str, icon: str, tip: str, style: str = "") -> ipw.Button:
            b = ipw.Button(description=text, icon=icon, tooltip=tip, button_style=style,
                           layout=ipw.Layout(width="auto"))
            return b

        self.prev_button = button("Previous", "arrow-left", "Previous stage (key P)")
        self.start_button = button("Start", "play", "Start or pause the timer (key S)", "primary")
        self.next_button = button("Next", "arrow-right", "Next stage (key N)")
        self.more_button = button("+1 min", "plus", "Add a minute (key +)")
        self.less_button = button("−1 min", "minus", "Take a minute off (key -)")
        self.reset_button = button("Restart timer", "undo", "Restart this stage's timer (key R)")
        self.key_box = ipw.Text(
            placeholder="Click here, then press N, P, S, Space, +, - or R",
            description="Keyboard control",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=ipw.Layout(width="100%", max_width="520px"),
        )
        self._seen_keys = ""
        self.key_echo = html_block('<span class="mm-hint">Last key: none yet</span>')
        self.key_box.add_class("mm-keybox")
        self.stage_html = html_block("")
        self.timer_html = html_block("")
        self.next_html = html_block("")

        self.prev_button.on_click(lambda _b: self.go(self.index - 1))
        self.next_button.on_click(lambda _b: self.go(self.index + 1))
        self.start_button.on_click(lambda _b: self.toggle())
        self.more_button.on_click(lambda _b: self.add_minutes(1))
        self.less_button.on_click(lambda _b: self.add_minutes(-1))
        self.reset_button.on_click(lambda _b: self.restart())
        self.run.observe(self._on_run, names="value")
        self.key_box.observe(self._on_key, names="value")

        controls = ipw.HBox([
            self.prev_button, self.start_button, self.next_button,
            self.more_button, self.less_button, self.reset_button,
        ])
        controls.add_class("mm-wrap")
        controls.add_class("mm-controls")
        help_html = html_block(
            '<p class="mm-hint">Keys: Tab moves between buttons, Enter or Space presses one. '
            "Or click into the keyboard box and press N (next), P (previous), S or Space "
            "(start/pause), + or − (a minute more or less), R (restart the timer). "
            "The bar turns amber at 2 minutes and red at 0: no sound.</p>"
        )
        side = ipw.VBox([self.timer_html, controls, self.next_html])
        side.add_class("mm-side")
        main = ipw.VBox([self.stage_html])
        main.add_class("mm-main")
        layout = ipw.Box([main, side])
        layout.add_class("mm-layout")
        self.children = [
            stylesheet(),
            html_block(f"<style>{PRESENTER_CSS}</style>"),
            layout,
            self.run,
            self.key_box,
            self.key_echo,
            help_html,
        ]
        self.show()

    # -- state ---------------------------------------------------------------------------------
    @property
    def column(self) -> str:
        """The agenda column for the chosen run length."""
        return RUNS[self.run.value]

    def minutes(self, stage: Stage) -> int:
        """A stage's minutes in the chosen run."""
        return int(getattr(stage, self.column))

    def stage_seconds(self) -> int:
        """The current stage's planned time, in seconds."""
        return self.minutes(self.stages[self.index]) * 60

    def go(self, index: int) -> None:
        """Show another stage; its timer starts fresh, paused."""
        index = max(0, min(len(self.stages) - 1, index))
        if index == self.index:
            return
        self.index = index
        self.countdown.reset(self.stage_seconds())
        self.ticker.stop()
        self.show()

    def toggle(self) -> None:
        """Start or pause the countdown."""
        self.countdown.toggle()
        if self.countdown.running:
            self.ticker.start()
        else:
            self.ticker.stop()
        self.show_timer()

    def add_minutes(self, minutes: int) -> None:
        """A minute more (or less) for this stage."""
        self.countdown.add(60 * minutes)
        self.show_timer()

    def restart(self) -> None:
        """The stage's full time again, paused."""
        self.countdown.reset(self.stage_seconds())
        self.ticker.stop()
        self.show_timer()

    def _on_run(self, _change: dict[str, Any]) -> None:
        self.countdown.reset(self.stage_seconds())
        self.ticker.stop()
        self.show()

    def _on_key(self, change: dict[str, Any]) -> None:
        # The box is never cleared from here: clearing races with fast typing (a key typed
        # while the clear is on its way would be lost or counted twice). Only the characters
        # added since the last change are acted on; the typed text itself is not shown.
        text = change["new"]
        seen, self._seen_keys = self._seen_keys, text
        if text.startswith(seen):
            keys = text[len(seen):]
        else:  # edited by hand (deleted or selected and replaced): act on the last key only
            keys = text[-1:] if len(text) >= len(seen) else ""
        actions: dict[str, tuple[str, Callable[[], None]]] = {
            "n": ("N: next stage", lambda: self.go(self.index + 1)),
            "p": ("P: previous stage", lambda: self.go(self.index - 1)),
            "s": ("S: start or pause", self.toggle),
            " ": ("Space: start or pause", self.toggle),
            "+": ("+: one minute more", lambda: self.add_minutes(1)),
            "=": ("+: one minute more", lambda: self.add_minutes(1)),
            "-": ("−: one minute less", lambda: self.add_minutes(-1)),
            "r": ("R: timer restarted", self.restart),
        }
        for key in keys.lower():
            label, action = actions.get(key, (f"{key!r} does nothing here", lambda: None))
            action()
            self.key_echo.value = f'<span class="mm-hint">Last key: {esc(label)}</span>'

    def _tick(self) -> None:
        self.show_timer()

    def close(self) -> None:
        """Stop the timer thread, then close the widget."""
        self.ticker.stop()
        super().close()

    # -- drawing -------------------------------------------------------------------------------
    def show(self) -> None:
        """Redraw the stage, the next stage and the timer."""
        stage = self.stages[self.index]
        total = sum(self.minutes(s) for s in self.stages)
        elapsed = sum(self.minutes(s) for s in self.stages[: self.index])
        points = "".join(f"<li>{esc(p)}</li>" for p in stage.key_points)
        last = len(self.stages) - 1
        count = "Welcome" if stage.number == 0 else f"Stage {stage.number} of {last}"
        self.stage_html.value = (
            f'<div class="mm-stage-meta">{esc(count)} · {esc(stage.format)} · '
            f"{self.minutes(stage)} min · starts at minute {elapsed} of {total}</div>"
            f"<h1>{esc(stage.title)}</h1>"
            f'<ul class="mm-points">{points}</ul>'
            f'<div class="mm-prompt"><strong>Say or ask:</strong> '
            f"{esc(stage.facilitator_prompt)}</div>"
        )
        if self.index + 1 < len(self.stages):
            nxt = self.stages[self.index + 1]
            self.next_html.value = (
                f'<p class="mm-next"><strong>Next:</strong> {esc(nxt.title)} '
                f"({self.minutes(nxt)} min, {esc(nxt.format)})</p>"
            )
        else:
            self.next_html.value = (
                '<p class="mm-next"><strong>Next:</strong> the end. Thank you!</p>'
            )
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.stages) - 1
        self.show_timer()

    def show_timer(self) -> None:
        """Redraw the clock, the bar and the alert."""
        left = self.countdown.remaining()
        state = self.countdown.state()
        pct = 0.0 if self.countdown.total <= 0 else max(0.0, min(1.0, left / self.countdown.total))
        alert = {"ok": "", "amber": "2 minutes or less left", "up": "Time's up"}[state]
        running = "running" if self.countdown.running else "paused"
        self.timer_html.value = (
            f'<div class="mm-time-{state}">'
            f'<div class="mm-clock" aria-label="Time left {esc(format_seconds(left))}, '
            f'{running}">{esc(format_seconds(left))}</div>'
            f'<div class="mm-timebar" role="progressbar" aria-label="Time left in this stage" '
            f'aria-valuemin="0" aria-valuemax="100" aria-valuenow="{round(pct * 100)}">'
            f'<span style="width:{pct * 100:.1f}%"></span></div>'
            f'<div class="mm-time-alert" role="status">{esc(alert)}</div>'
            f'<div class="mm-hint">Timer {running}</div></div>'
        )
        self.start_button.description = "Pause" if self.countdown.running else "Start"
        self.start_button.icon = "pause" if self.countdown.running else "play"


def presenter_page() -> ipw.Widget:
    """What ``facilitator/agenda.ipynb`` shows."""
    return Presenter()


__all__ = ["AMBER_SECONDS", "RUNS", "Countdown", "Presenter", "Ticker", "format_seconds",
           "presenter_page"]
