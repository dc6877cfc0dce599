"""CSV files a spreadsheet opens without running anything: one helper for every CSV we write.

A spreadsheet program (Excel, LibreOffice, Google Sheets) treats a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return can hide one; a
formula such as ``=HYPERLINK(...)`` in a participant's answer would then run on the
facilitator's computer. Every text cell starting with one of those characters gets a leading
apostrophe, which spreadsheets show as plain text. Numbers are written as numbers.

Used by the workbook's CSV export (:mod:`mentoring_mosaic.exports.basic`), the room's tables
(``mentoring-mosaic cohort --csv`` and the dashboard's download, both through
:mod:`mentoring_mosaic.analysis.cohort`). It lives at the package's top, beside
``validation.py``, and imports nothing of ours, so every layer can use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these would be run (or hide a formula) in a spreadsheet."""


def safe_cell(value: Any) -> Any:
    """The cell as written: text that a spreadsheet would run gets a leading apostrophe.

    ``None`` becomes an empty cell; numbers and booleans stay as they are (a negative number
    is a number, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n"
) -> str:
    """A whole CSV file as text, every cell (header included) neutralised.

    Lines end in CRLF (RFC 4180), so a cell holding a carriage return or a line break is
    quoted and stays one cell.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


__all__ = ["FORMULA_STARTS", "csv_text", "safe_cell"]
