"""Upgrade workbook files written under older schema versions.

Version 1 (the first pilot) kept mentors in a ``mentors`` list with ``kind`` ("current" or
"prospective"), a single free-text ``support`` string, and tie strength as words; the profile
had ``name`` and ``role``. Version 2 is :class:`mentoring_mosaic.model.Workbook`.
Each step takes a dict and returns a new dict one version up.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from .model import SCHEMA_VERSION

Migration = Callable[[dict[str, Any]], dict[str, Any]]

_TIES = {"weak": 1, "moderate": 2, "medium": 2, "strong": 3}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    new = {k: v for k, v in old.items() if k not in {"mentors", "profile", "schema_version"}}
    profile = dict(old.get("profile") or {})
    if "name" in profile:
        profile["display_name"] = profile.pop("name")
    if "role" in profile:
        profile["current_role"] = profile.pop("role")
    new["profile"] = profile
    people = []
    for i, mentor in enumerate(old.get("mentors") or []):
        if not isinstance(mentor, dict):
            people.append(mentor)  # let validation name the bad entry
            continue
        m = dict(mentor)
        person: dict[str, Any] = {"id": str(m.pop("id", f"v1-{i + 1}"))}
        person["name"] = m.pop("name", "")
        kind = m.pop("kind", "current")
        person["status"] = "potential" if kind == "prospective" else "existing"
        support = m.pop("support", "")
        if isinstance(support, str):
            person["domains"] = [_slug(s) for s in support.split(",") if s.strip()]
        tie = m.pop("tie", None)
        if isinstance(tie, str):
            person["tie_strength"] = _TIES.get(tie.lower(), 2)
        person.update(m)
        people.append(person)
    new["people"] = people
    new["schema_version"] = 2
    return new


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}
"""Step from version N to N+1."""


class UnknownSchemaVersion(ValueError):
    """The file claims a version this program does not know."""


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring decoded workbook JSON up to the current schema version."""
    from .validation import WorkbookError

    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise WorkbookError("schema version: must be a whole number.")
    if version > SCHEMA_VERSION:
        raise WorkbookError(
            f"schema version {version} is newer than this program understands "
            f"(up to {SCHEMA_VERSION}); please update Mentoring Mosaic."
        )
    if version < 1:
        raise WorkbookError(f"schema version {version} is not a known workbook version.")
    data = copy.deepcopy(data) if version < SCHEMA_VERSION else data
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version = data["schema_version"]
    return data
