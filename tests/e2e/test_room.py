"""``mentoring-mosaic room`` end to end: private links, the dashboard, and every refusal.

One room server (the real command, in its own process group) serves the whole module.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from mentoring_mosaic.serve.room_guard import ARRIVAL_GRACE_SECONDS

from .conftest import ConsoleErrors, assert_accessible, assert_fits, shot, wait_for_app
from .room_server import READY, RoomServer, running_room
from .room_steps import (
    check_dashboard,
    evaluate_and_share,
    seed_earlier_participant,
    type_name,
    wait_until_shared,
)

pytestmark = pytest.mark.browser

TOKEN = "room-token-for-tests-0123456789"
FKEY = "facilitator-key-for-tests-0123"
CULL_SECONDS = 10
EXPECT = 5
KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"')


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServer]:
    home = tmp_path_factory.mktemp("room-home")
    home.chmod(0o755)  # as an older version left it: the room makes it private again
    (home / "workbooks.sqlite3").touch(mode=0o644)
    with running_room(home, f"--cull-seconds={CULL_SECONDS}", f"--expect={EXPECT}",
                      token=TOKEN, fkey=FKEY) as server:
        yield server


def get(url: str, **kwargs: object) -> requests.Response:
    return requests.get(url, timeout=60, allow_redirects=False, **kwargs)  # type: ignore[arg-type]


def final_status(url: str) -> tuple[int, str]:
    """Follow redirects; return the last status and body."""
    response = requests.get(url, timeout=60)
    return response.status_code, response.text


# -- what the facilitator is told ---------------------------------------------------------
def test_it_prints_the_links_to_share(room: RoomServer) -> None:
    log = room.log()
    assert f"{room.url}?token={TOKEN}" in log
    assert f"{room.url}?token={TOKEN}&fkey={FKEY}" in log
    assert f"{room.url}?token={TOKEN}&fkey={FKEY}&view=agenda" in log


def test_the_presenter_view_opens_with_the_facilitator_key(room: RoomServer, page: Page) -> None:
    page.goto(room.link(fkey=FKEY, view="agenda"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="My mentoring needs")).to_be_visible()
    shot(page, "room-presenter")
    page.goto(room.link(fkey="wrong-key-0123456789", view="agenda"))
    wait_for_app(page, ".mm-room-refused")
    expect(page.get_by_role("heading", name="This page is for the facilitator")).to_be_visible()


# -- participants ---------------------------------------------------------------------------
def join(page: Page, room: RoomServer, name: str) -> str:
    """Open the start link, get a private link, open it and type a name. Returns the link."""
    page.goto(room.link())
    page.get_by_role("button", name="Get my private link").click()
    field = page.get_by_role("textbox", name="Your private link: bookmark it or copy it")
    expect(field).to_have_value(re.compile(r"key="), timeout=30_000)
    link = field.input_value()
    shot(page, f"room-start-{name.split()[0].lower()}")
    page.get_by_role("link", name="Open my workbook →").click()
    page.wait_for_url(re.compile(r"key="))
    wait_for_app(page)
    type_name(page, name)
    return link


@pytest.mark.slow
def test_two_participants_see_only_their_own_work_and_the_dashboard_sees_both(
    room: RoomServer, browser: Browser
) -> None:
    people = {"ana": "Ana Roomsecret", "ben": "Ben Roomhidden"}
    contexts = {who: browser.new_context(viewport={"width": 1280, "height": 800}) for who in people}
    try:
        links = {}
        for who, name in people.items():
            page = contexts[who].new_page()
            errors = ConsoleErrors()
            errors.attach(page)
            links[who] = join(page, room, name)
            evaluate_and_share(page)
            assert not errors, errors
        keys = {who: re.search(r"key=([A-Za-z0-9_-]+)", link)[1] for who, link in links.items()}
        assert keys["ana"] != keys["ben"]
        assert all(len(k) >= 24 for k in keys.values()), keys
        assert all(f"token={TOKEN}" in link for link in links.values())
        for who, name in people.items():
            other = next(p for p in people if p != who)
            page = contexts[who].new_page()
            page.goto(links[who])  # back through the bookmarked link, in a new kernel
            wait_for_app(page)
            expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_value(
                name, timeout=30_000
            )
            assert people[other] not in page.content()
            if who == "ana":
                assert_accessible(page, "room-app")

        store_url = f"sqlite:///{room.home / 'workbooks.sqlite3'}"
        wait_until_shared(store_url, list(keys.values()))
        seed_earlier_participant(store_url)
        facilitator = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts["facilitator"] = facilitator
        page = facilitator.new_page()
        page.goto(room.link(fkey=FKEY))
        check_dashboard(page, [*people.values(), "Cara Seededname"], participants=3)
        shot(page, "room-dashboard")
    finally:
        for context in contexts.values():
            context.close()


def test_the_start_page_works_on_a_phone_and_needs_no_kernel(room: RoomServer, page: Page) -> None:
    started = ready_kernels_started(room)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(room.link())
    expect(page.get_by_role("heading", name="Mentoring Mosaic: join the workshop")).to_be_visible()
    shot(page, "room-start-phone")
    assert_accessible(page, "room-start")
    assert_fits(page, "room-start-phone")
    page.get_by_role("button", name="Get my private link").click()
    expect(page.get_by_role("heading", name="Your private link is ready")).to_be_visible()
    field = page.get_by_role("textbox", name="Your private link: bookmark it or copy it")
    link = field.input_value()
    assert link.startswith(f"{room.url}?token={TOKEN}&key=")
    shot(page, "room-link-phone")
    assert_accessible(page, "room-link")
    assert_fits(page, "room-link-phone")
    page.reload()  # a reload (or a bookmark of this page) shows the same link, makes nobody new
    expect(field).to_have_value(link)
    assert room.log().count("Kernel started") == started  # neither page needed a kernel
    page.get_by_role("link", name="Open my workbook →").click()
    wait_for_app(page)
    assert room.log().count("Kernel started") > started  # the workbook took the ready one


# -- files and secrets --------------------------------------------------------------------------
def test_the_token_is_in_no_command_line_and_the_data_is_private(room: RoomServer) -> None:
    import stat

    import psutil

    root = psutil.Process(room.proc.pid)
    family = [root, *root.children(recursive=True)]
    assert len(family) >= 2  # the command and its Voilà (and maybe kernels)
    for proc in family:
        line = " ".join(proc.cmdline())
        assert TOKEN not in line and FKEY not in line, line
    assert stat.S_IMODE(room.home.stat().st_mode) == 0o700
    assert stat.S_IMODE((room.home / "workbooks.sqlite3").stat().st_mode) == 0o600


# -- refusals ---------------------------------------------------------------------------------
def ready_kernels_started(room: RoomServer) -> int:
    """How many kernels have started, once the room's ready kernels all have (they start in
    the background after the port opens) and none is starting."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        before = room.log().count("Kernel started")
        if READY not in room.log():
            time.sleep(0.2)
            continue
        time.sleep(1.5)  # a refill may have begun for a page just opened
        if room.log().count("Kernel started") == before:
            return before
    raise AssertionError(f"the ready kernels did not start:\n{room.log()}")


