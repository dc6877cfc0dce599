"""The facilitator's dashboard: the room at a glance, without names, live on a projector.

Figures come live from the shared store (room server, or a hub's PostgreSQL) or from participant
files dropped in (many .json files or one .zip; Binder rooms). Only consenting participants are
counted and counts under 3 are hidden (see :mod:`mentoring_mosaic.analysis.cohort`). The charts
are plain SVG drawn here; every label is escaped.

**Live.** On the shared store the page refreshes by itself every :data:`REFRESH_SECONDS`: a
background asyncio task on the kernel's own event loop (the loop ipykernel runs under Voilà and
JupyterLab alike) wakes up, asks the store in a worker thread whether any workbook changed (one
cheap query of keys and save times) and, only then, reads and aggregates the room. Each part of
the page is its own widget holding its own HTML, and a widget whose HTML did not change is not
sent again (traitlets send nothing for an equal value), so the browser redraws only what
changed: no flicker and no scroll jump. :meth:`Dashboard.tick` is that step, synchronous, for
tests.

**Projector mode.** Large type and one chart at a time. *Previous* and *Next* are buttons
(Tab, then Enter or Space); on the "Chart on screen" list the arrow keys move between charts
(a plain drop-down list: the browser does it, no script of ours). Each chart shows only its title
until the facilitator presses *Reveal*.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import ipywidgets as ipw
import pandas as pd

from ..analysis.cohort import (
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_TITLES,
    MIN_COUNT,
    TABLE_TITLES,
    CohortReport,
    FollowUp,
    LoadResult,
    count_cell,
    is_suppressed,
    load_files,
    load_store,
    report_from,
)
from ..content import Content, get_content
from ..session import facilitator_allowed
from .common import DownloadLink, StatusWidget, esc, guarded, html_block, stylesheet

log = logging.getLogger(__name__)

REFRESH_SECONDS = 15.0
"""How often the dashboard looks for new answers by itself (every 10-20 s is what a room
needs: fresh enough to watch the count grow, rare enough to cost nothing)."""

DASHBOARD_CSS = """
.mm-dash { max-width: 1500px; }
.mm-dash, .mm-dash .widget-label, .mm-dash .widget-html-content { font-size: 17px; }
.mm-dash h1 { font-size: 2em; }
.mm-dash-top { justify-content: space-between; align-items: center; gap: 4px 16px; }
.mm-dash-top h1 { margin: 0.2em 0; }
.mm-dash .widget-box.mm-dash-grid { display: grid; gap: 14px; width: 100%;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
.mm-dash-grid > .mm-card { margin: 0; min-width: 0; }
.mm-dash .mm-chart svg { width: 100%; height: auto; display: block; }
.mm-dash-grid .mm-chart .widget-html-content { display: block; }
.mm-dash .mm-chart h2, .mm-dash-grid h2 { margin-top: 0.2em; }
.mm-big { font-size: 2.6em; font-weight: 700; color: #1d3557; line-height: 1.1; }
.mm-kpis { display: flex; flex-wrap: wrap; gap: 14px; margin-bottom: 10px; }
.mm-dash .widget-hbox.mm-wrap { gap: 4px 14px; }
.mm-kpi { flex: 1 1 220px; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px 14px;
  background: #f8fafc; box-sizing: border-box; min-width: 0; }
.mm-kpi .mm-hint { display: block; }
.mm-dash .mm-table-wrap { overflow-x: auto; max-width: 100%; }
.mm-dash table.mm-table { font-size: 0.95em; }
.mm-dash .mm-refusal { font-size: 1.1em; }
.mm-shared { font-size: 1.5em; font-weight: 600; color: #1d3557; margin: 0.1em 0; }
.mm-shared strong { font-size: 1.35em; font-variant-numeric: tabular-nums; }
/* projector mode: large type, one chart at a time */
.mm-dash.mm-projector { max-width: 1820px; }
.mm-projector, .mm-projector .widget-label, .mm-projector .widget-html-content { font-size: 24px; }
.mm-projector h1 { font-size: 1.5em; }
.mm-projector .mm-nav-row { align-items: center; gap: 8px 12px; }
.mm-projector .mm-nav-row .jupyter-button, .mm-dash-top .jupyter-button { font-size: 20px;
  min-height: 48px; padding: 6px 18px; }
.mm-dash .jupyter-button:focus-visible { outline: 4px solid #f4a261; outline-offset: 2px; }
.mm-projector .mm-chooser select { font-size: 20px; height: 48px; }
.mm-projector .mm-chooser { height: auto; align-items: center; }
.mm-projector .mm-chooser > .widget-label { font-size: 20px; line-height: 48px; height: 48px; }
.mm-slide h2 { font-size: 1.9em; margin: 0.15em 0 0.1em; color: #1d3557; }
.mm-slide .mm-slide-pos { color: #334155; font-weight: 600; margin: 0; font-size: 0.85em; }
.mm-slide .mm-hint { margin: 0 0 0.4em; font-size: 0.8em; }
.mm-slide .mm-chart svg { max-height: max(260px, calc(100vh - 400px)); }
.mm-slide-wait { font-size: 1.3em; color: #334155; border: 3px dashed #94a3b8;
  border-radius: 12px; padding: 1.2em 1em; text-align: center; margin: 0.6em 0; }
.mm-slide .mm-big { font-size: 4.5em; display: block; }
.mm-follow-counts { font-size: 1.1em; margin: 0.2em 0 0.6em; }
.mm-follow-up .mm-chart svg { width: 100%; max-width: 620px; height: auto; display: block; }
.mm-follow-tables summary { cursor: pointer; font-weight: 600; color: #1d3557; margin: 8px 0; }
.mm-slide blockquote { font-size: 1.3em; margin: 0.3em 0; border-left: 6px solid #2a6f97;
  padding-left: 0.6em; color: #1e293b; }
"""

BAR = "#2a6f97"
GAP = "#9b2226"
MUTED = "#475569"


# -- SVG charts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    """One bar: a label, a percentage (or a suppressed marker), optional note and colour."""

    label: str
    value: float | str
    note: str = ""
    color: str = BAR


MAX_LABEL = 44
"""Longer labels are cut with an ellipsis (the full text stays in the tables)."""


@dataclass(frozen=True)
class _Geometry:
    """Where a bar chart puts things (SVG user units)."""

    width: int
    row_h: int
    bar_h: int
    font: int
    label_x: int
    bar_x: int
    bar_dy: int  # the bar's top, below the row's top
    text_dy: int  # the label's baseline, below the row's top
    right: int  # room kept after the longest bar for its value
    max_label: int


STACKED = _Geometry(460, 52, 22, 18, 4, 4, 22, 17, 78, MAX_LABEL)
"""Label above each bar: narrow, for a card in the grid (about 14 px text on a phone)."""
WIDE = _Geometry(1000, 42, 28, 22, 4, 480, 7, 29, 110, 38)
"""Label beside each bar: for the projector, where height is short and width plenty."""


def bar_chart_svg(
    bars: list[Bar], title: str, *, max_value: float = 100.0, wide: bool = False
) -> str:
    """A horizontal bar chart as inline SVG, the value after each bar.

    Suppressed values draw no bar and say so. Sized by its viewBox, so it fills any width and
    its text grows with it. ``wide`` puts each label beside its bar (projector mode).
    """
    g = WIDE if wide else STACKED
    height = max(1, len(bars)) * g.row_h + 6
    span = g.width - g.bar_x - g.right
    parts = [
        f'<svg viewBox="0 0 {g.width} {height}" role="img" aria-label="{esc(title)}" '
        + ('preserveAspectRatio="xMinYMin meet" ' if wide else "")
        + 'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">',
        f"<title>{esc(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = i * g.row_h + 2
        label = bar.label if len(bar.label) <= g.max_label else bar.label[: g.max_label - 1] + "…"
        parts.append(
            f'<text x="{g.label_x}" y="{y + g.text_dy}" font-size="{g.font}" fill="#1f2937">'
            f"{esc(label)}</text>"
        )
        bar_y = y + g.bar_dy
        parts.append(
            f'<rect x="{g.bar_x}" y="{bar_y}" width="{span}" height="{g.bar_h}" rx="4" '
            'fill="#e8edf3"/>'
        )
        text_y = bar_y + g.bar_h // 2 + g.font // 3 + 1
        if is_suppressed(bar.value):
            parts.append(
                f'<text x="{g.bar_x + 8}" y="{text_y}" font-size="{g.font - 3}" '
                f'fill="{MUTED}" font-style="italic">fewer than 3: hidden</text>'
            )
            continue
        value = float(bar.value)
        w = 0 if max_value <= 0 else max(0.0, min(1.0, value / max_value)) * span
        parts.append(
            f'<rect x="{g.bar_x}" y="{bar_y}" width="{w:.1f}" height="{g.bar_h}" rx="4" '
            f'fill="{esc(bar.color)}"/>'
        )
        shown = f"{value:g}%" if max_value == 100.0 else f"{value:g}"
        if bar.note:
            shown += f" {bar.note}"
        parts.append(
            f'<text x="{g.bar_x + span + 8}" y="{text_y}" font-size="{g.font}" '
            f'font-weight="700" fill="#1f2937">{esc(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def table_html(df: pd.DataFrame, caption: str) -> str:
    """A DataFrame as an escaped, accessible HTML table."""
    if df.empty:
        return f'<p class="mm-muted">{esc(caption)}: nothing to show yet.</p>'
    readable = df.rename(columns=lambda c: str(c).replace("_", " ").capitalize())
    body = readable.to_html(index=False, escape=True, border=0, classes="mm-table", na_rep="")
    body = body.replace("<table ", f"<table aria-label=\"{esc(caption)}\" ", 1)
    body = body.replace("<th>", '<th scope="col">')
    return f'<div class="mm-table-wrap">{body}</div>'


def _pct_bars(df: pd.DataFrame, label_col: str, value_col: str, color: str = BAR) -> list[Bar]:
    return [Bar(str(rec[label_col]), rec[value_col], "", color) for rec in df.to_dict("records")]


# -- the charts, one by one -----------------------------------------------------------------------
@dataclass(frozen=True)
class Chart:
    """One chart of the room: a stable key, its title, a short name, a one-line reading hint
    and the drawing (inline SVG or the headline's big number)."""

    key: str
    title: str
    short: str
    hint: str
    body: str
    base: str = ""
    """What the figures are out of, in one plain sentence (the n behind them)."""


CHARTS: tuple[tuple[str, str, str], ...] = (
    ("headline", "What the room thinks of the workshop", "Workshop"),
    ("needs", "Needs by domain", "Needs"),
    ("gaps", "Gaps across the room", "Gaps"),
    ("levels", "Level mix", "Level mix"),
    ("mosaic_size", "Mosaic size", "Mosaic size"),
    ("scenarios", "Scenarios chosen most often", "Scenarios"),
)
"""Every chart, in the projector's order: key, title, short name. Fixed, so the projector's
chart list never changes under the facilitator's keyboard."""

BASE_TABLE = {"headline": "evaluation"}
"""The table whose base (``CohortReport.notes``) a chart states, when its key differs."""

HINTS = {
    "headline": "The share of participants who answered and agree or strongly agree.",
    "needs": "Share of participants rating their need 3 or 4 (of 4).",
    "gaps": "Share of participants with no existing mentor for each domain.",
    "levels": "Share of all mentors named in the room at each level.",
    "mosaic_size": "Share of participants by how many mentors their mosaic holds.",
    "scenarios": "Share of participants who saved a strategy for each scenario.",
}


def headline_figure(report: CohortReport) -> tuple[str, str]:
    """The headline item's big figure and the sentence under it."""
    h = report.headline
    if is_suppressed(h["agree_percent"]):
        return "hidden", "fewer than 3 answers in a group, so the share is hidden"
    return (
        f"{h['agree_percent']:g}%",
        f"{h['agree']} of {h['answered']} who answered agree or strongly agree",
    )


def chart_bars(report: CohortReport, key: str) -> list[Bar]:
    """The bars of one chart (every label comes from the report's content-defined tables)."""
    t = report.tables
    if key == "needs":
        return _pct_bars(t["needs"], "name", "percent_need_3_or_more")
    if key == "gaps":
        return _pct_bars(t["gaps"], "name", "percent_without", color=GAP)
    if key == "levels":
        return [
            Bar(str(r["level"]).capitalize(), r["percent_of_people"])
            for r in t["levels"].to_dict("records")
        ]
    if key == "mosaic_size":
        size = t["mosaic_size"]
        bins = size[size["measure"].astype(str).str.startswith("Participants with ")]
        n = report.participants
        return [
            Bar(
                str(r["measure"]).removeprefix("Participants with "),
                r["value"] if is_suppressed(r["value"]) else round(100 * r["value"] / n, 1),
            )
            for r in bins.to_dict("records")
        ]
    if key == "scenarios":
        return _pct_bars(t["scenarios"].head(6), "title", "percent")
    raise KeyError(key)


def chart_list(report: CohortReport, content: Content, *, wide: bool = False) -> list[Chart]:
    """Every chart of :data:`CHARTS`, drawn when at least 3 participants shared (else empty)."""
    out = []
    notes: dict[str, str] = getattr(report, "notes", None) or {}
    for key, title, short in CHARTS:
        body = ""
        if report.enough:
            if key == "headline":
                big, detail = headline_figure(report)
                body = (
                    f"<blockquote>“{esc(report.headline_text)}”</blockquote>"
                    f'<span class="mm-big">{esc(big)}</span><p>{esc(detail)}.</p>'
                )
            else:
                svg_title = "Level mix of mentors" if key == "levels" else title
                body = bar_chart_svg(chart_bars(report, key), svg_title, wide=wide)
        base = notes.get(BASE_TABLE.get(key, key), "") if report.enough else ""
        out.append(Chart(key, title, short, HINTS[key], body, base))
    return out


CARD_MORE = {"needs": "Mean ratings are in the tables below."}
"""What a card says beyond its hint on the full page (the projector shows no tables)."""


def hint_html(chart: Chart, *, card: bool = False) -> str:
    """The reading hint, then what the figures are out of."""
    words = [chart.hint, CARD_MORE.get(chart.key, "") if card else "", chart.base]
    return f'<p class="mm-hint">{esc(" ".join(w for w in words if w))}</p>'


def card_head_html(chart: Chart) -> str:
    """A card's words: its title, hint and base."""
    return f"<h2>{esc(chart.title)}</h2>{hint_html(chart, card=True)}"


def card_html(chart: Chart) -> str:
    """A chart as a card in the grid (normal mode)."""
    return f'{card_head_html(chart)}<div class="mm-chart">{chart.body}</div>'


def charts_html(report: CohortReport, content: Content) -> list[str]:
    """Every bar chart card (HTML) for a report with enough participants."""
    return [card_html(c) for c in chart_list(report, content) if c.key != "headline"]


def shared_text(participants: int) -> str:
    """"12 participants have shared so far", with the under-3 rule (0 included)."""
    if participants < MIN_COUNT:
        return f"Fewer than {MIN_COUNT} participants have shared so far"
    return f"{participants} participants have shared so far"


def shared_html(participants: int) -> str:
    """The shared count as a live line: the number stands out, screen readers hear changes."""
    text = shared_text(participants)
    if participants >= MIN_COUNT:
        number, rest = text.split(" ", 1)
        text_html = f"<strong>{esc(number)}</strong> {esc(rest)}"
    else:
        text_html = esc(text)
    return f'<p class="mm-shared" role="status" aria-live="polite">{text_html}</p>'


def headline_html(report: CohortReport) -> str:
    """The big numbers: who has shared and the headline evaluation item."""
    big, detail = headline_figure(report)
    return (
        '<div class="mm-kpis">'
        f'<div class="mm-kpi"><span class="mm-big">{esc(report.participants)}</span>'
        '<span class="mm-hint">participants have shared so far (they agreed to share; only '
        "they are counted)</span></div>"
        f'<div class="mm-kpi"><span class="mm-big">{esc(big)}</span>'
        f'<span class="mm-hint">“{esc(report.headline_text)}”: {esc(detail)}.</span></div>'
        "</div>"
    )


def waiting_html() -> str:
    """What the figures say while fewer than 3 participants have shared."""
    return (
        '<div class="mm-status-info">'
        f"{esc(shared_text(0))}. The figures appear once at least {MIN_COUNT} participants "
        "have agreed to share their answers, so that nobody can be identified.</div>"
    )


def slide_html(chart: Chart, index: int, total: int, *, revealed: bool, enough: bool) -> str:
    """One chart on the projector: its title always; the chart only once revealed."""
    state = "" if revealed and enough else ", not shown yet"
    head = (
        f'<p class="mm-slide-pos" role="status" aria-live="polite">Chart {index + 1} of {total}'
        f"{esc(state)}</p><h2>{esc(chart.title)}</h2>"
    )
    if not enough:
        return head + (
            f'<p class="mm-slide-wait">The figures appear once at least {MIN_COUNT} '
            "participants have shared.</p>"
        )
    if not revealed:
        return head + '<p class="mm-slide-wait">Hidden until the facilitator reveals it.</p>'
    return head + hint_html(chart) + f'<div class="mm-chart">{chart.body}</div>'


# -- three months on -------------------------------------------------------------------------------
FOLLOW_UP_HINT = (
    "Participants who came back about three months after the workshop to review their plan "
    "(“Three months on”) and agreed, in that review, to share it. Workbooks without a review "
    "are counted as not reviewed yet, never guessed."
)


def _figure(value: Any, suffix: str = "") -> str:
    return "hidden" if is_suppressed(value) else f"{value:g}{suffix}"


def follow_up_html(follow: FollowUp) -> str:
    """The "Three months on" card: who reviewed, the big figures, support then and now, and
    the follow-up tables in a fold. Every label is fixed or from the content files."""
    counts = (
        f'<p class="mm-follow-counts"><strong>{esc(count_cell(follow.counted))}</strong> '
        "reviews shared · "
        f"not reviewed yet: <strong>{esc(count_cell(follow.not_reviewed))}</strong> · "
        "reviewed, not shared: "
        f"<strong>{esc(count_cell(follow.reviewed_not_shared))}</strong></p>"
    )
    if follow.counted == 0 and follow.reviewed_not_shared == 0:
        return (
            "<h2>Three months on</h2><p class=\"mm-hint\">No reviews yet: participants review "
            "their plan about three months after the workshop (“Three months on” in the app); "
            "the figures of those who share their review will appear here.</p>"
        )
    head = f"<h2>Three months on</h2><p class=\"mm-hint\">{esc(FOLLOW_UP_HINT)}</p>{counts}"
    if not follow.enough:
        return head + (
            '<div class="mm-status-info">The follow-up figures appear once at least '
            f"{MIN_COUNT} participants have shared their review, so that nobody can be "
            "identified.</div>"
        )
    h = follow.headline
    kpis = (
        '<div class="mm-kpis">'
        f'<div class="mm-kpi"><span class="mm-big">{esc(_figure(h["actions_done_percent"], "%"))}'
        f'</span><span class="mm-hint">of the actions with an answer are done '
        f"({esc(h['actions_done'])} of {esc(h['actions_answered'])})</span></div>"
        f'<div class="mm-kpi"><span class="mm-big">{esc(_figure(h["new_mentors_mean"]))}</span>'
        '<span class="mm-hint">new mentors per participant since the workshop (on '
        "average)</span></div>"
        f'<div class="mm-kpi"><span class="mm-big">'
        f'{esc(_figure(h["outcome_agree_percent"], "%"))}</span><span class="mm-hint">agree '
        f"or strongly agree: “{esc(follow.outcome_text)}” ({esc(h['outcome_agree'])} of "
        f"{esc(h['outcome_answered'])} who answered)</span></div></div>"
    )
    bars = [
        Bar(str(r["name"]), r["percent_higher_now"])
        for r in follow.rows["support"]
    ]
    chart = (
        "<h3>More support now than on the workshop day</h3>"
        '<p class="mm-hint">Share of participants rating their support for each domain higher '
        "in the review than on the workshop day, out of those who rated it both times. Mean "
        "ratings are in the tables.</p>"
        + f'<div class="mm-chart">{bar_chart_svg(bars, "More support now, by domain")}</div>'
    )
    tables = "".join(
        f"<h3>{esc(title)}</h3>"
        + (f'<p class="mm-hint">{esc(follow.notes[name])}</p>' if follow.notes.get(name) else "")
        + table_html(pd.DataFrame(follow.rows.get(name, []), columns=FOLLOW_UP_COLUMNS[name]),
                     title)
        for name, title in FOLLOW_UP_TITLES.items()
    )
    fold = (
        '<details class="mm-follow-tables"><summary>Follow-up tables (actions, support, new '
        f"mentors, outcome)</summary>{tables}</details>"
    )
    return head + kpis + chart + fold


def rejected_html(result: LoadResult) -> str:
    """The files that were not counted, each with its reason."""
    if not result.rejected:
        return ""
    rows = "".join(
        f"<tr><td>{esc(r.name)}</td><td>{esc(r.reason)}</td></tr>" for r in result.rejected
    )
    return (
        f"<h3>Files not counted ({len(result.rejected)})</h3>"
        '<div class="mm-table-wrap"><table class="mm-table" aria-label="Files not counted">'
        '<thead><tr><th scope="col">File</th><th scope="col">Why</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


# -- the widget ------------------------------------------------------------------------------------
SOURCE_STORE = "The shared store (live)"
SOURCE_FILES = "Files I drop in"
PROJECTOR_ON = "Projector mode"
PROJECTOR_OFF = "Leave projector mode"


class Dashboard(ipw.VBox):
    """Sources (store or dropped files), big numbers, charts, tables, CSV downloads, and a
    projector mode; refreshes itself from the store (see the module's docstring)."""

    def __init__(
        self,
        content: Content | None = None,
        *,
        store: Any = None,
        interval: float = REFRESH_SECONDS,
        auto: bool = True,
    ) -> None:
        super().__init__()
        self.add_class("mm-page")
        self.add_class("mm-dash")
        self.content = content or get_content()
        self._store = store
        self._own_store = store is None
        self.interval = interval
        self.status = StatusWidget()
        self.files = LoadResult()
        self.source_result = LoadResult()
        self.report: CohortReport | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._task: asyncio.Task[None] | None = None
        self._csv_digest = ""
        self._auto_error = False
        self.revealed: set[str] = set()
        self.ticks = 0
        """Periodic steps that found the store changed (and so redrew)."""

        # -- sources and actions
        self.source = ipw.ToggleButtons(
            options=[SOURCE_STORE, SOURCE_FILES],
            description="Figures from",
            style={"description_width": "initial", "button_width": "auto"},
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.refresh_button = ipw.Button(
            description="Refresh", icon="refresh", button_style="primary",
            tooltip="Read the shared store again now", layout=ipw.Layout(width="auto"),
        )
        self.auto = ipw.Checkbox(
            value=True, indent=False,
            description=f"Update by itself every {self.interval:g} seconds",
            layout=ipw.Layout(width="auto"),
        )
        self.include_demo = ipw.Checkbox(
            description="Count the demo personas too (rehearsal only)", indent=False,
            layout=ipw.Layout(width="auto"),
        )
        self.upload = ipw.FileUpload(
            accept=".json,.zip,.ipynb", multiple=True,
            description="Add participant files", icon="upload",
            tooltip="Workbook .json files, notebook copies or one .zip",
            layout=ipw.Layout(width="auto"),
        )
        self.clear_files = ipw.Button(
            description="Forget dropped files", icon="trash", layout=ipw.Layout(width="auto"),
        )
        self.download_all = DownloadLink(
            "⬇ Download every table as CSV (zip)", "mentoring-mosaic-room.zip", "application/zip"
        )
        self.projector_button = ipw.Button(
            description=PROJECTOR_ON, icon="desktop",
            tooltip="Large type, one chart at a time, each shown when you reveal it",
            layout=ipw.Layout(width="auto"),
        )

        # -- what the figures show (each part its own widget: only changed parts redraw)
        self.shared = html_block("")
        self.kpis = html_block("")
        # a card's words (title, hint, base: its n changes with every new participant) and its
        # drawing are two widgets, so a chart whose bars did not move is never drawn again
        self.chart_heads = {key: html_block("") for key, _t, _s in CHARTS[1:]}
        self.chart_bodies = {key: html_block("", "mm-chart") for key, _t, _s in CHARTS[1:]}
        self.chart_cards = {
            key: ipw.VBox([self.chart_heads[key], self.chart_bodies[key]])
            for key, _t, _s in CHARTS[1:]
        }
        for card in self.chart_cards.values():
            card.add_class("mm-card")
        self.chart_grid = ipw.Box(list(self.chart_cards.values()))
        self.chart_grid.add_class("mm-dash-grid")
        self.follow_up = html_block("")
        """Three months on: the reviews shared (see :func:`follow_up_html`)."""
        self.follow_up_card = ipw.VBox([self.follow_up])
        self.follow_up_card.add_class("mm-card")
        self.follow_up_card.add_class("mm-follow-up")
        self.table_blocks = {name: html_block("") for name in TABLE_TITLES}
        self.tables = ipw.VBox(list(self.table_blocks.values()))
        self.bad_files = html_block("")

        # -- projector mode
        def nav(text: str, icon: str, tip: str, style: str = "") -> ipw.Button:
            return ipw.Button(description=text, icon=icon, tooltip=tip, button_style=style,
                              layout=ipw.Layout(width="auto"))

        self.prev_button = nav("Previous", "arrow-left", "The chart before this one")
        self.reveal_button = nav("Reveal", "eye", "Show this chart to the room", "primary")
        self.next_button = nav("Next", "arrow-right", "The next chart")
        self.chooser = ipw.Dropdown(
            options=[(title, i) for i, (_k, title, _s) in enumerate(CHARTS)],
            value=0, description="Chart on screen",
            style={"description_width": "initial"},
            layout=ipw.Layout(width="660px", max_width="100%"),
        )
        self.chooser.add_class("mm-chooser")
        self.slide = html_block("", "mm-slide")
        nav_row = ipw.HBox([self.prev_button, self.reveal_button, self.next_button, self.chooser])
        nav_row.add_class("mm-wrap")
        nav_row.add_class("mm-nav-row")
        self.projector_box = ipw.VBox(
            [nav_row, self.slide], layout=ipw.Layout(display="none", width="100%")
        )

        # -- wiring
        self.refresh_button.on_click(self._on_refresh)
        self.upload.observe(self._on_upload, names="value")
        self.clear_files.on_click(self._on_clear)
        self.source.observe(self._on_source, names="value")
        self.include_demo.observe(lambda _c: self._on_refresh(), names="value")
        self.projector_button.on_click(lambda _b: self.set_projector(not self.projecting))
        self.prev_button.on_click(lambda _b: self.go(self.chooser.value - 1))
        self.next_button.on_click(lambda _b: self.go(self.chooser.value + 1))
        self.reveal_button.on_click(lambda _b: self.toggle_reveal())
        self.chooser.observe(lambda _c: self._draw_slide(), names="value")

        self.title = html_block("<h1>The room at a glance</h1>")
        top = ipw.HBox([self.title, self.shared, self.projector_button])
        top.add_class("mm-wrap")
        top.add_class("mm-dash-top")
        store_row = ipw.HBox([self.refresh_button, self.auto, self.include_demo])
        store_row.add_class("mm-wrap")
        files_row = ipw.HBox([self.upload, self.clear_files])
        files_row.add_class("mm-wrap")
        self.controls = ipw.VBox([
            html_block(
                '<p class="mm-hint">Only participants who agreed to share anonymised answers are '
                f"counted, and any count under {MIN_COUNT} is hidden, so nobody can be "
                "identified. No names are shown.</p>"
            ),
            self.source, store_row, files_row, self.status,
        ])
        self.controls.add_class("mm-card")
        self.table_section = ipw.VBox([
            html_block("<h2>Tables</h2>"), self.download_all, self.tables, self.bad_files,
        ])
        self._normal_parts: list[ipw.Widget] = [
            self.controls, self.kpis, self.chart_grid, self.follow_up_card, self.table_section,
        ]
        self.children = [
            stylesheet(),
            html_block(f"<style>{DASHBOARD_CSS}</style>"),
            top,
            self.projector_box,
            *self._normal_parts,
        ]
        self.shared.layout.display = "none"  # the KPIs say it in normal mode
        self._on_refresh()
        if auto:
            self.start_auto_refresh()

    # -- the store -----------------------------------------------------------------------------
    @property
    def store(self) -> Any:
        """The shared store, opened once and kept while the dashboard lives."""
        if self._store is None:
            from ..store import Store

            self._store = Store()
        return self._store

    def _store_stamp(self, include_demo: bool) -> tuple[Any, ...]:
        """What changes whenever any workbook is saved: every key with its last save time."""
        return tuple(
            (p.key, p.updated_at.timestamp(), p.is_demo)
            for p in sorted(self.store.participants(), key=lambda p: p.key)
            if include_demo or not p.is_demo
        )

    def _poll(self, *, force: bool = False) -> tuple[LoadResult, CohortReport] | None:
        """Read and aggregate the store if anything was saved since the last read, else None.

        Touches no widget, so it can run in a worker thread while the page stays responsive.
        The stamp is taken before reading: a save in between makes the next poll read again.
        """
        include_demo = bool(self.include_demo.value)
        stamp = (include_demo, *self._store_stamp(include_demo))
        if not force and stamp == self._stamp:
            return None
        result = load_store(self.store, include_demo=include_demo)
        report = report_from(result, self.content)
        self._stamp = stamp
        return result, report

    def _apply(self, result: LoadResult, report: CohortReport) -> None:
        self.source_result = result
        if self.source.value == SOURCE_STORE:
            self._render(report)

    def _live(self) -> bool:
        return bool(self.auto.value) and self.source.value == SOURCE_STORE

    def tick(self) -> bool:
        """One step of the periodic refresh, synchronous: True if the store had changed."""
        if not self._live():
            return False
        polled = self._poll()
        if polled is None:
            return False
        self._apply(*polled)
        self.ticks += 1
        return True

    def start_auto_refresh(self) -> bool:
        """Start the periodic refresh on the running event loop (the kernel's). Outside a
        kernel (tests, scripts) there is none and nothing starts: drive :meth:`tick`."""
        if self._task is not None and not self._task.done():
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._task = loop.create_task(self._auto_refresh())
        return True

    def stop_auto_refresh(self) -> None:
        """Stop the periodic refresh."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _auto_refresh(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.interval)
            if not self._live():
                continue
            try:
                polled = await loop.run_in_executor(None, self._poll)
                if polled is not None:
                    self._apply(*polled)
                    self.ticks += 1
                if self._auto_error:
                    self._auto_error = False
                    self.status.clear()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a database hiccup must not end the refresh
                log.warning("dashboard refresh failed: %s", exc)
                if not self._auto_error:
                    self._auto_error = True
                    self.status.show(
                        "Could not read the shared store just now; trying again every "
                        f"{self.interval:g} seconds. The figures shown are the last ones read.",
                        "error",
                    )

    def close(self) -> None:
        """Stop the refresh, let go of the store, then close the widget."""
        self.stop_auto_refresh()
        if self._own_store and self._store is not None:
            with contextlib.suppress(Exception):
                self._store.dispose()
            self._store = None
        super().close()

    # -- actions -------------------------------------------------------------------------------
    @guarded()
    def _on_refresh(self, _button: ipw.Button | None = None) -> None:
        polled = self._poll(force=True)
        assert polled is not None
        self._apply(*polled)
        if _button is not None:
            self.status.show("The figures are up to date with the shared store.", "info")

    def _on_source(self, change: dict[str, Any]) -> None:
        if change["new"] == SOURCE_STORE:
            self._on_refresh()  # the store may have moved on while files were shown
        else:
            self._render()

    @guarded()
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        pairs = [(f["name"], bytes(f["content"])) for f in files]
        self.upload.value = ()
        added = load_files(pairs)
        before = len(self.files.workbooks)
        self.files.extend(added)
        self.source.value = SOURCE_FILES
        self._render()
        new = len(self.files.workbooks) - before
        self.status.show(
            f"Read {_count(new, 'new workbook')} from {_count(len(pairs), 'file')}; "
            f"{len(added.rejected)} not counted (see the list below).",
            "success" if not added.rejected else "info",
        )

    @guarded()
    def _on_clear(self, _button: ipw.Button | None = None) -> None:
        self.files = LoadResult()
        self._render()
        self.status.show("The dropped files are forgotten.", "info")

    def current(self) -> LoadResult:
        """The workbooks the figures are built from."""
        return self.source_result if self.source.value == SOURCE_STORE else self.files

    # -- projector mode ------------------------------------------------------------------------
    @property
    def projecting(self) -> bool:
        """Whether projector mode is on."""
        return "mm-projector" in self._dom_classes

    def set_projector(self, on: bool) -> None:
        """Projector mode on (large type, one chart at a time) or off (everything)."""
        if on:
            self.add_class("mm-projector")
        else:
            self.remove_class("mm-projector")
        self.projector_button.description = PROJECTOR_OFF if on else PROJECTOR_ON
        self.projector_box.layout.display = "" if on else "none"
        self.shared.layout.display = "" if on else "none"
        self.title.layout.display = "none" if on else ""
        for part in self._normal_parts:
            part.layout.display = "none" if on else ""
        enough = self.report is not None and self.report.enough
        self.chart_grid.layout.display = "" if enough and not on else "none"
        if on:
            self._draw_slide()
        else:
            self.slide.value = ""  # nothing drawn twice while it is not shown

    @property
    def chart_key(self) -> str:
        """The key of the chart on screen in projector mode."""
        return CHARTS[self.chooser.value][0]

    def go(self, index: int) -> None:
        """Show another chart (the first and last stay put: no wrapping round)."""
        self.chooser.value = max(0, min(len(CHARTS) - 1, index))

    def toggle_reveal(self) -> None:
        """Show the chart on screen to the room, or hide it again."""
        key = self.chart_key
        if key in self.revealed:
            self.revealed.discard(key)
        else:
            self.revealed.add(key)
        self._draw_slide()

    def _draw_slide(self) -> None:
        index = self.chooser.value
        revealed = self.chart_key in self.revealed
        self.reveal_button.description = "Hide again" if revealed else "Reveal"
        self.reveal_button.icon = "eye-slash" if revealed else "eye"
        self.reveal_button.button_style = "" if revealed else "primary"
        if not self.projecting or self.report is None:
            return
        charts = chart_list(self.report, self.content, wide=True)
        self.slide.value = slide_html(
            charts[index], index, len(charts), revealed=revealed, enough=self.report.enough
        )

    # -- drawing -------------------------------------------------------------------------------
    def _render(self, report: CohortReport | None = None) -> None:
        """Redraw from the current source. Every part is assigned its new HTML; a part whose
        HTML is unchanged sends nothing to the browser."""
        result = self.current()
        if report is None:
            report = report_from(result, self.content)
        self.report = report
        store_mode = self.source.value == SOURCE_STORE
        for widget in (self.refresh_button, self.include_demo, self.auto):
            widget.layout.display = "" if store_mode else "none"
        self.shared.value = shared_html(report.participants)
        if report.enough:
            self.kpis.value = headline_html(report)
            for chart in chart_list(report, self.content):
                if chart.key in self.chart_cards:
                    self.chart_heads[chart.key].value = card_head_html(chart)
                    self.chart_bodies[chart.key].value = chart.body
        else:
            self.kpis.value = waiting_html()
        self.chart_grid.layout.display = "" if report.enough and not self.projecting else "none"
        notes: dict[str, str] = getattr(report, "notes", None) or {}
        for name, title in TABLE_TITLES.items():
            block = self.table_blocks.get(name)
            if block is None:  # a table the analysis added since the page was built
                block = self.table_blocks[name] = html_block("")
                self.tables.children = (*self.tables.children, block)
            note = notes.get(name, "")
            block.value = (
                f"<h3>{esc(title)}</h3>"
                + (f'<p class="mm-hint">{esc(note)}</p>' if note and report.enough else "")
                + table_html(report.tables[name], title)
            )
        self.follow_up.value = follow_up_html(report.follow_up)
        self.bad_files.value = rejected_html(result)
        self._set_download(report)
        self._draw_slide()

    def _set_download(self, report: CohortReport) -> None:
        """The CSV zip, rebuilt only when a table changed (a zip's own timestamps would
        otherwise make every refresh send it again)."""
        digest = hashlib.sha256()
        for name, data in sorted(report.csv_files().items()):
            digest.update(name.encode() + b"\0" + data + b"\0")
        if digest.hexdigest() != self._csv_digest:
            self._csv_digest = digest.hexdigest()
            self.download_all.set_payload(report.csv_zip(), "mentoring-mosaic-room.zip")


def dashboard_page(store: Any = None) -> ipw.Widget:
    """What ``facilitator/dashboard.ipynb`` shows: the dashboard, or a polite refusal."""
    if not facilitator_allowed():
        refusal = html_block(
            "<h1>For facilitators only</h1>"
            '<p class="mm-refusal">This page shows the whole room\'s answers, so it needs the '
            "facilitator's link. If you are a participant, your own workbook is on the link "
            "you were given. If you are the facilitator, open the dashboard link printed when "
            "the room server started.</p>"
        )
        box = ipw.VBox([stylesheet(), refusal])
        box.add_class("mm-page")
        return box
    try:
        return Dashboard(store=store)
    except Exception as exc:
        status = StatusWidget()
        status.show(f"The dashboard could not start: {exc or type(exc).__name__}.", "error")
        box = ipw.VBox([stylesheet(), status])
        box.add_class("mm-page")
        return box


__all__ = [
    "CHARTS",
    "REFRESH_SECONDS",
    "Bar",
    "Chart",
    "Dashboard",
    "bar_chart_svg",
    "chart_list",
    "dashboard_page",
    "follow_up_html",
    "shared_text",
    "slide_html",
    "table_html",
]


def _count(n: int, noun: str) -> str:
    """"1 file", "3 files": plain words instead of "file(s)"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
