"""The room's ready kernels and bounds, in Chromium against the real ``mentoring-mosaic room``.

- ready (pooled) kernels never show one participant another's workbook, also on the second
  round of pooled kernels (a refilled kernel's environment holds the previous visitor's link);
- closed pages free their kernels (the ``_xsrf`` cookie, set without a prelaunch hook);
- a second tab of the same private link takes over, the first says so and comes back on a click;
- beyond ``--max-participants`` the room answers with a friendly "room is full" page (503);
- a page unused for ``--idle-minutes`` is paused while open and comes back with nothing lost.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from .conftest import (
    ARTIFACTS,
    ConsoleErrors,
    assert_accessible,
    assert_fits,
    shot,
    stored,
    wait_for_app,
)
from .room_server import RoomServer, running_room
from .room_steps import type_name

pytestmark = pytest.mark.browser

TOKEN = "pool-room-token-for-tests-0123456789"
FKEY = "pool-facilitator-key-for-tests-012"
KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"')
NAME = "Your name (optional)"
MAX_PAGES = 6


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServer]:
    # 2 ready kernels; culling only after 2 minutes, so a kernel stopping sooner was stopped
    # by its page (unload) or by the room's guard, never by the culler
    with running_room(tmp_path_factory.mktemp("pool-room"), "--expect=10", "--ready=2",
                      f"--max-participants={MAX_PAGES}", "--cull-seconds=120",
                      token=TOKEN, fkey=FKEY) as server:
        yield server


def viewport_shot(page: Page, name: str) -> None:
    """What the person sees now (the notice covers the window, not the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def kernel_of(page: Page) -> str:
    match = KERNEL_ID.search(page.content())
    assert match, "no kernel id in the page"
    return match[1]


def open_link(page: Page, link: str) -> str:
    page.goto(link, timeout=120_000)  # at the room's start the ready kernels are still warming
    wait_for_app(page)
    return kernel_of(page)


@pytest.mark.slow
def test_ready_kernels_never_show_a_participant_anothers_workbook(
    room: RoomServer, browser: Browser
) -> None:
    names = {"ana": "Ana Poolsecret", "ben": "Ben Poolhidden"}
    links = {who: room.link(key=room.new_key()) for who in names}
    contexts = {who: browser.new_context(viewport={"width": 1280, "height": 800}) for who in names}
    try:
        pages = {}
        for who in ("ana", "ben"):  # round 1: the two kernels ready at the start
            page = contexts[who].new_page()
            errors = ConsoleErrors()
            errors.attach(page)
            kernel = open_link(page, links[who])
            assert room.pooled(kernel), "the page did not get a ready kernel"
            type_name(page, names[who])
            assert not errors, errors
            pages[who] = page
        for who in names:
            key = links[who].rsplit("key=", 1)[1]
            assert stored(room, key).profile.display_name == names[who]
        for page in pages.values():
            page.close(run_before_unload=True)
        # round 2, Ben first: the kernel refilled after Ana's visit was started with Ana's
        # address (Voilà's VOILA_REQUEST_URL); Ben must still get only his own workbook
        for who in ("ben", "ana"):
            other = names["ana" if who == "ben" else "ben"]
            page = contexts[who].new_page()
            kernel = open_link(page, links[who])
            assert room.pooled(kernel), "the second round did not get a ready kernel"
            box = page.get_by_role("textbox", name=NAME)
            expect(box).to_have_value(names[who], timeout=30_000)
            assert other not in page.content()
            box.fill(names[who] + " Again")
            box.press("Tab")
            expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=30_000)
        for who in names:
            key = links[who].rsplit("key=", 1)[1]
            workbook = stored(room, key)
            assert workbook.profile.display_name == names[who] + " Again"
            other = names["ana" if who == "ben" else "ben"]
            assert other not in workbook.model_dump_json()
    finally:
        for context in contexts.values():
            context.close()


