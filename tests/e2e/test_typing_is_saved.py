"""Words typed are saved while the participant types: in Chromium under Voilà, type into a
field, wait 1.5 s WITHOUT leaving it, reload (or close the tab), and find the words again.

One test per kind of page: the welcome profile, a stage 1 goal, a stage 2 plan, stage 6 notes
and the wrap-up comment and action. Each test is its own participant (``?key=``). The wrap-up
test also looks at a long action on a laptop and a phone: its box wraps and shows all of it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from mentoring_mosaic.model import (
    ActionItem,
    Goal,
    Needs,
    Person,
    Profile,
    Workbook,
)
from mentoring_mosaic.store import Store

from .conftest import (
    ARTIFACTS,
    ConsoleErrors,
    VoilaServer,
    assert_nothing_cut,
    wait_for_app,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PAUSE_MS = 1500
"""How long the participant waits after the last key, still in the field, before reloading."""
RESEARCH = "Research and scholarship"
LONG_ACTION = (
    "Ask Dr. Adaeze Okafor-Lindqvist: Introduce me to the sponsorship committee and review "
    "my promotion dossier before the spring deadline"
)

VISIBLE_HEIGHT = """el => {
  const r = el.getBoundingClientRect(); let top = r.top, bottom = r.bottom;
  for (let a = el.parentElement; a && !a.matches('.mm-stage'); a = a.parentElement) {
    if (getComputedStyle(a).overflowY === 'visible') continue;
    const b = a.getBoundingClientRect();
    top = Math.max(top, b.top); bottom = Math.min(bottom, b.bottom);
  }
  return bottom - top; }"""
"""How much of a field's height shows, inside every box around it that cuts what overflows."""


def _store(server: VoilaServer) -> Store:
    return Store(f"sqlite:///{server.home / 'workbooks.sqlite3'}")


def seed(server: VoilaServer, key: str, workbook: Workbook | None = None) -> None:
    """A participant of their own, with what the page needs to show the field."""
    store = _store(server)
    try:
        if not store.exists(key):
            store.create_participant(key)
        if workbook is not None:
            store.save_workbook(key, workbook)
    finally:
        store.dispose()


def stored(server: VoilaServer, key: str) -> Workbook:
    store = _store(server)
    try:
        return store.load(key)
    finally:
        store.dispose()


def open_page(page: Page, server: VoilaServer, notebook: str, key: str) -> None:
    page.goto(server.page(notebook, f"key={key}"))
    wait_for_app(page)


def type_and_stay(page: Page, box: Locator, words: str) -> None:
    """Type key by key as a person does, then wait with the cursor still in the box."""
    box.click()
    box.press_sequentially(words, delay=25)
    page.wait_for_timeout(PAUSE_MS)
    focused = box.evaluate("el => el === document.activeElement")
    assert focused, "the field must still have the focus: nothing was sent by leaving it"


def reload_and_find(page: Page, find: Callable[[], Locator], words: str) -> None:
    page.reload()
    wait_for_app(page)
    expect(find()).to_have_value(words, timeout=30_000)


def saved_indicator(page: Page) -> Locator:
    return page.locator(".mm-saved[role=status]").first


