"""The room's bounds without a server: the cap, one page per link, idle reclaim, the message
budget, and the page request a ready (pooled) kernel reads (``serve/room_guard.py``)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from jupyter_server._tz import utcnow
from traitlets.config import Config

from mentoring_mosaic import session
from mentoring_mosaic.serve import room_guard
from mentoring_mosaic.serve.room import (
    default_max_participants,
    pool_size,
)
from mentoring_mosaic.serve.room_guard import (
    BYTES_PER_MINUTE,
    MAX_BROWSER_WIDGETS,
    MAX_MESSAGE_BYTES,
    MESSAGE_BURST,
    MESSAGES_PER_SECOND,
    MessageBudget,
    RoomGuard,
)
from mentoring_mosaic.serve.voila_launch import room_settings
from mentoring_mosaic.validation import MAX_FILE_BYTES

KEY_A = "a" * 24
KEY_B = "b" * 24


class FakeKernels:
    """The parts of a kernel manager the guard uses."""

    def __init__(self) -> None:
        self.kernels: dict[str, Any] = {}
        self.stopped: list[str] = []

    def add(self, kernel_id: str, idle_seconds: float = 0) -> None:
        last = utcnow() - timedelta(seconds=idle_seconds)
        self.kernels[kernel_id] = SimpleNamespace(last_activity=last)

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)

    def get_kernel(self, kernel_id: str) -> Any:
        return self.kernels[kernel_id]

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self.kernels

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.stopped.append(kernel_id)
        self.kernels.pop(kernel_id, None)


@pytest.fixture
def stops(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record the guard's stops instead of running them."""
    seen: list[tuple[str, str]] = []

    def stop(self: RoomGuard, kernel_id: str, kind: str, grace: float = 1.0) -> None:
        self.stopping.add(kernel_id)
        seen.append((kernel_id, kind))

    monkeypatch.setattr(RoomGuard, "stop", stop)
    return seen


def open_page(guard: RoomGuard, km: FakeKernels, kernel_id: str, query: str) -> bool:
    """What the page handler and Voilà do for one request; False when turned away."""
    admission = guard.admit(query)
    if admission is None:
        return False
    km.add(kernel_id)
    guard.visit(kernel_id, query)
    guard.release(admission)
    return True


# -- sizes ---------------------------------------------------------------------------------
def test_ready_kernels_follow_the_expected_room_within_a_memory_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mentoring_mosaic.serve import room_pool

    monkeypatch.setattr(room_pool, "available_memory_mb", lambda: 16_000.0)
    assert pool_size(1) == 1
    assert pool_size(25) == 25  # one for each person expected
    assert pool_size(100) == 100
    monkeypatch.setattr(room_pool, "available_memory_mb", lambda: 3_000.0)
    assert pool_size(100) == 20  # half of 3 GB at 75 MB each
    monkeypatch.setattr(room_pool, "available_memory_mb", lambda: 50.0)
    assert pool_size(100) == 1  # never none


def test_the_default_cap_leaves_room_above_the_expected_number() -> None:
    assert default_max_participants(100) == 120
    assert default_max_participants(10) == 15  # at least 5 more: the facilitator's pages
    assert all(default_max_participants(n) > n for n in range(1, 300))


# -- the cap --------------------------------------------------------------------------------
def test_the_room_turns_pages_away_beyond_its_cap(stops: list) -> None:
    km = FakeKernels()
    guard = RoomGuard(km, max_pages=2, facilitator_key="f" * 24)
    assert open_page(guard, km, "k1", f"key={KEY_A}")
    assert open_page(guard, km, "k2", "")  # a start page counts too
    assert not open_page(guard, km, "k3", f"key={KEY_B}")
    assert open_page(guard, km, "k4", f"fkey={'f' * 24}")  # the facilitator always gets in
    assert open_page(guard, km, "k5", f"key={KEY_A}")  # the same link again replaces its page
    assert stops == [("k1", "taken_over")]
    assert not open_page(guard, km, "k6", f"fkey={'x' * 24}")  # a wrong key is anyone
    km.kernels.pop("k2")  # start page and facilitator's page closed: places free up
    km.kernels.pop("k4")
    assert open_page(guard, km, "k7", f"key={KEY_B}")
    assert not open_page(guard, km, "k8", "")


def test_requests_still_starting_count_towards_the_cap() -> None:
    guard = RoomGuard(FakeKernels(), max_pages=2)
    first, second = guard.admit(""), guard.admit("")
    assert first is not None and second is not None
    assert guard.admit("") is None  # two pages are being prepared
    guard.release(first)  # that request ended without a kernel (the browser went away)
    assert guard.admit("") is not None


