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

    # five people, keyboard only: name, Enter adds; the form empties for the next one
    names = ["Dr Keyes", "Dr Two", "Dr Three", "Dr Four", "Dr Five"]
    tab_to(page, "Name")
    for i, name in enumerate(names):
        if i == 1:  # the second one also gets a level and a kind of support
            page.keyboard.type(name)
            tab_to(page, "Who are they to you?")
            page.keyboard.press("ArrowDown")  # senior -> a peer
            tab_to(page, "Sponsorship")
            page.keyboard.press("Space")
            tab_to(page, "Add to my mosaic")
            page.keyboard.press("Enter")
            expect(page.get_by_text(f"Added {name} to your mosaic.", exact=False)).to_be_visible(
                timeout=30_000
            )
            tab_to(page, "Name", back=True)
            continue
        page.keyboard.type(name)
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Added {name} to your mosaic.", exact=False)).to_be_visible(
            timeout=30_000
        )
        expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value("")
    stored = people(voila)
    assert sorted(p.name for p in stored) == sorted(names)
    second = next(p for p in stored if p.name == "Dr Two")
    assert second.domains == ["sponsorship"] and second.level == "peer"

    # open one from the list, change the name in the drawer, save: only that person changes
    opened = "Dr Three"
    tab_to(page, f"{opened} — ", exact=False)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Change {opened}")).to_be_visible(timeout=30_000)
    tab_to(page, f"Name, for {opened}")
    page.keyboard.press("Control+A")
    page.keyboard.type(opened + " Board")
    tab_to(page, f"Save changes to {opened}", back=True)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Saved changes to {opened} Board.")).to_be_visible(timeout=30_000)
    assert sorted(p.name for p in people(voila)) == sorted(
        n + " Board" if n == opened else n for n in names
    )

    # saving closed the drawer; open them again from the list, move them, then remove them
    expect(page.locator(".mm-drawer")).to_be_hidden()
    tab_to(page, f"{opened} Board — ", exact=False)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Change {opened} Board")).to_be_visible(
        timeout=30_000
    )
    tab_to(page, "→ Right")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Put back in its ring")).to_be_enabled(timeout=30_000)
    tab_to(page, f"Remove {opened} Board…", back=True)
    page.keyboard.press("Enter")
    tab_to(page, f"Yes, remove {opened} Board")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Removed {opened} Board.")).to_be_visible(timeout=30_000)
    assert len(people(voila)) == 4
    expect(page.locator(".mm-people")).not_to_contain_text(f"{opened} Board")
    shot(page, "keyboard-stage4")
    assert not console_errors, f"console errors: {list(console_errors)}"
