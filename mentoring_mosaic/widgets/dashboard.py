"""The facilitator's dashboard: the room at a glance, without names.

Figures come live from the shared store (room server, or a hub's PostgreSQL) or from participant
files dropped in (many .json files or one .zip). Only consenting participants are counted and
counts under 3 are hidden (see :mod:`mentoring_mosaic.analysis.cohort`). The charts are plain
SVG drawn here, large enough for a projector; every label is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as ipw
import pandas as pd

from ..analysis.cohort import (
    MIN_COUNT,
    TABLE_TITLES,
    CohortReport,
    LoadResult,
    is_suppressed,
    load_files,
    load_store,
    report_from,
)
from ..content import Content, get_content
from ..session import facilitator_allowed
from .common import DownloadLink, StatusWidget, esc, guarded, html_block, stylesheet

DASHBOARD_CSS = """
.mm-dash { max-width: 1500px; }
.mm-dash, .mm-dash .widget-label, .mm-dash .widget-html-content { font-size: 17px; }
.mm-dash h1 { font-size: 2em; }
.mm-dash-grid { display: grid; gap: 14px; width: 100%;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
.mm-dash-grid > .mm-card { margin: 0; min-width: 0; }
.mm-dash .mm-chart svg { width: 100%; height: auto; display: block; }
.mm-dash .mm-chart h2 { margin-top: 0.2em; }
.mm-big { font-size: 2.6em; font-weight: 700; color: #1d3557; line-height: 1.1; }
.mm-kpis { display: flex; flex-wrap: wrap; gap: 14px; }
.mm-kpi { flex: 1 1 220px; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px 14px;
  background: #f8fafc; box-sizing: border-box; min-width: 0; }
.mm-kpi .mm-hint { display: block; }
.mm-dash .mm-table-wrap { overflow-x: auto; max-width: 100%; }
.mm-dash table.mm-table { font-size: 0.95em; }
.mm-dash .mm-refusal { font-size: 1.1em; }
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


def bar_chart_svg(bars: list[Bar], title: str, *, max_value: float = 100.0) -> str:
    """A horizontal bar chart as inline SVG: the label above each bar, the value after it.

    Suppressed values draw no bar and say so. Sized by a narrow viewBox, so it fills any
    width and its text grows with it: about 14 px on a phone, 25 px on a projector.
    """
    width, left, right = 460, 4, 78
    row_h, label_h, bar_h = 52, 22, 22
    height = max(1, len(bars)) * row_h + 6
    span = width - left - right
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">',
        f"<title>{esc(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = i * row_h + 2
        label = bar.label if len(bar.label) <= MAX_LABEL else bar.label[: MAX_LABEL - 1] + "…"
        parts.append(
            f'<text x="{left}" y="{y + label_h - 5}" font-size="18" fill="#1f2937">'
            f"{esc(label)}</text>"
        )
        bar_y = y + label_h
        parts.append(
            f'<rect x="{left}" y="{bar_y}" width="{span}" height="{bar_h}" rx="4" '
            'fill="#e8edf3"/>'
        )
        if is_suppressed(bar.value):
            parts.append(
                f'<text x="{left + 8}" y="{bar_y + 16}" font-size="15" fill="{MUTED}" '
                'font-style="italic">fewer than 3: hidden</text>'
            )
            continue
        value = float(bar.value)
        w = 0 if max_value <= 0 else max(0.0, min(1.0, value / max_value)) * span
        parts.append(
            f'<rect x="{left}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" rx="4" '
            f'fill="{esc(bar.color)}"/>'
        )
        shown = f"{value:g}%" if max_value == 100.0 else f"{value:g}"
        if bar.note:
            shown += f" {bar.note}"
        parts.append(
            f'<text x="{left + span + 8}" y="{bar_y + 17}" font-size="18" font-weight="700" '
            f'fill="#1f2937">{esc(shown)}</text>'
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


def charts_html(report: CohortReport, content: Content) -> list[str]:
    """Every chart card (HTML) for a report with enough participants."""
    t = report.tables
    cards = []

    def card(title: str, hint: str, svg: str) -> str:
        return (
            f'<h2>{esc(title)}</h2><p class="mm-hint">{esc(hint)}</p>'
            f'<div class="mm-chart">{svg}</div>'
        )

    needs = t["needs"]
    cards.append(card(
        "Needs by domain",
        "Share of participants rating their need 3 or 4 (of 4). Mean ratings are in the "
        "tables below.",
        bar_chart_svg(
            _pct_bars(needs, "name", "percent_need_3_or_more"),
            "Needs by domain",
        ),
    ))
    cards.append(card(
        "Gaps across the room",
        "Share of participants with no existing mentor for each domain.",
        bar_chart_svg(
            _pct_bars(t["gaps"], "name", "percent_without", color=GAP),
            "Gaps across the room",
        ),
    ))
    levels = t["levels"]
    cards.append(card(
        "Level mix",
        "Share of all mentors named in the room at each level.",
        bar_chart_svg(
            [Bar(str(r["level"]).capitalize(), r["percent_of_people"])
             for r in levels.to_dict("records")],
            "Level mix of mentors",
        ),
    ))
    size = t["mosaic_size"]
    bins = size[size["measure"].str.startswith("Participants with ")]
    n = report.participants
    cards.append(card(
        "Mosaic size",
        "Share of participants by how many mentors their mosaic holds.",
        bar_chart_svg(
            [Bar(r["measure"].removeprefix("Participants with "),
                 r["value"] if is_suppressed(r["value"]) else round(100 * r["value"] / n, 1))
             for r in bins.to_dict("records")],
            "Mosaic size",
        ),
    ))
    top = t["scenarios"].head(6)
    cards.append(card(
        "Scenarios chosen most often",
        "Share of participants who saved a strategy for each scenario.",
        bar_chart_svg(_pct_bars(top, "title", "percent"), "Scenarios chosen most often"),
    ))
    return cards


def headline_html(report: CohortReport) -> str:
    """The big numbers: participants and the headline evaluation item."""
    h = report.headline
    if is_suppressed(h["agree_percent"]):
        big = "hidden"
        detail = "fewer than 3 answers in a group, so the share is hidden"
    else:
        big = f"{h['agree_percent']:g}%"
        detail = f"{h['agree']} of {h['answered']} who answered agree or strongly agree"
    return (
        '<div class="mm-kpis">'
        f'<div class="mm-kpi"><span class="mm-big">{esc(report.participants)}</span>'
        '<span class="mm-hint">participants counted (they agreed to share)</span></div>'
        f'<div class="mm-kpi"><span class="mm-big">{esc(big)}</span>'
        f'<span class="mm-hint">“{esc(report.headline_text)}”: {esc(detail)}.</span></div>'
        "</div>"
    )


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


class Dashboard(ipw.VBox):
    """Sources (store or dropped files), big numbers, charts, tables and CSV downloads."""

    def __init__(self, content: Content | None = None, *, store: Any = None) -> None:
        super().__init__()
        self.add_class("mm-page")
        self.add_class("mm-dash")
        self.content = content or get_content()
        self.store = store
        self.status = StatusWidget()
        self.files = LoadResult()
        self.source_result = LoadResult()
        self.report: CohortReport | None = None

        self.source = ipw.ToggleButtons(
            options=[SOURCE_STORE, SOURCE_FILES],
            description="Figures from",
            style={"description_width": "initial", "button_width": "auto"},
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.refresh_button = ipw.Button(
            description="Refresh", icon="refresh", button_style="primary",
            tooltip="Read the shared store again", layout=ipw.Layout(width="auto"),
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
        self.kpis = html_block("")
        self.charts = ipw.HTML()
        self.tables = html_block("")
        self.bad_files = html_block("")
        self.refresh_button.on_click(self._on_refresh)
        self.upload.observe(self._on_upload, names="value")
        self.clear_files.on_click(self._on_clear)
        self.source.observe(lambda _c: self._render(), names="value")
        self.include_demo.observe(lambda _c: self._on_refresh(), names="value")

        store_row = ipw.HBox([self.refresh_button, self.include_demo])
        store_row.add_class("mm-wrap")
        files_row = ipw.HBox([self.upload, self.clear_files])
        files_row.add_class("mm-wrap")
        controls = ipw.VBox([
            html_block(
                '<p class="mm-hint">Only participants who agreed to share anonymised answers are '
                f"counted, and any count under {MIN_COUNT} is hidden, so nobody can be "
                "identified. No names are shown.</p>"
            ),
            self.source, store_row, files_row, self.status,
        ])
        controls.add_class("mm-card")
        self.children = [
            stylesheet(),
            html_block(f"<style>{DASHBOARD_CSS}</style>"),
            html_block("<h1>The room at a glance</h1>"),
            controls,
            self.kpis,
            self.charts,
            html_block("<h2>Tables</h2>"),
            self.download_all,
            self.tables,
            self.bad_files,
        ]
        self._on_refresh()

    # -- data --------------------------------------------------------------------------------
    @guarded()
    def _on_refresh(self, _button: ipw.Button | None = None) -> None:
        self.source_result = load_store(self.store, include_demo=self.include_demo.value)
        if self.source.value == SOURCE_STORE:
            self._render()
        self.status.show(
            f"Read {len(self.source_result.workbooks)} workbook(s) from the shared store.", "info"
        )

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
        self.status.show(
            f"Read {len(self.files.workbooks) - before} new workbook(s) from "
            f"{len(pairs)} file(s); {len(added.rejected)} not counted (see the list below).",
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

    # -- drawing -----------------------------------------------------------------------------
    def _render(self) -> None:
        result = self.current()
        self.report = report_from(result, self.content)
        report = self.report
        self.refresh_button.layout.display = "" if self.source.value == SOURCE_STORE else "none"
        self.include_demo.layout.display = self.refresh_button.layout.display
        if report.enough:
            self.kpis.value = headline_html(report)
            cards = "".join(f'<div class="mm-card">{c}</div>' for c in charts_html(
                report, self.content))
            self.charts.value = f'<div class="mm-dash-grid">{cards}</div>'
        else:
            self.kpis.value = (
                '<div class="mm-status-info" role="status">'
                f"{esc(len(result.workbooks))} workbook(s) read. The figures appear once at "
                f"least {MIN_COUNT} participants have agreed to share their answers, so that "
                "nobody can be identified.</div>"
            )
            self.charts.value = ""
        sections = []
        for name, title in TABLE_TITLES.items():
            sections.append(f"<h3>{esc(title)}</h3>{table_html(report.tables[name], title)}")
        self.tables.value = "".join(sections)
        self.bad_files.value = rejected_html(result)
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


__all__ = ["Bar", "Dashboard", "bar_chart_svg", "dashboard_page", "table_html"]
