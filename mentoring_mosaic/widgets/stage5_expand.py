"""Stage 5: expand your mosaic — suggestions for each gap, potential mentors, before/after."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import ipywidgets as ipw

from ..analysis.mosaic import LEVEL_ORDER, Gap, existing_only, mosaic_metrics
from ..content import Content
from ..content.schema import Suggestion
from ..exports.mosaic import compare_svg, mosaic_svg
from ..model import Person
from ..session import Session
from .common import DownloadButton, TypingSaver, esc, guarded, html_block, labeled
from .pages import StageView

LEVEL_TITLES = {"junior": "Junior to you", "peer": "Peers", "senior": "Senior to you"}
PER_LEVEL = 2  # suggestions shown per level and gap

INTRO = (
    "<p>Every <strong>gap</strong> in your mosaic is a place to look for someone new, junior, "
    "peer or senior to you. Choose a gap, pick an idea and add a <em>potential</em> mentor "
    "with one click; then give them a first step and a date.</p>"
)


def placeholder_name(suggestion: Suggestion, gap_name: str) -> str:
    """A placeholder such as “a peer for Sponsorship” until the participant names someone."""
    article = "an" if suggestion.level[0] in "aeiou" else "a"
    return f"{article} {suggestion.level} for {gap_name}"[:200]


def add_label(level: str, gap_name: str, idea: int = 1) -> str:
    """What a suggestion's button says: the level, the gap it fills, and which idea."""
    return f"+ Add a potential {level} mentor for {gap_name} (idea {idea})"


def _name_fields(name: str, *widgets: ipw.Widget) -> None:
    """Accessible names that say whose field it is ("First step for Dr Lee")."""
    for widget, label in zip(widgets, ("Name of", "First step for", "By when, for"),
                             strict=True):
        widget.description = f"{label} {name}"


def svg_img(svg: str, alt: str) -> str:
    """An <img> showing an SVG (images cannot run scripts, and the alt text is escaped)."""
    b64 = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{b64}" alt="{esc(alt)}" '
        'style="width:100%;max-width:100%;height:auto;border:1px solid #e2e8f0;border-radius:6px">'
    )


