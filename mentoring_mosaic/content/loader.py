"""Load, merge and validate the content files.

The packaged files next to this module are read first. A facilitator's own folder (the
``override_dir`` argument, or the ``MENTORING_MOSAIC_CONTENT`` environment variable) may then
hold files with the same names: their entries replace packaged entries with the same id and new
ids are appended; a file whose first line is ``replace = true`` replaces the whole list(s) it
contains instead.

Every problem raises :class:`ContentError` with one message naming the file, the entry and the
problem, written for the programme lead who edited the file rather than for a programmer.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .schema import (
    CRITERION_IDS,
    DEFAULT_REVIEW_AFTER_DAYS,
    LEVELS,
    REVIEW_ITEM_IDS,
    REVIEW_TEXT_IDS,
    RUN_LENGTHS,
    SKILL_IDS,
    STAGE_IDS,
    Barrier,
    Card,
    Competency,
    Criterion,
    Domain,
    Habit,
    Headline,
    IlpPrompt,
    MosaicPrompt,
    NetworkType,
    Objective,
    Quality,
    ReviewItem,
    ReviewOutcome,
    ReviewText,
    ScalePoint,
    Scenario,
    Skill,
    Source,
    Stage,
    Suggestion,
    Transition,
)

ENV_VAR = "MENTORING_MOSAIC_CONTENT"
"""Environment variable naming a facilitator's folder of content files."""

PACKAGE_DIR = Path(__file__).resolve().parent
"""Where the packaged content files live."""

T = TypeVar("T", bound=BaseModel)


class ContentError(ValueError):
    """A content file is missing, unreadable or invalid. The message says where and why."""


@dataclass(frozen=True)
class _Table:
    """One list of entries inside a content file."""

    model: type[BaseModel]
    attr: str
    single: bool = False
    key: str = "id"


FILES: dict[str, dict[str, _Table]] = {
    "sources.toml": {"source": _Table(Source, "sources")},
    "domains.toml": {"domain": _Table(Domain, "domains")},
    "qualities.toml": {"quality": _Table(Quality, "qualities")},
    "habits.toml": {"habit": _Table(Habit, "habits")},
    "suggestions.toml": {"suggestion": _Table(Suggestion, "suggestions")},
    "scenarios.toml": {"scenario": _Table(Scenario, "scenarios")},
    "ilp.toml": {
        "criterion": _Table(Criterion, "criteria"),
        "prompt": _Table(IlpPrompt, "prompts"),
        "barrier": _Table(Barrier, "barriers"),
        "transition": _Table(Transition, "transitions"),
    },
    "evaluation.toml": {
        "headline": _Table(Headline, "headline", single=True),
        "scale": _Table(ScalePoint, "scale", key="value"),
        "objective": _Table(Objective, "objectives"),
        "skill": _Table(Skill, "skills"),
    },
    "agenda.toml": {"stage": _Table(Stage, "agenda")},
    "cards.toml": {"card": _Table(Card, "cards")},
    "competencies.toml": {"competency": _Table(Competency, "competencies")},
    "network_types.toml": {"network_type": _Table(NetworkType, "network_types")},
    "mosaic_prompts.toml": {"prompt": _Table(MosaicPrompt, "mosaic_prompts")},
    "review.toml": {
        "outcome": _Table(ReviewOutcome, "review_outcome", single=True),
        "item": _Table(ReviewItem, "review_items"),
        "text": _Table(ReviewText, "review_texts"),
    },
}
"""Every content file, the tables ([[name]]) it holds and the Content attribute each fills."""

ALLOWED_FILES: tuple[str, ...] = tuple(sorted(FILES))
_CONTENT_SUFFIXES = (".toml", ".yaml", ".yml", ".json")


@dataclass(frozen=True)
class _Item:
    """A validated entry and where it came from (for error messages after merging)."""

    entry: Any  # a validated model from .schema
    path: Path
    where: str  # e.g. 'content file /x/domains.toml, [[domain]] entry 4 (id "teaching")'


