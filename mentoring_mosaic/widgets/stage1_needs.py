"""Stage 1: my mentoring needs, as an individualized learning plan (ILP).

What will be new or hard, a compact grid rating support and need per domain, the chart of
need against support, the top needs (suggested from the largest gaps), and one goal per top
need with the goal checker running live.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..analysis.goals import GoalCheck, check_goal, gap, suggest_top_needs
from ..content import Content
from ..exports.charts import needs_chart_svg
from ..model import DomainRating, Goal, Needs
from ..session import Session
from .common import StatusWidget, esc, guarded, html_block, labeled
from .pages import StageView

MAX_TOP_NEEDS = 5
"""One goal per top need: more than five will not get done."""

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


def checker_html(check: GoalCheck) -> str:
    """The goal checker's verdict as HTML: what the goal has, and what it still lacks."""
    have = [f for f in check.findings if f.ok]
    lack = [f for f in check.findings if not f.ok]
    if not lack:
        head = "✓ This goal is important, specific, measurable, accountable, realistic and timed."
        return f'<div class="mm-status-success" role="status">{esc(head)}</div>'
    items = "".join(
        f"<li><strong>{esc(f.name)}:</strong> {esc(f.reason)} "
        f'<span class="mm-hint">{esc(f.hint)}</span></li>'
        for f in lack
    )
    has = ", ".join(f.name.lower() for f in have)
    already = f" · already {esc(has)}" if have else ""
    return (
        '<div class="mm-status-info" role="status">'
        f"<strong>Goal checker:</strong> {len(have)} of {len(check.findings)}{already}."
        "<br>Still missing:"
        f'<ul style="margin:4px 0 0 0;padding-left:20px">{items}</ul></div>'
    )


