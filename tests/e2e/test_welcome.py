"""The welcome page in Chromium under Voilà: fill in the profile, reload, find it there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import ConsoleErrors, VoilaServer, assert_accessible, shot, wait_for_app

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
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the phone layout scrolls sideways ({width}px wide)"
