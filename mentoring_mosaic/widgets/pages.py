"""The stage registry, the stage header with its links, and the page that wraps one stage.

Stage views are imported lazily by id, so a page pays only for the stages it shows.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import ipywidgets as ipw

from ..content import Content, get_content
from ..model import Workbook
from ..session import Session, shared_session
from .common import SaveIndicator, StatusWidget, WorkbookFileBar, esc, html_block, stylesheet


@dataclass(frozen=True)
class StageEntry:
    """Where a stage's view lives and which notebook shows it alone."""

    id: str
    notebook: str
    view: str  # "module:Class" under mentoring_mosaic.widgets


STAGES: tuple[StageEntry, ...] = (
    StageEntry("welcome", "00_welcome.ipynb", "welcome:WelcomeView"),
    StageEntry("needs", "01_needs.ipynb", "stage1_needs:NeedsView"),
    StageEntry("managing_up", "02_managing_up.ipynb", "stage2_managing_up:ManagingUpView"),
    StageEntry("qualities", "03_qualities.ipynb", "stage3_qualities:QualitiesView"),
    StageEntry("mosaic", "04_mosaic.ipynb", "stage4_mosaic:MosaicView"),
    StageEntry("expand", "05_expand.ipynb", "stage5_expand:ExpandView"),
    StageEntry("scenarios", "06_scenarios.ipynb", "stage6_scenarios:ScenariosView"),
    StageEntry("wrapup", "07_wrapup.ipynb", "stage7_wrapup:WrapUpView"),
)
STAGE_IDS = tuple(s.id for s in STAGES)
LAST_STAGE_NUMBER = len(STAGES) - 1  # "stage k of 7": the welcome page is stage 0

LATER_STAGES: tuple[StageEntry, ...] = (
    StageEntry("review", "08_review.ipynb", "stage8_review:ReviewView"),
)
"""Pages for after the workshop: reachable from the wrap-up and the app, never a step of the
90 minutes (not counted in "stage k of 7", never behind "Next")."""
LATER_IDS = tuple(s.id for s in LATER_STAGES)
ALL_PAGES: tuple[StageEntry, ...] = STAGES + LATER_STAGES
"""Every page with its own notebook: the workshop's stages, then the later ones."""
REVIEW_BUTTON = "Three months on (come back later)"
"""How the app and the wrap-up offer the review on the workshop day (the take-home pack says
"Three months on")."""
REVIEW_BUTTON_BACK = "Three months on"
"""The app's review button once the participant is back on a later day: no "come back later"."""


def review_button_label(workbook: Workbook, today: dt.date | None = None) -> str:
    """"Three months on (come back later)" on the workshop day; "Three months on" once the
    plan is from an earlier day."""
    return REVIEW_BUTTON_BACK if workbook.planned_before(today) else REVIEW_BUTTON


def stage_entry(stage_id: str) -> StageEntry:
    """The registry entry for a stage id."""
    for entry in ALL_PAGES:
        if entry.id == stage_id:
            return entry
    raise KeyError(f"unknown stage {stage_id!r}")


def available_stages() -> list[StageEntry]:
    """Stages whose view module exists (later stages join as they are built)."""
    out = []
    for entry in STAGES:
        module = entry.view.split(":")[0]
        if importlib.util.find_spec(f"mentoring_mosaic.widgets.{module}") is not None:
            out.append(entry)
    return out


def later_stages() -> list[StageEntry]:
    """The after-the-workshop pages whose view module exists."""
    return [
        entry
        for entry in LATER_STAGES
        if importlib.util.find_spec(f"mentoring_mosaic.widgets.{entry.view.split(':')[0]}")
    ]


def build_view(stage_id: str, session: Session, content: Content, **kwargs: Any) -> ipw.Widget:
    """Import and build one stage's view."""
    module_name, class_name = stage_entry(stage_id).view.split(":")
    module = importlib.import_module(f"mentoring_mosaic.widgets.{module_name}")
    return getattr(module, class_name)(session, content, **kwargs)


class StageView(ipw.VBox):
    """Base of every stage view: it reads and writes only through the session.

    Subclasses build their controls in ``__init__`` and re-read the workbook in ``refresh``,
    which runs whenever the whole workbook changes (resume from a file, demo loaded).
    """

    stage_id: str = ""

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.content = content
        self.status = StatusWidget()
        self.add_class("mm-stage")
        self.add_class(f"mm-stage-{self.stage_id}")
        session.on_change(self._on_session_change)

    def _on_session_change(self, what: str) -> None:
        if what == "*":
            self.refresh()

    def refresh(self) -> None:
        """Re-read the workbook into the controls (override)."""

    def on_show(self) -> None:
        """Called when the app's stepper brings this stage into view (override)."""


def stage_title(content: Content, stage_id: str) -> str:
    """The participant-facing stage title from the agenda."""
    return content.stage(stage_id).title


