"""Everything a workbook can be exported as. Each format is a function
``(workbook, content) -> bytes`` in its own module, imported only when used."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from ..content import Content
from ..model import Workbook

Exporter = Callable[[Workbook, Content], bytes]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: where its function lives, and its file name suffix and MIME type."""

    name: str
    target: str  # "module:function" under mentoring_mosaic.exports
    suffix: str
    mime: str
    description: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("json", "basic:to_json", "json", "application/json", "the workbook file"),
        ExportFormat("csv", "basic:to_csv", "csv", "text/csv", "every answer, one a row"),
        ExportFormat("svg", "mosaic:to_svg", "svg", "image/svg+xml", "the mosaic picture"),
        ExportFormat(
            "graphml", "mosaic:to_graphml", "graphml", "application/xml", "the mosaic for Gephi"
        ),
        ExportFormat(
            "cyjs", "mosaic:to_cyjs", "cyjs", "application/json", "the mosaic for Cytoscape"
        ),
        ExportFormat("html", "pack:to_html", "html", "text/html", "the printable take-home pack"),
        ExportFormat("ics", "calendar:to_ics", "ics", "text/calendar", "calendar reminders"),
        ExportFormat(
            "ipynb", "notebook:to_ipynb", "ipynb", "application/x-ipynb+json", "a notebook copy"
        ),
    )
}


def available_formats() -> list[str]:
    """Formats whose module is present."""
    return [
        name
        for name, fmt in FORMATS.items()
        if importlib.util.find_spec(f"mentoring_mosaic.exports.{fmt.target.split(':')[0]}")
    ]


def export(workbook: Workbook, content: Content, fmt: str) -> bytes:
    """Export a workbook in one format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; choose from {', '.join(FORMATS)}.")
    module_name, func_name = FORMATS[fmt].target.split(":")
    module = importlib.import_module(f"mentoring_mosaic.exports.{module_name}")
    exporter: Exporter = getattr(module, func_name)
    return exporter(workbook, content)
