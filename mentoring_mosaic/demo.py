"""Demo personas: fictional participants with every section filled in, read from workbook files.

Facilitators load them (``mentoring-mosaic demo``, or "Load a demo persona" on a facilitator's
link) to show each stage filled in. Each persona is a workbook file, the same ``.json`` a
participant downloads, in ``content/personas/``; ``personas.toml`` beside them gives each a name,
a one-line description and its place in the list. A facilitator's content folder
(``MENTORING_MOSAIC_CONTENT``) may add a ``personas/`` folder of its own: its files add personas
(or replace a packaged one with the same file name). Every file goes through the same checks as
an uploaded workbook (older versions are migrated); a file that fails is skipped with a message
naming it, never stopping the others.

Dates move with today: the file's ``updated_at`` day counts as the workshop day, and every date
in the persona is shifted by the days between it and today, so deadlines and next meetings
always lie ahead.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content.loader import ENV_VAR, PACKAGE_DIR, load_content
from .migrations import WorkbookError
from .model import Workbook
from .validation import parse_workbook_bytes

if TYPE_CHECKING:
    from .content import Content
    from .store import Store

PERSONAS_DIR = PACKAGE_DIR / "personas"
"""The packaged persona files and their index."""

INDEX_FILE = "personas.toml"
"""The list of personas (file, name, description) inside a personas folder."""

KEY_PREFIX = "demo-"
"""A persona's store key is its file name without ``.json``, starting with this prefix."""

_INDEX_FIELDS = frozenset({"file", "name", "description"})
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # the store's rule for keys


@dataclass(frozen=True)
class Persona:
    """One demo persona: its store key, the words a facilitator sees, and its workbook."""

    key: str
    name: str
    description: str
    path: Path
    workbook: Workbook

    @property
    def label(self) -> str:
        """What the loader and ``demo`` show, e.g. "New junior faculty member (Dr Daniel Reyes)"."""
        return f"{self.description} ({self.name})" if self.description else self.name


@dataclass
class PersonaSet:
    """Every persona that loaded, in list order, and one message per file that did not."""

    personas: dict[str, Persona] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    path: Path
    name: str = ""
    description: str = ""


def _read_index(folder: Path, problems: list[str]) -> list[dict[str, str]]:
    """The ``[[persona]]`` entries of a folder's index; a broken index is reported, not fatal."""
    path = folder / INDEX_FILE
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"persona list {path}: cannot be read ({exc}); its names are not used.")
        return []
    for key in sorted(set(data) - {"persona"}):
        problems.append(f"persona list {path}: {key!r} is not known here (write [[persona]] "
                        "entries); it is ignored.")
    entries: list[dict[str, str]] = []
    for number, row in enumerate(data.get("persona", []), start=1):
        where = f"persona list {path}, [[persona]] entry {number}"
        unknown = sorted(set(row) - _INDEX_FIELDS) if isinstance(row, dict) else []
        if not isinstance(row, dict) or not isinstance(row.get("file"), str) or unknown:
            fields = f"unknown field {unknown[0]!r}; " if unknown else ""
            problems.append(f"{where}: {fields}each entry needs file = \"….json\" and may have "
                            "name and description; entry skipped.")
            continue
        entries.append({k: str(v).strip() for k, v in row.items()})
    return entries


def _entries(folders: list[Path], problems: list[str]) -> dict[str, _Entry]:
    """Persona files by key: listed ones in list order, then unlisted ones by file name.

    A later folder (the facilitator's) replaces an entry with the same key and adds new ones.
    """
    found: dict[str, _Entry] = {}
    for folder in folders:
        listed = _read_index(folder, problems)
        names = {row["file"] for row in listed}
        unlisted = sorted(p.name for p in folder.glob("*.json") if p.name not in names)
        for row in [*listed, *({"file": name} for name in unlisted)]:
            path = folder / row["file"]
            key = path.stem if path.stem.startswith(KEY_PREFIX) else KEY_PREFIX + path.stem
            if key in found and not path.is_file():  # a new name for a packaged persona
                old = found[key]
                found[key] = _Entry(old.path, row.get("name") or old.name,
                                    row.get("description") or old.description)
            else:
                found[key] = _Entry(path, row.get("name", ""), row.get("description", ""))
    return found


def _packaged_ids() -> dict[str, str]:
    """Key -> workbook id written in each packaged persona file, in list order (a quick read:
    the full checks run when a persona is loaded)."""
    out: dict[str, str] = {}
    for key, entry in _entries([PERSONAS_DIR], []).items():
        try:
            out[key] = str(json.loads(entry.path.read_bytes()).get("workbook_id", ""))
        except (OSError, ValueError, AttributeError):
            out[key] = ""
    return out


_PACKAGED = _packaged_ids()

DEMO_KEYS: tuple[str, ...] = tuple(_PACKAGED)
"""Keys of the packaged personas in list order: "demo-pgy3", "demo-junior", "demo-midcareer"..."""

DEMO_WORKBOOK_IDS: dict[str, str] = {k: v for k, v in _PACKAGED.items() if v}
"""Fixed workbook ids of the packaged personas, by key, as written in their files (real
workbooks get random ones); e.g. "demo-pgy3" -> "de000000000000000000000000000001"."""