def _where(path: Path, table_label: str, index: int, row: dict[str, Any]) -> str:
    """Name an entry for an error message: file, table, 1-based position and id (or value)."""
    text = f"content file {path}, {table_label} entry {index}"
    key = row.get("id")
    if isinstance(key, str) and key:
        return f'{text} (id "{key}")'
    if isinstance(row.get("value"), int):
        return f"{text} (value {row['value']})"
    return text


# -- pydantic errors, in plain words --------------------------------------------------------


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")
        else:
            parts.append(str(part))
    return ", ".join(parts) or "entry"


def _problem(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    msg = str(error["msg"])
    given = error.get("input")
    if kind == "missing":
        return "is missing (this field is required)"
    if kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        return f"is not a known field (allowed fields: {allowed})"
    if kind == "string_pattern_mismatch":
        return (
            f'must be a snake_case id such as "career_guidance" (lower-case letters, digits and '
            f"underscores, starting with a letter), got {given!r}"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        return f"{msg[0].lower()}{msg[1:]}, got {given!r}"
    return f"{msg[0].lower()}{msg[1:]}" + (f", got {given!r}" if given is not None else "")


def _validate(model: type[T], raw: dict[str, Any], where: str) -> T:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{_field_name(tuple(err['loc']))}: {_problem(dict(err), model)}"
            for err in exc.errors()
        ]
        raise ContentError(f"{where}: " + "; ".join(problems)) from None


# -- reading one file -----------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"content file {path}: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(
            f"content file {path}: is not UTF-8 text; save it as UTF-8 (plain text)"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"content file {path}: TOML syntax error: {exc}") from None


@dataclass
class _FileData:
    replace: bool
    tables: dict[str, list[_Item]]


def _read_file(path: Path, name: str) -> _FileData:
    data = _read_toml(path)
    tables = FILES[name]
    replace = data.pop("replace", False)
    if not isinstance(replace, bool):
        raise ContentError(f"content file {path}: replace must be true or false, got {replace!r}")
    unknown = [key for key in data if key not in tables]
    if unknown:
        allowed = ", ".join(f"[{t}]" if spec.single else f"[[{t}]]" for t, spec in tables.items())
        raise ContentError(
            f"content file {path}: unknown table or key {unknown[0]!r}; "
            f"this file may contain {allowed} (and replace = true)"
        )
    out: dict[str, list[_Item]] = {}
    for table, spec in tables.items():
        if table not in data:
            continue
        raw = data[table]
        label = f"[{table}]" if spec.single else f"[[{table}]]"
        if spec.single:
            if not isinstance(raw, dict):
                raise ContentError(
                    f"content file {path}: write [{table}] (single brackets) with its fields "
                    "below it"
                )
            rows = [raw]
        else:
            if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
                raise ContentError(
                    f"content file {path}: write each entry as a table starting with "
                    f"[[{table}]] (double brackets)"
                )
            rows = raw
        items: list[_Item] = []
        seen: dict[Any, int] = {}
        for index, row in enumerate(rows, start=1):
            where = _where(path, label, index, row)
            entry = _validate(spec.model, row, where)
            key = getattr(entry, spec.key)
            if key in seen:
                raise ContentError(
                    f"{where}: duplicate {spec.key}; entry {seen[key]} of {label} "
                    f"already uses {spec.key} {key!r}"
                )
            seen[key] = index
            items.append(_Item(entry, path, where))
        out[table] = items
    return _FileData(replace, out)


# -- merging --------------------------------------------------------------------------------


@dataclass
class _List:
    """A list being assembled, and the last file that contributed to it."""

    label: str  # "[[domain]]", or "[headline]" for a single table
    items: list[_Item] = field(default_factory=list)
    path: Path = PACKAGE_DIR


def _merge(target: _List, new: list[_Item], key: str, replace: bool, path: Path) -> None:
    """Replace the whole list, or replace entries by key and append new keys."""
    target.path = path
    if replace:
        target.items = list(new)
        return
    position = {getattr(item.entry, key): i for i, item in enumerate(target.items)}
    for item in new:
        k = getattr(item.entry, key)
        if k in position:
            target.items[position[k]] = item
        else:
            position[k] = len(target.items)
            target.items.append(item)


