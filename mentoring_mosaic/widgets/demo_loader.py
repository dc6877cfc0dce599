"""'Load a demo persona': a filled-in example workbook in the open session, for facilitators.

The persona replaces the current answers, which are kept as a backup in the store, so "Undo"
(here, or "Undo resume" in the file bar) brings them back. Participants never see it: the
welcome page shows it only on a facilitator's link (:func:`demo_loader_allowed`).
"""

from __future__ import annotations

import ipywidgets as ipw

from ..session import Session, facilitator_allowed, page_request, room_mode
from .common import StatusWidget, esc, guarded, html_block, labeled

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
    return page_request().param(FACILITATOR_PARAM).lower() in {"1", "yes", "true"}


class DemoLoader(ipw.VBox):
    """A dropdown of personas, a Load button, a warning and an Undo."""

    def __init__(self, session: Session) -> None:
        from ..demo import load_personas  # only a facilitator's page shows the loader

        self.session = session
        self.status = StatusWidget()
        found = load_personas()  # the packaged personas and the content folder's own
        options = [(p.label, key) for key, p in found.personas.items()]
        # a few choices, all in view; their long names wrap on a phone (a dropdown cuts them)
        self.persona = ipw.RadioButtons(
            options=options,
            value=options[0][1] if options else None,
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
        self.load.disabled = not options
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
        # a persona file that did not load: named here for the facilitator, the others work
        self.problems = html_block(_problems_html(found.problems)) if found.problems else None
        row = ipw.HBox([self.load, self.undo])
        row.add_class("mm-wrap")
        parts = [warning, labeled(self.persona, "Demo persona"), row, self.status]
        super().__init__([*parts, *([self.problems] if self.problems else [])])
        self.add_class("mm-demo-loader")
        self.add_class("mm-card")

    @guarded()
    def _on_load(self, _button: ipw.Button | None = None) -> None:
        from ..demo import load_personas

        key = self.persona.value
        persona = load_personas().personas.get(key)
        if persona is None:
            self.status.show("This persona's file cannot be loaded any more.", "error")
            return
        label = persona.label
        self.session.replace(persona.workbook, reason=f"demo persona {key}")
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


def _problems_html(problems: list[str]) -> str:
    """The persona files that did not load, each with its message, for the facilitator."""
    items = "".join(f"<li>{esc(problem)}</li>" for problem in problems)
    return (
        '<div class="mm-status-error" role="status"><strong>Some persona files were left '
        f"out:</strong><ul>{items}</ul></div>"
    )


def demo_panel(session: Session) -> DemoLoader | None:
    """The loader for the bottom of the welcome page, or ``None`` for a participant."""
    return DemoLoader(session) if demo_loader_allowed() else None


__all__ = ["DemoLoader", "demo_loader_allowed", "demo_panel"]
