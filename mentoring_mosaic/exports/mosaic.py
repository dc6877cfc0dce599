"""The mosaic as a picture (our own SVG) and as a graph file (GraphML, Cytoscape JSON).

The SVG uses the same preset layout as the editor (:mod:`..analysis.layout`): the participant
at the centre, mentors in rings by tie strength and sectors by level, mentees below. Each
person is a pie of their domain colours; existing mentors have a solid outline, potential ones
a dashed one; mentees are framed by a square. All text is escaped, and the file refers to
nothing outside itself (no fonts, images or scripts), so it opens anywhere.

GraphML (Gephi, yEd, Cytoscape desktop) and Cytoscape JSON (``.cyjs``) carry every attribute
of every person, level among them, plus the layout position. networkx reads both back
(``read_graphml`` and ``cytoscape_graph``) with identical attributes; in GraphML the lists
(domains, qualities) are ``;``-joined strings because GraphML has no list type.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: stage pages that only draw the SVG never pay for it
    import networkx as nx

from ..analysis.layout import FONT as LABEL_FONT
from ..analysis.layout import (
    LABEL_GAP,
    LABEL_WIDTH,
    LINE_HEIGHT,
    ME_ID,
    ME_SIZE,
    NODE_SIZE,
    SECTOR_LABELS,
    MosaicLayout,
    compact_wrap,
    compute_layout,
    short_name,
    wrap_lines,
)
from ..analysis.managing_up import mentor_label
from ..content import Content
from ..model import PLACES, Person, Workbook

GREY = "#cbd5e1"
INK = "#1d3557"
MENTEE_FRAME = "#6d28d9"
FONT = "font-family:Helvetica,Arial,sans-serif"


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")



def counted(n: int, noun: str, plural: str = "") -> str:
    """"1 mentor", "2 mentors": a count in words a reader says aloud (no "mentor(s)")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"

def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold at all (control characters from a pasted or
    hostile file would otherwise make the whole picture or GraphML file unreadable)."""
    return _NOT_XML.sub("", text)


def _x(text: object) -> str:
    """Escape text for XML element content and attribute values."""
    return html.escape(xml_safe(str(text)), quote=True)


def person_domains(person: Person, content: Content) -> list[str]:
    """The person's known domain ids, in the content's order (the pie's order)."""
    chosen = set(person.domains)
    return [d.id for d in content.domains if d.id in chosen]


def me_label(workbook: Workbook) -> str:
    """What the centre node says."""
    return workbook.profile.display_name.strip() or "Me"


# -- SVG ------------------------------------------------------------------------------------


def _pie(cx: float, cy: float, r: float, colors: list[str]) -> str:
    if not colors:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{GREY}"/>'
    if len(colors) == 1:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colors[0]}"/>'
    parts = []
    step = 2 * math.pi / len(colors)
    for i, color in enumerate(colors):
        a0, a1 = i * step - math.pi / 2, (i + 1) * step - math.pi / 2
        x0, y0 = cx + r * math.cos(a0), cy + r * math.sin(a0)
        x1, y1 = cx + r * math.cos(a1), cy + r * math.sin(a1)
        large = 1 if step > math.pi else 0
        parts.append(
            f'<path d="M{cx:.1f},{cy:.1f} L{x0:.1f},{y0:.1f} '
            f'A{r:.1f},{r:.1f} 0 {large} 1 {x1:.1f},{y1:.1f} Z" fill="{color}"/>'
        )
    return "".join(parts)


def _person_title(person: Person, content: Content) -> str:
    domains = ", ".join(content.domain_names[d] for d in person_domains(person, content))
    who = "mentee" if person.role == "mentee" else f"{person.status} {person.level} mentor"
    text = f"{mentor_label(person)}: {who}, {PLACES[person.place].lower()}"
    if domains:
        text += f"; {domains}"
    if person.next_step:
        text += f". Next step: {person.next_step}"
    return text