def _override_files(folder: Path) -> dict[str, Path]:
    if not folder.exists():
        raise ContentError(f"content folder {folder}: does not exist")
    if not folder.is_dir():
        raise ContentError(f"content folder {folder}: is not a folder")
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.name in FILES:
            found[path.name] = path
        elif path.suffix.lower() in _CONTENT_SUFFIXES:
            raise ContentError(
                f"content folder {folder}: unknown file name {path.name!r}; "
                f"content files must be named one of: {', '.join(ALLOWED_FILES)}"
            )
    return found


# -- the Content object ---------------------------------------------------------------------


def _find(kind: str, entries: list[T], entry_id: str) -> T:
    """The entry with this id, or a KeyError naming the known ids."""
    for entry in entries:
        if entry.id == entry_id:  # type: ignore[attr-defined]
            return entry
    known = ", ".join(e.id for e in entries)  # type: ignore[attr-defined]
    raise KeyError(f"unknown {kind} id {entry_id!r}; known ids: {known}")


@dataclass(frozen=True, eq=False)
class Content:
    """All workshop content, validated, in file order."""

    sources: list[Source]
    domains: list[Domain]
    qualities: list[Quality]
    habits: list[Habit]
    suggestions: list[Suggestion]
    scenarios: list[Scenario]
    criteria: list[Criterion]
    prompts: list[IlpPrompt]
    barriers: list[Barrier]
    transitions: list[Transition]
    headline: Headline
    scale: list[ScalePoint]
    objectives: list[Objective]
    skills: list[Skill]
    agenda: list[Stage]
    cards: list[Card]
    competencies: list[Competency]
    network_types: list[NetworkType]
    mosaic_prompts: list[MosaicPrompt]
    review_outcome: ReviewOutcome
    review_items: list[ReviewItem]
    review_texts: list[ReviewText]
    override_dir: Path | None = None
    domain_names: dict[str, str] = field(init=False)
    domain_colors: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain_names", {d.id: d.name for d in self.domains})
        object.__setattr__(self, "domain_colors", {d.id: d.color for d in self.domains})

    # lookups by id (KeyError naming the known ids when the id is unknown)
    def domain(self, entry_id: str) -> Domain:
        """The domain with this id."""
        return _find("domain", self.domains, entry_id)

    def quality(self, entry_id: str) -> Quality:
        """The mentor quality with this id."""
        return _find("quality", self.qualities, entry_id)

    def stage(self, entry_id: str) -> Stage:
        """The agenda stage with this id."""
        return _find("stage", self.agenda, entry_id)

    def source(self, entry_id: str) -> Source:
        """The source with this id."""
        return _find("source", self.sources, entry_id)

    def scenario(self, entry_id: str) -> Scenario:
        """The scenario with this id."""
        return _find("scenario", self.scenarios, entry_id)

    def review_text(self, entry_id: str) -> ReviewText:
        """One piece of the review page's text (review.toml [[text]])."""
        return _find("review text", self.review_texts, entry_id)

    @property
    def review_after_days(self) -> int:
        """Days from the workshop (or the last review) to the next review: agenda.toml's
        wrapup stage, else the default."""
        try:
            return self.stage("wrapup").review_days
        except KeyError:  # an agenda without a wrap-up
            return DEFAULT_REVIEW_AFTER_DAYS

    def review_item(self, entry_id: str) -> ReviewItem:
        """One yes/no question of the review (review.toml [[item]])."""
        return _find("review item", self.review_items, entry_id)

    # small conveniences for the stages
    def suggestions_for(self, domain_id: str, level: str) -> list[Suggestion]:
        """Suggestions for one domain at one level: specific ones first, then generic ones."""
        at_level = [s for s in self.suggestions if s.level == level]
        specific = [s for s in at_level if domain_id in s.domains]
        generic = [s for s in at_level if not s.domains]
        return specific + generic

    def scenarios_for(self, domain_id: str) -> list[Scenario]:
        """Scenarios about this domain, in file order."""
        return [s for s in self.scenarios if domain_id in s.domains]

    def network_type(self, diversity: str, ties: str) -> NetworkType:
        """The network type for a diversity ("low"/"high") and tie strength ("weak"/"strong")."""
        for nt in self.network_types:
            if nt.diversity == diversity and nt.ties == ties:
                return nt
        raise KeyError(f"no network type for diversity={diversity!r}, ties={ties!r}")

    @property
    def total_minutes(self) -> dict[str, int]:
        """Total agenda minutes for each run length: {"60": .., "90": .., "120": ..}."""
        return {
            str(total): sum(getattr(s, column) for s in self.agenda)
            for column, total in RUN_LENGTHS.items()
        }


