"""Stage 2 (managing up) in Chromium under Voilà, by visible labels, as a participant would:
name a mentor with a title, fill a plan, read the agenda as formatted text, copy it and find
plain text on the clipboard; text boxes in the page's own font; the page within its slot at
1280x800 with a demo persona; nothing cut or sideways at 390x844; axe clean.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic import demo
from mentoring_mosaic.store import Store

from . import conftest
from .conftest import (
    ARTIFACTS,
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    wait_for_app,
    wait_stored,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PERSONA_KEY = "stage2-persona"
MAX_HEIGHT = 2500
"""About 3 laptop screens (2400 px), with a little room for a persona's long names."""
MAX_WORDS = 650
"""About 600 visible words at first sight, the same room."""

MARKDOWN_LINE = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|>\s)", re.MULTILINE)

# What a person sees: text in rendered elements (not display:none, not inside a closed
# <details>, not a 1-px screen-reader-only box), and the page's scroll height (Voilà scrolls
# inside #rendered_cells, not the document).
SIZE_JS = """() => {
  const count = s => (s.match(/[\\p{L}\\p{N}][\\p{L}\\p{N}'’.,:/@&-]*/gu) || []).length;
  const seen = new Map();
  const visible = el => {
    if (!seen.has(el)) {
      const r = el.getBoundingClientRect();
      seen.set(el, el.checkVisibility({visibilityProperty: true}) && r.width > 2 && r.height > 2);
    }
    return seen.get(el);
  };
  let words = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('select, textarea, script, style') || !n.data.trim()) continue;
    if (visible(el)) words += count(n.data);
  }
  const cells = document.getElementById('rendered_cells');
  const height = Math.max(document.documentElement.scrollHeight, cells ? cells.scrollHeight : 0);
  return {words, height};
}"""

FONTS_JS = """() => [...document.querySelectorAll('textarea')]
  .filter(t => t.checkVisibility() && !t.closest('.mm-copy'))
  .map(t => getComputedStyle(t).fontFamily)"""


def fill(page: Page, name: str, text: str) -> None:
    """Type into a field and leave it (answers save while typed; leaving changes nothing)."""
    box = page.get_by_role("textbox", name=name, exact=True)
    box.fill(text)
    box.press("Tab")


def shot_all(page: Page, name: str) -> Path:
    """A screenshot of the whole page: Voilà scrolls inside a panel, so ``full_page`` shows
    one screen only; the viewport grows to the page's height for the picture."""
    size = dict(page.viewport_size or LAPTOP)
    height = page.evaluate(SIZE_JS)["height"]
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def on_phone(page: Page, name: str) -> None:
    """390x844: nothing scrolls sideways, nothing is cut, axe clean; back to the laptop."""
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(400)
    shot_all(page, f"{name}-phone")
    assert_fits(page, name, PHONE["width"])
    nothing_cut = getattr(conftest, "assert_nothing_cut", None)
    if nothing_cut is not None:  # the labels-and-fields check, where conftest has it
        nothing_cut(page, name)
    assert_accessible(page, f"{name}-phone")
    page.set_viewport_size(LAPTOP)