def test_no_cap_when_none_is_set() -> None:
    km = FakeKernels()
    guard = RoomGuard(km, max_pages=0)
    assert all(open_page(guard, km, f"k{i}", "") for i in range(50))


# -- one page per private link --------------------------------------------------------------
def test_a_second_tab_takes_over_and_only_the_old_page_stops(stops: list) -> None:
    km = FakeKernels()
    guard = RoomGuard(km)
    open_page(guard, km, "k1", f"key={KEY_A}")
    open_page(guard, km, "k2", f"key={KEY_B}")
    open_page(guard, km, "k3", f"key={KEY_A}&stage=mosaic")
    assert stops == [("k1", "taken_over")]
    assert guard.owner == {KEY_A: "k3", KEY_B: "k2"}
    open_page(guard, km, "k4", "")  # pages without a key never take anything over
    open_page(guard, km, "k5", "")
    assert stops == [("k1", "taken_over")]


def test_stopping_shows_the_notice_then_stops_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    async def fake_run(km: Any, kernel_id: str, code: str, timeout: float = 15) -> bool:
        ran.append(code)
        return True

    monkeypatch.setattr(room_guard, "run_in_kernel", fake_run)
    km = FakeKernels()
    guard = RoomGuard(km, idle_seconds=45 * 60)

    async def scenario() -> None:
        open_page(guard, km, "k1", f"key={KEY_A}")
        open_page(guard, km, "k2", f"key={KEY_A}")
        assert guard.live_pages() == 1  # the old page no longer counts while it stops
        await asyncio.gather(*guard._tasks)

    asyncio.run(scenario())
    assert km.stopped == ["k1"]
    assert "_mm_notice('taken_over', 2700)" in ran[0]
    assert guard.pages == {"k2": KEY_A}


def test_a_kernel_stopped_elsewhere_is_forgotten(stops: list) -> None:
    km = FakeKernels()
    guard = RoomGuard(km, max_pages=1)
    open_page(guard, km, "k1", f"key={KEY_A}")
    km.kernels.pop("k1")  # the page's unload request, or the culler
    assert guard.live_pages() == 0 and guard.owner == {}
    assert open_page(guard, km, "k2", f"key={KEY_B}")


# -- idle pages -------------------------------------------------------------------------------
def test_pages_unused_for_the_idle_time_are_paused(stops: list) -> None:
    km = FakeKernels()
    guard = RoomGuard(km, idle_seconds=45 * 60)
    open_page(guard, km, "busy", f"key={KEY_A}")
    open_page(guard, km, "idle", f"key={KEY_B}")
    km.add("busy", idle_seconds=44 * 60)
    km.add("idle", idle_seconds=46 * 60)
    km.add("ready", idle_seconds=100 * 60)  # a ready (pooled) kernel holds no page: kept
    guard.visited = {kid: at - 50 * 60 for kid, at in guard.visited.items()}
    open_page(guard, km, "fresh", "")  # waited 2 hours in the pool, and its page just came
    km.add("fresh", idle_seconds=120 * 60)
    guard.reclaim_idle()
    assert stops == [("idle", "idle")]
    assert 2000 <= guard.check_interval_ms() <= 60_000


def test_no_idle_reclaim_when_switched_off(stops: list) -> None:
    km = FakeKernels()
    guard = RoomGuard(km, idle_seconds=0)
    open_page(guard, km, "k1", f"key={KEY_A}")
    km.add("k1", idle_seconds=10**6)
    guard.reclaim_idle()
    assert stops == []


# -- widget messages ----------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_resume_file_fits_the_message_limit_and_the_limit_is_set() -> None:
    assert MAX_FILE_BYTES + 1_000_000 <= MAX_MESSAGE_BYTES <= 10 * 1024 * 1024
    config = Config()
    room_settings(config)
    settings = config.Voila.tornado_settings
    settings = settings if isinstance(settings, dict) else settings.get_value({})
    assert settings["websocket_max_message_size"] == MAX_MESSAGE_BYTES
    assert config.Voila.kernel_websocket_connection_class.__name__ == "LimitedChannels"


def test_a_page_may_send_bursts_but_not_a_flood() -> None:
    clock = Clock()
    budget = MessageBudget(clock)
    assert all(budget.take(200, "comm_msg") == "" for _ in range(MESSAGE_BURST))
    assert "messages a second" in budget.take(200, "comm_msg")
    clock.now += 1
    passed = sum(budget.take(200, "comm_msg") == "" for _ in range(100))
    assert passed == MESSAGES_PER_SECOND
    # a typist at 10 keys a second is never held back
    typist = MessageBudget(clock)
    for _ in range(600):
        clock.now += 0.1
        assert typist.take(300, "comm_msg") == ""


