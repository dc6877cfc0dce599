"""The anonymous workbook id: random at creation, kept by the store, downloads, exports, resume,
import and notebook copies, added to older files by migration, fixed for the demo personas;
and the room's rule of one workbook per id, the latest copy winning."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
from pathlib import Path

import pytest

from mentoring_mosaic.analysis.identity import latest_per_workbook, superseded
from mentoring_mosaic.demo import (
    DEMO_WORKBOOK_IDS,
    demo_personas,
    is_demo_workbook,
    store_demo_personas,
)
from mentoring_mosaic.exports import export
from mentoring_mosaic.migrations import migrate
from mentoring_mosaic.model import SCHEMA_VERSION, Profile, Workbook, workbook_json_schema
from mentoring_mosaic.serve.cli import main
from mentoring_mosaic.session import Session
from mentoring_mosaic.store import DEFAULT_KEY, Store
from mentoring_mosaic.validation import WorkbookError, parse_workbook_data, read_workbook_file

from .test_model import DATA, full_workbook

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def v2_file(workbook: Workbook) -> dict:
    """The same answers as a version-2 file (before workbooks had ids)."""
    data = workbook.to_json_dict()
    del data["workbook_id"], data["baseline"], data["review"], data["past_reviews"]  # not v2
    data["schema_version"] = 2
    return data


# -- made at random, never a name -------------------------------------------------------------
def test_a_new_workbook_gets_a_random_id_that_holds_no_name() -> None:
    ids = {Workbook(profile=Profile(display_name="Dr Ana Ruiz")).workbook_id for _ in range(50)}
    assert len(ids) == 50 and all(HEX32.match(i) for i in ids)
    data = full_workbook().to_json_dict()
    for bad in ("Dr Ana Ruiz", "ana-ruiz-0000000000000000000000", "A" * 32, "", 7):
        data["workbook_id"] = bad
        with pytest.raises(WorkbookError, match="workbook id: not an id this app made"):
            parse_workbook_data(data)


def test_the_schema_is_version_4_and_describes_the_id() -> None:
    schema = workbook_json_schema()
    assert SCHEMA_VERSION == 4 and schema["$id"].endswith("workbook-v4.json")
    prop = schema["properties"]["workbook_id"]
    assert prop["pattern"] == "^[0-9a-f]{32}$" and "never contains a name" in prop["description"]
    assert schema["properties"]["schema_version"]["const"] == 4
    assert "workbook_id" not in schema.get("required", [])  # a new workbook makes its own


def test_the_schema_command_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["properties"]["workbook_id"]["pattern"]


# -- the store --------------------------------------------------------------------------------
def test_the_store_makes_the_id_with_the_participant_and_keeps_it(store: Store) -> None:
    session = Session(store=store, key="anna")
    first = session.workbook.workbook_id
    assert HEX32.match(first)
    session.update("profile", Profile(display_name="Anna"))  # section by section
    session.edit("needs", lambda n: n.top_needs.append("research"))
    person = session.save_person(full_workbook().people[0])
    session.remove_person(person.id)
    assert store.load("anna").workbook_id == first
    assert Session(store=store, key="anna").workbook.workbook_id == first  # another page
    assert session.workbook.workbook_id == first
    # a participant saved section-first (no create) gets one too, and keeps it
    store.save_section("other", "profile", Profile(display_name="B"))
    other = store.load("other").workbook_id
    store.save_person("other", full_workbook().people[0])
    assert store.load("other").workbook_id == other != first


def test_a_whole_workbook_brings_its_own_id_and_undo_brings_back_the_old(store: Store) -> None:
    session = Session(store=store, key="anna")
    mine = session.workbook.workbook_id
    incoming = full_workbook()
    session.replace(incoming)  # "Resume from a file"
    assert session.workbook.workbook_id == incoming.workbook_id == store.load("anna").workbook_id
    previous = store.latest_backup("anna")
    assert previous is not None and previous.workbook_id == mine
    session.replace(previous, reason="undo resume")
    assert store.load("anna").workbook_id == mine


def test_participants_stored_before_ids_get_one_once(mm_home: Path) -> None:
    store = Store()
    store.save_workbook("old", full_workbook())
    with store._write() as conn:  # as a store from before workbook ids left it
        conn.run("DELETE FROM sections WHERE name = 'identity'")
    store.dispose()
    again = Store()
    given = again.load("old").workbook_id
    assert HEX32.match(given)
    assert again.load("old").workbook_id == given
    again.dispose()
    assert Store().load("old").workbook_id == given  # not made again at the next opening


def test_a_backup_taken_before_ids_is_still_an_undo(store: Store) -> None:
    store.save_workbook("anna", full_workbook())
    old = json.dumps(v2_file(Workbook(profile=Profile(display_name="Old"))))
    with store._write() as conn:
        conn.run(
            "INSERT INTO backups (participant_key, taken_at, reason, data) "
            "VALUES (:key, :now, 'old', :data)",
            key="anna", now=time.time(), data=old,
        )
    backup = store.latest_backup("anna")
    assert backup is not None and backup.profile.display_name == "Old"
    assert HEX32.match(backup.workbook_id)


def test_the_saved_time_moves_with_every_save(store: Store) -> None:
    """A download carries the time of the last save, so the room can tell the latest copy."""
    session = Session(store=store, key="anna")
    first = session.workbook.updated_at
    time.sleep(0.01)
    session.update("profile", Profile(display_name="Anna"))
    assert session.workbook.updated_at is not None and session.workbook.updated_at > first
    assert session.workbook.updated_at == store.load("anna").updated_at
    saved = session.workbook.to_json_dict()["updated_at"]
    assert dt.datetime.fromisoformat(saved) == session.workbook.updated_at


# -- files: export, import, resume, notebook copies -------------------------------------------
def test_every_workbook_file_carries_the_id(content) -> None:
    wb = full_workbook()
    assert json.loads(export(wb, content, "json"))["workbook_id"] == wb.workbook_id
    rows = dict(csv.reader(io.StringIO(export(wb, content, "csv").decode("utf-8"))))
    assert rows["workbook_id"] == wb.workbook_id
    copy = export(wb, content, "ipynb")
    assert read_workbook_file("copy.ipynb", copy).workbook_id == wb.workbook_id
    assert read_workbook_file("mine.json", export(wb, content, "json")) == wb


def test_a_notebook_copy_resumes_with_its_id(content, mm_home: Path) -> None:
    from mentoring_mosaic.exports.notebook import build_notebook, resume

    wb = full_workbook()
    nb = build_notebook(wb, content)
    resume(json.dumps(nb.metadata["mentoring_mosaic"]["workbook"]))
    store = Store()
    assert store.load(DEFAULT_KEY).workbook_id == wb.workbook_id
    store.dispose()


def test_import_keeps_the_files_id(
    tmp_path: Path, mm_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = full_workbook()
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(wb.to_json_dict()))
    assert main(["import", "--new", str(path)]) == 0
    key = capsys.readouterr().out.split()[-1]
    store = Store()
    assert store.load(key).workbook_id == wb.workbook_id
    store.dispose()


def test_import_into_a_new_empty_workbook_needs_no_force(
    tmp_path: Path, mm_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty stored workbook (it has only its own id) is not work to protect."""
    session = Session(key=DEFAULT_KEY)
    session.store.dispose()
    old = full_workbook().to_json_dict()
    old["updated_at"] = "2020-01-01T00:00:00Z"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(old))
    assert main(["import", str(path)]) == 0, capsys.readouterr().err