# -- checks across files --------------------------------------------------------------------


def _check(lists: dict[str, _List]) -> None:
    sources = {item.entry.id for item in lists["sources"].items}
    domains = {item.entry.id for item in lists["domains"].items}

    for attr, lst in lists.items():
        if not lst.items:
            raise ContentError(
                f"content file {lst.path}: has no {lst.label} entries; at least one is needed"
            )
        if attr == "sources":
            continue
        for item in lst.items:
            src = item.entry.source
            if src not in sources:
                raise ContentError(
                    f"{item.where}: source: unknown source id {src!r}; add it to sources.toml "
                    f"or use one of: {', '.join(sorted(sources))}"
                )

    for attr in ("suggestions", "scenarios", "mosaic_prompts"):
        for item in lists[attr].items:
            for ref in item.entry.domains:
                if ref not in domains:
                    raise ContentError(
                        f"{item.where}: domains: unknown domain id {ref!r}; known domains: "
                        f"{', '.join(sorted(domains))}"
                    )

    colors: dict[str, _Item] = {}
    for item in lists["domains"].items:
        color = item.entry.color
        if color in colors:
            blamed, other = _blame(colors[color], item)
            raise ContentError(
                f"{blamed.where}: color: {color} is already used by domain "
                f"{other.entry.id!r}; each domain needs its own colour"
            )
        colors[color] = item

    _check_agenda(lists["agenda"])
    _check_exact(lists["criteria"], "criterion", CRITERION_IDS)
    _check_exact(lists["skills"], "skill", SKILL_IDS)
    _check_exact(lists["review_items"], "item", REVIEW_ITEM_IDS)
    _check_exact(lists["review_texts"], "text", REVIEW_TEXT_IDS)

    scale = lists["scale"]
    values = [item.entry.value for item in scale.items]
    if values != [1, 2, 3, 4, 5]:
        raise ContentError(
            f"content file {scale.path}, [[scale]]: the scale must have the values 1, 2, 3, 4, 5 "
            f"in that order, got {', '.join(map(str, values))}"
        )

    net = lists["network_types"]
    combos: dict[tuple[str, str], _Item] = {}
    for item in net.items:
        combo = (item.entry.diversity, item.entry.ties)
        if combo in combos:
            blamed, other = _blame(combos[combo], item)
            raise ContentError(
                f"{blamed.where}: diversity {combo[0]!r} with ties {combo[1]!r} is already "
                f"described by {other.entry.id!r}"
            )
        combos[combo] = item
    if len(combos) != 4:
        missing = [
            f"{d}/{t}" for d in ("low", "high") for t in ("weak", "strong") if (d, t) not in combos
        ]
        raise ContentError(
            f"content file {net.path}, [[network_type]]: each combination of diversity "
            f"(low/high) and ties (weak/strong) needs one entry; missing: {', '.join(missing)}"
        )

    sugg = lists["suggestions"]
    for level in LEVELS:
        at_level = [item.entry for item in sugg.items if item.entry.level == level]
        if any(not s.domains for s in at_level):
            continue
        covered = {d for s in at_level for d in s.domains}
        missing = [d for d in domains if d not in covered]
        if missing:
            raise ContentError(
                f"content file {sugg.path}, [[suggestion]]: no {level}-level suggestion for "
                f"domain(s) {', '.join(sorted(missing))}; add one, or add a {level} suggestion "
                "with domains = [] that suits any domain"
            )