def test_bytes_per_minute_are_bounded() -> None:
    clock = Clock()
    budget = MessageBudget(clock)
    five_mb = 5 * 1024 * 1024
    sent = 0
    while budget.take(five_mb, "comm_msg") == "":
        sent += five_mb
        clock.now += 1
    assert sent <= BYTES_PER_MINUTE
    clock.now += 60
    assert budget.take(five_mb, "comm_msg") == ""  # a new minute


def test_the_browser_may_make_only_a_few_widgets() -> None:
    clock = Clock()
    budget = MessageBudget(clock)
    results = []
    for _ in range(MAX_BROWSER_WIDGETS + 30):
        clock.now += 1
        results.append(budget.take(500, "comm_open"))
    assert results[:MAX_BROWSER_WIDGETS] == [""] * MAX_BROWSER_WIDGETS
    assert all("widgets" in r for r in results[MAX_BROWSER_WIDGETS:])
    assert budget.take(500, "comm_msg") == ""  # the page itself goes on working


def test_message_types_are_read_from_both_wire_formats() -> None:
    header = json.dumps({"msg_type": "comm_open"}).encode()
    parts = [b"shell", header, b"{}", b"{}", b"{}"]
    offsets, at = [], 8 * (len(parts) + 1)
    for part in parts:
        offsets.append(at)
        at += len(part)
    frame = len(parts).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    frame += b"".join(parts)
    assert room_guard._msg_type(frame) == "comm_open"
    assert room_guard._msg_type(json.dumps({"header": {"msg_type": "comm_msg"}})) == "comm_msg"
    assert room_guard._msg_type(b"garbage") == ""