class GoalEditor(ipw.VBox):
    """One goal: the goal, its steps, measure, deadline, partner and barriers, plus the checker."""

    def __init__(self, view: NeedsView, goal: Goal, *, extra: bool = False) -> None:
        super().__init__()
        self.add_class("mm-card")
        self.add_class("mm-goal")
        self.view = view
        self.goal_id = goal.id
        self.need = goal.need
        self.status = StatusWidget()
        name = view.content.domain_names.get(goal.need, goal.need or "a need")
        self.heading = html_block("")
        wide = ipw.Layout(width="100%", max_width="640px")

        def field(widget: ipw.Widget, label: str, hint: str = "") -> ipw.Widget:
            widget.description = f"{label} ({name})"
            widget.style.description_width = "0px"
            return labeled(widget, label, hint)

        self.goal = ipw.Textarea(
            placeholder="By [date] I will [action] so that [result]",
            continuous_update=False,
            rows=2,
            layout=wide,
        )
        self.steps = ipw.Textarea(
            placeholder="One step per line, e.g.\nAsk Dr Lee for 20 minutes\nDraft my questions",
            continuous_update=False,
            rows=3,
            layout=wide,
        )
        self.measure = ipw.Text(
            placeholder="e.g. abstract submitted; 3 sessions taught",
            continuous_update=False,
            layout=wide,
        )
        self.deadline = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="240px"))
        self.partner = ipw.Text(
            placeholder="Who will you report progress to?",
            continuous_update=False,
            layout=ipw.Layout(width="100%", max_width="400px"),
        )
        self.barriers = ipw.Textarea(
            placeholder="What could get in the way?",
            continuous_update=False,
            rows=2,
            layout=wide,
        )
        self.checker = html_block("")
        barrier_hints = details(
            "Common barriers and what helps",
            [(b.text, b.tip) for b in view.content.barriers],
        )
        fields: list[ipw.Widget] = [
            field(self.goal, "My goal"),
            field(self.steps, "Steps", "One step per line. Start with the very first action."),
            field(self.measure, "How I will know it is done"),
            field(self.deadline, "Deadline"),
            field(self.partner, "Accountability partner"),
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
        # the checker sits beside the fields on a laptop (visible while typing), below on a phone
        self.checker.layout = ipw.Layout(flex="1 1 280px", min_width="0", margin="8px 0 0 0")
        body = ipw.HBox(
            [left, self.checker],
            layout=ipw.Layout(flex_flow="row wrap", width="100%", align_items="flex-start"),
        )
        body.add_class("mm-wrap")
        self.children = [self.heading, body, self.status]
        self.extra = extra
        self.load(goal)
        for widget in (
            self.goal,
            self.steps,
            self.measure,
            self.deadline,
            self.partner,
            self.barriers,
        ):
            widget.observe(self._on_change, names="value")

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
        name = self.view.content.domain_names.get(goal.need, goal.need or "another need")
        note = " (no longer one of your top needs)" if self.extra else ""
        self.heading.value = f"<h3>Goal for {esc(name)}{esc(note)}</h3>"
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

    def update_checker(self, goal: Goal | None = None) -> None:
        """Run the goal checker on the form's goal."""
        goal = goal or self.stored() or Goal(id=self.goal_id, need=self.need)
        check = check_goal(goal, self.view.content, needs=self.view.session.workbook.needs)
        self.checker.value = checker_html(check)

    def stored(self) -> Goal | None:
        """This goal as saved in the workbook, if it was saved."""
        return next((g for g in self.view.session.workbook.goals if g.id == self.goal_id), None)

    @guarded()
    def _on_change(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        goal = self.current()
        self.view.save_goal(goal)
        self.status.clear()
        self.update_checker(goal)

    @guarded()
    def _on_remove(self, _button: ipw.Button) -> None:
        self.view.remove_goal(self.goal_id)


class NeedsView(StageView):
    """Stage 1: needs, ratings, chart, top needs and goals."""

    stage_id = "needs"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self.transition = html_block("")
        self.whats_new = ipw.Textarea(
            placeholder="New responsibilities, people, place, expectations… and the hard parts.",
            continuous_update=False,
            rows=4,
            layout=ipw.Layout(width="100%", max_width="720px"),
        )
        self.whats_new.observe(self._save_whats_new, names="value")
        prompts = details(
            "Questions to help you reflect", [(p.text, p.hint) for p in content.prompts]
        )

        # the compact rating grid: one row per domain, two dropdowns per row
        self.support: dict[str, ipw.Dropdown] = {}
        self.need: dict[str, ipw.Dropdown] = {}
        rows: list[ipw.Widget] = []
        for d in content.domains:
            support = rating_dropdown("Support", f"today for {d.name}", SUPPORT_OPTIONS)
            need = rating_dropdown("Need", f"at my next step for {d.name}", NEED_OPTIONS)
            support.observe(lambda ch, did=d.id: self._save_rating(did, ch), names="value")
            need.observe(lambda ch, did=d.id: self._save_rating(did, ch), names="value")
            self.support[d.id] = support
            self.need[d.id] = need
            label = html_block(
                f'<span class="mm-swatch" style="display:inline-block;width:10px;height:10px;'
                f'border-radius:2px;margin-right:6px;background:{esc(d.color)}"></span>'
                f"<strong>{esc(d.name)}</strong><br>"
                f'<span class="mm-hint">{esc(d.description)}</span>'
            )
            label.layout = ipw.Layout(flex="1 1 260px", min_width="0")
            controls = ipw.HBox([support, need], layout=ipw.Layout(flex_flow="row wrap"))
            row = ipw.HBox(
                [label, controls],
                layout=ipw.Layout(
                    flex_flow="row wrap",
                    align_items="center",
                    border_bottom="1px solid #e2e8f0",
                    padding="4px 0",
                    width="100%",
                ),
            )
            row.add_class("mm-wrap")
            row.add_class("mm-rating-row")
            rows.append(row)
        self.grid = ipw.VBox(rows, layout=ipw.Layout(width="100%"))

        self.chart = html_block("")
        self.chart.add_class("mm-chart")

        # top needs
        self.suggestion = html_block("")
        self.use_suggestion = ipw.Button(
            description="Use the suggestion",
            icon="magic",
            tooltip="Tick the domains with the largest gap between need and support",
            layout=ipw.Layout(width="auto"),
        )
        self.use_suggestion.on_click(self._on_use_suggestion)
        suggestion_row = ipw.HBox([self.use_suggestion])
        self.top: dict[str, ipw.Checkbox] = {}
        for d in content.domains:
            box = ipw.Checkbox(
                description=d.name, indent=False, layout=ipw.Layout(width="280px", max_width="100%")
            )
            box.add_class("mm-check")
            box.observe(lambda ch, did=d.id: self._on_top(did, ch), names="value")
            self.top[d.id] = box
        self.top_box = ipw.HBox(list(self.top.values()), layout=ipw.Layout(flex_flow="row wrap"))
        self.top_box.add_class("mm-wrap")
        self.top_status = StatusWidget()

        # goals
        self.editors: dict[str, GoalEditor] = {}
        self.goals_box = ipw.VBox(layout=ipw.Layout(width="100%"))

        def card(*children: ipw.Widget) -> ipw.VBox:
            box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
            box.add_class("mm-card")
            return box

        self.chart_note = html_block(
            '<p class="mm-hint">Your chart appears here once you rate a domain above.</p>'
        )
        self.children = [
            rating_style(),
            html_block(
                "<p>Start from your next career step. Say what will be new or hard, rate how "
                "well each kind of support is covered today and how much you will need it, "
                "then turn your top needs into goals a mentor can help with.</p>"
            ),
            card(html_block("<h2>My transition</h2>"), self.transition),
            card(
                html_block("<h2>What will be new or hard?</h2>"),
                labeled(self.whats_new, "What will be new or hard for me"),
                html_block(prompts),
            ),
            card(
                html_block(
                    "<h2>Support today and need at my next step</h2>"
                    '<p class="mm-hint">For each kind of support: how well is it covered today '
                    "(0 none … 4 excellent), and how much will you need it in your next role "
                    "(0 not needed … 4 essential)?</p>"
                ),
                self.grid,
            ),
            card(html_block("<h2>Need against support</h2>"), self.chart_note, self.chart),
            card(
                html_block(
                    "<h2>My top needs</h2>"
                    f'<p class="mm-hint">Tick up to {MAX_TOP_NEEDS}; two or three is best. '
                    "You will write one goal for each.</p>"
                ),
                self.suggestion,
                suggestion_row,
                self.top_box,
                self.top_status,
            ),
            html_block(
                "<h2>My goals</h2>"
                '<p class="mm-hint">One goal per top need. The goal checker tells you what a '
                "goal still lacks: important, specific, measurable, accountable, realistic, "
                "on a timeline.</p>"
            ),
            self.goals_box,
            self.status,
        ]
        session.on_change(self._on_any_change)
        self.refresh()

    # -- reading the workbook into the controls ------------------------------------------
    def refresh(self) -> None:
        wb = self.session.workbook
        self._loading = True
        try:
            self.whats_new.value = wb.profile.whats_new
            for did in self.support:
                rating = wb.needs.ratings.get(did) or DomainRating()
                self.support[did].value = rating.support
                self.need[did].value = rating.need
            for did, box in self.top.items():
                box.value = did in wb.needs.top_needs
        finally:
            self._loading = False
        self.show_transition()
        self.editors.clear()
        self.show_needs()

    def on_show(self) -> None:
        self.show_transition()

    def _on_any_change(self, what: str) -> None:
        if what == "profile":
            self.show_transition()

    def show_transition(self) -> None:
        """The roles and date from the welcome page, read-only here."""
        p = self.session.workbook.profile
        if not (p.current_role or p.next_role):
            self.transition.value = (
                '<p class="mm-hint">You have not named your current and next role yet. '
                "Add them on the Welcome page: they frame everything below.</p>"
            )
            return
        when = f", around {p.transition_date:%B %Y}" if p.transition_date else ""
        self.transition.value = (
            f"<p>From <strong>{esc(p.current_role or 'my current role')}</strong> to "
            f"<strong>{esc(p.next_role or 'my next role')}</strong>{esc(when)}.</p>"
            '<p class="mm-hint">To change these, go back to the Welcome page.</p>'
        )

    def show_needs(self) -> None:
        """Chart, suggestion and goal editors after the needs changed."""
        wb = self.session.workbook
        needs = wb.needs
        rated = bool(needs.ratings)
        self.chart.value = needs_chart_svg(needs, self.content) if rated else ""
        self.chart.layout.display = "" if rated else "none"
        self.chart_note.layout.display = "none" if rated else ""
        order = [d.id for d in self.content.domains]
        suggested = suggest_top_needs(needs.ratings, order, k=SUGGESTED_TOP_NEEDS)
        names = self.content.domain_names
        if suggested:
            listed = ", ".join(
                f"{esc(names[d])} (gap {gap(needs.ratings[d])})" for d in suggested
            )
            self.suggestion.value = f"<p>Suggested from your ratings: {listed}.</p>"
            self.use_suggestion.disabled = sorted(suggested) == sorted(needs.top_needs)
        else:
            self.suggestion.value = (
                '<p class="mm-hint">Rate your support and need above: the domains with the '
                "largest gap will be suggested here.</p>"
            )
            self.use_suggestion.disabled = True
        self.show_goals()

    def show_goals(self) -> None:
        """One editor per top need, then any earlier goal whose need is no longer a top need."""
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
        for goal, extra in wanted:
            editor = self.editors.get(goal.id)
            if editor is None or editor.extra != extra:
                editor = GoalEditor(self, goal, extra=extra)
            else:
                editor.update_checker()
            editors[goal.id] = editor
        self.editors = editors
        children: list[ipw.Widget] = []
        if not top:
            children.append(
                html_block(
                    '<p class="mm-hint">Tick your top needs above to write a goal for each.</p>'
                )
            )
        children += list(editors.values())
        self.goals_box.children = children

    # -- saving --------------------------------------------------------------------------
    @guarded()
    def _save_whats_new(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        profile = self.session.workbook.profile.model_copy(
            update={"whats_new": self.whats_new.value}
        )
        self.session.update("profile", profile.model_validate(profile.model_dump()))
        self.status.clear()

    @guarded()
    def _save_rating(self, domain_id: str, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        rating = DomainRating(
            support=self.support[domain_id].value, need=self.need[domain_id].value
        )

        def change(needs: Needs) -> None:
            ratings = dict(needs.ratings)
            ratings[domain_id] = rating
            needs.ratings = ratings

        self.session.edit("needs", change)
        self.status.clear()
        self.show_needs()

    @guarded()
    def _on_top(self, domain_id: str, change: dict[str, Any]) -> None:
        if self._loading:
            return
        top = list(self.session.workbook.needs.top_needs)
        if change["new"] and domain_id not in top:
            if len([d for d in top if d in self.top]) >= MAX_TOP_NEEDS:
                self._loading = True
                try:
                    self.top[domain_id].value = False
                finally:
                    self._loading = False
                self.top_status.show(
                    f"Pick at most {MAX_TOP_NEEDS} top needs: untick one first.", "error"
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

    def set_top_needs(self, top: list[str]) -> None:
        """Save the top needs and show a goal editor for each."""

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

