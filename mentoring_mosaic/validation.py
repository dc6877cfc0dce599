"""Read a workbook file from bytes, with one clear human reason when it is not valid.

Used by ``validate``, ``import``, "resume from a file" and the facilitator's cohort loader,
so every entry point refuses the same files with the same words.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from .migrations import migrate
from .model import Workbook

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A real workbook is a few kilobytes; anything near this is not one."""


class WorkbookError(ValueError):
    """A file that is not a usable workbook; ``str()`` is the message for a person."""


def _where(loc: tuple[Any, ...]) -> str:
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"#{item + 1}")
        else:
            parts.append(str(item).replace("_", " "))
    return " › ".join(parts) if parts else "the file"


def describe_validation_error(error: ValidationError) -> str:
    """One line naming where the first problem is and what it is."""
    first = error.errors()[0]
    msg = first["msg"]
    if first["type"] == "string_too_long":
        msg = f"text is too long (at most {first['ctx']['max_length']} characters)"
    elif first["type"] == "too_long":
        msg = f"too many entries (at most {first['ctx']['max_length']})"
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{_where(first['loc'])}: {msg}{suffix}"


def parse_workbook_data(data: Any) -> Workbook:
    """Migrate and validate already-decoded JSON data."""
    if not isinstance(data, dict):
        raise WorkbookError("This is JSON, but not a workbook: expected an object at the top.")
    data = migrate(data)
    try:
        return Workbook.model_validate(data)
    except ValidationError as exc:
        raise WorkbookError(f"Not a valid workbook: {describe_validation_error(exc)}") from None


def parse_workbook_bytes(raw: bytes) -> Workbook:
    """Decode, migrate and validate a workbook file's bytes."""
    if len(raw) > MAX_FILE_BYTES:
        raise WorkbookError(
            f"The file is {len(raw) / 1_048_576:.1f} MB; a workbook is at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB. Is this the right file?"
        )
    if not raw.strip():
        raise WorkbookError("The file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkbookError(
            f"The file is not UTF-8 text (bad byte at position {exc.start}); "
            "workbooks are JSON files."
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorkbookError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "It may be cut short or not a workbook."
        ) from None
    except RecursionError:
        raise WorkbookError("The file is nested too deeply to be a workbook.") from None
    return parse_workbook_data(data)


def read_workbook_file(name: str, raw: bytes) -> Workbook:
    """A workbook from a .json file, or from a notebook copy (.ipynb) that carries one."""
    if name.lower().endswith(".ipynb"):
        try:
            notebook = json.loads(raw.decode("utf-8"))
            data = notebook["metadata"]["mentoring_mosaic"]["workbook"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            raise WorkbookError(
                "This notebook does not carry a Mentoring Mosaic workbook. Use the notebook "
                "copy you downloaded from the wrap-up, or your workbook .json file."
            ) from None
        return parse_workbook_data(data)
    return parse_workbook_bytes(raw)


def summarize(workbook: Workbook) -> str:
    """A one-line summary for ``validate``."""
    p = workbook.profile
    who = p.display_name or "unnamed participant"
    path = f"{p.current_role or '?'} → {p.next_role or '?'}"
    return (
        f"valid workbook v{workbook.schema_version}: {who} ({path}), "
        f"{len(workbook.goals)} goals, {len(workbook.mentors)} mentors, "
        f"{len(workbook.mentees)} mentees, {len(workbook.actions)} actions"
    )
