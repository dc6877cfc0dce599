"""The command line: schema, validate, import, list, export, against good and bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mentoring_mosaic.model import Workbook
from mentoring_mosaic.serve.cli import build_parser, main
from mentoring_mosaic.store import DEFAULT_KEY, Store

from .test_model import DATA, full_workbook

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"\'&'


def stored_state(home: Path) -> bytes:
    """The stored database's rows, to prove a refused import changed nothing."""
    store = Store()
    state = json.dumps(
        [(k, wb.to_json_dict()) for k, wb in store.load_all(include_demo=True)], sort_keys=True
    ).encode()
    store.dispose()
    return state


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def hostile_workbook() -> dict:
    """Every text field of a full workbook filled with markup and script."""
    data = full_workbook().to_json_dict()

    def poison(value: object) -> object:
        if isinstance(value, dict):
            keep = {"id", "schema_version", "workbook_id"}
            return {k: (v if k in keep else poison(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [poison(v) for v in value]
        if isinstance(value, str) and not value[:4].isdigit():
            return HOSTILE
        return value

    data = poison(data)
    for person in data["people"]:
        person["domains"] = ["research"]
        person["qualities"] = ["honest"]
        person["frequency"] = "monthly"
        person["level"], person["place"], person["role"], person["status"] = (
            "senior", "division", "mentor", "existing",
        )
    data["managing_up"]["p1"]["agenda_setter"] = "me"
    data["actions"][0]["source"] = "own"
    # content ids are not free text: a file may only use the workshop's own ids
    data["needs"]["top_needs"] = ["research"]
    data["goals"][0]["need"] = "research"
    data["managing_up"]["p1"]["habits"] = ["send_agenda"]
    data["qualities"]["priorities"] = ["honest"]
    data["qualities"]["grow"] = "communication"
    return data


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "truncated.json": (json.dumps(full_workbook().to_json_dict()).encode()[:200], "not valid JSON"),
    "wrong-types.json": (b'{"schema_version": 2, "goals": "three goals"}', "goals"),
    "bad-person.json": (b'{"schema_version": 2, "people": [{"name": 42}]}', "people"),
    "future.json": (b'{"schema_version": 7}', "newer than this program"),
    "version-text.json": (b'{"schema_version": "two"}', "whole number"),
    "huge-string.json": (
        json.dumps({"schema_version": 2, "profile": {"display_name": "x" * 5_000_000}}).encode(),
        "too long",
    ),
    "over-5-mb.json": (b'{"schema_version": 2, "x": "' + b"y" * 6_000_000 + b'"}', "MB"),
    "long-text.json": (
        json.dumps({"schema_version": 2, "profile": {"whats_new": "x" * 50_000}}).encode(),
        "too long",
    ),
    "ten-thousand-people.json": (
        json.dumps(
            {"schema_version": 2, "people": [{"id": str(i), "name": "P"} for i in range(10_000)]}
        ).encode(),
        "too many",
    ),
    "invalid-utf8.json": (
        b'{"schema_version": 2, "profile": {"display_name": "\xff\xfe"}}',
        "UTF-8",
    ),
    "empty.json": (b"", "empty"),
    "array.json": (b"[1, 2, 3]", "not a workbook"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    "not-a-workbook.ipynb": (b'{"cells": [], "metadata": {}}', "does not carry"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_and_change_nothing(
    name: str, tmp_path: Path, mm_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store()
    store.save_workbook(DEFAULT_KEY, full_workbook())
    store.dispose()
    before = stored_state(mm_home)
    raw, reason = BAD_FILES[name]
    path = write(tmp_path, name, raw)
    for command in (["validate", path], ["import", path], ["import", "--force", path]):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert reason.lower() in err.lower(), err
        assert "Traceback" not in err and err.count("\n") == 1, err
    assert stored_state(mm_home) == before


def test_html_in_every_field_is_valid_and_stored_verbatim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "hostile.json", json.dumps(hostile_workbook()).encode())
    assert main(["validate", path]) == 0
    assert main(["import", "--new", path]) == 0
    key = capsys.readouterr().out.split()[-1]
    stored = Store().load(key)
    assert stored.profile.display_name == HOSTILE
    assert stored.people[0].name == HOSTILE


def test_validate_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "wb.json", json.dumps(full_workbook().to_json_dict()).encode())
    assert main(["validate", path]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "valid workbook v4: Ana" in out


def test_validate_reads_an_old_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "workbook-v1.json")]) == 0
    assert "Sam Okafor" in capsys.readouterr().out


def test_import_never_overwrites_newer_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = full_workbook()  # saved 2026-11-25 09:00
    path = write(tmp_path, "old.json", json.dumps(old.to_json_dict()).encode())
    assert main(["import", path]) == 0
    store = Store()
    store.save_section(DEFAULT_KEY, "profile", {"display_name": "Ana, edited later"})
    assert main(["import", path]) == 2
    assert "nothing was overwritten" in capsys.readouterr().err
    assert store.load(DEFAULT_KEY).profile.display_name == "Ana, edited later"
    assert main(["import", "--force", path]) == 0
    assert store.load(DEFAULT_KEY).profile.display_name == "Ana"
    assert store.latest_backup(DEFAULT_KEY).profile.display_name == "Ana, edited later"


def test_list_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store()
    store.save_workbook("abc", full_workbook())
    assert main(["list"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[0]
    assert line.startswith("abc\t") and line.endswith("Ana")
    out = tmp_path / "out.json"
    assert main(["export", "--participant", "abc", "--format", "json", "-o", str(out)]) == 0
    again = Workbook.model_validate_json(out.read_text())
    assert again.people == full_workbook().people
    csv_out = tmp_path / "out.csv"
    assert main(["export", "--participant", "abc", "--format", "csv", "-o", str(csv_out)]) == 0
    rows = csv_out.read_text().splitlines()
    assert rows[0] == "field,value" and "profile.display_name,Ana" in rows
    assert main(["export", "--participant", "nobody", "--format", "json"]) == 2


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    store = Store()
    wb = full_workbook()
    wb.profile.display_name = "=HYPERLINK(\"http://x\")"
    store.save_workbook("f", wb)
    out = tmp_path / "f.csv"
    assert main(["export", "--participant", "f", "--format", "csv", "-o", str(out)]) == 0
    assert "'=HYPERLINK" in out.read_text()


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Workbook"


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"start", "schema", "validate", "import", "list", "export", "demo"} <= set(commands)
    for name in commands:
        result = subprocess.run(
            [sys.executable, "-m", "mentoring_mosaic.serve.cli", name, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0 and "usage:" in result.stdout, name
