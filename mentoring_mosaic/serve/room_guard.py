"""The room's bounds, inside the Voilà server of ``mentoring-mosaic room``.

- **Ready kernels.** Voilà's preheated pool hands a page's request to a waiting kernel through
  ``/voila/query/<kernel>``; :class:`RequestInfo` adds the page's address to it (a pooled
  kernel's own ``VOILA_REQUEST_URL`` is the previous visitor's) and tells the guard which page
  got which kernel.
- **One live kernel per participant key.** When a private link opens again (another tab, a
  phone), the older page is covered with a plain message ("your work continues in the other
  tab") and its kernel stops a moment later: two pages never save over each other, and one
  person reloading cannot pile up kernels.
- **A cap on pages.** Beyond ``--max-participants`` open pages, a new page gets "The room is
  full — please ask the facilitator" (HTTP 503, a real page). The facilitator's own links and
  a participant re-opening their link (it replaces their page) always get in.
- **Idle pages are reclaimed** after ``--idle-minutes`` with no use, even while connected: the
  page says so, and the next click (or a reload) opens the same workbook again. Answers are
  saved as they are typed, so nothing is lost.
- **Widget messages are bounded** per connection (:class:`LimitedChannels`): a size limit,
  a rate, and a number of widgets the browser may create, so one person cannot grow a kernel
  by hundreds of MB.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from ..session import REQUEST_URL_ENV
from . import room_pages
from .room_pages import is_start_request

ENV_MAX_PAGES = "MENTORING_MOSAIC_ROOM_MAX_PAGES"
ENV_IDLE_SECONDS = "MENTORING_MOSAIC_ROOM_IDLE_SECONDS"

ARRIVAL_GRACE_SECONDS = 90.0
"""A page's kernel is not culled before its page has connected: while the page is being sent
and for this long after. A ready kernel's last activity may be long past when its page comes,
and on a busy machine the browser took more than the 30-s cull time to load the page and
connect (seen at 25 arriving over a minute, load 15-27): the culler stopped the kernel and the
page showed a widget's text instead of the workbook."""

TAKEOVER_GRACE_SECONDS = 3.0
"""How long an old page shows its message before its kernel stops (the message must reach the
browser first)."""

MAX_MESSAGE_BYTES = 8 * 1024 * 1024
"""Largest widget message a page may send. A resume file is at most 5 MB and travels as one
binary buffer with a small header; anything bigger is refused in the browser before it is sent
(``tests/e2e/test_upload_size.py``), so only a modified page meets this limit."""

MESSAGES_PER_SECOND = 20.0
MESSAGE_BURST = 400
"""A page's messages come from clicks and typing (one update per key, a few per click): a fast
typist sends about 10 a second. The bucket lets a burst of 400 through (opening a stage asks
for every widget's state) and then 20 a second; more are dropped and logged."""

BYTES_PER_MINUTE = 64 * 1024 * 1024
"""Bytes a page may send per minute: a dozen full-size resume files, never hundreds of MB."""

MAX_BROWSER_WIDGETS = 20
"""Widgets a page may create from the browser side (``comm_open``). Our pages create theirs
in the kernel; the browser opens one or two control channels. Each browser-made widget grows
the kernel, so beyond this they are ignored."""

log = logging.getLogger("mentoring_mosaic.room")

_admission: contextvars.ContextVar[Admission | None] = contextvars.ContextVar(
    "mm_admission", default=None
)
_request_url: contextvars.ContextVar[str] = contextvars.ContextVar("mm_request_url", default="")

GUARD: RoomGuard | None = None
"""The running room's guard (``None`` outside a room: ``start`` has no bounds)."""


def _first(query: str, name: str) -> str:
    return (parse_qs(query).get(name) or [""])[0]


@dataclass
class Admission:
    """A page request let in and not yet holding a kernel (it counts towards the cap)."""

    counted: bool = False
    kernel_id: str = ""