def test_stage2_plan_agenda_copied_as_plain_text(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("02_managing_up.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Managing up", exact=True)).to_be_visible()

    # a mentor with a role or title
    fill(page, "Name", "Dr <i>Lee</i>")
    fill(page, "Role or title (optional)", "program director")
    page.get_by_role("button", name="Add mentor").click()
    expect(page.get_by_text("Added Dr <i>Lee</i>.")).to_be_visible()
    plan_for = page.get_by_role("combobox", name="Plan for", exact=True)
    expect(plan_for.locator("option:checked")).to_have_text("Dr <i>Lee</i>, program director")

    # the plan; the participant types Markdown-looking text and markup
    fill(page, "What I need from this mentor", "Feedback on my #1 abstract")
    fill(page, "My one ask for next time", "# Read my <b>draft</b> by Friday")
    fill(page, "What I offer back", "- Help with the journal club")
    page.get_by_role("checkbox", name="Send a short agenda before each meeting").check()
    wait_stored(
        voila,
        lambda wb: [(p.name, p.title) for p in wb.current_mentors]
        == [("Dr <i>Lee</i>", "program director")]
        and wb.managing_up[wb.current_mentors[0].id].habits == ["send_agenda"]
        and wb.managing_up[wb.current_mentors[0].id].offer_back.startswith("- Help"),
    )

    # every text box writes in the page's own font, not a typewriter one
    fonts = page.evaluate(FONTS_JS)
    assert len(fonts) >= 4 and not [f for f in fonts if "monospace" in f.lower()], fonts

    # the agenda reads as formatted text: headings and a list, the answers shown as typed
    agenda = page.get_by_role("region", name="Agenda for the next meeting")
    expect(
        agenda.get_by_role("heading", name="Meeting with Dr <i>Lee</i>, program director")
    ).to_be_visible()
    expect(agenda.get_by_role("heading", name="2. My ask (10 min)")).to_be_visible()
    expect(agenda.get_by_role("listitem").filter(has_text="Read my <b>draft</b> by Friday"))\
        .to_be_visible()
    expect(agenda.locator("b, i")).to_have_count(0)  # user markup stays text
    shot_all(page, "stage2-plan-laptop")

    # Copy puts plain text on the clipboard: no '#', '##', '**' or '- ' bullets
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the agenda").click()
    expect(page.get_by_text("Copied. Paste it into an email or invitation.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Meeting with Dr <i>Lee</i>, program director\n"), copied
    assert "\n2. My ask (10 min)\n• Read my <b>draft</b> by Friday\n" in copied, copied
    assert "What I need from you: Feedback on my #1 abstract" in copied
    assert "• Help with the journal club" in copied
    assert not MARKDOWN_LINE.search(copied) and "**" not in copied, copied

    # one draft at a time: the request replaces the agenda, and copies as plain text too
    page.get_by_role("radio", name="Request to a busy mentor").check()
    request = page.get_by_role("region", name="Request to a busy mentor")
    expect(request).to_contain_text("Dear Dr <i>Lee</i>,")
    expect(agenda).to_be_hidden()
    page.get_by_role("button", name="Copy the request").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("To: Dr <i>Lee</i>, program director\nSubject: Request: 20 minutes")
    assert not MARKDOWN_LINE.search(copied) and "**" not in copied, copied
    page.get_by_role("radio", name="Agenda for the next meeting").check()
    expect(agenda).to_be_visible()

    # the longer explanations are folded until asked for
    why = page.locator("summary", has_text="Why this matters")
    expect(why).to_be_visible()
    reason = page.get_by_text("Your mentor arrives prepared and the time goes to what matters")
    expect(reason).to_be_hidden()
    why.click()
    expect(reason).to_be_visible()
    why.click()
    assert_accessible(page, "stage2-plan")

    # the title is kept: after a reload the plan shows it and the agenda still uses it
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="Their role or title (optional)")).to_have_value(
        "program director", timeout=30_000
    )
    expect(page.get_by_role("region", name="Agenda for the next meeting")).to_contain_text(
        "Meeting with Dr <i>Lee</i>, program director"
    )
    on_phone(page, "stage2-plan")


def test_stage2_with_a_persona_fits_its_slot(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    try:
        store.save_workbook(PERSONA_KEY, demo.pgy3(), reason="test persona")
    finally:
        store.dispose()
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("02_managing_up.ipynb", f"key={PERSONA_KEY}"))
    wait_for_app(page)
    expect(page.get_by_role("region", name="Agenda for the next meeting")).to_be_visible()
    page.wait_for_timeout(1000)
    size = page.evaluate(SIZE_JS)
    shot_all(page, "stage2-persona-laptop")
    assert size["height"] <= MAX_HEIGHT, f"{size['height']} px: more than about 3 screens"
    assert size["words"] <= MAX_WORDS, f"{size['words']} visible words at first sight"
    # one mentor's plan at a time: a single plan, a single draft showing
    expect(page.get_by_role("combobox", name="Plan for", exact=True)).to_have_count(1)
    expect(page.get_by_role("region", name="Request to a busy mentor")).to_be_hidden()
    assert_accessible(page, "stage2-persona")
    on_phone(page, "stage2-persona")
