"""Three months on: the participant reviews the plan made in the workshop (issue 17).

Not a step of the 90 minutes: the app and the wrap-up offer it "for later". One part at a time
(actions, support, mosaic, goals, looking back), each a tap away in the row at the top, so the
page stays short. Every answer saves at once, notes while they are typed, into the workbook's
``review`` section (:class:`model.Review`); "then" is the workbook's ``baseline``, taken when
the wrap-up was finished. The figures come from :mod:`analysis.follow_up`. "Finish my review"
stamps the review, records the sharing choice and puts the goals kept or revised into the plan,
so the next plan starts from this one (the workshop-day copy keeps the old goals).

The plan is a living plan: once a review is finished, "Start my next review" keeps that round
whole in ``Workbook.past_reviews`` and compares the next review with the plan as it stood at
the end of the last one (:func:`analysis.follow_up.next_round`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from ..analysis.follow_up import (
    CLOSED_STATUSES,
    NEXT_REVIEW_AFTER_DAYS,
    ActionToReview,
    actions_still_to_come,
    actions_to_review,
    earlier_reviews,
    goals_to_review,
    is_later_round,
    last_round_answers,
    mosaic_then_and_now,
    next_plan_goals,
    next_round,
    review_finished_on,
    support_vs_baseline,
)
from ..content import Content
from ..exports import FORMATS, export
from ..exports.mosaic import readable_pictures, svg_width
from ..model import (
    ACTION_STATUSES,
    GOAL_DECISIONS,
    ActionReview,
    Consent,
    GoalReview,
    Review,
    Workbook,
)
from ..session import Session
from .browser_actions import browser_actions
from .common import (
    DownloadButton,
    TypingSaver,
    citations_html,
    esc,
    guarded,
    html_block,
    labeled,
    segmented,
    workbook_filename,
)
from .pages import StageView

PARTS: tuple[tuple[str, str], ...] = (
    ("actions", "Actions"),
    ("support", "Support"),
    ("mosaic", "Mosaic"),
    ("goals", "Goals"),
    ("outcome", "Looking back"),
)
"""The review's parts, in order: (review.toml text id, the short name on its button)."""

SUPPORT_WORDS = ("none", "a little", "some", "good", "excellent")
"""Stage 1's support scale, 0 to 4."""

SHOWN_GAPS = 4
"""Gaps named one by one in "remain"; the rest are counted."""

FINISH = "Finish my review"
NEXT_ROUND = "Start my next review"
FALLBACK_TEXTS: dict[str, tuple[str, str]] = {
    "next_round": (
        "Your next review",
        "Start your next review here. Your last review is kept in your workbook: nothing is "
        "lost. This time you compare with the plan you made at your last review.",
    ),
    "next_intro": (
        "Three months on, again",
        "At your last review you made your next plan. Take 15 minutes to see what came of it, "
        "one part at a time. Your answers save as you go, and you can stop and come back.",
    ),
}
"""Words for review.toml's optional ids, for a content folder made before they existed."""
PICTURE_KEY = (
    '<p class="mm-hint">In the pictures: a solid outline is someone you talk with, a dashed '
    "one someone to approach, a square one of your mentees; the nearer to you, the closer the "
    "tie. Colours are kinds of support:</p>"
)
"""The pictures' key, in words (the review page does not load the map's legend); the colours
follow it (:func:`colour_key`)."""


def colour_key(content: Content) -> str:
    """Each kind of support's colour in the pictures, with its name (content text escaped)."""
    items = "".join(
        f'<li><span class="mm-swatch" aria-hidden="true" style="background:{esc(d.color)}">'
        f"</span>{esc(d.name)}</li>"
        for d in content.domains
    )
    return f'<ul class="mm-rv-colours">{items}</ul>'


FINISHED_AGAIN = "Update my finished review"
WHY_SUMMARY = "Why this matters"
SOURCES_SUMMARY = "Sources"

