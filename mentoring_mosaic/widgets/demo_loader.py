"""'Load a demo persona': a filled-in example workbook in the open session, for facilitators.

The persona replaces the current answers, which are kept as a backup in the store, so "Undo"
(here, or "Undo resume" in the file bar) brings them back. Participants never see it: the
welcome page shows it only on a facilitator's link (:func:`demo_loader_allowed`).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import ipywidgets as ipw

from ..demo import demo_personas
from ..session import Session, facilitator_allowed, room_mode
from .common import StatusWidget, guarded, html_block, labeled

FACILITATOR_PARAM = "facilitator"
"""``?facilitator=1`` on the welcome page or the workshop app (Binder, local) shows the loader."""


def demo_loader_allowed() -> bool:
    """Whether this page was opened by a facilitator's link.

    On a room server, participants share one store, so only the facilitator key (``?fkey=``,
    checked like the dashboard's) opens it. On Binder and locally the workbook is the person's
    own, so a plain ``?facilitator=1`` is enough: it keeps the loader out of a participant's
    way, it is not a secret.
    """
    if room_mode():
        return facilitator_allowed()
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return (query.get(FACILITATOR_PARAM) or [""])[0].lower() in {"1", "yes", "true"}


class DemoLoader(ipw.VBox):
    """A dropdown of personas, a Load button, a warning and an Undo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.status = StatusWidget()
        options = [(label, key) for key, (label, _wb) in demo_personas().items()]
        # three choices, all in view; their long names wrap on a phone (a dropdown cuts them)
        self.persona = ipw.RadioButtons(
            options=options,
            value=options[0][1],
            description="Demo persona",
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.persona.add_class("mm-persona-choice")
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
            "<h2>For facilitators: demo personas</h2>"
            '<p class="mm-hint">You opened the facilitator link. <strong>Loading a persona '
            "replaces the answers in this workbook</strong> with a fictional participant's, so "
            "you can show every stage filled in. The current answers are kept as a backup: "
            "press Undo to bring them back. Use it on your own workbook, never on a "
            "participant's.</p>"
        )
        row = ipw.HBox([self.load, self.undo])
        row.add_class("mm-wrap")
        super().__init__([warning, labeled(self.persona, "Demo persona"), row, self.status])
        self.add_class("mm-demo-loader")
        self.add_class("mm-card")

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


def demo_panel(session: Session) -> DemoLoader | None:
    """The loader for the bottom of the welcome page, or ``None`` for a participant."""
    return DemoLoader(session) if demo_loader_allowed() else None


__all__ = ["DemoLoader", "demo_loader_allowed", "demo_panel"]
