"""The one module that imports ipycytoscape: a small graph canvas with our own API.

ipycytoscape 1.3.3 is unmaintained (stack notes R1-R3), so everything else talks to
:class:`MosaicGraphWidget` only, and a replacement (an anywidget around cytoscape.js, or
ipysigma) can be swapped in here without touching the editor. What this facade guarantees:

* every ``.on(...)`` handler is registered in the constructor, before the widget can be
  displayed (R2: handlers added later can be silently dropped);
* node drags are reported from the ``tapend`` payload, the only place the new position
  arrives (R3);
* each node's domains are drawn as a pie: an SVG data URI we make (:func:`pie_image`);
* no tooltips: ipycytoscape renders them with ``innerHTML`` (R6), so ``tooltip_source`` points
  at a data key we never set;
* the layout is ``preset``: positions come from Python (:mod:`..analysis.layout`);
* elements are diffed by id, so one change sends one node's update, not the whole graph.

The canvas element carries the CSS class ``mm-graph``; browser tests and the benchmark reach
the cytoscape.js instance through ``document.querySelector('.mm-graph')._cyreg.cy``.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import ipywidgets as ipw

# ipycytoscape imports pandas and networkx at start only so that it can accept a DataFrame or
# a networkx graph, which we never pass; they would cost every mosaic kernel ~1.5 s and ~55 MB
# (benchmarks/results/pages.md). Hide them during that one import, unless already loaded
# (the mosaic's GraphML/Cytoscape exports import networkx themselves when asked for).
_HIDDEN = [name for name in ("pandas", "networkx") if name not in sys.modules]
for _name in _HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]  # import -> ModuleNotFoundError
try:
    import ipycytoscape
finally:
    for _name in _HIDDEN:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]

MAX_PIE = 16
HIDDEN = "mm-removed"
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
NO_TOOLTIP = "mm_no_tooltip"  # a data key that never exists: ipycytoscape tooltips stay off


@dataclass
class GraphNode:
    """One node as the canvas should show it."""

    id: str
    label: str = ""
    classes: tuple[str, ...] = ()
    x: float = 0.0
    y: float = 0.0
    pie: list[str] = field(default_factory=list)  # slice colours, equal sizes
    data: dict[str, Any] = field(default_factory=dict)
    grabbable: bool = True
    size: float | None = None


@dataclass
class GraphEdge:
    """One edge as the canvas should show it."""

    id: str
    source: str
    target: str
    classes: tuple[str, ...] = ()


@functools.lru_cache(maxsize=512)
def _pie_image(colors: tuple[str, ...], empty: str, size: int) -> str:
    return pie_image(list(colors), empty, size, cached=False)


def pie_image(colors: list[str], empty: str, size: int = 64, *, cached: bool = True) -> str:
    """A small SVG pie of equal slices, as a data URI for a node's ``background-image``.

    (cytoscape.js deprecates its own ``pie-*`` style properties and logs a warning per node
    and render for them, so the slices are drawn as an image instead.)
    """
    if cached:
        return _pie_image(tuple(colors), empty, size)
    r = size / 2
    if len(colors) <= 1:
        body = f'<circle cx="{r}" cy="{r}" r="{r}" fill="{colors[0] if colors else empty}"/>'
    else:
        parts = []
        step = 2 * math.pi / len(colors)
        for i, color in enumerate(colors):
            a0, a1 = i * step - math.pi / 2, (i + 1) * step - math.pi / 2
            x0, y0 = r + r * math.cos(a0), r + r * math.sin(a0)
            x1, y1 = r + r * math.cos(a1), r + r * math.sin(a1)
            large = 1 if step > math.pi else 0
            parts.append(
                f'<path d="M{r},{r} L{x0:.2f},{y0:.2f} A{r},{r} 0 {large} 1 {x1:.2f},{y1:.2f} Z" '
                f'fill="{color}"/>'
            )
        body = "".join(parts)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">{body}</svg>'
    )
    return "data:image/svg+xml;utf8," + quote(svg, safe="")


def _node_data(node: GraphNode, empty: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.id, "label": node.label, **node.data}
    colors = [c for c in node.pie if COLOR_RE.match(c)][:MAX_PIE]
    data["pie"] = pie_image(colors, empty)
    if node.size is not None:
        data["size"] = node.size
    return data


class MosaicGraphWidget(ipw.VBox):
    """A graph canvas: set nodes and edges, hear node taps and drags.

    ``on_select(node_id)`` runs when a node is tapped or clicked; ``on_move(node_id, x, y)``
    when a node was dragged to a new place (model coordinates).
    """

    def __init__(
        self,
        on_select: Callable[[str], None] | None = None,
        on_move: Callable[[str, float, float], None] | None = None,
        *,
        height: int | str = 500,
        phone_height: int | str = 400,
        style: list[dict[str, Any]] | None = None,
        empty_color: str = "#cbd5e1",
    ) -> None:
        self.on_select = on_select
        self.on_move = on_move
        self.empty_color = empty_color
        self.cyto = ipycytoscape.CytoscapeWidget()
        self.cyto.add_class("mm-graph")
        self.cyto.cytoscape_layout = {
            "name": "preset",
            "fit": True,
            "padding": 24,
            "animate": False,
        }
        self.cyto.tooltip_source = NO_TOOLTIP
        self.cyto.min_zoom = 0.15
        self.cyto.max_zoom = 1.6
        self.cyto.layout = ipw.Layout(width="100%")
        # The canvas height comes from CSS that is on the page before cytoscape.js starts:
        # a height set through the widget's layout arrives after cytoscape.js has fitted the
        # graph to its default 400px box, and the picture would sit too small and off-centre.
        self.css = ipw.HTML(
            "<style>"
            f".mm-graph.custom-widget{{height:{_css_size(height)};border:1px solid #e2e8f0;"
            "border-radius:6px;resize:none}"
            "@media (max-width: 640px){.mm-graph.custom-widget{"
            f"height:{_css_size(phone_height)}}}}}"
            "</style>",
            layout=ipw.Layout(display="none"),
        )
        if style is not None:
            self.cyto.set_style(_with_hidden_rule(style))
        # R2: register every handler now, before anything can display the widget.
        self.cyto.on("node", "tap", self._on_tap)
        self.cyto.on("node", "tapend", self._on_tapend)
        self._nodes: dict[str, ipycytoscape.Node] = {}
        self._edges: dict[str, ipycytoscape.Edge] = {}
        # Removed elements are hidden, not taken out of ipycytoscape's lists: its front end
        # re-creates every element after a removed one by list position and adds some before
        # removing them, which cytoscape.js refuses ("Can not create second element with ID").
        self._hidden_nodes: dict[str, ipycytoscape.Node] = {}
        self._hidden_edges: dict[str, ipycytoscape.Edge] = {}
        self._positions: dict[str, tuple[float, float]] = {}
        super().__init__([self.css, self.cyto], layout=ipw.Layout(width="100%"))
        self.add_class("mm-graph-box")

    # -- events -----------------------------------------------------------------------------
    def _on_tap(self, payload: dict[str, Any]) -> None:
        node_id = str((payload.get("data") or {}).get("id", ""))
        if node_id in self._nodes and self.on_select is not None:
            self.on_select(node_id)

    def _on_tapend(self, payload: dict[str, Any]) -> None:
        node_id = str((payload.get("data") or {}).get("id", ""))
        position = payload.get("position") or {}
        if node_id not in self._nodes or "x" not in position or "y" not in position:
            return
        x, y = float(position["x"]), float(position["y"])
        old = self._positions.get(node_id)
        if old is not None and abs(old[0] - x) < 2 and abs(old[1] - y) < 2:
            return  # a click, not a drag
        self._positions[node_id] = (x, y)
        if self.on_move is not None:
            self.on_move(node_id, x, y)

    # -- content ----------------------------------------------------------------------------
    def set_style(self, style: list[dict[str, Any]]) -> None:
        """Replace the Cytoscape.js stylesheet."""
        self.cyto.set_style(_with_hidden_rule(style))

    @property
    def node_ids(self) -> list[str]:
        """Ids of the nodes on the canvas, in insertion order."""
        return list(self._nodes)

    def node_data(self, node_id: str) -> dict[str, Any]:
        """What the canvas holds for one node (data, classes, position), for tests."""
        node = self._nodes[node_id]
        return {"data": dict(node.data), "classes": node.classes, "position": dict(node.position)}

    def set_elements(self, nodes: list[GraphNode], edges: list[GraphEdge]) -> None:
        """Show exactly these nodes and edges; only what changed is sent to the browser."""
        wanted_nodes = {n.id: n for n in nodes}
        wanted_edges = {e.id: e for e in edges}
        graph = self.cyto.graph
        for edge_id in [e for e in self._edges if e not in wanted_edges]:
            edge = self._edges.pop(edge_id)
            edge.classes = HIDDEN
            self._hidden_edges[edge_id] = edge
        for node_id in [n for n in self._nodes if n not in wanted_nodes]:
            node = self._nodes.pop(node_id)
            node.classes = HIDDEN
            node.grabbable = False
            node.locked = False
            self._hidden_nodes[node_id] = node
            self._positions.pop(node_id, None)
        new_nodes = []
        for spec in nodes:
            data = _node_data(spec, self.empty_color)
            classes = " ".join(spec.classes)
            position = {"x": round(spec.x, 2), "y": round(spec.y, 2)}
            if spec.id in self._hidden_nodes:
                self._nodes[spec.id] = self._hidden_nodes.pop(spec.id)
            existing = self._nodes.get(spec.id)
            if existing is None:
                # never "locked": cytoscape.js ignores new positions of a locked node, and
                # the guide labels move whenever the rings grow (not grabbable is enough)
                node = ipycytoscape.Node(
                    data=data,
                    classes=classes,
                    position=position,
                    grabbable=spec.grabbable,
                    locked=False,
                )
                self._nodes[spec.id] = node
                new_nodes.append(node)
            else:
                if dict(existing.data) != data:
                    existing.data = data
                if existing.classes != classes:
                    existing.classes = classes
                if existing.locked:
                    existing.locked = False
                if existing.grabbable != spec.grabbable:
                    existing.grabbable = spec.grabbable
                if dict(existing.position) != position:
                    existing.position = position
            self._positions[spec.id] = (position["x"], position["y"])
        if new_nodes:
            graph.add_nodes(new_nodes)
        new_edges = []
        for spec in edges:
            if spec.id in self._hidden_edges:
                self._edges[spec.id] = self._hidden_edges.pop(spec.id)
            existing_edge = self._edges.get(spec.id)
            classes = " ".join(spec.classes)
            if existing_edge is None:
                edge = ipycytoscape.Edge(
                    data={"id": spec.id, "source": spec.source, "target": spec.target},
                    classes=classes,
                )
                self._edges[spec.id] = edge
                new_edges.append(edge)
            elif existing_edge.classes != classes:
                existing_edge.classes = classes
        if new_edges:
            graph.add_edges(new_edges)

    def fit(self) -> None:
        """Zoom and pan so that every node is in view (re-runs the preset layout)."""
        self.cyto.relayout()

    # -- test seam --------------------------------------------------------------------------
    def simulate(self, event: str, node_id: str, x: float | None = None, y: float | None = None):
        """Drive an event as the browser would (``tap`` or ``tapend``), for headless tests."""
        payload: dict[str, Any] = {"data": {"id": node_id}, "group": "nodes"}
        if x is not None and y is not None:
            payload["position"] = {"x": x, "y": y}
        self.cyto._handle_interaction(
            self.cyto, {"widget": "node", "event": event, "data": payload}, []
        )


def _css_size(size: int | str) -> str:
    """A CSS length from pixels or from a CSS expression we wrote (never user text)."""
    if isinstance(size, int):
        return f"{size}px"
    if not re.fullmatch(r"[0-9a-z(),.%+\- ]+", size):
        raise ValueError(f"not a CSS length: {size!r}")
    return size


def pie_style(selector: str = "node.person") -> dict[str, Any]:
    """Stylesheet entry drawing each node's ``pie`` data (an SVG data URI) as its fill."""
    return {
        "selector": selector,
        "style": {
            "background-image": "data(pie)",
            "background-fit": "contain",
            "background-clip": "node",
            "background-image-opacity": 1,
        },
    }


def _with_hidden_rule(style: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stylesheet plus the rule that hides removed elements."""
    return [*style, {"selector": f".{HIDDEN}", "style": {"display": "none"}}]
