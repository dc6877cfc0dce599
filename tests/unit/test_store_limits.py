"""The store stays bounded and private: a few backups per participant, files for the owner."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mentoring_mosaic.model import Profile, Workbook
from mentoring_mosaic.store import KEEP_BACKUPS, Store


def named(name: str) -> Workbook:
    return Workbook(profile=Profile(display_name=name))


def backups(store: Store, key: str) -> list[str]:
    """The reasons of a participant's backups, oldest first."""
    with store._read() as conn:
        return [r for (r,) in conn.rows(
            "SELECT reason FROM backups WHERE participant_key = :key ORDER BY id", key=key)]


def test_only_the_last_three_backups_are_kept(store: Store) -> None:
    assert KEEP_BACKUPS == 3
    store.save_workbook("k1", named("v0"))
    store.save_workbook("k2", named("other"))
    store.save_workbook("k2", named("other again"))  # another participant's backup stays
    for i in range(1, 16):  # 15 resumes in a row
        store.save_workbook("k1", named(f"v{i}"), reason=f"resume {i}")
    assert backups(store, "k1") == ["resume 13", "resume 14", "resume 15"]
    assert backups(store, "k2") == ["replaced"]
    # undo still brings back the answers just before the last resume
    assert store.latest_backup("k1").profile.display_name == "v14"
    assert store.load("k1").profile.display_name == "v15"


@pytest.mark.postgres
def test_pruning_the_backups_works_on_postgres_too(postgres_url: str) -> None:
    store = Store(postgres_url)
    key = "prune-test"
    try:
        for i in range(6):
            store.save_workbook(key, named(f"v{i}"), reason=f"r{i}")
        assert backups(store, key) == ["r3", "r4", "r5"]
        assert store.latest_backup(key).profile.display_name == "v4"
    finally:
        store.delete_participant(key)
        store.dispose()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_database_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "fresh" / "mm"
    monkeypatch.setenv("MENTORING_MOSAIC_HOME", str(home))
    old = os.umask(0o022)  # the usual umask: new files readable by every account
    try:
        store = Store()
        store.save_section("k1", "profile", Profile(display_name="Ana"))
        store.dispose()
    finally:
        os.umask(old)
    assert mode(home) == 0o700
    db = home / "workbooks.sqlite3"
    assert mode(db) == 0o600
    for side in home.glob("workbooks.sqlite3-*"):  # WAL and shared-memory files
        assert mode(side) & 0o077 == 0, (side.name, oct(mode(side)))
    again = Store()  # an existing private database opens as before
    assert again.load("k1").profile.display_name == "Ana"
    again.dispose()
