"""Kill the page's kernel (SIGKILL) in the middle of an edit, reload: nothing saved is lost."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from mentoring_mosaic.store import DEFAULT_KEY, Store

from ..e2e.conftest import VoilaServer, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW = "What will be new or hard for me"


def kernel_pids(voila: VoilaServer) -> set[int]:
    out = set()
    for child in psutil.Process(voila.proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                out.add(child.pid)
        except psutil.Error:
            continue
    return out


def open_page(page: Page, voila: VoilaServer, notebook: str) -> int:
    """Open a page; return the pid of the kernel it started."""
    before = kernel_pids(voila)
    page.goto(voila.page(notebook))
    wait_for_app(page)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = kernel_pids(voila) - before
        if len(new) == 1:
            return new.pop()
        time.sleep(0.2)
    raise AssertionError(f"expected one new kernel, saw {kernel_pids(voila) - before}")


def save(page: Page, field: str, value: str, role: str = "textbox") -> None:
    saved = page.locator("span.mm-saved[title]")
    before = saved.first.get_attribute("title") if saved.count() else ""
    box = page.get_by_role(role, name=field, exact=True)
    box.fill(value)
    box.press("Tab")
    expect(saved.first).not_to_have_attribute("title", before or "", timeout=30_000)


def stored(voila: VoilaServer):
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    try:
        return store.load(DEFAULT_KEY)
    finally:
        store.dispose()


def test_a_killed_kernel_loses_nothing_that_was_saved(
    browser: Browser, voila: VoilaServer
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        pid = open_page(page, voila, "00_welcome.ipynb")
        save(page, "Your name (optional)", "Kim <b>Killed</b>")
        save(page, "Your current role", "Registrar", role="combobox")
        # an edit in flight: typed, committed, and the kernel dies at once
        box = page.get_by_role("combobox", name="Your next role", exact=True)
        box.fill("Consultant")
        box.press("Tab")
        os.kill(pid, signal.SIGKILL)
        # and one typed but never committed when it died
        page.get_by_role("textbox", name="Your name (optional)").fill("never committed")
        psutil.Process(voila.proc.pid)  # the server is still up
        profile = stored(voila).profile  # the store is readable, not corrupted
        assert profile.display_name == "Kim <b>Killed</b>"
        assert profile.current_role == "Registrar"
        assert profile.next_role in {"", "Consultant"}  # the in-flight edit: all or nothing

        page.reload()
        wait_for_app(page)
        expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_value(
            "Kim <b>Killed</b>", timeout=30_000
        )
        expect(page.get_by_role("combobox", name="Your current role")).to_have_value(
            "Registrar"
        )
        expect(page.get_by_role("combobox", name="Your next role")).to_have_value(
            profile.next_role
        )

        # the same on a stage page with a long text, then a new kernel keeps working
        pid = open_page(page, voila, "01_needs.ipynb")
        save(page, NEW, "Running the night team")
        page.get_by_role("textbox", name=NEW, exact=True).fill("Running the night team, and")
        os.kill(pid, signal.SIGKILL)
        page.reload()
        wait_for_app(page)
        expect(page.get_by_role("textbox", name=NEW, exact=True)).to_have_value(
            "Running the night team", timeout=30_000
        )
        save(page, NEW, "Running the night team and teaching")
        wb = stored(voila)
        assert wb.profile.whats_new == "Running the night team and teaching"
        assert wb.profile.display_name == "Kim <b>Killed</b>"
    finally:
        context.close()
