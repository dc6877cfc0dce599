"""Stage 1: my mentoring needs, as an individualized learning plan (ILP).

What will be new or hard; a compact grid with one tap per answer (support today and need, 0-4,
per domain) and a "Top need" chip on each row (at most three, suggested from the largest
gaps); one goal per top need, one open at a time, with the goal checker saying the single
next thing to add. Explanations and sources fold away, so the page fits a 15-minute slot.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import traitlets

from ..analysis.goals import (
    START_HINT,
    START_PROMPT,
    Advice,
    advise,
    check_goal,
    gap,
    suggest_top_needs,
)
from ..content import Content
from ..exports.charts import needs_chart_svg
from ..model import DomainRating, Goal, Needs
from ..session import Session
from .common import (
    StatusWidget,
    TypingSaver,
    esc,
    guarded,
    html_block,
    labeled,
    shared_style,
)
from .pages import StageView

MAX_TOP_NEEDS = 3
"""One goal per top need: in a 15-minute slot, more than three will not get done."""

SUGGESTED_TOP_NEEDS = 3

SUPPORT_OPTIONS = [
    ("0 – none", 0),
    ("1 – a little", 1),
    ("2 – some", 2),
    ("3 – good", 3),
    ("4 – excellent", 4),
]
NEED_OPTIONS = [
    ("0 – not needed", 0),
    ("1 – a little", 1),
    ("2 – some", 2),
    ("3 – high", 3),
    ("4 – essential", 4),
]

SR_ONLY = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap;border:0"
)
"""Inline style for text only screen readers get (extends a short visible label)."""


_MINE = (".mm-stage-needs", ".mm-stage-managing_up", ".mm-stage-qualities")


def _scoped(selector: str) -> str:
    return ", ".join(f"{stage} {selector}" for stage in _MINE)


RATING_CSS = (
    "<style>"
    f"{_scoped('.widget-inline-hbox.mm-rating')} {{ flex-wrap: nowrap; }}"
    f"{_scoped('.mm-rating .widget-label')} {{ min-width: 0; }}"
    f"{_scoped('.mm-chart svg')} {{ display: block; }}"
    f"{_scoped('.mm-labeled')} {{ margin-left: 0; margin-right: 0; }}"
    f"{_scoped('.mm-check.widget-checkbox')} {{ height: auto; min-height: 28px; }}"
    f"{_scoped('.mm-check .widget-label-basic')} {{ align-items: flex-start; line-height: 1.35; }}"
    f"{_scoped('.mm-check .widget-label-basic span')} {{ white-space: normal; overflow: visible;"
    " line-height: 1.35; padding-top: 5px; }"
    f"{_scoped('.mm-draft textarea:disabled')} {{ color: #1e293b; -webkit-text-fill-color: "
    "#1e293b; background: #f8fafc; opacity: 1; cursor: text; }"
    "</style>"
)
"""Stage 1-3 layout fixes: a rating's short label stays beside its dropdown at phone width,
long checkbox labels wrap instead of being cut, the read-only drafts stay readable."""


def rating_style() -> ipw.HTML:
    """The small stylesheet for rating grids (placed once in each view that has one)."""
    return ipw.HTML(RATING_CSS, layout=ipw.Layout(display="none"))


def rating_dropdown(
    visible: str, spoken: str, options: list[tuple[str, int]], width: str = "210px"
) -> ipw.Dropdown:
    """A small 0-4 dropdown whose visible label is short (``visible``) and whose accessible
    name adds ``spoken`` (e.g. the domain), so every control in a grid has a unique name."""
    dropdown = ipw.Dropdown(
        options=options,
        value=0,
        description=f'{esc(visible)}<span style="{SR_ONLY}"> {esc(spoken)}</span>',
        description_allow_html=True,
        tooltip=f"{visible} {spoken}",
        layout=ipw.Layout(width=width, max_width="100%"),
        style={"description_width": "62px"},
    )
    dropdown.add_class("mm-rating")
    return dropdown


def details(summary: str, items: list[tuple[str, str]]) -> str:
    """A collapsed list of hints: ``<details>`` with escaped (text, hint) items."""
    lis = "".join(
        f"<li><strong>{esc(text)}</strong>" + (f" — {esc(hint)}" if hint else "") + "</li>"
        for text, hint in items
    )
    return (
        f'<details class="mm-hint"><summary>{esc(summary)}</summary>'
        f'<ul style="margin:4px 0 0 0;padding-left:20px">{lis}</ul></details>'
    )


SEGMENT_CSS = (
    "<style>"
    # the grid: one row per domain, wrapping to stacked lines on a phone
    ".mm-stage-needs .mm-need-row { border-bottom: 1px solid #e2e8f0; padding: 2px 0;"
    " align-items: center; gap: 2px 12px; }"
    ".mm-stage-needs .mm-need-name { flex: 1 1 220px; min-width: 0; }"
    ".mm-stage-needs .mm-need-name .widget-html-content { line-height: 1.25; }"
    ".mm-stage-needs .mm-swatch { display: inline-block; width: 10px; height: 10px;"
    " border-radius: 2px; margin-right: 6px; }"
    # a segmented 0-4 control: five tick boxes drawn as joined segments
    ".mm-stage-needs .mm-seg { flex: 0 0 auto; align-items: center; margin: 0; }"
    ".mm-stage-needs .mm-seg-label { width: 70px; flex: 0 0 70px; margin: 0; font-weight: 600;"
    " color: #334155;"
    " font-size: 0.92em; }"
    ".mm-stage-needs .mm-seg .widget-checkbox { width: 40px; height: 36px; margin: 0;"
    " flex: 0 0 40px; }"
    ".mm-stage-needs .mm-seg .widget-label-basic, .mm-stage-needs .mm-top .widget-label-basic {"
    " position: relative; display: flex; align-items: center; justify-content: center;"
    " width: 100%; height: 100%; box-sizing: border-box; background: #fff; color: #1e293b;"
    " cursor: pointer; line-height: 1; }"
    ".mm-stage-needs .mm-seg .widget-label-basic { border: 1px solid #64748b;"
    " margin-left: -1px; font-weight: 600; }"
    ".mm-stage-needs .mm-seg .mm-seg-label + .widget-checkbox .widget-label-basic {"
    " border-radius: 6px 0 0 6px; }"
    ".mm-stage-needs .mm-seg .widget-checkbox:last-child .widget-label-basic {"
    " border-radius: 0 6px 6px 0; }"
    ".mm-stage-needs .mm-seg input, .mm-stage-needs .mm-top input { position: absolute;"
    " inset: 0; width: 100%; height: 100%; margin: 0; cursor: pointer; appearance: none;"
    " -webkit-appearance: none; background: transparent; border: 0; outline: none; }"
    ".mm-stage-needs .mm-seg .widget-label-basic span, .mm-stage-needs .mm-top"
    " .widget-label-basic span { pointer-events: none; overflow: visible; padding: 0; }"
    ".mm-stage-needs .mm-seg .widget-label-basic:has(input:checked) { background: #2a6f97;"
    " color: #fff; border-color: #2a6f97; }"
    ".mm-stage-needs .mm-seg .widget-label-basic:has(input:focus-visible),"
    " .mm-stage-needs .mm-top .widget-label-basic:has(input:focus-visible) {"
    " outline: 3px solid #f4a261; outline-offset: 1px; z-index: 1; }"
    # the top-need chip: ☆ when off, ★ when on
    ".mm-stage-needs .mm-top { width: 124px; height: 36px; margin: 0; flex: 0 0 124px; }"
    ".mm-stage-needs .mm-top .widget-label-basic { border: 1px solid #64748b;"
    " border-radius: 18px; padding: 0 12px; white-space: nowrap; }"
    ".mm-stage-needs .mm-top .widget-label-basic span::before { content: '☆ ' / ''; }"
    ".mm-stage-needs .mm-top .widget-label-basic:has(input:checked) { background: #fde68a;"
    " border-color: #a16207; font-weight: 700; }"
    ".mm-stage-needs .mm-top .widget-label-basic:has(input:checked) span::before {"
    " content: '★ ' / ''; }"
    ".mm-stage-needs .mm-need-row > .mm-status { flex: 1 1 100%; }"
    # goals: the collapsed line of each goal is a full-width button that wraps
    ".mm-stage-needs .mm-goal-toggle { width: 100%; height: auto; min-height: 40px;"
    " white-space: normal; text-align: left; justify-content: flex-start; padding: 6px 10px;"
    " line-height: 1.35; font-size: 15px; background: #f1f5f9; color: #1d3557; }"
    ".mm-stage-needs .mm-goal-open .mm-goal-toggle { background: #e0ecf5; font-weight: 600; }"
    ".mm-stage-needs .mm-goal { padding: 4px 6px; }"
    ".mm-stage-needs .mm-folds { display: flex; flex-wrap: wrap; gap: 0 24px; }"
    ".mm-stage-needs details.mm-fold { margin: 2px 0; }"
    ".mm-stage-needs details.mm-fold[open] { flex-basis: 100%; }"
    ".mm-stage-needs .mm-tight p { margin: 4px 0; }"
    ".mm-stage-needs details.mm-fold > summary { cursor: pointer; color: #1d3557;"
    " font-weight: 600; }"
    "@media (max-width: 640px) {"
    " .mm-stage-needs .mm-need-name { flex: 1 1 calc(100% - 140px); }"
    " .mm-stage-needs .mm-top { order: 1; }"
    " .mm-stage-needs .mm-seg { order: 2; }"
    " .mm-stage-needs .mm-need-row > .mm-status { order: 3; }"
    " .mm-stage-needs .mm-goal-checker { order: -1; }"
    "}"
    "</style>"
)
"""Stage 1's own layout: the segmented ratings, the top-need chips and the goal lines."""