def _legend(content: Content, x0: float, y0: float, width: float) -> tuple[str, float]:
    """The legend block; returns (svg, height)."""
    out = [f'<g class="legend" {_font(12)}>']
    out.append(
        f'<text x="{x0:.1f}" y="{y0 + 14:.1f}" font-weight="bold" fill="{INK}">Legend</text>'
    )
    y = y0 + 32
    # outline styles
    items = [
        ("solid", "Existing mentor (solid outline)"),
        ("dashed", "Potential mentor (dashed outline)"),
        ("mentee", "My mentee (square frame)"),
    ]
    col_w = 270.0
    cols = max(1, int(width // col_w))
    for i, (kind, label) in enumerate(items):
        cx = x0 + (i % cols) * col_w + 9
        cy = y + (i // cols) * 22
        dash = ' stroke-dasharray="4 3"' if kind == "dashed" else ""
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="{GREY}" stroke="{INK}" '
            f'stroke-width="2"{dash}/>'
        )
        if kind == "mentee":
            out.append(
                f'<rect x="{cx - 10:.1f}" y="{cy - 10:.1f}" width="20" height="20" rx="3" '
                f'fill="none" stroke="{MENTEE_FRAME}" stroke-width="2"/>'
            )
        out.append(f'<text x="{cx + 16:.1f}" y="{cy + 4:.1f}" fill="{INK}">{_x(label)}</text>')
    y += ((len(items) - 1) // cols + 1) * 22 + 8
    for i, domain in enumerate(content.domains):
        cx = x0 + (i % cols) * col_w
        cy = y + (i // cols) * 20
        out.append(
            f'<rect x="{cx:.1f}" y="{cy - 6:.1f}" width="14" height="14" rx="2" '
            f'fill="{_x(domain.color)}"/>'
            f'<text x="{cx + 20:.1f}" y="{cy + 5:.1f}" fill="{INK}">{_x(domain.name)}</text>'
        )
    rows = (len(content.domains) - 1) // cols + 1 if content.domains else 0
    y += rows * 20
    out.append("</g>")
    return "".join(out), y - y0 + 8


def _font(size: int) -> str:
    return f'style="{FONT}" font-size="{size}"'


def mosaic_svg(workbook: Workbook, content: Content, *, title: str = "My mentoring mosaic",
               font: float = LABEL_FONT, legend: bool = True,
               marked: frozenset[str] = frozenset(), compact: bool = False) -> str:
    """The mosaic drawn as a standalone SVG document (text).

    ``font`` sizes the names (bigger for a picture shown small); ``marked`` people get an
    orange halo (stage 5: the new people who would fill a gap).
    """
    layout = compute_layout(workbook.people, me_label=short_name(me_label(workbook)), font=font,
                            compact=compact)
    wrap = compact_wrap(font) if compact else LABEL_WIDTH * font / LABEL_FONT
    pad = 24.0
    min_x, min_y, max_x, max_y = layout.bounds(pad)
    # room for sector labels
    width = max(max_x - min_x, 600.0)
    cx_shift = (width - (max_x - min_x)) / 2
    ox, oy = -min_x + cx_shift, -min_y + 48  # translate layout -> picture
    graph_h = (max_y - min_y) + 48
    key, legend_h = _legend(content, 16, graph_h, width - 32) if legend else ("", 0.0)
    height = graph_h + legend_h + 8
    people = workbook.people
    n_existing = sum(1 for p in people if p.role == "mentor" and p.status == "existing")
    n_potential = sum(1 for p in people if p.role == "mentor" and p.status == "potential")
    n_mentees = sum(1 for p in people if p.role == "mentee")
    desc = (
        f"{me_label(workbook)} at the centre with {counted(n_existing, 'existing mentor')}, "
        f"{counted(n_potential, 'potential mentor')} and {counted(n_mentees, 'mentee')}. "
        "Mentors sit in rings by "
        "tie strength (strong innermost): peers on the left, seniors at the top, juniors on the "
        "right; mentees below. Each person is coloured by the domains of support they give."
    )
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        'aria-labelledby="mm-title mm-desc">',
        f'<title id="mm-title">{_x(title)}</title>',
        f'<desc id="mm-desc">{_x(desc)}</desc>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="16" y="30" {_font(20)} font-weight="bold" fill="{INK}">{_x(title)}</text>',
        f'<g transform="translate({ox:.1f},{oy:.1f})">',
    ]
    out.append(_guides(layout, n_mentees > 0, font))
    # ties from the centre
    for person in people:
        x, y = layout.positions[person.id]
        dash = ' stroke-dasharray="6 5"' if person.status == "potential" else ""
        w = {1: 1.2, 2: 2.4, 3: 4.0}[person.tie_strength]
        out.append(
            f'<line x1="0" y1="0" x2="{x:.1f}" y2="{y:.1f}" stroke="#94a3b8" '
            f'stroke-width="{w}"{dash}/>'
        )
    r = NODE_SIZE / 2
    for person in people:
        x, y = layout.positions[person.id]
        colors = [content.domain_colors[d] for d in person_domains(person, content)]
        potential = person.status == "potential" and person.role == "mentor"
        out.append(f'<g class="person {_x(person.role)} {_x(person.status)}">')
        out.append(f"<title>{_x(_person_title(person, content))}</title>")
        if person.role == "mentee":
            out.append(
                f'<rect x="{x - r - 4:.1f}" y="{y - r - 4:.1f}" width="{NODE_SIZE + 8:.1f}" '
                f'height="{NODE_SIZE + 8:.1f}" rx="6" fill="#ffffff" stroke="{MENTEE_FRAME}" '
                'stroke-width="2.5"/>'
            )
        opacity = ' opacity="0.7"' if potential else ""
        out.append(f"<g{opacity}>{_pie(x, y, r, colors)}</g>")
        dash = ' stroke-dasharray="5 4"' if potential else ""
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="none" stroke="{INK}" '
            f'stroke-width="2.5"{dash}/>'
        )
        if person.id in marked:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 7:.1f}" fill="none" '
                       'stroke="#e76f51" stroke-width="5"/>')
        out.append(_label(short_name(person.name), x, y, r,
                          layout.label_sides.get(person.id, "below"), font=font, wrap=wrap))
        out.append("</g>")
    rm = ME_SIZE / 2
    out.append(
        f'<g class="me"><title>{_x(me_label(workbook))} (you)</title>'
        f'<circle cx="0" cy="0" r="{rm:.1f}" fill="{INK}"/>'
        + _label(short_name(me_label(workbook)), 0.0, 0.0, rm, "below", bold=True, font=font,
                 wrap=wrap)
        + "</g>"
    )
    out.append("</g>")
    out.append(key)
    out.append("</svg>\n")
    return "".join(out)


