"""The room at a glance: aggregate many workbooks without names, for the facilitator.

Two steps:

1. **Load** workbooks from the shared store (:func:`load_store`) or from files a facilitator
   collected (:func:`load_files` for ``(name, bytes)`` pairs, :func:`load_paths` for files,
   folders and zips on disk). Every file goes through the same checks as ``validate``; a bad one
   is listed with its reason and never stops the rest. Zips are read in memory, never
   extracted: unsafe member names (``../x``, ``/etc/x``, ``C:\\x``), oversize members, zip bombs
   (a per-member and a total uncompressed cap, enforced on the bytes actually read, not on the
   sizes the zip claims), nested zips and non-workbook files are listed and skipped. The same
   workbook twice (identical answers) is counted once, and so is a workbook sent again after
   an edit (same anonymous ``workbook_id``: the latest copy wins). Demo personas are skipped
   unless asked for (rehearsals).

   **No names.** Files and stored workbooks are listed by position and reason only ("file 3
   of 40: not a workbook file"), never by file name or participant key, and a reason never
   quotes what a file holds.

2. **Aggregate** (:func:`aggregate`) into tables, counting **only participants who consented**
   (``consent.share_anonymised``). Every count under 3, zero included, is shown as ``"<3"`` and
   every share or mean built on fewer than 3 answers as ``"n<3"``. Only the ids the content
   files define (domains, scenarios, confidence skills) become rows: an answer under any other
   key is left out, so no free text ever becomes a label.

How each figure is worked out (what counts as rated, answers of 0, the base of each share,
rounding, tie order) is written for facilitators in ``facilitator/guide.md``, "How each figure
is worked out"; :attr:`CohortReport.notes` says the same per table, with the n behind it.

The tables are plain Python rows (JSON-ready ints, floats and strings); :attr:`CohortReport.tables`
turns them into pandas DataFrames on first use, so the command line never imports pandas.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import itertools
import os
import statistics
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..model import LEVELS, PLACES, SCHEMA_VERSION, Workbook
from ..validation import MAX_FILE_BYTES, WorkbookError, read_workbook_file

if TYPE_CHECKING:
    import pandas as pd

MIN_COUNT = 3
"""Counts below this are suppressed."""
SUPPRESSED = "<3"
"""What a suppressed count shows."""
SUPPRESSED_SHARE = "n<3"
"""What a share or mean built on a suppressed count shows."""

MAX_MEMBER_BYTES = MAX_FILE_BYTES
"""A zip member larger than a workbook file can be (5 MB) is not read."""
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024
"""Stop reading a zip once this much has been decompressed (zip-bomb guard)."""
MAX_ZIP_BYTES = 100 * 1024 * 1024
"""A zip file larger than this on disk is not opened."""
MAX_MEMBERS = 20_000
"""A zip with more entries than this is not a room's worth of workbooks."""
WORKBOOK_SUFFIXES = (".json", ".ipynb")

TABLE_TITLES: dict[str, str] = {
    "summary": "The room",
    "needs": "Needs by domain",
    "gaps": "Gaps across the room",
    "mosaic_size": "Mosaic size",
    "levels": "Level mix",
    "places": "Where mentors are",
    "scenarios": "Scenarios chosen most often",
    "evaluation": "Evaluation: the headline item",
    "confidence": "Confidence before and after",
}
"""Every table the report holds, in display order, with its title."""

COLUMNS: dict[str, list[str]] = {
    "summary": ["measure", "value"],
    "needs": ["domain", "name", "rated", "mean_need", "mean_support", "need_3_or_more",
              "percent_need_3_or_more"],
    "gaps": ["domain", "name", "without_existing_mentor", "percent_without"],
    "mosaic_size": ["measure", "value"],
    "levels": ["level", "people", "percent_of_people", "participants_with_one",
               "percent_of_participants"],
    "places": ["place", "people", "percent_of_people"],
    "scenarios": ["scenario", "title", "participants", "percent"],
    "evaluation": ["answer", "count", "percent"],
    "confidence": ["skill", "text", "answered", "mean_before", "mean_after"],
}
"""Every table's columns, in order."""

AGREE_ROW = "Agree or strongly agree (4-5)"
ANSWERED_ROW = "Answered"

OUTCOME_TEXT = "My mentoring relationships have improved since the workshop"
"""The review's outcome item when the content has none (review.toml ``[outcome]``)."""

FOLLOW_UP_TITLES: dict[str, str] = {
    "summary": "Three months on: who reviewed their plan",
    "actions": "Three months on: what became of the actions",
    "support": "Three months on: support per domain, workshop day and now",
    "mentors": "Three months on: new mentors",
    "outcome": "Three months on: the outcome item",
    "items": "Three months on: since the workshop",
}
"""The follow-up tables (reviewed workbooks whose review was shared), in display order."""

FOLLOW_UP_COLUMNS: dict[str, list[str]] = {
    "summary": ["measure", "value"],
    "actions": ["status", "actions", "percent"],
    "support": ["domain", "name", "compared", "mean_then", "mean_now", "mean_change",
                "higher_now", "percent_higher_now"],
    "mentors": ["measure", "value"],
    "outcome": ["answer", "count", "percent"],
    "items": ["item", "text", "answered", "yes", "percent_yes"],
}
"""Every follow-up table's columns, in order."""

ACTION_STATUS_ROWS: dict[str, str] = {
    "done": "Done",
    "partly": "Partly",
    "not_yet": "Not yet",
    "dropped": "Dropped",
}
"""The review's four answers for an action, in display order (model.ACTION_STATUSES)."""


# -- loading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rejected:
    """A file (or zip item, or stored workbook) that was not counted, and why.

    ``name`` is its position ("file 3 of 40", "file 2 of 5 (a zip), item 7 of 120",
    "workbook 4 of 30 in the shared store"), never a file name or a participant's key.
    """

    name: str
    reason: str


