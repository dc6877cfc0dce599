"""The store: sections and people saved separately, no lost updates, SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from mentoring_mosaic.model import Goal, Person, Profile
from mentoring_mosaic.session import Session
from mentoring_mosaic.store import DEFAULT_KEY, Store, StoreError, new_key

from .test_model import full_workbook

WRITES = 25


def test_empty_participant_loads_an_empty_workbook(store: Store) -> None:
    key = store.create_participant()
    workbook = store.load(key)
    assert workbook.people == [] and workbook.profile == Profile()


def test_keys_are_random_and_checked(store: Store) -> None:
    keys = {new_key() for _ in range(200)}
    assert len(keys) == 200 and all(len(k) >= 24 for k in keys)
    for bad in ("../etc", "a b", "x" * 65, "", "key';--"):
        with pytest.raises(StoreError):
            store.load(bad)


def test_whole_workbook_round_trip(store: Store) -> None:
    original = full_workbook()
    store.save_workbook("k1", original)
    loaded = store.load("k1")
    assert loaded.model_dump(exclude={"updated_at"}) == original.model_dump(exclude={"updated_at"})
    assert [p.id for p in loaded.people] == ["p1", "p2"]


def test_replacing_keeps_a_backup(store: Store) -> None:
    store.save_workbook("k1", full_workbook())
    store.save_workbook("k1", type(full_workbook())())
    assert store.load("k1").people == []
    backup = store.latest_backup("k1")
    assert backup is not None and len(backup.people) == 2


def test_sections_do_not_overwrite_each_other(store: Store) -> None:
    """Two sessions (two notebooks) on one workbook, each editing its own part."""
    a = Session(store=store, key=DEFAULT_KEY)
    b = Session(store=store, key=DEFAULT_KEY)
    a.update("profile", Profile(display_name="Ana"))
    b.update("goals", [Goal(goal="Write an abstract")])
    b.save_person(Person(name="Dr Lee"))
    a.save_person(Person(name="Dr Kim"))
    final = store.load(DEFAULT_KEY)
    assert final.profile.display_name == "Ana"
    assert [g.goal for g in final.goals] == ["Write an abstract"]
    assert sorted(p.name for p in final.people) == ["Dr Kim", "Dr Lee"]


def test_bad_value_changes_nothing(store: Store) -> None:
    session = Session(store=store, key="k1")
    session.update("profile", Profile(display_name="Ana"))
    with pytest.raises(ValueError):
        session.update("profile", {"display_name": "x" * 10_000})
    assert store.load("k1").profile.display_name == "Ana"
    assert session.workbook.profile.display_name == "Ana"


def _write_people(url: str, prefix: str, count: int) -> None:
    store = Store(url)
    for i in range(count):
        store.save_person("shared", Person(id=f"{prefix}-{i}", name=f"{prefix} {i}"))
        store.save_section("shared", "scenarios", {f"{prefix}": {"strategy": str(i)}})
    store.dispose()


def _assert_no_lost_update(store: Store, prefixes: list[str]) -> None:
    people = store.load("shared").people
    for prefix in prefixes:
        mine = [p for p in people if p.id.startswith(prefix + "-")]
        assert len(mine) == WRITES, f"{prefix}: {len(mine)} of {WRITES} people survived"
    assert len({p.id for p in people}) == len(people)


def test_concurrent_threads_lose_nothing(store: Store) -> None:
    prefixes = [f"t{i}" for i in range(4)]
    threads = [
        threading.Thread(target=_write_people, args=(store.url, p, WRITES)) for p in prefixes
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _assert_no_lost_update(store, prefixes)


def test_concurrent_processes_lose_nothing(store: Store) -> None:
    prefixes = [f"p{i}" for i in range(3)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_people, args=(store.url, p, WRITES)) for p in prefixes]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    _assert_no_lost_update(store, prefixes)


def test_sqlite_file_lives_in_the_data_folder(mm_home: Path, store: Store) -> None:
    store.create_participant()
    assert (mm_home / "workbooks.sqlite3").exists()


@pytest.mark.postgres
def test_postgres_store(postgres_url: str) -> None:
    store = Store(postgres_url)
    try:
        store.save_workbook("pg1", full_workbook())
        assert store.load("pg1").profile.display_name == "Ana"
        prefixes = [f"g{i}" for i in range(3)]
        threads = [
            threading.Thread(target=_write_people, args=(store.url, p, WRITES)) for p in prefixes
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _assert_no_lost_update(store, prefixes)
        assert {p.key for p in store.participants()} >= {"pg1", "shared"}
    finally:
        store.delete_participant("pg1")
        store.delete_participant("shared")
        store.dispose()


@pytest.mark.postgres
def test_postgres_keeps_the_workbook_id(postgres_url: str) -> None:
    """The same SQL on PostgreSQL: made with the participant, kept by section saves, replaced
    by a whole workbook, given once to a participant stored before ids."""
    store = Store(postgres_url)
    try:
        key = store.create_participant()
        made = store.load(key).workbook_id
        store.save_section(key, "profile", Profile(display_name="Ana"))
        store.save_person(key, Person(name="Dr Lee"))
        assert store.load(key).workbook_id == made
        incoming = full_workbook()
        store.save_workbook(key, incoming)
        assert store.load(key).workbook_id == incoming.workbook_id
        with store._write() as conn:
            conn.run("DELETE FROM sections WHERE participant_key = :key AND name = 'identity'",
                     key=key)
        again = Store(postgres_url)
        given = again.load(key).workbook_id
        again.dispose()
        third = Store(postgres_url)  # not made again at the next opening
        assert given != incoming.workbook_id and third.load(key).workbook_id == given
        third.dispose()
    finally:
        store.delete_participant(key)
        store.dispose()


def test_the_workbook_id_row_is_not_a_section(store: Store) -> None:
    key = store.create_participant()
    with pytest.raises(StoreError, match="Unknown workbook section"):
        store.save_section(key, "identity", {"workbook_id": "0" * 32})
    assert store.participants()[0].display_name == ""
    assert store.load(key).workbook_id == store.load(key).workbook_id


def test_env_url_switches_the_backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    monkeypatch.setenv("MENTORING_MOSAIC_DB", url)
    store = Store()
    store.create_participant("x")
    assert store.url == url and (tmp_path / "other.db").exists()
    store.dispose()


def test_room_refuses_unknown_keys(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a room server a page must come with a key the server issued."""
    from mentoring_mosaic import session as session_module

    monkeypatch.setenv("MENTORING_MOSAIC_ROOM", "1")
    monkeypatch.setenv("QUERY_STRING", "key=" + new_key())
    with pytest.raises(StoreError, match="does not match any participant"):
        session_module.shared_session()
    with pytest.raises(StoreError):
        Session(store=store, key="never-issued")
    issued = store.create_participant()
    assert Session(store=store, key=issued).key == issued
