"""The mosaic editor: the map, a form beside it, the list of people, and the mosaic view.

Everything the canvas does can also be done with the keyboard: the list of people opens a
person in the form (like clicking a node), and the "Move on the map" buttons nudge the open
person or put them back in their ring (like dragging a node).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from ..analysis.layout import ME_ID, ME_SIZE, NODE_SIZE, compute_layout
from ..analysis.mosaic import LEVEL_WORDS, MosaicMetrics, mosaic_metrics
from ..content import Content
from ..model import FREQUENCIES, LEVELS, PLACES, TIE_STRENGTHS, Person, Position
from ..session import Session
from .common import CheckboxGroup, StatusWidget, esc, guarded, html_block, labeled
from .graph import GraphEdge, GraphNode, MosaicGraphWidget, pie_style

INK = "#1d3557"
EMPTY = "#cbd5e1"
CURRENT = "#e76f51"
MENTEE = "#6d28d9"
MOVE_STEP = 40.0

ROLE_OPTIONS = [("Mentors me", "mentor"), ("I mentor them (my mentee)", "mentee")]
STATUS_OPTIONS = [("Existing: we already talk", "existing"), ("Potential: someone to approach",
                                                               "potential")]
LEVEL_OPTIONS = [("Senior to me", "senior"), ("A peer", "peer"), ("Junior to me", "junior")]
FREQUENCY_WORDS = {
    "": "Not set",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "A few times a year",
    "yearly": "About once a year",
    "rarely": "Rarely",
}


def mosaic_style() -> list[dict[str, Any]]:
    """The Cytoscape.js stylesheet of the mosaic map."""
    return [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "font-size": 14,
                "color": INK,
                "text-valign": "bottom",
                "text-halign": "center",
                "text-margin-y": 4,
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.85,
                "text-background-padding": 2,
                "text-max-width": 120,
                "text-wrap": "ellipsis",
                "width": NODE_SIZE,
                "height": NODE_SIZE,
                "background-color": EMPTY,
            },
        },
        pie_style("node.person"),
        {
            "selector": "node.person",
            "style": {"border-width": 3, "border-color": INK, "border-style": "solid"},
        },
        {
            "selector": "node.potential",
            "style": {"border-style": "dashed", "background-image-opacity": 0.6},
        },
        {
            "selector": "node.mentee",
            "style": {"shape": "round-rectangle", "border-color": MENTEE,
                      "background-color": "#ffffff"},
        },
        {
            "selector": "node.current",
            "style": {"border-color": CURRENT, "border-width": 6},
        },
        {
            "selector": "node.me",
            "style": {
                "width": ME_SIZE,
                "height": ME_SIZE,
                "background-color": INK,
                "color": "#ffffff",
                "text-valign": "center",
                "text-margin-y": 0,
                "text-background-opacity": 0,
                "font-weight": "bold",
                "font-size": 13,
                "events": "no",
            },
        },
        {
            "selector": "node.ring",
            "style": {
                "width": "data(size)",
                "height": "data(size)",
                "background-opacity": 0,
                "border-width": 1.5,
                "border-style": "dotted",
                "border-color": "#94a3b8",
                "text-valign": "top",
                "text-margin-y": -2,
                "color": "#475569",
                "font-size": 12,
                "events": "no",
                "z-index": 0,
            },
        },
        {
            "selector": "node.sector",
            "style": {
                "width": 1,
                "height": 1,
                "background-opacity": 0,
                "text-valign": "center",
                "font-weight": "bold",
                "font-size": 14,
                "color": "#475569",
                "text-background-opacity": 0,
                "events": "no",
            },
        },
        {
            "selector": "node.ringlabel",
            "style": {"font-weight": "normal", "font-size": 12, "color": "#475569",
                      "text-background-opacity": 0.85},
        },
        {
            "selector": "edge",
            "style": {"line-color": "#94a3b8", "width": 2, "curve-style": "straight",
                      "events": "no"},
        },
        {"selector": "edge.t1", "style": {"width": 1.2}},
        {"selector": "edge.t3", "style": {"width": 4}},
        {"selector": "edge.potential", "style": {"line-style": "dashed"}},
    ]


def describe_person(person: Person, content: Content) -> str:
    """One line about a person, for the list of people (plain text)."""
    who = "my mentee" if person.role == "mentee" else f"{person.level} mentor, {person.status}"
    names = [content.domain_names[d] for d in person.domains if d in content.domain_names]
    text = f"{person.name} — {who}"
    if names:
        text += " · " + ", ".join(names)
    return text


def legend_html(content: Content) -> str:
    """The legend for the map (and a reminder of what is where)."""
    swatches = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:2px 10px 2px 0">'
        f'<span aria-hidden="true" style="display:inline-block;width:14px;height:14px;'
        f'border-radius:3px;margin-right:5px;background:{esc(d.color)}"></span>'
        f"{esc(d.name)}</span>"
        for d in content.domains
    )
    circle = (
        'display:inline-block;width:16px;height:16px;border-radius:50%;margin-right:5px;'
        f"vertical-align:middle;background:{EMPTY};border:3px {{}} {INK}"
    )
    outlines = (
        f'<span style="margin-right:14px"><span aria-hidden="true" '
        f'style="{circle.format("solid")}"></span>Existing mentor</span>'
        f'<span style="margin-right:14px"><span aria-hidden="true" '
        f'style="{circle.format("dashed")}"></span>Potential mentor</span>'
        f'<span style="margin-right:14px"><span aria-hidden="true" style="display:inline-block;'
        f"width:16px;height:16px;border-radius:4px;margin-right:5px;vertical-align:middle;"
        f'background:{EMPTY};border:3px solid {MENTEE}"></span>My mentee</span>'
        f'<span><span aria-hidden="true" style="display:inline-block;width:16px;height:16px;'
        f"border-radius:50%;margin-right:5px;vertical-align:middle;background:{EMPTY};"
        f'border:4px solid {CURRENT}"></span>Open in the form</span>'
    )
    return (
        '<div class="mm-legend" role="group" aria-label="Legend">'
        "<strong>Legend.</strong> You are in the middle. Close (strong) ties sit nearest to you, "
        "weak ties furthest out. Peers are on the left, seniors at the top, juniors on the right, "
        "your own mentees below. Each person is coloured by the kinds of support they give:"
        f'<div style="margin:6px 0">{outlines}</div><div>{swatches}</div></div>'
    )


# -- the mosaic view: numbers, network kind, domain x level grid ---------------------------

SHADES = ((0, "#ffffff", INK), (2, "#e0ecf8", INK), (4, "#b3d1ef", INK), (99, "#2a6f97", "#fff"))


def _shade(tie_sum: int) -> tuple[str, str]:
    for limit, background, text in SHADES:
        if tie_sum <= limit:
            return background, text
    return SHADES[-1][1], SHADES[-1][2]


def summary_html(metrics: MosaicMetrics, content: Content, *, heading: str = "h3") -> str:
    """Breadth and depth as numbers, the network kind in words, and the grid (escaped)."""
    b = metrics.breadth
    h = heading
    numbers = (
        '<div class="mm-wrap" style="display:flex;flex-wrap:wrap;gap:8px;margin:6px 0">'
        + "".join(
            f'<div class="mm-card" style="flex:1 1 150px;margin:0"><div style="font-size:1.5em;'
            f'font-weight:700;color:{INK}">{esc(value)}</div><div class="mm-muted">'
            f"{esc(label)}</div></div>"
            for value, label in (
                (f"{b.domains} of {b.domains_total}", "domains covered (breadth)"),
                (f"{b.levels} of {b.levels_total} · {b.places} of {b.places_total}",
                 "levels · places (breadth)"),
                (str(metrics.total_depth), "depth: tie strengths added up over all domains"),
                (
                    f"{metrics.existing_mentors} + {metrics.potential_mentors}",
                    "current + potential mentors",
                ),
            )
        )
        + "</div>"
    )
    if metrics.kind is None:
        kind = (
            f"<{h}>Your kind of network</{h}><p>Add the mentors you have now (status "
            "“existing”) to see what kind of network you have.</p>"
        )
    else:
        k = metrics.kind
        kind = (
            f"<{h}>Your kind of network: {esc(k.type.name)}</{h}>"
            f"<p>{esc(k.type.description)}</p>"
            f'<p class="mm-hint">{esc(k.explanation)} (Higgins &amp; Kram: networks differ in '
            "diversity, how many different circles your mentors come from, and in tie "
            "strength.)</p>"
        )
    head = "".join(f'<th scope="col">{esc(LEVEL_WORDS[lvl])}</th>' for lvl in LEVELS)
    rows = []
    for dd in metrics.depth:
        cells = []
        for lvl in LEVELS:
            cell = metrics.grid[dd.domain_id][lvl]
            background, color = _shade(cell.tie_sum)
            text = str(cell.existing) if cell.existing else "–"
            if cell.potential:
                text += f" (+{cell.potential})"
            label = (
                f"{cell.existing} current, {cell.potential} potential"
                if cell.existing or cell.potential
                else "nobody yet"
            )
            cells.append(
                f'<td style="background:{background};color:{color};text-align:center" '
                f'title="{esc(label)}">{esc(text)}</td>'
            )
        swatch = (
            f'<span aria-hidden="true" style="display:inline-block;width:12px;height:12px;'
            f'border-radius:2px;margin-right:6px;background:{esc(dd.color)}"></span>'
        )
        if dd.is_gap:
            need = f"need {dd.need} of 4" if dd.need else "need not rated"
            top = " · a top need" if dd.top_need else ""
            flag = (
                f'<br><span style="display:inline-block;background:#fef2f2;color:#7f1d1d;'
                f'border:1px solid #b91c1c;border-radius:4px;padding:0 6px;font-size:0.85em">'
                f"Gap · {esc(need)}{esc(top)}</span>"
            )
            style = ' style="box-shadow:inset 4px 0 0 #b91c1c"'
        else:
            flag, style = "", ""
        rows.append(
            f'<tr{style}><th scope="row" style="font-weight:600">{swatch}{esc(dd.name)}{flag}'
            f'</th>{"".join(cells)}<td style="text-align:center">{dd.tie_sum}</td></tr>'
        )
    grid = (
        f"<{h}>Depth and breadth, domain by level</{h}>"
        '<p class="mm-hint">Each square counts your current mentors for that kind of support at '
        "that level (potential mentors in brackets). Darker squares have more, or closer, people "
        "behind them. Depth adds up tie strengths: weak 1, moderate 2, strong 3. A red mark is a "
        "gap: nobody supports you there yet.</p>"
        '<div style="overflow-x:auto;max-width:100%" tabindex="0" role="region" '
        'aria-label="Depth and breadth grid">'
        '<table class="mm-table mm-grid"><caption class="mm-muted" style="text-align:left">'
        "Your mosaic: domains of support against levels</caption>"
        f'<thead><tr><th scope="col">Domain</th>{head}<th scope="col">Depth</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    gap_names = ", ".join(g.name for g in metrics.gaps)
    gaps = (
        f'<p><strong>Gaps ({len(metrics.gaps)}):</strong> {esc(gap_names)}</p>'
        if metrics.gaps
        else "<p><strong>No gaps:</strong> every domain has at least one current mentor.</p>"
    )
    return numbers + gaps + kind + grid


class MosaicSummary(ipw.HTML):
    """The mosaic view (numbers, network kind, grid), updated on every change."""

    def __init__(self, session: Session, content: Content, *, live: bool = True) -> None:
        super().__init__()
        self.session = session
        self.content = content
        self.add_class("mm-mosaic-summary")
        if live:
            session.on_change(lambda _what: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the workbook."""
        self.metrics = mosaic_metrics(self.session.workbook, self.content)
        self.value = summary_html(self.metrics, self.content)