def _guides(layout: MosaicLayout, has_mentees: bool, font: float = LABEL_FONT) -> str:
    out = [f'<g class="guides" {_font(int(font))} fill="#475569">']
    for ring in layout.rings:
        out.append(
            f'<ellipse cx="0" cy="0" rx="{ring.rx:.1f}" ry="{ring.radius:.1f}" fill="none" '
            'stroke="#cbd5e1" stroke-width="1.5" stroke-dasharray="2 4"/>'
        )
        if ring.label:
            out.append(
                f'<text x="{ring.label_x:.1f}" y="{ring.label_y + 5:.1f}" text-anchor="middle" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_x(ring.label)}</text>'
            )
    for label, x, y in layout.sector_labels:
        if label == SECTOR_LABELS[("mentee", "")] and not has_mentees:
            continue
        out.append(
            f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-weight="bold" '
            f'font-size="{int(font)}">{_x(label)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _label(text: str, x: float, y: float, r: float, side: str, *, bold: bool = False,
           font: float = LABEL_FONT, wrap: float = LABEL_WIDTH) -> str:
    """A wrapped name below a node or beside it, as the map draws it (text escaped)."""
    lines = wrap_lines(text, wrap, font, bold)
    step = font * LINE_HEIGHT
    if side == "below":
        anchor, tx = "middle", x
        first = y + r + LABEL_GAP + font
    else:
        anchor = "end" if side == "left" else "start"
        tx = x - r - LABEL_GAP if side == "left" else x + r + LABEL_GAP
        first = y - (len(lines) - 1) * step / 2 + font * 0.35
    weight = ' font-weight="bold"' if bold else ""
    spans = "".join(
        f'<tspan x="{tx:.1f}" y="{first + i * step:.1f}">{_x(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="{anchor}" {_font(int(font))}{weight} fill="{INK}" '
        f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{spans}</text>'
    )


COMPARE_FONTS = (30.0, 36.0, 44.0, 54.0)  # names in the side-by-side pictures
COMPARE_WIDTH = 520  # about how wide each picture is shown on a laptop (px)
READABLE_PX = 12.0


def svg_width(svg: str) -> float:
    """The width an SVG says it has (:data:`COMPARE_WIDTH` when it says none)."""
    found = re.search(r'<svg[^>]* width="([0-9.]+)"', svg)
    return float(found.group(1)) if found else COMPARE_WIDTH


def compare_svg(workbook: Workbook, content: Content, *, title: str,
                marked: frozenset[str] = frozenset()) -> str:
    """The mosaic for a side-by-side picture: names big enough to read at about
    :data:`COMPARE_WIDTH` px wide (a bigger font, for a wider picture, until they are)."""
    return readable_pictures([(workbook, title, marked)], content)[0]


