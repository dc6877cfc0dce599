"""Read a workbook file from bytes, with one clear human reason when it is not valid.

Used by ``validate``, ``import``, "resume from a file" and the facilitator's cohort loader,
so every entry point refuses the same files with the same words.

A file coming in must use only ids the workshop's content defines (domains, qualities,
habits, scenarios, competencies, evaluation objectives and confidence skills), the packaged
content merged with the facilitator's own folder (``MENTORING_MOSAIC_CONTENT``): an id from
nowhere would otherwise become a label on the room's dashboard. What is already stored is
never checked here, so nothing a participant saved is ever dropped.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .migrations import WorkbookError, migrate
from .model import Workbook

if TYPE_CHECKING:
    from .content import Content

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A real workbook is a few kilobytes; anything near this is not one."""


class UnknownContentId(WorkbookError):
    """A workbook file uses an id that the workshop's content does not define."""

    def __init__(self, message: str, *, field: str, kind: str, value: str) -> None:
        super().__init__(message)
        self.field = field
        self.kind = kind
        self.value = value


CONTENT_KINDS: dict[str, str] = {
    "domain": "domains of mentoring support",
    "quality": "mentor qualities",
    "habit": "managing-up habits",
    "scenario": "scenarios",
    "competency": "mentoring competencies",
    "objective": "workshop objectives",
    "skill": "confidence questions",
}
"""Every kind of content id a workbook stores, in the words a message uses."""


@functools.lru_cache(maxsize=8)
def content_ids(content: Content) -> dict[str, frozenset[str]]:
    """The ids of each kind that this workshop's content defines (once per content)."""
    return {
        "domain": frozenset(d.id for d in content.domains),
        "quality": frozenset(q.id for q in content.qualities),
        "habit": frozenset(h.id for h in content.habits),
        "scenario": frozenset(s.id for s in content.scenarios),
        "competency": frozenset(c.id for c in content.competencies),
        "objective": frozenset(o.id for o in content.objectives),
        "skill": frozenset(s.id for s in content.skills),
    }


def _id_groups(workbook: Workbook) -> Iterator[tuple[str, str, Iterable[str]]]:
    """Every place a workbook keeps content ids, as (where, kind, ids)."""
    needs = workbook.needs
    yield "needs › ratings", "domain", needs.ratings
    yield "needs › top needs", "domain", needs.top_needs
    for i, goal in enumerate(workbook.goals):
        if goal.need:  # "" means none chosen
            yield f"goals › #{i + 1} › need", "domain", (goal.need,)
    for i, person in enumerate(workbook.people):
        yield f"people › #{i + 1} › domains", "domain", person.domains
        yield f"people › #{i + 1} › qualities", "quality", person.qualities
    for n, plan in enumerate(workbook.managing_up.values()):
        yield f"managing up › plan #{n + 1} › habits", "habit", plan.habits
    q = workbook.qualities
    for n, ratings in enumerate(q.ratings.values()):
        yield f"qualities › ratings › mentor #{n + 1}", "quality", ratings
    yield "qualities › priorities", "quality", q.priorities
    yield "qualities › self check", "competency", q.self_check
    if q.grow:  # "" means none chosen
        yield "qualities › grow", "competency", (q.grow,)
    yield "scenarios", "scenario", workbook.scenarios
    ev = workbook.evaluation
    yield "evaluation › objectives met", "objective", ev.objectives_met
    yield "evaluation › confidence before", "skill", ev.confidence_before
    yield "evaluation › confidence after", "skill", ev.confidence_after
    rounds = [(r.baseline, r.review, f"earlier review #{n + 1} › ")
              for n, r in enumerate(workbook.past_reviews)]
    for base, review, where in [*rounds, (workbook.baseline, workbook.review, "")]:
        if base is not None:
            yield f"{where}baseline › needs › ratings", "domain", base.needs.ratings
            yield f"{where}baseline › needs › top needs", "domain", base.needs.top_needs
            for i, goal in enumerate(base.goals):
                if goal.need:
                    yield f"{where}baseline › goals › #{i + 1} › need", "domain", (goal.need,)
            for i, person in enumerate(base.people):
                yield f"{where}baseline › people › #{i + 1} › domains", "domain", person.domains
                yield (f"{where}baseline › people › #{i + 1} › qualities", "quality",
                       person.qualities)
        if review is not None:
            yield f"{where}review › support today", "domain", review.support_today


