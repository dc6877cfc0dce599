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


MORE_FIELDS = ("title", "place", "tie", "frequency", "qualities", "next_step", "next_step_date")


class PersonForm(ipw.VBox):
    """Fields for one person; ``person_from_form`` turns them into a validated :class:`Person`.

    The optional fields ("More about this person") are built when first needed: opened by the
    participant, or touched by code. Until then the person's stored values stand for them, so a
    page with two forms does not pay for some 60 widgets nobody looked at.
    """

    def __init__(self, content: Content, *, prefix: str = "", folded: bool = True) -> None:
        super().__init__(layout=ipw.Layout(width="100%"))
        self.content = content
        self._whose = prefix  # words that make the accessible names unique on the page
        self._shown: Person | None = None
        self._more: dict[str, Any] = {}
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
        self._labels: dict[ipw.Widget, str] = {
            self.name: "Name",
            self.who: "Who are they to you?",
            self.status_choice: "Do you already talk?",
        }
        fields = {w: labeled(w, label) for w, label in self._labels.items()}
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
        self.more_box = ipw.VBox(layout=ipw.Layout(width="100%"))
        if folded:
            self.more = ipw.Accordion(children=[self.more_box], selected_index=None,
                                      layout=ipw.Layout(width="100%"))
            self.more.set_title(0, "More about this person (optional)")
            self.more.add_class("mm-more")
            self.more.observe(lambda c: c["new"] == 0 and self._build_more(),
                              names="selected_index")
        else:
            self.more = self.more_box
            self._build_more()
        self.describe(prefix)
        self.children = [essentials, self.support_label, self.domains, self.more]

    def _build_more(self) -> None:
        """Make the optional fields, filled from the person shown (once)."""
        if self._more:
            return
        m: dict[str, Any] = {
            "title": ipw.Text(placeholder="e.g. program director", continuous_update=False,
                              layout=ipw.Layout(width="100%")),
            "place": ipw.Dropdown(options=[(v, k) for k, v in PLACES.items()],
                                  value="institution", layout=ipw.Layout(width="100%")),
            "tie": ipw.Dropdown(options=[(TIE_WORDS[k], k) for k in TIE_STRENGTHS], value=2,
                                layout=ipw.Layout(width="100%")),
            "frequency": ipw.Dropdown(options=[(FREQUENCY_WORDS[f], f) for f in FREQUENCIES],
                                      value="", layout=ipw.Layout(width="100%")),
            "qualities": CheckboxGroup([(q.name, q.id) for q in self.content.qualities]),
            "next_step": ipw.Textarea(
                placeholder="e.g. Ask for a 20-minute coffee about my fellowship plans",
                continuous_update=False, layout=ipw.Layout(width="100%", height="64px"),
            ),
            "next_step_date": ipw.DatePicker(layout=ipw.Layout(width="100%",
                                                               max_width="240px")),
        }
        self._more = m
        labels = {
            "title": "Their role or title (optional)",
            "place": "Where they are",
            "tie": "How close are you?",
            "frequency": "How often do you talk?",
            "next_step": "My next step with them",
            "next_step_date": "By when?",
        }
        fields = {key: labeled(m[key], label) for key, label in labels.items()}
        self._labels.update({m[key]: label for key, label in labels.items()})
        self.describe(self._whose)
        self.more_box.children = [
            ipw.HBox([_cell(fields["title"], "1 1 220px"), _cell(fields["place"], "1 1 200px"),
                      _cell(fields["tie"], "1 1 200px"),
                      _cell(fields["frequency"], "1 1 200px")],
                     layout=ipw.Layout(flex_flow="row wrap", width="100%")),
            html_block('<div class="mm-label">Mentor qualities you see in them</div>'),
            m["qualities"],
            ipw.HBox([_cell(fields["next_step"], "3 1 260px"),
                      _cell(fields["next_step_date"], "1 1 160px")],
                     layout=ipw.Layout(flex_flow="row wrap", width="100%")),
        ]
        self._fill_more(self._shown)

    def __getattr__(self, name: str) -> Any:
        # the optional fields exist once asked for (title, place, tie, ...)
        if name in MORE_FIELDS:
            self._build_more()
            return self._more[name]
        raise AttributeError(name)

    def describe(self, whose: str) -> None:
        """Accessible names that say whose form this is ("Name, for Dr Lee"); the visible
        labels stay short. Two forms on one page then never share a name."""
        self._whose = whose
        for widget, label in self._labels.items():
            widget.description = f"{label}, for {whose}" if whose else label

    # -- reading and writing ---------------------------------------------------------------------
    def show(self, person: Person | None) -> None:
        """Fill the form from ``person``, or empty it for someone new."""
        self._shown = person
        p = person or Person(name="placeholder")
        self.name.value = person.name if person else ""
        self.who.value = who_value(p)
        self.status_choice.value = p.status
        self.domains.value = tuple(d for d in p.domains if d in self.domains.boxes)
        self._fill_more(person)

    def _fill_more(self, person: Person | None) -> None:
        if not self._more:
            return
        p = person or Person(name="placeholder")
        m = self._more
        m["title"].value = p.title
        m["place"].value = p.place
        m["tie"].value = p.tie_strength
        m["frequency"].value = p.frequency
        m["qualities"].value = tuple(q for q in p.qualities if q in m["qualities"].boxes)
        m["next_step"].value = p.next_step
        m["next_step_date"].value = p.next_step_date

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
        quality ids from another content set, and the optional fields if never opened) is kept.
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
        values: dict[str, Any] = {
            "name": name,
            "role": role,
            "status": self.status_choice.value,
            "level": level,
            "domains": list(self.domains.value) + extra_domains,
        }
        if self._more:
            m = self._more
            extra_qualities = [
                q for q in (base.qualities if base else []) if q not in m["qualities"].boxes
            ]
            values.update({
                "title": m["title"].value.strip(),
                "place": m["place"].value,
                "tie_strength": m["tie"].value,
                "frequency": m["frequency"].value,
                "qualities": list(m["qualities"].value) + extra_qualities,
                "next_step": m["next_step"].value.strip(),
                "next_step_date": m["next_step_date"].value,
            })
        if base is None:
            return Person.model_validate(values)
        return Person.model_validate({**base.model_dump(), **values})


def _cell(widget: ipw.Widget, flex: str) -> ipw.Widget:
    widget.layout.flex = flex
    widget.layout.min_width = "0"
    widget.layout.margin = "4px 12px 4px 0"
    return widget