def readable_pictures(pictures: list[tuple[Workbook, str, frozenset[str]]],
                      content: Content) -> list[str]:
    """(workbook, title, people marked) drawn compact at one scale: the smallest font at which
    the widest picture, shown :data:`COMPARE_WIDTH` px wide, still has readable names."""
    drawn: list[str] = []
    for font in COMPARE_FONTS:
        drawn = [mosaic_svg(wb, content, title=title, font=font, legend=False, compact=True,
                            marked=marked) for wb, title, marked in pictures]
        widest = max(svg_width(svg) for svg in drawn)
        if font * min(1.0, COMPARE_WIDTH / widest) >= READABLE_PX:
            break
    return drawn


def to_svg(workbook: Workbook, content: Content) -> bytes:
    """The mosaic picture, as the ``svg`` export format."""
    return mosaic_svg(workbook, content).encode("utf-8")


# -- graph files ----------------------------------------------------------------------------


def mosaic_graph(workbook: Workbook, content: Content, *, flat: bool = False) -> nx.Graph:
    """The mosaic as a networkx graph: the participant, everyone else, and a tie to each.

    ``flat=True`` joins lists with ``;`` (GraphML has no list type).
    """
    layout = compute_layout(workbook.people)

    def seq(values: list[str]) -> Any:
        return ";".join(txt(v) for v in values) if flat else list(values)

    def txt(value: str) -> str:
        return xml_safe(value) if flat else value

    import networkx as nx

    graph = nx.Graph(name="Mentoring mosaic", generated_by="mentoring-mosaic")
    mx, my = layout.positions[ME_ID]
    graph.add_node(
        ME_ID,
        id=ME_ID,
        name=txt(me_label(workbook)),
        label=txt(me_label(workbook)),
        title="",
        role="me",
        status="",
        level="",
        place="",
        domains=seq([]),
        domain_names=seq([]),
        tie_strength=0,
        frequency="",
        qualities=seq([]),
        next_step="",
        next_step_date="",
        notes="",
        x=float(mx),
        y=float(my),
        position_saved=False,
    )
    for person in workbook.people:
        x, y = layout.positions[person.id]
        domains = person_domains(person, content)
        unknown = [d for d in person.domains if d not in content.domain_names]
        graph.add_node(
            person.id,
            id=person.id,
            name=txt(person.name),
            label=txt(person.name),
            title=txt(person.title),
            role=person.role,
            status=person.status,
            level=person.level,
            place=person.place,
            domains=seq(domains + unknown),
            domain_names=seq([content.domain_names[d] for d in domains]),
            tie_strength=person.tie_strength,
            frequency=person.frequency,
            qualities=seq(list(person.qualities)),
            next_step=txt(person.next_step),
            next_step_date=person.next_step_date.isoformat() if person.next_step_date else "",
            notes=txt(person.notes),
            x=float(x),
            y=float(y),
            position_saved=person.id in layout.saved,
        )
        graph.add_edge(
            ME_ID,
            person.id,
            id=f"tie-{person.id}",
            relation="mentors me" if person.role == "mentor" else "I mentor",
            status=person.status,
            tie_strength=person.tie_strength,
            frequency=person.frequency,
        )
    return graph


def to_graphml(workbook: Workbook, content: Content) -> bytes:
    """The mosaic as GraphML (Gephi, yEd, Cytoscape desktop)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(mosaic_graph(workbook, content, flat=True), buffer, encoding="utf-8")
    return buffer.getvalue()


def cyjs_data(workbook: Workbook, content: Content) -> dict[str, Any]:
    """Cytoscape desktop JSON: ``elements`` with ``data`` and a ``position`` per node."""
    import networkx as nx

    graph = mosaic_graph(workbook, content)
    data = nx.cytoscape_data(graph)
    data = {
        "format_version": "1.0",
        "generated_by": "mentoring-mosaic",
        "target_cytoscapejs_version": "~3.0",
        "data": dict(graph.graph),
        "directed": data["directed"],
        "multigraph": data["multigraph"],
        "elements": data["elements"],
    }
    for node in data["elements"]["nodes"]:
        node["position"] = {"x": node["data"]["x"], "y": node["data"]["y"]}
    return data


def to_cyjs(workbook: Workbook, content: Content) -> bytes:
    """The mosaic as Cytoscape JSON (``.cyjs``), which networkx's ``cytoscape_graph`` reads."""
    return json.dumps(cyjs_data(workbook, content), indent=1, ensure_ascii=False).encode("utf-8")