class RoomGuard:
    """Which page holds which kernel; the cap, the takeover and the idle reclaim."""

    def __init__(
        self,
        kernel_manager: Any,
        *,
        max_pages: int = 0,
        idle_seconds: float = 0,
        facilitator_key: str = "",
    ) -> None:
        self.km = kernel_manager
        self.max_pages = max_pages
        self.idle_seconds = idle_seconds
        self.facilitator_key = facilitator_key
        self.pages: dict[str, str] = {}  # kernel id -> participant key ("" when none)
        self.owner: dict[str, str] = {}  # participant key -> the kernel of their page
        self.stopping: set[str] = set()
        self.visited: dict[str, float] = {}  # kernel id -> its page came / was all sent
        self.sending: set[str] = set()  # kernels whose page is still being sent
        self.connected: set[str] = set()  # kernels whose page connected at least once
        self.pending = 0
        self._tasks: set[asyncio.Future] = set()

    @classmethod
    def from_environment(cls, kernel_manager: Any) -> RoomGuard:
        """The guard with the room command's settings (``--max-participants``,
        ``--idle-minutes``), passed through the server's environment."""
        return cls(
            kernel_manager,
            max_pages=int(os.environ.get(ENV_MAX_PAGES, "0") or 0),
            idle_seconds=float(os.environ.get(ENV_IDLE_SECONDS, "0") or 0),
            facilitator_key=os.environ.get("MENTORING_MOSAIC_FACILITATOR_KEY", ""),
        )

    # -- the cap -------------------------------------------------------------------------
    def live_pages(self) -> int:
        """Pages holding a kernel now (kernels being stopped no longer count)."""
        running = set(self.km.list_kernel_ids())
        for kernel_id in [k for k in self.pages if k not in running]:
            self.forget(kernel_id)
        return len(set(self.pages) - self.stopping)

    def _is_facilitator(self, query: str) -> bool:
        given = _first(query, "fkey")
        return bool(self.facilitator_key and given) and hmac.compare_digest(
            given.encode(), self.facilitator_key.encode()
        )

    def admit(self, query: str) -> Admission | None:
        """Let a page in, or ``None`` when the room is full."""
        key = _first(query, "key")
        replaces = bool(key) and key in self.owner  # the same link again: takes its place
        if (
            self.max_pages > 0
            and not replaces
            and not self._is_facilitator(query)
            and self.live_pages() + self.pending >= self.max_pages
        ):
            log.warning("room full: %s pages open, a page was turned away", self.max_pages)
            return None
        self.pending += 1
        admission = Admission()
        _admission.set(admission)
        return admission

    def release(self, admission: Admission) -> None:
        """The page request ended; if it never got a kernel it no longer counts."""
        if not admission.counted:
            admission.counted = True
            self.pending -= 1
        if admission.kernel_id in self.visited:
            self.visited[admission.kernel_id] = time.monotonic()  # the page is all sent
            self.sending.discard(admission.kernel_id)

    # -- which page holds which kernel ----------------------------------------------------
    def visit(self, kernel_id: str, query: str) -> None:
        """A page's request reached ``kernel_id``; an older page of the same key is stopped."""
        admission = _admission.get()
        if admission is not None:
            admission.kernel_id = kernel_id
            if not admission.counted:
                admission.counted = True
                self.pending -= 1
        key = _first(query, "key")
        self.pages[kernel_id] = key
        self.visited[kernel_id] = time.monotonic()
        if admission is not None:
            self.sending.add(kernel_id)
        if not key:
            return
        previous = self.owner.get(key)
        self.owner[key] = kernel_id
        if previous and previous != kernel_id and previous in self.pages:
            log.info("private link opened again: its older page %s stops", previous)
            self.stop(previous, "taken_over", grace=TAKEOVER_GRACE_SECONDS)

    def forget(self, kernel_id: str) -> None:
        key = self.pages.pop(kernel_id, None)
        self.visited.pop(kernel_id, None)
        self.connected.discard(kernel_id)
        self.sending.discard(kernel_id)
        self.stopping.discard(kernel_id)
        if key and self.owner.get(key) == kernel_id:
            del self.owner[key]

    # -- stopping a page with a message -------------------------------------------------------
    def stop(self, kernel_id: str, kind: str, *, grace: float = 1.0) -> None:
        """Show the page's notice (``page_notice``), then stop its kernel."""
        if kernel_id in self.stopping:
            return
        self.stopping.add(kernel_id)
        task = asyncio.ensure_future(self._stop(kernel_id, kind, grace))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _stop(self, kernel_id: str, kind: str, grace: float) -> None:
        code = (
            "from mentoring_mosaic.widgets.room_start import page_notice as _mm_notice\n"
            f"_mm_notice({kind!r}, {self.idle_seconds!r})\n"
            "del _mm_notice\n"
        )
        try:
            if await run_in_kernel(self.km, kernel_id, code):
                await asyncio.sleep(grace)
        except Exception:  # the page may be gone already: stop the kernel anyway
            log.debug("no notice for %s", kernel_id, exc_info=True)
        try:
            if kernel_id in self.km:
                await _maybe_await(self.km.shutdown_kernel(kernel_id))
        except Exception:
            log.warning("could not stop kernel %s", kernel_id, exc_info=True)
        finally:
            self.forget(kernel_id)

    def still_arriving(self, kernel_id: str) -> bool:
        """The page of this kernel has not connected yet, and may still (not to be culled)."""
        arrived = self.visited.get(kernel_id)
        if arrived is None or kernel_id in self.connected:
            return False
        return kernel_id in self.sending or time.monotonic() - arrived < ARRIVAL_GRACE_SECONDS

    def reclaim_idle(self) -> None:
        """Stop pages nobody used for ``idle_seconds`` (called every few seconds)."""
        if self.idle_seconds <= 0:
            return
        from jupyter_server._tz import utcnow

        now, clock = utcnow(), time.monotonic()
        for kernel_id in list(self.pages):
            if kernel_id in self.stopping:
                continue
            try:
                kernel = self.km.get_kernel(kernel_id)
            except KeyError:
                self.forget(kernel_id)
                continue
            last = getattr(kernel, "last_activity", None)
            # a ready kernel may have waited in the pool for an hour: count from its visit
            since_visit = clock - self.visited.get(kernel_id, clock)
            if (
                last is not None
                and (now - last).total_seconds() > self.idle_seconds
                and since_visit > self.idle_seconds
            ):
                log.info("page %s unused for %.0f s: paused", kernel_id, self.idle_seconds)
                self.stop(kernel_id, "idle")

    def check_interval_ms(self) -> float:
        """How often :meth:`reclaim_idle` runs: a tenth of the idle time, 2 s to 60 s."""
        return 1000 * min(60.0, max(2.0, self.idle_seconds / 10))


