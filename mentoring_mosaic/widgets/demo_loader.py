"""'Show a demo persona': load a filled-in example workbook into the open session.

For facilitators demonstrating the kit: the persona replaces the current answers, which are
kept as a backup in the store, so "Undo" (here, or "Undo resume" in the file bar) brings them
back.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..demo import demo_personas
from ..session import Session
from .common import StatusWidget, guarded, html_block


class DemoLoader(ipw.VBox):
    """A dropdown of personas, a Load button, a warning and an Undo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.status = StatusWidget()
        options = [(label, key) for key, (label, _wb) in demo_personas().items()]
        self.persona = ipw.Dropdown(
            options=options,
            description="Demo persona",
            style={"description_width": "initial"},
            layout=ipw.Layout(width="100%", max_width="560px"),
        )
        self.load = ipw.Button(
            description="Load this persona",
            icon="user",
            tooltip="Replace the answers on this page with the demo persona",
            layout=ipw.Layout(width="auto"),
        )
        self.undo = ipw.Button(
            description="Undo: bring my answers back",
            icon="undo",
            tooltip="Go back to the answers you had before loading the persona",
            layout=ipw.Layout(width="auto", display="none"),
        )
        self.load.on_click(self._on_load)
        self.undo.on_click(self._on_undo)
        warning = html_block(
            '<p class="mm-hint"><strong>This replaces the answers in this workbook</strong> '
            "with a fictional participant's, so you can show every stage filled in. The current "
            "answers are kept as a backup: press Undo to bring them back. Use it on a "
            "facilitator's laptop, not on a participant's workbook.</p>"
        )
        row = ipw.HBox([self.load, self.undo])
        row.add_class("mm-wrap")
        super().__init__([warning, self.persona, row, self.status])
        self.add_class("mm-demo-loader")

    @guarded()
    def _on_load(self, _button: ipw.Button | None = None) -> None:
        key = self.persona.value
        label, workbook = demo_personas()[key]
        self.session.replace(workbook, reason=f"demo persona {key}")
        self.undo.layout.display = ""
        self.status.show(
            f"Loaded the demo persona: {label}. Every stage now shows their answers.", "success"
        )

    @guarded()
    def _on_undo(self, _button: ipw.Button | None = None) -> None:
        previous = self.session.store.latest_backup(self.session.key)
        if previous is None:
            self.status.show("There is nothing to undo.", "info")
            return
        self.session.replace(previous, reason="undo demo persona")
        self.undo.layout.display = "none"
        self.status.show("Back to the answers you had before loading the persona.", "success")


def demo_accordion(session: Session, **_kwargs: Any) -> ipw.Accordion:
    """The loader inside a collapsed accordion, for the bottom of the welcome page."""
    accordion = ipw.Accordion(children=[DemoLoader(session)], selected_index=None)
    accordion.set_title(0, "For facilitators: load a demo persona")
    accordion.add_class("mm-demo-accordion")
    return accordion


__all__ = ["DemoLoader", "demo_accordion"]
