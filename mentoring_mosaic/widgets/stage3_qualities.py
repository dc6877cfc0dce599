"""Stage 3: what good mentoring looks like (a 10-minute plenary).

What a participant does while the facilitator presents, one step at a time:

1. tap the qualities that matter most to them (chips; the workbook's ``priorities``), each
   shown with a one-line why;
2. rate each current mentor, one at a time, on those marked qualities only (ratings of
   qualities not marked stay in the workbook untouched);
3. if they mentor others: a six-item self-check with one-tap answers, and one competency
   picked to grow this year (``Qualities.grow``, which the wrap-up's action plan suggests).

The presented cards and the longer explanations sit in a collapsed "Why this matters" fold and
their citations in a collapsed "Sources" fold, so the page fits the slot at first sight.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..model import Qualities
from ..session import Session
from .common import (
    StatusWidget,
    citations_html,
    esc,
    guarded,
    html_block,
    labeled,
    segmented,
)
from .pages import StageView

MAX_PRIORITIES = 5
STRENGTH = 3
"""A quality rated this high (0-4) counts as one the participant sees in that mentor."""

QUALITY_OPTIONS = [
    ("Not seen", 0),
    ("Rarely", 1),
    ("Sometimes", 2),
    ("Often", 3),
    ("A strength", 4),
]
CONFIDENCE_OPTIONS = [
    ("Not yet", 0),
    ("A little", 1),
    ("Fairly", 2),
    ("Confident", 3),
    ("Very confident", 4),
]

WHY_SUMMARY = "Why this matters"
SOURCES_SUMMARY = "Sources"


def _source_ids(content: Content) -> list[str]:
    """Every source this stage cites, in the order it first appears (cards, then qualities,
    then the self-check)."""
    seen: list[str] = []
    for entry in (*content.cards, *content.qualities, *content.competencies):
        if entry.source not in seen:
            seen.append(entry.source)
    return seen


def _source_number(content: Content) -> dict[str, int]:
    return {sid: i for i, sid in enumerate(_source_ids(content), start=1)}


def card_html(content: Content, card: Any) -> str:
    """One leader-presented card, escaped, pointing at its number in the Sources fold."""
    bullets = "".join(f"<li>{esc(b)}</li>" for b in card.bullets)
    number = _source_number(content).get(card.source)
    ref = f'<p class="mm-hint" style="margin:0">Source {number}</p>' if number else ""
    return (
        f'<div class="mm-card mm-s3-card"><h2 class="mm-s3-title">{esc(card.title)}</h2>'
        f"<p>{esc(card.intro)}</p>"
        f'<ul style="padding-left:20px;margin:4px 0">{bullets}</ul>{ref}</div>'
    )


def why_html(content: Content) -> str:
    """The "Why this matters" fold: the cards the facilitator presents, and each quality in
    full. Collapsed: the participant opens it when they want more than the one-liners. Its titles
    are level-2 headings drawn small: they sit right under the page's h1."""
    cards = "".join(card_html(content, card) for card in content.cards)
    numbers = _source_number(content)
    qualities = "".join(
        f"<li><strong>{esc(q.name)}</strong>: {esc(q.description)} "
        f'<span class="mm-hint">(source {numbers.get(q.source, "")})</span></li>'
        for q in content.qualities
    )
    return (
        f'<details class="mm-fold"><summary>{esc(WHY_SUMMARY)}</summary>'
        f'<div class="mm-s3-cards">{cards}</div>'
        '<h2 class="mm-s3-title">The qualities in more detail</h2>'
        f'<ul style="padding-left:20px;margin:4px 0">{qualities}</ul></details>'
    )


def sources_html(content: Content) -> str:
    """The "Sources" fold: full citations, numbered as the cards refer to them."""
    listing = citations_html(content, _source_ids(content), "mm-s3-sources")
    return (
        f'<details class="mm-fold"><summary>{esc(SOURCES_SUMMARY)}</summary>'
        f'{listing}</details>'
    )


def _card(*children: ipw.Widget, classes: tuple[str, ...] = ()) -> ipw.VBox:
    box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
    box.add_class("mm-card")
    for cls in classes:
        box.add_class(cls)
    return box


def _hint(text: str) -> ipw.HTML:
    return html_block(f'<p class="mm-hint" style="margin:2px 0 6px">{text}</p>')