class Segmented(ipw.HBox):
    """A 0-4 answer as five joined segments, one tap each (instead of a dropdown).

    Each segment is a real tick box, so it is reached with Tab, set with Space and read out
    with its state; its accessible name adds the meaning and ``spoken`` (e.g. "2 some, support
    today: Teaching"). ``value`` is the chosen number, or None before any answer. Tapping the
    chosen segment again keeps it: an answer is changed, never emptied.
    """

    value = traitlets.Int(None, allow_none=True)

    def __init__(
        self,
        visible: str,
        spoken: str,
        meanings: list[str],
        box_layout: ipw.Layout | None = None,
    ) -> None:
        box_layout = box_layout or ipw.Layout(width="40px")
        style = shared_style(ipw.Checkbox)  # 120 segments on stage 1: one style, not 120
        self.boxes = [
            ipw.Checkbox(
                value=False,
                indent=False,
                description=(
                    f'{n}<span style="{SR_ONLY}"> {esc(meaning)}, {esc(spoken)}</span>'
                ),
                description_allow_html=True,
                # plain words on hover (without it the browser shows the description's markup)
                tooltip=f"{n} {meaning}, {spoken}",
                layout=box_layout,
                style=style,
            )
            for n, meaning in enumerate(meanings)
        ]
        label = html_block(f'<span aria-hidden="true">{esc(visible)}</span>')
        label.add_class("mm-seg-label")
        super().__init__([label, *self.boxes])
        self.add_class("mm-seg")
        self._syncing = False
        for n, box in enumerate(self.boxes):
            box.observe(lambda ch, n=n: self._tapped(n, ch["new"]), names="value")
        self.observe(self._show, names="value")

    def _tapped(self, n: int, ticked: bool) -> None:
        if self._syncing:
            return
        if ticked:
            if self.value == n:
                return
            self.value = n  # _show unticks the others
        else:
            self._show()  # the chosen segment stays chosen

    def _show(self, _change: Any = None) -> None:
        self._syncing = True
        try:
            for n, box in enumerate(self.boxes):
                box.value = n == self.value
        finally:
            self._syncing = False


