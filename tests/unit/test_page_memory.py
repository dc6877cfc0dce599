"""Guards for the kernel memory of a stage page (``benchmarks/bench_pages.py``, issue 8).

Every stage page is its own kernel, so whatever the page imports is paid again at every page
load. These tests fail if a heavy package sneaks back into a page's start-up imports, and
check that the embedded SQLite store (plain ``sqlite3``) keeps the tables SQLAlchemy makes
for PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mentoring_mosaic.store import SQLITE_SCHEMA, Store, schema

from .test_model import full_workbook

ROOT = Path(__file__).resolve().parents[2]

NOT_AT_PAGE_START = ("sqlalchemy", "networkx", "icalendar", "nbformat", "pandas", "psycopg")
"""Packages no stage page needs to draw itself: the store reaches SQLite without SQLAlchemy,
and exports import their libraries when a download is made."""


def test_no_stage_page_imports_heavy_packages(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from mentoring_mosaic.widgets.app import WorkshopApp\n"
        "from mentoring_mosaic.widgets.pages import STAGES, StagePage\n"
        "pages = [StagePage(entry.id) for entry in STAGES]\n"
        "WorkshopApp()\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    env = {**os.environ, "MENTORING_MOSAIC_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    imported = set(json.loads(out.stdout.splitlines()[-1]))
    assert "mentoring_mosaic" in imported and "ipywidgets" in imported
    assert imported.isdisjoint(NOT_AT_PAGE_START), sorted(imported & set(NOT_AT_PAGE_START))


def _normalised(ddl: str) -> str:
    ddl = ddl.replace("IF NOT EXISTS ", "")
    ddl = re.sub(r"\s+", " ", ddl)
    return re.sub(r"\s*([(),])\s*", r"\1", ddl).strip()


def test_sqlite_tables_match_the_sqlalchemy_schema() -> None:
    """SQLite gets the same tables as PostgreSQL (and as files written by earlier versions)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    metadata = schema()
    expected = []
    for table in metadata.sorted_tables:
        expected.append(str(CreateTable(table).compile(dialect=sqlite.dialect())))
        expected += [str(CreateIndex(i).compile(dialect=sqlite.dialect())) for i in table.indexes]
    assert sorted(map(_normalised, SQLITE_SCHEMA)) == sorted(map(_normalised, expected))


def test_a_file_made_by_sqlalchemy_opens_and_saves(tmp_path: Path) -> None:
    """Databases created through SQLAlchemy (every earlier version) keep working."""
    from sqlalchemy import create_engine

    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    schema().create_all(engine)
    engine.dispose()
    store = Store(f"sqlite:///{path}")
    try:
        store.save_workbook("old", full_workbook())
        store.save_section("old", "consent", {"share_anonymised": True})
        assert store.load("old").consent.share_anonymised
    finally:
        store.dispose()


def _exercise(store: Store, key: str) -> None:
    """Every statement the store runs, with the results each must give."""
    assert not store.exists(key)
    assert store.create_participant(key) == key and store.exists(key)
    store.save_section(key, "profile", {"display_name": "Bo"})
    store.save_section(key, "profile", {"display_name": "Bo", "current_role": "postdoc"})
    assert store.load_section(key, "profile").current_role == "postdoc"
    assert store.load_section(key, "needs").top_needs == []
    wb = full_workbook()
    first, second = wb.people[0], wb.people[1]
    store.save_person(key, first)
    store.save_person(key, second)
    store.save_person(key, first.model_copy(update={"name": "Renamed"}))
    people = store.load(key).people
    assert [p.name for p in people] == ["Renamed", second.name]  # updated in place
    store.delete_person(key, second.id)
    assert [p.id for p in store.load(key).people] == [first.id]
    assert store.latest_backup(key) is None
    store.save_workbook(key, wb, reason="resumed")
    backup = store.latest_backup(key)
    assert backup is not None and backup.profile.display_name == "Bo"
    loaded = store.load(key)
    assert loaded.profile.display_name == wb.profile.display_name
    assert [p.id for p in loaded.people] == [p.id for p in wb.people]
    assert store.updated_at(key) == loaded.updated_at
    assert key in dict(store.load_all())
    info = {p.key: p for p in store.participants()}[key]
    assert info.display_name == wb.profile.display_name and not info.is_demo
    store.delete_participant(key)
    assert not store.exists(key) and store.latest_backup(key) is None
    assert key not in {p.key for p in store.participants()}


def test_every_statement_on_sqlite(store: Store) -> None:
    _exercise(store, "sq1")
    store.save_section("sq2", "needs", {"top_needs": ["a"]})
    store.save_section("sq2", "needs", {"top_needs": ["b"]})
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as raw:
        revision = raw.execute(
            "SELECT revision FROM sections WHERE participant_key = 'sq2' AND name = 'needs'"
        ).fetchone()[0]
    assert revision == 2


@pytest.mark.postgres
def test_every_statement_on_postgres(postgres_url: str) -> None:
    store = Store(postgres_url)
    try:
        _exercise(store, "pgall")
    finally:
        store.delete_participant("pgall")
        store.dispose()


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    """An error inside a transaction rolls it back and the store goes on working."""
    store.save_section("rb", "profile", {"display_name": "Kept"})
    with pytest.raises(RuntimeError), store._write() as conn:
        conn.run("DELETE FROM sections WHERE participant_key = :key", key="rb")
        raise RuntimeError("boom")
    assert store.load("rb").profile.display_name == "Kept"


def test_in_memory_sqlite_is_refused() -> None:
    from mentoring_mosaic.store import StoreError

    with pytest.raises(StoreError, match="in-memory"):
        Store("sqlite://")