# -- the editor ------------------------------------------------------------------------------


class MosaicEditor(ipw.VBox):
    """The map, the person form and the list of people, reading and writing the session."""

    def __init__(self, session: Session, content: Content, *, height: int = 500) -> None:
        super().__init__(layout=ipw.Layout(width="100%"))
        self.add_class("mm-mosaic-editor")
        self.session = session
        self.content = content
        self.status = StatusWidget()
        self.editing: str | None = None  # id of the person in the form; None = a new person
        self._loading = False
        self.on_people_changed: list[Callable[[], None]] = []

        self.graph = MosaicGraphWidget(self._on_node_select, self._on_node_move, height=height)
        self.graph.set_style(mosaic_style())
        self._build_form()
        self._build_list()

        self.fit_button = ipw.Button(description="Fit the map to the window", icon="expand",
                                     layout=ipw.Layout(width="auto", align_self="flex-start"),
                                     tooltip="Zoom and centre so that everyone is in view")
        self.fit_button.on_click(lambda _b: self.graph.fit())
        self.legend = html_block(legend_html(content), "mm-card")
        map_box = ipw.VBox(
            [
                html_block("<h3>Your mosaic map</h3>"),
                html_block(
                    '<p class="mm-hint">Click a person to open them in the form; drag them to '
                    "arrange the map; scroll or pinch to zoom. Or use the list and the buttons "
                    "below the map.</p>"
                ),
                self.graph,
                self.fit_button,
                self.legend,
                self.people_box,
            ],
            layout=ipw.Layout(flex="3 1 440px", min_width="0", max_width="100%"),
        )
        self.form_box.layout = ipw.Layout(flex="2 1 300px", min_width="0", max_width="100%",
                                          margin="0 0 0 8px")
        row = ipw.HBox([map_box, self.form_box], layout=ipw.Layout(flex_flow="row wrap",
                                                                  width="100%"))
        row.add_class("mm-wrap")
        self.children = [row]
        session.on_change(self._on_session_change)
        self.render()
        self.new_person()

    # -- form --------------------------------------------------------------------------------
    def _build_form(self) -> None:
        wide = ipw.Layout(width="100%")
        self.form_title = ipw.HTML("<h3>Add a person</h3>")
        self.name = ipw.Text(
            placeholder="A name, or a placeholder such as “a peer in QI”",
            continuous_update=False,
            layout=wide,
        )
        self.role = ipw.Dropdown(options=ROLE_OPTIONS, value="mentor", layout=wide)
        self.status_choice = ipw.Dropdown(options=STATUS_OPTIONS, value="existing", layout=wide)
        self.level = ipw.Dropdown(options=LEVEL_OPTIONS, value="senior", layout=wide)
        self.place = ipw.Dropdown(options=[(v, k) for k, v in PLACES.items()],
                                  value="institution", layout=wide)
        self.domains = CheckboxGroup([(d.name, d.id) for d in self.content.domains])
        self.domain_boxes = self.domains.boxes
        self.tie = ipw.Dropdown(options=[(v, k) for k, v in TIE_STRENGTHS.items()], value=2,
                                layout=wide)
        self.frequency = ipw.Dropdown(options=[(FREQUENCY_WORDS[f], f) for f in FREQUENCIES],
                                      value="", layout=wide)
        self.qualities = CheckboxGroup([(q.name, q.id) for q in self.content.qualities])
        self.next_step = ipw.Textarea(
            placeholder="e.g. Ask for a 20-minute coffee to talk about my fellowship plans",
            continuous_update=False,
            layout=ipw.Layout(width="100%", height="64px"),
        )
        self.next_step_date = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="240px"))

        self.add_button = ipw.Button(description="Add to my mosaic", button_style="primary",
                                     icon="plus", layout=ipw.Layout(width="auto"))
        self.save_button = ipw.Button(description="Save changes", button_style="primary",
                                      icon="check", layout=ipw.Layout(width="auto"))
        self.remove_button = ipw.Button(description="Remove…", button_style="danger",
                                        icon="trash", layout=ipw.Layout(width="auto"))
        self.new_button = ipw.Button(description="New person", icon="user-plus",
                                     layout=ipw.Layout(width="auto"),
                                     tooltip="Clear the form to add someone new")
        self.confirm_label = ipw.Label("")
        self.confirm_yes = ipw.Button(description="Yes, remove", button_style="danger",
                                      layout=ipw.Layout(width="auto"))
        self.confirm_no = ipw.Button(description="Keep", layout=ipw.Layout(width="auto"))
        self.confirm_box = ipw.VBox(
            [self.confirm_label, ipw.HBox([self.confirm_yes, self.confirm_no])],
            layout=ipw.Layout(display="none", border="2px solid #b91c1c", padding="6px",
                              margin="6px 0"),
        )
        self.add_button.on_click(self._on_add)
        self.save_button.on_click(self._on_save)
        self.remove_button.on_click(self._on_remove)
        self.confirm_yes.on_click(self._on_confirm_remove)
        self.confirm_no.on_click(self._on_cancel_remove)
        self.new_button.on_click(lambda _b: self.new_person())
        buttons = ipw.HBox([self.add_button, self.save_button, self.remove_button,
                            self.new_button], layout=ipw.Layout(flex_flow="row wrap"))
        buttons.add_class("mm-wrap")
        self.form_box = ipw.VBox(
            [
                self.form_title,
                labeled(self.name, "Name"),
                labeled(self.role, "Their role"),
                labeled(self.status_choice, "Status"),
                labeled(self.level, "Level, relative to you"),
                labeled(self.place, "Where they are"),
                ipw.Label("Kinds of support they give", style={"font_weight": "600"}),
                self.domains,
                labeled(self.tie, "How close are you? (tie strength)"),
                labeled(self.frequency, "How often do you talk?"),
                ipw.Label("Mentor qualities you see in them", style={"font_weight": "600"}),
                self.qualities,
                labeled(self.next_step, "My next step with them"),
                labeled(self.next_step_date, "By when?"),
                buttons,
                self.confirm_box,
                self.status,
            ]
        )
        self.form_box.add_class("mm-card")

    def _build_list(self) -> None:
        self.people_list = ipw.Select(options=[], rows=6, layout=ipw.Layout(width="100%"))
        self.people_list.observe(self._on_list_select, names="value")
        arrow = ipw.Layout(width="auto")
        self.move_buttons = {
            "left": ipw.Button(description="← Left", layout=arrow,
                               tooltip="Move the open person left on the map"),
            "up": ipw.Button(description="↑ Up", layout=arrow,
                             tooltip="Move the open person up on the map"),
            "down": ipw.Button(description="↓ Down", layout=arrow,
                               tooltip="Move the open person down on the map"),
            "right": ipw.Button(description="→ Right", layout=arrow,
                                tooltip="Move the open person right on the map"),
        }
        for direction, button in self.move_buttons.items():
            button.on_click(lambda _b, d=direction: self.nudge(d))
        self.reset_button = ipw.Button(description="Put back in its ring", layout=arrow,
                                       tooltip="Forget where this person was dragged")
        self.reset_button.on_click(lambda _b: self.reset_position())
        moves = ipw.HBox([*self.move_buttons.values(), self.reset_button],
                         layout=ipw.Layout(flex_flow="row wrap"))
        moves.add_class("mm-wrap")
        self.people_box = ipw.VBox(
            [
                labeled(self.people_list, "People in your mosaic",
                        "Choose someone to open them in the form."),
                ipw.Label("Move the open person on the map", style={"font_weight": "600"}),
                moves,
            ]
        )

    # -- reading and writing the form ----------------------------------------------------------
    def _set_form(self, person: Person | None) -> None:
        self._loading = True
        try:
            p = person or Person(name="placeholder")
            self.name.value = person.name if person else ""
            self.role.value = p.role
            self.status_choice.value = p.status
            self.level.value = p.level
            self.place.value = p.place
            self.domains.value = tuple(d for d in p.domains if d in self.domain_boxes)
            self.tie.value = p.tie_strength
            self.frequency.value = p.frequency
            known = {q.id for q in self.content.qualities}
            self.qualities.value = tuple(q for q in p.qualities if q in known)
            self.next_step.value = p.next_step
            self.next_step_date.value = p.next_step_date
        finally:
            self._loading = False

    def _form_person(self, base: Person | None) -> Person:
        """A validated Person from the form (raises ValueError with a plain message)."""
        name = self.name.value.strip()
        if not name:
            raise ValueError(
                "Please give a name, or a placeholder such as “a peer in QI”, then try again."
            )
        chosen = list(self.domains.value)
        # keep domain ids this content does not know (from another content set)
        extra = [d for d in (base.domains if base else []) if d not in self.domain_boxes]
        known_q = {q.id for q in self.content.qualities}
        kept_q = [q for q in (base.qualities if base else []) if q not in known_q]
        values = {
            "name": name,
            "role": self.role.value,
            "status": self.status_choice.value,
            "level": self.level.value,
            "place": self.place.value,
            "domains": chosen + extra,
            "tie_strength": self.tie.value,
            "frequency": self.frequency.value,
            "qualities": list(self.qualities.value) + kept_q,
            "next_step": self.next_step.value.strip(),
            "next_step_date": self.next_step_date.value,
        }
        if base is None:
            return Person.model_validate(values)
        return Person.model_validate({**base.model_dump(), **values})

    def _show_mode(self) -> None:
        person = self.session.workbook.person(self.editing) if self.editing else None
        editing = person is not None
        self.form_title.value = (
            f"<h3>Editing: {esc(person.name)}</h3>" if person else "<h3>Add a person</h3>"
        )
        self.add_button.layout.display = "none" if editing else ""
        self.save_button.layout.display = "" if editing else "none"
        self.remove_button.layout.display = "" if editing else "none"
        for button in (*self.move_buttons.values(), self.reset_button):
            button.disabled = not editing
        self.reset_button.disabled = not (editing and person.position is not None)
        self.confirm_box.layout.display = "none"

    # -- public actions (also used by stage views) ------------------------------------------------
    def new_person(self, *, domains: list[str] | None = None, level: str = "",
                   status: str = "existing", role: str = "mentor") -> None:
        """Clear the form for someone new, optionally pre-filled (guided prompts)."""
        self.editing = None
        self._set_form(None)
        self._loading = True
        try:
            self.domains.value = tuple(d for d in domains or [] if d in self.domain_boxes)
            if level in LEVELS:
                self.level.value = level
            self.status_choice.value = status
            self.role.value = role
        finally:
            self._loading = False
        self._select_in_list(None)
        self._show_mode()
        self.render()

    def open_person(self, person_id: str) -> None:
        """Open one person in the form (what a node click and the list do)."""
        person = self.session.workbook.person(person_id)
        if person is None:
            self.status.show("That person is no longer in your mosaic.", "info")
            return
        self.editing = person_id
        self._set_form(person)
        self._select_in_list(person_id)
        self._show_mode()
        self.status.clear()
        self.render()

    @guarded()
    def _on_add(self, _button: Any = None) -> None:
        person = self._form_person(None)
        previous = self.editing
        self.editing = person.id  # so the redraw after saving marks the new node as open
        try:
            self.session.save_person(person)
        except Exception:
            self.editing = previous
            raise
        self._select_in_list(person.id)
        self._show_mode()
        self.status.show(f"Added {person.name} to your mosaic.", "success")

    @guarded()
    def _on_save(self, _button: Any = None) -> None:
        base = self.session.workbook.person(self.editing) if self.editing else None
        if base is None:
            self._on_add()
            return
        person = self._form_person(base)
        self.session.save_person(person)
        self._show_mode()
        self.status.show(f"Saved {person.name}.", "success")

    @guarded()
    def _on_remove(self, _button: Any = None) -> None:
        person = self.session.workbook.person(self.editing) if self.editing else None
        if person is None:
            return
        self.confirm_label.value = (
            f"Remove {person.name} from your mosaic? Their managing-up plan and ratings go too."
        )
        self.confirm_box.layout.display = ""

    @guarded()
    def _on_confirm_remove(self, _button: Any = None) -> None:
        person = self.session.workbook.person(self.editing) if self.editing else None
        self.confirm_box.layout.display = "none"
        if person is None:
            return
        self.session.remove_person(person.id)
        self.new_person()
        self.status.show(f"Removed {person.name}.", "success")

    def _on_cancel_remove(self, _button: Any = None) -> None:
        self.confirm_box.layout.display = "none"
        self.status.show("Nothing was removed.", "info")

    @guarded()
    def _on_node_select(self, node_id: str) -> None:
        if node_id == ME_ID or node_id.startswith("mm-"):
            return
        self.open_person(node_id)

    @guarded()
    def _on_node_move(self, node_id: str, x: float, y: float) -> None:
        person = self.session.workbook.person(node_id)
        if person is None:
            return
        self.session.save_person(
            person.model_copy(update={"position": Position(x=round(x, 1), y=round(y, 1))})
        )
        if self.editing == node_id:
            self._show_mode()

    @guarded()
    def nudge(self, direction: str) -> None:
        """Move the open person on the map (the keyboard's drag)."""
        person = self.session.workbook.person(self.editing) if self.editing else None
        if person is None:
            return
        x, y = self._layout.positions.get(person.id, (0.0, 0.0))
        dx, dy = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[direction]
        self.session.save_person(
            person.model_copy(
                update={"position": Position(x=x + dx * MOVE_STEP, y=y + dy * MOVE_STEP)}
            )
        )
        self._show_mode()

    @guarded()
    def reset_position(self) -> None:
        """Forget a dragged position: the person goes back to their ring."""
        person = self.session.workbook.person(self.editing) if self.editing else None
        if person is None:
            return
        self.session.save_person(person.model_copy(update={"position": None}))
        self._show_mode()

    def _on_list_select(self, change: dict[str, Any]) -> None:
        if self._loading or not change["new"]:
            return
        if change["new"] != self.editing:
            self.open_person(change["new"])

    def _select_in_list(self, person_id: str | None) -> None:
        self._loading = True
        try:
            ids = {value for _label, value in self.people_list.options}
            self.people_list.value = person_id if person_id in ids else None
        finally:
            self._loading = False

    # -- live updates ---------------------------------------------------------------------------
    def _on_session_change(self, what: str) -> None:
        if what not in ("people", "*", "profile"):
            return
        if what == "*":
            person = self.session.workbook.person(self.editing) if self.editing else None
            if person is None:
                self.new_person()
            else:
                self.open_person(person.id)
            return
        if self.editing and self.session.workbook.person(self.editing) is None:
            self.new_person()
            return
        self.render()
        for callback in self.on_people_changed:
            callback()

    def render(self) -> None:
        """Redraw the map and the list from the workbook."""
        workbook = self.session.workbook
        people = workbook.people
        layout = compute_layout(people)
        self._layout = layout
        nodes: list[GraphNode] = []
        for ring in layout.rings:
            nodes.append(
                GraphNode(f"mm-ring-{ring.tie}", "", ("ring",), 0.0, 0.0,
                          grabbable=False, size=2 * ring.radius)
            )
            nodes.append(
                GraphNode(f"mm-ringlabel-{ring.tie}", ring.label, ("sector", "ringlabel"),
                          ring.label_x, ring.label_y, grabbable=False)
            )
        for i, (label, x, y) in enumerate(layout.sector_labels):
            nodes.append(GraphNode(f"mm-sector-{i}", label, ("sector",), x, y, grabbable=False))
        me = workbook.profile.display_name.strip() or "Me"
        nodes.append(GraphNode(ME_ID, me[:10], ("me",), 0.0, 0.0, grabbable=False))
        edges: list[GraphEdge] = []
        for person in people:
            x, y = layout.positions[person.id]
            classes = ["person", person.role, person.status]
            if person.id == self.editing:
                classes.append("current")
            pie = [self.content.domain_colors[d] for d in person.domains
                   if d in self.content.domain_colors]
            nodes.append(
                GraphNode(person.id, _short(person.name), tuple(classes), x, y, pie,
                          data={"level": person.level, "tie": person.tie_strength})
            )
            edges.append(
                GraphEdge(f"mm-tie-{person.id}", ME_ID, person.id,
                          (f"t{person.tie_strength}", person.status))
            )
        self.graph.set_elements(nodes, edges)
        options = [(describe_person(p, self.content), p.id) for p in people]
        if list(self.people_list.options) != options:
            self._loading = True
            try:
                self.people_list.options = options
                ids = {p.id for p in people}
                self.people_list.value = self.editing if self.editing in ids else None
            finally:
                self._loading = False


def _short(name: str, limit: int = 22) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
