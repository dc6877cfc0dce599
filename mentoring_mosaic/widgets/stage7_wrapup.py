"""Stage 7: the action plan, the take-home downloads, the evaluation, and a closing word.

The action plan offers suggestions drawn from the goals, the managing-up plans and the outreach
steps (:mod:`analysis.actions`); the participant adds them to their plan, edits them, ticks
them off, and adds their own. Downloads are prepared on request (they are data links, so their
bytes live in the page): the calendar .ics, the take-home pack .html, a notebook copy .ipynb and
the workbook .json. The evaluation is saved with the participant's consent choice, which is
off until they turn it on.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import ipywidgets as ipw

from ..analysis.actions import SOURCE_LABELS, accept, suggested_actions
from ..content import Content
from ..exports import FORMATS, export
from ..model import ActionItem, Consent, Evaluation
from ..session import Session
from .common import DownloadLink, StatusWidget, esc, guarded, html_block, labeled, workbook_filename
from .pages import StageView

CSS = """<style>
.mm-action-row { border-bottom: 1px solid #e2e8f0; padding: 6px 0; align-items: flex-end; }
.mm-suggestion { border-bottom: 1px solid #e2e8f0; padding: 6px 0; align-items: center; }
.mm-downloads a.mm-button { margin: 4px 8px 4px 0; }
.mm-closing { background: #f0f7fb; border-left: 4px solid #2a6f97; }
.mm-eval-grid .widget-dropdown { max-width: 260px; }
</style>"""

DOWNLOADS = (
    ("ics", "⬇ Calendar reminders (.ics)", "plan", "One reminder per dated action."),
    ("html", "⬇ Take-home pack (.html)", "pack", "Open it and print, or save it as a PDF."),
    ("ipynb", "⬇ Notebook copy (.ipynb)", "notebook", "Reads anywhere; its one cell resumes."),
    ("json", "⬇ Workbook file (.json)", "workbook", "To resume later with “Resume from a file”."),
)
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


AUTO_REFRESH_BYTES = 400_000
"""Above this much (all four files), a change marks the downloads stale instead of rebuilding
them: each rebuild sends the files to the browser again (a 30-person mosaic is ~150 kB)."""


def _date(value: dt.date | None) -> str:
    return f"{value:%d %b %Y}" if value else "no date"


def _row(children: list[ipw.Widget], cls: str) -> ipw.HBox:
    row = ipw.HBox(children, layout=ipw.Layout(flex_flow="row wrap", width="100%"))
    row.add_class("mm-wrap")
    row.add_class(cls)
    return row


class ActionRow(ipw.HBox):
    """One action in the plan: done, what, who, by when, remove."""

    def __init__(self, view: WrapUpView, item: ActionItem, number: int) -> None:
        self.view = view
        self.item_id = item.id
        label = f"Action {number}"
        self.done = ipw.Checkbox(value=item.done, description=f"{label} done", indent=False,
                                 layout=ipw.Layout(width="auto", margin="0 8px 8px 0"))
        self.text = ipw.Textarea(value=item.text, rows=2, continuous_update=False,
                                 description=label, layout=ipw.Layout(width="100%"))
        self.who = ipw.Text(value=item.who, continuous_update=False, placeholder="Me",
                            description=f"{label}: who", layout=ipw.Layout(width="100%"))
        self.due = ipw.DatePicker(value=item.due, description=f"{label}: by when",
                                  layout=ipw.Layout(width="100%"))
        self.remove = ipw.Button(description="Remove", icon="trash",
                                 tooltip=f"Remove {label.lower()} from my plan",
                                 layout=ipw.Layout(width="auto", margin="0 0 8px 0"))
        for widget in (self.done, self.text, self.who, self.due):
            widget.observe(self._changed, names="value")
        self.remove.on_click(lambda _b: view.remove_action(self.item_id))
        fields = [
            labeled(self.text, label, f"{SOURCE_LABELS[item.source]}"),
            labeled(self.who, "Who"),
            labeled(self.due, "By when"),
        ]
        fields[0].layout.flex = "3 1 260px"
        fields[1].layout.flex = "1 1 140px"
        fields[2].layout.flex = "1 1 160px"
        for box in fields:
            box.layout.width = "auto"
            box.layout.margin = "0 10px 0 0"
        super().__init__([self.done, *fields, self.remove],
                         layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        self.add_class("mm-wrap")
        self.add_class("mm-action-row")

    def _changed(self, _change: dict[str, Any]) -> None:
        self.view.edit_action(self)


class WrapUpView(StageView):
    """Stage 7: my plan, my downloads, the evaluation and the closing message."""

    stage_id = "wrapup"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self.prepared = False
        self.last_prepare_seconds = 0.0
        self.last_payload_bytes = 0

        # -- the action plan -------------------------------------------------------------
        self.suggestion_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.add_all = ipw.Button(description="Add all suggestions to my plan", icon="plus",
                                  layout=ipw.Layout(width="auto"))
        self.add_all.layout.align_self = "flex-start"
        self.add_all.on_click(self._on_add_all)
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
                "<h2>My action plan</h2><p class=\"mm-hint\">Suggestions come from your goals, "
                "your managing-up plans and your outreach steps. Add the ones you commit to, "
                "change the words or dates as you like, and add your own. Dated actions become "
                "calendar reminders.</p><h3>Suggested from my answers</h3>"
            ),
            self.suggestion_box,
            self.add_all,
            html_block("<h3>My plan</h3>"),
            self.plan_box,
            own_row,
            self.status,
        )

        # -- downloads -------------------------------------------------------------------
        self.prepare_button = ipw.Button(description="Prepare my downloads", icon="download",
                                         button_style="primary", layout=ipw.Layout(width="auto"))
        self.prepare_button.layout.align_self = "flex-start"
        self.prepare_button.on_click(self._on_prepare)
        self.links = {
            fmt: DownloadLink(label, mime=FORMATS[fmt].mime) for fmt, label, _s, _h in DOWNLOADS
        }
        self.download_status = html_block("")
        self.download_errors = StatusWidget()
        link_items = []
        for fmt, _label, _stem, hint in DOWNLOADS:
            item = ipw.VBox([self.links[fmt], html_block(f'<span class="mm-hint">{esc(hint)}'
                                                         "</span>")],
                            layout=ipw.Layout(flex="1 1 220px", margin="0 12px 8px 0"))
            link_items.append(item)
        self.links_box = _row(link_items, "mm-downloads")
        self.links_box.layout.display = "none"
        downloads_card = self._card(
            html_block(
                "<h2>My take-home pack</h2><p class=\"mm-hint\">Everything you wrote today, to "
                "keep: a printable page with your mosaic and plan, calendar reminders, a notebook "
                "copy and your workbook file. Nothing leaves this page until you click a link."
                "</p>"
            ),
            self.prepare_button,
            self.download_status,
            self.download_errors,
            self.links_box,
        )

        # -- evaluation ------------------------------------------------------------------
        scale = [(p.label, p.value) for p in content.scale]
        choose = [("Choose…", NOT_ANSWERED), *scale]
        self.headline = ipw.RadioButtons(options=scale, value=None,
                                         layout=ipw.Layout(width="auto"))
        self.objectives = {
            o.id: ipw.Dropdown(options=choose, value=NOT_ANSWERED,
                               layout=ipw.Layout(width="100%", max_width="260px"))
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
        self.change_30 = ipw.Textarea(rows=2, continuous_update=False,
                                      placeholder="One concrete change, e.g. send an agenda "
                                      "before every mentor meeting",
                                      layout=ipw.Layout(width="100%", max_width="720px"))
        self.comments = ipw.Textarea(rows=2, continuous_update=False,
                                     layout=ipw.Layout(width="100%", max_width="720px"))
        self.consent = ipw.Checkbox(
            value=False, indent=False,
            description="Share my anonymised answers with the facilitator",
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.submit = ipw.Button(description="Submit my evaluation", icon="check",
                                 button_style="primary", layout=ipw.Layout(width="auto"))
        self.submit.layout.align_self = "flex-start"
        self.submit.on_click(self._on_submit)
        self.eval_status = html_block("")
        self.eval_errors = StatusWidget()
        for widget in (self.headline, *self.objectives.values(), *self.before.values(),
                       *self.after.values(), self.change_30, self.comments):
            widget.observe(self._save_evaluation, names="value")
        self.consent.observe(self._save_consent, names="value")

        objective_rows = [
            labeled(self.objectives[o.id], o.text) for o in content.objectives
        ]
        skill_rows = []
        for s in content.skills:
            name = html_block(f"<strong>{esc(s.text)}</strong>")
            name.layout.flex = "2 1 240px"
            name.layout.align_self = "center"
            before = labeled(self.before[s.id], "Before today")
            after = labeled(self.after[s.id], "Now")
            for box in (before, after):
                box.layout.flex = "1 1 150px"
                box.layout.width = "auto"
                box.layout.max_width = "240px"
                box.layout.margin = "0 12px 0 0"
            skill_rows.append(_row([name, before, after], "mm-eval-grid"))
        eval_card = self._card(
            html_block(
                "<h2>Evaluation</h2><p class=\"mm-hint\">Two minutes. Your answers are saved in "
                "your workbook as you give them.</p>"
            ),
            labeled(self.headline, content.headline.text),
            html_block("<h3>Were the workshop's objectives met for you?</h3>"),
            *objective_rows,
            html_block(
                "<h3>Your confidence, before and after</h3><p class=\"mm-hint\">Thinking back, "
                "how confident were you <em>before today</em> in each skill, and how confident "
                "are you <em>now</em>?</p>"
            ),
            *skill_rows,
            labeled(self.change_30, "One change I will make in the next 30 days"),
            labeled(self.comments, "Any other comments (optional)"),
            html_block(
                "<h3>Sharing with the facilitator</h3><p>If you tick the box, your answers "
                "count in the room's <strong>anonymised totals</strong> on the facilitator's "
                "dashboard: your ratings (needs and this evaluation), which scenarios you "
                "discussed, and the numbers in your mosaic (how many mentors per domain, level "
                "and place). Totals from fewer than 3 people are never shown. Your name, the "
                "names of the people in your mosaic and anything you wrote in your own words "
                "are <strong>never</strong> shared. If you leave it unticked, nothing is "
                "shared.</p>"
            ),
            self.consent,
            self.submit,
            self.eval_errors,
            self.eval_status,
        )

        self.closing = html_block("")
        closing_card = self._card(self.closing)
        closing_card.add_class("mm-closing")

        self.children = [
            html_block(CSS),
            html_block(
                "<p>You have named your needs, planned how to manage up, drawn your mosaic and "
                "looked for the people who could fill its gaps. Now turn that into a few "
                "commitments with dates, take your work home, and tell us how it went.</p>"
            ),
            plan_card,
            downloads_card,
            eval_card,
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
        self._refresh_plan()
        self._load_evaluation()
        self._refresh_closing()

    def on_show(self) -> None:
        """Goals, plans and people may have changed in the other stages."""
        self.refresh()

    def _refresh_plan(self) -> None:
        wb = self.session.workbook
        rows = []
        for item in suggested_actions(wb):
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
        self.suggestion_box.children = rows
        self.add_all.layout.display = "" if suggested_actions(wb) else "none"
        self.plan_rows = [
            ActionRow(self, item, n) for n, item in enumerate(wb.actions, start=1)
        ]
        self.plan_box.children = self.plan_rows or [html_block(
            '<p class="mm-hint">Your plan is empty: add a suggestion above or your own below.</p>'
        )]

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
        self.eval_status.value = (
            '<div class="mm-status-success" role="status">Thank you! Your evaluation was '
            f"submitted at {stamp.astimezone():%H:%M on %d %b}. You can still change it and "
            "submit again.</div>"
        )

    def _refresh_closing(self) -> None:
        mentees = self.session.workbook.mentees
        if mentees:
            names = ", ".join(esc(p.name) for p in mentees[:6])
            mentor_line = (
                f"You are also a mentor, to {names}. Offer them what you asked for today: "
                "clear expectations, your time used well, honest feedback and open doors."
            )
        else:
            mentor_line = (
                "You are also a mentor, or soon will be: someone junior to you can learn from "
                "you today. Offer them what you asked for here: clear expectations, your time "
                "used well, honest feedback and open doors."
            )
        self.closing.value = (
            "<h2>You lead your mentoring</h2>"
            "<p>As a <strong>mentee</strong>, you drive your relationships: you set the agenda, "
            "ask clearly, follow up, and keep your mosaic growing as your career moves. "
            f"{mentor_line}</p><p>Thank you for taking part.</p>"
        )

    def _on_any_change(self, what: str) -> None:
        if what in ("people", "*"):
            self._refresh_closing()
        if not self.prepared:
            return
        if self.last_payload_bytes <= AUTO_REFRESH_BYTES:
            self._on_prepare(None)
        else:
            self.prepared = False
            self.links_box.layout.display = "none"
            self.prepare_button.description = "Prepare my downloads"
            self.download_status.value = (
                '<p class="mm-hint" role="status">Your answers changed: press “Prepare my '
                "downloads” again to include them.</p>"
            )

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
        if not text:
            row.text.value = stored.text
            self.status.show("An action needs a few words; the previous text is kept.", "error")
            return
        updated = stored.model_copy(
            update={"text": text, "who": row.who.value.strip(), "due": row.due.value,
                    "done": row.done.value}
        )
        updated = ActionItem.model_validate(updated.model_dump())
        self.session.update(
            "actions",
            [updated if a.id == row.item_id else a for a in self.session.workbook.actions],
        )
        self.status.clear()

    # -- downloads --------------------------------------------------------------------
    @guarded("download_errors")
    def _on_prepare(self, _button: ipw.Button) -> None:
        self.prepare_downloads()

    def prepare_downloads(self) -> None:
        """Build the four files into their links (again after every change, once prepared)."""
        started = time.perf_counter()
        wb = self.session.workbook
        base = workbook_filename(self.session, "json").removesuffix("-workbook.json")
        total = 0
        for fmt, _label, stem, _hint in DOWNLOADS:
            data = export(wb, self.content, fmt)
            total += len(data)
            self.links[fmt].set_payload(data, f"{base}-{stem}.{FORMATS[fmt].suffix}")
        self.last_payload_bytes = total
        self.last_prepare_seconds = time.perf_counter() - started
        self.prepared = True
        self.links_box.layout.display = ""
        self.prepare_button.description = "Prepare again"
        self.download_status.value = (
            '<p class="mm-hint" role="status">Ready. Click a link to save a file. If you change '
            "an answer, the files follow it.</p>"
        )

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

    @guarded("eval_errors")
    def _save_evaluation(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
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
        self.session.update("evaluation", self._evaluation(submitted=True))
        self.session.update(
            "consent",
            Consent(share_anonymised=self.consent.value, decided_at=dt.datetime.now(dt.UTC)),
        )
        self._show_submitted()
