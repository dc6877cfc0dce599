"""One workbook per id: the room counts a participant's latest copy only.

Every workbook carries an anonymous ``workbook_id`` (random, made when the workbook is created;
kept by downloads, exports, resume and import; added to older files by migration). A
participant who edits anything and sends the file again sends the same id twice: the room
keeps the latest copy.

"Latest" is decided by ``workbook.updated_at``, the time the workbook was last saved, which
every download carries. A copy without a save time counts as the oldest; a save time without
a time zone counts as UTC. When two copies have the same save time, the one at the later
position wins (e.g. the later file in the order they were read).

Usage (pure functions, no I/O)::

    from mentoring_mosaic.analysis.identity import latest_per_workbook, superseded

    pairs = [(workbook, position) for position, workbook in enumerate(workbooks)]
    kept = latest_per_workbook(pairs)      # [(workbook, position), ...] in input order
    dropped = superseded(pairs)            # [(position, position kept instead), ...]

This is in addition to counting identical copies once: two identical files have the same id,
so one of them is dropped here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar


class HasIdentity(Protocol):
    """What the rule reads from a workbook (a :class:`mentoring_mosaic.model.Workbook`)."""

    @property
    def workbook_id(self) -> str: ...

    @property
    def updated_at(self) -> dt.datetime | None: ...


W = TypeVar("W", bound=HasIdentity)

_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _saved(workbook: HasIdentity) -> dt.datetime:
    """The save time, comparable across files (naive means UTC; none is the oldest)."""
    stamp = workbook.updated_at
    if stamp is None:
        return _OLDEST
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def _winners(items: list[tuple[W, int]]) -> dict[str, tuple[W, int]]:
    """For each workbook id, the latest (workbook, position)."""
    best: dict[str, tuple[W, int]] = {}
    for workbook, position in items:
        current = best.get(workbook.workbook_id)
        if current is None or (_saved(workbook), position) > (_saved(current[0]), current[1]):
            best[workbook.workbook_id] = (workbook, position)
    return best


def latest_per_workbook(items: Iterable[tuple[W, int]]) -> list[tuple[W, int]]:
    """Keep one workbook per ``workbook_id``: the latest saved, then the later position.

    ``items`` are (workbook, position) pairs, positions unique (e.g. the order files were
    read). Returns the kept pairs in their input order.
    """
    pairs = list(items)
    kept = {position for _workbook, position in _winners(pairs).values()}
    return [(workbook, position) for workbook, position in pairs if position in kept]


def superseded(items: Iterable[tuple[W, int]]) -> list[tuple[int, int]]:
    """The positions :func:`latest_per_workbook` drops, each with the position kept instead.

    Returns (dropped position, kept position) pairs in input order, so a report can say
    "file 3 of 40: an older copy of file 7; counted once" without naming anyone.
    """
    pairs = list(items)
    best = _winners(pairs)
    out = []
    for workbook, position in pairs:
        kept = best[workbook.workbook_id][1]
        if kept != position:
            out.append((position, kept))
    return out


__all__ = ["latest_per_workbook", "superseded"]
