"""The welcome page in Chromium under Voilà: fill in the profile, reload, find it there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import Profile, Workbook

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    assert_nothing_cut,
    scrolled_shot,
    shot,
    wait_for_app,
)

pytestmark = pytest.mark.browser

PLAIN_WORDS_BANNED = ("Binder", ".ipynb", "GraphML", "JSON", "(0)")
"""Not on a participant's page without an everyday explanation (and off Binder, not at all)."""

CONTENT_HEIGHT = """() => { const r = document.getElementById('rendered_cells');
  return r ? r.scrollHeight : document.documentElement.scrollHeight; }"""


def whole_shot(page: Page, name: str) -> Path:
    """The whole page (Voilà scrolls inside a box, so a full-page screenshot shows one screen)."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": page.evaluate(CONTENT_HEIGHT)})
    page.wait_for_timeout(500)
    try:
        return shot(page, name)
    finally:
        page.set_viewport_size(size)


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
    # a participant's page: no demo personas, no service names, no file counter
    expect(page.get_by_text("demo persona")).to_have_count(0)
    expect(page.get_by_role("button", name="Load this persona")).to_have_count(0)
    text = page.locator(".mm-page").inner_text()
    for bad in PLAIN_WORDS_BANNED:
        assert bad not in text, f"{bad!r} on the welcome page"
    expect(page.get_by_text("Keep a copy of your work")).to_be_visible()
    assert_accessible(page, "welcome")

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    assert_fits(page, "welcome-phone")
    assert_nothing_cut(page, "welcome-phone")
    mentor = page.get_by_role("checkbox", name="I also mentor others")
    expect(mentor).to_be_visible()
    label = page.locator(".mm-check-wrap .widget-label-basic span").first
    assert label.inner_text().endswith("junior colleagues)")
    whole_shot(page, "welcome-phone")


def test_resume_from_a_file_reads_without_a_counter(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("00_welcome.ipynb"))
    wait_for_app(page)
    resume = page.get_by_role("button", name="Resume from a file", exact=False)
    expect(resume).to_have_count(1)
    expect(resume).to_have_text("⬆ Resume from a file")
    assert "(0)" not in page.locator(".mm-page").inner_text()  # what a person sees
    before = page.get_by_role("textbox", name="Your name (optional)")
    before.fill("Dr Before")  # answers of this page, which "Undo resume" brings back
    before.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    mine = tmp_path / "my-workbook.json"
    mine.write_text(json.dumps(Workbook(profile=Profile(display_name="Dr From File"))
                               .to_json_dict()))
    with page.expect_file_chooser() as chooser:
        resume.click()
    chooser.value.set_files(str(mine))
    expect(page.get_by_text("Welcome back! Loaded “my-workbook.json”")).to_be_visible(
        timeout=20_000
    )
    expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_value("Dr From File")
    assert "(1)" not in page.locator(".mm-page").inner_text()
    # the workbook file holds what the page shows at the click
    name = page.get_by_role("textbox", name="Your name (optional)")
    name.fill("Dr Typed Last")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my workbook").click()
    saved = tmp_path / "saved.json"
    info.value.save_as(saved)
    assert json.loads(saved.read_text("utf-8"))["profile"]["display_name"] == "Dr Typed Last"
    page.get_by_role("button", name="Undo resume").click()
    expect(page.get_by_text("Back to the answers you had before resuming")).to_be_visible(
        timeout=15_000
    )
    expect(name).to_have_value("Dr Before")
    shot(page, "welcome-resumed")


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
        [sys.executable, "-m", "mentoring_mosaic.serve.cli", "start", f"--port={port}"],
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


def test_the_facilitator_link_shows_the_demo_personas(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("00_welcome.ipynb", "facilitator=1"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="For facilitators: demo personas")).to_be_visible(
        timeout=30_000
    )
    expect(page.locator(".mm-label", has_text="Demo persona")).to_be_visible()
    expect(page.get_by_role("radio", name="PGY-3 resident heading to fellowship")).to_be_checked()
    expect(page.get_by_role("button", name="Load this persona")).to_be_visible()
    whole_shot(page, "welcome-facilitator-laptop")
    assert_accessible(page, "welcome-facilitator")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    assert_fits(page, "welcome-facilitator-phone")
    assert_nothing_cut(page, "welcome-facilitator-phone")
    whole_shot(page, "welcome-facilitator-phone")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_older_file_asks_before_it_replaces_newer_answers(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path, width: int
) -> None:
    """Last season's workbook file picked by mistake over newer answers: the page asks, and
    'Keep my answers here' changes nothing."""
    import datetime as dt

    page.set_viewport_size({"width": width, "height": 800 if width > 400 else 844})
    page.goto(voila.page("00_welcome.ipynb"))
    wait_for_app(page)
    name = page.get_by_role("textbox", name="Your name (optional)")
    name.fill(f"Dr Newer {width}")
    name.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    old = tmp_path / "mentoring-mosaic-my-workbook.json"
    old.write_text(json.dumps(Workbook(
        profile=Profile(display_name="Dr Older"),
        updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=95)).to_json_dict()))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Resume from a file", exact=False).click()
    chooser.value.set_files(str(old))
    expect(page.get_by_text("“mentoring-mosaic-my-workbook.json” is older than the answers on "
                            "this page (saved today)")).to_be_visible(timeout=20_000)
    keep = page.get_by_role("button", name="Keep my answers here")
    expect(keep).to_be_visible()
    assert_fits(page, f"older-file question at {width}px", width)
    scrolled_shot(page, f"resume-older-file-{width}")
    keep.click()
    expect(page.get_by_text("Nothing changed: your answers on this page are kept.")).to_be_visible(
        timeout=15_000)
    expect(name).to_have_value(f"Dr Newer {width}")
    expect(page.get_by_role("button", name="Load the older file")).to_be_hidden()