def _shift(value: Any, days: dt.timedelta) -> Any:
    """Every date and time inside ``value`` (model dump: dicts, lists, values) moved by ``days``."""
    if isinstance(value, dt.date):  # datetimes too
        return value + days
    if isinstance(value, dict):
        return {k: _shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    return value


def _dated(workbook: Workbook, today: dt.date) -> Workbook:
    """The persona as if its workshop day (``updated_at``) were ``today``; the store stamps the
    save time itself, so ``updated_at`` is cleared. A file without ``updated_at`` keeps its dates.
    """
    if workbook.updated_at is None:
        return workbook
    days = today - workbook.updated_at.astimezone(dt.UTC).date()
    data = _shift(workbook.model_dump(), days)
    data["updated_at"] = None
    return Workbook.model_validate(data)


def _load(entry: _Entry, key: str, today: dt.date, content: Content | None) -> Persona:
    if not _KEY.match(key):
        raise WorkbookError(
            "its file name may use only letters, digits, - and _ (at most 59 of them)."
        )
    try:
        raw = entry.path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"cannot be read ({exc.strerror or exc}).") from None
    workbook = _dated(parse_workbook_bytes(raw, content), today)
    profile = workbook.profile
    return Persona(key, entry.name or profile.display_name or key,
                   entry.description or profile.current_role, entry.path, workbook)


def load_personas(
    today: dt.date | None = None, override_dir: str | Path | None = None
) -> PersonaSet:
    """Every persona, packaged then the facilitator's, dated relative to ``today``.

    ``override_dir`` is a facilitator's content folder (default: ``MENTORING_MOSAIC_CONTENT``);
    its ``personas/`` folder adds personas. Never raises for a bad persona file: it is left out
    and ``problems`` says which file and why.
    """
    today = today or dt.date.today()
    content = None if override_dir is None else load_content(override_dir)
    folder = override_dir if override_dir is not None else os.environ.get(ENV_VAR) or None
    folders = [PERSONAS_DIR]
    if folder is not None and (Path(folder).expanduser() / "personas").is_dir():
        folders.append(Path(folder).expanduser().resolve() / "personas")
    out = PersonaSet()
    for key, entry in _entries(folders, out.problems).items():
        try:
            out.personas[key] = _load(entry, key, today, content)
        except (WorkbookError, ValueError) as exc:
            out.problems.append(f"demo persona file {entry.path}: {exc} This persona is skipped.")
    return out


def demo_personas(today: dt.date | None = None) -> dict[str, tuple[str, Workbook]]:
    """Every persona that loads: key -> (label, workbook), dated relative to ``today``."""
    return {k: (p.label, p.workbook) for k, p in load_personas(today).personas.items()}


def persona(key: str, today: dt.date | None = None) -> Workbook:
    """One persona's workbook by key (KeyError if it is missing or did not load)."""
    return load_personas(today).personas[key].workbook


def pgy3(today: dt.date | None = None) -> Workbook:
    """Dr Maya Okafor, PGY-3 pediatrics resident about to start a neonatology fellowship."""
    return persona("demo-pgy3", today)


def junior(today: dt.date | None = None) -> Workbook:
    """Dr Daniel Reyes, new junior faculty member."""
    return persona("demo-junior", today)


def midcareer(today: dt.date | None = None) -> Workbook:
    """Dr Priya Natarajan, mid-career faculty member who also mentors."""
    return persona("demo-midcareer", today)


@functools.lru_cache(maxsize=8)
def _marks(content_dir: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(workbook ids, goal ids) of every persona, read once per content folder."""
    personas = load_personas().personas.values()
    ids = frozenset(p.workbook.workbook_id for p in personas)
    return ids | frozenset(DEMO_WORKBOOK_IDS.values()), frozenset(
        goal.id for p in personas for goal in p.workbook.goals
    )


def is_demo_workbook(workbook: Workbook) -> bool:
    """Whether a workbook is (or started as) one of the demo personas.

    The personas' workbooks and goals carry fixed ids ("mo-g1", ...) while real ones get random
    ids, so a participant who loaded a persona to look around is not counted as a real
    participant.
    """
    if workbook.workbook_id in DEMO_WORKBOOK_IDS.values():
        return True
    ids, goal_ids = _marks(os.environ.get(ENV_VAR) or None)
    return workbook.workbook_id in ids or any(goal.id in goal_ids for goal in workbook.goals)


def store_demo_personas(store: Store, personas: PersonaSet | None = None) -> list[tuple[str, str]]:
    """Store (or refresh) every persona under its key; returns (key, label) pairs.

    A persona already stored is replaced; the store keeps the old one as a backup. Files that
    did not load are in ``personas.problems`` (and the log), not stored.
    """
    personas = personas or load_personas()
    out = []
    for key, item in personas.personas.items():
        store.save_workbook(key, item.workbook, reason="demo", is_demo=True)
        out.append((key, item.label))
    return out


__all__ = [
    "DEMO_KEYS",
    "DEMO_WORKBOOK_IDS",
    "Persona",
    "PersonaSet",
    "demo_personas",
    "is_demo_workbook",
    "load_personas",
    "store_demo_personas",
]
