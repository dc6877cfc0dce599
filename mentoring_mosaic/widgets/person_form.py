"""The form for one person in the mosaic: the essentials in one row, the rest folded.

Two of these live in the mosaic editor: one that only ever adds ("Add a person") and one that
only ever edits the person named on its heading and its save button. Keeping them apart is
what makes it impossible to rename someone by typing the next name into the wrong form.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..model import FREQUENCIES, LEVELS, PLACES, TIE_STRENGTHS, Person
from .common import CheckboxGroup, html_block, labeled

WHO_OPTIONS = [
    ("Senior to me", "mentor:senior"),
    ("A peer", "mentor:peer"),
    ("Junior to me", "mentor:junior"),
    ("My mentee (I mentor them)", "mentee:"),
]
STATUS_OPTIONS = [("We already talk", "existing"), ("Someone to approach", "potential")]
FREQUENCY_WORDS = {
    "": "Not set",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "A few times a year",
    "yearly": "About once a year",
    "rarely": "Rarely",
}
TIE_WORDS = {1: "Not close (we rarely talk)", 2: "Fairly close", 3: "Very close"}


def who_value(person: Person) -> str:
    """The "who are they to you" choice of a person."""
    return "mentee:" if person.role == "mentee" else f"mentor:{person.level}"


class PersonForm(ipw.VBox):
    """Fields for one person; ``person_from_form`` turns them into a validated :class:`Person`."""

    def __init__(self, content: Content, *, prefix: str = "", folded: bool = True) -> None:
        super().__init__(layout=ipw.Layout(width="100%"))
        self.content = content
        self.prefix = prefix  # words that make the accessible names unique on the page
        self.name = ipw.Text(
            placeholder="A name, or “a peer in QI”",
            continuous_update=False,
            layout=ipw.Layout(width="100%"),
        )
        self.who = ipw.Dropdown(options=WHO_OPTIONS, value="mentor:senior",
                                layout=ipw.Layout(width="100%"))
        self.status_choice = ipw.ToggleButtons(options=STATUS_OPTIONS, value="existing",
                                               style={"button_width": "auto"})
        self.status_choice.add_class("mm-segmented")
        # each kind of support shows its colour on the map: the form is also the key
        self.domains = CheckboxGroup([(d.name, d.id) for d in content.domains],
                                     colors=content.domain_colors)
        self.domains.add_class("mm-support-boxes")
        self.title = ipw.Text(placeholder="e.g. program director", continuous_update=False,
                              layout=ipw.Layout(width="100%"))
        self.place = ipw.Dropdown(options=[(v, k) for k, v in PLACES.items()],
                                  value="institution", layout=ipw.Layout(width="100%"))
        self.tie = ipw.Dropdown(options=[(TIE_WORDS[k], k) for k in TIE_STRENGTHS], value=2,
                                layout=ipw.Layout(width="100%"))
        self.frequency = ipw.Dropdown(options=[(FREQUENCY_WORDS[f], f) for f in FREQUENCIES],
                                      value="", layout=ipw.Layout(width="100%"))
        self.qualities = CheckboxGroup([(q.name, q.id) for q in content.qualities])
        self.next_step = ipw.Textarea(
            placeholder="e.g. Ask for a 20-minute coffee about my fellowship plans",
            continuous_update=False,
            layout=ipw.Layout(width="100%", height="64px"),
        )
        self.next_step_date = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="240px"))

        names = {
            self.name: "Name",
            self.who: "Who are they to you?",
            self.status_choice: "Do you already talk?",
            self.title: "Their role or title (optional)",
            self.place: "Where they are",
            self.tie: "How close are you?",
            self.frequency: "How often do you talk?",
            self.next_step: "My next step with them",
            self.next_step_date: "By when?",
        }
        fields = {w: labeled(w, label) for w, label in names.items()}
        self._labels = names
        self.describe(prefix)
        essentials = ipw.HBox(
            [
                _cell(fields[self.name], "2 1 220px"),
                _cell(fields[self.who], "1 1 170px"),
                _cell(fields[self.status_choice], "1 1 260px"),
            ],
            layout=ipw.Layout(flex_flow="row wrap", width="100%"),
        )
        essentials.add_class("mm-wrap")
        self.support_label = html_block(
            '<div class="mm-label">Kinds of support they give '
            '<span class="mm-hint">(the main one to three)</span></div>'
        )
        more = ipw.VBox([
            ipw.HBox([_cell(fields[self.title], "1 1 220px"),
                      _cell(fields[self.place], "1 1 200px"),
                      _cell(fields[self.tie], "1 1 200px"),
                      _cell(fields[self.frequency], "1 1 200px")],
                     layout=ipw.Layout(flex_flow="row wrap", width="100%")),
            html_block('<div class="mm-label">Mentor qualities you see in them</div>'),
            self.qualities,
            ipw.HBox([_cell(fields[self.next_step], "3 1 260px"),
                      _cell(fields[self.next_step_date], "1 1 160px")],
                     layout=ipw.Layout(flex_flow="row wrap", width="100%")),
        ])
        if folded:
            self.more = ipw.Accordion(children=[more], selected_index=None,
                                      layout=ipw.Layout(width="100%"))
            self.more.set_title(0, "More about this person (optional)")
            self.more.add_class("mm-more")
        else:
            self.more = more
        self.children = [essentials, self.support_label, self.domains, self.more]

    def describe(self, whose: str) -> None:
        """Accessible names that say whose form this is ("Name, for Dr Lee"); the visible
        labels stay short. Two forms on one page then never share a name."""
        for widget, label in self._labels.items():
            widget.description = f"{label}, for {whose}" if whose else label

    # -- reading and writing ---------------------------------------------------------------------
    def show(self, person: Person | None) -> None:
        """Fill the form from ``person``, or empty it for someone new."""
        p = person or Person(name="placeholder")
        self.name.value = person.name if person else ""
        self.who.value = who_value(p)
        self.status_choice.value = p.status
        self.domains.value = tuple(d for d in p.domains if d in self.domains.boxes)
        self.title.value = p.title
        self.place.value = p.place
        self.tie.value = p.tie_strength
        self.frequency.value = p.frequency
        self.qualities.value = tuple(q for q in p.qualities if q in self.qualities.boxes)
        self.next_step.value = p.next_step
        self.next_step_date.value = p.next_step_date

    def prefill(self, *, domains: list[str] | None = None, level: str = "",
                status: str = "existing", role: str = "mentor") -> None:
        """Set the essentials for someone new (the guided questions use this)."""
        self.domains.value = tuple(d for d in domains or [] if d in self.domains.boxes)
        if role == "mentee":
            self.who.value = "mentee:"
        elif level in LEVELS:
            self.who.value = f"mentor:{level}"
        self.status_choice.value = status

    def person_from_form(self, base: Person | None) -> Person:
        """A validated Person from the form (raises ValueError with a plain message).

        With ``base``, everything the form does not show (its id, position, notes, domain and
        quality ids from another content set) is kept.
        """
        name = self.name.value.strip()
        if not name:
            raise ValueError(
                "Please give a name, or a placeholder such as “a peer in QI”, then try again."
            )
        role, _, level = self.who.value.partition(":")
        if role == "mentee":
            level = base.level if base is not None and base.role == "mentee" else "junior"
        extra_domains = [d for d in (base.domains if base else []) if d not in self.domains.boxes]
        extra_qualities = [
            q for q in (base.qualities if base else []) if q not in self.qualities.boxes
        ]
        values: dict[str, Any] = {
            "name": name,
            "title": self.title.value.strip(),
            "role": role,
            "status": self.status_choice.value,
            "level": level,
            "place": self.place.value,
            "domains": list(self.domains.value) + extra_domains,
            "tie_strength": self.tie.value,
            "frequency": self.frequency.value,
            "qualities": list(self.qualities.value) + extra_qualities,
            "next_step": self.next_step.value.strip(),
            "next_step_date": self.next_step_date.value,
        }
        if base is None:
            return Person.model_validate(values)
        return Person.model_validate({**base.model_dump(), **values})


def _cell(widget: ipw.Widget, flex: str) -> ipw.Widget:
    widget.layout.flex = flex
    widget.layout.min_width = "0"
    widget.layout.margin = "4px 12px 4px 0"
    return widget
