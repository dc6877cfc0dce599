"""Stage 4: build your mosaic — quick add, the map as the largest thing on the page, the
mosaic at a glance below it, and the picture to take home."""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..exports.mosaic import mosaic_svg, to_cyjs, to_graphml
from ..model import Workbook
from ..session import Session
from .common import DownloadButton, esc, html_block
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
        # Each file is made at the click, from the mosaic as it is then.
        def workbook() -> Workbook:
            return self.session.workbook

        self.download_svg = DownloadButton(
            "⬇ Picture of my mosaic",
            lambda: (mosaic_svg(workbook(), self.content), "my-mosaic.svg"), "image/svg+xml",
            tooltip="Opens in any web browser and prints on one page", status=self.status)
        self.download_graphml = DownloadButton(
            "⬇ Network file for Gephi or yEd",
            lambda: (to_graphml(workbook(), self.content), "my-mosaic.graphml"),
            "application/xml", status=self.status)
        self.download_cyjs = DownloadButton(
            "⬇ Network file for Cytoscape",
            lambda: (to_cyjs(workbook(), self.content), "my-mosaic.cyjs"), "application/json",
            status=self.status)
        network = ipw.HBox([self.download_graphml, self.download_cyjs],
                           layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        network.add_class("mm-wrap")
        self.network_files = ipw.Accordion(
            children=[ipw.VBox([html_block(
                '<p class="mm-hint">For people who study networks with software such as Gephi, '
                "yEd or Cytoscape. You do not need these for the workshop.</p>"), network])],
            selected_index=None, layout=ipw.Layout(width="100%"))
        self.network_files.set_title(0, "Files for network software (optional)")
        self.network_files.add_class("mm-more")
        downloads = ipw.VBox([
            html_block('<p class="mm-hint">The picture opens in any web browser and prints on '
                       "one page.</p>"),
            self.download_svg,
            self.network_files,
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

    def show_prompt(self, index: int) -> None:
        """Show one of the guided "who do you go to when ...?" questions."""
        self.editor.show_prompt(index)

    def on_show(self) -> None:
        """Back in view in the app: centre the map again."""
        self.editor.graph.fit()

    def refresh(self) -> None:
        self.summary.refresh()
