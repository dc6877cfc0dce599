"""Stage 7: the action plan, the evaluation with the sharing choice, the take-home files.

In that order: a file saved before the evaluation would leave it out, and on Binder the
facilitator counts only the workbook files participants send. The action plan offers
suggestions drawn from the goals, the managing-up plans and the outreach steps
(:mod:`analysis.actions`); the participant adds them, edits them, ticks them off and adds their
own. Each take-home file (pack, calendar reminders, workbook file, notebook copy) is built when
its button is clicked, from the answers of that moment. The consent is off until the
participant ticks it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as ipw

from ..analysis.actions import SOURCE_LABELS, accept, suggested_actions
from ..analysis.follow_up import baseline_to_store
from ..content import Content
from ..exports import FORMATS, export
from ..model import ActionItem, Consent, Evaluation
from ..session import Session
from .common import (
    DownloadButton,
    StatusWidget,
    TypingSaver,
    esc,
    guarded,
    html_block,
    labeled,
    local_time,
    on_binder,
    workbook_filename,
)
from .pages import StageView

CSS = """<style>
.mm-action-row { border-bottom: 1px solid #e2e8f0; }
.mm-suggestion { border-bottom: 1px solid #e2e8f0; padding: 6px 0; align-items: center; }
.mm-action-row { padding: 3px 0; align-items: center; }
.mm-action-row .widget-text, .mm-action-row .widget-datepicker { max-width: none; }
/* a long action wraps in a box that grows with it (field-sizing where the browser has it,
   else the rows the kernel sets from the text's length) */
.mm-action-row { align-items: flex-start; }
.mm-action-row .mm-plan-text { height: auto; max-width: none; }
.mm-action-row .mm-plan-text textarea { field-sizing: content; min-height: 2.2em;
  max-height: 12em; resize: vertical; line-height: 1.35; padding-top: 5px; padding-bottom: 5px; }
/* a phone has no column headings: each field names itself above it, the action takes a line */
.mm-action-row .mm-plan-who::before, .mm-action-row .mm-plan-due::before,
.mm-action-row .mm-plan-done::before { display: none; }
@media (max-width: 640px) {
  .mm-action-row.widget-hbox { padding: 6px 0; }
  .mm-action-row > .mm-plan-text { flex: 1 1 calc(100% - 64px) !important;
    margin-right: 0 !important; }
  .mm-action-row > .mm-plan-who, .mm-action-row > .mm-plan-due { flex: 1 1 140px !important;
    height: auto; margin-top: 4px !important; }
  .mm-action-row > .mm-plan-due input { height: var(--jp-widgets-inline-height); }
  .mm-action-row > .jupyter-button { align-self: flex-end; margin-top: 4px !important; }
  .mm-action-row .mm-plan-who::before { display: block; flex: 0 0 100%; content: "Who" / "";
    font-size: 0.85em; font-weight: 600; color: #334155; }
  .mm-action-row .mm-plan-due::before { display: block; flex: 0 0 100%; content: "By when" / "";
    font-size: 0.85em; font-weight: 600; color: #334155; }
  .mm-action-row .mm-plan-done { flex-direction: column; align-items: center; }
  .mm-action-row .mm-plan-done::before { display: block; content: "Done" / "";
    font-size: 0.85em; font-weight: 600; color: #334155; }
}
.mm-quiet-check .widget-label-basic span { position: absolute; width: 1px; height: 1px;
  overflow: hidden; clip: rect(0 0 0 0); }
.mm-quiet-check.widget-checkbox { width: auto; }
.mm-radio-row .widget-radio-box { flex-direction: row; flex-wrap: wrap; gap: 0 16px; }
.mm-radio-row .widget-radio-box label { width: auto; }
@media (max-width: 640px) { .mm-plan-head { display: none !important; } }
.mm-closing { background: #f0f7fb; border-left: 4px solid #2a6f97; }
.mm-stage-wrapup .mm-card h2 { margin-top: 0.2em; }
.mm-stage-wrapup .mm-card h3 { margin-top: 0.6em; }
.mm-eval-row { border-bottom: 1px solid #eef2f6; padding: 2px 0; align-items: center; }
.mm-eval-row .widget-dropdown { max-width: 220px; }
.mm-eval-head { font-weight: 600; color: #1e293b; }
.mm-download-item { border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px 10px; }
.mm-stage-wrapup details.mm-hint { margin: 2px 0 6px; }
.mm-stage-wrapup textarea { font-family: inherit; }
</style>"""

DOWNLOADS = (
    ("html", "⬇ Take-home pack", "pack", "Your goals, mosaic and plan, to print or keep as a PDF."),
    ("ics", "⬇ Calendar reminders", "plan",
     "Adds your actions and 3-month review to your calendar."),
    ("json", "⬇ Workbook file", "workbook", "All your answers, to carry on later."),
    ("ipynb", "⬇ Notebook copy", "notebook", "Reopens your answers in Jupyter."),
)
"""Format, button label, file-name stem, one line saying what it is for (no file formats)."""
SHOWN_SUGGESTIONS = 3
"""Suggestions shown at first while the plan is short; the rest behind "Show more" (a persona
has eight or more). Once the plan holds this many actions, all of them fold."""
NOT_ANSWERED = 0
"""The "Choose…" option (a Dropdown shows a blank box for None, so 0 stands for no answer)."""
CONFIDENCE = [("Choose…", NOT_ANSWERED)] + [
    (f"{v} – {w}", v)
    for v, w in (
        (1, "not confident"),
        (2, "a little"),
        (3, "fairly"),
        (4, "confident"),
        (5, "very confident"),
    )
]


def _date(value: dt.date | None) -> str:
    return f"{value:%d %b %Y}" if value else "no date"


def _row(children: list[ipw.Widget], cls: str) -> ipw.HBox:
    row = ipw.HBox(children, layout=ipw.Layout(flex_flow="row wrap", width="100%"))
    row.add_class("mm-wrap")
    row.add_class(cls)
    return row


ACTION_COLUMNS = (("Done", "0 0 44px"), ("Action", "3 1 220px"), ("Who", "1 1 130px"),
                  ("By when", "1 1 150px"), ("", "0 0 96px"))
"""The plan's columns: header text and flex. The header is shown once; each control carries
its own full name ("Action 2: who") for screen readers."""


def _columns(row: ipw.HBox) -> ipw.HBox:
    for child, (_title, flex) in zip(row.children, ACTION_COLUMNS, strict=True):
        child.layout.flex = flex
        child.layout.width = "auto"
        child.layout.margin = "0 8px 0 0"
    return row


def _plan_header() -> ipw.HBox:
    cells = [html_block(f'<span aria-hidden="true">{esc(t)}</span>', "mm-eval-head")
             for t, _flex in ACTION_COLUMNS]
    row = _columns(_row(cells, "mm-plan-head"))
    return row


class ActionRow(ipw.HBox):
    """One action in the plan, on one line: done, what, who, by when, remove."""

    def __init__(self, view: WrapUpView, item: ActionItem, number: int) -> None:
        self.view = view
        self.item_id = item.id
        label = f"Action {number}"
        self.done = ipw.Checkbox(value=item.done, description=f"{label} done", indent=False,
                                 tooltip="Done")
        self.done.add_class("mm-quiet-check")  # its name is for screen readers; "Done" heads it
        self.done.add_class("mm-plan-done")
        # a long action wraps in a box that grows; the words save while they are typed
        self.text = ipw.Textarea(value=item.text, continuous_update=True, description=label,
                                 tooltip=SOURCE_LABELS[item.source], rows=text_rows(item.text))
        self.who = ipw.Text(value=item.who, continuous_update=True, placeholder="Me",
                            description=f"{label}: who")
        self.due = ipw.DatePicker(value=item.due, description=f"{label}: by when")
        for widget, cls in ((self.text, "mm-plan-text"), (self.who, "mm-plan-who"),
                            (self.due, "mm-plan-due")):
            widget.add_class("mm-labeled")
            widget.add_class(cls)
        self.remove = ipw.Button(description="Remove", icon="trash",
                                 tooltip=f"Remove {label.lower()} from my plan")
        self.saver = TypingSaver(lambda: view.edit_action(self))
        for widget in (self.text, self.who):
            widget.observe(lambda _c: self.saver.request(), names="value")
        for widget in (self.done, self.due):
            widget.observe(lambda _c: self.saver.save_now(), names="value")
        self.remove.on_click(self._on_remove)
        super().__init__([self.done, self.text, self.who, self.due, self.remove],
                         layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        _columns(self)
        self.add_class("mm-wrap")
        self.add_class("mm-action-row")

    def _on_remove(self, _button: ipw.Button) -> None:
        self.saver.cancel()  # words still waiting must not bring the action back
        self.view.remove_action(self.item_id)


def text_rows(text: str, per_line: int = 44) -> int:
    """Lines an action's box needs to show all of it (where the browser cannot size it)."""
    lines = sum(max(1, -(-len(line) // per_line)) for line in (text or "").split("\n"))
    return max(1, min(lines, 8))


class WrapUpView(StageView):
    """Stage 7: my plan, the evaluation and sharing choice, my files, a closing word."""

    stage_id = "wrapup"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self._all_suggestions = False

        # -- 1. the action plan ----------------------------------------------------------
        self.suggestion_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.more_box = ipw.VBox(layout=ipw.Layout(width="100%", display="none"))
        self.more_button = ipw.Button(layout=ipw.Layout(width="auto", display="none"))
        self.more_button.on_click(self._on_more)
        self.add_all = ipw.Button(description="Add all suggestions to my plan", icon="plus",
                                  layout=ipw.Layout(width="auto"))
        self.add_all.on_click(self._on_add_all)
        suggestion_buttons = _row([self.more_button, self.add_all], "mm-suggestion-actions")
        self.plan_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.new_text = ipw.Text(continuous_update=False,
                                 placeholder="e.g. Ask my chief for a sponsor introduction",
                                 layout=ipw.Layout(width="100%"))
        self.new_who = ipw.Text(continuous_update=False, placeholder="Me",
                                layout=ipw.Layout(width="100%"))
        self.new_due = ipw.DatePicker(layout=ipw.Layout(width="100%"))
        self.add_button = ipw.Button(description="Add to my plan", icon="plus",
                                     button_style="primary",
                                     layout=ipw.Layout(width="auto", margin="0 0 8px 0"))
        self.add_button.on_click(self._on_add_own)
        own = [
            labeled(self.new_text, "My own action"),
            labeled(self.new_who, "Who"),
            labeled(self.new_due, "By when"),
        ]
        for box, flex in zip(own, ("3 1 260px", "1 1 140px", "1 1 160px"), strict=True):
            box.layout.flex = flex
            box.layout.width = "auto"
            box.layout.margin = "0 10px 0 0"
        own_row = _row([*own, self.add_button], "mm-action-row")
        own_row.layout.align_items = "flex-end"
        plan_card = self._card(
            html_block(
                "<h2>1. My action plan</h2><p class=\"mm-hint\">Add the suggestions you commit "
                "to, edit them, or write your own. Dated actions become calendar reminders.</p>"
                "<h3>Suggested from my answers</h3>"
            ),
            self.suggestion_box,
            self.more_box,
            suggestion_buttons,
            html_block("<h3>My plan</h3>"),
            self.plan_box,
            own_row,
            self.status,
        )

        # -- 2. evaluation and the sharing choice ------------------------------------------
        scale = [(p.label, p.value) for p in content.scale]
        choose = [("Choose…", NOT_ANSWERED), *scale]
        self.headline = ipw.RadioButtons(options=scale, value=None,
                                         layout=ipw.Layout(width="auto", max_width="100%"))
        self.headline.add_class("mm-radio-row")
        self.objectives = {
            o.id: ipw.Dropdown(options=choose, value=NOT_ANSWERED, description=o.text,
                               layout=ipw.Layout(width="220px", max_width="100%"))
            for o in content.objectives
        }
        self.before = {
            s.id: ipw.Dropdown(options=CONFIDENCE, value=NOT_ANSWERED,
                               description=f"{s.text}: before today",
                               layout=ipw.Layout(width="100%"))
            for s in content.skills
        }
        self.after = {
            s.id: ipw.Dropdown(options=CONFIDENCE, value=NOT_ANSWERED,
                               description=f"{s.text}: now", layout=ipw.Layout(width="100%"))
            for s in content.skills
        }
        self.change_30 = ipw.Textarea(rows=2, continuous_update=True,
                                      placeholder="e.g. send an agenda before every mentor "
                                      "meeting", layout=ipw.Layout(width="100%"))
        self.comments = ipw.Textarea(rows=2, continuous_update=True,
                                     layout=ipw.Layout(width="100%"))
        self.consent = ipw.Checkbox(
            value=False, indent=False,
            description="Share my anonymised answers with the facilitator",
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.consent.add_class("mm-check-wrap")
        self.submit = ipw.Button(description="Submit my evaluation", icon="check",
                                 button_style="primary", layout=ipw.Layout(width="auto"))
        self.submit.layout.align_self = "flex-start"
        self.submit.on_click(self._on_submit)
        self.eval_status = html_block("")
        self.eval_errors = StatusWidget()
        # the two texts save while they are typed, each choice at once
        self.eval_saver = TypingSaver(self._save_evaluation_now)
        for widget in (self.headline, *self.objectives.values(), *self.before.values(),
                       *self.after.values(), self.change_30, self.comments):
            widget.observe(self._save_evaluation, names="value")
        self.consent.observe(self._save_consent, names="value")

        texts_row = _row([labeled(self.change_30, "One change I will make in the next 30 days"),
                          labeled(self.comments, "Any other comments (optional)")],
                         "mm-eval-texts")
        for box in texts_row.children:
            box.layout.flex = "1 1 320px"
            box.layout.width = "auto"
            box.layout.margin = "4px 12px 4px 0"
        objective_rows = []
        for o in content.objectives:
            self.objectives[o.id].add_class("mm-labeled")  # the text beside it is the label
            text = html_block(f'<span aria-hidden="true">{esc(o.text)}</span>')
            text.layout.flex = "1 1 300px"
            objective_rows.append(_row([text, self.objectives[o.id]], "mm-eval-row"))
        skill_head = _row(
            [html_block('<span aria-hidden="true">Skill</span>', "mm-eval-head"),
             html_block('<span aria-hidden="true">Before today</span>', "mm-eval-head"),
             html_block('<span aria-hidden="true">Now</span>', "mm-eval-head")],
            "mm-eval-row",
        )
        skill_rows = [skill_head]
        for s in content.skills:
            self.before[s.id].add_class("mm-labeled")
            self.after[s.id].add_class("mm-labeled")
            skill_rows.append(_row(
                [html_block(f'<span aria-hidden="true">{esc(s.text)}</span>'),
                 self.before[s.id], self.after[s.id]],
                "mm-eval-row",
            ))
        for row in skill_rows:
            name, before, after = row.children
            name.layout.flex = "2 1 220px"
            for box in (before, after):
                box.layout.flex = "1 1 140px"
                box.layout.width = "auto"
                box.layout.max_width = "220px"
                box.layout.margin = "0 8px 0 0"
        eval_card = self._card(
            html_block(
                "<h2>2. Evaluation</h2><p class=\"mm-hint\">Two minutes; each answer saves as "
                "you give it.</p>"
            ),
            labeled(self.headline, content.headline.text),
            html_block("<h3>Were the workshop's objectives met for you?</h3>"),
            *objective_rows,
            html_block("<h3>How confident are you in each skill?</h3>"),
            *skill_rows,
            texts_row,
            html_block(
                "<h3>Share with the facilitator?</h3><p>Ticked, your answers count in the "
                "room's totals, without your name. Unticked, nothing is shared.</p>"
                '<details class="mm-hint"><summary>What is shared, and what never is'
                "</summary><p>Counted in the room's <strong>anonymised totals</strong> on the "
                "facilitator's dashboard: your ratings (needs and this evaluation), which "
                "scenarios you discussed, and the numbers in your mosaic (how many mentors per "
                "need, level and place). Totals from fewer than 3 people are never shown. Your "
                "name, the names of the people in your mosaic and anything you wrote in your own "
                "words are <strong>never</strong> shared.</p></details>"
            ),
            self.consent,
            self.submit,
            self.eval_errors,
            self.eval_status,
        )

        # -- 3. the take-home files, built at the click ------------------------------------
        self.downloads = {
            fmt: DownloadButton(label, lambda fmt=fmt, stem=stem: self.take_home_file(fmt, stem),
                                mime=FORMATS[fmt].mime, tooltip=hint, primary=fmt == "html")
            for fmt, label, stem, hint in DOWNLOADS
        }
        items = []
        for fmt, _label, _stem, hint in DOWNLOADS:
            item = ipw.VBox(
                [self.downloads[fmt], html_block(f'<span class="mm-hint">{esc(hint)}</span>')],
                layout=ipw.Layout(flex="1 1 230px", margin="0 10px 10px 0"),
            )
            item.add_class("mm-download-item")
            items.append(item)
        self.downloads_box = _row(items, "mm-downloads")
        binder_note = (
            " If you agreed to share, send your workbook file to the facilitator the way they "
            "ask (by email or to a shared folder): this copy of the workshop is temporary."
            if on_binder() else ""
        )
        downloads_card = self._card(
            html_block(
                "<h2>3. Take your work home</h2><p class=\"mm-hint\">Each file holds your "
                "answers as they are when you click, evaluation and sharing choice included."
                f"{binder_note}</p>"
            ),
            self.downloads_box,
        )

        self.closing = html_block("")
        closing_card = self._card(self.closing)
        closing_card.add_class("mm-closing")

        self.children = [
            html_block(CSS),
            plan_card,
            eval_card,
            downloads_card,
            closing_card,
        ]
        session.on_change(self._on_any_change)
        self.refresh()

    @staticmethod
    def _card(*children: ipw.Widget) -> ipw.VBox:
        box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
        box.add_class("mm-card")
        return box

    # -- reading the workbook ---------------------------------------------------------
    def refresh(self) -> None:
        """Re-read everything (after a resume, or when the stage is shown)."""
        self._flush_typing()
        self._refresh_plan()
        self._load_evaluation()
        self._refresh_closing()

    def on_show(self) -> None:
        """Goals, plans and people may have changed in the other stages."""
        self.refresh()

    def _refresh_plan(self) -> None:
        for row in getattr(self, "plan_rows", []):
            row.saver.flush()  # the rows are made anew: their words are saved first
        wb = self.session.workbook
        suggestions = suggested_actions(wb)
        rows = []
        for item in suggestions:
            meta = (
                f"{esc(item.who or 'Me')} · {_date(item.due)} · "
                f"{esc(SOURCE_LABELS[item.source])}"
            )
            text = html_block(f"<div>{esc(item.text)}</div><div class=\"mm-hint\">{meta}</div>")
            text.layout.flex = "1 1 300px"
            button = ipw.Button(description="Add to my plan", icon="plus",
                                tooltip=f"Add to my plan: {item.text[:80]}",
                                layout=ipw.Layout(width="auto"))
            button.on_click(lambda _b, sid=item.id: self.accept_suggestion(sid))
            rows.append(_row([text, button], "mm-suggestion"))
        if not rows:
            rows.append(html_block(
                '<p class="mm-hint">No new suggestions. Goals with steps and dates (stage 1), '
                "a next meeting or one ask per mentor (stage 2) and next steps for potential "
                "mentors (stage 5) turn into suggestions here.</p>"
            ))
        shown = SHOWN_SUGGESTIONS if len(wb.actions) < SHOWN_SUGGESTIONS else 0
        self.suggestion_box.children = rows[:shown]
        self.more_box.children = rows[shown:]
        hidden = len(rows) - shown
        self.more_button.layout.display = "" if hidden > 0 else "none"
        self._show_more(self._all_suggestions and hidden > 0, hidden)
        self.add_all.layout.display = "" if suggestions else "none"
        self.plan_rows = [
            ActionRow(self, item, n) for n, item in enumerate(wb.actions, start=1)
        ]
        self.plan_box.children = [_plan_header(), *self.plan_rows] if self.plan_rows else [
            html_block('<p class="mm-hint">Your plan is empty: add a suggestion above or your '
                       "own below.</p>")
        ]

    def _show_more(self, shown: bool, hidden: int) -> None:
        self.more_box.layout.display = "" if shown else "none"
        if shown:
            self.more_button.description = "Show fewer suggestions"
            self.more_button.icon = "chevron-up"
        else:
            more = " more" if self.suggestion_box.children else ""
            self.more_button.description = (
                f"Show {hidden}{more} suggestion{'s' if hidden != 1 else ''}"
            )
            self.more_button.icon = "chevron-down"

    def _on_more(self, _button: ipw.Button) -> None:
        self._all_suggestions = not self._all_suggestions
        self._show_more(self._all_suggestions, len(self.more_box.children))

    def _load_evaluation(self) -> None:
        ev = self.session.workbook.evaluation
        self._loading = True
        try:
            self.headline.value = ev.headline
            for key, widget in self.objectives.items():
                widget.value = ev.objectives_met.get(key, NOT_ANSWERED)
            for key, widget in self.before.items():
                widget.value = ev.confidence_before.get(key, NOT_ANSWERED)
            for key, widget in self.after.items():
                widget.value = ev.confidence_after.get(key, NOT_ANSWERED)
            self.change_30.value = ev.change_30_days
            self.comments.value = ev.comments
            self.consent.value = self.session.workbook.consent.share_anonymised
        finally:
            self._loading = False
        self._show_submitted()

    def _show_submitted(self) -> None:
        stamp = self.session.workbook.evaluation.submitted_at
        if stamp is None:
            self.eval_status.value = ""
            return
        local = stamp.astimezone()
        self.eval_status.value = (
            '<div class="mm-status-success" role="status">Thank you! Your evaluation was '
            f"submitted at {local_time(stamp)} on "
            f"{local:%d %b}. You can still change it and submit again.</div>"
        )

    def _refresh_closing(self) -> None:
        mentees = self.session.workbook.mentees
        to = f", to {', '.join(esc(p.name) for p in mentees[:6])}," if mentees else ""
        self.closing.value = (
            "<h2>You lead your mentoring</h2>"
            "<p>As a <strong>mentee</strong> you set the agenda, ask clearly, follow up and "
            f"keep your mosaic growing. As a <strong>mentor</strong>{to} you can offer the "
            "same: clear expectations, time used well, honest feedback and open doors. "
            "Thank you for taking part.</p>"
        )

    def _flush_typing(self) -> None:
        """Save the words still waiting before the fields are made or filled again."""
        for row in getattr(self, "plan_rows", []):
            row.saver.flush()
        self.eval_saver.flush()

    def _on_session_change(self, what: str) -> None:
        if what == "*":  # the whole workbook was replaced (resume, demo): nothing to save
            for row in getattr(self, "plan_rows", []):
                row.saver.cancel()
            self.eval_saver.cancel()
        super()._on_session_change(what)

    def _on_any_change(self, what: str) -> None:
        if what in ("people", "*"):
            self._refresh_closing()

    # -- the plan ---------------------------------------------------------------------
    @guarded()
    def accept_suggestion(self, suggestion_id: str) -> None:
        """Add one suggested action to the plan."""
        self.session.update("actions", accept(self.session.workbook, [suggestion_id]))
        self._refresh_plan()
        self.status.show("Added to your plan.", "success")

    @guarded()
    def _on_add_all(self, _button: ipw.Button) -> None:
        ids = [a.id for a in suggested_actions(self.session.workbook)]
        if not ids:
            self.status.show("There are no suggestions to add.", "info")
            return
        self.session.update("actions", accept(self.session.workbook, ids))
        self._refresh_plan()
        self.status.show(f"Added {len(ids)} action(s) to your plan.", "success")

    @guarded()
    def _on_add_own(self, _button: ipw.Button) -> None:
        text = self.new_text.value.strip()
        if not text:
            self.status.show("Write what you will do first, then press “Add to my plan”.",
                             "error")
            return
        item = ActionItem(text=text, who=self.new_who.value.strip(), due=self.new_due.value,
                          source="own")
        self.session.update("actions", [*self.session.workbook.actions, item])
        self.new_text.value = ""
        self.new_who.value = ""
        self.new_due.value = None
        self._refresh_plan()
        self.status.show("Added to your plan.", "success")

    @guarded()
    def remove_action(self, item_id: str) -> None:
        """Take an action out of the plan (a suggestion comes back as a suggestion)."""
        self.session.update("actions",
                            [a for a in self.session.workbook.actions if a.id != item_id])
        self._refresh_plan()
        self.status.show("Removed from your plan.", "info")

    @guarded()
    def edit_action(self, row: ActionRow) -> None:
        """Save an edited row; an empty text is refused and the stored one shown again."""
        stored = next((a for a in self.session.workbook.actions if a.id == row.item_id), None)
        if stored is None:
            return
        text = row.text.value.strip()
        # an emptied box (half-way to new words) keeps the stored text; the box is left alone
        if not text:
            self.status.show("An action needs a few words: the previous text is kept until "
                             "you write new ones.", "info")
        else:
            self.status.clear()
        rows = text_rows(text)
        if text and row.text.rows != rows:
            row.text.rows = rows
        updated = stored.model_copy(
            update={"text": text or stored.text, "who": row.who.value.strip(),
                    "due": row.due.value, "done": row.done.value}
        )
        updated = ActionItem.model_validate(updated.model_dump())
        self.session.update(
            "actions",
            [updated if a.id == row.item_id else a for a in self.session.workbook.actions],
        )

    # -- the take-home files -----------------------------------------------------------
    def take_home_file(self, fmt: str, stem: str) -> tuple[bytes, str]:
        """One file from the workbook as it is now (called at the click)."""
        base = workbook_filename(self.session, "json").removesuffix("-workbook.json")
        self.take_baseline()  # a take-home file finishes the workshop: it carries the copy
        data = export(self.session.workbook, self.content, fmt)
        return data, f"{base}-{stem}.{FORMATS[fmt].suffix}"

    # -- evaluation -------------------------------------------------------------------
    def _evaluation(self, submitted: bool = False) -> Evaluation:
        ev = self.session.workbook.evaluation
        return Evaluation(
            headline=self.headline.value,
            objectives_met={k: w.value for k, w in self.objectives.items() if w.value},
            confidence_before={k: w.value for k, w in self.before.items() if w.value},
            confidence_after={k: w.value for k, w in self.after.items() if w.value},
            change_30_days=self.change_30.value,
            comments=self.comments.value,
            submitted_at=dt.datetime.now(dt.UTC) if submitted else ev.submitted_at,
        )

    def _save_evaluation(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        if change["owner"] in (self.change_30, self.comments):
            self.eval_saver.request()
        else:
            self.eval_saver.save_now()

    @guarded("eval_errors")
    def _save_evaluation_now(self) -> None:
        self.session.update("evaluation", self._evaluation())
        self.eval_errors.clear()

    @guarded("eval_errors")
    def _save_consent(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.session.update(
            "consent",
            Consent(share_anonymised=self.consent.value, decided_at=dt.datetime.now(dt.UTC)),
        )

    @guarded("eval_errors")
    def _on_submit(self, _button: ipw.Button) -> None:
        self.eval_saver.cancel()  # this saves the same answers, submitted
        self.session.update("evaluation", self._evaluation(submitted=True))
        self.session.update(
            "consent",
            Consent(share_anonymised=self.consent.value, decided_at=dt.datetime.now(dt.UTC)),
        )
        self.take_baseline()
        self._show_submitted()

    def take_baseline(self) -> None:
        """Keep a copy of the plan as it is on the workshop day, for the review three months
        on (issue 17): taken when the participant finishes here (submits the evaluation or
        takes a file home); the rule for taking it again is :func:`baseline_to_store`."""
        today = dt.datetime.now().astimezone().date()
        baseline = baseline_to_store(self.session.workbook, today)
        if baseline is not None:
            self.session.update("baseline", baseline)
