"""The room at a glance: aggregate many workbooks without names, for the facilitator.

Two steps:

1. **Load** workbooks from the shared store (:func:`load_store`) or from files a facilitator
   collected (:func:`load_files` for ``(name, bytes)`` pairs, :func:`load_paths` for files,
   folders and zips on disk). Every file goes through :func:`validation.read_workbook_file`;
   a bad one is listed with its reason and never stops the rest. Zips are read in memory, never
   extracted: unsafe member names (``../x``, ``/etc/x``, ``C:\\x``), oversize members, zip bombs
   (a per-member and a total uncompressed cap, enforced on the bytes actually read, not on the
   sizes the zip claims), nested zips, non-workbook files and the same workbook twice (by
   content hash) are all listed and skipped.

2. **Aggregate** (:func:`aggregate`) into pandas DataFrames, counting **only participants who
   consented** (``consent.share_anonymised``). Every count under 3, zero included, is shown as
   ``"<3"`` and every share or mean built on fewer than 3 answers as ``"n<3"``, so nobody can be
   identified. Names never leave the workbooks: the tables hold domain, level, place, scenario
   and scale labels only.

Ratings of 0 in the needs self-assessment mean "not rated" and are left out of the means.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import statistics
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from ..model import LEVELS, PLACES, Workbook
from ..validation import MAX_FILE_BYTES, WorkbookError, read_workbook_file

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


# -- loading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rejected:
    """A file (or zip member) that was not counted, and why."""

    name: str
    reason: str


@dataclass
class LoadResult:
    """Workbooks read successfully (with where they came from) and the files refused."""

    workbooks: list[tuple[str, Workbook]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    _hashes: dict[str, str] = field(default_factory=dict, repr=False)

    def add(self, name: str, workbook: Workbook) -> None:
        """Keep a workbook unless it is a demo persona or the same one was already read."""
        from ..demo import is_demo_workbook

        if is_demo_workbook(workbook):
            self.reject(name, "a demo persona, not a participant; not counted")
            return
        digest = content_hash(workbook)
        if digest in self._hashes:
            self.reject(name, f"the same workbook as {self._hashes[digest]}; counted once")
            return
        self._hashes[digest] = name
        self.workbooks.append((name, workbook))

    def reject(self, name: str, reason: str) -> None:
        """List a file that is not counted."""
        self.rejected.append(Rejected(name, reason))

    def extend(self, other: LoadResult) -> None:
        """Merge another result, still counting each workbook once."""
        for name, workbook in other.workbooks:
            self.add(name, workbook)
        self.rejected.extend(other.rejected)


def content_hash(workbook: Workbook) -> str:
    """A hash of a workbook's answers (the save time left out), to spot the same file twice."""
    data = workbook.model_dump(mode="json", exclude={"updated_at"})
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


def _read_one(result: LoadResult, name: str, raw: bytes) -> None:
    try:
        workbook = read_workbook_file(name, raw)
    except WorkbookError as exc:
        result.reject(name, str(exc))
    except Exception as exc:  # never let one file stop the rest
        result.reject(name, f"could not be read ({type(exc).__name__})")
    else:
        result.add(name, workbook)


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


def load_zip(name: str, raw: bytes) -> LoadResult:
    """Every workbook inside one zip (read in memory; folders inside are fine)."""
    result = LoadResult()
    with _gc_paused():
        _load_zip_into(result, name, raw)
    if not result.workbooks and not result.rejected:
        result.reject(name, "the zip holds no files")
    return result