@dataclass
class LoadResult:
    """Workbooks read successfully (each with its position label) and the files refused.

    ``include_demo`` counts demo personas too (rehearsals). ``groups`` is how many batches of
    files it holds: when a second batch is merged in (the dashboard's second drop), every label
    gets its batch ("drop 2, file 1 of 3") so positions stay unambiguous.
    """

    workbooks: list[tuple[str, Workbook | Summary]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    include_demo: bool = False
    groups: int = 0
    _by_id: dict[str, int] = field(default_factory=dict, repr=False)

    def add(self, name: str, workbook: Workbook | Summary) -> None:
        """Keep a workbook unless it is a demo persona, the same answers as one already read,
        or an older copy of one (same ``workbook_id``; the latest saved copy wins).

        Identical copies carry the same id, so answers are compared (by :func:`content_hash`)
        only when an id comes twice.
        """
        from ..demo import is_demo_workbook

        demo = workbook.demo if isinstance(workbook, Summary) else is_demo_workbook(workbook)
        if not self.include_demo and demo:
            self.reject(name, "a demo persona, not a participant; not counted")
            return
        index = self._by_id.get(workbook.workbook_id)
        if index is None:
            self._by_id[workbook.workbook_id] = len(self.workbooks)
            self.workbooks.append((name, workbook))
            return
        old_name, old = self.workbooks[index]
        if _digest(workbook) == _digest(old):
            self.reject(name, f"the same workbook as {old_name}; counted once")
        elif not _is_later(workbook, old):
            self.reject(
                name, f"an older copy of the workbook in {old_name}; only the latest copy is "
                "counted"
            )
        else:
            self.reject(
                old_name, f"an older copy of the workbook in {name}; only the latest copy is "
                "counted"
            )
            self.workbooks[index] = (name, workbook)

    def reject(self, name: str, reason: str) -> None:
        """List a file that is not counted."""
        self.rejected.append(Rejected(name, reason))

    def extend(self, other: LoadResult) -> None:
        """Merge another result, still counting each workbook once."""
        if self.groups and other.groups:
            if self.groups == 1:
                self._relabel("drop 1, ")
            other._relabel(f"drop {self.groups + 1}, ")
        self.groups += other.groups
        for name, workbook in other.workbooks:
            self.add(name, workbook)
        self.rejected.extend(other.rejected)

    def _relabel(self, prefix: str) -> None:
        def label(text: str) -> str:
            return prefix + text if text.startswith("file ") else text

        def reason(text: str) -> str:
            for lead in ("the same workbook as ", "an older copy of the workbook in "):
                if text.startswith(lead + "file "):
                    return lead + prefix + text[len(lead):]
            return text

        self.workbooks = [(label(n), wb) for n, wb in self.workbooks]
        self.rejected = [Rejected(label(r.name), reason(r.reason)) for r in self.rejected]


def _digest(item: Workbook | Summary) -> str:
    return item.digest if isinstance(item, Summary) else content_hash(item)


def _is_later(new: Workbook | Summary, old: Workbook | Summary) -> bool:
    """Whether ``new`` (read after ``old``) replaces it under the one-per-id rule."""
    from .identity import latest_per_workbook

    return latest_per_workbook([(old, 0), (new, 1)])[0][1] == 1


def content_hash(workbook: Workbook) -> str:
    """A hash of a workbook's answers (the save time left out), to spot the same file twice."""
    data = workbook.model_dump_json(exclude={"updated_at"})
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while thousands of workbooks are validated.

    Validated workbooks hold no reference cycles, but each new batch of objects triggers a
    full collection over all earlier ones; pausing halves the time at 10,000 workbooks.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def room_reason(exc: WorkbookError) -> str:
    """Why a file was refused, in words that never quote what the file holds.

    ``validate`` may quote a key or id from the file to help its owner fix it; the room's
    lists are seen by others, so such details become the part of the workbook they are in.
    """
    text = str(exc)
    kind = getattr(exc, "kind", None)
    where = getattr(exc, "field", None)
    if kind and where:
        from ..validation import CONTENT_KINDS  # type: ignore[attr-defined]

        return (
            f"Not a valid workbook: {where} holds a {CONTENT_KINDS.get(kind, kind)} that this "
            "workshop's content does not define"
        )
    prefix = "Not a valid workbook: "
    if text.startswith(prefix):
        first = text[len(prefix):].split(" › ", 1)[0].split(":", 1)[0].strip()
        if first.replace(" ", "_") in Workbook.model_fields:
            return f"{prefix}a problem in its {first} part"
        return f"{prefix}it holds something a workbook does not have"
    if any(q in text for q in ('"', "'", "“", "‘", "`")):
        return "Not a valid workbook file"
    return text


def _parse(name: str, raw: bytes, content: Any) -> Workbook:
    """The workbook in a file, as ``validate`` would read it (faster for current files).

    A current-version ``.json`` file is validated straight from its bytes (pydantic's own JSON
    parser, about three times faster than ``json.loads`` then validation); anything else, and
    any file that fails there, goes through :func:`validation.read_workbook_file`, which
    migrates older versions and words the reason.
    """
    if not name.lower().endswith(".ipynb") and len(raw) <= MAX_FILE_BYTES:
        try:
            workbook = Workbook.model_validate_json(raw)
        except ValueError:
            pass
        else:
            if workbook.schema_version == SCHEMA_VERSION:
                return _check_ids(workbook, content)
    return read_workbook_file(name, raw, content)


_KNOWN_IDS: dict[int, tuple[Any, dict[str, frozenset[str]]]] = {}


def _check_ids(workbook: Workbook, content: Any) -> Workbook:
    """``validate``'s content-id check, with the content's ids worked out once per content."""
    from ..validation import check_content_ids, content_ids, stored_content_ids

    cached = _KNOWN_IDS.get(id(content))
    if cached is None or cached[0] is not content:
        _KNOWN_IDS.clear()
        cached = _KNOWN_IDS[id(content)] = (content, content_ids(content))
    known = cached[1]
    for _where, kind, value in stored_content_ids(workbook):
        if value not in known[kind]:
            return check_content_ids(workbook, content)  # raises, naming the first one
    return workbook


PARALLEL_MIN = 400
"""Below this many workbook files, starting other processes costs more than it saves."""
CHUNK = 250
"""Workbook files sent to another process at a time."""

_WORKER_CONTENT: Any = None
"""The content a forked worker checks ids against (inherited from the parent, never sent)."""


_OPEN_ZIPS: dict[int, zipfile.ZipFile] = {}


def _summarise(item: tuple[str, str, Any], content: Any, ids: _Ids) -> tuple[Any, str]:
    """One file's outcome: (its :class:`Summary`, "") or (None, why it is refused)."""
    _label, name, raw = item
    if isinstance(raw, tuple):  # ("zip", key, index): unpack it here
        _kind, key, index = raw
        archive = _OPEN_ZIPS.get(key)
        if archive is None:
            archive = _OPEN_ZIPS[key] = zipfile.ZipFile(io.BytesIO(_WORKER_ZIPS[key]))
        raw = _unpack(archive, archive.infolist()[index])
        if isinstance(raw, str):
            return None, raw
    try:
        workbook = _parse(name, raw, content)
    except WorkbookError as exc:
        return None, room_reason(exc)
    except Exception as exc:  # never let one file stop the rest
        return None, f"could not be read ({type(exc).__name__})"
    return Summary.of(workbook, ids), ""


def _summarise_chunk(chunk: list[tuple[str, str, bytes]]) -> list[tuple[Any, str]]:
    """In a worker process: every file of a chunk, in order."""
    gc.disable()  # a short-lived worker holding no reference cycles
    content = _WORKER_CONTENT
    ids = _Ids.of(content)
    return [_summarise(item, content, ids) for item in chunk]


class _Reader:
    """Reads files into a :class:`LoadResult`; holds the content the ids are checked against.

    With ``workers`` (the command line), workbook files are reduced to :class:`Summary` records,
    in up to that many processes once there are at least :data:`PARALLEL_MIN` of them; the
    outcomes are added in file order, so positions and "latest copy" decisions are the same as
    when reading one file at a time.
    """

    def __init__(self, result: LoadResult, content: Any = None, workers: int = 0) -> None:
        if content is None:
            from ..content import get_content

            content = get_content()
        self.result = result
        self.content = content
        self.workers = workers
        self.events: list[tuple[str, str, Any]] = []  # ("reject", label, why) or ("file", ..)
        self.chunk: list[tuple[str, str, bytes]] = []
        self.chunks: list[Any] = []  # finished lists, or pending async results
        self.pool: Any = None
        self.shared_zips: dict[int, int] = {}  # id(zip's file object) -> _WORKER_ZIPS key

    def reject(self, label: str, reason: str) -> None:
        """Refuse a file (kept in order with the files still being read)."""
        if self.workers:
            self.events.append(("reject", label, reason))
        else:
            self.result.reject(label, reason)

    def workbook(self, label: str, name: str, raw: Any) -> None:
        if self.workers:
            self.events.append(("file", label, (len(self.chunks), len(self.chunk))))
            self.chunk.append((label, name, raw))
            if len(self.chunk) >= CHUNK:
                self._send()
            return
        try:
            workbook = _parse(name, raw, self.content)
        except WorkbookError as exc:
            self.result.reject(label, room_reason(exc))
        except Exception as exc:  # never let one file stop the rest
            self.result.reject(label, f"could not be read ({type(exc).__name__})")
        else:
            self.result.add(label, workbook)

    def _send(self) -> None:
        """Hand the current chunk to a worker (started once there is enough to share)."""
        global _WORKER_CONTENT
        if self.pool is None and self.workers > 1 and (
            len(self.chunks) + 1
        ) * CHUNK >= PARALLEL_MIN:
            import multiprocessing

            _WORKER_CONTENT = self.content
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)
        if self.pool is not None:
            self.chunks.append(self.pool.apply_async(_summarise_chunk, (self.chunk,)))
        else:
            ids = _Ids.of(self.content)
            self.chunks.append([_summarise(item, self.content, ids) for item in self.chunk])
        self.chunk = []

    def finish(self) -> None:
        """Add every outcome to the result, in file order."""
        if not self.workers:
            return
        if self.chunk:
            self._send()
        try:
            done = [c if isinstance(c, list) else c.get() for c in self.chunks]
        finally:
            if self.pool is not None:
                self.pool.close()
                self.pool.join()
                self.pool = None
        for kind, label, detail in self.events:
            if kind == "reject":
                self.result.reject(label, detail)
                continue
            summary, why = done[detail[0]][detail[1]]
            if summary is None:
                self.result.reject(label, why)
            else:
                self.result.add(label, summary)
        self.events = []
        self.chunks = []
        for key in self.shared_zips.values():
            _WORKER_ZIPS.pop(key, None)
            _OPEN_ZIPS.pop(key, None)
        self.shared_zips = {}

    def file(self, label: str, name: str, raw: bytes) -> None:
        """One dropped or found file: a zip, a workbook file, or something else."""
        if _looks_like_zip(name, raw):
            if len(raw) > MAX_ZIP_BYTES:
                self.reject(
                    label, f"the zip is larger than {MAX_ZIP_BYTES // 1_048_576} MB"
                )
                return
            self.zip(label, raw)
        elif not name.lower().endswith(WORKBOOK_SUFFIXES):
            self.reject(label, "not a workbook file (only .json, .ipynb and .zip are read)")
        else:
            self.workbook(label, name, raw)

    def zip(self, label: str, raw: bytes) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            self.reject(label, "not a readable zip file")
            return
        with archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                self.reject(
                    label, f"the zip holds {len(infos):,} entries (at most {MAX_MEMBERS:,})"
                )
                return
            members = [(i, info) for i, info in enumerate(infos) if not info.is_dir()]
            if not members:
                self.reject(label, "the zip holds no files")
                return
            if self.workers and self.pool is None:
                key = next(_ZIP_KEYS)
                _WORKER_ZIPS[key] = raw  # seen by workers forked from now on
                self.shared_zips[id(archive.fp)] = key
            total = 0
            for j, (index, info) in enumerate(members, start=1):
                item = f"{label} (a zip), item {j} of {len(members)}"
                total = self._member(archive, info, index, item, total)

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, index: int, item: str,
                total: int) -> int:
        """Read one zip member; returns the bytes decompressed so far."""
        why = _unsafe_member_name(info.filename)
        if why:
            self.reject(item, why)
            return total
        base = PurePosixPath(info.filename.replace("\\", "/")).name
        if _is_symlink(info):
            self.reject(item, "a link, not a workbook file; not read")
            return total
        if base.startswith(".") or "__MACOSX" in info.filename:
            self.reject(item, "a hidden system file, not a workbook; not read")
            return total
        lower = base.lower()
        if lower.endswith(".zip"):
            self.reject(item, "a zip inside the zip is not opened; add its files instead")
            return total
        if not lower.endswith(WORKBOOK_SUFFIXES):
            self.reject(item, "not a workbook file (only .json and .ipynb are read)")
            return total
        if info.flag_bits & 0x1:
            self.reject(item, "encrypted; not read")
            return total
        if info.file_size > MAX_MEMBER_BYTES:
            self.reject(
                item,
                f"{info.file_size / 1_048_576:.1f} MB uncompressed; a workbook is at most "
                f"{MAX_MEMBER_BYTES // 1_048_576} MB",
            )
            return total
        if total + info.file_size > MAX_ZIP_TOTAL_BYTES:
            self.reject(
                item,
                f"not read: the zip unpacks to more than "
                f"{MAX_ZIP_TOTAL_BYTES // 1_048_576} MB in all",
            )
            return total
        if self.workers and id(archive.fp) in self.shared_zips:
            # a worker process unpacks it from the zip it inherited (see _unpack)
            self.workbook(item, lower, ("zip", self.shared_zips[id(archive.fp)], index))
            return total + info.file_size
        data = _unpack(archive, info)
        if isinstance(data, str):
            self.reject(item, data)
            return total
        self.workbook(item, lower, data)
        return total + len(data)


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | str:
    """A member's bytes, or why not. Never more than its stated size (itself at most 5 MB) is
    decompressed, so the zip's total cap holds even for a zip that lies about its sizes."""
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        return f"could not be unpacked ({type(exc).__name__})"
    if len(data) > info.file_size:
        return "unpacks to more than its stated size (a zip bomb?); not read"
    return data


