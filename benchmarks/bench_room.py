"""A room under load: 25, 50 and 100 participants against one ``mentoring-mosaic room``.

Run: ``.venv/bin/python benchmarks/bench_room.py [--sizes 25 50 100] [--arrivals 60 0]
[--browsers 4] [--cull-seconds 30]``

For each size and arrival spread a fresh room server starts (the real command, loopback only,
its own data folder and SQLite store, ``--expect`` set to the size, so it prepares a ready
kernel for each expected person: ``serve/room_pool.py``) and, once it says "The room is ready"
(as it has when a facilitator starts the room before people come), the participants arrive
evenly over ``--arrivals`` seconds (0: all in the same second) and each does what a
participant does in the first minutes of a session:

1. opens the room's start link and presses "Get my private link" (a page the server writes
   itself: no kernel);
2. opens the private link (the whole workshop app: a ready kernel, or a new one);
3. types a name on the welcome page (saved on change);
4. opens stage 1 in the app's stepper and writes "What will be new or hard for me" (saved);
5. opens stage 4, the mosaic editor (the heaviest view: ipycytoscape);
6. leaves.

Two kinds of participant do this at once:

- ``--browsers`` real pages: headless Chromium contexts driven by Playwright, exactly as a
  person would (clicks, typing, Tab). They measure what a person sees, including the
  browser-side rendering, and when a context closes its page sends Voilà's real unload beacon.
- everybody else speaks the widget protocol over the kernel websocket, as the page's
  JavaScript does: fetch the page (Voilà runs the notebook), ``comm_info_request``,
  ``request_state`` for every widget, then ``update`` messages for typed values and ``custom``
  click events for buttons, waiting for the kernel to go idle after each. On leaving they
  send the same unload beacon the page sends (``POST voila/api/shutdown/<kernel>`` with the
  ``_xsrf`` cookie) — except every second one, which vanishes from its workbook page without
  it (a phone that sleeps, a crashed browser), so that only the cull frees its kernel.
  A Chromium per participant would measure the browser, not the server: 50 of them on 2 cores
  would starve the server the benchmark is about.

Recorded per size: p50/p95 page time (start page: request to the private link shown; workbook
page: request to all widgets ready; browsers: to widgets drawn), p50/p95 save latency (update
sent → kernel idle, i.e. the section is in the store; browsers: Tab → the page shows the new
save time), stage-open time, errors, lost writes (every participant's name and stage-1 text are
read back from the store afterwards and compared), server memory (RSS of the room command,
Voilà and every kernel, sampled every second: peak and at the end), and kernels alive after the
participants leave (one browser page is kept open on purpose, so the target is 1 plus the
reserve of ready kernels the room keeps for latecomers), polled until the cull time
(``--cull-seconds``, default 30 here; the room's own default is 120) plus one cull interval and
a margin.

Targets (issue 15): arriving over 60 s, page p95 at most 5 s, 0 errors, 0 lost writes; all
in the same second, p95 at most 15 s.

Results: ``benchmarks/results/room-pool.json`` and ``benchmarks/results/room-pool.md``
(``--name`` changes the name), with the load average at the start and end of every run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fmt, machine, percentile, table, write_results  # noqa: E402

TOKEN = "bench-room-token-0123456789abcdef"
FKEY = "bench-facilitator-key-0123456789"
KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"')
KEY_IN_LINK = re.compile(r"key=([A-Za-z0-9_-]+)")
HEADING = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.S)
XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')
TIMEOUT = 300.0  # seconds for any one step: a loaded 2-core machine is slow, never endless
NAME_FIELD = "Your name (optional)"
NEW_FIELD = "What will be new or hard for me"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


T0 = time.perf_counter()
VERBOSE = False
TRACE = False


def log(who: str, what: str) -> None:
    if VERBOSE:
        print(f"{time.perf_counter() - T0:7.1f}s {who}: {what}", file=sys.stderr, flush=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the room server ---------------------------------------------------------------------------
@dataclass
class RoomServer:
    url: str
    proc: subprocess.Popen
    home: Path

    def link(self, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"token": TOKEN, **params}.items())
        return f"{self.url}?{query}"

    def processes(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def kernels(self) -> int:
        n = 0
        for p in self.processes():
            try:
                if "ipykernel_launcher" in " ".join(p.cmdline()):
                    n += 1
            except psutil.Error:
                continue
        return n

    def wait_warm(self, limit: float = 900) -> float:
        """Wait until the room's ready kernels have run the app's first cell: the pool is
        filled and the server and its kernels sit idle (under 25% of a core for 3 s)."""
        t0 = time.monotonic()
        log_path = self.home / "room.log"
        while time.monotonic() - t0 < limit:
            if "The room is ready: " in log_path.read_text(errors="replace"):
                break
            time.sleep(0.5)
        quiet = 0
        while time.monotonic() - t0 < limit and quiet < 3:
            procs = self.processes()
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    p.cpu_percent(None)
            time.sleep(1)
            busy = 0.0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    busy += p.cpu_percent(None)
            quiet = quiet + 1 if busy < 25 else 0
        return time.monotonic() - t0

    def rss_mb(self) -> float:
        total = 0
        for p in self.processes():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything left in its group


def start_room(cull_seconds: int, expect: int) -> RoomServer:
    home = Path(tempfile.mkdtemp(prefix="mm-bench-room-"))
    port = free_port()
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(home),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_FACILITATOR_KEY", "QUERY_STRING"):
        env.pop(var, None)
    log = (home / "room.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentoring_mosaic.serve.cli", "room", "--ip=127.0.0.1",
         f"--port={port}", f"--token={TOKEN}", f"--facilitator-key={FKEY}",
         f"--cull-seconds={cull_seconds}", f"--expect={expect}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                room = RoomServer(f"http://127.0.0.1:{port}/", proc, home)
                room.wait_warm()
                return room
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError((home / "room.log").read_text(errors="replace")[-2000:])


# -- one participant over the widget protocol -------------------------------------------------
@dataclass
class Result:
    who: str
    kind: str  # "protocol" or "browser"
    key: str = ""
    name: str = ""
    whats_new: str = ""
    page_s: list[float] = field(default_factory=list)  # start page, workbook page
    save_s: list[float] = field(default_factory=list)
    stage_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    finished: bool = False


class WidgetPage:
    """A Voilà page as its JavaScript sees it: the kernel's widgets over one websocket."""

    def __init__(self, room: RoomServer, url: str, http: requests.Session) -> None:
        self.room = room
        self.http = http
        # Voilà streams the page and sends a heartbeat while the notebook runs, forever if the
        # kernel died: a read timeout alone would never fire, so the whole page has a deadline
        deadline = time.monotonic() + TIMEOUT
        chunks: list[bytes] = []
        with http.get(url, timeout=TIMEOUT, stream=True) as response:
            response.raise_for_status()
            for chunk in response.iter_content(chunk_size=65536):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the page did not finish within {TIMEOUT:.0f} s")
        text = b"".join(chunks).decode("utf-8", "replace")
        match = KERNEL_ID.search(text)
        if not match:
            raise RuntimeError(f"no kernel in the page ({response.status_code})")
        self.kernel_id = match[1]
        ws_url = room.url.replace("http", "ws", 1) + (
            f"api/kernels/{self.kernel_id}/channels?token={TOKEN}"
        )
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        self.ws = websocket.create_connection(ws_url, timeout=TIMEOUT, cookie=cookie)
        self.session = uuid.uuid4().hex
        self.states: dict[str, dict[str, Any]] = {}
        self.kernel_errors: list[str] = []
        reply = self.request("comm_info_request", {"target_name": "jupyter.widget"})
        comms = reply.get("comms", {})
        ids = [cid for cid, c in comms.items() if c.get("target_name") == "jupyter.widget"]
        waits = [self.send_comm(cid, {"method": "request_state"}) for cid in ids]
        for msg_id in waits:
            self.wait_idle(msg_id)

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "bench", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content,
            "channel": "shell", "buffers": [],
        }))
        return msg_id

    def send_comm(self, comm_id: str, data: dict[str, Any]) -> str:
        return self._send("comm_msg", {"comm_id": comm_id, "data": data})

    def _handle(self, msg: dict[str, Any]) -> None:
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        content = msg.get("content", {})
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.states[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
        elif kind == "comm_msg":
            data = content.get("data", {})
            if data.get("method") in {"update", "echo_update"}:
                self.states.setdefault(content["comm_id"], {}).update(data.get("state", {}))
        elif kind == "comm_close":
            self.states.pop(content.get("comm_id"), None)
        elif kind == "error":
            self.kernel_errors.append(f"{content.get('ename')}: {content.get('evalue')}")

    def _recv_until(self, done: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            raw = self.ws.recv()
            if not raw:
                continue
            msg = json.loads(raw)
            self._handle(msg)
            if done(msg):
                return msg
        raise TimeoutError("the kernel did not answer in time")

    def request(self, msg_type: str, content: dict[str, Any]) -> dict[str, Any]:
        msg_id = self._send(msg_type, content)
        reply = self._recv_until(
            lambda m: m.get("parent_header", {}).get("msg_id") == msg_id
            and m.get("channel") == "shell"
        )
        return reply.get("content", {})

    def wait_idle(self, msg_id: str) -> None:
        self._recv_until(
            lambda m: m.get("parent_header", {}).get("msg_id") == msg_id
            and (m.get("msg_type") or m.get("header", {}).get("msg_type")) == "status"
            and m.get("content", {}).get("execution_state") == "idle"
        )

    def find(self, model: str, description: str, *, prefix: bool = False) -> str:
        for comm_id, state in self.states.items():
            if state.get("_model_name") != model:
                continue
            desc = state.get("description", "")
            if desc == description or (prefix and desc.startswith(description)):
                return comm_id
        raise LookupError(f"no {model} {description!r} on the page ({self.says()})")

    def says(self) -> str:
        """What the page shows, shortly: how many widgets, and its first headings."""
        texts = [str(state.get("value", "")) for state in self.states.values()
                 if state.get("_model_name") == "HTMLModel"]
        headings = [re.sub(r"<[^>]+>", "", h) for t in texts for h in HEADING.findall(t)]
        return f"{len(self.states)} widgets; headings: {headings[:3]}"

    def set_value(self, comm_id: str, value: Any) -> float:
        """Type a value (as the browser does on change); seconds until the kernel is idle."""
        t0 = time.perf_counter()
        msg_id = self.send_comm(
            comm_id, {"method": "update", "state": {"value": value}, "buffer_paths": []}
        )
        self.wait_idle(msg_id)
        self.states[comm_id]["value"] = value
        return time.perf_counter() - t0

    def click(self, comm_id: str) -> float:
        t0 = time.perf_counter()
        msg_id = self.send_comm(comm_id, {"method": "custom", "content": {"event": "click"}})
        self.wait_idle(msg_id)
        return time.perf_counter() - t0

    def leave(self) -> None:
        """Close the websocket and send the page's unload beacon."""
        try:
            self.ws.close()
        finally:
            xsrf = self.http.cookies.get("_xsrf", "")
            self.http.post(
                self.room.url + f"voila/api/shutdown/{self.kernel_id}?token={TOKEN}",
                data={"_xsrf": xsrf},
                timeout=60,
            )


def get_private_link(room: RoomServer, http: requests.Session) -> str:
    """The start page (the server's own, no kernel) and its button: a form post that stores a
    new participant and shows their link. Returns the key."""
    start = http.get(room.link(), timeout=TIMEOUT)
    start.raise_for_status()
    xsrf = XSRF_FIELD.search(start.text)
    if not xsrf:
        raise RuntimeError(f"no button on the start page: {start.text[:200]!r}")
    shown = http.post(room.link(), data={"_xsrf": html.unescape(xsrf[1])}, timeout=TIMEOUT)
    shown.raise_for_status()
    match = KEY_IN_LINK.search(html.unescape(shown.text))
    if not match:
        raise RuntimeError(f"no private link after the button: {shown.text[:200]!r}")
    return match[1]


def protocol_participant(
    room: RoomServer, who: str, start: threading.Event, *, vanish: bool = False,
    delay: float = 0.0,
) -> Result:
    """One participant, arriving ``delay`` seconds after the start; ``vanish``: leave the
    workbook page without the unload beacon (a phone that sleeps, a browser that crashes),
    so only culling frees that kernel."""
    result = Result(who, "protocol")
    start.wait()
    time.sleep(delay)
    http = requests.Session()
    page: WidgetPage | None = None
    try:
        t0 = time.perf_counter()
        result.key = get_private_link(room, http)
        result.page_s.append(time.perf_counter() - t0)
        log(who, "start page")
        t0 = time.perf_counter()
        page = WidgetPage(room, room.link(key=result.key), http)
        result.page_s.append(time.perf_counter() - t0)
        log(who, "workbook page")
        result.name = f"Participant {who} <b>&</b>"
        result.save_s.append(page.set_value(page.find("TextModel", NAME_FIELD), result.name))
        result.stage_s.append(page.click(page.find("ButtonModel", "1. ", prefix=True)))
        result.whats_new = f"New for {who}: running the unit\nline two"
        result.save_s.append(
            page.set_value(page.find("TextareaModel", NEW_FIELD), result.whats_new)
        )
        log(who, "stage 1 saved")
        result.stage_s.append(page.click(page.find("ButtonModel", "4. ", prefix=True)))
        log(who, "stage 4 open: done")
        result.errors.extend(page.kernel_errors)
        result.finished = True
    except Exception as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        if page is not None:
            try:
                page.ws.close() if vanish else page.leave()
            except Exception as exc:
                result.errors.append(f"leaving: {exc}")
    return result


# -- browser participants ----------------------------------------------------------------------
DOM_STATE = """() => {
  const cells = document.getElementById('rendered_cells');
  const out = document.querySelector('.jp-OutputArea-output');
  return {loading: !!document.getElementById('loading'),
          loadingText: (document.getElementById('loading_text') || {}).innerText,
          cellsDisplay: cells ? cells.style.display : null,
          themeLoaded: window.themeLoaded, cellLoaded: window.cellLoaded,
          widgets: document.querySelectorAll('.jupyter-widgets').length,
          outputs: document.querySelectorAll('.jp-OutputArea-output').length,
          viewScripts: document.querySelectorAll('script[type*="cell-output"]').length,
          firstOutput: out ? out.outerHTML.slice(0, 300) : null,
          scripts: [...document.scripts].map(s => (s.src || '').slice(-40)).filter(Boolean)};
}"""


class Trace:
    """What a Chromium page asked for and heard (``--trace``): to tell a slow server from a
    page that stopped waiting."""

    def __init__(self, page: Any) -> None:
        self.pending: dict[Any, float] = {}
        self.failed: list[str] = []
        self.sockets: list[dict[str, Any]] = []
        page.on("request", lambda r: self.pending.__setitem__(r, time.perf_counter()))
        page.on("requestfinished", lambda r: self.pending.pop(r, None))
        page.on("requestfailed", self._failed)
        page.on("websocket", self._socket)
        self.console: list[str] = []
        self.dom: Any = None
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text[:160]}"))

    def _failed(self, request: Any) -> None:
        self.pending.pop(request, None)
        self.failed.append(f"{request.url[-80:]} {request.failure}")

    def _socket(self, ws: Any) -> None:
        info: dict[str, Any] = {"url": ws.url[-60:], "sent": {}, "got": {}, "closed": False}
        self.sockets.append(info)

        def count(kind: str, payload: Any) -> None:
            if isinstance(payload, bytes):  # v1.kernel.websocket.jupyter.org: offsets, parts
                payload = payload[:4096].decode("utf-8", "replace")
            match = re.search(r'"msg_type"\s*:\s*"(\w+)"', payload)
            name = match[1] if match else "?"
            method = re.search(r'"method"\s*:\s*"(\w+)"', payload)
            if method:
                name += f":{method[1]}"
            info[kind][name] = info[kind].get(name, 0) + 1
            info.setdefault("last", []).append(f"{time.perf_counter() - T0:.0f}s {kind} {name}")
            del info["last"][:-8]

        ws.on("framesent", lambda p: count("sent", p))
        ws.on("framereceived", lambda p: count("got", p))
        ws.on("close", lambda _: info.__setitem__("closed", True))
        ws.on("socketerror", lambda e: info.__setitem__("error", str(e)))

    def summary(self) -> str:
        now = time.perf_counter()
        pending = [f"{r.url[-70:]} ({now - t:.0f}s)" for r, t in self.pending.items()]
        return (f"trace: pending requests {pending[:12]}; failed {self.failed[:8]}; "
                f"websockets {self.sockets}; console {self.console[-10:]}; dom {self.dom}")


async def browser_participant(browser: Any, room: RoomServer, who: str, keep_open: bool,
                              holder: list[Any], delay: float = 0.0) -> Result:
    result = Result(who, "browser")
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))

    def on_console(msg: Any) -> None:
        noise = ("jsdelivr", "NAME_NOT_RESOLVED")
        if msg.type == "error" and not any(n in msg.text for n in noise):
            errors.append(f"console {msg.type}: {msg.text[:200]}")

    page.on("console", on_console)
    trace = Trace(page) if TRACE else None
    wait = TIMEOUT * 1000
    try:
        t0 = time.perf_counter()
        await page.goto(room.link(), wait_until="commit", timeout=wait)
        await page.get_by_role("button", name="Get my private link").wait_for(timeout=wait)
        result.page_s.append(time.perf_counter() - t0)
        log(who, "start page")
        await page.get_by_role("button", name="Get my private link").click()
        box = page.get_by_role("textbox", name="Your private link: bookmark it or copy it")
        deadline = time.monotonic() + TIMEOUT
        link = ""
        while "key=" not in link and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            link = await box.input_value()
        result.key = KEY_IN_LINK.search(link)[1]
        t0 = time.perf_counter()
        await page.get_by_role("link", name="Open my workbook →").click()
        await page.wait_for_selector(".mm-app .mm-stage", timeout=wait)
        result.page_s.append(time.perf_counter() - t0)
        log(who, "workbook page")
        result.name = f"Browser {who} <i>x</i>"
        name = page.get_by_role("textbox", name=NAME_FIELD)
        await name.fill(result.name)
        t0 = time.perf_counter()
        await name.press("Tab")
        await page.get_by_text("✓ Saved").wait_for(timeout=wait)
        result.save_s.append(time.perf_counter() - t0)
        log(who, "name saved")
        saved = page.locator("span.mm-saved[title]").first
        before = await saved.get_attribute("title")
        t0 = time.perf_counter()
        await page.get_by_role("button", name=re.compile(r"^1\. ")).click()
        area = page.get_by_role("textbox", name=NEW_FIELD)
        await area.wait_for(timeout=wait)
        result.stage_s.append(time.perf_counter() - t0)
        log(who, "stage 1 open")
        result.whats_new = f"New for browser {who}"
        await area.fill(result.whats_new)
        t0 = time.perf_counter()
        await area.press("Tab")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if await saved.get_attribute("title") != before:
                break
            await asyncio.sleep(0.05)
        else:
            raise TimeoutError("stage 1 did not save")
        result.save_s.append(time.perf_counter() - t0)
        log(who, "stage 1 saved")
        t0 = time.perf_counter()
        await page.get_by_role("button", name=re.compile(r"^4\. ")).click()
        await page.wait_for_selector(".mm-app canvas", timeout=wait)
        result.stage_s.append(time.perf_counter() - t0)
        log(who, "stage 4 open: done")
        result.finished = True
    except Exception as exc:
        where = ""
        with contextlib.suppress(Exception):
            shot = Path(tempfile.gettempdir()) / f"mm-bench-room-{who}.png"
            await page.screenshot(path=str(shot))
            text = " ".join((await page.inner_text("body", timeout=5_000)).split())[:160]
            state = await page.evaluate(
                "() => [document.readyState, document.documentElement.outerHTML.length,"
                " (performance.getEntriesByType('navigation')[0] || {}).responseStart || 0]"
            )
            where = (
                f" (at {page.url[-60:]}, page says: {text!r}, readyState/html bytes/"
                f"responseStart ms: {state}, screenshot {shot})"
            )
        result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}{where}")
        if trace:
            with contextlib.suppress(Exception):
                trace.dom = await page.evaluate(DOM_STATE)
            result.errors.append(trace.summary())
    result.errors.extend(errors)
    if keep_open:
        holder.append(context)  # a page that stays open: its kernel must survive culling
    else:
        # leave as a person does: another address fires beforeunload and its beacon
        # (Playwright's close() alone skips beforeunload)
        with contextlib.suppress(Exception):
            await page.goto("about:blank", timeout=60_000)
        await context.close()
    return result