class StageHeader(ipw.VBox):
    """Stage name, 'stage k of 7' with a progress bar, and links to the neighbours.

    Links are relative notebook names, so they work under standalone Voilà, under
    ``/voila/render/...`` behind any base URL, and in JupyterLab. ``query`` (e.g.
    ``"?key=..."``) is appended so a keyed participant (room link) stays themselves.
    """

    def __init__(
        self, content: Content, stage_id: str, *, links: bool = True, query: str = ""
    ) -> None:
        super().__init__()
        self.add_class("mm-header")
        self.content = content
        self.query = query
        self.title = html_block("")
        self.nav = html_block("")
        self.nav.add_class("mm-nav")
        self.children = [self.title, self.nav] if links else [self.title]
        self.show_stage(stage_id, links=links)

    def show_stage(self, stage_id: str, *, links: bool = True) -> None:
        """Point the header at a stage."""
        if stage_id in LATER_IDS:
            self._show_later(stage_id, links=links)
            return
        number = STAGE_IDS.index(stage_id)
        stage = self.content.stage(stage_id)
        pct = round(100 * number / LAST_STAGE_NUMBER)
        count = (
            "Welcome" if number == 0 else f"Stage {number} of {LAST_STAGE_NUMBER}"
        )
        self.title.value = (
            f'<div class="mm-stage-count">{esc(count)} · about {stage.minutes} minutes</div>'
            f'<div class="mm-progress" role="progressbar" aria-label="Workshop progress" '
            f'aria-valuemin="0" aria-valuemax="{LAST_STAGE_NUMBER}" aria-valuenow="{number}">'
            f'<span style="width:{pct}%"></span></div>'
            f"<h1>{esc(stage.title)}</h1>"
        )
        if not links:
            return
        parts = []
        if number > 0:
            prev = STAGES[number - 1]
            prev_title = self.content.stage(prev.id).title
            parts.append(
                f'<a class="mm-secondary" href="{esc(prev.notebook + self.query)}" rel="prev">'
                f"← {esc(prev_title)}</a>"
            )
        if number < LAST_STAGE_NUMBER:
            nxt = STAGES[number + 1]
            next_title = self.content.stage(nxt.id).title
            parts.append(
                f'<a href="{esc(nxt.notebook + self.query)}" rel="next">'
                f"Next: {esc(next_title)} →</a>"
            )
        else:  # the wrap-up: the review is for later, offered but never "Next"
            review = LATER_STAGES[0]
            parts.append(
                f'<a class="mm-secondary" href="{esc(review.notebook + self.query)}">'
                f"{esc(REVIEW_BUTTON)} →</a>"
            )
        self.nav.value = f'<nav aria-label="Workshop stages">{"".join(parts)}</nav>'

    def _show_later(self, stage_id: str, *, links: bool) -> None:
        """A page for after the workshop: no progress bar, a way back to the wrap-up."""
        title = self.content.review_text("intro").title or "Three months on"
        self.title.value = (
            '<div class="mm-stage-count">After the workshop · about 15 minutes</div>'
            f"<h1>{esc(title)}</h1>"
        )
        if not links:
            return
        wrapup = STAGES[-1]
        first = STAGES[0]
        self.nav.value = (
            '<nav aria-label="Workshop stages">'
            f'<a class="mm-secondary" href="{esc(wrapup.notebook + self.query)}" rel="prev">'
            f"← {esc(self.content.stage(wrapup.id).title)}</a>"
            f'<a class="mm-secondary" href="{esc(first.notebook + self.query)}">'
            "The workshop from the start</a></nav>"
        )


class StagePage(ipw.VBox):
    """One stage as a whole page: header, the stage, autosave, download and resume."""

    def __init__(self, stage_id: str, session: Session | None = None) -> None:
        super().__init__()
        self.add_class("mm-page")
        self.session = session or shared_session()
        self.content = get_content()
        self.header = StageHeader(self.content, stage_id, query=participant_query(self.session))
        self.view = build_view(stage_id, self.session, self.content)
        self.saved = SaveIndicator(self.session)
        self.filebar = WorkbookFileBar(self.session)
        self.children = [
            stylesheet(),
            self.header,
            self.saved,
            self.view,
            self.filebar,
        ]


def participant_query(session: Session) -> str:
    """``?key=...`` for stage links when the page belongs to a keyed participant.

    Without it, following "Next" from a room server's private link would open the page as
    nobody (or as the shared default participant).
    """
    from urllib.parse import urlencode

    from ..store import DEFAULT_KEY

    return "" if session.key == DEFAULT_KEY else "?" + urlencode({"key": session.key})


def release_free_memory() -> None:
    """Hand the memory freed while a page was built back to the operating system.

    Every page is its own kernel, and building one (validating the content and the workbook,
    making a few hundred widgets) leaves about 0.5-1.5 MB of freed, still-reserved memory
    in the C allocator; a room runs one kernel per participant, so it is given back once the
    page is built. glibc's ``malloc_trim``; elsewhere (macOS, musl) nothing happens.
    """
    try:
        import ctypes  # already imported by every kernel (IPython), so this costs nothing

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def stage_page(stage_id: str) -> ipw.Widget:
    """What a stage notebook's single cell shows; a friendly message if it cannot start."""
    try:
        page = StagePage(stage_id)
        release_free_memory()
        return page
    except Exception as exc:
        status = StatusWidget()
        status.show(
            "This page could not start: "
            f"{exc if str(exc) else type(exc).__name__}. Your saved answers are safe; "
            "reload the page, or ask the facilitator.",
            "error",
        )
        return ipw.VBox([stylesheet(), status], layout=ipw.Layout(max_width="900px"))


__all__ = [
    "ALL_PAGES",
    "LATER_STAGES",
    "STAGES",
    "StageHeader",
    "StagePage",
    "StageView",
    "build_view",
    "later_stages",
    "release_free_memory",
    "stage_page",
]