_WORKER_ZIPS: dict[int, bytes] = {}
_ZIP_KEYS = itertools.count()
"""Zips being read, by key: a forked worker unpacks its members from its inherited copy."""


def _unsafe_member_name(name: str) -> str | None:
    """Why a zip member's name is unsafe, or None. We never extract, but we refuse them."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "an absolute path inside the zip; not read"
    if ".." in PurePosixPath(posix).parts:
        return "a path that climbs out of the zip ('..'); not read"
    if any(ord(c) < 32 for c in name):
        return "a name with control characters; not read"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def _looks_like_zip(name: str, raw: bytes) -> bool:
    return name.lower().endswith(".zip") or raw[:4] == b"PK\x03\x04"


def load_files(
    files: Iterable[tuple[str, bytes]],
    *,
    include_demo: bool = False,
    content: Any = None,
    workers: int = 0,
) -> LoadResult:
    """Workbooks from dropped files: ``(name, bytes)`` pairs of .json, .ipynb or .zip files.

    Each is listed by its position among them ("file 2 of 5"), never by its name. ``workers``
    (the command line): see :class:`_Reader`; the workbooks are then :class:`Summary` records.
    """
    pairs = list(files)
    result = LoadResult(include_demo=include_demo, groups=1)
    reader = _Reader(result, content, workers)
    with _gc_paused():
        for i, (name, raw) in enumerate(pairs, start=1):
            reader.file(f"file {i} of {len(pairs)}", name, raw)
        reader.finish()
    return result


def load_zip(
    name: str, raw: bytes, *, include_demo: bool = False, content: Any = None, workers: int = 0
) -> LoadResult:
    """Every workbook inside one zip (read in memory; folders inside are fine)."""
    return load_files([(name, raw)], include_demo=include_demo, content=content, workers=workers)


def _path_files(path: Path) -> list[Path]:
    """A folder's files (hidden ones and hidden folders left out) in path order, or the file."""
    if not path.is_dir():
        return [path]
    found: list[str] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(folder, f) for f in files if not f.startswith("."))
    found.sort()
    return [Path(f) for f in found if os.path.isfile(f)]


