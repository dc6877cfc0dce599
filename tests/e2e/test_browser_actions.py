"""The page's browser module (``widgets/browser_actions.js``) in Chromium: first alone, with a
stand-in for anywidget's model (fast, every branch), then under Voilà where nothing else
covers it (the mosaic's drawer brought into view on a phone).

Covered elsewhere under Voilà: the download buttons (test_welcome, test_wrapup, test_mosaic),
copy to the clipboard (test_stage2, test_stages_1_3), the saved time in the participant's zone
(test_welcome), a new stage opening at its top (test_stages_1_3), the resume file picker and
its size check (test_welcome, test_upload_size).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import Person, Profile, Workbook

from .conftest import ConsoleErrors, VoilaServer, shot, store_workbook, wait_for_app

pytestmark = pytest.mark.browser

MODULE = (
    Path(__file__).resolve().parents[2] / "mentoring_mosaic" / "widgets" / "browser_actions.js"
).read_text("utf-8")
STAMP = dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC)

LOAD = """async ([source, maxBytes]) => {
  // what anywidget does with the module: import it from a blob, call initialize({model})
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const mod = await import(url);
  const handlers = [];
  window.fakeModel = {
    on: (name, fn) => { if (name === 'msg:custom') handlers.push(fn); },
    get: (key) => (key === 'max_upload_bytes' ? maxBytes : undefined),
    emit: (msg, buffers = []) => handlers.forEach((fn) => fn(msg, buffers)),
  };
  await mod.default.initialize({ model: window.fakeModel });
}"""


def load(page: Page, body: str, max_bytes: int = 5_000_000) -> None:
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")
    page.evaluate(LOAD, [MODULE, max_bytes])


def saved(stamp: dt.datetime = STAMP) -> str:
    """What SaveIndicator shows (common.local_time)."""
    return (f'<span class="mm-saved">✓ Saved <time datetime="{stamp.isoformat()}" '
            'data-mm-local="time">13:00</time></span>')


def test_saved_time_is_rewritten_in_the_browsers_zone(browser: Any) -> None:
    context = browser.new_context(timezone_id="Asia/Kolkata", locale="en-GB")  # +05:30
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    try:
        load(page, f'<div id="box">{saved()}</div><div id="later"></div>')
        page.wait_for_function("document.querySelector('#box time').textContent === '18:30'")
        # a save shown after the module started (a new HTML value) is rewritten too
        page.evaluate("html => { document.getElementById('later').innerHTML = html; }",
                      saved(STAMP + dt.timedelta(minutes=7)))
        page.wait_for_function("document.querySelector('#later time').textContent === '18:37'")
        assert not errors
    finally:
        context.close()


def test_a_replaced_saved_time_does_not_throw(
    page: Page, console_errors: ConsoleErrors
) -> None:
    # saves replace the widget's HTML many times a second while a person types
    load(page, '<div id="box"></div>')
    page.evaluate(
        """html => { const box = document.getElementById('box');
                     for (let i = 0; i < 20; i++) { box.innerHTML = html; }
                     box.innerHTML = html; box.innerHTML = ''; }""",
        saved(),
    )
    page.wait_for_timeout(500)
    assert not console_errors, list(console_errors)


def test_a_download_message_saves_its_bytes_under_its_name(
    page: Page, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    load(page, "<p>page</p>")
    data = "Ünïcødé <b>not markup</b> \"quoted\" 'and' ✓\n".encode() * 2000 + bytes(range(256))
    name = 'my "plan" <b>.txt'
    with page.expect_download() as info:
        page.evaluate(
            """([bytes, name]) => window.fakeModel.emit(
                 { do: 'download', name, mime: 'text/plain' },
                 [new DataView(new Uint8Array(bytes).buffer)])""",
            [list(data), name],
        )
    target = tmp_path / "got"
    info.value.save_as(target)
    assert target.read_bytes() == data
    assert "not markup" not in page.content()  # the bytes never became part of the page
    assert info.value.suggested_filename.endswith(".txt")


def test_a_scroll_waits_for_its_target_to_show(
    page: Page, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    load(page, '<div style="height:3000px">top</div>'
               '<div class="mm-drawer" style="display:none;height:200px">drawer</div>'
               '<div style="height:3000px">bottom</div>')
    page.evaluate("window.fakeModel.emit({do: 'scroll', target: '.mm-drawer', block: 'nearest'})")
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") == 0  # hidden: nothing to scroll to yet
    page.evaluate("document.querySelector('.mm-drawer').style.display = 'block'")
    expect(page.locator(".mm-drawer")).to_be_in_viewport()
    # an unknown block falls back to "start"; a selector that matches nothing is ignored
    page.evaluate("window.fakeModel.emit({do: 'scroll', target: '.nothing', block: 'x'})")
    page.evaluate("window.fakeModel.emit({do: 'nothing'})")
    page.wait_for_timeout(200)


def test_copy_and_resume_answer_the_persons_click(
    browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    try:
        # no secure context here (about:blank), so the older execCommand copies
        load(page, '<div class="mm-copy"><textarea readonly>Agenda &lt;b&gt;1&lt;/b&gt;'
                   '</textarea><button type="button">Copy</button>'
                   '<span class="mm-copy-done"></span></div>'
                   '<div class="mm-filebar"><button class="mm-resume">Resume</button>'
                   '<button class="mm-upload">upload</button></div>')
        page.evaluate("""document.querySelector('.mm-upload').addEventListener(
                           'click', () => { window.opened = (window.opened || 0) + 1; })""")
        page.get_by_role("button", name="Copy").click()
        expect(page.get_by_text("Copied. Paste it into an email or invitation.")).to_be_visible()
        page.get_by_role("button", name="Resume").click()
        assert page.evaluate("window.opened") == 1  # the hidden upload's picker opened
        assert not errors
    finally:
        context.close()


def test_opening_a_person_brings_the_drawer_into_view_on_a_phone(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    """On a phone the list of people is far from the drawer: choosing someone must show it."""
    people = [Person(id=f"p{i}", name=f"Dr Number {i}", domains=["feedback"]) for i in range(8)]
    store_workbook(voila, Workbook(profile=Profile(display_name="Sam"), people=people))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(voila.page("04_mosaic.ipynb"))
    wait_for_app(page, ".mm-page .mm-stage")
    drawer = page.locator(".mm-drawer")
    expect(drawer).to_be_hidden()
    last = page.locator(".mm-people").get_by_role("button", name="Dr Number 7", exact=False)
    last.scroll_into_view_if_needed()
    last.click()
    expect(page.get_by_role("heading", name="Change Dr Number 7")).to_be_visible(timeout=20_000)
    expect(drawer).to_be_in_viewport(timeout=10_000)
    shot(page, "mosaic-drawer-revealed-phone")