def sources_html(content: Content, ids: list[str]) -> str:
    """The citations behind stage 1, as a list (escaped)."""
    known = {s.id: s for s in content.sources}
    items = []
    for sid in dict.fromkeys(ids):
        src = known.get(sid)
        if src is None:
            continue
        if getattr(src, "link", ""):
            items.append(
                f'<li><a href="{esc(src.link)}" target="_blank" rel="noopener">'
                f"{esc(src.citation)}</a></li>"
            )
        else:
            items.append(f"<li>{esc(src.citation)}</li>")
    return f'<ul style="margin:4px 0 0 0;padding-left:20px">{"".join(items)}</ul>'


def fold(summary: str, body: str) -> str:
    """A collapsed disclosure (``<details>``): ``body`` is markup we built."""
    return f'<details class="mm-fold"><summary>{esc(summary)}</summary>{body}</details>'


def checker_html(advice: Advice) -> str:
    """The goal checker's word: one next thing to do, then a short list of what is met."""
    met = "".join(f"<li>✓ {esc(f.name)}</li>" for f in advice.met)
    met_html = (
        '<p class="mm-hint" style="margin:6px 0 0">Already there:</p>'
        f'<ul class="mm-hint" style="margin:0;padding-left:18px;list-style:none">{met}</ul>'
        if advice.met and not advice.ready
        else ""
    )
    if not advice.started:
        return (
            '<div class="mm-status-info" role="status">'
            f"<strong>{esc(START_PROMPT)}</strong><br>"
            f'<span class="mm-hint">{esc(START_HINT)}</span>{met_html}</div>'
        )
    if advice.next is None:
        head = "✓ Ready: important, specific, measurable, accountable, realistic and timed."
        return f'<div class="mm-status-success" role="status">{esc(head)}</div>'
    f = advice.next
    return (
        '<div class="mm-status-info" role="status">'
        f"<strong>Next: {esc(f.name.lower())}.</strong> {esc(f.reason)}<br>"
        f'<span class="mm-hint">{esc(f.hint)}</span>{met_html}</div>'
    )


