"""Save and load workbooks, section by section and person by person.

Embedded SQLite by default (a file in the data folder); the same code talks to PostgreSQL
when ``MENTORING_MOSAIC_DB`` holds a database URL. Each write is one short transaction that
touches one section or one person, so two notebooks open on the same workbook never undo
each other's changes, and a killed kernel loses at most the edit in flight.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from .model import MAX_PEOPLE, SECTION_ADAPTERS, SECTIONS, Person, Workbook

DEFAULT_KEY = "default"
"""The one participant of a Binder container or a local install."""

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

metadata = MetaData()

participants = Table(
    "participants",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("is_demo", Integer, nullable=False, default=0),
)

sections = Table(
    "sections",
    metadata,
    Column("participant_key", String(64), primary_key=True),
    Column("name", String(32), primary_key=True),
    Column("data", Text, nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("updated_at", Float, nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("participant_key", String(64), primary_key=True),
    Column("person_id", String(200), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("updated_at", Float, nullable=False),
)

backups = Table(
    "backups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("participant_key", String(64), nullable=False, index=True),
    Column("taken_at", Float, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("data", Text, nullable=False),
)

_ADAPTERS = SECTION_ADAPTERS


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
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'workbooks.sqlite3'}"


def new_key() -> str:
    """A random, unguessable participant key (144 bits)."""
    return secrets.token_urlsafe(18)


def check_key(key: str) -> str:
    """Refuse keys that could not have come from us (and keep them out of SQL and URLs)."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise StoreError("That participant key is not valid: letters, digits, - and _ only.")
    return key