def test_no_token_no_entry(room: RoomServer) -> None:
    started = ready_kernels_started(room)
    for url in (room.url, room.url + "?key=whatever", room.url + f"?fkey={FKEY}",
                room.url + "?token=wrong-token-0123456789"):
        response = get(url)
        assert response.status_code in {302, 401, 403}, (url, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    assert room.log().count("Kernel started") == started  # nothing ran for those requests


def test_unknown_or_guessable_keys_are_refused(room: RoomServer, page: Page) -> None:
    from mentoring_mosaic.store import Store

    store = Store(f"sqlite:///{room.home / 'workbooks.sqlite3'}")
    try:
        store.create_participant("default")  # exists, but was never handed out by the room
        store.create_participant("demo-pgy3", is_demo=True)
    finally:
        store.dispose()
    for key in ("A" * 24, "default", "demo-pgy3", "../../etc/passwd"):
        page.goto(room.link(key=key))
        wait_for_app(page, ".mm-room-refused")
        refused = page.get_by_role("heading", name="This link does not open a workbook")
        expect(refused).to_be_visible()
        expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_count(0)
    expect(page.get_by_role("link", name="Start again with a new private link")).to_have_attribute(
        "href", re.compile(rf"\?token={TOKEN}$")
    )
    assert_accessible(page, "room-refused")
    shot(page, "room-refused")


def test_the_dashboard_needs_the_facilitator_key(room: RoomServer, page: Page) -> None:
    for fkey in ("", "wrong-key-0123456789", FKEY[:-1]):
        page.goto(room.link(fkey=fkey))
        wait_for_app(page, ".mm-room-refused")
        expect(page.get_by_role("heading", name="This page is for the facilitator")).to_be_visible()


def test_code_cannot_be_executed_over_the_kernel_websocket(room: RoomServer) -> None:
    import websocket

    response = get(room.link(key=room.new_key()))
    assert response.status_code == 200
    match = KERNEL_ID.search(response.text)
    assert match, "no kernel id in the page"
    kernel_id = match[1]
    marker = room.home / "pwned"
    ws_url = room.url.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels?token={TOKEN}"
    ws = websocket.create_connection(ws_url, timeout=30)
    session = uuid.uuid4().hex

    def send(msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": session,
                       "username": "intruder", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content,
            "channel": "shell", "buffers": [],
        }))
        return msg_id

    def replies(parent: str, seconds: float, until: str = "") -> list[dict]:
        seen, deadline = [], time.monotonic() + seconds
        ws.settimeout(1)
        while time.monotonic() < deadline:
            try:
                msg = json.loads(ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if msg.get("parent_header", {}).get("msg_id") == parent:
                seen.append(msg)
                if msg.get("msg_type") == until:
                    break
        return seen

    try:
        # the channel works: a kernel_info_request is answered ...
        info = send("kernel_info_request", {})
        got = replies(info, 30, until="kernel_info_reply")
        assert any(m["msg_type"] == "kernel_info_reply" for m in got)
        # ... but code is not run
        code = f"open({str(marker)!r}, 'w').write('x')"
        run = send("execute_request", {"code": code, "silent": False, "store_history": False,
                                       "user_expressions": {}, "allow_stdin": False})
        got = replies(run, 5)
    finally:
        ws.close()
    assert not any(m["msg_type"] in {"execute_reply", "execute_input"} for m in got), got
    assert not marker.exists()


def test_a_malformed_widget_message_sends_no_traceback_to_the_page(room: RoomServer) -> None:
    """A modified page sends broken widget messages: the kernel answers nothing that shows a
    traceback, a file path or a version (everything the page's websocket receives is what a
    page would), the room's log keeps the traceback, and the kernel still works."""
    import websocket

    response = get(room.link(key=room.new_key()))
    kernel_id = KERNEL_ID.search(response.text)[1]
    model_id = re.search(r'"model_id"\s*:\s*"([0-9a-f]{32})"', response.text)[1]
    logged = room.log().count("not shown on the page")
    ws = websocket.create_connection(
        room.url.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels?token={TOKEN}",
        timeout=30)
    session = uuid.uuid4().hex

    def send(msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": session,
                       "username": "page", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content,
            "channel": "shell", "buffers": []}))
        return msg_id

    update = {"method": "update", "buffer_paths": []}
    try:
        send("comm_msg", {"comm_id": model_id, "data": {**update, "state": {"layout": 3}}})
        send("comm_msg", {"comm_id": model_id, "data": {**update, "state": {"children": "x"}}})
        send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": {},
                                                        "buffer_paths": [["a", "b"]]}})
        send("comm_msg", {"comm_id": model_id, "data": {"no": "method"}})
        send("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                           "data": {"state": {"_model_name": "NoSuchModel"}}})
        info = send("kernel_info_request", {})
        seen, alive = [], False
        deadline = time.monotonic() + 10
        ws.settimeout(1)
        while time.monotonic() < deadline:
            try:
                raw = ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            seen.append(raw)
            msg = json.loads(raw)
            alive = alive or msg.get("parent_header", {}).get("msg_id") == info
    finally:
        ws.close()
    assert alive, "the kernel stopped answering"
    answers = [raw for raw in seen  # kernel_info_reply names the language (".py"): not ours
               if json.loads(raw).get("parent_header", {}).get("msg_id") != info]
    leaks = [raw[:300] for raw in answers
             if any(s in raw for s in ("Traceback", "site-packages", ".py", "Error"))]
    assert not leaks, leaks
    assert not [raw for raw in seen if json.loads(raw)["msg_type"] == "error"]
    deadline = time.monotonic() + 10
    while room.log().count("not shown on the page") < logged + 1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert room.log().count("not shown on the page") > logged, "the room's log lost it"
    assert "Traceback" in room.log()


@pytest.mark.parametrize(
    "path",
    [
        "voila/files/Mentoring%20Mosaic.ipynb",
        "Mentoring%20Mosaic.ipynb",
        "voila/files/workbooks.sqlite3",
        "voila/files/../workbooks.sqlite3",
        "voila/files/..%2Fworkbooks.sqlite3",
        "workbooks.sqlite3",
        "voila/files/mentoring_mosaic/serve/room.py",
        "voila/static/..%2F..%2F..%2Fmentoring_mosaic%2Froom.py",
        "voila/templates/..%2F..%2Fworkbooks.sqlite3",
        "voila/files/mentoring-mosaic-workbook.json",
        "notebooks/workshop.ipynb",
        "voila/render/notebooks/workshop.ipynb",
    ],
)
def test_files_cannot_be_fetched(room: RoomServer, path: str) -> None:
    status, body = final_status(room.url + path + f"?token={TOKEN}")
    assert status != 200, (path, status)  # 403 or 404; a bad template name is a bare 500
    assert "SQLite format" not in body and "room_page" not in body and "import " not in body


@pytest.mark.parametrize(
    "path", ["voila/tree", "voila/tree/", "voila/api/contents", "voila/api/contents/",
             "api/contents", "api/kernels", "api/sessions", "tree", "lab"],
)
def test_nothing_can_be_listed(room: RoomServer, path: str) -> None:
    status, body = final_status(room.url + path + f"?token={TOKEN}")
    assert status in {403, 404}, (path, status)
    assert not KERNEL_ID.search(body) and ".ipynb" not in body


@pytest.mark.slow
def test_kernels_without_a_page_are_culled(room: RoomServer) -> None:
    response = get(room.link(key=room.new_key()))
    kernel_id = KERNEL_ID.search(response.text)[1]
    url = room.url + f"api/kernels/{kernel_id}?token={TOKEN}"
    assert get(url).status_code == 200  # running, nobody connected
    # a page that never connects (this one) keeps its kernel for the arrival grace first
    deadline = time.monotonic() + ARRIVAL_GRACE_SECONDS + CULL_SECONDS + 40
    while time.monotonic() < deadline and get(url).status_code == 200:
        time.sleep(2)
    assert get(url).status_code == 404, "the idle kernel was not culled"


@pytest.mark.slow
def test_reloading_and_closing_a_page_does_not_pile_up_kernels(
    room: RoomServer, page: Page
) -> None:
    """Every page load's kernel (a ready one from the pool, or a new one) stops when the page
    goes; the pool's own ready kernels are not pages, so they are not counted here."""
    page.goto(room.link(key=room.new_key()))
    wait_for_app(page)
    loads = [KERNEL_ID.search(page.content())[1]]
    for _ in range(3):
        page.reload()
        wait_for_app(page)
        loads.append(KERNEL_ID.search(page.content())[1])
    assert len(set(loads)) == 4
    deadline = time.monotonic() + 15
    while any(room.kernel_alive(k) for k in loads[:-1]) and time.monotonic() < deadline:
        time.sleep(1)
    assert [room.kernel_alive(k) for k in loads] == [False, False, False, True]
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 15
    while room.kernel_alive(loads[-1]) and time.monotonic() < deadline:
        time.sleep(1)
    assert not room.kernel_alive(loads[-1])