class GoalEditor(ipw.VBox):
    """One goal: a one-line summary that opens the form (goal, steps, measure, deadline,
    partner, barriers) with the goal checker beside it. One goal is open at a time."""

    def __init__(self, view: NeedsView, goal: Goal, *, extra: bool = False) -> None:
        super().__init__(layout=ipw.Layout(width="100%"))
        self.add_class("mm-goal")
        self.view = view
        self.goal_id = goal.id
        self.need = goal.need
        self.extra = extra
        self.is_open = False
        self.status = StatusWidget()
        self.name = view.content.domain_names.get(goal.need, goal.need or "another need")
        wide = ipw.Layout(width="100%", max_width="640px")
        name = self.name

        def field(widget: ipw.Widget, label: str, hint: str = "") -> ipw.Widget:
            widget.description = f"{label} ({name})"
            widget.style.description_width = "0px"
            return labeled(widget, label, hint)

        self.toggle = ipw.Button(layout=ipw.Layout(width="100%"))
        self.toggle.add_class("mm-goal-toggle")
        self.toggle.on_click(self._on_toggle)
        self.goal = ipw.Textarea(
            placeholder="By [date] I will [action] so that [result]",
            continuous_update=True,
            rows=2,
            layout=wide,
        )
        self.steps = ipw.Textarea(
            placeholder="One step per line, e.g.\nAsk Dr Lee for 20 minutes\nDraft my questions",
            continuous_update=True,
            rows=3,
            layout=wide,
        )
        self.measure = ipw.Text(
            placeholder="e.g. abstract submitted; 3 sessions taught",
            continuous_update=True,
            layout=wide,
        )
        self.deadline = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="240px"))
        self.partner = ipw.Text(
            placeholder="Who will you report progress to?",
            continuous_update=True,
            layout=ipw.Layout(width="100%", max_width="400px"),
        )
        self.barriers = ipw.Textarea(
            placeholder="What could get in the way?",
            continuous_update=True,
            rows=2,
            layout=wide,
        )
        self.checker = html_block("")
        self.checker.add_class("mm-goal-checker")
        barrier_hints = details(
            "Common barriers and what helps",
            [(b.text, b.tip) for b in view.content.barriers],
        )
        when_who = ipw.HBox(
            [
                field(self.deadline, "Deadline"),
                field(self.partner, "Accountability partner"),
            ],
            layout=ipw.Layout(flex_flow="row wrap", width="100%", max_width="640px"),
        )
        when_who.add_class("mm-wrap")
        for part in when_who.children:
            part.layout.width = "auto"
            part.layout.flex = "1 1 220px"
            part.layout.margin = "4px 12px 8px 0"
        fields: list[ipw.Widget] = [
            field(self.goal, "My goal"),
            field(self.steps, "Steps"),  # the placeholder says: one per line
            field(self.measure, "How I will know it is done"),
            when_who,
            field(self.barriers, "Barriers I expect"),
            html_block(barrier_hints),
        ]
        if extra:
            self.remove = ipw.Button(
                description="Remove this goal",
                icon="trash",
                tooltip=f"Delete the goal for {name}",
                layout=ipw.Layout(width="auto"),
            )
            self.remove.on_click(self._on_remove)
            fields.append(ipw.HBox([self.remove]))
        left = ipw.VBox(fields, layout=ipw.Layout(flex="1 1 420px", min_width="0"))
        # the checker sits beside the fields on a laptop (visible while typing), above on a phone
        self.checker.layout = ipw.Layout(flex="1 1 260px", min_width="0", margin="8px 0 0 0")
        self.body = ipw.HBox(
            [left, self.checker],
            layout=ipw.Layout(
                flex_flow="row wrap", width="100%", align_items="flex-start", display="none"
            ),
        )
        self.body.add_class("mm-wrap")
        self.children = [self.toggle, self.body, self.status]
        # the words save while they are typed (the checker follows each save); a date at once
        self.saver = TypingSaver(self._save)
        self.load(goal)
        for widget in (
            self.goal,
            self.steps,
            self.measure,
            self.partner,
            self.barriers,
        ):
            widget.observe(self._on_change, names="value")
        self.deadline.observe(self._on_date, names="value")

    def load(self, goal: Goal) -> None:
        """Show a goal's stored values."""
        self._loading = True
        try:
            self.goal.value = goal.goal
            self.steps.value = goal.steps
            self.measure.value = goal.measure
            self.deadline.value = goal.deadline
            self.partner.value = goal.partner
            self.barriers.value = goal.barriers
        finally:
            self._loading = False
        self.update_checker(goal)

    def current(self) -> Goal:
        """The goal as the form shows it (validated)."""
        return Goal(
            id=self.goal_id,
            need=self.need,
            goal=self.goal.value.strip(),
            steps=self.steps.value.strip(),
            measure=self.measure.value.strip(),
            deadline=self.deadline.value,
            partner=self.partner.value.strip(),
            barriers=self.barriers.value.strip(),
        )

    def advice(self, goal: Goal | None = None) -> Advice:
        """What the checker says about this goal (as stored, or as given)."""
        goal = goal or self.stored() or Goal(id=self.goal_id, need=self.need)
        check = check_goal(goal, self.view.content, needs=self.view.session.workbook.needs)
        return advise(check, goal)

    def update_checker(self, goal: Goal | None = None) -> None:
        """Run the goal checker on the form's goal; the summary line follows."""
        advice = self.advice(goal)
        self.checker.value = checker_html(advice)
        self.show_toggle(advice)

    def show_toggle(self, advice: Advice | None = None) -> None:
        """The one-line summary: which need, and how far the goal is."""
        advice = advice or self.advice()
        note = " (no longer a top need)" if self.extra else ""
        arrow = "▾" if self.is_open else "▸"
        self.toggle.description = (
            f"{arrow} Goal for {self.name}{note} · {advice.status}"
        )
        self.toggle.tooltip = (
            "Close this goal" if self.is_open else f"Open the goal for {self.name}"
        )

    def set_open(self, is_open: bool) -> None:
        """Show or fold the form."""
        self.is_open = is_open
        self.body.layout.display = "" if is_open else "none"
        if is_open:
            self.add_class("mm-goal-open")
        else:
            self.remove_class("mm-goal-open")
        self.show_toggle()

    def stored(self) -> Goal | None:
        """This goal as saved in the workbook, if it was saved."""
        return next((g for g in self.view.session.workbook.goals if g.id == self.goal_id), None)

    @guarded()
    def _on_toggle(self, _button: ipw.Button) -> None:
        self.view.open_goal(None if self.is_open else self.goal_id)

    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self.saver.request()

    def _on_date(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self.saver.save_now()

    @guarded()
    def _save(self) -> None:
        goal = self.current()
        self.view.save_goal(goal)
        self.status.clear()
        self.update_checker(goal)

    @guarded()
    def _on_remove(self, _button: ipw.Button) -> None:
        self.saver.cancel()  # words still waiting must not bring the goal back
        self.view.remove_goal(self.goal_id)


STAGE1_SOURCES = ("li_burke_2010", "li_2010", "mededportal_10441", "mededportal_10201")
"""Cited under "Sources" on the stage page (the ILP, good goals, the needs self-assessment)."""


class NeedsView(StageView):
    """Stage 1: what will be new, the needs grid with top needs, and one goal per top need."""

    stage_id = "needs"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self.open_id: str | None = None
        self._opened_once = False
        self.transition = html_block("", "mm-tight")
        self.whats_new = ipw.Textarea(
            placeholder="New responsibilities, people, place, expectations… and the hard parts.",
            continuous_update=True,
            rows=3,
            layout=ipw.Layout(width="100%", max_width="720px"),
        )
        # the heading above says it; the same words name the box for screen readers
        self.whats_new.description = "What will be new or hard for me"
        self.whats_new.add_class("mm-labeled")
        self.whats_new_saver = TypingSaver(self._save_whats_new)
        self.whats_new.observe(self._on_whats_new, names="value")
        prompts = details(
            "Questions to help you reflect", [(p.text, p.hint) for p in content.prompts]
        )

        # the grid: one row per domain, a segmented control for support and for need, a chip
        support_words = [label.split("–", 1)[1].strip() for label, _ in SUPPORT_OPTIONS]
        need_words = [label.split("–", 1)[1].strip() for label, _ in NEED_OPTIONS]
        self.support: dict[str, Segmented] = {}
        self.need: dict[str, Segmented] = {}
        self.top: dict[str, ipw.Checkbox] = {}
        self.rows: dict[str, ipw.HBox] = {}
        self.top_status = StatusWidget()
        segment = ipw.Layout(width="40px")  # one layout shared by all 120 segments
        top_layout = ipw.Layout(width="124px")
        for d in content.domains:
            support = Segmented("Support", f"support today: {d.name}", support_words, segment)
            need = Segmented("Need", f"need at my next step: {d.name}", need_words, segment)
            support.observe(lambda ch, did=d.id: self._save_rating(did, ch), names="value")
            need.observe(lambda ch, did=d.id: self._save_rating(did, ch), names="value")
            top = ipw.Checkbox(
                value=False,
                indent=False,
                description=f'Top need<span style="{SR_ONLY}"> – {esc(d.name)}</span>',
                description_allow_html=True,
                tooltip=f"Top need – {d.name}",
                layout=top_layout,
                style=shared_style(ipw.Checkbox),
            )
            top.add_class("mm-top")
            top.observe(lambda ch, did=d.id: self._on_top(did, ch), names="value")
            name = html_block(
                f'<span title="{esc(d.description)}"><span class="mm-swatch" '
                f'style="background:{esc(d.color)}"></span><strong>{esc(d.name)}</strong></span>'
            )
            name.add_class("mm-need-name")
            row = ipw.HBox([name, support, need, top], layout=ipw.Layout(width="100%"))
            row.add_class("mm-wrap")
            row.add_class("mm-need-row")
            self.support[d.id] = support
            self.need[d.id] = need
            self.top[d.id] = top
            self.rows[d.id] = row
        self.grid = ipw.VBox(list(self.rows.values()), layout=ipw.Layout(width="100%"))
        meanings = "".join(
            f"<li><strong>{esc(d.name)}</strong> — {esc(d.description)}</li>"
            for d in content.domains
        )

        # top needs: what is chosen, what the ratings suggest
        self.top_summary = html_block("", "mm-tight")
        self.suggestion = html_block("", "mm-tight")
        self.use_suggestion = ipw.Button(
            description="Use the suggestion",
            icon="magic",
            tooltip="Mark the kinds of support with the largest gap between need and support",
            layout=ipw.Layout(width="auto"),
        )
        self.use_suggestion.on_click(self._on_use_suggestion)

        # the chart, shown on request (the grid already shows every answer)
        self.chart = html_block("")
        self.chart.add_class("mm-chart")
        self.chart.layout.display = "none"
        self.chart_button = ipw.Button(
            description="Show my ratings as a chart",
            icon="bar-chart",
            layout=ipw.Layout(width="auto"),
        )
        self.chart_button.on_click(self._on_chart)
        suggestion_row = ipw.HBox([self.use_suggestion, self.chart_button])
        suggestion_row.add_class("mm-wrap")

        # goals
        self.editors: dict[str, GoalEditor] = {}
        self.goals_box = ipw.VBox(layout=ipw.Layout(width="100%"))

        def card(*children: ipw.Widget) -> ipw.VBox:
            box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
            box.add_class("mm-card")
            return box

        stage = content.stage("needs")
        why = (
            '<ul style="margin:4px 0;padding-left:20px">'
            + "".join(f"<li>{esc(p)}</li>" for p in stage.key_points)
            + "</ul><p style=\"margin:4px 0\">A goal works when it is:</p>"
            '<ul style="margin:4px 0;padding-left:20px">'
            + "".join(
                f"<li><strong>{esc(c.name)}</strong> — {esc(c.question)}</li>"
                for c in content.criteria
            )
            + "</ul>"
        )
        self.children = [
            rating_style(),
            ipw.HTML(SEGMENT_CSS, layout=ipw.Layout(display="none")),
            self.transition,
            html_block(
                '<div class="mm-folds">'
                + fold("Why this matters", why)
                + fold("Sources", sources_html(content, list(STAGE1_SOURCES)))
                + "</div>"
            ),
            card(
                html_block("<h2>What will be new or hard for me?</h2>"),
                self.whats_new,
                html_block(prompts),
            ),
            card(
                html_block(
                    "<h2>Support today and need at my next step</h2>"
                    '<p class="mm-hint"><strong>Support</strong>: how well it is covered today '
                    "(0 none … 4 excellent). <strong>Need</strong>: how much you will need it "
                    "(0 not needed … 4 essential). Tap <strong>Top need</strong> on up to "
                    f"{MAX_TOP_NEEDS}.</p>"
                    + fold("What each kind of support means",
                           f'<ul style="margin:4px 0;padding-left:20px">{meanings}</ul>')
                ),
                self.grid,
                self.top_summary,
                self.suggestion,
                suggestion_row,
                self.chart,
            ),
            card(
                html_block(
                    "<h2>My goals</h2>"
                    '<p class="mm-hint">One goal per top need, one open at a time. The goal '
                    "checker says what to add next.</p>"
                ),
                self.goals_box,
            ),
            self.status,
        ]
        session.on_change(self._on_any_change)
        self.refresh()

    # -- reading the workbook into the controls ------------------------------------------
    def refresh(self) -> None:
        self.whats_new_saver.cancel()  # the whole workbook was replaced (resume, demo)
        for editor in self.editors.values():
            editor.saver.cancel()
        wb = self.session.workbook
        self._loading = True
        try:
            self.whats_new.value = wb.profile.whats_new
            for did in self.support:
                rating = wb.needs.ratings.get(did)
                self.support[did].value = None if rating is None else rating.support
                self.need[did].value = None if rating is None else rating.need
            for did, box in self.top.items():
                box.value = did in wb.needs.top_needs
        finally:
            self._loading = False
        self._place_top_status(None)
        self.show_transition()
        self.editors.clear()
        self.open_id = None
        self._opened_once = False
        self.show_needs()

    def on_show(self) -> None:
        self.show_transition()

    def _on_any_change(self, what: str) -> None:
        if what == "profile":
            self.show_transition()

    def show_transition(self) -> None:
        """What to do here, then the roles and date from the welcome page (read-only here)."""
        intro = (
            "<p>Say what will be new at your next career step, rate the support you have and "
            f"the support you will need, mark up to {MAX_TOP_NEEDS} top needs, and write one "
            "goal for each.</p>"
        )
        p = self.session.workbook.profile
        if not (p.current_role or p.next_role):
            self.transition.value = intro + (
                '<p class="mm-hint">Name your current and next role on the Welcome page: '
                "they frame everything below.</p>"
            )
            return
        when = f", around {p.transition_date:%B %Y}" if p.transition_date else ""
        self.transition.value = intro + (
            f"<p>From <strong>{esc(p.current_role or 'my current role')}</strong> to "
            f"<strong>{esc(p.next_role or 'my next role')}</strong>{esc(when)} "
            '<span class="mm-hint">(change this on the Welcome page)</span>.</p>'
        )

    def show_needs(self) -> None:
        """Top needs, suggestion, chart and goals after the needs changed."""
        needs = self.session.workbook.needs
        names = self.content.domain_names
        rated = bool(needs.ratings)
        self.chart.value = needs_chart_svg(needs, self.content) if rated else ""
        self.chart_button.disabled = not rated
        if not rated:
            self.chart.layout.display = "none"
            self.chart_button.description = "Show my ratings as a chart"
        top = [d for d in needs.top_needs if d in names]
        if top:
            chosen = ", ".join(esc(names[d]) for d in top)
            self.top_summary.value = (
                f"<p><strong>My top needs ({len(top)} of {MAX_TOP_NEEDS}):</strong> {chosen}</p>"
            )
        else:
            self.top_summary.value = ""
        order = [d.id for d in self.content.domains]
        suggested = suggest_top_needs(needs.ratings, order, k=SUGGESTED_TOP_NEEDS)
        if suggested:
            listed = ", ".join(
                f"{esc(names[d])} (gap {gap(needs.ratings[d])})" for d in suggested
            )
            self.suggestion.value = f'<p class="mm-hint">Suggested from your ratings: {listed}.</p>'
            self.use_suggestion.disabled = sorted(suggested) == sorted(needs.top_needs)
        else:
            self.suggestion.value = (
                '<p class="mm-hint">Rate a few rows: the largest gaps between need and support '
                "will be suggested as top needs.</p>"
            )
            self.use_suggestion.disabled = True
        self.show_goals()

    def show_goals(self) -> None:
        """One goal per top need, then any earlier goal whose need is no longer a top need."""
        for editor in self.editors.values():
            editor.saver.flush()  # an editor may be replaced: its words are saved first
        wb = self.session.workbook
        top = list(wb.needs.top_needs)
        wanted: list[tuple[Goal, bool]] = []
        used: set[str] = set()
        for need in top:
            goal = next((g for g in wb.goals if g.need == need and g.id not in used), None)
            if goal is None:
                existing = next(
                    (e for e in self.editors.values() if e.need == need and not e.extra), None
                )
                goal = Goal(id=existing.goal_id, need=need) if existing else Goal(need=need)
            used.add(goal.id)
            wanted.append((goal, False))
        for goal in wb.goals:
            if goal.id not in used:
                wanted.append((goal, True))
        editors: dict[str, GoalEditor] = {}
        new_ids: list[str] = []
        for goal, extra in wanted:
            editor = self.editors.get(goal.id)
            if editor is None or editor.extra != extra:
                editor = GoalEditor(self, goal, extra=extra)
                new_ids.append(goal.id)
            else:
                editor.update_checker()
            editors[goal.id] = editor
        had_editors = bool(self.editors)
        self.editors = editors
        if self.open_id not in editors:
            self.open_id = None
        if self.open_id is None and editors:
            if not self._opened_once:
                # first sight: the first goal still to write or fix, none if all are ready
                self.open_id = next(
                    (gid for gid, e in editors.items() if not e.advice().ready), None
                )
            elif had_editors or new_ids:
                # a newly marked top need opens its goal when no other goal is open
                self.open_id = new_ids[0] if new_ids else None
        self._opened_once = True
        for gid, editor in editors.items():
            if editor.is_open != (gid == self.open_id):
                editor.set_open(gid == self.open_id)
        children: list[ipw.Widget] = []
        if not top:
            children.append(
                html_block(
                    '<p class="mm-hint">Tap <strong>Top need</strong> on a row above (or use the '
                    "suggestion) to write a goal for it.</p>"
                )
            )
        children += list(editors.values())
        self.goals_box.children = children

    def open_goal(self, goal_id: str | None) -> None:
        """Open one goal's form and fold every other (None folds them all)."""
        self.open_id = goal_id if goal_id in self.editors else None
        for gid, editor in self.editors.items():
            editor.set_open(gid == self.open_id)

    # -- saving --------------------------------------------------------------------------
    def _on_whats_new(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self.whats_new_saver.request()

    @guarded()
    def _save_whats_new(self) -> None:
        profile = self.session.workbook.profile.model_copy(
            update={"whats_new": self.whats_new.value}
        )
        self.session.update("profile", profile.model_validate(profile.model_dump()))
        self.status.clear()

    @guarded()
    def _save_rating(self, domain_id: str, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        support, need = self.support[domain_id], self.need[domain_id]
        rating = DomainRating(support=support.value or 0, need=need.value or 0)

        def change(needs: Needs) -> None:
            ratings = dict(needs.ratings)
            ratings[domain_id] = rating
            needs.ratings = ratings

        self.session.edit("needs", change)
        # the row now holds both numbers (an untouched side is stored as 0): show them
        self._loading = True
        try:
            support.value, need.value = rating.support, rating.need
        finally:
            self._loading = False
        self.status.clear()
        self.show_needs()

    def _place_top_status(self, domain_id: str | None) -> None:
        """Put the top-need message in the row just tapped (None: take it away)."""
        for did, row in self.rows.items():
            if self.top_status in row.children and did != domain_id:
                row.children = tuple(c for c in row.children if c is not self.top_status)
        if domain_id is not None and self.top_status not in self.rows[domain_id].children:
            self.rows[domain_id].children = (*self.rows[domain_id].children, self.top_status)

    @guarded()
    def _on_top(self, domain_id: str, change: dict[str, Any]) -> None:
        if self._loading:
            return
        top = list(self.session.workbook.needs.top_needs)
        if change["new"] and domain_id not in top:
            chosen = [d for d in top if d in self.top]
            if len(chosen) >= MAX_TOP_NEEDS:
                self._loading = True
                try:
                    self.top[domain_id].value = False
                finally:
                    self._loading = False
                names = self.content.domain_names
                self._place_top_status(domain_id)
                self.top_status.show(
                    f"You already have {MAX_TOP_NEEDS} top needs "
                    f"({', '.join(names[d] for d in chosen)}). Untap one of them first to "
                    f"choose {names[domain_id]}.",
                    "error",
                )
                return
            top.append(domain_id)
        elif not change["new"]:
            top = [d for d in top if d != domain_id]
        self.set_top_needs(top)

    @guarded()
    def _on_use_suggestion(self, _button: ipw.Button) -> None:
        needs = self.session.workbook.needs
        order = [d.id for d in self.content.domains]
        suggested = suggest_top_needs(needs.ratings, order, k=SUGGESTED_TOP_NEEDS)
        if suggested:
            self.set_top_needs(suggested)

    @guarded()
    def _on_chart(self, _button: ipw.Button) -> None:
        shown = self.chart.layout.display != "none"
        self.chart.layout.display = "none" if shown else ""
        self.chart_button.description = (
            "Show my ratings as a chart" if shown else "Hide the chart"
        )

    def set_top_needs(self, top: list[str]) -> None:
        """Save the top needs and show a goal for each."""

        def change(needs: Needs) -> None:
            needs.top_needs = top

        self.session.edit("needs", change)
        self._loading = True
        try:
            for did, box in self.top.items():
                box.value = did in top
        finally:
            self._loading = False
        self.top_status.clear()
        self._place_top_status(None)
        self.show_needs()

    def save_goal(self, goal: Goal) -> None:
        """Add or replace one goal (by id)."""

        def change(goals: list[Goal]) -> list[Goal]:
            out = [goal if g.id == goal.id else g for g in goals]
            if not any(g.id == goal.id for g in goals):
                out.append(goal)
            return out

        self.session.edit("goals", change)

    def remove_goal(self, goal_id: str) -> None:
        """Delete one goal."""
        self.session.edit("goals", lambda goals: [g for g in goals if g.id != goal_id])
        self.show_goals()