def stored_content_ids(workbook: Workbook) -> Iterator[tuple[str, str, str]]:
    """Every content id a workbook stores, as (where, kind, id); "" (none chosen) is skipped.

    Where a workbook keeps a content id: needs ratings (keys) and top needs, each goal's need,
    each person's domains and qualities, the managing-up habits, the quality ratings (inner
    keys), priorities, self-check (keys) and the competency to grow, the scenario notes
    (keys), and the evaluation's objectives and before/after confidence (keys).
    """
    for where, kind, ids in _id_groups(workbook):
        for value in ids:
            yield where, kind, value


def _quoted(value: str, limit: int = 60) -> str:
    """A user-supplied id, quoted and cut short, safe for a terminal line."""
    short = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(short, ensure_ascii=False)


def check_content_ids(workbook: Workbook, content: Content | None = None) -> Workbook:
    """Refuse a workbook that uses an id the content does not define (first one named)."""
    if content is None:
        from .content import get_content

        content = get_content()
    known = content_ids(content)
    unknown = [
        (where, kind, value)
        for where, kind, ids in _id_groups(workbook)
        if not known[kind].issuperset(ids)  # the quick test; the loop only when it fails
        for value in ids
        if value not in known[kind]
    ]
    if not unknown:
        return workbook
    where, kind, value = unknown[0]
    more = len(unknown) - 1
    suffix = f" (and {more} more unknown id{'s' if more > 1 else ''})" if more else ""
    raise UnknownContentId(
        f"Not a valid workbook: {where}: {_quoted(value)} is not one of this workshop's "
        f"{CONTENT_KINDS[kind]}{suffix}. The file may come from a workshop with other "
        "content; the facilitator can add it to the workshop's own content files.",
        field=where,
        kind=kind,
        value=value,
    )


def _where(loc: tuple[Any, ...]) -> str:
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"#{item + 1}")
        else:  # a field name, or a key from the file: on one line and cut short
            text = " ".join(str(item).replace("_", " ").split())
            parts.append(text if len(text) <= 40 else text[:39] + "…")
    return " › ".join(parts) if parts else "the file"


def describe_validation_error(error: ValidationError) -> str:
    """One line naming where the first problem is and what it is."""
    first = error.errors()[0]
    msg = first["msg"]
    if first["loc"] == ("workbook_id",):
        msg = "not an id this app made (32 digits and letters a to f; it never holds a name)"
    elif first["type"] == "extra_forbidden":
        msg = "is not part of a workbook (unknown key)"
    elif first["type"] == "string_too_long":
        msg = f"text is too long (at most {first['ctx']['max_length']} characters)"
    elif first["type"] == "too_long":
        msg = f"too many entries (at most {first['ctx']['max_length']})"
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{_where(first['loc'])}: {msg}{suffix}"


def parse_workbook_data(data: Any, content: Content | None = None) -> Workbook:
    """Migrate and validate already-decoded JSON data, then check its content ids.

    ``content`` defaults to the workshop's content (the facilitator's folder included).
    """
    if not isinstance(data, dict):
        raise WorkbookError("This is JSON, but not a workbook: expected an object at the top.")
    data = migrate(data)
    try:
        workbook = Workbook.model_validate(data)
    except ValidationError as exc:
        raise WorkbookError(f"Not a valid workbook: {describe_validation_error(exc)}") from None
    return check_content_ids(workbook, content)


def parse_workbook_bytes(raw: bytes, content: Content | None = None) -> Workbook:
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
    return parse_workbook_data(data, content)


def read_workbook_file(name: str, raw: bytes, content: Content | None = None) -> Workbook:
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
        return parse_workbook_data(data, content)
    return parse_workbook_bytes(raw, content)


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