def test_closed_pages_free_their_kernels(room: RoomServer, browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(room.link(key=room.new_key()), timeout=120_000)
        wait_for_app(page)
        kernel = kernel_of(page)
        assert any(c["name"] == "_xsrf" for c in context.cookies()), "no _xsrf cookie"
        assert room.kernel_alive(kernel)
        page.close(run_before_unload=True)
        took = room.wait_kernel_gone(kernel, 30)  # culling would take 120 s or more
        assert took < 30
    finally:
        context.close()


@pytest.mark.slow
def test_a_second_tab_takes_over_and_the_first_says_so(room: RoomServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        link = room.link(key=room.new_key())
        first = context.new_page()
        first_kernel = open_link(first, link)
        type_name(first, "Tia Twotabs")
        second = context.new_page()
        second_kernel = open_link(second, link)
        expect(second.get_by_role("textbox", name=NAME)).to_have_value("Tia Twotabs")
        notice = first.get_by_role("alertdialog")
        expect(notice).to_contain_text("Your workbook is open in another tab", timeout=30_000)
        expect(notice).to_contain_text("Your work continues there")
        viewport_shot(first, "room-taken-over")
        assert_accessible(first, "room-taken-over")
        room.wait_kernel_gone(first_kernel, 30)
        assert room.kernel_alive(second_kernel)
        # the next click on the old page brings it back, and the other tab now says so
        first.get_by_role("link", name=re.compile("Use this tab instead")).click()
        wait_for_app(first)
        expect(first.get_by_role("textbox", name=NAME)).to_have_value("Tia Twotabs")
        expect(second.get_by_role("alertdialog")).to_contain_text("open in another tab",
                                                                  timeout=30_000)
        first.set_viewport_size({"width": 390, "height": 844})
        second.set_viewport_size({"width": 390, "height": 844})
        viewport_shot(second, "room-taken-over-phone")
        assert_fits(second, "room-taken-over-phone")
    finally:
        context.close()


def shutdown(room: RoomServer, http: requests.Session, kernel_id: str) -> None:
    """What a page sends when it closes (the unload beacon)."""
    http.post(room.url + f"voila/api/shutdown/{kernel_id}?token={TOKEN}",
              data={"_xsrf": http.cookies.get("_xsrf", "")}, timeout=60)


@pytest.mark.slow
def test_a_full_room_says_so_in_a_page_and_lets_the_facilitator_in(
    room: RoomServer, page: Page
) -> None:
    http = requests.Session()
    held: list[str] = []
    try:
        for _ in range(MAX_PAGES + 1):  # workbook pages that stay open (kernels held)
            response = http.get(room.link(key=room.new_key()), timeout=120)
            if response.status_code == 503:
                break
            held.append(KERNEL_ID.search(response.text)[1])
        else:
            pytest.fail(f"{MAX_PAGES + 1} pages and the room is not full")
        assert len(held) <= MAX_PAGES
        assert "The room is full — please ask the facilitator" in response.text
        assert "Traceback" not in response.text and "voila" not in response.text.lower()
        assert response.headers["Referrer-Policy"] == "same-origin"
        shown = page.goto(room.link(key=room.new_key()))
        assert shown is not None and shown.status == 503
        expect(page.get_by_role("heading", name="The room is full — please ask the facilitator")
               ).to_be_visible()
        shot(page, "room-full")
        assert_accessible(page, "room-full")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "room-full-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        # the facilitator's link still opens (the presenter view: light and quick)
        response = http.get(room.link(fkey=FKEY, view="agenda"), timeout=120)
        assert response.status_code == 200
        held.append(KERNEL_ID.search(response.text)[1])
        # a place frees up when a page closes
        shutdown(room, http, held.pop(0))
        shutdown(room, http, held.pop())
        deadline = time.monotonic() + 30
        newcomer = room.link(key=room.new_key())
        while (status := http.get(newcomer, timeout=120).status_code) == 503:
            assert time.monotonic() < deadline, "no place freed"
            time.sleep(1)
        assert status == 200
        held.append(KERNEL_ID.search(http.get(newcomer, timeout=120).text)[1])
        # the start page needs no kernel: it opens even in a full room, and hands out links
        start = http.get(room.link(), timeout=120)
        assert start.status_code == 200 and "Get my private link" in start.text
    finally:
        for kernel in held:
            shutdown(room, http, kernel)


@pytest.mark.slow
def test_an_idle_page_is_paused_and_comes_back_with_nothing_lost(
    tmp_path: Path, browser: Browser
) -> None:
    # a page unused for 20 s is paused (the room's default is 45 minutes)
    with running_room(tmp_path, "--expect=1", "--idle-minutes=0.34", token=TOKEN,
                      fkey=FKEY) as idle_room:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            link = idle_room.link(key=idle_room.new_key())
            kernel = open_link(page, link)
            box = page.get_by_role("textbox", name=NAME)
            box.fill("Ida Idlewhile")  # typed, not even left: saved as it is typed
            expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=30_000)
            notice = page.get_by_role("alertdialog")
            expect(notice).to_contain_text("This page was paused", timeout=90_000)
            expect(notice).to_contain_text("Nobody used this page for 20 seconds")
            expect(notice).to_contain_text("Your answers are saved")
            viewport_shot(page, "room-idle-paused")
            idle_room.wait_kernel_gone(kernel, 30)
            # the next click brings the page back
            page.get_by_role("link", name=re.compile("Continue where I left off")).click()
            wait_for_app(page)
            expect(page.get_by_role("textbox", name=NAME)).to_have_value("Ida Idlewhile",
                                                                         timeout=30_000)
            assert kernel_of(page) != kernel
        finally:
            context.close()