def test_welcome_name_and_role_survive_a_reload_and_a_closed_tab(
    page: Page, browser: Browser, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    key = "typing-welcome"
    seed(voila, key)
    page.set_viewport_size(LAPTOP)
    open_page(page, voila, "00_welcome.ipynb", key)
    name = page.get_by_role("textbox", name="Your name (optional)")
    name.click()
    name.press_sequentially("Dr Ana Ruiz", delay=25)
    # the words are still on their way: the page does not claim they are saved
    expect(saved_indicator(page)).to_have_text("Saving…", timeout=2_000)
    page.wait_for_timeout(PAUSE_MS)
    assert name.evaluate("el => el === document.activeElement")
    expect(saved_indicator(page)).to_contain_text("✓ Saved", timeout=2_000)
    assert stored(voila, key).profile.display_name == "Dr Ana Ruiz"
    reload_and_find(page, lambda: page.get_by_role("textbox", name="Your name (optional)"),
                    "Dr Ana Ruiz")

    # a combobox (a list to pick from, or your own words), then the tab is closed
    role = page.get_by_role("combobox", name="Your next role")
    role.click()
    role.press_sequentially("Neonatology fellow", delay=25)
    page.wait_for_timeout(1000)
    page.close()
    other = browser.new_page()
    try:
        other.set_viewport_size(LAPTOP)
        open_page(other, voila, "00_welcome.ipynb", key)
        expect(other.get_by_role("combobox", name="Your next role")).to_have_value(
            "Neonatology fellow", timeout=30_000
        )
        expect(other.get_by_role("textbox", name="Your name (optional)")).to_have_value(
            "Dr Ana Ruiz"
        )
    finally:
        other.close()


def test_stage1_goal_and_whats_new_survive_a_reload(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    key = "typing-stage1"
    seed(voila, key, Workbook(needs=Needs(top_needs=["research"])))
    page.set_viewport_size(LAPTOP)
    open_page(page, voila, "01_needs.ipynb", key)
    new = "Running a clinic of my own, and the night calls"
    type_and_stay(page, page.get_by_role("textbox", name="What will be new or hard for me"),
                  new)
    goal_words = "Submit my first abstract to the spring meeting"
    goal = page.get_by_role("textbox", name=f"My goal ({RESEARCH})")
    type_and_stay(page, goal, goal_words)
    # the goal checker follows the typing, without leaving the box
    expect(page.get_by_text("Next: specific.").filter(visible=True)).to_be_visible()
    wb = stored(voila, key)
    assert wb.profile.whats_new == new and wb.goals[0].goal == goal_words
    reload_and_find(page, lambda: page.get_by_role("textbox", name=f"My goal ({RESEARCH})"),
                    goal_words)
    expect(page.get_by_role("textbox", name="What will be new or hard for me")).to_have_value(
        new
    )


def test_stage2_plan_survives_a_reload(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    key = "typing-stage2"
    seed(voila, key, Workbook(people=[Person(id="lee", name="Dr Lee")]))
    page.set_viewport_size(LAPTOP)
    open_page(page, voila, "02_managing_up.ipynb", key)
    words = "Honest feedback on my first grant, and an introduction to the study section"
    type_and_stay(page, page.get_by_role("textbox", name="What I need from this mentor"), words)
    # the agenda below follows the words typed
    expect(page.locator(".mm-doc").first).to_contain_text("an introduction to the study section")
    title = page.get_by_role("textbox", name="Their role or title (optional)")
    type_and_stay(page, title, "program director")
    wb = stored(voila, key)
    assert wb.managing_up["lee"].need_from == words and wb.person("lee").title == (
        "program director"
    )
    reload_and_find(page, lambda: page.get_by_role("textbox",
                                                   name="What I need from this mentor"), words)
    expect(page.get_by_role("textbox", name="Their role or title (optional)")).to_have_value(
        "program director"
    )


def test_stage6_notes_survive_a_reload(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    key = "typing-stage6"
    seed(voila, key)
    page.set_viewport_size(LAPTOP)
    open_page(page, voila, "06_scenarios.ipynb", key)
    notes = "Ask my chief for a standing 15-minute slot\nBring one question each time"
    box = page.locator(".mm-scenario").filter(visible=True).get_by_role(
        "textbox", name="My notes: what I would do")
    box.click()
    box.press_sequentially(notes.split("\n")[0], delay=25)
    box.press("Enter")  # a new line in the notes; Enter does not leave the box
    box.press_sequentially(notes.split("\n")[1], delay=25)
    page.wait_for_timeout(PAUSE_MS)
    assert box.evaluate("el => el === document.activeElement")
    assert notes in [n.strategy for n in stored(voila, key).scenarios.values()]
    reload_and_find(page, lambda: page.locator(".mm-scenario").filter(visible=True)
                    .get_by_role("textbox", name="My notes: what I would do"), notes)


def test_wrapup_comment_and_action_survive_a_reload_and_a_long_action_wraps(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    key = "typing-wrapup"
    seed(voila, key, Workbook(
        profile=Profile(display_name="Ana"),
        goals=[Goal(goal="Submit an abstract")],
        actions=[ActionItem(id="a1", text=LONG_ACTION, who="Me", source="own"),
                 ActionItem(id="a2", text="Email Dr Lee", source="own")],
    ))
    page.set_viewport_size(LAPTOP)
    open_page(page, voila, "07_wrapup.ipynb", key)
    comment = "Thank you, the mosaic made me see who is missing"
    type_and_stay(page, page.get_by_role("textbox", name="Any other comments (optional)"),
                  comment)
    action = page.get_by_role("textbox", name="Action 2", exact=True)
    action.click()
    action.press("End")
    action.press_sequentially(" about the grant deadline", delay=25)
    page.wait_for_timeout(PAUSE_MS)
    assert action.evaluate("el => el === document.activeElement")
    wb = stored(voila, key)
    assert wb.evaluation.comments == comment
    assert wb.actions[1].text == "Email Dr Lee about the grant deadline"
    reload_and_find(page, lambda: page.get_by_role("textbox",
                                                   name="Any other comments (optional)"), comment)
    expect(page.get_by_role("textbox", name="Action 2", exact=True)).to_have_value(
        "Email Dr Lee about the grant deadline"
    )

    # a long action shows whole, wrapped in its box, on a laptop and on a phone
    long_box = page.get_by_role("textbox", name="Action 1", exact=True)
    expect(long_box).to_have_value(LONG_ACTION)
    for size, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.wait_for_timeout(400)
        hidden = long_box.evaluate("el => el.scrollHeight - el.clientHeight")
        assert hidden <= 2, f"{name}: the action box hides {hidden}px of its text"
        lines = long_box.evaluate(
            "el => Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight))")
        assert lines >= 2, f"{name}: the long action should wrap onto more lines ({lines})"
        plan = page.locator(".mm-stage-wrapup .mm-card").first
        plan.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        plan.screenshot(path=str(ARTIFACTS / f"typing-wrapup-plan-{name}.png"))
    # on a phone, with no column headings, each field says what it is
    row = page.locator(".mm-action-row").filter(has=long_box)
    for word in ("Done", "Who", "By when"):
        css = {"Done": ".mm-plan-done", "Who": ".mm-plan-who", "By when": ".mm-plan-due"}[word]
        shown = row.locator(css).evaluate(
            "el => getComputedStyle(el, '::before').content")
        assert word in shown, f"phone: {word!r} is not shown beside its field ({shown})"
    for css in (".mm-plan-who input", ".mm-plan-due input"):  # fields whole, not clipped
        field = row.locator(css)
        seen = field.evaluate(VISIBLE_HEIGHT)
        assert seen >= 24, f"phone: {css} shows only {seen}px of its height"
    assert_nothing_cut(page, "wrap-up plan, phone")