def run_browsers(room: RoomServer, names: list[str], start: threading.Event,
                 results: list[Result], ready: threading.Event, leave: threading.Event,
                 delays: list[float]) -> None:
    from playwright.async_api import async_playwright

    async def main() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=os.environ.get("MM_CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            ready.set()
            await asyncio.get_running_loop().run_in_executor(None, start.wait)
            holder: list[Any] = []
            got = await asyncio.gather(*(
                browser_participant(browser, room, who, i == 0, holder, delays[i])
                for i, who in enumerate(names)
            ))
            results.extend(got)
            await asyncio.get_running_loop().run_in_executor(None, leave.wait)
            for context in holder:
                await context.close()
            await browser.close()

    asyncio.run(main())


# -- one room size -----------------------------------------------------------------------------
def verify(room: RoomServer, results: list[Result]) -> tuple[int, list[str]]:
    """Read every participant's work back from the store: (lost writes, details)."""
    from mentoring_mosaic.store import Store

    store = Store(f"sqlite:///{room.home / 'workbooks.sqlite3'}")
    lost, details = 0, []
    try:
        for r in results:
            if not r.key:
                continue
            wb = store.load(r.key)
            for what, expected, got in (
                ("name", r.name, wb.profile.display_name),
                ("stage 1", r.whats_new, wb.profile.whats_new),
            ):
                if expected and got != expected:
                    lost += 1
                    details.append(f"{r.who} {what}: stored {got!r}, typed {expected!r}")
    finally:
        store.dispose()
    return lost, details


def arrival_delays(n: int, n_browsers: int, over: float) -> tuple[list[float], list[float]]:
    """Evenly spaced arrivals over ``over`` seconds; the browsers spread among them."""
    offsets = [i * over / n for i in range(n)]
    at = {round(j * n / max(1, n_browsers)) for j in range(n_browsers)}
    browsers = [offsets[i] for i in sorted(at)]
    protocol = [o for i, o in enumerate(offsets) if i not in at]
    return browsers, protocol


def run_size(n: int, browsers: int, cull_seconds: int, over: float = 0.0) -> dict[str, Any]:
    from mentoring_mosaic.serve.room_pool import latecomer_reserve

    load_before = os.getloadavg()
    t_warm = time.monotonic()
    room = start_room(cull_seconds, expect=n)
    warm_s = time.monotonic() - t_warm
    ready = re.search(r"The room is ready: (\d+) pages", (room.home / "room.log").read_text())
    n_ready = int(ready[1]) if ready else 0
    n_reserve = latecomer_reserve(n)  # what the room keeps ready once everyone came
    memory: list[float] = []
    kernels_seen: list[int] = []
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.is_set():
            memory.append(room.rss_mb())
            kernels_seen.append(room.kernels())
            stop_sampling.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    idle_rss = room.rss_mb()
    start, ready, leave = threading.Event(), threading.Event(), threading.Event()
    results: list[Result] = []
    n_browsers = min(browsers, n)
    browser_delays, protocol_delays = arrival_delays(n, n_browsers, over)
    browser_thread = threading.Thread(
        target=run_browsers,
        args=(room, [f"b{i}" for i in range(n_browsers)], start, results, ready, leave,
              browser_delays),
        daemon=True,
    )
    browser_thread.start()
    ready.wait(120)
    from concurrent.futures import ThreadPoolExecutor

    t_all = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, n - n_browsers)) as pool:
        futures = [
            pool.submit(protocol_participant, room, f"p{i}", start, vanish=i % 2 == 1,
                        delay=protocol_delays[i])
            for i in range(n - n_browsers)
        ]
        start.set()
        protocol_results = [f.result() for f in futures]
    deadline = time.monotonic() + TIMEOUT
    while len(results) < n_browsers and time.monotonic() < deadline and browser_thread.is_alive():
        time.sleep(0.5)
    missing = n_browsers - len(results)
    if missing > 0:  # the browser thread died or hung: count them as failed participants
        results.extend(
            Result(f"b?{i}", "browser", errors=["the browser did not finish"])
            for i in range(missing)
        )
    wall = time.perf_counter() - t_all
    load_after = os.getloadavg()
    results = protocol_results + list(results)
    peak_rss = max(memory) if memory else None
    peak_kernels = max(kernels_seen) if kernels_seen else None
    rss_all_done = room.rss_mb()
    # everyone except one browser page has left: watch the kernels go
    t_left = time.perf_counter()
    timeline: list[tuple[float, int]] = []
    limit = cull_seconds + max(10, cull_seconds // 5) + 30
    settled_s = None
    while time.perf_counter() - t_left < limit:
        count = room.kernels()
        timeline.append((round(time.perf_counter() - t_left, 1), count))
        if count <= 1 + n_reserve and settled_s is None:
            settled_s = time.perf_counter() - t_left
            break
        time.sleep(2)
    when_left = timeline[0][1] if timeline else None
    kernels_end = room.kernels()
    leave.set()
    browser_thread.join(60)
    stop_sampling.set()
    lost, lost_details = verify(room, results)
    rss_end = room.rss_mb()
    room.stop()
    pages = [s for r in results for s in r.page_s]
    starts = [r.page_s[0] for r in results if r.page_s]
    workbooks = [s for r in results for s in r.page_s[1:]]
    saves = [s for r in results for s in r.save_s]
    stages = [s for r in results for s in r.stage_s]
    errors = [f"{r.who}: {e}" for r in results for e in r.errors]
    by_kind = {}
    for kind in ("protocol", "browser"):
        rs = [r for r in results if r.kind == kind]
        by_kind[kind] = {
            "participants": len(rs),
            "page_p50": percentile([s for r in rs for s in r.page_s], 50),
            "page_p95": percentile([s for r in rs for s in r.page_s], 95),
            "save_p50": percentile([s for r in rs for s in r.save_s], 50),
            "save_p95": percentile([s for r in rs for s in r.save_s], 95),
        }
    out = {
        "participants": n,
        "arrivals_over_s": over,
        "ready_kernels": n_ready,
        "reserve_kernels": n_reserve,
        "warm_up_s": warm_s,
        "load_before": load_before,
        "load_after": load_after,
        "browsers": n_browsers,
        "wall_s": wall,
        "finished": sum(r.finished for r in results),
        "page_p50_s": percentile(pages, 50),
        "page_p95_s": percentile(pages, 95),
        "start_p50_s": percentile(starts, 50),
        "start_p95_s": percentile(starts, 95),
        "workbook_p50_s": percentile(workbooks, 50),
        "workbook_p95_s": percentile(workbooks, 95),
        "save_p50_s": percentile(saves, 50),
        "save_p95_s": percentile(saves, 95),
        "stage_open_p50_s": percentile(stages, 50),
        "stage_open_p95_s": percentile(stages, 95),
        "errors": len(errors),
        "error_details": errors[:50],
        "lost_writes": lost,
        "lost_details": lost_details[:50],
        "writes_checked": sum(bool(r.name) + bool(r.whats_new) for r in results),
        "server_rss_idle_mb": idle_rss,
        "server_rss_peak_mb": peak_rss,
        "server_rss_all_done_mb": rss_all_done,
        "server_rss_end_mb": rss_end,
        "kernels_peak": peak_kernels,
        "kernels_when_all_left": when_left,
        "vanished": (n - n_browsers) // 2,
        "kernels_at_end": kernels_end,
        "kernels_back_to_open_pages_s": settled_s,
        "kernel_timeline": timeline,
        "cull_seconds": cull_seconds,
        "by_kind": by_kind,
    }
    print(json.dumps({k: v for k, v in out.items() if k not in {"kernel_timeline"}},
                     default=str)[:3000], flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    global VERBOSE, TIMEOUT, TRACE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100])
    parser.add_argument("--arrivals", type=float, nargs="+", default=[60.0, 0.0],
                        help="seconds over which the participants arrive, one run each "
                             "(0: all in the same second; default 60 and 0)")
    parser.add_argument("--browsers", type=int, default=4,
                        help="participants driven through real Chromium pages (default 4)")
    parser.add_argument("--cull-seconds", type=int, default=30)
    parser.add_argument("--name", default="room-pool",
                        help="results file name under benchmarks/results (default room-pool)")
    parser.add_argument("--verbose", action="store_true", help="log every step to stderr")
    parser.add_argument("--trace", action="store_true",
                        help="on a browser error, report its pending requests and websocket "
                             "traffic")
    parser.add_argument("--step-timeout", type=float, default=TIMEOUT,
                        help=f"seconds any one step may take (default {TIMEOUT:.0f})")
    parser.add_argument("--pause", type=int, default=20,
                        help="seconds of rest between runs, so they do not overlap")
    args = parser.parse_args(argv)
    VERBOSE = args.verbose
    TRACE = args.trace
    TIMEOUT = max(10.0, min(args.step_timeout, 900.0))
    import faulthandler

    faulthandler.register(signal.SIGUSR1, all_threads=True)  # kill -USR1 <pid>: where is it?
    if any(not 1 <= n <= 200 for n in args.sizes):
        parser.error("sizes must be between 1 and 200")
    if any(not 0 <= a <= 600 for a in args.arrivals):
        parser.error("arrivals must be between 0 and 600 seconds")
    info = machine(browser=True)
    runs = []
    for n in args.sizes:
        for over in args.arrivals:
            if runs:
                time.sleep(args.pause)
            print(f"== {n} participants over {over:g} s ==", flush=True)
            runs.append(run_size(n, args.browsers, args.cull_seconds, over))
            write_room_results(args, runs, info)  # keep what is measured if a later run fails
    print((RESULTS_DIR / f"{args.name}.md").read_text())
    return 0