CSS = """<style>
.mm-stage-review .mm-card h2 { margin: 0.2em 0 0.2em; }
.mm-stage-review .mm-card p { margin: 0.3em 0; }
.mm-rv-parts { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0 2px; }
.mm-rv-parts .widget-button { margin: 0; }
.mm-rv-item { border-top: 1px solid #e2e8f0; padding: 6px 0 2px; }
.mm-rv-item:first-of-type { border-top: 0; }
.mm-rv-what { font-weight: 600; color: #0f172a; overflow-wrap: anywhere; line-height: 1.35; }
.mm-rv-meta { color: #475569; font-size: 0.9em; }
.mm-rv-late { display: inline-block; background: #ffedd5; color: #7c2d12; border-radius: 999px;
  padding: 0 8px; font-weight: 600; font-size: 0.88em; }
.mm-rv-then { color: #475569; font-size: 0.92em; }
.mm-rv-pics { gap: 8px; }
.mm-rv-lists ul { margin: 2px 0 6px; padding-left: 20px; }
.mm-rv-lists li { overflow-wrap: anywhere; }
.mm-rv-lists ul.mm-rv-colours { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none;
  padding-left: 0; font-size: 0.88em; color: #475569; }
.mm-rv-note { background: #f0f7fb; border-left: 4px solid #2a6f97; padding: 6px 12px; }
.mm-rv-moves { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.mm-rv-folds { display: flex; flex-wrap: wrap; gap: 0 24px; }
.mm-rv-folds details[open] { flex-basis: 100%; }
.mm-rv-folds ol { padding-left: 20px; }
.mm-rv-folds li { overflow-wrap: anywhere; }
</style>"""


def optional_text(content: Content, entry_id: str) -> tuple[str, str]:
    """(title, text) of an optional review.toml entry, or the built-in words."""
    try:
        entry = content.review_text(entry_id)
    except KeyError:  # a content folder from before the entry existed
        return FALLBACK_TEXTS[entry_id]
    return entry.title or FALLBACK_TEXTS[entry_id][0], entry.text


def later_round_words(words: str) -> str:
    """A part's words for a later round, where "then" is the last review, not the workshop."""
    return (words.replace("on the workshop day", "at your last review")
            .replace("the workshop day", "your last review"))


def then_words(wb: Workbook) -> str:
    """When "then" was, in the participant's words: the workshop day or the last review."""
    return "at your last review" if is_later_round(wb) else "on the workshop day"


def _date(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def _names(people: list[Any]) -> str:
    return ", ".join(esc(p.name) for p in people)


def _card(*children: ipw.Widget) -> ipw.VBox:
    box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
    box.add_class("mm-card")
    return box


def pictures_side_by_side(
    then: Workbook, now: Workbook, content: Content, marked: frozenset[str],
    then_title: str = "My mosaic on the workshop day",
) -> tuple[str, str]:
    """The mosaic then and now drawn at one scale (stage 5's readable names), so the same
    person looks the same size in both pictures."""
    then_svg, now_svg = readable_pictures(
        [(then, then_title, frozenset()), (now, "My mosaic now", marked)], content)
    return then_svg, now_svg


def scaled_img(svg: str, alt: str, share: float) -> str:
    """An <img> of an SVG (images run no scripts; alt escaped), ``share`` of its pane wide,
    so two pictures drawn at one scale are shown at one scale."""
    b64 = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<div style="text-align:center"><img src="data:image/svg+xml;base64,{b64}" '
        f'alt="{esc(alt)}" style="width:{100 * share:.1f}%;max-width:100%;height:auto;'
        'border:1px solid #e2e8f0;border-radius:6px"></div>'
    )


def _fold(summary: str, body: str) -> str:
    return f'<details class="mm-fold"><summary>{esc(summary)}</summary>{body}</details>'


def action_meta(item: ActionToReview, status: str | None, today: dt.date,
                last: str | None = None) -> str:
    """Who and when, how late while it is still open, and what the last review said of it,
    in a few words (escaped)."""
    bits = []
    if last:
        bits.append(f"At your last review: {esc(ACTION_STATUSES.get(last, last))}")
    if item.action.who:
        bits.append(f"Who: {esc(item.action.who)}")
    due = item.action.due
    if due:
        bits.append(f"By {_date(due)}")
    late = ""
    days = (today - due).days if due else 0
    if days > 0 and status not in CLOSED_STATUSES and not (status is None and item.action.done):
        late = f' <span class="mm-rv-late">Overdue by {days} day{"s" if days != 1 else ""}</span>'
    return f'<div class="mm-rv-meta">{" · ".join(bits)}{late}</div>'