# -- older files ------------------------------------------------------------------------------
def test_an_older_file_gets_an_id_from_its_answers() -> None:
    wb = full_workbook()
    old = v2_file(wb)
    first = parse_workbook_data(old)
    assert first.schema_version == 4 and HEX32.match(first.workbook_id)
    assert first.workbook_id != wb.workbook_id
    assert parse_workbook_data(old).workbook_id == first.workbook_id  # the same file: same id
    later = {**old, "updated_at": "2027-01-01T00:00:00Z"}
    assert parse_workbook_data(later).workbook_id == first.workbook_id  # the save time aside
    edited = {**old, "profile": {**old["profile"], "next_role": "Chief"}}
    assert parse_workbook_data(edited).workbook_id != first.workbook_id
    assert "Ana" not in first.workbook_id
    assert migrate(old) is not old and "workbook_id" not in old  # the input is not changed


def test_a_current_file_without_an_id_gets_one_from_its_answers() -> None:
    data = full_workbook().to_json_dict()
    del data["workbook_id"]
    first = parse_workbook_data(data)
    assert HEX32.match(first.workbook_id) and "workbook_id" not in data
    assert parse_workbook_data(data).workbook_id == first.workbook_id


def test_a_version_1_file_gets_an_id_too() -> None:
    raw = (DATA / "workbook-v1.json").read_bytes()
    first = read_workbook_file("v1.json", raw)
    assert HEX32.match(first.workbook_id)
    assert read_workbook_file("v1.json", raw).workbook_id == first.workbook_id


