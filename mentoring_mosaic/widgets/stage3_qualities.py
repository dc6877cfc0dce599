"""Stage 3: what good mentoring looks like.

The leader-presented cards (with their sources), a compact rating of each current mentor
against the qualities, the participant's own priorities, and, for participants who mentor
others, a short self-check on the mentoring competencies.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..model import Qualities
from ..session import Session
from .common import StatusWidget, esc, guarded, html_block, labeled
from .pages import StageView
from .stage1_needs import rating_dropdown, rating_style

MAX_PRIORITIES = 5
STRENGTH = 3
"""A quality rated this high (0-4) counts as one the participant sees in that mentor."""

QUALITY_OPTIONS = [
    ("0 – not seen", 0),
    ("1 – rarely", 1),
    ("2 – sometimes", 2),
    ("3 – often", 3),
    ("4 – a real strength", 4),
]
CONFIDENCE_OPTIONS = [
    ("0 – not confident", 0),
    ("1 – a little", 1),
    ("2 – fairly", 2),
    ("3 – confident", 3),
    ("4 – very confident", 4),
]


def card_html(content: Content, card: Any) -> str:
    """One leader-presented card, escaped, with its source."""
    bullets = "".join(f"<li>{esc(b)}</li>" for b in card.bullets)
    try:
        source = content.source(card.source).citation
    except KeyError:
        source = card.source
    return (
        f'<h3 style="margin-top:0">{esc(card.title)}</h3><p>{esc(card.intro)}</p>'
        f'<ul style="padding-left:20px;margin:4px 0">{bullets}</ul>'
        f'<p class="mm-hint" style="margin-bottom:0">Source: {esc(source)}</p>'
    )


def _card(*children: ipw.Widget) -> ipw.VBox:
    box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
    box.add_class("mm-card")
    return box


def _row(label_html: str, control: ipw.Widget) -> ipw.HBox:
    label = html_block(label_html)
    label.layout = ipw.Layout(flex="1 1 260px", min_width="0")
    row = ipw.HBox(
        [label, control],
        layout=ipw.Layout(
            flex_flow="row wrap",
            align_items="center",
            border_bottom="1px solid #e2e8f0",
            padding="3px 0",
            width="100%",
        ),
    )
    row.add_class("mm-wrap")
    return row


class QualitiesView(StageView):
    """Stage 3: cards, ratings of current mentors, own priorities, mentor self-check."""

    stage_id = "qualities"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False

        cards = [
            html_block(card_html(content, card), "mm-card", "mm-info-card")
            for card in content.cards
        ]
        for block in cards:
            block.layout = ipw.Layout(margin="0", min_width="0")
        self.cards_box = ipw.GridBox(
            cards,
            layout=ipw.Layout(
                grid_template_columns="repeat(auto-fill, minmax(280px, 1fr))",
                grid_gap="12px",
                width="100%",
                margin="6px 0",
            ),
        )

        # ratings of the current mentors
        self.picker = ipw.Dropdown(options=[], layout=ipw.Layout(width="100%", max_width="400px"))
        self.picker.observe(self._on_pick, names="value")
        self.ratings: dict[str, ipw.Dropdown] = {}
        rows = []
        for q in content.qualities:
            dropdown = rating_dropdown("Seen", f"{q.name} in this mentor", QUALITY_OPTIONS,
                                       width="240px")
            dropdown.observe(lambda ch, qid=q.id: self._save_rating(qid, ch), names="value")
            self.ratings[q.id] = dropdown
            rows.append(
                _row(
                    f"<strong>{esc(q.name)}</strong><br>"
                    f'<span class="mm-hint">{esc(q.description)}</span>',
                    dropdown,
                )
            )
        self.rating_rows = ipw.VBox(rows, layout=ipw.Layout(width="100%"))
        self.no_mentors = html_block(
            '<p class="mm-hint">You have not listed any current mentors yet. Add them in '
            "stage 2 (Managing up), then rate them here.</p>"
        )
        self.summary = html_block("")
        self.rate_box = ipw.VBox(
            [labeled(self.picker, "Mentor to rate"), self.rating_rows, self.summary],
            layout=ipw.Layout(width="100%"),
        )

        # own priorities
        self.priorities: dict[str, ipw.Checkbox] = {}
        for q in content.qualities:
            box = ipw.Checkbox(
                description=q.name, indent=False,
                layout=ipw.Layout(width="260px", max_width="100%"),
            )
            box.observe(lambda ch, qid=q.id: self._on_priority(qid, ch), names="value")
            box.add_class("mm-check")
            self.priorities[q.id] = box
        prio_box = ipw.HBox(list(self.priorities.values()),
                            layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        prio_box.add_class("mm-wrap")
        self.prio_status = StatusWidget()

        # self-check for those who mentor others
        self.self_check: dict[str, ipw.Dropdown] = {}
        check_rows = []
        for c in content.competencies:
            dropdown = rating_dropdown("I am", f"confident: {c.name}", CONFIDENCE_OPTIONS,
                                       width="240px")
            dropdown.observe(lambda ch, cid=c.id: self._save_check(cid, ch), names="value")
            self.self_check[c.id] = dropdown
            check_rows.append(
                _row(
                    f"<strong>{esc(c.name)}</strong><br>"
                    f'<span class="mm-hint">{esc(c.question)}</span>',
                    dropdown,
                )
            )
        self.check_box = _card(
            html_block(
                "<h2>My mentor self-check</h2>"
                '<p class="mm-hint">You also mentor others. How confident are you in each of '
                "the six mentoring competencies? Pick one to grow this year.</p>"
            ),
            ipw.VBox(check_rows, layout=ipw.Layout(width="100%")),
        )
        self.check_note = html_block(
            '<p class="mm-hint">Do you also mentor students, residents or junior colleagues? '
            "Tick “I also mentor others” on the Welcome page (or add a mentee in your mosaic) "
            "to get a short mentor self-check here.</p>"
        )

        self.children = [
            rating_style(),
            html_block(
                "<p>What separates mentoring that works from mentoring that fails? Read the "
                "cards, then look at your own mentors with the same eyes, and decide what "
                "matters most to you in the mentors you will look for next.</p>"
            ),
            self.cards_box,
            _card(
                html_block(
                    "<h2>My mentors against these qualities</h2>"
                    '<p class="mm-hint">No one shows all of them: that is why you build a '
                    "mosaic.</p>"
                ),
                self.no_mentors,
                self.rate_box,
            ),
            _card(
                html_block(
                    "<h2>What matters most to me</h2>"
                    f'<p class="mm-hint">Tick up to {MAX_PRIORITIES} qualities you most want '
                    "in your mentors.</p>"
                ),
                prio_box,
                self.prio_status,
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

    def refresh(self) -> None:
        q = self.session.workbook.qualities
        self._loading = True
        try:
            for qid, box in self.priorities.items():
                box.value = qid in q.priorities
            for cid, dropdown in self.self_check.items():
                dropdown.value = q.self_check.get(cid, 0)
        finally:
            self._loading = False
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
            options = [(p.name, p.id) for p in mentors]
            if list(self.picker.options) != options:
                self.picker.options = options
            self.picker.value = current if current in ids else (ids[0] if ids else None)
        finally:
            self._loading = False
        self.no_mentors.layout.display = "none" if mentors else ""
        self.rate_box.layout.display = "" if mentors else "none"
        self.load_ratings()

    def load_ratings(self) -> None:
        """Show the picked mentor's ratings and the summary across mentors."""
        given = self.session.workbook.qualities.ratings.get(self.mentor_id, {})
        self._loading = True
        try:
            for qid, dropdown in self.ratings.items():
                dropdown.value = given.get(qid, 0)
        finally:
            self._loading = False
        self.show_summary()

    def show_summary(self) -> None:
        """Which qualities each mentor shows, and which none of them shows strongly yet."""
        wb = self.session.workbook
        mentors = wb.current_mentors
        if not mentors:
            self.summary.value = ""
            return
        ratings = wb.qualities.ratings
        lines = []
        for p in mentors:
            strong = [
                self.content.quality(qid).name
                for qid, value in ratings.get(p.id, {}).items()
                if value >= STRENGTH and qid in self.ratings
            ]
            shown = ", ".join(strong) if strong else "none rated 3 or more yet"
            lines.append(f"<li><strong>{esc(p.name)}</strong>: {esc(shown)}</li>")
        covered = {
            qid
            for p in mentors
            for qid, value in ratings.get(p.id, {}).items()
            if value >= STRENGTH
        }
        missing = [q.name for q in self.content.qualities if q.id not in covered]
        gap = (
            f"<p>Not yet a strength of any of your mentors: {esc(', '.join(missing))}. "
            "Keep these in mind when you expand your mosaic.</p>"
            if missing and covered
            else ""
        )
        self.summary.value = (
            '<h3>Strengths you see (rated 3 or 4)</h3>'
            f'<ul style="padding-left:20px">{"".join(lines)}</ul>{gap}'
        )

    # -- writing --------------------------------------------------------------------------
    @guarded()
    def _on_pick(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.load_ratings()

    @guarded()
    def _save_rating(self, quality_id: str, change: dict[str, Any]) -> None:
        if self._loading or not self.mentor_id:
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

    @guarded()
    def _save_check(self, competency_id: str, change: dict[str, Any]) -> None:
        if self._loading:
            return
        value = int(change["new"])

        def edit(q: Qualities) -> None:
            q.self_check = {**q.self_check, competency_id: value}

        self.session.edit("qualities", edit)
        self.status.clear()