# -- the page request in a ready kernel -------------------------------------------------------
@pytest.fixture
def fresh_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "_page_request", None)
    for var in ("QUERY_STRING", "VOILA_REQUEST_URL", session.REQUEST_URL_ENV, "VOILA_PREHEAT"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.usefixtures("fresh_request")
def test_a_ready_kernel_waits_for_its_page_and_never_reads_the_previous_visitor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import voila.utils

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    # what Voilà gives a refilled pool kernel: the address of whoever emptied the pool
    monkeypatch.setenv("VOILA_REQUEST_URL", f"http://room/?key={KEY_B}")
    calls: list[int] = []

    def arrives() -> None:
        calls.append(1)
        monkeypatch.setenv("QUERY_STRING", f"key={KEY_A}&stage=mosaic")
        monkeypatch.setenv(session.REQUEST_URL_ENV, f"http://room/?key={KEY_A}&stage=mosaic")

    monkeypatch.setattr(voila.utils, "wait_for_request", arrives)
    request = session.page_request()
    assert request.param("key") == KEY_A and request.param("stage") == "mosaic"
    assert KEY_B not in request.url
    assert session.page_request() is request and calls == [1]  # asked once per kernel
    assert session.key_from_environment() == KEY_A


@pytest.mark.usefixtures("fresh_request")
def test_a_ready_kernel_tries_again_when_the_busy_server_did_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Voilà's wait gives up after 5 s without a connection and leaves the environment as it
    was; the kernel must not go on as a page without a link (seen 7 times in 200 at 100)."""
    import voila.utils

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv(session.REQUEST_URL_ENV, raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    tries: list[int] = []

    def busy_then_arrives() -> None:
        tries.append(1)
        if len(tries) < 3:
            return  # "Failed to connect": nothing set
        monkeypatch.setenv("QUERY_STRING", f"key={KEY_A}")
        monkeypatch.setenv(session.REQUEST_URL_ENV, f"http://room/?key={KEY_A}")

    monkeypatch.setattr(voila.utils, "wait_for_request", busy_then_arrives)
    monkeypatch.setattr(session.time, "sleep", lambda _s: None)
    assert session.page_request().param("key") == KEY_A
    assert len(tries) == 3


@pytest.mark.usefixtures("fresh_request")
def test_without_a_pool_the_request_is_read_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import voila.utils

    monkeypatch.setattr(voila.utils, "wait_for_request", lambda: pytest.fail("waited"))
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # standalone Voilà without a pool
    monkeypatch.setenv("QUERY_STRING", "stage=needs&facilitator=1")
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://host/voila/render/workshop.ipynb?stage=needs")
    assert session.page_request().param("stage") == "needs"
    assert session.page_request().url.startswith("http://host/")
    monkeypatch.delenv("VOILA_PREHEAT")  # Binder: Voilà's server extension sets nothing
    monkeypatch.setenv("QUERY_STRING", "stage=mosaic")  # read again each time, as before
    assert session.page_request().param("stage") == "mosaic"
    assert session.key_from_environment() == "default"


# -- the room command -------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["--expect=0"], ["--idle-minutes=0"], ["--max-participants=-1"]])
def test_bad_bounds_are_one_line_errors(capsys: pytest.CaptureFixture, args: list[str]) -> None:
    from mentoring_mosaic.serve import cli

    assert cli.main(["room", "--dry-run", *args]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith("mentoring-mosaic: ") and "\n" not in err


def test_the_room_keeps_ready_kernels_sized_from_expect(
    capsys: pytest.CaptureFixture, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentoring_mosaic.serve import cli, room, room_pool

    monkeypatch.setenv("MENTORING_MOSAIC_HOME", str(tmp_path))
    monkeypatch.delenv("MENTORING_MOSAIC_DB", raising=False)
    monkeypatch.setattr(room_pool, "available_memory_mb", lambda: 16_000.0)
    monkeypatch.setattr(room.os, "cpu_count", lambda: 2)
    assert cli.main(["room", "--dry-run", "--ip=127.0.0.1", "--expect=60"]) == 0
    out = capsys.readouterr().out
    command = out.strip().splitlines()[-1]
    for flag in ("--VoilaConfiguration.preheat_kernel=True",
                 "--VoilaConfiguration.default_pool_size=60",
                 "--VoilaKernelManager.fill_delay=0"):
        assert flag in command
    assert "Preparing a page for each of the 60 people you expect: about 2 minutes" in out
    assert "The room is ready" not in out  # the log says so later, when it is
    assert "At most 72 pages open at once" in out
    assert "45 minutes" in out
    env = room.room_environment(token="t" * 20, facilitator_key="f" * 20, public_url="",
                                dashboard=None, ip="192.168.1.5", max_pages=72,
                                idle_seconds=2700)
    assert env[room_guard.ENV_MAX_PAGES] == "72"
    assert env[room_guard.ENV_IDLE_SECONDS] == "2700"
    assert env["VOILA_APP_IP"] == "192.168.1.5"  # where a ready kernel asks for its page
    guard = room_guard.RoomGuard.from_environment.__func__  # reads the same variables
    monkeypatch.setattr(room_guard.os, "environ", env)
    built = guard(RoomGuard, FakeKernels())
    assert (built.max_pages, built.idle_seconds, built.facilitator_key) == (72, 2700.0, "f" * 20)


@pytest.mark.usefixtures("fresh_request")
def test_a_stopped_page_says_why_in_plain_words_and_links_back_to_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ipywidgets as ipw

    from mentoring_mosaic.widgets import room_start

    monkeypatch.setenv("QUERY_STRING", f"token=t&key={KEY_A}&x=<b>")
    page = ipw.VBox([ipw.Text(description="Your name")])
    monkeypatch.setattr(room_start, "_shown", [page])
    room_start.page_notice("idle", 45 * 60)
    shown = page.children[-1].value
    assert "This page was paused" in shown and "45 minutes" in shown
    assert "Your answers are saved" in shown
    assert f'href="?token=t&amp;key={KEY_A}&amp;x=&lt;b&gt;"' in shown
    assert not any(isinstance(w, ipw.Text) for w in page.children)  # nothing to type into
    room_start.page_notice("taken_over")
    assert "Your work continues there" in page.children[-1].value


def test_a_page_still_arriving_is_not_culled_before_it_connects() -> None:
    # a busy machine took more than the 30-s cull to load a page handed a ready kernel: the
    # culler stopped it and the page showed a widget's text instead of the workbook
    km = FakeKernels()
    guard = RoomGuard(km)
    admission = guard.admit(f"key={KEY_A}")
    km.add("k1")
    guard.visit("k1", f"key={KEY_A}")
    guard.visited["k1"] -= 1000  # a slow page: being sent for a long time
    assert guard.still_arriving("k1")
    guard.release(admission)  # all sent: the browser has the grace time to connect
    assert guard.still_arriving("k1")
    guard.visited["k1"] -= room_guard.ARRIVAL_GRACE_SECONDS + 1
    assert not guard.still_arriving("k1")
    guard.visited["k1"] += room_guard.ARRIVAL_GRACE_SECONDS + 1
    guard.connected.add("k1")  # the page's websocket opened: ordinary culling from now on
    assert not guard.still_arriving("k1")
    open_page(guard, km, "k2", f"key={KEY_B}")
    guard.visited["k2"] -= room_guard.ARRIVAL_GRACE_SECONDS + 1  # never came: culled after all
    assert not guard.still_arriving("k2")
    assert not guard.still_arriving("ready")  # a ready kernel: Voila's pool protects it
