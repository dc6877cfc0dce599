"""The welcome page in Chromium under Voilà: fill in the profile, reload, find it there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import ConsoleErrors, VoilaServer, assert_accessible, assert_fits, shot, wait_for_app

pytestmark = pytest.mark.browser


def test_profile_survives_a_reload(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("00_welcome.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Welcome", exact=True)).to_be_visible()
    expect(page.get_by_text("Today's plan")).to_be_visible()

    name = page.get_by_role("textbox", name="Your name (optional)")
    name.fill("Dr <b>Ana</b> Ruiz")
    name.press("Tab")
    role = page.get_by_role("combobox", name="Your current role")
    role.fill("PGY-3 resident")
    role.press("Tab")
    nxt = page.get_by_role("combobox", name="Your next role")
    nxt.fill("Neonatology fellow")
    nxt.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    shot(page, "welcome-laptop")

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_value(
        "Dr <b>Ana</b> Ruiz", timeout=30_000
    )
    expect(page.get_by_role("combobox", name="Your current role")).to_have_value("PGY-3 resident")
    expect(page.get_by_role("combobox", name="Your next role")).to_have_value("Neonatology fellow")
    link = page.get_by_role("link", name="Next: ")
    expect(link).to_have_attribute("href", "01_needs.ipynb")
    assert_accessible(page, "welcome")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "welcome-phone")
    assert_fits(page, "welcome-phone")


def test_saved_time_is_the_participants_own(browser, voila: VoilaServer) -> None:
    """The kernel's clock is UTC on Binder; the page shows the save in the browser's zone."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    # +12:45 or +13:45, and a 24-hour locale so the text is predictable
    context = browser.new_context(timezone_id="Pacific/Chatham", locale="en-GB")
    page = context.new_page()
    try:
        page.goto(voila.page("00_welcome.ipynb"))
        wait_for_app(page)
        name = page.get_by_role("textbox", name="Your name (optional)")
        name.fill("Dr Time Zone")
        name.press("Tab")
        expect(page.locator("span.mm-saved[title] time")).to_be_visible(timeout=15_000)
        # read the stamp and its text together: a newer save may replace both at any moment
        read = "() => { const t = document.querySelector('span.mm-saved time');" \
               " return t ? [t.dateTime, t.textContent] : null; }"
        seen = None
        for _ in range(60):
            seen = page.evaluate(read)
            if seen:
                stamp = dt.datetime.fromisoformat(seen[0])
                if seen[1] == f"{stamp.astimezone(ZoneInfo('Pacific/Chatham')):%H:%M}":
                    break
            page.wait_for_timeout(250)
        else:
            raise AssertionError(f"the saved time is not in the browser's zone: {seen}")
    finally:
        context.close()


def test_start_command_serves_the_app(tmp_path) -> None:
    """`mentoring-mosaic start` launches Voilà and prints URLs that answer."""
    import os
    import subprocess
    import sys
    import urllib.request

    from ..conftest import ROOT, free_port, wait_for_port

    port = free_port()
    env = {**os.environ, "MENTORING_MOSAIC_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentoring_mosaic.cli", "start", f"--port={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        urls = [line.split()[-1] for line in lines if "http://" in line]
        assert urls == [
            f"http://127.0.0.1:{port}/voila/render/00_welcome.ipynb",
            f"http://127.0.0.1:{port}/voila/render/workshop.ipynb",
        ]
        wait_for_port(port, proc=None)
        for url in urls:
            with urllib.request.urlopen(url, timeout=60) as response:
                assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
