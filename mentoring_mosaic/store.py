"""Save and load workbooks, section by section and person by person.

Embedded SQLite by default (a file in the data folder); the same statements run on
PostgreSQL when ``MENTORING_MOSAIC_DB`` holds a database URL. Each write is one short
transaction that touches one section or one person, so two notebooks open on the same
workbook never undo each other's changes, and a killed kernel loses at most the edit in flight.

Every stage page is its own kernel and pays for every import at each page load, so SQLite
goes through the standard library's ``sqlite3`` and SQLAlchemy (about 11 MB of a kernel's
memory) is imported only for a PostgreSQL URL. The SQL below is written once, in the subset
both databases understand (``INSERT ... ON CONFLICT ... DO UPDATE`` included).

The workbook's anonymous id lives in the ``sections`` table as one more row, named
``identity``: it is made with the participant, kept by every section save, replaced only when a
whole workbook is (resume, import), and given once to participants stored before ids existed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .model import MAX_PEOPLE, SECTION_ADAPTERS, SECTIONS, Person, Workbook, new_workbook_id

if TYPE_CHECKING:
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection, Engine

KEEP_BACKUPS = 3
"""Backups kept per participant (each resume or import keeps the workbook it replaced): enough
to undo a resume or two, and a room where one person resumes again and again stays small."""

DEFAULT_KEY = "default"
"""The one participant of a Binder container or a local install."""

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

IDENTITY = "identity"
"""The ``sections`` row holding the workbook id (not a workbook section: no stage edits it)."""

SQLITE_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS participants (
        "key" VARCHAR(64) NOT NULL,
        created_at FLOAT NOT NULL,
        updated_at FLOAT NOT NULL,
        is_demo INTEGER NOT NULL,
        PRIMARY KEY ("key")
    )""",
    """CREATE TABLE IF NOT EXISTS sections (
        participant_key VARCHAR(64) NOT NULL,
        name VARCHAR(32) NOT NULL,
        data TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at FLOAT NOT NULL,
        PRIMARY KEY (participant_key, name)
    )""",
    """CREATE TABLE IF NOT EXISTS people (
        participant_key VARCHAR(64) NOT NULL,
        person_id VARCHAR(200) NOT NULL,
        seq INTEGER NOT NULL,
        data TEXT NOT NULL,
        updated_at FLOAT NOT NULL,
        PRIMARY KEY (participant_key, person_id)
    )""",
    """CREATE TABLE IF NOT EXISTS backups (
        id INTEGER NOT NULL,
        participant_key VARCHAR(64) NOT NULL,
        taken_at FLOAT NOT NULL,
        reason VARCHAR(200) NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (id)
    )""",
    "CREATE INDEX IF NOT EXISTS ix_backups_participant_key ON backups (participant_key)",
)
"""The tables in SQLite, exactly as :func:`schema` creates them (a unit test compares them)."""

SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout = 30000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
)
"""WAL and a busy timeout let several kernels share one file safely."""


def schema() -> MetaData:
    """The tables as SQLAlchemy metadata: what PostgreSQL gets (imports SQLAlchemy)."""
    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

    metadata = MetaData()
    Table(
        "participants",
        metadata,
        Column("key", String(64), primary_key=True),
        Column("created_at", Float, nullable=False),
        Column("updated_at", Float, nullable=False),
        Column("is_demo", Integer, nullable=False, default=0),
    )
    Table(
        "sections",
        metadata,
        Column("participant_key", String(64), primary_key=True),
        Column("name", String(32), primary_key=True),
        Column("data", Text, nullable=False),
        Column("revision", Integer, nullable=False, default=1),
        Column("updated_at", Float, nullable=False),
    )
    Table(
        "people",
        metadata,
        Column("participant_key", String(64), primary_key=True),
        Column("person_id", String(200), primary_key=True),
        Column("seq", Integer, nullable=False),
        Column("data", Text, nullable=False),
        Column("updated_at", Float, nullable=False),
    )
    Table(
        "backups",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("participant_key", String(64), nullable=False, index=True),
        Column("taken_at", Float, nullable=False),
        Column("reason", String(200), nullable=False),
        Column("data", Text, nullable=False),
    )
    return metadata


# -- SQL (the same text for SQLite and PostgreSQL; parameters are :named) ---------------------
_TOUCH = """INSERT INTO participants ("key", created_at, updated_at, is_demo)
    VALUES (:key, :now, :now, :is_demo)
    ON CONFLICT ("key") DO UPDATE SET updated_at = :now"""