def _ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL and a busy timeout let several kernels share one file safely."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """Workbooks in a SQL database (SQLite file or PostgreSQL)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        is_sqlite = self.url.startswith("sqlite")
        if self.url.startswith("postgresql://"):
            self.url = "postgresql+psycopg://" + self.url[len("postgresql://") :]
        kwargs: dict[str, Any] = {"future": True}
        if is_sqlite:
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(self.url, **kwargs)
        self.is_sqlite = is_sqlite
        if is_sqlite:
            _sqlite_pragmas(self.engine)
        metadata.create_all(self.engine, checkfirst=True)

    # -- dialect-specific upsert --------------------------------------------------
    def _insert(self, table: Table) -> Any:
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(table)

    def _touch(self, conn: Connection, key: str, now: float, is_demo: bool = False) -> None:
        stmt = self._insert(participants).values(
            key=key, created_at=now, updated_at=now, is_demo=int(is_demo)
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[participants.c.key], set_={"updated_at": now}
        )
        conn.execute(stmt)

    # -- participants --------------------------------------------------------------
    def create_participant(self, key: str | None = None, *, is_demo: bool = False) -> str:
        """Register a participant (a new random key unless one is given)."""
        key = check_key(key or new_key())
        with self.engine.begin() as conn:
            self._touch(conn, key, time.time(), is_demo)
        return key

    def exists(self, key: str) -> bool:
        """Whether a workbook is stored under this key."""
        with self.engine.connect() as conn:
            row = conn.execute(select(participants.c.key).where(participants.c.key == key))
            return row.first() is not None

    def participants(self) -> list[ParticipantInfo]:
        """Every stored participant, most recently updated first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(participants, sections.c.data)
                .select_from(
                    participants.outerjoin(
                        sections,
                        (sections.c.participant_key == participants.c.key)
                        & (sections.c.name == "profile"),
                    )
                )
                .order_by(participants.c.updated_at.desc())
            ).all()
        out = []
        for row in rows:
            name = ""
            if row.data:
                try:
                    name = json.loads(row.data).get("display_name", "")
                except (ValueError, AttributeError):
                    name = ""
            out.append(
                ParticipantInfo(
                    row.key, _ts(row.created_at), _ts(row.updated_at), name, bool(row.is_demo)
                )
            )
        return out

    def updated_at(self, key: str) -> datetime | None:
        """When anything in this workbook last changed, or None if it is not stored."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(participants.c.updated_at).where(participants.c.key == key)
            ).scalar()
        return _ts(value) if value is not None else None

    def delete_participant(self, key: str) -> None:
        """Remove a workbook entirely."""
        with self.engine.begin() as conn:
            for table in (sections, people, backups):
                conn.execute(delete(table).where(table.c.participant_key == key))
            conn.execute(delete(participants).where(participants.c.key == key))

    # -- reading -------------------------------------------------------------------
    def load(self, key: str) -> Workbook:
        """The stored workbook; an empty one if nothing was saved yet."""
        check_key(key)
        with self.engine.connect() as conn:
            return self._load(conn, key)

    def _load(self, conn: Connection, key: str) -> Workbook:
        data: dict[str, Any] = {}
        for row in conn.execute(
            select(sections.c.name, sections.c.data).where(sections.c.participant_key == key)
        ):
            if row.name in _ADAPTERS:
                data[row.name] = json.loads(row.data)
        data["people"] = [
            json.loads(row.data)
            for row in conn.execute(
                select(people.c.data)
                .where(people.c.participant_key == key)
                .order_by(people.c.seq, people.c.person_id)
            )
        ]
        stamp = conn.execute(
            select(participants.c.updated_at).where(participants.c.key == key)
        ).scalar()
        if stamp is not None:
            data["updated_at"] = _ts(stamp).isoformat()
        return Workbook.model_validate(data)

    def load_section(self, key: str, name: str) -> Any:
        """One stored section (its default when nothing was saved yet)."""
        check_key(key)
        if name not in _ADAPTERS:
            raise StoreError(f"Unknown workbook section {name!r}.")
        with self.engine.connect() as conn:
            data = conn.execute(
                select(sections.c.data).where(
                    (sections.c.participant_key == key) & (sections.c.name == name)
                )
            ).scalar()
        if data is None:
            return getattr(Workbook(), name)
        return _ADAPTERS[name].validate_python(json.loads(data))

    def load_all(self, *, include_demo: bool = False) -> Iterator[tuple[str, Workbook]]:
        """Every stored workbook (for the facilitator's cohort view)."""
        query = select(participants.c.key)
        if not include_demo:
            query = query.where(participants.c.is_demo == 0)
        with self.engine.connect() as conn:
            keys = [r.key for r in conn.execute(query.order_by(participants.c.key))]
            for key in keys:
                yield key, self._load(conn, key)

    # -- writing -------------------------------------------------------------------
    def save_section(self, key: str, name: str, value: Any) -> float:
        """Validate and store one section; returns the save time (epoch seconds)."""
        check_key(key)
        if name not in _ADAPTERS:
            raise StoreError(f"Unknown workbook section {name!r}.")
        adapter = _ADAPTERS[name]
        payload = json.dumps(adapter.dump_python(adapter.validate_python(value), mode="json"))
        now = time.time()
        with self.engine.begin() as conn:
            self._touch(conn, key, now)
            stmt = self._insert(sections).values(
                participant_key=key, name=name, data=payload, revision=1, updated_at=now
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=[sections.c.participant_key, sections.c.name],
                set_={
                    "data": payload,
                    "updated_at": now,
                    "revision": sections.c.revision + 1,
                },
            )
            conn.execute(stmt)
        return now

    def save_person(self, key: str, person: Person) -> float:
        """Insert or update one person; new people go to the end of the list."""
        check_key(key)
        person = Person.model_validate(person)
        payload = json.dumps(person.model_dump(mode="json"))
        now = time.time()
        with self.engine.begin() as conn:
            self._touch(conn, key, now)
            changed = conn.execute(
                update(people)
                .where((people.c.participant_key == key) & (people.c.person_id == person.id))
                .values(data=payload, updated_at=now)
            ).rowcount
            if not changed:
                count = conn.execute(
                    select(func.count()).where(people.c.participant_key == key)
                ).scalar_one()
                if count >= MAX_PEOPLE:
                    raise StoreError(f"A mosaic can hold at most {MAX_PEOPLE} people.")
                seq = conn.execute(
                    select(func.coalesce(func.max(people.c.seq), 0)).where(
                        people.c.participant_key == key
                    )
                ).scalar_one()
                conn.execute(
                    people.insert().values(
                        participant_key=key,
                        person_id=person.id,
                        seq=seq + 1,
                        data=payload,
                        updated_at=now,
                    )
                )
        return now

    def delete_person(self, key: str, person_id: str) -> float:
        """Remove one person from the mosaic."""
        check_key(key)
        now = time.time()
        with self.engine.begin() as conn:
            self._touch(conn, key, now)
            conn.execute(
                delete(people).where(
                    (people.c.participant_key == key) & (people.c.person_id == person_id)
                )
            )
        return now

    def save_workbook(
        self, key: str, workbook: Workbook, *, reason: str = "replaced", is_demo: bool = False
    ) -> float:
        """Replace a whole workbook in one transaction, keeping a backup of the old one."""
        check_key(key)
        workbook = Workbook.model_validate(workbook)
        now = time.time()
        with self.engine.begin() as conn:
            if conn.execute(select(participants.c.key).where(participants.c.key == key)).first():
                old = self._load(conn, key)
                conn.execute(
                    backups.insert().values(
                        participant_key=key,
                        taken_at=now,
                        reason=reason[:200],
                        data=old.model_dump_json(),
                    )
                )
            self._touch(conn, key, now, is_demo)
            conn.execute(delete(sections).where(sections.c.participant_key == key))
            conn.execute(delete(people).where(people.c.participant_key == key))
            for name, adapter in _ADAPTERS.items():
                value = getattr(workbook, name)
                conn.execute(
                    sections.insert().values(
                        participant_key=key,
                        name=name,
                        data=json.dumps(adapter.dump_python(value, mode="json")),
                        revision=1,
                        updated_at=now,
                    )
                )
            for seq, person in enumerate(workbook.people, start=1):
                conn.execute(
                    people.insert().values(
                        participant_key=key,
                        person_id=person.id,
                        seq=seq,
                        data=person.model_dump_json(),
                        updated_at=now,
                    )
                )
        return now

    def latest_backup(self, key: str) -> Workbook | None:
        """The workbook as it was before the last full replacement (undo for 'resume')."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(backups.c.data)
                .where(backups.c.participant_key == key)
                .order_by(backups.c.id.desc())
                .limit(1)
            ).first()
        return Workbook.model_validate_json(row.data) if row else None

    def dispose(self) -> None:
        """Close pooled connections (tests and short-lived commands)."""
        self.engine.dispose()


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
]