RESULTS_DIR = ROOT / "benchmarks" / "results"


def _load(values: Any) -> str:
    return "/".join(f"{v:.1f}" for v in values[:1]) if values else "?"


def write_room_results(args: argparse.Namespace, runs: list[dict[str, Any]],
                       info: dict[str, Any]) -> None:
    rows = [
        (
            r["participants"], "same second" if not r["arrivals_over_s"] else
            f"over {r['arrivals_over_s']:g} s", r["ready_kernels"],
            f"{r['finished']}/{r['participants']}", r["page_p50_s"], r["page_p95_s"],
            r.get("start_p95_s"), r.get("workbook_p50_s"), r.get("workbook_p95_s"),
            r["save_p50_s"], r["save_p95_s"], r["stage_open_p50_s"], r["stage_open_p95_s"],
            r["errors"], f"{r['lost_writes']}/{r['writes_checked']}",
            fmt(r["server_rss_peak_mb"], 0), r["kernels_peak"], r["kernels_at_end"],
            fmt(r["kernels_back_to_open_pages_s"], 0),
            f"{_load(r['load_before'])} → {_load(r['load_after'])}",
        )
        for r in runs
    ]
    body = (
        "Participants arrive evenly over the given time (or all in the same second) at one "
        "`mentoring-mosaic room --expect N` (loopback), started and warmed up before they "
        f"come. Times in seconds; {args.browsers} of them are real Chromium pages, the rest "
        "speak the widget protocol over the kernel websocket (see the script's docstring). "
        "Page = start page (request to the private link shown: the server's own page, no "
        "kernel) and workbook page (request to every widget ready), also given apart. "
        "One browser page "
        "stays open after the others leave, so the kernels should fall to 1 plus the "
        "latecomers' reserve of ready kernels (one per 5 expected, at most 20). Every "
        "second protocol participant vanishes without the unload beacon (a "
        "phone that sleeps), so its kernel waits for the cull "
        f"({args.cull_seconds} s idle). Load = 1-minute load average before → after the "
        "participants (2 cores, shared with other engineers).\n\n"
        + table(
            ["participants", "arriving", "ready kernels", "finished", "page p50", "page p95",
             "start page p95", "workbook page p50", "workbook page p95",
             "save p50", "save p95", "stage open p50", "stage open p95", "errors",
             "lost writes", "peak RSS MB (server+kernels)", "peak kernels",
             "kernels at end", "s until back to open pages + reserve", "load"],
            rows,
        )
        + "\n\nBrowser participants alone (what a person sees, rendering included):\n\n"
        + table(
            ["participants", "arriving", "page p50", "page p95", "save p50", "save p95"],
            [
                (r["participants"], f"{r['arrivals_over_s']:g} s",
                 r["by_kind"]["browser"]["page_p50"], r["by_kind"]["browser"]["page_p95"],
                 r["by_kind"]["browser"]["save_p50"], r["by_kind"]["browser"]["save_p95"])
                for r in runs
            ],
        )
        + "\n"
    )
    details = [e for r in runs for e in r["error_details"][:5] + r["lost_details"][:5]]
    if details:
        body += "\nFirst errors / lost writes:\n\n" + "\n".join(f"- {d}" for d in details) + "\n"
    write_results(
        args.name,
        {"runs": runs, "browsers": args.browsers, "cull_seconds": args.cull_seconds},
        body,
        title="A room under load, with a ready page for each person expected",
        info=info,
    )


if __name__ == "__main__":
    sys.exit(main())
