"""The mosaic editor: a full-width map, quick add below it, a drawer to change one person.

Adding and changing are two different forms. The "Add a person" form only ever adds and empties
itself afterwards; the drawer opens only when a person is chosen (on the map, in the list, or
from the keyboard) and only ever saves that person, whose name is on its heading and its save
button. Everything the canvas does can also be done with the keyboard: the list opens a person,
and the drawer's "Move" buttons nudge them (like a drag).
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as ipw

from ..analysis.layout import (
    FONT,
    LABEL_GAP,
    LABEL_PAD,
    LABEL_WIDTH,
    LINE_HEIGHT,
    ME_ID,
    ME_SIZE,
    MIN_ZOOM,
    NODE_SIZE,
    RING_FONT,
    SECTOR_FONT,
    MosaicLayout,
    compute_layout,
    short_name,
)
from ..content import Content
from ..model import Person, Position
from ..session import Session
from .browser_actions import browser_actions
from .common import StatusWidget, esc, guarded, html_block
from .graph import GraphEdge, GraphNode, MosaicGraphWidget, pie_style
from .person_form import PersonForm

INK = "#1d3557"
EMPTY = "#cbd5e1"
CURRENT = "#e76f51"
MENTEE = "#6d28d9"
MOVE_STEP = 40.0
SUBMIT_WINDOW = 2.0  # seconds: a name arriving this soon after Enter is what Enter meant
MAP_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def mosaic_style() -> list[dict[str, Any]]:
    """The Cytoscape.js stylesheet of the mosaic map (sizes in layout units)."""
    label = {
        "font-family": MAP_FONT,
        "color": INK,
        "text-wrap": "wrap",
        "text-max-width": LABEL_WIDTH,
        "line-height": LINE_HEIGHT,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": LABEL_PAD,
    }
    return [
        {
            "selector": "node",
            "style": {
                **label,
                "label": "data(label)",
                "font-size": FONT,
                "text-valign": "bottom",
                "text-halign": "center",
                "text-margin-y": LABEL_GAP,
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
            "selector": "node.lbl-left",
            "style": {"text-valign": "center", "text-halign": "left", "text-margin-y": 0,
                      "text-margin-x": -LABEL_GAP, "text-justification": "right"},
        },
        {
            "selector": "node.lbl-right",
            "style": {"text-valign": "center", "text-halign": "right", "text-margin-y": 0,
                      "text-margin-x": LABEL_GAP, "text-justification": "left"},
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
        {"selector": "node.current", "style": {"border-color": CURRENT, "border-width": 6}},
        {"selector": "node.faded", "style": {"opacity": 0.25}},
        {
            "selector": "node.me",
            "style": {
                "width": ME_SIZE,
                "height": ME_SIZE,
                "background-color": INK,
                "font-weight": "bold",
                "events": "no",
            },
        },
        {
            "selector": "node.ring",
            "style": {
                "shape": "ellipse",
                "width": "data(w)",
                "height": "data(h)",
                "background-opacity": 0,
                "border-width": 1.5,
                "border-style": "dotted",
                "border-color": "#94a3b8",
                "label": "",
                "events": "no",
                "z-index": 0,
            },
        },
        {
            "selector": "node.guide",
            "style": {
                "width": 1,
                "height": 1,
                "background-opacity": 0,
                "text-valign": "center",
                "text-margin-y": 0,
                "font-weight": "bold",
                "font-size": SECTOR_FONT,
                "color": "#334155",
                "text-background-opacity": 0,
                "events": "no",
            },
        },
        {
            "selector": "node.ringlabel",
            "style": {"font-weight": "normal", "font-size": RING_FONT, "color": "#475569",
                      "text-background-opacity": 0.9},
        },
        {
            "selector": "edge",
            "style": {"line-color": "#94a3b8", "width": 2, "curve-style": "straight",
                      "events": "no"},
        },
        {"selector": "edge.t1", "style": {"width": 1.2}},
        {"selector": "edge.t3", "style": {"width": 4}},
        {"selector": "edge.potential", "style": {"line-style": "dashed"}},
        {"selector": "edge.faded", "style": {"opacity": 0.2}},
    ]


def describe_person(person: Person, content: Content) -> str:
    """One line about a person, for the list of people (plain text): also how a screen
    reader learns what the map's colours say."""
    if person.role == "mentee":
        who = "my mentee"
    else:
        status = "we talk now" if person.status == "existing" else "to approach"
        who = f"{person.level}, {status}"
    title = f", {person.title}" if person.title else ""
    names = [content.domain_names[d] for d in person.domains if d in content.domain_names]
    text = f"{person.name}{title} — {who}"
    if names:
        text += " · " + ", ".join(names)
    return text

