"""Stage 4: build your mosaic — guided prompts, the editor and the mosaic view, live."""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..exports.mosaic import mosaic_svg, to_cyjs, to_graphml
from ..session import Session
from .common import DownloadLink, esc, guarded, html_block
from .mosaic_editor import MosaicEditor, MosaicSummary
from .pages import StageView

INTRO = (
    "<p>Your <strong>mentoring mosaic</strong> is everyone who supports you: no single mentor "
    "can meet every need. Put each person on the map, say what kind of support they give and "
    "how close you are. Include people <em>senior</em> to you, <em>peers</em>, and people "
    "<em>junior</em> to you who teach you something, at work and in your personal life. "
    "Add the people you could approach, too, as <em>potential</em>.</p>"
)


class MosaicView(StageView):
    """Guided adding, the editor (map + form + list) and the live mosaic view."""

    stage_id = "mosaic"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self.prompt_index = 0
        self.editor = MosaicEditor(session, content)
        self.summary = MosaicSummary(session, content)
        self.prompt_text = html_block("")
        self.prompt_use = ipw.Button(description="Add someone for this question", icon="plus",
                                     button_style="info", layout=ipw.Layout(width="auto"))
        self.prompt_prev = ipw.Button(description="← Previous question",
                                      layout=ipw.Layout(width="auto"))
        self.prompt_next = ipw.Button(description="Next question →",
                                      layout=ipw.Layout(width="auto"))
        self.prompt_use.on_click(self._use_prompt)
        self.prompt_prev.on_click(lambda _b: self.show_prompt(self.prompt_index - 1))
        self.prompt_next.on_click(lambda _b: self.show_prompt(self.prompt_index + 1))
        prompt_buttons = ipw.HBox([self.prompt_use, self.prompt_prev, self.prompt_next],
                                  layout=ipw.Layout(flex_flow="row wrap"))
        prompt_buttons.add_class("mm-wrap")
        prompts = ipw.VBox([html_block("<h2>Who is in your mosaic?</h2>"), self.prompt_text,
                            prompt_buttons, self.status])
        prompts.add_class("mm-card")
        self.download_svg = DownloadLink("⬇ Mosaic picture (SVG)", "my-mosaic.svg",
                                         "image/svg+xml")
        self.download_graphml = DownloadLink("⬇ For Gephi or yEd (GraphML)", "my-mosaic.graphml",
                                             "application/xml")
        self.download_cyjs = DownloadLink("⬇ For Cytoscape (JSON)", "my-mosaic.cyjs",
                                          "application/json")
        self.links = ipw.HBox([self.download_svg, self.download_graphml, self.download_cyjs],
                              layout=ipw.Layout(flex_flow="row wrap", display="none"))
        self.links.add_class("mm-wrap")
        # Files are made on request: at 200 people, remaking all three on every change would
        # cost about half a second per change and resend them to the browser each time.
        self.prepare = ipw.Button(description="Prepare my mosaic files", icon="download",
                                  layout=ipw.Layout(width="auto"))
        self.prepare.on_click(self._prepare_downloads)
        downloads = ipw.VBox([
            html_block('<p class="mm-hint">A picture of your mosaic (SVG, opens in any browser) '
                       "and the network itself for Gephi, yEd or Cytoscape.</p>"),
            self.prepare,
            self.links,
        ])
        stage = content.stage("mosaic")
        points = "".join(f"<li>{esc(p)}</li>" for p in stage.key_points)
        self.children = [
            html_block(INTRO + f"<ul>{points}</ul>"),
            prompts,
            self.editor,
            html_block("<h2>Your mosaic at a glance</h2>"),
            self.summary,
            html_block("<h3>Take your mosaic with you</h3>"),
            downloads,
        ]
        session.on_change(self._on_change)
        self.show_prompt(0)

    def show_prompt(self, index: int) -> None:
        """Show one of the guided "who do you go to when ...?" questions."""
        prompts = self.content.mosaic_prompts
        if not prompts:
            self.prompt_text.value = ""
            return
        self.prompt_index = index % len(prompts)
        prompt = prompts[self.prompt_index]
        names = ", ".join(self.content.domain_names.get(d, d) for d in prompt.domains)
        level = f" · usually {prompt.level}" if prompt.level else ""
        self.prompt_text.value = (
            f'<p class="mm-muted">Question {self.prompt_index + 1} of {len(prompts)}</p>'
            f'<p style="font-size:1.2em;font-weight:600;margin:4px 0">{esc(prompt.text)}</p>'
            f'<p class="mm-hint">{esc(names)}{esc(level)}</p>'
        )

    @guarded()
    def _use_prompt(self, _button: Any = None) -> None:
        prompt = self.content.mosaic_prompts[self.prompt_index]
        self.editor.new_person(domains=list(prompt.domains), level=prompt.level)
        self.status.show(
            "The “Add a person” form (beside the map, or below it on a phone) is ready for this "
            "question: type a name or a placeholder, adjust the details, and press "
            "“Add to my mosaic”.",
            "info",
        )

    def _on_change(self, what: str) -> None:
        if what in ("people", "profile", "*") and self.links.layout.display != "none":
            self.links.layout.display = "none"
            self.prepare.description = "Prepare my mosaic files again (they changed)"

    @guarded()
    def _prepare_downloads(self, _button: Any = None) -> None:
        workbook = self.session.workbook
        self.download_svg.set_payload(mosaic_svg(workbook, self.content))
        self.download_graphml.set_payload(to_graphml(workbook, self.content))
        self.download_cyjs.set_payload(to_cyjs(workbook, self.content))
        self.links.layout.display = ""
        self.prepare.description = "Prepare my mosaic files"

    def on_show(self) -> None:
        """Back in view in the app: centre the map again."""
        self.editor.graph.fit()

    def refresh(self) -> None:
        self.summary.refresh()
        self._on_change("*")