async def _maybe_await(value: Any) -> Any:
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


async def run_in_kernel(km: Any, kernel_id: str, code: str, timeout: float = 15) -> bool:
    """Run our own code in a page's kernel (the server's client, not the page's socket,
    which may send only widget messages). True when the kernel answered."""
    client = km.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        msg_id = client.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = await client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply.get("content", {}).get("status") == "ok"
        return False
    finally:
        client.stop_channels()


# -- Voilà pieces ------------------------------------------------------------------------------
def request_info_class() -> type:
    """Voilà's ``/voila/query`` handler, with the page's address in what a pooled kernel
    receives and the guard told which page got which kernel."""
    from voila.request_info_handler import RequestInfoSocketHandler

    class RequestInfo(RequestInfoSocketHandler):  # type: ignore[misc]
        @classmethod
        def send_updates(cls, msg: dict) -> None:
            payload = {**msg["payload"], REQUEST_URL_ENV: _request_url.get()}
            if GUARD is not None:
                GUARD.visit(msg["kernel_id"], payload.get("QUERY_STRING", ""))
            RequestInfoSocketHandler.send_updates({**msg, "payload": payload})
            # kept as well: a kernel whose connection dropped before the request reached it
            # connects again (``session.wait_for_page_request``) and gets it then
            RequestInfoSocketHandler._cache[msg["kernel_id"]] = payload

    return RequestInfo


def kernel_manager_class() -> type:
    """The kernel manager Voilà builds on (and wraps in its pool): it tells the guard about
    kernels started for a page directly (the pool was empty) and about every stopped kernel,
    whoever stopped it (the page's unload, the culler, the guard)."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    class RoomKernelManager(AsyncMappingKernelManager):  # type: ignore[misc]
        async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
            kernel_id = await super().start_kernel(*args, **kwargs)
            env = kwargs.get("env") or {}
            if GUARD is not None and env.get("VOILA_PREHEAT") == "False":
                GUARD.visit(kernel_id, env.get("QUERY_STRING", ""))
            return kernel_id

        async def cull_kernel_if_idle(self, kernel_id: str) -> Any:
            if GUARD is not None and GUARD.still_arriving(kernel_id):
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            try:
                return await super().shutdown_kernel(kernel_id, *args, **kwargs)
            finally:
                if GUARD is not None:
                    GUARD.forget(kernel_id)
                from voila.request_info_handler import RequestInfoSocketHandler

                RequestInfoSocketHandler._cache.pop(kernel_id, None)

    return RoomKernelManager


def page_handler_class() -> type:
    """Voilà's page handler, plus what a page needs before its kernel:

    - the ``_xsrf`` cookie, so that the page's unload request may stop its kernel (Voilà
      never sets it; a ``prelaunch_hook`` did that before, but Voilà refuses one together
      with ready kernels);
    - in a room: the start page and its private links without a kernel
      (:class:`.room_pages.StartPages`), the room's cap (a friendly 503 page) and the page's
      address for a pooled kernel.
    """
    import tornado.web
    from tornado.ioloop import IOLoop
    from voila.tornado.handler import TornadoVoilaHandler

    class MosaicPageHandler(TornadoVoilaHandler):  # type: ignore[misc]
        def _plain(self, html: str, status: int = 200) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(html)

        @tornado.web.authenticated
        async def get(self, path: str | None = None) -> None:
            _ = self.xsrf_token  # tornado sets the cookie on first access
            _request_url.set(self.request.full_url())
            if GUARD is None:
                return await super().get(path)
            query = self.request.query
            if not path and is_start_request(query):  # the room's own address only
                start = room_pages.START
                html = await IOLoop.current().run_in_executor(
                    None, start.page, query, self.request.full_url(), self.xsrf_form_html()
                )
                return self._plain(html)
            admission = GUARD.admit(query)
            if admission is None:
                self.set_header("Retry-After", "60")
                return self._plain(room_pages.room_full_page(query, GUARD.max_pages), 503)
            try:
                return await super().get(path)
            finally:
                GUARD.release(admission)

        @tornado.web.authenticated
        async def post(self, path: str | None = None) -> None:
            """The start page's button (tornado has checked its ``_xsrf`` field)."""
            if GUARD is None or path or not is_start_request(self.request.query):
                raise tornado.web.HTTPError(405)
            key = await IOLoop.current().run_in_executor(
                None, room_pages.START.new_participant
            )
            self.redirect(room_pages.START.after_post(key), status=303)

    return MosaicPageHandler