def legend_html() -> str:
    """The short legend under the map: outlines and where people sit."""
    circle = (
        "display:inline-block;width:16px;height:16px;border-radius:50%;margin-right:5px;"
        f"vertical-align:middle;background:{EMPTY};border:3px {{}} {INK}"
    )
    items = (
        f'<span><span aria-hidden="true" style="{circle.format("solid")}"></span>'
        "We talk now</span>"
        f'<span><span aria-hidden="true" style="{circle.format("dashed")}"></span>'
        "Someone to approach</span>"
        '<span><span aria-hidden="true" style="display:inline-block;width:16px;height:16px;'
        f"border-radius:4px;margin-right:5px;vertical-align:middle;background:{EMPTY};"
        f'border:3px solid {MENTEE}"></span>My mentee</span>'
    )
    return (
        '<div class="mm-legend" role="group" aria-label="Legend">'
        f'<div class="mm-legend-items">{items}</div>'
        '<p class="mm-hint">You are in the middle; closer people sit nearer. Colours are kinds of '
        "support (each tick box below shows its colour).</p></div>"
    )


def same_name(one: str, other: str) -> bool:
    """One name typed two ways ("Dr  Lee", "dr lee"): spaces and capitals do not count."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold() != ""


class MosaicEditor(ipw.VBox):
    """Quick add, the map, the list of people and the drawer, reading and writing the session."""

    def __init__(self, session: Session, content: Content, *, prompts: bool = True) -> None:
        super().__init__(layout=ipw.Layout(width="100%"))
        self.add_class("mm-mosaic-editor")
        self.session = session
        self.content = content
        self.status = StatusWidget()  # messages about adding
        self.drawer_status = StatusWidget()  # messages about the person being changed
        self.editing: str | None = None  # the person open in the drawer, if any
        self._loading = False
        self._layout = MosaicLayout()
        self.prompt_index = 0

        # The map is the largest thing on the page: at least 60% of a laptop window's height.
        self.graph = MosaicGraphWidget(self._on_node_select, self._on_node_move,
                                       height="max(420px, 68vh)", phone_height="72vh")
        self.graph.set_style(mosaic_style())
        self.graph.cyto.min_zoom = MIN_ZOOM
        self.graph.cyto.max_zoom = 2.5
        self._build_add_card(prompts)
        # The drawer's controls are made the first time someone is opened (a page that only
        # adds never pays for them).
        self.drawer = ipw.VBox(layout=ipw.Layout(display="none"))
        self.drawer.add_class("mm-card")
        self.drawer.add_class("mm-drawer")
        self._build_list()

        self.map_status = StatusWidget()  # messages about changes made in the drawer
        self.whole_map = False
        self.fit_button = ipw.Button(description="See the whole map", icon="expand",
                                     layout=ipw.Layout(width="auto"),
                                     tooltip="Zoom out until everyone is in view; names may "
                                     "get smaller")
        self.fit_button.on_click(lambda _b: self.toggle_whole_map())
        self.highlight = ipw.Dropdown(
            options=[("Everyone", "")] + [(d.name, d.id) for d in content.domains],
            value="", description="Show who gives", style={"description_width": "auto"},
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.highlight.observe(lambda _c: self.render(), names="value")
        tools = ipw.HBox([self.fit_button, self.highlight],
                         layout=ipw.Layout(flex_flow="row wrap", align_items="center"))
        tools.add_class("mm-wrap")
        tools.add_class("mm-map-tools")
        self.legend = html_block(legend_html())
        # The drawer lies over the map's right side (the whole map on a phone); in the page
        # order it comes right after the list of people, so Tab goes from a name into it.
        map_box = ipw.VBox([self.graph, tools, self.map_status, self.legend, self.people_box,
                            self.drawer],
                           layout=ipw.Layout(width="100%"))
        map_box.add_class("mm-map")
        self.children = [map_box, self.add_card]
        session.on_change(self._on_session_change)
        self.render()
        if prompts:
            self.show_prompt(0)

    # -- building ----------------------------------------------------------------------------------
    def _build_add_card(self, prompts: bool) -> None:
        self.add_form = PersonForm(self.content)
        self._submit_at = 0.0  # when Enter was pressed in the add form's name, waiting for it
        self.add_form.name.on_msg(self._on_name_message)
        self.add_form.name.observe(self._on_name_value, names="value")
        self.add_button = ipw.Button(description="Add to my mosaic", button_style="primary",
                                     icon="plus", layout=ipw.Layout(width="auto"))
        self.add_button.on_click(self._on_add)
        self.prompt_text = html_block("")
        self.prompt_next = ipw.Button(description="Another question", icon="refresh",
                                      layout=ipw.Layout(width="auto"),
                                      tooltip="Show another “who do you go to when…?” question")
        self.prompt_use = ipw.Button(description="Use this question", icon="arrow-down",
                                     layout=ipw.Layout(width="auto"),
                                     tooltip="Fill the kind of support and level for this question")
        self.prompt_next.on_click(lambda _b: self.show_prompt(self.prompt_index + 1))
        self.prompt_use.on_click(self._use_prompt)
        prompt_row = ipw.HBox([self.prompt_text, self.prompt_use, self.prompt_next],
                              layout=ipw.Layout(flex_flow="row wrap", align_items="center",
                                                display="" if prompts else "none"))
        prompt_row.add_class("mm-wrap")
        prompt_row.add_class("mm-prompt-row")
        self.prompt_text.layout = ipw.Layout(flex="1 1 300px", min_width="0")
        self.add_card = ipw.VBox([
            html_block("<h3>Add a person</h3>"),
            prompt_row,
            self.add_form,
            ipw.HBox([self.add_button], layout=ipw.Layout(margin="6px 0 0")),
            self.status,
        ])
        self.add_card.add_class("mm-card")
        self.add_card.add_class("mm-add-card")

    def _build_drawer(self) -> None:
        if self.drawer.children:
            return
        self.edit_form = PersonForm(self.content, prefix="the person being changed", folded=False)
        self.drawer_title = html_block("")
        self.save_button = ipw.Button(description="Save changes", button_style="primary",
                                      icon="check", layout=ipw.Layout(width="auto"))
        self.cancel_button = ipw.Button(description="Close without saving", icon="times",
                                        layout=ipw.Layout(width="auto"))
        self.remove_button = ipw.Button(description="Remove…", button_style="danger",
                                        icon="trash", layout=ipw.Layout(width="auto"))
        self.confirm_label = html_block("")
        self.confirm_yes = ipw.Button(description="Yes, remove", button_style="danger",
                                      layout=ipw.Layout(width="auto"))
        self.confirm_no = ipw.Button(description="Keep", layout=ipw.Layout(width="auto"))
        self.confirm_box = ipw.VBox(
            [self.confirm_label,
             ipw.HBox([self.confirm_yes, self.confirm_no]).add_class("mm-confirm-row")],
            layout=ipw.Layout(display="none", border="2px solid #b91c1c", padding="6px",
                              margin="6px 0"),
        )
        self.save_button.on_click(self._on_save)
        self.cancel_button.on_click(lambda _b: self.close_drawer())
        self.remove_button.on_click(self._on_remove)
        self.confirm_yes.on_click(self._on_confirm_remove)
        self.confirm_no.on_click(self._on_cancel_remove)
        arrow = ipw.Layout(width="auto")
        self.move_buttons = {
            "left": ipw.Button(description="← Left", layout=arrow),
            "up": ipw.Button(description="↑ Up", layout=arrow),
            "down": ipw.Button(description="↓ Down", layout=arrow),
            "right": ipw.Button(description="→ Right", layout=arrow),
        }
        for direction, button in self.move_buttons.items():
            button.on_click(lambda _b, d=direction: self.nudge(d))
        self.reset_button = ipw.Button(description="Put back in its ring", layout=arrow,
                                       tooltip="Forget where this person was dragged")
        self.reset_button.on_click(lambda _b: self.reset_position())
        self.move_label = html_block("")
        moves = ipw.HBox([*self.move_buttons.values(), self.reset_button],
                         layout=ipw.Layout(flex_flow="row wrap"))
        moves.add_class("mm-wrap")
        buttons = ipw.HBox([self.save_button, self.cancel_button, self.remove_button],
                           layout=ipw.Layout(flex_flow="row wrap"))
        buttons.add_class("mm-wrap")
        self.drawer.children = [self.drawer_title, buttons, self.drawer_status,
                                self.confirm_box, self.edit_form, self.move_label, moves]

    def _build_list(self) -> None:
        # One button per person (a list box cannot wrap a long line on a phone).
        self.person_buttons: dict[str, ipw.Button] = {}
        self.people_rows = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.people_rows.add_class("mm-people")
        self.people_box = ipw.VBox([
            html_block('<h3 class="mm-people-title">People in your mosaic</h3>'
                       '<p class="mm-hint">Choose someone to change them, move them or remove '
                       "them.</p>"),
            self.people_rows,
        ])

    # -- the guided questions --------------------------------------------------------------------
    def show_prompt(self, index: int) -> None:
        """Show one of the "who do you go to when ...?" questions."""
        prompts = self.content.mosaic_prompts
        if not prompts:
            self.prompt_text.value = ""
            return
        self.prompt_index = index % len(prompts)
        prompt = prompts[self.prompt_index]
        self.prompt_text.value = (
            f'<p class="mm-prompt"><span class="mm-muted">Need ideas? </span>'
            f"<strong>{esc(prompt.text)}</strong></p>"
        )

    @guarded()
    def _use_prompt(self, _button: Any = None) -> None:
        prompt = self.content.mosaic_prompts[self.prompt_index]
        self.add_form.prefill(domains=list(prompt.domains), level=prompt.level)
        names = ", ".join(self.content.domain_names.get(d, d) for d in prompt.domains)
        self.status.show(f"Ticked {names}. Type the name of the person you thought of, then "
                         "press “Add to my mosaic”.", "info")

    def new_person(self, *, domains: list[str] | None = None, level: str = "",
                   status: str = "existing", role: str = "mentor") -> None:
        """Empty the "Add a person" form, optionally pre-filled."""
        self.add_form.show(None)
        self.add_form.prefill(domains=domains, level=level, status=status, role=role)

    # -- adding ------------------------------------------------------------------------------------
    def _on_name_message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        """Enter in the add form's name adds that person.

        The browser sends Enter ("submit") before the typed name itself, so the add waits for
        the name to arrive; if it was already here (nothing new typed), a second Enter adds.
        """
        if content.get("event") != "submit":
            return
        if self._submit_at and self.add_form.name.value.strip():
            self._submit_at = 0.0
            self._on_add()
        else:
            self._submit_at = time.monotonic()

    def _on_name_value(self, change: dict[str, Any]) -> None:
        if self._submit_at and time.monotonic() - self._submit_at < SUBMIT_WINDOW:
            self._submit_at = 0.0
            if change["new"].strip():
                self._on_add()

    @guarded()
    def _on_add(self, _button: Any = None) -> None:
        self._submit_at = 0.0
        person = self.add_form.person_from_form(None)
        self._refuse_same_name(person)
        self.session.save_person(person)
        self.new_person()
        self.status.show(
            f"Added {person.name} to your mosaic. Add the next person, or choose someone on "
            "the map to change them.",
            "success",
        )

    def _refuse_same_name(self, person: Person) -> None:
        """Two people with one name are almost always one person added twice."""
        for other in self.session.workbook.people:
            if other.id != person.id and same_name(other.name, person.name):
                raise ValueError(
                    f"{other.name} is already in your mosaic. To change them, choose them in the "
                    "list or on the map; if this is someone else, add a detail to the name "
                    "(such as “, surgery”)."
                )

    def toggle_whole_map(self) -> None:
        """Switch between readable names (the default) and the whole map at once."""
        self.whole_map = not self.whole_map
        self.graph.cyto.min_zoom = 0.1 if self.whole_map else MIN_ZOOM
        self.fit_button.description = (
            "Back to readable names" if self.whole_map else "See the whole map"
        )
        self.graph.fit()

    # -- the drawer: one chosen person -----------------------------------------------------------
    def open_person(self, person_id: str) -> None:
        """Open one person in the drawer (what a node click and the list do)."""
        person = self.session.workbook.person(person_id)
        if person is None:
            self.status.show("That person is no longer in your mosaic.", "info")
            return
        if self.editing not in (None, person_id) and not self._keep_open_changes():
            return  # the drawer stays on the person whose changes could not be saved
        if same_name(self.add_form.name.value, person.name):
            # the second "Sam Lee" refused by "Add": the participant now changes the first, as
            # the refusal said; two forms with one name on screen would be one too many
            self.new_person()
            self.status.clear()
        self._build_drawer()
        self.editing = person_id
        self._loading = True
        try:
            self.edit_form.show(person)
        finally:
            self._loading = False
        self._name_drawer(person)
        self.drawer_status.clear()
        self.confirm_box.layout.display = "none"
        self.drawer.layout.display = ""
        # bring the drawer into view (on a phone the list is far below the map)
        browser_actions().scroll(".mm-drawer", "nearest")
        self._select_in_list(person_id)
        self.render()

    def _keep_open_changes(self) -> bool:
        """Save what was typed for the person in the drawer before another one is opened:
        choosing someone else on the map is not "Close without saving". False when the
        changes cannot be saved (the drawer then says why and stays open)."""
        base = self._open()
        if base is None or not self.drawer.children:
            return True
        try:
            self._save_open(base)
        except ValueError as exc:  # a plain message (pydantic's errors are ValueErrors too)
            self.drawer_status.show(
                f"Your changes to {base.name} are not saved yet: {exc} Fix them, or press "
                "“Close without saving”, then choose someone else.", "error")
            return False
        return True

    def _save_open(self, base: Person) -> bool:
        """Save the drawer's form for ``base``; False when nothing changed. ValueError with a
        plain message when it cannot be saved."""
        person = self.edit_form.person_from_form(base)
        if person == base:
            return False
        self._refuse_same_name(person)
        self.session.save_person(person)
        self.map_status.show(f"Saved changes to {person.name}.", "success")
        return True

    def close_drawer(self) -> None:
        """Close the drawer; nothing typed there is saved."""
        self.editing = None
        self.drawer.layout.display = "none"
        if self.drawer.children:
            self.confirm_box.layout.display = "none"
        self._select_in_list(None)
        self.render()

    def _name_drawer(self, person: Person) -> None:
        """Put the person's name on the heading and on every button that acts on them."""
        name = short_name(person.name, 40)
        self.edit_form.describe(name)
        self.drawer_title.value = f"<h3>Change {esc(name)}</h3>"
        self.save_button.description = f"Save changes to {name}"
        self.remove_button.description = f"Remove {name}…"
        self.confirm_yes.description = f"Yes, remove {name}"
        self.move_label.value = (
            f'<div class="mm-label">Move {esc(name)} on the map</div>'
            '<p class="mm-hint">Or drag them on the map.</p>'
        )
        for direction, button in self.move_buttons.items():
            button.tooltip = f"Move {name} {direction}"
        self.reset_button.disabled = person.position is None

    def _open(self) -> Person | None:
        return self.session.workbook.person(self.editing) if self.editing else None

    @guarded("drawer_status")
    def _on_save(self, _button: Any = None) -> None:
        base = self._open()
        if base is None:
            raise ValueError("That person is no longer in your mosaic; nothing was saved.")
        if not self._save_open(base):
            self.map_status.show(f"Nothing to save: {base.name} is as before.", "info")
        # Close the drawer: the only name box left open is the one that adds someone new.
        self.close_drawer()

    @guarded("drawer_status")
    def _on_remove(self, _button: Any = None) -> None:
        person = self._open()
        if person is None:
            return
        self.confirm_label.value = (
            f"<p>Remove {esc(person.name)} from your mosaic? Their managing-up plan and ratings "
            "go too.</p>"
        )
        self.confirm_box.layout.display = ""

    @guarded("drawer_status")
    def _on_confirm_remove(self, _button: Any = None) -> None:
        person = self._open()
        self.confirm_box.layout.display = "none"
        if person is None:
            return
        self.session.remove_person(person.id)
        self.close_drawer()
        self.map_status.show(f"Removed {person.name}.", "success")

    def _on_cancel_remove(self, _button: Any = None) -> None:
        self.confirm_box.layout.display = "none"
        self.drawer_status.show("Nothing was removed.", "info")

    # -- the map ---------------------------------------------------------------------------------
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
            self.reset_button.disabled = False

    @guarded("drawer_status")
    def nudge(self, direction: str) -> None:
        """Move the open person on the map (the keyboard's drag)."""
        person = self._open()
        if person is None:
            return
        x, y = self._layout.positions.get(person.id, (0.0, 0.0))
        dx, dy = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[direction]
        self.session.save_person(
            person.model_copy(
                update={"position": Position(x=x + dx * MOVE_STEP, y=y + dy * MOVE_STEP)}
            )
        )
        self.reset_button.disabled = False

    @guarded("drawer_status")
    def reset_position(self) -> None:
        """Forget a dragged position: the person goes back to their ring."""
        person = self._open()
        if person is None:
            return
        self.session.save_person(person.model_copy(update={"position": None}))
        self.reset_button.disabled = True

    def _select_in_list(self, person_id: str | None) -> None:
        """Mark the chosen person's button (the drawer shows them)."""
        for pid, button in self.person_buttons.items():
            button.button_style = "warning" if pid == person_id else ""

    # -- live updates ----------------------------------------------------------------------------
    def _on_session_change(self, what: str) -> None:
        if what not in ("people", "*", "profile"):
            return
        if self.editing and self._open() is None:
            self.close_drawer()
        elif what == "*" and self.editing:
            self.open_person(self.editing)
        if what == "*":
            self.new_person()
        self.render()

    def render(self) -> None:
        """Redraw the map and the list from the workbook."""
        workbook = self.session.workbook
        people = workbook.people
        me = short_name(workbook.profile.display_name) or "Me"
        layout = compute_layout(people, me_label=me)
        self._layout = layout
        lit = self.highlight.value
        nodes: list[GraphNode] = []
        for ring in layout.rings:
            nodes.append(GraphNode(f"mm-ring-{ring.tie}", "", ("ring",), 0.0, 0.0,
                                   grabbable=False,
                                   data={"w": 2 * ring.rx, "h": 2 * ring.radius}))
            if ring.label:
                nodes.append(GraphNode(f"mm-ringlabel-{ring.tie}", ring.label,
                                       ("guide", "ringlabel"), ring.label_x, ring.label_y,
                                       grabbable=False))
        for i, (label, x, y) in enumerate(layout.sector_labels):
            nodes.append(GraphNode(f"mm-sector-{i}", label, ("guide",), x, y, grabbable=False))
        nodes.append(GraphNode(ME_ID, me, ("me",), 0.0, 0.0, grabbable=False))
        edges: list[GraphEdge] = []
        for person in people:
            x, y = layout.positions[person.id]
            classes = ["person", person.role, person.status,
                       f"lbl-{layout.label_sides.get(person.id, 'below')}"]
            if person.id == self.editing:
                classes.append("current")
            faded = bool(lit) and lit not in person.domains
            if faded:
                classes.append("faded")
            pie = [self.content.domain_colors[d] for d in person.domains
                   if d in self.content.domain_colors]
            nodes.append(
                GraphNode(person.id, short_name(person.name), tuple(classes), x, y, pie,
                          data={"level": person.level, "tie": person.tie_strength})
            )
            edges.append(
                GraphEdge(f"mm-tie-{person.id}", ME_ID, person.id,
                          (f"t{person.tie_strength}", person.status,
                           *(("faded",) if faded else ())))
            )
        self.graph.set_elements(nodes, edges)
        self._render_people(people)

    def _render_people(self, people: list[Person]) -> None:
        for person in people:
            button = self.person_buttons.get(person.id)
            if button is None:
                button = ipw.Button(layout=ipw.Layout(width="100%", height="auto"))
                button.add_class("mm-person-button")
                button.on_click(lambda _b, pid=person.id: self.open_person(pid))
                self.person_buttons[person.id] = button
            text = describe_person(person, self.content)
            if button.description != text:
                button.description = text
            button.button_style = "warning" if person.id == self.editing else ""
        wanted = [self.person_buttons[p.id] for p in people]
        if [id(b) for b in self.people_rows.children] != [id(b) for b in wanted]:
            self.people_rows.children = wanted
        for gone in set(self.person_buttons) - {p.id for p in people}:
            self.person_buttons.pop(gone).close()
