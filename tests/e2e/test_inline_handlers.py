"""Our fixed inline handlers in Chromium, without Voilà: they do their job and never throw,
also when a newer value has already replaced the element they belong to."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from mentoring_mosaic.widgets.common import LOCAL_TIME_SCRIPT, run_on_render

from .conftest import ConsoleErrors

pytestmark = pytest.mark.browser

STAMP = dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC)


def saved_markup() -> str:
    """What SaveIndicator shows (the same handler and structure)."""
    return (
        f'<span>✓ Saved <time datetime="{STAMP.isoformat()}">13:00</time></span>'
        + run_on_render(LOCAL_TIME_SCRIPT)
    )


def test_saved_time_is_rewritten_in_the_browsers_zone(browser) -> None:
    context = browser.new_context(timezone_id="Asia/Kolkata", locale="en-GB")  # +05:30
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    try:
        page.set_content(f'<div id="box">{saved_markup()}</div>')
        page.wait_for_function("document.querySelector('time').textContent === '18:30'")
        assert not errors
    finally:
        context.close()


def test_a_replaced_saved_time_does_not_throw(
    page: Page, console_errors: ConsoleErrors
) -> None:
    # saves replace the widget's HTML before the old images' error events have fired
    page.set_content('<div id="box"></div>')
    page.evaluate(
        """html => { const box = document.getElementById('box');
                     for (let i = 0; i < 20; i++) { box.innerHTML = html; }
                     box.innerHTML = html; box.innerHTML = ''; }""",
        saved_markup(),
    )
    page.wait_for_timeout(500)
    assert not console_errors, list(console_errors)