# -- demo personas ----------------------------------------------------------------------------
def test_demo_personas_have_fixed_ids(store: Store) -> None:
    personas = demo_personas()
    assert {k: wb.workbook_id for k, (_label, wb) in personas.items()} == DEMO_WORKBOOK_IDS
    later = demo_personas(dt.date(2030, 1, 1))
    assert {k: wb.workbook_id for k, (_l, wb) in later.items()} == DEMO_WORKBOOK_IDS
    assert len(set(DEMO_WORKBOOK_IDS.values())) == len(personas) == 4  # 4th: reviewed
    assert all(HEX32.match(i) for i in DEMO_WORKBOOK_IDS.values())
    store_demo_personas(store)
    for key, wb_id in DEMO_WORKBOOK_IDS.items():
        assert store.load(key).workbook_id == wb_id
    # a persona stays a persona by its id, even with its goals removed
    persona = personas["demo-pgy3"][1].model_copy(update={"goals": []})
    assert is_demo_workbook(persona)
    assert not is_demo_workbook(full_workbook())


# -- the room: one workbook per id, the latest wins -------------------------------------------
def at(hour: int | None, *, wb_id: str = "a" * 32, naive: bool = False) -> Workbook:
    stamp = None
    if hour is not None:
        stamp = dt.datetime(2026, 11, 30, hour, 0, tzinfo=None if naive else dt.UTC)
    return Workbook(workbook_id=wb_id, updated_at=stamp)


def test_the_latest_saved_copy_wins() -> None:
    early, late, other = at(9), at(11), at(10, wb_id="b" * 32)
    items = [(late, 0), (other, 1), (early, 2)]
    assert latest_per_workbook(items) == [(late, 0), (other, 1)]
    assert superseded(items) == [(2, 0)]


def test_the_later_position_breaks_a_tie_and_no_time_counts_as_oldest() -> None:
    first, second = at(9), at(9)
    assert latest_per_workbook([(first, 3), (second, 5)]) == [(second, 5)]
    assert latest_per_workbook([(second, 5), (first, 3)]) == [(second, 5)]
    undated, dated = at(None), at(8)
    assert latest_per_workbook([(dated, 0), (undated, 1)]) == [(dated, 0)]
    assert superseded([(dated, 0), (undated, 1)]) == [(1, 0)]
    both_undated = [(at(None), 0), (at(None), 1)]
    assert [p for _w, p in latest_per_workbook(both_undated)] == [1]


def test_a_time_without_a_zone_counts_as_utc() -> None:
    naive_late = at(12, naive=True)
    aware_early = Workbook(
        workbook_id="a" * 32,
        updated_at=dt.datetime(2026, 11, 30, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    )  # 11:00 UTC
    assert latest_per_workbook([(naive_late, 0), (aware_early, 1)]) == [(naive_late, 0)]


def test_different_ids_are_all_kept_in_their_order() -> None:
    items = [(Workbook(), i) for i in range(20)]
    assert latest_per_workbook(items) == items
    assert superseded(items) == []
    assert latest_per_workbook([]) == []


def test_an_edited_copy_sent_again_counts_once(store: Store, content) -> None:
    """The issue's case: a participant edits anything and sends the file again."""
    session = Session(store=store, key="anna")
    session.update("profile", Profile(display_name="Anna"))
    before = json.loads(export(session.workbook, content, "json"))
    time.sleep(0.01)
    session.edit("needs", lambda n: n.top_needs.append("research"))
    after = json.loads(export(session.workbook, content, "json"))
    files = [read_workbook_file(f"{i}.json", json.dumps(d).encode())
             for i, d in enumerate([after, before])]
    kept = latest_per_workbook([(wb, i) for i, wb in enumerate(files)])
    assert [wb.needs.top_needs for wb, _i in kept] == [["research"]]