_EXISTS = 'SELECT "key" FROM participants WHERE "key" = :key'
_UPDATED_AT = 'SELECT updated_at FROM participants WHERE "key" = :key'
_PARTICIPANTS = """SELECT p."key", p.created_at, p.updated_at, p.is_demo, s.data
    FROM participants AS p LEFT OUTER JOIN sections AS s
        ON s.participant_key = p."key" AND s.name = 'profile'
    ORDER BY p.updated_at DESC"""
_SECTIONS = "SELECT name, data FROM sections WHERE participant_key = :key"
_SECTION = "SELECT data FROM sections WHERE participant_key = :key AND name = :name"
_PEOPLE = "SELECT data FROM people WHERE participant_key = :key ORDER BY seq, person_id"
_SAVE_SECTION = """INSERT INTO sections (participant_key, name, data, revision, updated_at)
    VALUES (:key, :name, :data, 1, :now)
    ON CONFLICT (participant_key, name)
    DO UPDATE SET data = :data, updated_at = :now, revision = sections.revision + 1"""
_INSERT_SECTION = """INSERT INTO sections (participant_key, name, data, revision, updated_at)
    VALUES (:key, :name, :data, 1, :now)"""
_UPDATE_PERSON = """UPDATE people SET data = :data, updated_at = :now
    WHERE participant_key = :key AND person_id = :person_id"""
_COUNT_PEOPLE = "SELECT count(*) FROM people WHERE participant_key = :key"
_LAST_SEQ = "SELECT coalesce(max(seq), 0) FROM people WHERE participant_key = :key"
_INSERT_PERSON = """INSERT INTO people (participant_key, person_id, seq, data, updated_at)
    VALUES (:key, :person_id, :seq, :data, :now)"""
_DELETE_PERSON = "DELETE FROM people WHERE participant_key = :key AND person_id = :person_id"
_INSERT_BACKUP = """INSERT INTO backups (participant_key, taken_at, reason, data)
    VALUES (:key, :now, :reason, :data)"""
_LATEST_BACKUP = """SELECT data FROM backups WHERE participant_key = :key
    ORDER BY id DESC LIMIT 1"""
_PRUNE_BACKUPS = """DELETE FROM backups WHERE participant_key = :key AND id NOT IN (
    SELECT id FROM backups WHERE participant_key = :key ORDER BY id DESC LIMIT :keep)"""
_ENSURE_ID = """INSERT INTO sections (participant_key, name, data, revision, updated_at)
    VALUES (:key, 'identity', :data, 1, :now)
    ON CONFLICT (participant_key, name) DO NOTHING"""
_WITHOUT_ID = """SELECT p."key" FROM participants AS p WHERE NOT EXISTS (
    SELECT 1 FROM sections AS s WHERE s.participant_key = p."key" AND s.name = 'identity')"""
_PARTICIPANT_TABLES = ("sections", "people", "backups")


class StoreError(RuntimeError):
    """A store problem worth telling a person about."""


class UnknownParticipant(StoreError):
    """No workbook is stored under this key."""


@dataclass(frozen=True)
class ParticipantInfo:
    """One line of ``mentoring-mosaic list``."""

    key: str
    created_at: datetime
    updated_at: datetime
    display_name: str
    is_demo: bool