class ActionRow(ipw.VBox):
    """One action: what it was, done / partly / not yet / dropped, and an optional note."""

    def __init__(self, item: ActionToReview, save: Callable[[str, ActionReview], None],
                 today: dt.date, last: str | None = None) -> None:
        self.item = item
        self._last = last
        self._save_cb = save
        self._today = today
        self._loading = True
        self.text = text = html_block("")
        self._show_text(item.status)
        self.status = segmented(list((label, key) for key, label in ACTION_STATUSES.items()))
        self.status.description = f"What came of it: {item.action.text[:80]}"
        self.status.add_class("mm-labeled")
        self.status.value = item.status
        self.note = ipw.Text(value=item.note, continuous_update=True,
                             placeholder="What helped, or what got in the way",
                             layout=ipw.Layout(width="100%", max_width="640px"))
        self.note.description = f"Note on: {item.action.text[:80]}"
        self.saver = TypingSaver(self._save)
        self.status.observe(lambda _c: self._changed(now=True), names="value")
        self.note.observe(lambda _c: self._changed(now=False), names="value")
        note_box = labeled(self.note, "Note (optional)")
        super().__init__([text, self.status, note_box], layout=ipw.Layout(width="100%"))
        self.add_class("mm-rv-item")
        self._loading = False

    def _show_text(self, status: str | None) -> None:
        self.text.value = (f'<div class="mm-rv-what">{esc(self.item.action.text)}</div>'
                           f"{action_meta(self.item, status, self._today, self._last)}")

    def _changed(self, *, now: bool) -> None:
        if self._loading:
            return
        if now:
            self._show_text(self.status.value)
            self.saver.save_now()
        else:
            self.saver.request()

    def _save(self) -> None:
        self._save_cb(self.item.action.id,
                      ActionReview(status=self.status.value, note=self.note.value))


class GoalRow(ipw.VBox):
    """One goal: keep, revise (with new words) or retire."""

    def __init__(self, goal: Any, answer: GoalReview | None,
                 save: Callable[[str, GoalReview], None], need_name: str) -> None:
        self.goal = goal
        self._save_cb = save
        self._loading = True
        words = goal.goal or "(a goal not written yet)"
        need = f'<div class="mm-rv-meta">For: {esc(need_name)}</div>' if need_name else ""
        text = html_block(f'<div class="mm-rv-what">{esc(words)}</div>{need}')
        self.decision = segmented([(label, key) for key, label in GOAL_DECISIONS.items()])
        self.decision.description = f"Next plan: {words[:80]}"
        self.decision.add_class("mm-labeled")
        self.decision.value = answer.decision if answer else None
        self.revised = ipw.Textarea(
            value=(answer.revised if answer and answer.revised else goal.goal),
            rows=2, continuous_update=True, layout=ipw.Layout(width="100%", max_width="640px"),
        )
        self.revised_box = labeled(self.revised, "The goal in new words")
        self.revised_box.layout.display = "" if self.decision.value == "revise" else "none"
        self.saver = TypingSaver(self._save)
        self.decision.observe(self._decided, names="value")
        self.revised.observe(lambda _c: None if self._loading else self.saver.request(),
                             names="value")
        super().__init__([text, self.decision, self.revised_box],
                         layout=ipw.Layout(width="100%"))
        self.add_class("mm-rv-item")
        self._loading = False

    def _decided(self, _change: dict[str, Any]) -> None:
        self.revised_box.layout.display = "" if self.decision.value == "revise" else "none"
        if not self._loading:
            self.saver.save_now()

    def _save(self) -> None:
        revised = self.revised.value if self.decision.value == "revise" else ""
        self._save_cb(self.goal.id, GoalReview(decision=self.decision.value, revised=revised))


