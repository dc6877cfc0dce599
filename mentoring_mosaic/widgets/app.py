"""The whole workshop as one page: every stage behind a stepper, one kernel per participant.

Voilà starts a kernel per page view and keeps it after the tab closes, so moving between
separate stage pages would pile up kernels; here moving between stages costs nothing.
Each stage is built the first time it is shown.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import get_content
from ..session import Session, page_request, shared_session
from .browser_actions import browser_actions
from .common import (
    SaveIndicator,
    StatusWidget,
    WorkbookFileBar,
    guarded,
    stylesheet,
)
from .pages import (
    LATER_IDS,
    STAGE_IDS,
    StageHeader,
    available_stages,
    build_view,
    later_stages,
    release_free_memory,
    review_button_label,
)


class WorkshopApp(ipw.VBox):
    """A stepper over every available stage, sharing one session."""

    def __init__(self, session: Session | None = None, start: str | None = None) -> None:
        super().__init__()
        self.add_class("mm-page")
        self.add_class("mm-app")
        self.session = session or shared_session()
        self.content = get_content()
        self.status = StatusWidget()
        self.stage_ids = [s.id for s in available_stages()]
        self.views: dict[str, ipw.Widget] = {}
        self.current = ""
        self.header = StageHeader(self.content, self.stage_ids[0], links=False)
        self.steps = [self._step_button(i, sid) for i, sid in enumerate(self.stage_ids)]
        # after the wrap-up, apart: pages for later (the review three months on), never "Next"
        self.later_ids = [s.id for s in later_stages()]
        self.later_steps = [self._later_button(sid) for sid in self.later_ids]
        self.session.on_change(lambda _what: self._label_later_steps())
        stepper = ipw.HBox([*self.steps, *self.later_steps],
                           layout=ipw.Layout(flex_flow="row wrap"))
        stepper.add_class("mm-stepper")
        self.body = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.prev_button = ipw.Button(description="← Back", layout=ipw.Layout(width="auto"))
        self.next_button = ipw.Button(
            description="Next →", button_style="primary", layout=ipw.Layout(width="auto")
        )
        self.prev_button.on_click(lambda _b: self.go(self._neighbour(-1)))
        self.next_button.on_click(lambda _b: self.go(self._neighbour(+1)))
        nav = ipw.HBox([self.prev_button, self.next_button])
        nav.add_class("mm-wrap")
        # after Next/Back at the bottom of a long stage, bring the new stage's top into view
        self.browser = browser_actions()
        self._moves = 0
        self.children = [
            stylesheet(),
            stepper,
            self.header,
            SaveIndicator(self.session),
            self.status,
            self.body,
            nav,
            WorkbookFileBar(self.session),
        ]
        self.go(start or _stage_from_query() or self.stage_ids[0])

    def _step_button(self, index: int, stage_id: str) -> ipw.Button:
        stage = self.content.stage(stage_id)
        label = "Welcome" if index == 0 else f"{index}. {stage.short}"
        button = ipw.Button(
            description=label,
            tooltip=stage.title,
            layout=ipw.Layout(width="auto", margin="2px"),
        )
        button.on_click(lambda _b, sid=stage_id: self.go(sid))
        return button

    def _label_later_steps(self) -> None:
        """Back on a later day (a resumed file, say), the review is no longer "for later"."""
        for button in self.later_steps:
            button.description = review_button_label(self.session.workbook)

    def _later_button(self, stage_id: str) -> ipw.Button:
        button = ipw.Button(
            description=review_button_label(self.session.workbook),
            tooltip="Review your plan about three months after the workshop",
            layout=ipw.Layout(width="auto", margin="2px 2px 2px 10px"),
        )
        button.add_class("mm-later-step")
        button.on_click(lambda _b, sid=stage_id: self.go(sid))
        return button

    def _neighbour(self, step: int) -> str:
        order = [*self.stage_ids, *self.later_ids]
        # from a later page, Back returns to the wrap-up; Next never leads to one
        i = min(order.index(self.current), len(self.stage_ids)) + step
        return self.stage_ids[max(0, min(i, len(self.stage_ids) - 1))]

    @guarded()
    def go(self, stage_id: str) -> None:
        """Show a stage (built on first visit)."""
        if stage_id not in self.stage_ids and stage_id not in self.later_ids:
            stage_id = self.stage_ids[0]
        if stage_id not in self.views:
            self.views[stage_id] = build_view(stage_id, self.session, self.content)
        self.current = stage_id
        self.header.show_stage(stage_id, links=False)
        self.body.children = [self.views[stage_id]]
        view: Any = self.views[stage_id]
        if hasattr(view, "on_show"):
            view.on_show()
        index = [*self.stage_ids, *self.later_ids].index(stage_id)
        for i, button in enumerate([*self.steps, *self.later_steps]):
            button.button_style = "primary" if i == index else ""
        self.prev_button.disabled = index == 0
        self.next_button.disabled = index >= len(self.stage_ids) - 1
        # a later page (the review) has its own Back/Next between its parts: one pair only
        later = "none" if stage_id in self.later_ids else ""
        self.prev_button.layout.display = self.next_button.layout.display = later
        if index == 0:  # nothing before the welcome page: no Back that does nothing
            self.prev_button.layout.display = "none"
        if index < len(self.stage_ids) - 1:
            nxt = self.content.stage(self.stage_ids[index + 1])
            self.next_button.description = f"Next: {nxt.short} →"
        else:
            self.next_button.description = "Next →"
        self.status.clear()
        self._scroll_to_top()

    def _scroll_to_top(self) -> None:
        """Scroll the page back to the stepper."""
        self._moves += 1
        if self._moves == 1:
            return  # the first stage shows at the top already
        self.browser.scroll(".mm-app", "start")


def _stage_from_query() -> str | None:
    """``?stage=mosaic`` opens the app at a stage (handy for demos)."""
    stage = page_request().param("stage")
    return stage if stage in STAGE_IDS or stage in LATER_IDS else None


def workshop_app() -> ipw.Widget:
    """What ``notebooks/workshop.ipynb`` shows; a friendly message if it cannot start."""
    try:
        app = WorkshopApp()
        release_free_memory()
        return app
    except Exception as exc:
        status = StatusWidget()
        status.show(
            f"The workshop could not start: {exc or type(exc).__name__}. Your saved answers "
            "are safe; reload the page, or ask the facilitator.",
            "error",
        )
        return ipw.VBox([stylesheet(), status])
