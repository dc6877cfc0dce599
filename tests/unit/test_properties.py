"""Property-based tests: ``validate``, ``import`` and ``cohort`` on generated hostile input.

Whatever the bytes (random bytes, random JSON, valid workbooks with random parts replaced,
zips of them), the commands answer with exit 0 or 2 and a message, never a traceback, and a
refused import leaves the store exactly as it was.

Files from older schema versions are covered in ``test_model.py`` (the v1 fixture in
``tests/data``) and ``test_cli.py`` (``validate`` on it); not repeated here.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring_mosaic.analysis.cohort import load_files, report_from
from mentoring_mosaic.model import SCHEMA_VERSION, Workbook
from mentoring_mosaic.serve.cli import main
from mentoring_mosaic.validation import (
    WorkbookError,
    parse_workbook_bytes,
    parse_workbook_data,
    read_workbook_file,
)

from .test_cli import hostile_workbook, stored_state
from .test_model import full_workbook

# the autouse data folder is shared by the examples of one test: each example compares the
# store before and after itself, so that is fine
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", "mentor", "mentee", "senior", "2026-11-25", "<script>x</script>"])
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=25,
)
VALID = full_workbook().to_json_dict()
HOSTILE = hostile_workbook()


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a JSON value (keys and list indexes)."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_workbook(draw: st.DrawFn) -> dict:
    """A valid (or hostile-but-valid) workbook with 1-4 random parts replaced or deleted."""
    data = copy.deepcopy(draw(st.sampled_from([VALID, HOSTILE])))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "version"]))
        if action == "delete":
            del parent[last]
        elif action == "version":
            data["schema_version"] = draw(
                st.one_of(st.integers(-3, 9), st.text(max_size=3), st.none(), st.floats())
            )
        else:
            parent[last] = draw(JSON_VALUE)
    return data


def as_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


HOSTILE_FILES = st.one_of(
    st.binary(max_size=3000),
    JSON_VALUE.map(as_bytes),
    mutated_workbook().map(as_bytes),
    st.sampled_from([b"\xef\xbb\xbf{}", b"[" * 5000, b'{"schema_version": 1e309}', b"\x00"]),
)


def _no_traceback(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return err


@SETTINGS
@given(raw=HOSTILE_FILES)
def test_parse_never_raises_anything_but_a_workbook_error(raw: bytes) -> None:
    try:
        workbook = parse_workbook_bytes(raw)
    except WorkbookError as exc:
        assert str(exc)  # a human message
    else:
        assert isinstance(workbook, Workbook)
        # what was accepted survives the round trip the store and the exports rely on
        assert parse_workbook_bytes(json.dumps(workbook.to_json_dict()).encode()) == workbook


@SETTINGS
@given(data=mutated_workbook())
def test_an_accepted_file_keeps_or_gets_one_workbook_id(data: dict) -> None:
    """Whatever a file holds, an accepted workbook has a 32-hex id; a current file keeps its
    own, an older one gets the same id each time it is read."""
    try:
        workbook = parse_workbook_data(copy.deepcopy(data))
    except WorkbookError:
        return
    assert len(workbook.workbook_id) == 32 and int(workbook.workbook_id, 16) >= 0
    if data.get("schema_version") == SCHEMA_VERSION and "workbook_id" in data:
        assert workbook.workbook_id == data["workbook_id"]
    else:
        assert parse_workbook_data(copy.deepcopy(data)).workbook_id == workbook.workbook_id


@SETTINGS
@given(data=mutated_workbook())
def test_notebook_copies_with_hostile_workbooks(data: dict) -> None:
    notebook = {"cells": [], "metadata": {"mentoring_mosaic": {"workbook": data}}}
    try:
        read_workbook_file("copy.ipynb", as_bytes(notebook))
    except WorkbookError as exc:
        assert str(exc)


@SETTINGS
@given(raw=HOSTILE_FILES, suffix=st.sampled_from([".json", ".ipynb", ".txt", ""]))
def test_validate_exits_0_or_2(
    raw: bytes, suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(raw)
    code = main(["validate", str(path)])
    err = _no_traceback(capsys)
    assert code in (0, 2)
    if code == 2:
        assert err.strip()


@SETTINGS
@given(raw=HOSTILE_FILES, new=st.booleans())
def test_a_refused_import_changes_nothing(
    raw: bytes, new: bool, tmp_path: Path, mm_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a participant with work in the store, made before the file
    main(["import", "--force", str(_write(tmp_path, "base.json", as_bytes(VALID)))])
    capsys.readouterr()
    before = stored_state(mm_home)
    path = _write(tmp_path, "input.json", raw)
    code = main(["import", *(["--new"] if new else []), str(path)])
    err = _no_traceback(capsys)
    assert code in (0, 2)
    if code == 2:
        assert err.strip()
        assert stored_state(mm_home) == before


def _write(folder: Path, name: str, raw: bytes) -> Path:
    path = folder / name
    path.write_bytes(raw)
    return path


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, raw in members:
            zf.writestr(name, raw)
    return buffer.getvalue()


ZIP_MEMBER_NAMES = st.sampled_from(
    ["a.json", "b/c.json", "../escape.json", "/abs.json", "x.ipynb", "readme.txt", "d.zip"]
)


@SETTINGS
@given(
    files=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(["a.json", "b.ipynb", "c.zip", "d.csv"]), HOSTILE_FILES),
            st.tuples(
                st.just("room.zip"),
                st.lists(
                    st.tuples(ZIP_MEMBER_NAMES, HOSTILE_FILES), max_size=4, unique_by=lambda m: m[0]
                ).map(_zip),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_cohort_loads_and_aggregates_whatever_it_is_given(
    files: list[tuple[str, bytes]],
) -> None:
    result = load_files(files)
    plain = [name for name, _raw in files if not name.endswith(".zip")]
    # every plain file is either counted or listed with its reason (an empty zip may add
    # neither: it holds nothing to count)
    assert len(result.workbooks) + len(result.rejected) >= len(plain)
    assert all(r.reason for r in result.rejected)
    report = report_from(result)  # aggregation of whatever passed validation never fails
    assert report is not None


@SETTINGS
@given(
    raws=st.lists(HOSTILE_FILES, min_size=1, max_size=3),
    as_json=st.booleans(),
)
def test_cohort_command_exits_0_or_2(
    raws: list[bytes], as_json: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(_write(tmp_path, f"w{i}.json", raw)) for i, raw in enumerate(raws)]
    code = main(["cohort", *paths, *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code in (0, 2)
    if as_json and code == 0:
        json.loads(out)