def data_home() -> Path:
    """The data folder: ``MENTORING_MOSAIC_HOME`` or the user's data directory."""
    env = os.environ.get("MENTORING_MOSAIC_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("mentoring-mosaic", appauthor=False))


def default_url() -> str:
    """``MENTORING_MOSAIC_DB`` if set, else the embedded SQLite file in the data folder."""
    url = os.environ.get("MENTORING_MOSAIC_DB", "").strip()
    if url:
        return url
    home = data_home()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: its owner only
    return f"sqlite:///{home / 'workbooks.sqlite3'}"


def new_key() -> str:
    """A random, unguessable participant key (144 bits)."""
    return secrets.token_urlsafe(18)


def check_key(key: str) -> str:
    """Refuse keys that could not have come from us (and keep them out of SQL and URLs)."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise StoreError("That participant key is not valid: letters, digits, - and _ only.")
    return key


MIN_ROOM_KEY_LENGTH = 24
"""Room keys come from :func:`new_key` (24 characters, 144 random bits). Shorter keys, such
as ``default`` or the demo personas', could be guessed and are refused in a room."""


def is_room_key(key: str) -> bool:
    """Whether ``key`` could have been handed out by a room (well-formed and long enough)."""
    try:
        check_key(key)
    except StoreError:
        return False
    return len(key) >= MIN_ROOM_KEY_LENGTH


def _ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


# -- the two ways to reach a database ---------------------------------------------------------
class _Cursor(Protocol):
    rowcount: int

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class _Conn:
    """One open transaction: run a statement, read rows, one value or the changed row count."""

    def __init__(self, execute: Any) -> None:
        self._execute = execute  # (sql, params) -> a DB-API cursor or SQLAlchemy result

    def rows(self, sql: str, **params: Any) -> list[Any]:
        return self._execute(sql, params).fetchall()

    def value(self, sql: str, **params: Any) -> Any:
        row = self._execute(sql, params).fetchone()
        return None if row is None else row[0]

    def run(self, sql: str, **params: Any) -> int:
        cursor: _Cursor = self._execute(sql, params)
        return cursor.rowcount


def sqlite_path(url: str) -> str:
    """The file of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL."""
    scheme, sep, rest = url.partition("://")
    path = rest[1:] if rest.startswith("/") else rest
    if scheme not in ("sqlite", "sqlite+pysqlite") or not sep or "?" in path:
        raise StoreError(f"Not a SQLite file URL: {url!r} (expected sqlite:///path/to/file).")
    if path in ("", ":memory:"):
        raise StoreError("An in-memory SQLite database would lose every workbook; give a file.")
    return path


def create_private_file(path: str) -> None:
    """Create a new database file readable by its owner only (0600).

    SQLite would create it 0644 (readable by every account on the machine); an empty file is
    an empty database to SQLite, and its ``-wal`` and ``-shm`` files take the same mode. An
    existing file is left as it is (``mentoring-mosaic room`` and ``start`` tighten it).
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except (FileExistsError, FileNotFoundError):  # exists, or no folder: sqlite3 says so
        return
    os.close(fd)


class _Sqlite:
    """The embedded default: the standard library's sqlite3 with a small connection pool."""

    KEEP_IDLE = 4

    def __init__(self, path: str) -> None:
        self.path = path
        create_private_file(path)
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        with self.transaction(write=False) as conn:
            found = conn.value(
                "SELECT count(*) FROM sqlite_master WHERE name IN "
                "('participants', 'sections', 'people', 'backups', 'ix_backups_participant_key')"
            )
        if found != len(SQLITE_SCHEMA):
            with self.transaction(write=True) as conn:
                for statement in SQLITE_SCHEMA:
                    conn.run(statement)

    def _open(self) -> sqlite3.Connection:
        raw = sqlite3.connect(
            self.path, timeout=30, isolation_level=None, check_same_thread=False
        )  # isolation_level=None: we issue BEGIN ourselves
        for pragma in SQLITE_PRAGMAS:
            raw.execute(pragma)
        return raw

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[_Conn]:
        """A transaction on a pooled connection; writers take the write lock at BEGIN."""
        with self._lock:
            raw = self._idle.pop() if self._idle else None
        raw = raw or self._open()
        try:
            raw.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield _Conn(raw.execute)
            raw.execute("COMMIT" if write else "ROLLBACK")
        except BaseException:
            try:
                raw.rollback()
            finally:
                raw.close()
            raise
        with self._lock:
            if len(self._idle) < self.KEEP_IDLE:
                self._idle.append(raw)
                return
        raw.close()

    def dispose(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for raw in idle:
            raw.close()


class _SqlAlchemy:
    """PostgreSQL (or any other SQLAlchemy URL) through a SQLAlchemy engine."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, text

        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        self._text = text
        schema().create_all(self.engine, checkfirst=True)

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[_Conn]:
        """``engine.begin()`` for writes (commits on success), ``connect()`` for reads."""
        with self.engine.begin() if write else self.engine.connect() as conn:
            yield _Conn(lambda sql, params: self._run(conn, sql, params))

    def _run(self, conn: Connection, sql: str, params: dict[str, Any]) -> Any:
        return conn.execute(self._text(sql), params)

    def dispose(self) -> None:
        self.engine.dispose()


class Store:
    """Workbooks in a SQL database (SQLite file or PostgreSQL)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.is_sqlite = self.url.startswith("sqlite")
        if self.url.startswith("postgresql://"):
            self.url = "postgresql+psycopg://" + self.url[len("postgresql://") :]
        self._db: _Sqlite | _SqlAlchemy
        if self.is_sqlite:
            self._db = _Sqlite(sqlite_path(self.url))
        else:
            self._db = _SqlAlchemy(self.url)
            self.engine = self._db.engine
            """The SQLAlchemy engine (PostgreSQL only)."""
        self._give_ids()

    def _write(self) -> Any:
        return self._db.transaction(write=True)

    def _read(self) -> Any:
        return self._db.transaction(write=False)

    def _touch(self, conn: _Conn, key: str, now: float, is_demo: bool = False) -> None:
        conn.run(_TOUCH, key=key, now=now, is_demo=int(is_demo))
        self._ensure_id(conn, key, now)

    @staticmethod
    def _ensure_id(conn: _Conn, key: str, now: float, workbook_id: str | None = None) -> None:
        """Give a participant a workbook id unless it has one (an existing id is kept)."""
        data = json.dumps({"workbook_id": workbook_id or new_workbook_id()})
        conn.run(_ENSURE_ID, key=key, data=data, now=now)

    def _give_ids(self) -> None:
        """Participants stored before workbooks had ids get one, once, when a store opens."""
        with self._read() as conn:
            missing = [key for (key,) in conn.rows(_WITHOUT_ID)]
        if missing:
            now = time.time()
            with self._write() as conn:
                for key in missing:
                    self._ensure_id(conn, key, now)

    # -- participants --------------------------------------------------------------
    def create_participant(self, key: str | None = None, *, is_demo: bool = False) -> str:
        """Register a participant (a new random key unless one is given)."""
        key = check_key(key or new_key())
        with self._write() as conn:
            self._touch(conn, key, time.time(), is_demo)
        return key

    def exists(self, key: str) -> bool:
        """Whether a workbook is stored under this key."""
        with self._read() as conn:
            return conn.value(_EXISTS, key=key) is not None

    def participants(self) -> list[ParticipantInfo]:
        """Every stored participant, most recently updated first."""
        with self._read() as conn:
            rows = conn.rows(_PARTICIPANTS)
        out = []
        for key, created_at, updated_at, is_demo, data in rows:
            name = ""
            if data:
                try:
                    name = json.loads(data).get("display_name", "")
                except (ValueError, AttributeError):
                    name = ""
            out.append(ParticipantInfo(key, _ts(created_at), _ts(updated_at), name, bool(is_demo)))
        return out

    def updated_at(self, key: str) -> datetime | None:
        """When anything in this workbook last changed, or None if it is not stored."""
        with self._read() as conn:
            value = conn.value(_UPDATED_AT, key=key)
        return _ts(value) if value is not None else None

    def delete_participant(self, key: str) -> None:
        """Remove a workbook entirely."""
        with self._write() as conn:
            for table in _PARTICIPANT_TABLES:
                conn.run(f"DELETE FROM {table} WHERE participant_key = :key", key=key)
            conn.run('DELETE FROM participants WHERE "key" = :key', key=key)

    # -- reading -------------------------------------------------------------------
    def load(self, key: str) -> Workbook:
        """The stored workbook; an empty one if nothing was saved yet."""
        check_key(key)
        with self._read() as conn:
            return self._load(conn, key)

    def _load(self, conn: _Conn, key: str) -> Workbook:
        data: dict[str, Any] = {}
        for name, raw in conn.rows(_SECTIONS, key=key):
            if name in SECTION_ADAPTERS:
                data[name] = json.loads(raw)
            elif name == IDENTITY:
                data["workbook_id"] = json.loads(raw)["workbook_id"]
        data["people"] = [json.loads(raw) for (raw,) in conn.rows(_PEOPLE, key=key)]
        stamp = conn.value(_UPDATED_AT, key=key)
        if stamp is not None:
            data["updated_at"] = _ts(stamp).isoformat()
        return Workbook.model_validate(data)

    def load_section(self, key: str, name: str) -> Any:
        """One stored section (its default when nothing was saved yet)."""
        check_key(key)
        if name not in SECTION_ADAPTERS:
            raise StoreError(f"Unknown workbook section {name!r}.")
        with self._read() as conn:
            data = conn.value(_SECTION, key=key, name=name)
        if data is None:
            return getattr(Workbook(), name)
        return SECTION_ADAPTERS[name].validate_python(json.loads(data))

    def load_all(self, *, include_demo: bool = False) -> Iterator[tuple[str, Workbook]]:
        """Every stored workbook (for the facilitator's cohort view)."""
        query = 'SELECT "key" FROM participants'
        if not include_demo:
            query += " WHERE is_demo = 0"
        with self._read() as conn:
            keys = [key for (key,) in conn.rows(query + ' ORDER BY "key"')]
            for key in keys:
                yield key, self._load(conn, key)

    # -- writing -------------------------------------------------------------------
    def save_section(self, key: str, name: str, value: Any) -> float:
        """Validate and store one section; returns the save time (epoch seconds)."""
        check_key(key)
        if name not in SECTION_ADAPTERS:
            raise StoreError(f"Unknown workbook section {name!r}.")
        adapter = SECTION_ADAPTERS[name]
        payload = json.dumps(adapter.dump_python(adapter.validate_python(value), mode="json"))
        now = time.time()
        with self._write() as conn:
            self._touch(conn, key, now)
            conn.run(_SAVE_SECTION, key=key, name=name, data=payload, now=now)
        return now

    def save_person(self, key: str, person: Person) -> float:
        """Insert or update one person; new people go to the end of the list."""
        check_key(key)
        person = Person.model_validate(person)
        payload = json.dumps(person.model_dump(mode="json"))
        now = time.time()
        with self._write() as conn:
            self._touch(conn, key, now)
            ids = {"key": key, "person_id": person.id}
            if not conn.run(_UPDATE_PERSON, data=payload, now=now, **ids):
                if conn.value(_COUNT_PEOPLE, key=key) >= MAX_PEOPLE:
                    raise StoreError(f"A mosaic can hold at most {MAX_PEOPLE} people.")
                seq = conn.value(_LAST_SEQ, key=key) + 1
                conn.run(_INSERT_PERSON, seq=seq, data=payload, now=now, **ids)
        return now

    def delete_person(self, key: str, person_id: str) -> float:
        """Remove one person from the mosaic."""
        check_key(key)
        now = time.time()
        with self._write() as conn:
            self._touch(conn, key, now)
            conn.run(_DELETE_PERSON, key=key, person_id=person_id)
        return now

    def save_workbook(
        self, key: str, workbook: Workbook, *, reason: str = "replaced", is_demo: bool = False
    ) -> float:
        """Replace a whole workbook in one transaction, keeping a backup of the old one."""
        check_key(key)
        workbook = Workbook.model_validate(workbook)
        now = time.time()
        with self._write() as conn:
            if conn.value(_EXISTS, key=key) is not None:
                old = self._load(conn, key)
                conn.run(
                    _INSERT_BACKUP,
                    key=key,
                    now=now,
                    reason=reason[:200],
                    data=old.model_dump_json(),
                )
                conn.run(_PRUNE_BACKUPS, key=key, keep=KEEP_BACKUPS)
            self._touch(conn, key, now, is_demo)
            conn.run("DELETE FROM sections WHERE participant_key = :key", key=key)
            conn.run("DELETE FROM people WHERE participant_key = :key", key=key)
            for name, adapter in SECTION_ADAPTERS.items():
                value = getattr(workbook, name)
                payload = json.dumps(adapter.dump_python(value, mode="json"))
                conn.run(_INSERT_SECTION, key=key, name=name, data=payload, now=now)
            self._ensure_id(conn, key, now, workbook.workbook_id)  # the workbook's own id
            for seq, person in enumerate(workbook.people, start=1):
                conn.run(
                    _INSERT_PERSON,
                    key=key,
                    person_id=person.id,
                    seq=seq,
                    data=person.model_dump_json(),
                    now=now,
                )
        return now

    def latest_backup(self, key: str) -> Workbook | None:
        """The workbook as it was before the last full replacement (undo for 'resume')."""
        with self._read() as conn:
            data = conn.value(_LATEST_BACKUP, key=key)
        if data is None:
            return None
        from .migrations import migrate  # a backup taken before the last schema change

        return Workbook.model_validate(migrate(json.loads(data)))

    def dispose(self) -> None:
        """Close pooled connections (tests and short-lived commands)."""
        self._db.dispose()


__all__ = [
    "DEFAULT_KEY",
    "SECTIONS",
    "ParticipantInfo",
    "Store",
    "StoreError",
    "UnknownParticipant",
    "check_key",
    "data_home",
    "default_url",
    "new_key",
    "schema",
]
