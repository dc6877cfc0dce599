"""Upgrade workbook files written under older schema versions.

Version 1 (the first pilot) kept mentors in a ``mentors`` list with ``kind`` ("current" or
"prospective"), a single free-text ``support`` string, and tie strength as words; the profile
had ``name`` and ``role``. Version 2 moved mentors to ``people``. Version 3 adds the anonymous
``workbook_id``. Version 4 (the current :class:`mentoring_mosaic.model.Workbook`) adds
``baseline`` (the plan on the workshop day) and ``review`` (three months on): an older file has
neither, so both become None and the review stage says the comparison is not available.
Each step takes a dict and returns a new dict one version up.

A key that a file's version never had is refused with a message naming it (the current
version refuses unknown keys too), never dropped without a word.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from .model import SCHEMA_VERSION


class WorkbookError(ValueError):
    """A file that is not a usable workbook; ``str()`` is the message for a person.

    Defined here, below validation, because a migration is the first place a file can fail.
    """

Migration = Callable[[dict[str, Any]], dict[str, Any]]

_TIES = {"weak": 1, "moderate": 2, "medium": 2, "strong": 3}


V1_KEYS = frozenset({
    "schema_version", "updated_at", "profile", "needs", "goals", "mentors", "managing_up",
    "qualities", "scenarios", "actions", "evaluation", "consent",
})
"""Every top-level key a version-1 file could have (version 2 renamed ``mentors``)."""

V2_KEYS = frozenset((V1_KEYS - {"mentors"}) | {"people"})
"""Every top-level key of a version-2 file (version 3 added ``workbook_id``)."""

V3_KEYS = frozenset(V2_KEYS | {"workbook_id"})
"""Every top-level key of a version-3 file (version 4 added ``baseline`` and ``review``)."""

_V1_RENAMED = {
    "profile": {"display_name": "name", "current_role": "role"},
    "mentor": {"status": "kind", "domains": "support", "tie_strength": "tie"},
}
"""Version-2 names that version 1 wrote differently: in a version-1 file they would be silently
overwritten by the renamed value, so they are refused."""


def _refuse_unknown(data: dict[str, Any], allowed: frozenset[str], version: int) -> None:

    unknown = [key for key in data if key not in allowed]
    if unknown:
        names = ", ".join(json.dumps(str(k)[:60], ensure_ascii=False) for k in unknown[:3])
        more = f" (and {len(unknown) - 3} more)" if len(unknown) > 3 else ""
        raise WorkbookError(
            f"Not a valid workbook: {names}{more} is not part of a version {version} workbook "
            f"file (schema version {version} has no such key)."
        )


def _refuse_renamed(part: Any, kind: str, where: str) -> None:

    if not isinstance(part, dict):
        return
    for new, old in _V1_RENAMED[kind].items():
        if new in part:
            raise WorkbookError(
                f"Not a valid workbook: {where}: {new!r} is not part of a version 1 workbook "
                f"file (version 1 called it {old!r})."
            )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    _refuse_unknown(old, V1_KEYS, 1)
    _refuse_renamed(old.get("profile"), "profile", "profile")
    mentors = old.get("mentors")
    for i, mentor in enumerate(mentors if isinstance(mentors, list) else []):
        _refuse_renamed(mentor, "mentor", f"mentors › #{i + 1}")
    new = {k: v for k, v in old.items() if k not in {"mentors", "profile", "schema_version"}}
    profile = old.get("profile") or {}
    if not isinstance(profile, dict):
        raise WorkbookError("Not a valid workbook: profile: must be an object with fields.")
    profile = dict(profile)
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


def derived_workbook_id(data: dict[str, Any]) -> str:
    """The id a file from before ids gets: a one-way hash of its answers (save time left out).

    The same old file always gets the same id, so identical copies still count once in the
    room; the hash reveals nothing of the answers and never contains the name.
    """
    answers = {k: v for k, v in data.items() if k != "updated_at"}
    try:
        canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), default=str)
    except (TypeError, ValueError, RecursionError):  # not plain JSON: validation will say why
        from .model import new_workbook_id

        return new_workbook_id()
    digest = hashlib.sha256(b"mentoring-mosaic workbook id\n" + canonical.encode("ascii"))
    return digest.hexdigest()[:32]


def _v2_to_v3(old: dict[str, Any]) -> dict[str, Any]:
    _refuse_unknown(old, V2_KEYS, 2)
    new = dict(old)
    new["workbook_id"] = derived_workbook_id(old)
    new["schema_version"] = 3
    return new


def _v3_to_v4(old: dict[str, Any]) -> dict[str, Any]:
    """No baseline can be made up afterwards: the plan may have changed since the workshop."""
    _refuse_unknown(old, V3_KEYS, 3)
    new = dict(old)
    if "workbook_id" not in new:  # a hand-made file: the id it got before this step existed
        new["workbook_id"] = derived_workbook_id(old)
    new["baseline"] = None
    new["review"] = None
    new["schema_version"] = 4
    return new


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
"""Step from version N to N+1."""


class UnknownSchemaVersion(ValueError):
    """The file claims a version this program does not know."""


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring decoded workbook JSON up to the current schema version."""

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
    if "workbook_id" not in data:  # a hand-made current file: the same answers, the same id
        data = {**data, "workbook_id": derived_workbook_id(data)}
    return data
