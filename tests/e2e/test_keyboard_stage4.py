"""Stage 4 from the keyboard only: add a person, edit them, open them from the list, remove.

Only key presses reach the page (Tab, Shift+Tab, Enter, Space, arrows, Ctrl+A and typing):
no clicks, no ``fill``. Focus moves by Tab until the focused control has the accessible name
we want, so the test also proves that every control on the way is reachable in tab order.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.store import DEFAULT_KEY, Store

from .conftest import ConsoleErrors, VoilaServer, shot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_TABS = 120

FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const text = ['BUTTON', 'A'].includes(el.tagName) ? el.textContent : '';
  const label = el.getAttribute('aria-label')
    || (el.labels && el.labels.length ? el.labels[0].textContent : '')
    || text || el.getAttribute('title') || '';
  return label.trim();
}"""


def focused(page: Page) -> str:
    return page.evaluate(FOCUSED_NAME)


def tab_to(page: Page, name: str, *, back: bool = False, exact: bool = True) -> None:
    """Press Tab (or Shift+Tab) until the focused control is called ``name``."""
    key = "Shift+Tab" if back else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now)
        if now == name or (not exact and now.startswith(name)):
            return
    raise AssertionError(f"{name!r} cannot be reached with {key}; focus went through {seen}")


def type_over(page: Page, text: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def people(voila: VoilaServer) -> list:
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    try:
        return store.load(DEFAULT_KEY).people
    finally:
        store.dispose()


def test_stage4_from_the_keyboard(page: Page, voila: VoilaServer) -> None:
    console_errors = ConsoleErrors()
    console_errors.attach(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("04_mosaic.ipynb"))
    wait_for_app(page)
    page.wait_for_selector(".mm-mosaic-editor canvas", timeout=60_000)
    expect(page.get_by_role("heading", name="Add a person")).to_be_visible()

    # add
    tab_to(page, "Name")
    page.keyboard.type("Dr Keyes")
    tab_to(page, "Level, relative to you")
    page.keyboard.press("ArrowDown")  # senior -> the next level
    tab_to(page, "Sponsorship")
    page.keyboard.press("Space")
    tab_to(page, "Add to my mosaic")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Added Dr Keyes to your mosaic.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Editing: Dr Keyes")).to_be_visible()
    stored = people(voila)
    assert [p.name for p in stored] == ["Dr Keyes"]
    assert stored[0].domains == ["sponsorship"] and stored[0].level != "senior"

    # edit (the form now holds the person): change the name, save
    tab_to(page, "Name", back=True)
    type_over(page, "Dr Keyes-Board")
    tab_to(page, "Save changes")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved Dr Keyes-Board.")).to_be_visible(timeout=30_000)
    assert [p.name for p in people(voila)] == ["Dr Keyes-Board"]

    # a second person, then open the first one again from the list
    tab_to(page, "New person")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Add a person")).to_be_visible(timeout=30_000)
    tab_to(page, "Name", back=True)
    page.keyboard.type("Dr Second")
    tab_to(page, "Add to my mosaic")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Editing: Dr Second")).to_be_visible(timeout=30_000)
    listbox = page.get_by_role("listbox", name="People in your mosaic")
    expect(listbox).to_contain_text("Dr Keyes-Board")
    tab_to(page, "People in your mosaic", back=True)
    page.keyboard.press("ArrowUp")  # from Dr Second to Dr Keyes-Board
    expect(page.get_by_role("heading", name="Editing: Dr Keyes-Board")).to_be_visible(
        timeout=30_000
    )

    # remove, with the confirmation
    tab_to(page, "Remove…")
    page.keyboard.press("Enter")
    tab_to(page, "Yes, remove")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Removed Dr Keyes-Board.")).to_be_visible(timeout=30_000)
    assert [p.name for p in people(voila)] == ["Dr Second"]
    expect(listbox).not_to_contain_text("Dr Keyes-Board")
    shot(page, "keyboard-stage4")
    assert not console_errors, f"console errors: {list(console_errors)}"