def load_paths(
    paths: Iterable[str | Path],
    *,
    include_demo: bool = False,
    content: Any = None,
    workers: int = 0,
) -> LoadResult:
    """Workbooks from files, folders (read recursively, in name order) and zips on disk.

    Every file is listed by its position in that order ("file 3 of 40"), never by its name.
    ``workers`` (the command line): see :class:`_Reader`.
    """
    entries: list[Path | None] = []  # None: a path given that does not exist
    for given in paths:
        path = Path(given)
        entries.extend(_path_files(path) if path.exists() else [None])
    result = LoadResult(include_demo=include_demo, groups=1)
    reader = _Reader(result, content, workers)
    with _gc_paused():
        for i, file in enumerate(entries, start=1):
            label = f"file {i} of {len(entries)}"
            if file is None:
                reader.reject(label, "no such file or folder")
                continue
            suffix = file.suffix.lower()
            is_zip = suffix == ".zip"
            if not is_zip and suffix not in WORKBOOK_SUFFIXES:
                reader.reject(label, "not a workbook file (only .json, .ipynb and .zip are read)")
                continue
            try:
                size = file.stat().st_size
                limit = MAX_ZIP_BYTES if is_zip else MAX_FILE_BYTES
                if size > limit:
                    reader.reject(
                        label, f"{size / 1_048_576:.1f} MB; at most {limit // 1_048_576} MB is read"
                    )
                    continue
                raw = file.read_bytes()
            except OSError as exc:
                reader.reject(label, f"cannot be read ({exc.strerror or type(exc).__name__})")
                continue
            reader.file(label, file.name, raw)
        reader.finish()
    return result


def load_store(store: Any = None, *, include_demo: bool = False) -> LoadResult:
    """Every workbook in the shared store (demo personas only when asked for).

    Listed as "workbook 4 of 30 in the shared store", never by the participant's key.
    """
    from ..store import Store

    own = store is None
    store = store or Store()
    result = LoadResult(include_demo=include_demo)
    try:
        stored = list(store.load_all(include_demo=include_demo))
    finally:
        if own:
            store.dispose()
    with _gc_paused():
        for i, (_key, workbook) in enumerate(stored, start=1):
            # a participant who loaded a persona to look around is not a real answer
            result.add(f"workbook {i} of {len(stored)} in the shared store", workbook)
    return result