class ExpandView(StageView):
    """Suggestions per gap at junior, peer and senior level; potential mentors; before/after."""

    stage_id = "expand"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self.gaps_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        # one gap at a time: the most needed first, the others one choice away
        self.gap_picker = ipw.Dropdown(options=[],
                                       layout=ipw.Layout(width="100%", max_width="520px"))
        self.gap_picker.observe(lambda _c: self._show_gaps(), names="value")
        self.gap_field = labeled(self.gap_picker, "Find someone for")
        self.potential_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.before = html_block("")
        self.after = html_block("")
        for pane in (self.before, self.after):
            pane.layout = ipw.Layout(flex="1 1 320px", min_width="0", max_width="100%",
                                     margin="0 8px 8px 0")
        compare = ipw.HBox([self.before, self.after], layout=ipw.Layout(flex_flow="row wrap",
                                                                       width="100%"))
        compare.add_class("mm-wrap")
        self.download = DownloadButton(
            "⬇ Picture of my mosaic",
            lambda: (mosaic_svg(self.session.workbook, self.content,
                                title="My mosaic, expanded"), "my-mosaic.svg"),
            "image/svg+xml",
            tooltip="The picture opens in any web browser and prints on one page",
        )
        self.add_buttons: dict[tuple[str, str], ipw.Button] = {}
        self.gap_ids: list[str] = []
        self.gap_cards: dict[str, ipw.Widget] = {}  # built when a gap is first shown
        self.gaps: dict[str, Gap] = {}
        self.idea_numbers: dict[tuple[str, str], int] = {}
        self.rows: dict[str, tuple[ipw.Text, ipw.Textarea, ipw.DatePicker]] = {}
        self.savers: dict[str, TypingSaver] = {}
        self._saving_row = ""
        self._gap_key: tuple = ()
        self._potential_key: tuple = ()
        self._picture_key: tuple = ()
        self._loading = False
        stage = content.stage("expand")
        points = "".join(f"<li>{esc(p)}</li>" for p in stage.key_points)
        self.children = [
            html_block(INTRO + '<details class="mm-fold"><summary>Why this matters</summary>'
                       f"<ul>{points}</ul></details>"),
            html_block("<h2>Your gaps, and where to look</h2>"),
            self.gap_field,
            self.gaps_box,
            html_block("<h2>Your potential mentors: a first step and a date</h2>"),
            # what was added or saved, next to the rows it is about (not at the page's top,
            # out of sight while the participant types in a row)
            self.status,
            self.potential_box,
            html_block("<h2>Your mosaic before and after</h2>"),
            compare,
            self.download,
        ]
        session.on_change(self._on_change)
        self.refresh()

    # -- building --------------------------------------------------------------------------------
    def refresh(self) -> None:
        for saver in self.savers.values():
            saver.cancel()  # the whole workbook was replaced (resume, demo)
        self._gap_key = ()
        self._potential_key = ()
        self._picture_key = ()
        self._render()

    def _on_change(self, what: str) -> None:
        if what in ("people", "needs", "profile"):
            self._render()

    def _render(self) -> None:
        workbook = self.session.workbook
        metrics = mosaic_metrics(workbook, self.content)
        gap_key = tuple(g.domain_id for g in metrics.gaps)
        if gap_key != self._gap_key:
            self._gap_key = gap_key
            self.gaps = {g.domain_id: g for g in metrics.gaps}
            self.gap_cards = {}
            self.add_buttons = {}
            self._set_gap_choices(metrics.gaps)
            self._show_gaps()
        self._update_add_buttons()
        potential = [p for p in workbook.people if p.role == "mentor" and p.status == "potential"]
        potential_key = tuple(p.id for p in potential)
        if potential_key != self._potential_key:
            self._potential_key = potential_key
            self.potential_box.children = self._potential_rows(potential)
        else:
            self._update_rows(potential)
        # the pictures are the costly part (about 50 ms): drawn again only when what they show
        # changed, not when a word is typed elsewhere (stage 1's "what will be new")
        picture_key = (
            workbook.profile.display_name,
            workbook.needs.model_dump_json(),
            tuple(p.model_dump_json() for p in workbook.people),
        )
        if picture_key == self._picture_key:
            return
        self._picture_key = picture_key
        before = existing_only(workbook)
        self.before.value = (
            "<h3>Before: the mentors you have</h3>"
            + svg_img(compare_svg(before, self.content, title="My mosaic today"),
                      "Your mosaic today, with your current mentors only")
        )
        gap_ids = {g.domain_id for g in metrics.gaps}
        fillers = [(p, [self.content.domain_names[d] for d in p.domains if d in gap_ids])
                   for p in potential]
        fillers = [(p, names) for p, names in fillers if names]
        after_svg = compare_svg(workbook, self.content, title="My mosaic, expanded",
                                marked=frozenset(p.id for p, _n in fillers))
        filled = "".join(f"<li>{esc(p.name)}: {esc(', '.join(n))}</li>" for p, n in fillers)
        caption = (
            '<p class="mm-hint">Orange rings mark the new people who would fill a gap:</p>'
            f"<ul class=\"mm-filled\">{filled}</ul>" if fillers
            else '<p class="mm-hint">Nobody new fills a gap yet: add a potential mentor for a '
            "gap above.</p>"
        )
        self.after.value = "<h3>After: with the people you could approach</h3>" + svg_img(
            after_svg, "Your mosaic with the people you could approach added (dashed outlines;"
            " orange rings mark those who would fill a gap)"
        ) + caption

    def _show_gaps(self) -> None:
        """Show the chosen gap's card (or the no-gaps note)."""
        if not self.gap_ids:
            self.gaps_box.children = [html_block(
                "<p>No gaps: every kind of support has at least one current mentor. Look at the "
                "kinds with the least depth in stage 4 and consider a second person there.</p>",
                "mm-card",
            )]
            return
        chosen = self.gap_picker.value or self.gap_ids[0]
        if chosen not in self.gap_cards:
            self.gap_cards[chosen] = self._gap_card(self.gaps[chosen])
            self._update_add_buttons()
        self.gaps_box.children = [self.gap_cards[chosen]]

    def _set_gap_choices(self, gaps: list[Gap]) -> None:
        self.gap_ids = [g.domain_id for g in gaps]
        keep = self.gap_picker.value if self.gap_picker.value in self.gap_ids else None
        options = [(f"{g.name}{' (a top need)' if g.top_need else ''}", g.domain_id)
                   for g in gaps]
        self.gap_picker.options = options
        self.gap_picker.value = keep or (self.gap_ids[0] if self.gap_ids else None)
        self.gap_field.layout.display = "" if gaps else "none"

    def _gap_card(self, gap: Gap) -> ipw.Widget:
        """Ideas at each level for one gap, each with its one-click button."""
        need = f"need {gap.need} of 4" if gap.need else "need not rated in stage 1"
        top = " · one of your top needs" if gap.top_need else ""
        header = html_block(
            f'<h3 style="margin-top:0"><span aria-hidden="true" style="display:inline-block;'
            f"width:14px;height:14px;border-radius:3px;margin-right:6px;"
            f'background:{esc(gap.color)}"></span>{esc(gap.name)}</h3>'
            f'<p class="mm-hint">{esc(need)}{esc(top)}</p>'
        )
        columns = []
        for level in LEVEL_ORDER:
            items: list[ipw.Widget] = [html_block(f"<h4 style='margin:4px 0'>"
                                                  f"{esc(LEVEL_TITLES[level])}</h4>")]
            for n, suggestion in enumerate(gap.suggestions.get(level, [])[:PER_LEVEL], 1):
                self.idea_numbers[(gap.domain_id, suggestion.id)] = n
                items.append(html_block(
                    f"<p style='margin:2px 0'><span class='mm-muted'>Idea {n}:</span> "
                    f"<strong>{esc(suggestion.where)}</strong><br>"
                    f"<span class='mm-hint'>First step: {esc(suggestion.first_step)}</span>"
                    "</p>"
                ))
                button = ipw.Button(
                    description=add_label(level, gap.name, n),
                    tooltip=f"Add {placeholder_name(suggestion, gap.name)}",
                    layout=ipw.Layout(width="auto", margin="0 0 8px 0"),
                )
                button.on_click(
                    lambda _b, s=suggestion, g=gap: self.add_from_suggestion(g.domain_id, s)
                )
                self.add_buttons[(gap.domain_id, suggestion.id)] = button
                items.append(button)
            columns.append(ipw.VBox(items, layout=ipw.Layout(flex="1 1 220px", min_width="0",
                                                             margin="0 8px 0 0")))
        row = ipw.HBox(columns, layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        row.add_class("mm-wrap")
        card = ipw.VBox([header, row])
        card.add_class("mm-card")
        return card

    def _added(self, domain_id: str, suggestion: Suggestion) -> bool:
        return any(
            p.status == "potential" and domain_id in p.domains and p.level == suggestion.level
            and p.next_step == suggestion.first_step
            for p in self.session.workbook.people
        )

    def _update_add_buttons(self) -> None:
        for (domain_id, suggestion_id), button in self.add_buttons.items():
            suggestion = next(s for s in self.content.suggestions if s.id == suggestion_id)
            added = self._added(domain_id, suggestion)
            button.disabled = added
            gap_name = self.content.domain_names.get(domain_id, domain_id)
            n = self.idea_numbers.get((domain_id, suggestion_id), 1)
            button.description = (
                f"✓ Added: a potential {suggestion.level} mentor for {gap_name} (idea {n})"
                if added else add_label(suggestion.level, gap_name, n)
            )

    def _potential_rows(self, people: list[Person]) -> list[ipw.Widget]:
        for saver in self.savers.values():
            saver.flush()  # the rows are made anew: their words are saved first
        self.rows = {}
        self.savers = {}
        if not people:
            return [html_block('<p class="mm-muted">No potential mentors yet: add one from a '
                               "suggestion above, or in stage 4.</p>")]
        out: list[ipw.Widget] = []
        for person in people:
            name = ipw.Text(value=person.name, continuous_update=True,
                            layout=ipw.Layout(width="100%"))
            step = ipw.Textarea(value=person.next_step, continuous_update=True,
                                layout=ipw.Layout(width="100%", height="56px"))
            date = ipw.DatePicker(value=person.next_step_date,
                                  layout=ipw.Layout(width="auto", max_width="100%"))
            _name_fields(person.name, name, step, date)
            fields = [labeled(name, "Name"), labeled(step, "First step"),
                      labeled(date, "By when")]
            # the words save while they are typed, a date at once
            saver = TypingSaver(lambda pid=person.id: self.save_row(pid))
            for widget in (name, step):
                widget.observe(lambda _c, s=saver: self._loading or s.request(), names="value")
            date.observe(lambda _c, s=saver: self._loading or s.save_now(), names="value")
            self.savers[person.id] = saver
            self.rows[person.id] = (name, step, date)
            # one row on a laptop (name, first step, date), stacked on a phone
            for field, flex in zip(fields, ("2 1 200px", "3 1 260px", "1 1 150px"),
                                   strict=True):
                field.layout.flex = flex
                field.layout.min_width = "0"
                field.layout.margin = "0 10px 0 0"
            card = ipw.HBox(fields, layout=ipw.Layout(flex_flow="row wrap", width="100%"))
            card.add_class("mm-card")
            card.add_class("mm-wrap")
            out.append(card)
        return out

    def _update_rows(self, people: list[Person]) -> None:
        """Show changes made elsewhere; never write into the row being typed in (its words
        are newer than the store's), nor over words that only differ in spaces."""
        self._loading = True
        try:
            for person in people:
                name, step, date = self.rows[person.id]
                if person.id != self._saving_row:
                    for field, stored in ((name, person.name), (step, person.next_step)):
                        if field.value.strip() != stored.strip():
                            field.value = stored
                    date.value = person.next_step_date
                _name_fields(person.name, name, step, date)
        finally:
            self._loading = False

    # -- actions ---------------------------------------------------------------------------------
    @guarded()
    def add_from_suggestion(self, domain_id: str, suggestion: Suggestion) -> Person:
        """One click: a potential mentor for this gap at the suggestion's level."""
        gap_name = self.content.domain_names.get(domain_id, domain_id)
        person = Person(
            name=placeholder_name(suggestion, gap_name),
            role="mentor",
            status="potential",
            level=suggestion.level,
            domains=[domain_id],
            tie_strength=1,
            next_step=suggestion.first_step,
            next_step_date=dt.date.today() + dt.timedelta(days=14),
            notes=f"Where to look: {suggestion.where}",
        )
        self.session.save_person(person)
        self.status.show(
            f"Added “{person.name}” as a potential mentor, with a first step due in two weeks. "
            "Give them a real name and date below when you know who.",
            "success",
        )
        return person

    @guarded()
    def save_row(self, person_id: str) -> None:
        """Save one potential mentor's name, first step and date."""
        if self._loading or person_id not in self.rows:
            return
        person = self.session.workbook.person(person_id)
        if person is None:
            return
        name, step, date = self.rows[person_id]
        # an emptied name (half-way to a new one) keeps the stored one; the field is left alone
        typed = name.value.strip()
        self._saving_row = person_id
        try:
            self.session.save_person(Person.model_validate({
                **person.model_dump(),
                "name": typed or person.name,
                "next_step": step.value.strip(),
                "next_step_date": date.value,
            }))
        finally:
            self._saving_row = ""
        if not typed:
            self.status.show(
                f"A potential mentor needs a name: “{person.name}” is kept until you type one.",
                "info",
            )
            return
        self.status.show(f"Saved the first step for {typed}.", "success")
