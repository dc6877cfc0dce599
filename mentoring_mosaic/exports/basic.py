"""The workbook as JSON (the file participants keep) and as a flat CSV."""

from __future__ import annotations

import json
from typing import Any

from ..content import Content
from ..csv_safe import csv_text
from ..model import Workbook


def to_json(workbook: Workbook, _content: Content | None = None) -> bytes:
    """The canonical workbook file: what "resume from a file" and ``import`` read."""
    return json.dumps(workbook.to_json_dict(), indent=2, ensure_ascii=False).encode("utf-8")


def _flatten(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), item, rows)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for i, item in enumerate(value, start=1):
            _flatten(f"{prefix}[{i}]", item, rows)
    elif isinstance(value, list):
        rows.append((prefix, "; ".join(str(v) for v in value)))
    else:
        rows.append((prefix, "" if value is None else str(value)))


def to_csv(workbook: Workbook, _content: Content | None = None) -> bytes:
    """Every answer as one ``field,value`` row (spreadsheet friendly, nothing a spreadsheet
    would run: see :mod:`mentoring_mosaic.csv_safe`)."""
    rows: list[tuple[str, str]] = []
    _flatten("", workbook.to_json_dict(), rows)
    return csv_text(["field", "value"], rows).encode("utf-8")