def channels_class() -> type:
    """The kernel websocket of a page, with :data:`MESSAGES_PER_SECOND`,
    :data:`BYTES_PER_MINUTE` and :data:`MAX_BROWSER_WIDGETS` (size: :data:`MAX_MESSAGE_BYTES`,
    enforced by tornado)."""
    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection,
    )

    class LimitedChannels(ZMQChannelsWebsocketConnection):  # type: ignore[misc]
        def connect(self) -> Any:
            if GUARD is not None:
                GUARD.connected.add(self.kernel_id)
            return super().connect()

        def handle_incoming_message(self, incoming_msg: Any) -> None:
            limits = self.__dict__.setdefault("_mm_limits", MessageBudget())
            reason = limits.take(len(incoming_msg), _msg_type(incoming_msg))
            if reason:
                if limits.should_log():
                    self.log.warning("page of kernel %s: %s; ignored", self.kernel_id, reason)
                return
            super().handle_incoming_message(incoming_msg)

    return LimitedChannels


def _msg_type(raw: Any) -> str:
    """The message type of a websocket frame (v1 binary protocol, or JSON)."""
    try:
        if isinstance(raw, bytes):
            count = int.from_bytes(raw[:8], "little")
            if not 2 < count < 64:  # a handful of parts; never loop over a forged count
                return ""
            offsets = [int.from_bytes(raw[8 * (i + 1) : 8 * (i + 2)], "little")
                       for i in range(count)]
            header = json.loads(raw[offsets[1] : offsets[2]])
        else:
            header = json.loads(raw).get("header") or {}
        return str(header.get("msg_type", ""))
    except Exception:
        return ""


class MessageBudget:
    """Per-connection budget of widget messages: a rate, bytes per minute, browser widgets."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self.clock = clock
        self.tokens = float(MESSAGE_BURST)
        self.last = clock()
        self.window_start = self.last
        self.window_bytes = 0
        self.widgets = 0
        self.dropped = 0
        self._logged = -1e9

    def take(self, size: int, msg_type: str) -> str:
        """``""`` if the message may pass, else why not."""
        now = self.clock()
        self.tokens = min(MESSAGE_BURST, self.tokens + (now - self.last) * MESSAGES_PER_SECOND)
        self.last = now
        if now - self.window_start >= 60:
            self.window_start, self.window_bytes = now, 0
        reason = ""
        if self.tokens < 1:
            reason = f"more than {MESSAGES_PER_SECOND:.0f} messages a second"
        elif self.window_bytes + size > BYTES_PER_MINUTE:
            reason = f"more than {BYTES_PER_MINUTE // 1_048_576} MB in a minute"
        elif msg_type == "comm_open" and self.widgets >= MAX_BROWSER_WIDGETS:
            reason = f"more than {MAX_BROWSER_WIDGETS} widgets made by the browser"
        if reason:
            self.dropped += 1
            return reason
        self.tokens -= 1
        self.window_bytes += size
        if msg_type == "comm_open":
            self.widgets += 1
        return ""

    def should_log(self) -> bool:
        """Log a dropped message at most every 10 s per page."""
        now = self.clock()
        if now - self._logged >= 10:
            self._logged = now
            return True
        return False
