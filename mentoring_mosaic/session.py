"""One participant's open workbook: the single object every stage view reads and writes.

It keeps the workbook in memory, saves each change to the store as it is made (one section
or one person at a time) and tells listeners what changed. No widgets here, so the command
line and the tests drive the same code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit, urlunsplit

from .model import SECTION_ADAPTERS, SECTIONS, Person, Workbook
from .store import DEFAULT_KEY, Store, StoreError, check_key

Listener = Callable[[str], None]
"""Called with the name of what changed: a section name, ``"people"`` or ``"*"`` (all)."""


class PageRequest(NamedTuple):
    """What the browser asked for: the page's query string and full address."""

    query: str
    url: str

    def param(self, name: str) -> str:
        """The first value of ``?name=...`` (``""`` when absent)."""
        return (parse_qs(self.query, keep_blank_values=True).get(name) or [""])[0]


def room_base_url(request_url: str, public_url: str = "") -> str:
    """The address participants reach a room at (no query string): the facilitator's
    ``--public-url`` if given, else the address of this request, so a link works from the
    participant's own network."""
    given = public_url.strip()
    if given:
        return given if given.endswith("/") else given + "/"
    parts = urlsplit(request_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


REQUEST_URL_ENV = "MENTORING_MOSAIC_REQUEST_URL"
"""The page's address, as the room server hands it to a ready (pooled) kernel."""

_page_request: PageRequest | None = None


def page_request() -> PageRequest:
    """The request of the page this kernel serves: the only way to read ``?key=`` & co.

    A room keeps ready kernels (Voilà's preheated pool) that ran the app's imports before
    anyone asked for them; their environment holds no visitor, or the *previous* visitor's
    ``VOILA_REQUEST_URL``. In such a kernel this waits until the page's request arrives
    (``voila.utils.wait_for_request``), once. Everywhere else (Binder, ``start``, tests)
    Voilà put the request in the environment before the kernel started: read it as is.
    """
    global _page_request
    if _page_request is None:
        if os.environ.get("VOILA_PREHEAT", "False") == "True":
            wait_for_page_request()
            url = os.environ.get(REQUEST_URL_ENV, "")  # never the stale VOILA_REQUEST_URL
        else:
            url = os.environ.get("VOILA_REQUEST_URL", "")
        found = PageRequest(os.environ.get("QUERY_STRING", ""), url)
        if os.environ.get("VOILA_PREHEAT", "False") != "True":
            return found  # the environment may change (tests): read it each time
        _page_request = found
    return _page_request


def wait_for_page_request(retry_seconds: float = 1.0) -> None:
    """Wait in a ready kernel until the room server hands it a page's request.

    Voilà's ``wait_for_request`` gives up when the server does not answer its connection
    within 5 seconds, and the kernel then goes on as if the page had no address: a room that
    started 100 ready kernels on 2 cores gave 7 of them no request, and their participants
    saw "This page needs your private link". Here it tries again until the request (which
    always carries :data:`REQUEST_URL_ENV`, see ``serve/room_guard.py``) has arrived.
    """
    from voila.utils import wait_for_request  # only pooled kernels pay this import

    while REQUEST_URL_ENV not in os.environ:
        wait_for_request()
        if REQUEST_URL_ENV not in os.environ:
            time.sleep(retry_seconds)


def key_from_environment() -> str:
    """The participant key for this kernel.

    The room server's private links carry ``?key=...`` (read through :func:`page_request`).
    Without one, the single local/Binder participant.
    """
    key = page_request().param("key") or os.environ.get("MENTORING_MOSAIC_PARTICIPANT", "")
    return check_key(key) if key else DEFAULT_KEY


def room_mode() -> bool:
    """On a shared room server every participant must come with a key the server issued."""
    return os.environ.get("MENTORING_MOSAIC_ROOM", "") == "1"


class Session:
    """The open workbook of one participant, saved as it changes."""

    def __init__(self, store: Store | None = None, key: str | None = None) -> None:
        self.store = store or Store()
        self.key = check_key(key or key_from_environment())
        if room_mode() and not self.store.exists(self.key):
            raise StoreError(
                "This link does not match any participant on this server. "
                "Use the private link you were given, or ask the facilitator for a new one."
            )
        if not self.store.exists(self.key):
            self.store.create_participant(self.key)
        self.workbook: Workbook = self.store.load(self.key)
        self.last_saved: datetime | None = self.workbook.updated_at
        self._listeners: list[Listener] = []

    # -- listening ---------------------------------------------------------------
    def on_change(self, listener: Listener) -> None:
        """Call ``listener(what)`` after every change (from any view)."""
        self._listeners.append(listener)

    def _notify(self, what: str) -> None:
        for listener in list(self._listeners):
            listener(what)

    def _saved(self, stamp: float) -> None:
        self.last_saved = datetime.fromtimestamp(stamp, tz=UTC)
        # a download carries the last save time: the room keeps the latest copy of a workbook
        self.workbook.updated_at = self.last_saved

    # -- writing -----------------------------------------------------------------
    def update(self, section: str, value: Any) -> None:
        """Replace one section, save it, and tell the listeners."""
        if section not in SECTIONS:
            raise StoreError(f"Unknown workbook section {section!r}.")
        adapter = SECTION_ADAPTERS[section]
        value = adapter.validate_python(value)
        # Another page (another kernel) may have saved this section since we loaded it: keep
        # its changes to the parts this change leaves alone (e.g. the welcome page's name and
        # stage 1's "what will be new", both in ``profile``).
        base = adapter.dump_python(getattr(self.workbook, section), mode="json")
        mine = adapter.dump_python(value, mode="json")
        theirs = adapter.dump_python(self.store.load_section(self.key, section), mode="json")
        if theirs != base:
            value = adapter.validate_python(_merge(base, mine, theirs))
        stamp = self.store.save_section(self.key, section, value)
        setattr(self.workbook, section, value)
        self._saved(stamp)
        self._notify(section)

    def edit(self, section: str, change: Callable[[Any], Any | None]) -> None:
        """Apply ``change`` to a copy of a section, then save it.

        ``change`` may mutate the copy in place or return a new value.
        """
        current = getattr(self.workbook, section)
        copy = (
            current.model_copy(deep=True)
            if hasattr(current, "model_copy")
            else _deep_copy(current)
        )
        result = change(copy)
        self.update(section, copy if result is None else result)

    def save_person(self, person: Person) -> Person:
        """Add or update a person in the mosaic."""
        person = Person.model_validate(person)
        stamp = self.store.save_person(self.key, person)
        people = list(self.workbook.people)
        for i, existing in enumerate(people):
            if existing.id == person.id:
                people[i] = person
                break
        else:
            people.append(person)
        self.workbook.people = people
        self._saved(stamp)
        self._notify("people")
        return person

    def remove_person(self, person_id: str) -> None:
        """Remove a person, and the managing-up plan and ratings that belonged to them."""
        stamp = self.store.delete_person(self.key, person_id)
        self.workbook.people = [p for p in self.workbook.people if p.id != person_id]
        self._saved(stamp)
        if person_id in self.workbook.managing_up:
            plans = {k: v for k, v in self.workbook.managing_up.items() if k != person_id}
            self.update("managing_up", plans)
        if person_id in self.workbook.qualities.ratings:
            self.edit("qualities", lambda q: q.ratings.pop(person_id, None))
        self._notify("people")

    def replace(self, workbook: Workbook, *, reason: str = "resumed from a file") -> None:
        """Swap in a whole workbook (resume from a file); the old one is kept as a backup."""
        stamp = self.store.save_workbook(self.key, workbook, reason=reason)
        self.workbook = self.store.load(self.key)
        self._saved(stamp)
        self._notify("*")

    def reload(self) -> None:
        """Re-read everything from the store (another tab may have saved)."""
        self.workbook = self.store.load(self.key)
        self._notify("*")


_MISSING = object()


def _merge(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way merge of JSON data: ``mine`` changed ``base``; ``theirs`` is what is stored.

    What this page did not change keeps the stored value; what it changed wins. Objects
    merge key by key (keyed sections such as managing-up plans too); lists and plain values
    are taken whole.
    """
    if mine == base:
        return theirs
    if not (isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict)):
        return mine
    out = dict(theirs)
    for key in set(base) | set(mine):
        b, m = base.get(key, _MISSING), mine.get(key, _MISSING)
        if m is _MISSING:  # this page removed it
            out.pop(key, None)
        elif b is _MISSING:  # this page added it
            out[key] = m
        elif m != b:  # this page changed it
            t = theirs.get(key, _MISSING)
            out[key] = m if t is _MISSING else _merge(b, m, t)
    return out


def _deep_copy(value: Any) -> Any:
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if hasattr(value, "model_copy"):
        return value.model_copy(deep=True)
    return value


_shared: dict[str, Session] = {}


def shared_session() -> Session:
    """One session per kernel, so all stages of the one-page app share the same workbook."""
    key = key_from_environment()
    if key not in _shared:
        _shared[key] = Session(key=key)
    return _shared[key]


def facilitator_allowed() -> bool:
    """Whether this kernel may show facilitator views (the room's dashboard).

    Outside a room server the facilitator is the person at the keyboard. In a room, the
    page must carry ``?fkey=`` matching ``MENTORING_MOSAIC_FACILITATOR_KEY``.
    """
    if not room_mode():
        return True
    import hmac

    expected = os.environ.get("MENTORING_MOSAIC_FACILITATOR_KEY", "")
    given = page_request().param("fkey")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
