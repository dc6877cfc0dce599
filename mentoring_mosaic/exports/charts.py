"""Small SVG charts drawn by hand (no plotting library): need against support per domain.

Every piece of text is escaped with :func:`html.escape` (domain names come from editable
content files). The SVG is accessible: ``role="img"``, an ``aria-label`` that summarises the
largest gaps, a ``<title>`` and a ``<desc>`` listing every domain's two values, and visible
text labels so nothing depends on colour alone.
"""

from __future__ import annotations

from html import escape

from ..analysis.goals import suggest_top_needs
from ..content import Content
from ..model import Needs, Workbook

WIDTH = 360  # narrow on purpose: on a phone the chart shrinks little and stays readable
LABEL_X = 0
BAR_X = 78  # bars start after the "Need 4" / "Support 1" labels
BAR_W = WIDTH - BAR_X - 8
ROW_H = 50
TOP = 44
MAX_RATING = 4
SUPPORT_FILL = "#cbd5e1"
SUPPORT_STROKE = "#475569"
TEXT = "#1e293b"
MUTED = "#475569"


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def needs_chart_svg(needs: Needs, content: Content, *, title: str = "") -> str:
    """An SVG bar chart: for each content domain, the need (domain colour) and the support
    today (grey), on the 0-4 scale. Top needs are starred."""
    title = title or "My needs against the support I have today"
    domains = list(content.domains)
    height = TOP + ROW_H * len(domains) + 8
    gaps = suggest_top_needs(needs.ratings, [d.id for d in domains], k=3)
    if gaps:
        summary = "Largest gaps: " + "; ".join(
            f"{content.domain_names[d]} (need {needs.ratings[d].need}, "
            f"support {needs.ratings[d].support})"
            for d in gaps
        )
    else:
        summary = "No domain has a need larger than its support yet."
    aria = f"{title}. {len(domains)} domains rated 0 to 4. {summary}."
    desc_lines = []
    for d in domains:
        r = needs.ratings.get(d.id)
        desc_lines.append(
            f"{d.name}: not rated" if r is None else f"{d.name}: need {r.need}, support {r.support}"
        )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH + 160}px;height:auto" role="img" '
        f'aria-label="{_esc(aria)}" font-family="system-ui, sans-serif">',
        f"<title>{_esc(title)}</title>",
        f"<desc>{_esc('. '.join(desc_lines))}.</desc>",
        # legend
        f'<rect x="0" y="6" width="14" height="10" fill="{_esc(TEXT)}"/>',
        f'<text x="20" y="15" font-size="12" fill="{TEXT}">Need (domain colour)</text>',
        f'<rect x="{WIDTH - 110}" y="6" width="14" height="10" fill="{SUPPORT_FILL}" '
        f'stroke="{SUPPORT_STROKE}"/>',
        f'<text x="{WIDTH - 90}" y="15" font-size="12" fill="{TEXT}">Support today</text>',
        f'<text x="0" y="32" font-size="11" fill="{MUTED}">Scale 0 (none) to 4 · ★ = one '
        "of my top needs</text>",
    ]
    # scale grid
    for tick in range(MAX_RATING + 1):
        x = BAR_X + BAR_W * tick / MAX_RATING
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{height - 6}" '
            'stroke="#e2e8f0" stroke-width="1"/>'
        )
    for i, d in enumerate(domains):
        y = TOP + i * ROW_H
        r = needs.ratings.get(d.id)
        star = "★ " if d.id in needs.top_needs else ""
        color = _esc(d.color)
        out.append(f'<g class="mm-chart-row" data-domain="{_esc(d.id)}">')
        note = (
            '<tspan font-size="11" font-weight="400" fill="#475569"> · not rated</tspan>'
            if r is None
            else ""
        )
        out.append(
            f'<text x="{LABEL_X}" y="{y + 12}" font-size="13" font-weight="600" fill="{TEXT}">'
            f"{_esc(star + d.name)}{note}</text>"
        )
        need = r.need if r else 0
        support = r.support if r else 0
        shown_need = str(need) if r else "–"
        shown_support = str(support) if r else "–"
        out.append(
            f'<text x="0" y="{y + 27}" font-size="12" fill="{MUTED}">Need {shown_need}</text>'
        )
        out.append(
            f'<rect class="mm-bar-need" x="{BAR_X}" y="{y + 18}" '
            f'width="{BAR_W * need / MAX_RATING:.1f}" height="11" fill="{color}" rx="2"/>'
        )
        out.append(
            f'<text x="0" y="{y + 41}" font-size="12" fill="{MUTED}">'
            f"Support {shown_support}</text>"
        )
        out.append(
            f'<rect class="mm-bar-support" x="{BAR_X}" y="{y + 32}" '
            f'width="{BAR_W * support / MAX_RATING:.1f}" height="11" fill="{SUPPORT_FILL}" '
            f'stroke="{SUPPORT_STROKE}" stroke-width="1" rx="2"/>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def to_needs_svg(workbook: Workbook, content: Content) -> bytes:
    """Exporter form ``(workbook, content) -> bytes`` of :func:`needs_chart_svg`."""
    return needs_chart_svg(workbook.needs, content).encode("utf-8")