# -- suppression and rounding ----------------------------------------------------------------------
def _half_up(numerator: int, denominator: int, places: int) -> float:
    """``numerator / denominator`` rounded to ``places`` decimals, halves up (exact, no floats).

    Python's ``round`` rounds halves to even and works on binary floats (``round(1.125, 2)``
    is 1.12); the guide promises 1.13.
    """
    scale = 10**places
    return ((2 * numerator * scale + denominator) // (2 * denominator)) / scale


def agreement_rows(counts: Mapping[int, int], answered: int, agree: int,
                   labels: Mapping[int, str]) -> list[dict[str, Any]]:
    """Rows of a five-point agreement item (the workshop's headline, the review's outcome):
    answered, agree or strongly agree, then each answer from 5 down, small counts hidden."""
    return [
        {"answer": ANSWERED_ROW, "count": count_cell(answered), "percent": ""},
        {"answer": AGREE_ROW, "count": count_cell(agree), "percent": share_cell(agree, answered)},
    ] + [
        {
            "answer": f"{value} {labels.get(value, '')}".strip(),
            "count": count_cell(counts[value]),
            "percent": share_cell(counts[value], answered),
        }
        for value in (5, 4, 3, 2, 1)
    ]


def count_cell(count: int) -> int | str:
    """A count as shown: the number, or ``"<3"`` when it is under 3 (zero included)."""
    return int(count) if count >= MIN_COUNT else SUPPRESSED


def share_cell(count: int, denominator: int) -> float | str:
    """A percentage (one decimal) of ``count`` in ``denominator``; suppressed with the count."""
    if count < MIN_COUNT or denominator < MIN_COUNT:
        return SUPPRESSED_SHARE
    return _half_up(100 * int(count), int(denominator), 1)


def mean_cell(values: Sequence[int]) -> float | str:
    """A mean (two decimals, halves up) of at least 3 answers; otherwise suppressed."""
    if len(values) < MIN_COUNT:
        return SUPPRESSED_SHARE
    return _half_up(sum(values), len(values), 2)


def _mean1(values: Sequence[int]) -> float:
    return _half_up(sum(values), len(values), 1)


def is_suppressed(value: Any) -> bool:
    """Whether a table cell was suppressed."""
    return value in (SUPPRESSED, SUPPRESSED_SHARE)


# -- the report ------------------------------------------------------------------------------------
@dataclass
class CohortReport:
    """The aggregates, as tables without names, plus what was not counted.

    ``rows`` holds each table as JSON-ready records; ``tables`` gives them as DataFrames.
    ``bases`` says, per table and column, the n each share or mean is built on: a number (or
    ``"<3"``) when the whole column shares it, or the name of the column holding each row's n
    (``"rated"``, ``"answered"``). ``notes`` says the same in one plain sentence per table.
    """

    participants: int
    not_consented: int
    rows: dict[str, list[dict[str, Any]]]
    rejected: list[Rejected] = field(default_factory=list)
    headline_text: str = ""
    bases: dict[str, dict[str, int | str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    left_out: int = 0
    """Counted workbooks holding answers under ids the content does not define (left out)."""
    follow_up: FollowUp = field(default_factory=lambda: FollowUp())
    """Three months on: the reviews shared (their own consent), see :class:`FollowUp`."""

    @property
    def enough(self) -> bool:
        """Whether at least 3 participants consented (otherwise every table is empty)."""
        return self.participants >= MIN_COUNT

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table as a pandas DataFrame (built on first use)."""
        import pandas as pd

        return {
            name: pd.DataFrame(self.rows.get(name, []), columns=columns)
            for name, columns in COLUMNS.items()
        }

    @property
    def headline(self) -> dict[str, Any]:
        """The headline item: answered, agreeing (4-5) and the share agreeing."""
        rows = {r["answer"]: r for r in self.rows.get("evaluation", [])}
        if not rows:
            return {"answered": SUPPRESSED, "agree": SUPPRESSED, "agree_percent": SUPPRESSED_SHARE}
        return {
            "answered": rows[ANSWERED_ROW]["count"],
            "agree": rows[AGREE_ROW]["count"],
            "agree_percent": rows[AGREE_ROW]["percent"],
        }

    def to_json_dict(self) -> dict[str, Any]:
        """One JSON-ready object: counts, headline, every table as records, rejected files."""
        return {
            "participants": count_cell(self.participants),
            "not_counted_without_consent": count_cell(self.not_consented),
            "headline_item": self.headline_text,
            "headline": self.headline,
            "tables": {name: [dict(r) for r in self.rows.get(name, [])] for name in COLUMNS},
            "bases": self.bases,
            "notes": self.notes,
            "rejected": [{"file": r.name, "reason": r.reason} for r in self.rejected],
            "follow_up": self.follow_up.to_json_dict(),
            "suppression": f"counts under {MIN_COUNT} show as {SUPPRESSED!r}; shares and means "
            f"built on them as {SUPPRESSED_SHARE!r}",
        }

    def csv_files(self) -> dict[str, bytes]:
        """Every table as a CSV file (UTF-8 with BOM so spreadsheet programs read accents).

        No cell can run in a spreadsheet (:mod:`mentoring_mosaic.csv_safe`).
        """
        from ..csv_safe import csv_text

        def encode(header: list[str], rows: Iterable[Sequence[Any]]) -> bytes:
            return csv_text(header, rows).encode("utf-8-sig")

        out = {
            f"{name}.csv": encode(columns, ([r.get(c) for c in columns]
                                            for r in self.rows.get(name, [])))
            for name, columns in COLUMNS.items()
        }
        follow = self.follow_up
        for name, columns in FOLLOW_UP_COLUMNS.items():
            out[f"follow_up_{name}.csv"] = encode(
                columns, ([r.get(c) for c in columns] for r in follow.rows.get(name, []))
            )
        out["rejected_files.csv"] = encode(
            ["file", "reason"], ([r.name, r.reason] for r in self.rejected)
        )
        out["how_to_read.csv"] = encode(
            ["table", "title", "based_on"],
            [
                *([name, TABLE_TITLES[name], self.notes.get(name, "")] for name in COLUMNS),
                *([f"follow_up_{name}", title, follow.notes.get(name, "")]
                  for name, title in FOLLOW_UP_TITLES.items()),
            ],
        )
        return out

    def csv_zip(self) -> bytes:
        """Every table's CSV in one zip."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.csv_files().items():
                archive.writestr(f"mentoring-mosaic-room/{name}", data)
        return buffer.getvalue()


# -- what the room needs from one workbook --------------------------------------------------------
@dataclass(frozen=True)
class _Ids:
    """The content's ids that may become rows."""

    domains: frozenset[str]
    scenarios: frozenset[str]
    skills: frozenset[str]

    @staticmethod
    def of(content: Any) -> _Ids:
        return _Ids(
            frozenset(content.domain_names),
            frozenset(s.id for s in content.scenarios),
            frozenset(s.id for s in content.skills),
        )


Facts = tuple[Any, ...]
"""One consenting workbook reduced to what the tables count (see :func:`workbook_facts`)."""


def workbook_facts(wb: Workbook, ids: _Ids) -> Facts:
    """What the room's tables take from one workbook: no names, no free text, content ids only.

    ``(ratings, mentors, existing, covered, mentors_others, scenarios, headline, confidence,
    unknown)``: ratings as (domain, support, need), every answer (0 included); mentors as
    (level, place); how many are existing mentors and the domains they cover; whether the
    participant mentors others; scenarios with a written strategy; the headline answer;
    confidence as (skill, before, after) answered both times; whether any answer sat under an
    id the content does not define (left out).
    """
    unknown = False
    ratings = []
    for domain, rating in wb.needs.ratings.items():
        if domain in ids.domains:
            ratings.append((domain, rating.support, rating.need))
        else:
            unknown = True
    mentors = []
    existing = 0
    covered: set[str] = set()
    others = wb.profile.mentors_others
    for p in wb.people:
        if p.role != "mentor":
            others = True
            continue
        mentors.append((p.level, p.place))
        if p.status == "existing":
            existing += 1
            covered.update(p.domains)
    if not covered <= ids.domains:
        unknown = True
        covered &= ids.domains
    scenarios = []
    for key, note in wb.scenarios.items():
        if key not in ids.scenarios:
            unknown = True
        elif note.strategy.strip():
            scenarios.append(key)
    ev = wb.evaluation
    pairs = []
    for skill, value in ev.confidence_before.items():
        if skill not in ids.skills:
            unknown = True
        elif skill in ev.confidence_after:
            pairs.append((skill, value, ev.confidence_after[skill]))
    if not ev.confidence_after.keys() <= ids.skills:
        unknown = True
    return (tuple(ratings), tuple(mentors), existing, frozenset(covered), others,
            tuple(scenarios), ev.headline, tuple(pairs), unknown)


@dataclass(frozen=True)
class Summary:
    """One workbook as the room needs it: its identity, consent and :func:`workbook_facts`.

    Made where the file was read, so the command line can validate in several processes and
    send back only this (a validated workbook costs more to send between processes than to
    validate again). :class:`LoadResult` and :func:`aggregate` take it wherever they take a
    :class:`~mentoring_mosaic.model.Workbook`.
    """

    workbook_id: str
    updated_at: dt.datetime | None
    digest: str
    demo: bool
    consent: bool
    facts: Facts
    follow_up: FollowUpFacts | None = None
    """:func:`follow_up_facts` (None: no review answers yet)."""

    @staticmethod
    def of(wb: Workbook, ids: _Ids) -> Summary:
        from ..demo import is_demo_workbook

        return Summary(wb.workbook_id, wb.updated_at, content_hash(wb), is_demo_workbook(wb),
                       wb.consent.share_anonymised, workbook_facts(wb, ids),
                       follow_up_facts(wb, ids))


FollowUpFacts = tuple[Any, ...]
"""One reviewed workbook reduced to what the follow-up tables count."""


def is_reviewed(wb: Workbook) -> bool:
    """Whether the workbook holds answers to the review ("Three months on").

    A review the participant only opened (no answer yet, no day of the last answer) is not a
    review: the workbook counts as "not reviewed yet", and nothing is guessed for it.
    """
    review = getattr(wb, "review", None)
    return review is not None and (
        review.reviewed_on is not None or review.completed_at is not None
    )


def follow_up_facts(wb: Workbook, ids: _Ids) -> FollowUpFacts | None:
    """What the follow-up tables take from one workbook, or None when it is not reviewed.

    ``(consent, has_baseline, statuses, support, new_mentors, outcome, met_new_mentor,
    managing_up_conversation)``: the review's own consent (asked again in the review); whether
    the workshop day's copy (the baseline) is there; the answer for each action (done, partly,
    not yet, dropped; unanswered ones left out); support as (domain, then, now) for the
    content's domains rated on both days; how many existing mentors now were not existing
    mentors on the workshop day (added since, or potential then), None without a baseline; the
    outcome item (1-5 or None); the two yes/no items (None: not answered). No names, no words.

    One workbook, one review: the current one (against its own "then": the workshop day, or
    the last review in a later round); while a later round has no answers yet, the last
    finished round.

    The same definitions as the participant's own review page (:mod:`.follow_up`:
    ``share_done``, ``support_changes``, ``mosaic_then_and_now(...).new_mentors``), worked out
    here without drawing the mosaic twice, so 10,000 files stay quick; a unit test checks that
    both agree.
    """
    people_now = wb.people
    if is_reviewed(wb):
        review = wb.review  # type: ignore[attr-defined]
        baseline = getattr(wb, "baseline", None)
    elif getattr(wb, "past_reviews", None):
        # The next review is started but not answered yet: the workbook still counts once,
        # with its last finished round ("now" for the mosaic: the plan when that round ended,
        # which is the current round's "then").
        last = wb.past_reviews[-1]
        review, baseline = last.review, last.baseline
        if wb.baseline is not None:
            people_now = wb.baseline.people
    else:
        return None
    statuses = tuple(a.status for a in review.actions.values() if a.status is not None)
    support: tuple[tuple[str, int, int], ...] = ()
    new_mentors = None
    if baseline is not None:
        then = baseline.needs.ratings
        support = tuple(
            (domain, then[domain].support, now)
            for domain, now in review.support_today.items()
            if domain in ids.domains and domain in then
        )
        before = {
            p.id for p in baseline.people if p.role == "mentor" and p.status == "existing"
        }
        new_mentors = sum(
            1 for p in people_now
            if p.role == "mentor" and p.status == "existing" and p.id not in before
        )
    return (review.consent.share_anonymised, baseline is not None, statuses, support,
            new_mentors, review.relationships_improved, review.met_new_mentor,
            review.managing_up_conversation)


@dataclass
class FollowUp:
    """The follow-up figures: reviewed workbooks whose review was shared, small counts hidden.

    ``rows``, ``bases`` and ``notes`` work as in :class:`CohortReport`, for the tables of
    :data:`FOLLOW_UP_COLUMNS`. Workbooks without review answers are counted as not reviewed
    yet, never guessed.
    """

    read: int = 0
    not_reviewed: int = 0
    reviewed_not_shared: int = 0
    counted: int = 0
    without_baseline: int = 0
    outcome_text: str = OUTCOME_TEXT
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in FOLLOW_UP_COLUMNS}
    )
    bases: dict[str, dict[str, int | str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    headline: dict[str, Any] = field(default_factory=dict)
    """The figures a one-line summary quotes (each already suppressed where needed)."""

    @property
    def enough(self) -> bool:
        """Whether at least 3 reviews were shared (otherwise only the counts are shown)."""
        return self.counted >= MIN_COUNT

    def to_json_dict(self) -> dict[str, Any]:
        """The follow-up figures as one JSON-ready object (the ``follow_up`` key)."""
        return {
            "workbooks_read": count_cell(self.read),
            "not_reviewed_yet": count_cell(self.not_reviewed),
            "reviewed_not_shared": count_cell(self.reviewed_not_shared),
            "reviewed_and_counted": count_cell(self.counted),
            "counted_without_workshop_copy": count_cell(self.without_baseline),
            "outcome_item": self.outcome_text,
            "headline": dict(self.headline),
            "tables": {name: [dict(r) for r in self.rows.get(name, [])]
                       for name in FOLLOW_UP_COLUMNS},
            "bases": self.bases,
            "notes": self.notes,
        }


# -- aggregation -----------------------------------------------------------------------------------
def _bins(size: int) -> str:
    return "0-2" if size <= 2 else "3-5" if size <= 5 else "6-8" if size <= 8 else "9 or more"


def aggregate(
    workbooks: Iterable[Workbook | Summary | tuple[str, Workbook | Summary]],
    content: Any = None,
    *,
    rejected: Iterable[Rejected] = (),
) -> CohortReport:
    """The room's aggregates from consenting participants, small counts suppressed.

    Only ids the content defines become rows; see ``facilitator/guide.md`` ("How each figure
    is worked out") for every definition.
    """
    if content is None:
        from ..content import get_content

        content = get_content()
    counted: list[Workbook | Summary] = []
    not_consented = 0
    every = [item[1] if isinstance(item, tuple) else item for item in workbooks]
    for wb in every:
        consented = wb.consent if isinstance(wb, Summary) else wb.consent.share_anonymised
        if consented:
            counted.append(wb)
        else:
            not_consented += 1
    n = len(counted)
    report = CohortReport(
        participants=n,
        not_consented=not_consented,
        rows={name: [] for name in COLUMNS},
        rejected=list(rejected),
        headline_text=content.headline.text,
    )
    rows = report.rows
    ids = _Ids.of(content)
    report.follow_up = follow_up(every, content, ids)

    domain_names: dict[str, str] = dict(content.domain_names)
    titles = {s.id: s.title for s in content.scenarios}
    skill_text = {s.id: s.text for s in content.skills}

    # One pass over the workbooks' facts (no names, content ids only).
    need_values: dict[str, list[int]] = {d: [] for d in domain_names}
    support_values: dict[str, list[int]] = {d: [] for d in domain_names}
    high_need: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    level_people: Counter[str] = Counter()
    level_participants: Counter[str] = Counter()
    place_people: Counter[str] = Counter()
    scenario_counts: Counter[str] = Counter()
    sizes: list[int] = []
    existing_sizes: list[int] = []
    mentoring_others = 0
    headline: Counter[int] = Counter()
    before: dict[str, list[int]] = {s: [] for s in skill_text}
    after: dict[str, list[int]] = {s: [] for s in skill_text}
    left_out = 0
    for item in counted:
        facts = item.facts if isinstance(item, Summary) else workbook_facts(item, ids)
        ratings, mentors, existing, here_covered, others, scenarios, answer, pairs, unknown = (
            facts
        )
        for domain, support, need in ratings:
            need_values[domain].append(need)
            support_values[domain].append(support)
            if need >= 3:
                high_need[domain] += 1
        for level, place in mentors:
            level_people[level] += 1
            place_people[place] += 1
        level_participants.update({level for level, _place in mentors})
        covered.update(here_covered)
        sizes.append(len(mentors))
        existing_sizes.append(existing)
        mentoring_others += others
        scenario_counts.update(scenarios)
        if answer is not None:
            headline[answer] += 1
        for skill, value_before, value_after in pairs:
            before[skill].append(value_before)
            after[skill].append(value_after)
        left_out += unknown
    report.left_out = left_out

    rows["summary"] = [
        {"measure": "Participants counted (they agreed to share their answers without their "
                    "name)", "value": count_cell(n)},
        {"measure": "Workbooks not counted (they did not agree to share)",
         "value": count_cell(not_consented)},
        {"measure": "Files not counted (see the list of files)",
         "value": count_cell(len(report.rejected))},
        {"measure": "Participants with answers the content files do not define (those answers "
                    "left out)", "value": count_cell(left_out)},
    ]
    n_cell = count_cell(n)
    report.notes["summary"] = (
        f"Counts under {MIN_COUNT} show as {SUPPRESSED}, so nobody can be identified."
    )
    if n < MIN_COUNT:
        return report

    rows["needs"] = [
        {
            "domain": d,
            "name": name,
            "rated": count_cell(len(need_values[d])),
            "mean_need": mean_cell(need_values[d]),
            "mean_support": mean_cell(support_values[d]),
            "need_3_or_more": count_cell(high_need[d]),
            "percent_need_3_or_more": share_cell(high_need[d], n),
        }
        for d, name in domain_names.items()
    ]
    report.bases["needs"] = {"mean_need": "rated", "mean_support": "rated",
                             "percent_need_3_or_more": n_cell}
    report.notes["needs"] = (
        "Means are out of the participants who rated that domain (Rated), answers of 0 "
        f"included; the share rating their need 3 or 4 is out of all {n_cell} participants "
        "counted."
    )
    rows["gaps"] = [
        {
            "domain": d,
            "name": name,
            "without_existing_mentor": count_cell(n - covered[d]),
            "percent_without": share_cell(n - covered[d], n),
        }
        for d, name in domain_names.items()
    ]
    report.bases["gaps"] = {"percent_without": n_cell}
    report.notes["gaps"] = f"Out of all {n_cell} participants counted."
    bins = Counter(_bins(s) for s in sizes)
    rows["mosaic_size"] = [
        {"measure": "Mentors per participant, median", "value": float(statistics.median(sizes))},
        {"measure": "Mentors per participant, mean", "value": _mean1(sizes)},
        {"measure": "Existing mentors per participant, mean", "value": _mean1(existing_sizes)},
        {"measure": "Potential mentors per participant, mean",
         "value": _half_up(sum(sizes) - sum(existing_sizes), n, 1)},
        {"measure": "Participants who also mentor others", "value": count_cell(mentoring_others)},
    ] + [
        {"measure": f"Participants with {label} mentors", "value": count_cell(bins[label])}
        for label in ("0-2", "3-5", "6-8", "9 or more")
    ]
    report.bases["mosaic_size"] = {"value": n_cell}
    report.notes["mosaic_size"] = f"Out of all {n_cell} participants counted."
    total_people = sum(level_people.values())
    people_cell = count_cell(total_people)
    rows["levels"] = [
        {
            "level": level,
            "people": count_cell(level_people[level]),
            "percent_of_people": share_cell(level_people[level], total_people),
            "participants_with_one": count_cell(level_participants[level]),
            "percent_of_participants": share_cell(level_participants[level], n),
        }
        for level in LEVELS
    ]
    report.bases["levels"] = {"percent_of_people": people_cell, "percent_of_participants": n_cell}
    report.notes["levels"] = (
        f"Shares of people are out of all {people_cell} mentors named in the room; shares of "
        f"participants out of all {n_cell} participants counted."
    )
    rows["places"] = [
        {
            "place": label,
            "people": count_cell(place_people[place]),
            "percent_of_people": share_cell(place_people[place], total_people),
        }
        for place, label in PLACES.items()
    ]
    report.bases["places"] = {"percent_of_people": people_cell}
    report.notes["places"] = f"Out of all {people_cell} mentors named in the room."
    # Most often first, by what is shown, so the order never reveals the counts hidden as "<3";
    # ties and hidden rows keep the content files' order.
    scenario_ids = sorted(
        titles, key=lambda s: -scenario_counts[s] if scenario_counts[s] >= MIN_COUNT else 0
    )
    rows["scenarios"] = [
        {
            "scenario": s,
            "title": titles[s],
            "participants": count_cell(scenario_counts[s]),
            "percent": share_cell(scenario_counts[s], n),
        }
        for s in scenario_ids
    ]
    report.bases["scenarios"] = {"percent": n_cell}
    report.notes["scenarios"] = (
        f"Out of all {n_cell} participants counted; a scenario counts when its strategy was "
        "written. Most often first; ties, and hidden counts, in the content files' order."
    )
    answered = sum(headline.values())
    agree = headline[4] + headline[5]
    labels = {p.value: p.label for p in content.scale}
    rows["evaluation"] = agreement_rows(headline, answered, agree, labels)
    answered_cell = count_cell(answered)
    report.bases["evaluation"] = {"percent": answered_cell}
    report.notes["evaluation"] = f"Out of the {answered_cell} participants who answered."
    rows["confidence"] = [
        {
            "skill": s,
            "text": text,
            "answered": count_cell(len(before[s])),
            "mean_before": mean_cell(before[s]),
            "mean_after": mean_cell(after[s]),
        }
        for s, text in skill_text.items()
    ]
    report.bases["confidence"] = {"mean_before": "answered", "mean_after": "answered"}
    report.notes["confidence"] = (
        "Both means are out of the same participants: those who rated that skill both before "
        "and after (Answered)."
    )
    return report


def follow_up(
    workbooks: Iterable[Workbook | Summary], content: Any, ids: _Ids | None = None
) -> FollowUp:
    """The follow-up figures from every workbook read (each review's own consent decides).

    Definitions, in words for facilitators: ``facilitator/guide.md``, "Three months on".
    """
    ids = ids or _Ids.of(content)
    outcome = getattr(content, "review_outcome", None)
    out = FollowUp(outcome_text=outcome.text if outcome is not None else OUTCOME_TEXT)
    shared: list[FollowUpFacts] = []
    for wb in workbooks:
        out.read += 1
        facts = wb.follow_up if isinstance(wb, Summary) else follow_up_facts(wb, ids)
        if facts is None:
            out.not_reviewed += 1
        elif not facts[0]:
            out.reviewed_not_shared += 1
        else:
            shared.append(facts)
    n = out.counted = len(shared)
    out.without_baseline = sum(1 for f in shared if not f[1])
    rows = out.rows
    rows["summary"] = [
        {"measure": "Workbooks read", "value": count_cell(out.read)},
        {"measure": "Not reviewed yet (no answers to “Three months on” in the workbook)",
         "value": count_cell(out.not_reviewed)},
        {"measure": "Reviewed, not counted (they did not agree to share their review)",
         "value": count_cell(out.reviewed_not_shared)},
        {"measure": "Reviewed and counted (they agreed to share their review without their "
                    "name)", "value": count_cell(n)},
        {"measure": "Counted, but saved before the app kept the workshop day (no "
                    "then-and-now figures)", "value": count_cell(out.without_baseline)},
    ]
    out.notes["summary"] = (
        "Only reviews whose participant agreed, in the review, to share them are counted; "
        f"counts under {MIN_COUNT} show as {SUPPRESSED}."
    )
    if n < MIN_COUNT:
        out.headline = {"actions_done_percent": SUPPRESSED_SHARE,
                        "new_mentors_mean": SUPPRESSED_SHARE,
                        "outcome_agree_percent": SUPPRESSED_SHARE}
        return out
    n_cell = count_cell(n)

    # the actions: every answer pooled, and participants with at least one done
    statuses: Counter[str] = Counter()
    with_answers = with_done = 0
    for f in shared:
        statuses.update(f[2])
        with_answers += bool(f[2])
        with_done += "done" in f[2]
    answered = sum(statuses.values())
    rows["actions"] = [
        {"status": "Actions with an answer", "actions": count_cell(answered), "percent": ""},
        *(
            {"status": label, "actions": count_cell(statuses[key]),
             "percent": share_cell(statuses[key], answered)}
            for key, label in ACTION_STATUS_ROWS.items()
        ),
        {"status": "Participants with at least one action done (of those who answered for "
                   "an action)", "actions": count_cell(with_done),
         "percent": share_cell(with_done, with_answers)},
    ]
    answered_cell = count_cell(answered)
    out.bases["actions"] = {"percent": answered_cell}
    out.notes["actions"] = (
        f"Shares of actions are out of the {answered_cell} actions with an answer, from "
        f"{n_cell} participants; the last row is out of the {count_cell(with_answers)} "
        "participants who answered for at least one action."
    )

    # support per domain: the same participant's rating on the workshop day and now
    then: dict[str, list[int]] = {d: [] for d in content.domain_names}
    now: dict[str, list[int]] = {d: [] for d in content.domain_names}
    for f in shared:
        for domain, before, after in f[3]:
            then[domain].append(before)
            now[domain].append(after)
    support_rows = []
    for domain, name in content.domain_names.items():
        changes = [b - a for a, b in zip(then[domain], now[domain], strict=True)]
        higher = sum(1 for c in changes if c > 0)
        support_rows.append({
            "domain": domain,
            "name": name,
            "compared": count_cell(len(changes)),
            "mean_then": mean_cell(then[domain]),
            "mean_now": mean_cell(now[domain]),
            "mean_change": mean_cell(changes),
            "higher_now": count_cell(higher),
            "percent_higher_now": share_cell(higher, len(changes)),
        })
    rows["support"] = support_rows
    out.bases["support"] = {"mean_then": "compared", "mean_now": "compared",
                            "mean_change": "compared", "percent_higher_now": "compared"}
    out.notes["support"] = (
        "Support on stage 1's scale (0 none to 4 excellent). Each row is out of the "
        "participants who rated that domain both on the workshop day and in the review "
        "(Compared); the change is now minus then, so a positive change means more support."
    )

    # new mentors: existing mentors now who were not existing mentors on the workshop day
    compared = [f[4] for f in shared if f[4] is not None]
    m = len(compared)
    m_cell = count_cell(m)
    at_least_one = sum(1 for c in compared if c > 0)
    rows["mentors"] = [
        {"measure": "Participants compared with the workshop day", "value": m_cell},
        {"measure": "New mentors per participant, mean",
         "value": _half_up(sum(compared), m, 1) if m >= MIN_COUNT else SUPPRESSED_SHARE},
        {"measure": "New mentors per participant, median",
         "value": float(statistics.median(compared)) if m >= MIN_COUNT else SUPPRESSED_SHARE},
        {"measure": "Participants with at least one new mentor", "value": count_cell(at_least_one)},
        {"measure": "Participants with at least one new mentor, percent",
         "value": share_cell(at_least_one, m)},
        {"measure": "Participants with no new mentor",
         "value": count_cell(sum(1 for c in compared if c == 0))},
        {"measure": "Participants with 1 new mentor",
         "value": count_cell(sum(1 for c in compared if c == 1))},
        {"measure": "Participants with 2 or more new mentors",
         "value": count_cell(sum(1 for c in compared if c >= 2))},
    ]
    out.bases["mentors"] = {"value": m_cell}
    out.notes["mentors"] = (
        f"Out of the {m_cell} participants whose workbook kept the workshop day. A new mentor "
        "is an existing mentor in the mosaic now who was not one on the workshop day: someone "
        "added since, or a potential mentor who became an existing one."
    )

    # the outcome item
    outcome_counts: Counter[int] = Counter(f[5] for f in shared if f[5] is not None)
    outcome_answered = sum(outcome_counts.values())
    agree = outcome_counts[4] + outcome_counts[5]
    labels = {p.value: p.label for p in content.scale}
    rows["outcome"] = agreement_rows(outcome_counts, outcome_answered, agree, labels)
    outcome_cell = count_cell(outcome_answered)
    out.bases["outcome"] = {"percent": outcome_cell}
    out.notes["outcome"] = (
        f"“{out.outcome_text}”: out of the {outcome_cell} participants who answered."
    )

    # the two yes/no items
    item_texts = {i.id: i.text for i in getattr(content, "review_items", [])}
    item_rows = []
    for index, item in ((6, "met_new_mentor"), (7, "managing_up_conversation")):
        answers = [f[index] for f in shared if f[index] is not None]
        yes = sum(1 for a in answers if a)
        item_rows.append({
            "item": item,
            "text": item_texts.get(item, item.replace("_", " ").capitalize()),
            "answered": count_cell(len(answers)),
            "yes": count_cell(yes),
            "percent_yes": share_cell(yes, len(answers)),
        })
    rows["items"] = item_rows
    out.bases["items"] = {"percent_yes": "answered"}
    out.notes["items"] = "Each share is out of the participants who answered that question."

    done_row = rows["actions"][1]
    out.headline = {
        "actions_done_percent": done_row["percent"],
        "actions_done": done_row["actions"],
        "actions_answered": answered_cell,
        "new_mentors_mean": rows["mentors"][1]["value"],
        "outcome_agree_percent": rows["outcome"][1]["percent"],
        "outcome_agree": count_cell(agree),
        "outcome_answered": outcome_cell,
    }
    return out


def report_from(result: LoadResult, content: Any = None) -> CohortReport:
    """Aggregate what a loader read, carrying its list of refused files."""
    return aggregate(result.workbooks, content, rejected=result.rejected)


__all__ = [
    "COLUMNS",
    "FOLLOW_UP_COLUMNS",
    "FOLLOW_UP_TITLES",
    "MIN_COUNT",
    "SUPPRESSED",
    "SUPPRESSED_SHARE",
    "TABLE_TITLES",
    "CohortReport",
    "FollowUp",
    "LoadResult",
    "Rejected",
    "aggregate",
    "content_hash",
    "count_cell",
    "follow_up",
    "follow_up_facts",
    "is_reviewed",
    "is_suppressed",
    "load_files",
    "load_paths",
    "load_store",
    "load_zip",
    "mean_cell",
    "report_from",
    "room_reason",
    "share_cell",
]