def _load_zip_into(result: LoadResult, name: str, raw: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        result.reject(name, "not a readable zip file")
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            result.reject(name, f"the zip holds {len(infos):,} entries (at most {MAX_MEMBERS:,})")
            return
        total = 0
        for info in infos:
            label = f"{name}: {info.filename}"
            if info.is_dir():
                continue
            why = _unsafe_member_name(info.filename)
            if why:
                result.reject(label, why)
                continue
            base = PurePosixPath(info.filename.replace("\\", "/")).name
            if _is_symlink(info):
                result.reject(label, "a link, not a workbook file; not read")
                continue
            if base.startswith(".") or "__MACOSX" in info.filename:
                result.reject(label, "a hidden system file, not a workbook; not read")
                continue
            lower = base.lower()
            if lower.endswith(".zip"):
                result.reject(label, "a zip inside the zip is not opened; add its files instead")
                continue
            if not lower.endswith(WORKBOOK_SUFFIXES):
                result.reject(label, "not a workbook file (only .json and .ipynb are read)")
                continue
            if info.flag_bits & 0x1:
                result.reject(label, "encrypted; not read")
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                result.reject(
                    label,
                    f"{info.file_size / 1_048_576:.1f} MB uncompressed; a workbook is at most "
                    f"{MAX_MEMBER_BYTES // 1_048_576} MB",
                )
                continue
            if total + info.file_size > MAX_ZIP_TOTAL_BYTES:
                result.reject(
                    label,
                    f"not read: the zip unpacks to more than "
                    f"{MAX_ZIP_TOTAL_BYTES // 1_048_576} MB in all",
                )
                continue
            try:
                with archive.open(info) as member:
                    # Read at most one byte past the cap: a member that lies about its size
                    # cannot make us decompress more than that.
                    data = member.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
                result.reject(label, f"could not be unpacked ({type(exc).__name__})")
                continue
            if len(data) > MAX_MEMBER_BYTES:
                result.reject(label, "unpacks to more than its stated size (a zip bomb?); not read")
                continue
            total += len(data)
            _read_one(result, label, data)


def _looks_like_zip(name: str, raw: bytes) -> bool:
    return name.lower().endswith(".zip") or raw[:4] == b"PK\x03\x04"


def load_files(files: Iterable[tuple[str, bytes]]) -> LoadResult:
    """Workbooks from dropped files: ``(name, bytes)`` pairs of .json, .ipynb or .zip files."""
    result = LoadResult()
    with _gc_paused():
        for name, raw in files:
            _load_one_file(result, name, raw)
    return result


def _load_one_file(result: LoadResult, name: str, raw: bytes) -> None:
    if _looks_like_zip(name, raw):
        if len(raw) > MAX_ZIP_BYTES:
            result.reject(name, f"the zip is larger than {MAX_ZIP_BYTES // 1_048_576} MB")
            return
        result.extend(load_zip(name, raw))
    elif not name.lower().endswith(WORKBOOK_SUFFIXES):
        result.reject(name, "not a workbook file (only .json, .ipynb and .zip are read)")
    else:
        _read_one(result, name, raw)


def _path_files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            rel = child.relative_to(path)
            if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                yield child
    else:
        yield path


def load_paths(paths: Iterable[str | Path]) -> LoadResult:
    """Workbooks from files, folders (read recursively) and zips on disk."""
    result = LoadResult()
    for given in paths:
        path = Path(given)
        if not path.exists():
            result.reject(str(given), "no such file or folder")
            continue
        for file in _path_files(path):
            name = str(file)
            size = file.stat().st_size
            is_zip = file.suffix.lower() == ".zip"
            limit = MAX_ZIP_BYTES if is_zip else MAX_FILE_BYTES
            if not is_zip and file.suffix.lower() not in WORKBOOK_SUFFIXES:
                result.reject(name, "not a workbook file (only .json, .ipynb and .zip are read)")
                continue
            if size > limit:
                result.reject(
                    name, f"{size / 1_048_576:.1f} MB; at most {limit // 1_048_576} MB is read"
                )
                continue
            try:
                raw = file.read_bytes()
            except OSError as exc:
                result.reject(name, f"cannot be read ({exc.strerror or type(exc).__name__})")
                continue
            result.extend(load_files([(name, raw)]))
    return result


def load_store(store: Any = None, *, include_demo: bool = False) -> LoadResult:
    """Every workbook in the shared store (demo personas only when asked for)."""
    from ..demo import is_demo_workbook
    from ..store import Store

    own = store is None
    store = store or Store()
    result = LoadResult()
    try:
        for key, workbook in store.load_all(include_demo=include_demo):
            if not include_demo and is_demo_workbook(workbook):
                # a participant who loaded a persona to look around is not a real answer
                result.reject(f"participant {key}", "holds a demo persona; not counted")
                continue
            result.workbooks.append((f"participant {key}", workbook))
    finally:
        if own:
            store.dispose()
    return result


# -- suppression -----------------------------------------------------------------------------------
def count_cell(count: int) -> int | str:
    """A count as shown: the number, or ``"<3"`` when it is under 3."""
    return int(count) if count >= MIN_COUNT else SUPPRESSED


def share_cell(count: int, denominator: int) -> float | str:
    """A percentage (one decimal) of ``count`` in ``denominator``; suppressed with the count."""
    if count < MIN_COUNT or denominator < MIN_COUNT:
        return SUPPRESSED_SHARE
    return round(100.0 * count / denominator, 1)


def mean_cell(values: list[float]) -> float | str:
    """A mean (two decimals) of at least 3 answers; otherwise suppressed."""
    if len(values) < MIN_COUNT:
        return SUPPRESSED_SHARE
    return round(statistics.fmean(values), 2)


def is_suppressed(value: Any) -> bool:
    """Whether a table cell was suppressed."""
    return value in (SUPPRESSED, SUPPRESSED_SHARE)


# -- aggregation -----------------------------------------------------------------------------------
@dataclass
class CohortReport:
    """The aggregates, as tables without names, plus what was not counted."""

    participants: int
    not_consented: int
    tables: dict[str, pd.DataFrame]
    rejected: list[Rejected] = field(default_factory=list)
    headline_text: str = ""

    @property
    def enough(self) -> bool:
        """Whether at least 3 participants consented (otherwise every table is empty)."""
        return self.participants >= MIN_COUNT

    @property
    def headline(self) -> dict[str, Any]:
        """The headline item: answered, agreeing (4-5) and the share agreeing."""
        table = self.tables["evaluation"]
        if table.empty:
            return {"answered": SUPPRESSED, "agree": SUPPRESSED, "agree_percent": SUPPRESSED_SHARE}
        row = table[table["answer"] == "Agree or strongly agree (4-5)"].iloc[0]
        total = table[table["answer"] == "Answered"].iloc[0]
        return {"answered": total["count"], "agree": row["count"], "agree_percent": row["percent"]}

    def to_json_dict(self) -> dict[str, Any]:
        """One JSON-ready object: counts, headline, every table as records, rejected files."""
        return {
            "participants": count_cell(self.participants) if self.participants else 0,
            "not_counted_without_consent": count_cell(self.not_consented)
            if self.not_consented
            else 0,
            "headline_item": self.headline_text,
            "headline": self.headline,
            "tables": {
                name: json.loads(df.to_json(orient="records", force_ascii=False))
                for name, df in self.tables.items()
            },
            "rejected": [{"name": r.name, "reason": r.reason} for r in self.rejected],
            "suppression": f"counts under {MIN_COUNT} show as {SUPPRESSED!r}; shares and means "
            f"built on them as {SUPPRESSED_SHARE!r}",
        }

    def csv_files(self) -> dict[str, bytes]:
        """Every table as a CSV file (UTF-8 with BOM so spreadsheet programs read accents)."""
        out = {
            f"{name}.csv": df.to_csv(index=False).encode("utf-8-sig")
            for name, df in self.tables.items()
        }
        rejected = pd.DataFrame(
            [{"file": r.name, "reason": r.reason} for r in self.rejected],
            columns=["file", "reason"],
        )
        out["rejected_files.csv"] = rejected.to_csv(index=False).encode("utf-8-sig")
        return out

    def csv_zip(self) -> bytes:
        """Every table's CSV in one zip."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.csv_files().items():
                archive.writestr(f"mentoring-mosaic-room/{name}", data)
        return buffer.getvalue()


def _empty_tables() -> dict[str, pd.DataFrame]:
    columns = {
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
    return {name: pd.DataFrame(columns=cols) for name, cols in columns.items()}


def _domain_order(content: Any, seen: Iterable[str]) -> list[tuple[str, str]]:
    names = dict(content.domain_names) if content is not None else {}
    order = list(names)
    for domain in sorted(set(seen)):
        if domain not in names:
            order.append(domain)
    return [(d, names.get(d, d.replace("_", " "))) for d in order]


def aggregate(
    workbooks: Iterable[Workbook | tuple[str, Workbook]],
    content: Any = None,
    *,
    rejected: Iterable[Rejected] = (),
) -> CohortReport:
    """The room's aggregates from consenting participants, small counts suppressed."""
    if content is None:
        from ..content import get_content

        content = get_content()
    counted: list[Workbook] = []
    not_consented = 0
    for item in workbooks:
        wb = item[1] if isinstance(item, tuple) else item
        if wb.consent.share_anonymised:
            counted.append(wb)
        else:
            not_consented += 1
    n = len(counted)
    tables = _empty_tables()
    report = CohortReport(
        participants=n,
        not_consented=not_consented,
        tables=tables,
        rejected=list(rejected),
        headline_text=content.headline.text,
    )
    summary_rows = [
        ("Participants counted (they agreed to share anonymised answers)",
         count_cell(n) if n else 0),
        ("Workbooks not counted (no consent to share)",
         count_cell(not_consented) if not_consented else 0),
        ("Files not read (see the list of files)", len(report.rejected)),
    ]
    tables["summary"] = pd.DataFrame(summary_rows, columns=["measure", "value"])
    if n < MIN_COUNT:
        return report

    # One pass over the workbooks, collecting flat facts (no names).
    need_values: dict[str, list[int]] = {}
    support_values: dict[str, list[int]] = {}
    high_need: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    level_people: Counter[str] = Counter()
    level_participants: Counter[str] = Counter()
    place_people: Counter[str] = Counter()
    scenario_counts: Counter[str] = Counter()
    sizes: list[int] = []
    existing_sizes: list[int] = []
    potential_sizes: list[int] = []
    mentoring_others = 0
    headline: Counter[int] = Counter()
    before: dict[str, list[int]] = {}
    after: dict[str, list[int]] = {}
    for wb in counted:
        for domain, rating in wb.needs.ratings.items():
            if rating.need:
                need_values.setdefault(domain, []).append(rating.need)
                if rating.need >= 3:
                    high_need[domain] += 1
            if rating.support:
                support_values.setdefault(domain, []).append(rating.support)
        mentors = [p for p in wb.people if p.role == "mentor"]
        existing = [p for p in mentors if p.status == "existing"]
        covered.update({d for p in existing for d in p.domains})
        sizes.append(len(mentors))
        existing_sizes.append(len(existing))
        potential_sizes.append(len(mentors) - len(existing))
        levels_here = set()
        for p in mentors:
            level_people[p.level] += 1
            place_people[p.place] += 1
            levels_here.add(p.level)
        level_participants.update(levels_here)
        if any(p.role == "mentee" for p in wb.people) or wb.profile.mentors_others:
            mentoring_others += 1
        scenario_counts.update(k for k, note in wb.scenarios.items() if note.strategy.strip())
        if wb.evaluation.headline is not None:
            headline[wb.evaluation.headline] += 1
        for skill, value in wb.evaluation.confidence_before.items():
            if skill in wb.evaluation.confidence_after:
                before.setdefault(skill, []).append(value)
                after.setdefault(skill, []).append(wb.evaluation.confidence_after[skill])

    domains = _domain_order(content, list(need_values) + list(covered))

    tables["needs"] = pd.DataFrame(
        [
            {
                "domain": d,
                "name": name,
                "rated": count_cell(len(need_values.get(d, []))),
                "mean_need": mean_cell(need_values.get(d, [])),
                "mean_support": mean_cell(support_values.get(d, [])),
                "need_3_or_more": count_cell(high_need[d]),
                "percent_need_3_or_more": share_cell(high_need[d], n),
            }
            for d, name in domains
        ],
        columns=tables["needs"].columns,
    )
    tables["gaps"] = pd.DataFrame(
        [
            {
                "domain": d,
                "name": name,
                "without_existing_mentor": count_cell(n - covered[d]),
                "percent_without": share_cell(n - covered[d], n),
            }
            for d, name in domains
        ],
        columns=tables["gaps"].columns,
    )
    bins = Counter(
        "0-2" if s <= 2 else "3-5" if s <= 5 else "6-8" if s <= 8 else "9 or more" for s in sizes
    )
    size_rows: list[tuple[str, Any]] = [
        ("Mentors per participant, median", round(statistics.median(sizes), 1)),
        ("Mentors per participant, mean", round(statistics.fmean(sizes), 1)),
        ("Existing mentors per participant, mean", round(statistics.fmean(existing_sizes), 1)),
        ("Potential mentors per participant, mean", round(statistics.fmean(potential_sizes), 1)),
        ("Participants who also mentor others", count_cell(mentoring_others)),
    ]
    size_rows += [
        (f"Participants with {label} mentors", count_cell(bins[label]))
        for label in ("0-2", "3-5", "6-8", "9 or more")
    ]
    tables["mosaic_size"] = pd.DataFrame(size_rows, columns=["measure", "value"])
    total_people = sum(level_people.values())
    tables["levels"] = pd.DataFrame(
        [
            {
                "level": level,
                "people": count_cell(level_people[level]),
                "percent_of_people": share_cell(level_people[level], total_people),
                "participants_with_one": count_cell(level_participants[level]),
                "percent_of_participants": share_cell(level_participants[level], n),
            }
            for level in LEVELS
        ],
        columns=tables["levels"].columns,
    )
    tables["places"] = pd.DataFrame(
        [
            {
                "place": label,
                "people": count_cell(place_people[place]),
                "percent_of_people": share_cell(place_people[place], total_people),
            }
            for place, label in PLACES.items()
        ],
        columns=tables["places"].columns,
    )
    titles = {s.id: s.title for s in content.scenarios}
    scenario_ids = list(titles) + sorted(set(scenario_counts) - set(titles))
    # Sort by what is shown, so the order never reveals the counts hidden as "<3".
    scenario_ids.sort(
        key=lambda s: -scenario_counts[s] if scenario_counts[s] >= MIN_COUNT else 0
    )
    tables["scenarios"] = pd.DataFrame(
        [
            {
                "scenario": s,
                "title": titles.get(s, s.replace("_", " ")),
                "participants": count_cell(scenario_counts[s]),
                "percent": share_cell(scenario_counts[s], n),
            }
            for s in scenario_ids
        ],
        columns=tables["scenarios"].columns,
    )
    answered = sum(headline.values())
    agree = headline[4] + headline[5]
    labels = {p.value: p.label for p in content.scale}
    eval_rows = [
        {"answer": "Answered", "count": count_cell(answered), "percent": ""},
        {
            "answer": "Agree or strongly agree (4-5)",
            "count": count_cell(agree),
            "percent": share_cell(agree, answered),
        },
    ]
    eval_rows += [
        {
            "answer": f"{value} {labels.get(value, '')}".strip(),
            "count": count_cell(headline[value]),
            "percent": share_cell(headline[value], answered),
        }
        for value in (5, 4, 3, 2, 1)
    ]
    tables["evaluation"] = pd.DataFrame(eval_rows, columns=tables["evaluation"].columns)
    skill_text = {s.id: s.text for s in content.skills}
    tables["confidence"] = pd.DataFrame(
        [
            {
                "skill": s,
                "text": skill_text.get(s, s),
                "answered": count_cell(len(before.get(s, []))),
                "mean_before": mean_cell(before.get(s, [])),
                "mean_after": mean_cell(after.get(s, [])),
            }
            for s in list(skill_text) + sorted(set(before) - set(skill_text))
        ],
        columns=tables["confidence"].columns,
    )
    return report


def report_from(result: LoadResult, content: Any = None) -> CohortReport:
    """Aggregate what a loader read, carrying its list of refused files."""
    return aggregate(result.workbooks, content, rejected=result.rejected)


__all__ = [
    "MIN_COUNT",
    "SUPPRESSED",
    "SUPPRESSED_SHARE",
    "TABLE_TITLES",
    "CohortReport",
    "LoadResult",
    "Rejected",
    "aggregate",
    "content_hash",
    "count_cell",
    "is_suppressed",
    "load_files",
    "load_paths",
    "load_store",
    "load_zip",
    "mean_cell",
    "report_from",
    "share_cell",
]