def _blame(first: _Item, second: _Item) -> tuple[_Item, _Item]:
    """Of two clashing entries, the one to name: a facilitator's entry before a packaged one."""
    if first.path.parent != PACKAGE_DIR and second.path.parent == PACKAGE_DIR:
        return first, second
    return second, first


def _check_exact(lst: _List, table: str, expected: tuple[str, ...]) -> None:
    ids = [item.entry.id for item in lst.items]
    missing = [i for i in expected if i not in ids]
    if missing:
        raise ContentError(
            f"content file {lst.path}, [[{table}]]: missing id(s) {', '.join(missing)}; "
            f"the ids must be exactly: {', '.join(expected)}"
        )


def _check_agenda(lst: _List) -> None:
    for position, (item, expected) in enumerate(zip(lst.items, STAGE_IDS, strict=False)):
        stage = item.entry
        if stage.id != expected:
            raise ContentError(
                f"{item.where}: expected stage {expected!r} here; the stages must be, in order: "
                f"{', '.join(STAGE_IDS)}"
            )
        if stage.number != position:
            raise ContentError(f"{item.where}: number: must be {position} for this stage")
    if len(lst.items) != len(STAGE_IDS):
        ids = [item.entry.id for item in lst.items]
        missing = [s for s in STAGE_IDS if s not in ids]
        raise ContentError(
            f"content file {lst.path}, [[stage]]: there must be {len(STAGE_IDS)} stages "
            f"({', '.join(STAGE_IDS)}); missing: {', '.join(missing)}"
        )
    for column, total in RUN_LENGTHS.items():
        got = sum(getattr(item.entry, column) for item in lst.items)
        if got != total:
            raise ContentError(
                f"content file {lst.path}, [[stage]]: the {column} of all stages add up to "
                f"{got}, but must add up to {total} for the {total}-minute run"
            )


# -- public entry points --------------------------------------------------------------------


def load_content(override_dir: str | Path | None = None) -> Content:
    """Load the packaged content, then a facilitator's folder if one is given.

    ``override_dir`` wins over the ``MENTORING_MOSAIC_CONTENT`` environment variable; an empty
    variable counts as unset. Raises :class:`ContentError` for any problem.
    """
    if override_dir is None:
        override_dir = os.environ.get(ENV_VAR) or None
    lists = {
        spec.attr: _List(f"[{table}]" if spec.single else f"[[{table}]]")
        for tables in FILES.values()
        for table, spec in tables.items()
    }
    for name, tables in FILES.items():
        path = PACKAGE_DIR / name
        data = _read_file(path, name)
        for table, spec in tables.items():
            _merge(lists[spec.attr], data.tables.get(table, []), spec.key, True, path)

    folder: Path | None = None
    if override_dir is not None:
        folder = Path(override_dir).expanduser().resolve()
        for name, path in _override_files(folder).items():
            data = _read_file(path, name)
            tables = FILES[name]
            for table, spec in tables.items():
                items = data.tables.get(table)
                if items is None:
                    if not (data.replace and len(tables) == 1):
                        continue  # this file leaves the list alone
                    items = []  # "replace = true" with no entries empties the list
                _merge(lists[spec.attr], items, spec.key, data.replace or spec.single, path)

    _check(lists)
    values: dict[str, Any] = {
        attr: [item.entry for item in lst.items] for attr, lst in lists.items()
    }
    values["headline"] = values["headline"][0]
    values["review_outcome"] = values["review_outcome"][0]
    return Content(**values, override_dir=folder)


@functools.lru_cache(maxsize=8)
def _cached(env_value: str | None) -> Content:
    return load_content(env_value)


def get_content() -> Content:
    """The content for the app, loaded once per value of ``MENTORING_MOSAIC_CONTENT``."""
    return _cached(os.environ.get(ENV_VAR) or None)


def clear_cache() -> None:
    """Forget cached content (e.g. after a facilitator edited their files)."""
    _cached.cache_clear()


get_content.cache_clear = clear_cache  # type: ignore[attr-defined]
