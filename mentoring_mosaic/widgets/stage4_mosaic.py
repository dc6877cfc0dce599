"""Stage 4: build your mosaic — quick add, the map as the largest thing on the page, the
mosaic at a glance below it, and the picture to take home."""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..exports.mosaic import mosaic_svg, to_cyjs, to_graphml
from ..session import Session
from .common import DownloadLink, esc, guarded, html_block
from .mosaic_editor import MosaicEditor
from .mosaic_summary import MosaicSummary
from .pages import StageView

INTRO = (
    "<p>Your <strong>mentoring mosaic</strong> is everyone who supports you: no single mentor "
    "can meet every need. Add people below the map (seniors, peers, juniors, at work and in "
    "your personal life, and people you could approach), then look at it together: who stands "
    "behind each need, and where is nobody yet?</p>"
)


def why_html(content: Content) -> str:
    """The stage's key points and sources, folded away."""
    stage = content.stage("mosaic")
    points = "".join(f"<li>{esc(p)}</li>" for p in stage.key_points)
    return (
        '<details class="mm-fold"><summary>Why this matters</summary>'
        f"<ul>{points}</ul>"
        "<p>Networks differ in how many different circles your mentors come from and in how "
        "close you are to them (Higgins &amp; Kram 2001); several mentors together cover more "
        "than any one can (the mentoring mosaic).</p></details>"
    )


class MosaicView(StageView):
    """Quick add, the map, the list, the drawer; the mosaic at a glance; the take-home picture."""

    stage_id = "mosaic"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self.editor = MosaicEditor(session, content)
        self.summary = MosaicSummary(session, content)
        self.download_svg = DownloadLink("⬇ Picture of my mosaic", "my-mosaic.svg",
                                         "image/svg+xml")
        self.download_graphml = DownloadLink("⬇ Network file for Gephi or yEd",
                                             "my-mosaic.graphml", "application/xml")
        self.download_cyjs = DownloadLink("⬇ Network file for Cytoscape", "my-mosaic.cyjs",
                                          "application/json")
        self.links = ipw.HBox([self.download_svg, self.download_graphml, self.download_cyjs],
                              layout=ipw.Layout(flex_flow="row wrap", display="none"))
        self.links.add_class("mm-wrap")
        # Files are made on request: at 200 people, remaking all three on every change would
        # cost about half a second per change and resend them to the browser each time.
        self.prepare = ipw.Button(description="Prepare the picture of my mosaic", icon="image",
                                  layout=ipw.Layout(width="auto"))
        self.prepare.on_click(self._prepare_downloads)
        downloads = ipw.VBox([
            html_block('<p class="mm-hint">The picture opens in any web browser and prints on '
                       "one page. The network files are for people who analyse networks; you "
                       "do not need them.</p>"),
            self.prepare,
            self.links,
        ])
        self.children = [
            html_block(INTRO + why_html(content)),
            self.editor,
            html_block("<h2>Your mosaic at a glance</h2>"),
            self.summary,
            html_block("<h3>Take your mosaic with you</h3>"),
            downloads,
            self.status,
        ]
        session.on_change(self._on_change)

    def show_prompt(self, index: int) -> None:
        """Show one of the guided "who do you go to when ...?" questions."""
        self.editor.show_prompt(index)

    def _on_change(self, what: str) -> None:
        if what in ("people", "profile", "*") and self.links.layout.display != "none":
            self.links.layout.display = "none"
            self.prepare.description = "Prepare the picture again (your mosaic changed)"

    @guarded()
    def _prepare_downloads(self, _button: Any = None) -> None:
        workbook = self.session.workbook
        self.download_svg.set_payload(mosaic_svg(workbook, self.content))
        self.download_graphml.set_payload(to_graphml(workbook, self.content))
        self.download_cyjs.set_payload(to_cyjs(workbook, self.content))
        self.links.layout.display = ""
        self.prepare.description = "Prepare the picture of my mosaic"

    def on_show(self) -> None:
        """Back in view in the app: centre the map again."""
        self.editor.graph.fit()

    def refresh(self) -> None:
        self.summary.refresh()
        self._on_change("*")