class QualitiesView(StageView):
    """Stage 3: mark what matters, rate each mentor on it, mentor self-check and one to grow."""

    stage_id = "qualities"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self.competency_names = {c.id: c.name for c in content.competencies}

        self.intro = html_block(
            "<p>Good mentoring rarely comes from one person: you gather several mentors, each "
            "for part of what you need (your <em>mosaic</em>). While the facilitator presents, "
            "do the three short steps below.</p>"
        )
        self.folds = html_block(why_html(content) + sources_html(content), "mm-s3-folds")

        # 1. what matters to me: one chip per quality, with its one-line why
        self.priorities: dict[str, ipw.Checkbox] = {}
        chips = []
        for q in content.qualities:
            box = ipw.Checkbox(
                description=q.name, indent=False, value=False, layout=ipw.Layout(width="auto")
            )
            box.observe(lambda ch, qid=q.id: self._on_priority(qid, ch), names="value")
            self.priorities[q.id] = box
            chip = ipw.VBox(
                [box, html_block(f'<span class="mm-hint">{esc(q.one_line)}</span>')],
                layout=ipw.Layout(min_width="0"),
            )
            chip.add_class("mm-qchip")
            chips.append(chip)
        self.chips = ipw.GridBox(
            chips,
            layout=ipw.Layout(
                grid_template_columns="repeat(auto-fill, minmax(230px, 1fr))",
                grid_gap="8px",
                width="100%",
            ),
        )
        self.prio_count = html_block("")
        self.prio_status = StatusWidget()

        # 2. my mentors, one at a time, on the marked qualities only
        self.picker = ipw.Dropdown(options=[], layout=ipw.Layout(width="100%", max_width="400px"))
        self.picker.observe(self._on_pick, names="value")
        self.next_mentor = ipw.Button(
            description="Next mentor →",
            tooltip="Rate the next mentor on the same qualities",
            layout=ipw.Layout(width="auto"),
        )
        self.next_mentor.on_click(self._on_next_mentor)
        picker_field = labeled(self.picker, "Mentor to rate")
        picker_field.layout = ipw.Layout(margin="4px 12px 8px 0", flex="0 1 400px", min_width="0")
        self.next_mentor.layout.margin = "0 0 8px"
        picker_row = ipw.HBox(
            [picker_field, self.next_mentor],
            layout=ipw.Layout(align_items="flex-end", width="100%"),
        )
        picker_row.add_class("mm-wrap")
        self.ratings: dict[str, ipw.RadioButtons] = {}
        for q in content.qualities:
            radio = segmented(QUALITY_OPTIONS, q.name, width="210px")
            radio.add_class("mm-rate-row")
            radio.observe(lambda ch, qid=q.id: self._save_rating(qid, ch), names="value")
            self.ratings[q.id] = radio
        self.rating_rows = ipw.VBox(list(self.ratings.values()), layout=ipw.Layout(width="100%"))
        self.no_marked = _hint(
            "Mark at least one quality in step 1 first: you then rate each mentor on those."
        )
        self.summary = html_block("")
        self.rate_box = ipw.VBox(
            [picker_row, self.no_marked, self.rating_rows, self.summary],
            layout=ipw.Layout(width="100%"),
        )
        self.no_mentors = _hint(
            "You have not listed any current mentors yet. Add them in stage 2 (Managing up), "
            "then rate them here."
        )

        # 3. the self-check for those who mentor others, and one competency to grow
        self.self_check: dict[str, ipw.RadioButtons] = {}
        for c in content.competencies:
            radio = segmented(CONFIDENCE_OPTIONS, c.name, width="260px")
            radio.add_class("mm-rate-row")
            radio.observe(lambda ch, cid=c.id: self._save_check(cid, ch), names="value")
            self.self_check[c.id] = radio
        meanings = "".join(
            f"<li><strong>{esc(c.name)}</strong>: {esc(c.question)}</li>"
            for c in content.competencies
        )
        self.grow = segmented([(c.name, c.id) for c in content.competencies])
        self.grow.tooltip = "Pick one to grow this year"
        self.grow.observe(self._save_grow, names="value")
        self.check_box = _card(
            html_block(
                "<h2>3. My mentor self-check</h2>"
                '<p class="mm-hint" style="margin:2px 0 6px">You also mentor others. How '
                "confident are you in each of these? Tap one answer a line.</p>"
            ),
            ipw.VBox(list(self.self_check.values()), layout=ipw.Layout(width="100%")),
            html_block(
                '<details class="mm-fold"><summary>What each one means</summary>'
                f'<ul style="padding-left:20px;margin:4px 0">{meanings}</ul></details>'
            ),
            labeled(
                self.grow,
                "Pick one to grow this year",
                "It goes into your action plan at the wrap-up.",
            ),
            classes=("mm-s3-step",),
        )
        self.check_note = _hint(
            "Do you also mentor students, residents or junior colleagues? Tick “I also mentor "
            "others” on the Welcome page (or add a mentee in your mosaic) to get a short "
            "mentor self-check here."
        )

        self.children = [
            self.intro,
            self.folds,
            _card(
                html_block(
                    "<h2>1. What matters to me in a mentor</h2>"
                    '<p class="mm-hint" style="margin:2px 0 6px">Tap up to '
                    f"{MAX_PRIORITIES} qualities you most want from your mentors.</p>"
                ),
                self.chips,
                self.prio_count,
                self.prio_status,
                classes=("mm-s3-step",),
            ),
            _card(
                html_block(
                    "<h2>2. My mentors on what matters to me</h2>"
                    '<p class="mm-hint" style="margin:2px 0 6px">One mentor at a time. No one '
                    "shows everything: that is why you build a mosaic.</p>"
                ),
                self.no_mentors,
                self.rate_box,
                classes=("mm-s3-step",),
            ),
            self.check_box,
            self.check_note,
            self.status,
        ]
        session.on_change(self._on_any_change)
        self.refresh()

    # -- reading --------------------------------------------------------------------------
    @property
    def mentor_id(self) -> str:
        """The id of the mentor being rated ("" when there is none)."""
        return self.picker.value or ""

    @property
    def marked(self) -> list[str]:
        """The qualities the participant marked, in the content's order (known ones only)."""
        chosen = set(self.session.workbook.qualities.priorities)
        return [q.id for q in self.content.qualities if q.id in chosen]

    def refresh(self) -> None:
        q = self.session.workbook.qualities
        self._loading = True
        try:
            for qid, box in self.priorities.items():
                box.value = qid in q.priorities
            for cid, radio in self.self_check.items():
                radio.value = q.self_check.get(cid)
            self.grow.value = q.grow if q.grow in self.competency_names else None
        finally:
            self._loading = False
        self.show_count()
        self.show_mentors()
        self.show_self_check()

    def on_show(self) -> None:
        self.show_mentors()
        self.show_self_check()

    def _on_any_change(self, what: str) -> None:
        if what == "people":
            self.show_mentors()
            self.show_self_check()
        elif what == "profile":
            self.show_self_check()

    def show_count(self) -> None:
        """How many qualities are marked, out of the most allowed."""
        n = len(self.marked)
        self.prio_count.value = (
            f'<p class="mm-hint" style="margin:4px 0 0">{n} of {MAX_PRIORITIES} marked.</p>'
            if n
            else ""
        )

    def show_self_check(self) -> None:
        """The self-check only for participants who mentor others."""
        wb = self.session.workbook
        show = wb.profile.mentors_others or bool(wb.mentees)
        self.check_box.layout.display = "" if show else "none"
        self.check_note.layout.display = "none" if show else ""

    def show_mentors(self) -> None:
        """The picker of current mentors and the ratings of the picked one."""
        mentors = self.session.workbook.current_mentors
        ids = [p.id for p in mentors]
        current = self.mentor_id
        self._loading = True
        try:
            options = [
                (f"{p.name} ({p.title})" if p.title and p.title not in p.name else p.name, p.id)
                for p in mentors
            ]
            if list(self.picker.options) != options:
                self.picker.options = options
            self.picker.value = current if current in ids else (ids[0] if ids else None)
        finally:
            self._loading = False
        self.no_mentors.layout.display = "none" if mentors else ""
        self.rate_box.layout.display = "" if mentors else "none"
        self.next_mentor.layout.display = "" if len(mentors) > 1 else "none"
        self.load_ratings()

    def show_rows(self) -> None:
        """Only the marked qualities are rated; the others' rows hide (their ratings stay)."""
        marked = set(self.marked)
        for qid, radio in self.ratings.items():
            radio.layout.display = "" if qid in marked else "none"
        self.no_marked.layout.display = "none" if marked else ""

    def load_ratings(self) -> None:
        """Show the picked mentor's ratings and the summary across mentors."""
        given = self.session.workbook.qualities.ratings.get(self.mentor_id, {})
        self._loading = True
        try:
            for qid, radio in self.ratings.items():
                radio.value = given.get(qid)
        finally:
            self._loading = False
        self.show_rows()
        self.show_summary()

    def show_summary(self) -> None:
        """For each marked quality: which mentors show it strongly (rated 3 or 4)."""
        wb = self.session.workbook
        mentors = wb.current_mentors
        marked = self.marked
        if not mentors or not marked:
            self.summary.value = ""
            return
        ratings = wb.qualities.ratings
        lines = []
        for qid in marked:
            rated = [p for p in mentors if qid in ratings.get(p.id, {})]
            strong = [p.name for p in rated if ratings[p.id][qid] >= STRENGTH]
            if strong:
                who = esc(", ".join(strong))
            elif rated:
                who = '<span class="mm-s3-gap">none yet: look for it in stage 5</span>'
            else:
                who = '<span class="mm-hint">not rated yet</span>'
            lines.append(f"<li><strong>{esc(self.content.quality(qid).name)}</strong>: {who}</li>")
        self.summary.value = (
            '<h3 style="margin-top:10px">Who shows what matters to me (often or a strength)</h3>'
            f'<ul style="padding-left:20px;margin:4px 0">{"".join(lines)}</ul>'
        )

    # -- writing --------------------------------------------------------------------------
    @guarded()
    def _on_pick(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.load_ratings()

    @guarded()
    def _on_next_mentor(self, _button: ipw.Button) -> None:
        ids = [value for _label, value in self.picker.options]
        if len(ids) < 2:
            return
        current = ids.index(self.mentor_id) if self.mentor_id in ids else -1
        self.picker.value = ids[(current + 1) % len(ids)]

    @guarded()
    def _save_rating(self, quality_id: str, change: dict[str, Any]) -> None:
        if self._loading or not self.mentor_id or change["new"] is None:
            return
        pid = self.mentor_id
        value = int(change["new"])

        def edit(q: Qualities) -> None:
            ratings = {k: dict(v) for k, v in q.ratings.items()}
            ratings.setdefault(pid, {})[quality_id] = value
            q.ratings = ratings

        self.session.edit("qualities", edit)
        # the qualities a mentor shows travel with them into the mosaic (stage 4)
        person = self.session.workbook.person(pid)
        if person is not None:
            has = quality_id in person.qualities
            if value >= STRENGTH and not has:
                self.session.save_person(
                    person.model_copy(update={"qualities": [*person.qualities, quality_id]})
                )
            elif value < STRENGTH and has:
                kept = [q for q in person.qualities if q != quality_id]
                self.session.save_person(person.model_copy(update={"qualities": kept}))
        self.status.clear()
        self.show_summary()

    @guarded()
    def _on_priority(self, quality_id: str, change: dict[str, Any]) -> None:
        if self._loading:
            return
        current = list(self.session.workbook.qualities.priorities)
        if change["new"] and quality_id not in current:
            if len([q for q in current if q in self.priorities]) >= MAX_PRIORITIES:
                self._loading = True
                try:
                    self.priorities[quality_id].value = False
                finally:
                    self._loading = False
                self.prio_status.show(
                    f"Pick at most {MAX_PRIORITIES}: untick one first.", "error"
                )
                return
            current.append(quality_id)
        elif not change["new"]:
            current = [q for q in current if q != quality_id]

        def edit(q: Qualities) -> None:
            q.priorities = current

        self.session.edit("qualities", edit)
        self.prio_status.clear()
        self.show_count()
        self.show_rows()
        self.show_summary()

    @guarded()
    def _save_check(self, competency_id: str, change: dict[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        value = int(change["new"])

        def edit(q: Qualities) -> None:
            q.self_check = {**q.self_check, competency_id: value}

        self.session.edit("qualities", edit)
        self.status.clear()

    @guarded()
    def _save_grow(self, change: dict[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        chosen = str(change["new"])

        def edit(q: Qualities) -> None:
            q.grow = chosen

        self.session.edit("qualities", edit)
        self.status.clear()