class ReviewView(StageView):
    """Three months on: one part of the review at a time, then "Finish my review"."""

    stage_id = "review"

    def __init__(self, session: Session, content: Content, *,
                 today: Callable[[], dt.date] | None = None, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._today = today or (lambda: dt.datetime.now().astimezone().date())
        self._loading = False
        self._picture_key: Any = None
        self.action_rows: list[ActionRow] = []
        self.goal_rows: list[GoalRow] = []
        text = content.review_text
        self.intro = html_block("")
        self.part_buttons = {
            pid: ipw.Button(description=f"{n}. {short}", layout=ipw.Layout(width="auto"),
                            tooltip=text(pid).title)
            for n, (pid, short) in enumerate(PARTS, start=1)
        }
        for pid, button in self.part_buttons.items():
            button.on_click(lambda _b, pid=pid: self.show_part(pid))
        parts_row = ipw.HBox(list(self.part_buttons.values()))
        parts_row.add_class("mm-rv-parts")

        # 1. actions
        self.actions_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        # 2. support
        self.support_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.support: dict[str, ipw.RadioButtons] = {}
        # 3. mosaic
        self.then_pic = html_block("")
        self.now_pic = html_block("")
        for pane in (self.then_pic, self.now_pic):
            pane.layout = ipw.Layout(flex="1 1 320px", min_width="0", max_width="100%")
        self.pictures = ipw.HBox([self.then_pic, self.now_pic],
                                 layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        self.pictures.add_class("mm-rv-pics")
        self.mosaic_lists = html_block("", "mm-rv-lists")
        # 4. goals
        self.goals_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.next_plan = html_block("")
        # 5. looking back
        scale = [(p.label, p.value) for p in content.scale]
        self.outcome = segmented(scale)
        self.outcome.description = content.review_outcome.text
        self.outcome.add_class("mm-labeled")
        yes_no = [("Yes", True), ("No", False)]
        self.met_new_mentor = segmented(yes_no)
        self.managing_up = segmented(yes_no)
        for widget, item in ((self.met_new_mentor, "met_new_mentor"),
                             (self.managing_up, "managing_up_conversation")):
            widget.description = content.review_item(item).text
            widget.add_class("mm-labeled")
        self.consent = ipw.Checkbox(value=False, indent=False,
                                    description=text("consent").text,
                                    layout=ipw.Layout(width="auto", max_width="100%"))
        self.consent.add_class("mm-check-wrap")
        self.finish = ipw.Button(description=FINISH, icon="check", button_style="primary",
                                 layout=ipw.Layout(width="auto", align_self="flex-start"))
        self.finish.on_click(self._on_finish)
        self.finished = html_block("")
        self.download = DownloadButton(
            "⬇ My workbook file, with this review", self._workbook_file,
            mime=FORMATS["json"].mime,
            tooltip="Keep it: it holds your review too, for next time",
        )
        self.calendar = DownloadButton(
            "⬇ My next review, for my calendar", self._calendar_file,
            mime=FORMATS["ics"].mime,
            tooltip="A reminder for your next review, with your plan's dated actions",
        )
        self.keep = ipw.HBox([self.download, self.calendar],
                             layout=ipw.Layout(flex_flow="row wrap", display="none"))
        self.keep.add_class("mm-rv-moves")
        self.next_text = html_block("")
        self.next_round = ipw.Button(description=NEXT_ROUND, icon="refresh",
                                     layout=ipw.Layout(width="auto", align_self="flex-start"),
                                     tooltip="Keeps your last review and starts a new one")
        self.next_round.on_click(self._on_next_round)
        self.next_box = ipw.VBox([self.next_text, self.next_round],
                                 layout=ipw.Layout(width="100%", display="none"))
        self.next_box.add_class("mm-card")
        self.next_box.add_class("mm-rv-next")
        # where the offer shows: above the parts once the next review is near, else quietly
        # under the finished review, so a review just finished stays the one thing in front
        self.next_slot_top = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.next_slot_after = ipw.VBox(layout=ipw.Layout(width="100%"))
        for widget in (self.outcome, self.met_new_mentor, self.managing_up):
            widget.observe(self._save_outcome, names="value")
        self.consent.observe(self._save_consent, names="value")

        self.heads: dict[str, ipw.HTML] = {}

        def head(pid: str) -> ipw.HTML:
            self.heads[pid] = html_block("")
            return self.heads[pid]

        self.parts: dict[str, ipw.VBox] = {
            "actions": _card(head("actions"), self.actions_box),
            "support": _card(head("support"), self.support_box),
            "mosaic": _card(head("mosaic"), self.mosaic_lists, self.pictures),
            "goals": _card(head("goals"), self.goals_box, self.next_plan),
            "outcome": _card(
                head("outcome"),
                labeled(self.outcome, content.review_outcome.text),
                labeled(self.met_new_mentor, content.review_item("met_new_mentor").text),
                labeled(self.managing_up, content.review_item("managing_up_conversation").text),
                self.consent,
                self.finish,
                self.finished,
                self.keep,
                self.next_slot_after,
            ),
        }
        self.back_button = ipw.Button(description="← Back", layout=ipw.Layout(width="auto"))
        self.next_button = ipw.Button(button_style="primary", layout=ipw.Layout(width="auto"))
        self.back_button.on_click(lambda _b: self._step(-1))
        self.next_button.on_click(lambda _b: self._step(+1))
        moves = ipw.HBox([self.back_button, self.next_button])
        moves.add_class("mm-rv-moves")
        self.body = ipw.VBox(layout=ipw.Layout(width="100%"))
        why = text("why")
        sources = list(dict.fromkeys(
            [why.source, content.review_outcome.source]
            + [t.source for t in content.review_texts]
            + [i.source for i in content.review_items]
        ))
        folds = html_block(
            _fold(why.title or WHY_SUMMARY, f"<p>{esc(why.text)}</p>")
            + _fold(SOURCES_SUMMARY, citations_html(content, sources, "mm-rv-sources")),
            "mm-rv-folds",
        )
        self.current = PARTS[0][0]
        self.children = [html_block(CSS), self.intro, self.next_slot_top, parts_row, self.body,
                         moves, self.status, folds]
        self.refresh()

    # -- moving between the parts -----------------------------------------------------
    def show_part(self, part_id: str) -> None:
        """Show one part of the review (the others wait behind their buttons)."""
        self._flush()
        self.current = part_id
        ids = [pid for pid, _ in PARTS]
        index = ids.index(part_id)
        for pid, button in self.part_buttons.items():
            button.button_style = "primary" if pid == part_id else ""
        if part_id == "mosaic":
            self._show_mosaic()
        if part_id == "goals":
            self._show_next_plan()
        self.body.children = [self.parts[part_id]]
        self.back_button.disabled = index == 0
        if index < len(ids) - 1:
            self.next_button.layout.display = ""
            self.next_button.description = f"Next: {dict(PARTS)[ids[index + 1]]} →"
        else:
            self.next_button.layout.display = "none"

    def _step(self, step: int) -> None:
        ids = [pid for pid, _ in PARTS]
        index = max(0, min(ids.index(self.current) + step, len(ids) - 1))
        self.show_part(ids[index])
        # Next/Back sit under a long part: bring the new part's buttons into view
        browser_actions().scroll(".mm-stage-review .mm-rv-parts", "start")

    def on_show(self) -> None:
        """The app brought the review into view: other stages may have changed the plan."""
        self.refresh()

    # -- reading the workbook -----------------------------------------------------------
    def refresh(self) -> None:
        """Build every part from the workbook as it is now."""
        self._flush()
        wb = self.session.workbook
        self._loading = True
        try:
            self._show_intro(wb)
            self._show_heads(wb)
            self._build_actions(wb)
            self._build_support(wb)
            self._build_goals(wb)
            review = wb.review or Review()
            self.outcome.value = review.relationships_improved
            self.met_new_mentor.value = review.met_new_mentor
            self.managing_up.value = review.managing_up_conversation
            self.consent.value = review.consent.share_anonymised
        finally:
            self._loading = False
        self._picture_key = None
        self._show_finished()
        self.show_part(self.current)

    def _show_intro(self, wb: Workbook) -> None:
        text = self.content.review_text
        base = wb.baseline
        later = is_later_round(wb)
        lead = optional_text(self.content, "next_intro")[1] if later else text("intro").text
        finished = review_finished_on(wb)
        done = ""
        if finished is not None and (self._today() - finished).days >= NEXT_REVIEW_AFTER_DAYS:
            lead = ""  # back for the next review: the card under this says what to do
        elif finished is not None:  # just finished: say so, above everything
            done = (f'<p class="mm-status-success" role="status">You finished this review on '
                    f"<strong>{_date(finished)}</strong>. You can still change any answer "
                    f"below; then press “{FINISHED_AGAIN}” in part 5.</p>")
        if base is None:
            then = f'<p class="mm-rv-note">{esc(text("no_baseline").text)}</p>'
        else:
            days = (self._today() - base.taken_on).days
            ago = f" ({days} days ago)" if days > 0 else ""
            what = "Your last review" if later else "Your workshop day"
            then = (f'<p class="mm-rv-then">{what}: <strong>'
                    f"{_date(base.taken_on)}</strong>{ago}.")
            if later:
                days_done = [_date(d) for d in earlier_reviews(wb) if d]
                listed = f" ({', '.join(days_done)})" if len(days_done) > 1 else ""
                then += (f" Reviews so far: {len(wb.past_reviews)}{listed}, "
                         "kept in your workbook.")
            then += "</p>"
        self.intro.value = (f"<p>{esc(lead)}</p>" if lead else "") + then + done

    def _show_heads(self, wb: Workbook) -> None:
        """Each part's title and words ("then" is the last review in a later round)."""
        for pid, block in self.heads.items():
            entry = self.content.review_text(pid)
            words = later_round_words(entry.text) if is_later_round(wb) else entry.text
            block.value = f"<h2>{esc(entry.title)}</h2><p>{esc(words)}</p>"

    def _build_actions(self, wb: Workbook) -> None:
        items = actions_to_review(wb, self._today())
        today = self._today()
        last = last_round_answers(wb)
        self.action_rows = [
            ActionRow(item, self._save_action, today,
                      last[item.action.id].status if item.action.id in last else None)
            for item in items
        ]
        if self.action_rows:
            # no count of late actions: "4 of your 4 are past their date" over two done ones
            # discourages; each open one says "Overdue by …" itself
            self.actions_box.children = list(self.action_rows)
        else:
            self.actions_box.children = [html_block(
                '<p class="mm-hint">Your plan has no actions. You can add some in the wrap-up '
                "(stage 7) for your next plan.</p>"
            )]

    def _build_support(self, wb: Workbook) -> None:
        rows = support_vs_baseline(wb, self.content)
        self.support = {}
        children: list[ipw.Widget] = []
        options = [(f"{n} {word}", n) for n, word in enumerate(SUPPORT_WORDS)]
        for row in rows:
            choice = segmented(options)
            choice.description = f"Support today: {row.name}"
            choice.add_class("mm-labeled")
            choice.value = row.now
            choice.observe(lambda _c, d=row.domain_id: self._save_support(d), names="value")
            self.support[row.domain_id] = choice
            then = ("not rated" if row.then is None
                    else f"{row.then} {SUPPORT_WORDS[row.then]}")
            when = "At your last review" if is_later_round(wb) else "On the workshop day"
            then_line = (f'<div class="mm-rv-then">{when}: {esc(then)}</div>'
                         if wb.baseline is not None else "")
            box = ipw.VBox([html_block(f'<div class="mm-rv-what">{esc(row.name)}</div>'
                                       f"{then_line}"), choice])
            box.add_class("mm-rv-item")
            children.append(box)
        if not rows:
            children = [html_block(
                '<p class="mm-hint">You did not choose top needs in stage 1, so there is '
                "nothing to compare here. Choose them in stage 1 for your next plan.</p>"
            )]
        self.support_box.children = children

    def _build_goals(self, wb: Workbook) -> None:
        answers = wb.review.goals if wb.review is not None else {}
        names = self.content.domain_names
        self.goal_rows = [
            GoalRow(goal, answers.get(goal.id), self._save_goal, names.get(goal.need, ""))
            for goal in goals_to_review(wb)
        ]
        self.goals_box.children = self.goal_rows or [html_block(
            '<p class="mm-hint">Your plan has no goals yet. Write them in stage 1 for your '
            "next plan.</p>"
        )]

    def _show_next_plan(self) -> None:
        goals = next_plan_goals(self.session.workbook)
        listed = "".join(f"<li>{esc(g.goal or '(not written yet)')}</li>" for g in goals)
        self.next_plan.value = (
            f'<div class="mm-rv-note"><strong>Your next plan starts with:</strong>'
            f'<ul>{listed}</ul></div>' if goals else
            '<p class="mm-rv-note">No goals carried forward: your next plan starts fresh.</p>'
        )

    def _show_mosaic(self) -> None:
        wb = self.session.workbook
        key = (wb.baseline.model_dump_json() if wb.baseline else "",
               tuple(p.model_dump_json() for p in wb.people), wb.needs.model_dump_json())
        if key == self._picture_key:
            return
        self._picture_key = key
        change = mosaic_then_and_now(wb, self.content)
        if change is None:
            self.then_pic.value = ""
            _then, now_svg = pictures_side_by_side(wb, wb, self.content, frozenset())
            self.now_pic.value = "<h3>Your mosaic now</h3>" + scaled_img(
                now_svg, "Your mosaic now", 1.0)
            self.mosaic_lists.value = (
                '<p class="mm-hint">There is no copy of the workshop day to compare with.</p>'
            )
            return
        then_wb = wb.model_copy(update={"people": wb.baseline.people,
                                        "needs": wb.baseline.needs})
        new_ids = frozenset(p.id for p in change.new_mentors)
        then_svg, now_svg = pictures_side_by_side(then_wb, wb, self.content, new_ids,
                                                  f"My mosaic {then_words(wb)}")
        widest = max(svg_width(then_svg), svg_width(now_svg))
        self.then_pic.value = (
            f"<h3>Then: {_date(wb.baseline.taken_on)}</h3>"
            + scaled_img(then_svg, f"Your mosaic {then_words(wb)}",
                         svg_width(then_svg) / widest)
        )
        self.now_pic.value = "<h3>Now</h3>" + scaled_img(
            now_svg, "Your mosaic now (orange rings mark your new mentors)",
            svg_width(now_svg) / widest,
        )
        lines = []
        if change.new_mentors:
            lines.append(f"<li><strong>New mentors</strong> (orange rings): "
                         f"{_names(change.new_mentors)}</li>")
        added = [p for p in change.added if p.status == "potential"]
        if added:
            lines.append(f"<li><strong>People you could approach, added since:</strong> "
                         f"{_names(added)}</li>")
        if change.left:
            lines.append(f"<li><strong>No longer in your mosaic:</strong> "
                         f"{_names(change.left)}</li>")
        if change.gaps_closed:
            lines.append("<li><strong>Gaps closed:</strong> "
                         f"{', '.join(esc(g.name) for g in change.gaps_closed)}</li>")
        if change.gaps_remaining:
            shown = change.gaps_remaining[:SHOWN_GAPS]
            more = len(change.gaps_remaining) - len(shown)
            rest = f" and {more} more" if more > 0 else ""
            lines.append("<li><strong>Gaps that remain</strong> (most needed first): "
                         f"{', '.join(esc(g.name) for g in shown)}{rest}</li>")
        if change.new_gaps:
            lines.append("<li><strong>New gaps:</strong> "
                         f"{', '.join(esc(g.name) for g in change.new_gaps)}</li>")
        if not (change.added or change.became_existing or change.left):
            lines.append("<li>Nobody has been added or changed yet.</li>")
        self.mosaic_lists.value = (f"<ul>{''.join(lines)}</ul>{PICTURE_KEY}"
                                   f"{colour_key(self.content)}")

    def _show_finished(self) -> None:
        review = self.session.workbook.review
        done = review is not None and review.completed_at is not None
        self.finished.value = (
            '<div class="mm-status-success mm-rv-done" role="status">'
            f"{esc(self.content.review_text('finished').text)}</div>" if done else ""
        )
        self.keep.layout.display = "" if done else "none"
        self.finish.description = FINISHED_AGAIN if done else FINISH
        self.finish.button_style = "" if done else "primary"  # done: the message leads
        self._show_next_offer()

    def _show_next_offer(self) -> None:
        """After a finished review, offer the next one (in front once some weeks have passed)."""
        finished = review_finished_on(self.session.workbook)
        if finished is None:
            self.next_box.layout.display = "none"
            return
        title, words = optional_text(self.content, "next_round")
        days = (self._today() - finished).days
        near = days >= NEXT_REVIEW_AFTER_DAYS
        if near:
            ago = f" ({days} days ago)" if days > 0 else ""
            self.next_text.value = (
                f"<h2>{esc(title)}</h2><p>You finished your last review on <strong>"
                f"{_date(finished)}</strong>{ago}. {esc(words)}</p>"
            )
        else:
            due = finished + dt.timedelta(days=self.content.review_after_days)
            self.next_text.value = (
                f"<h3>{esc(title)}</h3><p>Come back around <strong>{_date(due)}</strong> "
                "(the calendar reminder above has the date): your next review starts here "
                "then. This review stays in your workbook.</p>"
            )
        self.next_round.button_style = "primary" if near else ""
        # just finished: the day to come back, and no button to press by mistake
        self.next_round.layout.display = "" if near else "none"
        self.next_slot_top.children = [self.next_box] if near else []
        self.next_slot_after.children = [] if near else [self.next_box]
        if near:  # a card of its own above the parts; under the finished review, part of it
            self.next_box.add_class("mm-card")
        else:
            self.next_box.remove_class("mm-card")
        self.next_box.layout.display = ""

    # -- saving ---------------------------------------------------------------------------
    def _flush(self) -> None:
        for row in [*self.action_rows, *self.goal_rows]:
            row.saver.flush()

    def _on_session_change(self, what: str) -> None:
        if what == "*":  # the whole workbook was replaced: nothing waiting belongs to it
            for row in [*self.action_rows, *self.goal_rows]:
                row.saver.cancel()
        super()._on_session_change(what)

    def _edit(self, change: Callable[[Review], None]) -> None:
        """Change the stored review (started on the first answer) and date it today."""
        current = self.session.workbook.review
        if current is None:  # another tab (another page's kernel) may have started it
            current = self.session.store.load_section(self.session.key, "review")
        review = current.model_copy(deep=True) if current is not None else Review()
        change(review)
        review.reviewed_on = self._today()
        self.session.update("review", review)

    @guarded()
    def _save_action(self, action_id: str, answer: ActionReview) -> None:
        self._edit(lambda r: r.actions.__setitem__(action_id, answer))

    @guarded()
    def _save_support(self, domain_id: str) -> None:
        if self._loading:
            return
        value = self.support[domain_id].value
        if value is None:
            return
        self._edit(lambda r: r.support_today.__setitem__(domain_id, value))

    @guarded()
    def _save_goal(self, goal_id: str, answer: GoalReview) -> None:
        self._edit(lambda r: r.goals.__setitem__(goal_id, answer))
        self._show_next_plan()

    @guarded()
    def _save_outcome(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return

        def change(r: Review) -> None:
            r.relationships_improved = self.outcome.value
            r.met_new_mentor = self.met_new_mentor.value
            r.managing_up_conversation = self.managing_up.value

        self._edit(change)

    @guarded()
    def _save_consent(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        consent = Consent(share_anonymised=self.consent.value,
                          decided_at=dt.datetime.now(dt.UTC))
        self._edit(lambda r: setattr(r, "consent", consent))

    @guarded()
    def _on_finish(self, _button: ipw.Button) -> None:
        """Stamp the review, record the sharing choice as it stands, carry the goals on."""
        self._flush()
        now = dt.datetime.now(dt.UTC)

        def change(r: Review) -> None:
            r.completed_at = now
            r.consent = Consent(share_anonymised=self.consent.value, decided_at=now)

        self._edit(change)
        goals = next_plan_goals(self.session.workbook)
        if goals != self.session.workbook.goals:
            self.session.update("goals", goals)
        self._show_finished()
        self._show_intro(self.session.workbook)
        self.status.clear()
        browser_actions().scroll(".mm-stage-review .mm-rv-done", "center")

    @guarded()
    def _on_next_round(self, _button: ipw.Button) -> None:
        """Keep the finished round and start the next review against the plan as it is now.

        Saved in this order so that an interruption can only leave a copy twice, never lose
        one: the kept rounds first, then the new "then", then the empty review.
        """
        self._flush()
        stored = self.session.store.load_section(self.session.key, "review")
        if stored != self.session.workbook.review:  # another tab changed it (or began round 2)
            self.session.reload()  # the page shows what is stored; nothing is overwritten
            return
        step = next_round(self.session.workbook)
        if step is None:  # the review is not finished
            self.refresh()
            return
        self.session.update("past_reviews", step.past_reviews)
        self.session.update("baseline", step.baseline)
        self.session.update("review", step.review)
        self.current = PARTS[0][0]
        self.refresh()
        self.status.clear()
        browser_actions().scroll(".mm-stage-review .mm-rv-parts", "start")

    def _workbook_file(self) -> tuple[bytes, str]:
        data = export(self.session.workbook, self.content, "json")
        return data, workbook_filename(self.session, "json")

    def _calendar_file(self) -> tuple[bytes, str]:
        """The next review, dated from this one, and the actions still to come (built at
        the click)."""
        wb = self.session.workbook
        to_come = actions_still_to_come(wb, self._today())
        data = export(wb.model_copy(update={"actions": to_come}), self.content, "ics")
        base = workbook_filename(self.session, "json").removesuffix("-workbook.json")
        return data, f"{base}-next-review.{FORMATS['ics'].suffix}"
