"""The mosaic at a glance: a few figures in plain words, the kind of network, and the grid of
kinds of support against levels (which is also the key to the map's colours)."""

from __future__ import annotations

import ipywidgets as ipw

from ..analysis.mosaic import LEVEL_WORDS, MosaicMetrics, mosaic_metrics
from ..content import Content
from ..exports.mosaic import counted
from ..model import LEVELS
from ..session import Session
from .common import esc

INK = "#1d3557"
SHADES = ((0, "#ffffff", INK), (2, "#e0ecf8", INK), (4, "#b3d1ef", INK), (99, "#2a6f97", "#fff"))


def _shade(tie_sum: int) -> tuple[str, str]:
    for limit, background, text in SHADES:
        if tie_sum <= limit:
            return background, text
    return SHADES[-1][1], SHADES[-1][2]


def deep_support(metrics: MosaicMetrics) -> int:
    """Kinds of support with two or more current mentors: depth a participant can picture."""
    return sum(1 for dd in metrics.depth if dd.existing >= 2)


def figures(metrics: MosaicMetrics) -> list[tuple[str, str]]:
    """The headline figures as (big text, plain sentence) pairs."""
    b = metrics.breadth
    levels = (f"all {b.levels_total}" if b.levels == b.levels_total
              else f"{b.levels} of {b.levels_total}")
    return [
        (f"{b.domains} of {b.domains_total}",
         "kinds of support have at least one current mentor"),
        (f"{counted(b.levels, 'level')}, {counted(b.places, 'place')}",
         f"Mentors you talk with now, at {levels} levels (senior, peer, junior) and in "
         f"{b.places} of {b.places_total} places (your division, institution, outside it, "
         "personal life)"),
        (f"{deep_support(metrics)} of {b.domains_total}",
         "kinds of support have two or more current mentors behind them (your mosaic's "
         "depth: one person leaving would not leave a gap)"),
        (f"{metrics.existing_mentors} now · {metrics.potential_mentors} to approach",
         "mentors you talk with now, and people you could approach"),
    ]


def summary_html(metrics: MosaicMetrics, content: Content, *, heading: str = "h3") -> str:
    """Figures in plain words, the network kind, gaps and the grid (user text escaped)."""
    return overview_html(metrics, heading=heading) + grid_html(metrics, heading=heading)


def overview_html(metrics: MosaicMetrics, *, heading: str = "h3") -> str:
    """Figures in plain words, the gaps and the kind of network (user text escaped)."""
    h = heading
    numbers = (
        '<div class="mm-figures">'
        + "".join(
            f'<div class="mm-card mm-figure"><div class="mm-figure-value">{esc(value)}</div>'
            f'<div class="mm-muted">{esc(label)}</div></div>'
            for value, label in figures(metrics)
        )
        + "</div>"
    )
    if metrics.kind is None:
        kind = (
            f"<{h}>Your kind of network</{h}><p>Add the mentors you talk with now (“We already "
            "talk”) to see what kind of network you have.</p>"
        )
    else:
        k = metrics.kind
        kind = (
            f"<{h}>Your kind of network: {esc(k.type.name)}</{h}>"
            f"<p>{esc(k.type.description)}</p>"
            f'<p class="mm-hint">{esc(k.explanation)}</p>'
        )
    gap_names = ", ".join(g.name for g in metrics.gaps)
    gaps = (
        f'<p><strong>Gaps ({len(metrics.gaps)}):</strong> {esc(gap_names)}</p>'
        if metrics.gaps
        else "<p><strong>No gaps:</strong> every kind of support has at least one current "
        "mentor.</p>"
    )
    return numbers + gaps + kind


def grid_html(metrics: MosaicMetrics, *, heading: str = "h3") -> str:
    """The grid of kinds of support against levels (user text escaped)."""
    h = heading
    head = "".join(f'<th scope="col">{esc(LEVEL_WORDS[lvl])}</th>' for lvl in LEVELS)
    rows = []
    for dd in metrics.depth:
        cells = []
        for lvl in LEVELS:
            cell = metrics.grid[dd.domain_id][lvl]
            background, color = _shade(cell.tie_sum)
            text = str(cell.existing) if cell.existing else "–"
            if cell.potential:
                text += f" (+{cell.potential})"
            label = (
                f"{cell.existing} current, {cell.potential} to approach"
                if cell.existing or cell.potential
                else "nobody yet"
            )
            cells.append(
                f'<td style="background:{background};color:{color};text-align:center" '
                f'title="{esc(label)}">{esc(text)}</td>'
            )
        swatch = (
            f'<span aria-hidden="true" class="mm-swatch" style="background:{esc(dd.color)}">'
            "</span>"
        )
        if dd.is_gap:
            need = f"need {dd.need} of 4" if dd.need else "need not rated"
            top = " · a top need" if dd.top_need else ""
            flag = f'<br><span class="mm-gap-flag">Gap · {esc(need)}{esc(top)}</span>'
            style = ' class="mm-gap-row"'
        else:
            flag, style = "", ""
        rows.append(
            f'<tr{style}><th scope="row">{swatch}{esc(dd.name)}{flag}'
            f'</th>{"".join(cells)}<td style="text-align:center">{dd.tie_sum}</td></tr>'
        )
    grid = (
        ("" if h == "none" else f"<{h}>Who supports what</{h}>")
        + '<p class="mm-hint">Each square counts your current mentors for that kind of support at '
        "that level (people to approach in brackets); darker means more, or closer, people. "
        "The colour beside each kind is its colour on the map. A red mark is a gap: nobody "
        "supports you there yet.</p>"
        '<div class="mm-grid-box" tabindex="0" role="region" aria-label="Who supports what">'
        '<table class="mm-table mm-grid"><caption class="mm-muted" style="text-align:left">'
        "Kinds of support against levels</caption>"
        f'<thead><tr><th scope="col">Kind of support</th>{head}<th scope="col">Depth</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return grid


class MosaicSummary(ipw.VBox):
    """The mosaic at a glance, updated on every change; the grid folds away (its open or
    closed state survives updates, which an HTML disclosure's would not)."""

    def __init__(self, session: Session, content: Content, *, live: bool = True) -> None:
        super().__init__(layout=ipw.Layout(width="100%"))
        self.session = session
        self.content = content
        self.add_class("mm-mosaic-summary")
        self.overview = ipw.HTML()
        self.grid = ipw.HTML()
        self.grid_fold = ipw.Accordion(children=[self.grid], selected_index=None,
                                       layout=ipw.Layout(width="100%"))
        self.grid_fold.set_title(0, "Who supports what: each kind of support by level")
        self.grid_fold.add_class("mm-more")
        self.children = [self.overview, self.grid_fold]
        if live:
            session.on_change(lambda _what: self.refresh())
        self.refresh()

    @property
    def value(self) -> str:
        """Everything the summary shows, as HTML (for tests and the take-home pack)."""
        return self.overview.value + self.grid.value

    def refresh(self) -> None:
        """Recompute from the workbook."""
        self.metrics = mosaic_metrics(self.session.workbook, self.content)
        self.overview.value = overview_html(self.metrics)
        self.grid.value = grid_html(self.metrics, heading="none")
