"""Stage 1 in Chromium under Voilà, as a participant: one tap per answer, top needs by tapping,
one goal open at a time, and a page that fits a 15-minute slot (laptop and phone).

Everything is found by its visible label (the accessible name starts with it); answers are
checked in the store the kernel writes to. Screenshots go to test-artifacts/stage1-*.png.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import DomainRating

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    shot,
    wait_for_app,
    wait_stored,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
RESEARCH = "Research and scholarship"
NETWORKING = "Networking and access to opportunities"

# What a person sees without opening anything: words of rendered text (not in a closed
# <details>, not a 1-px screen-reader-only box) and the page's height, also when Voilà's
# template scrolls an inner box instead of the document.
FIRST_SIGHT_JS = """() => {
  const count = s => (s.match(/[\\p{L}\\p{N}][\\p{L}\\p{N}'’.,:/@&-]*/gu) || []).length;
  const seen = el => {
    if (!el.checkVisibility({visibilityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 2 || r.height > 2;
  };
  let words = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, textarea, select') || !n.data.trim()) continue;
    if (seen(el)) words += count(n.data);
  }
  let height = document.documentElement.scrollHeight;
  for (const e of document.querySelectorAll('body *')) {
    if (e.clientHeight < innerHeight * 0.6 || e.scrollHeight <= e.clientHeight) continue;
    if (!['auto', 'scroll'].includes(getComputedStyle(e).overflowY)) continue;
    height = Math.max(height, e.scrollHeight + e.getBoundingClientRect().top + scrollY);
  }
  return {words, height};
}"""

# Text cut at its box's edge: labels, tick-box text and fields narrower than their content.
CUT_JS = """() => [...document.querySelectorAll(
    '.mm-stage .widget-label-basic span, .mm-stage .widget-label, .mm-stage button,'
    + ' .mm-stage .widget-html-content,'
    + ' .mm-stage input[type=text], .mm-stage textarea, .mm-stage input[type=date]')]
  .filter(e => e.checkVisibility() && e.getBoundingClientRect().width > 2)
  .filter(e => e.scrollWidth > e.clientWidth + 1
            || e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => (e.innerText || e.value || e.placeholder || e.outerHTML).slice(0, 60))"""


def segment(page: Page, n: int, side: str, domain: str) -> Any:
    """The tap target for answer ``n`` of a row: "4", then what it means and for what."""
    return page.get_by_role("checkbox", name=re.compile(rf"^{n} .*, {side}: {domain}$"))


def full_shot(page: Page, name: str) -> None:
    """The whole page as a picture: Voilà scrolls an inner box, which ``full_page`` misses,
    so the window is made as tall as the page for the shot, then put back."""
    size = page.viewport_size or LAPTOP
    height = min(int(first_sight(page)["height"]) + 40, 12_000)
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(500)
    shot(page, name)
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def first_sight(page: Page) -> dict[str, float]:
    page.wait_for_timeout(600)
    return page.evaluate(FIRST_SIGHT_JS)


def test_stage1_by_taps_on_a_laptop_and_a_phone(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("01_needs.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="My mentoring needs")).to_be_visible()
    expect(segment(page, 4, "need at my next step", RESEARCH)).to_be_visible(timeout=30_000)

    # an empty workbook at first sight: about 3 laptop screens and 600 words at most
    empty = first_sight(page)
    assert empty["height"] <= 2400, empty
    assert empty["words"] <= 600, empty
    expect(page.get_by_text("Why this matters")).to_be_visible()
    expect(page.get_by_text("Li ST, Burke AE")).to_be_hidden()  # folded under Sources
    full_shot(page, "stage1-empty-laptop")

    # ratings: one tap each; a 0 is an answer too
    segment(page, 4, "need at my next step", RESEARCH).check()
    segment(page, 1, "support today", RESEARCH).check()
    segment(page, 4, "need at my next step", NETWORKING).check()
    segment(page, 1, "support today", NETWORKING).check()
    # keyboard: Tab reaches a segment, Space answers
    teaching = segment(page, 3, "need at my next step", "Teaching")
    teaching.focus()
    page.keyboard.press("Space")
    expect(teaching).to_be_checked()
    segment(page, 0, "need at my next step", "Clinical skills").check()
    wait_stored(
        voila,
        lambda wb: wb.needs.ratings.get("research") == DomainRating(support=1, need=4)
        and wb.needs.ratings.get("networking") == DomainRating(support=1, need=4)
        and wb.needs.ratings.get("teaching") == DomainRating(support=0, need=3)
        and wb.needs.ratings.get("clinical_skills") == DomainRating(support=0, need=0),
    )
    expect(segment(page, 0, "support today", "Teaching")).to_be_checked()  # stored as 0
    expect(segment(page, 2, "need at my next step", RESEARCH)).not_to_be_checked()

    # top needs by tapping: three, then a fourth is refused with a message in its row
    expect(page.get_by_text(f"Suggested from your ratings: {RESEARCH} (gap 3)")).to_be_visible()
    page.get_by_role("button", name="Use the suggestion").click()
    for name in (RESEARCH, NETWORKING, "Teaching"):
        expect(page.get_by_role("checkbox", name=f"Top need – {name}")).to_be_checked()
    page.get_by_role("checkbox", name="Top need – Sponsorship").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("You already have 3 top needs")
    expect(alert).to_contain_text("to choose Sponsorship")
    expect(page.get_by_role("checkbox", name="Top need – Sponsorship")).not_to_be_checked()
    wait_stored(voila, lambda wb: wb.needs.top_needs == ["research", "networking", "teaching"])

    # one goal open at a time; the checker starts gently
    first = page.get_by_role("button", name=f"▾ Goal for {RESEARCH} · not started yet")
    expect(first).to_be_visible()
    second = page.get_by_role("button", name=f"▸ Goal for {NETWORKING} · not started yet")
    expect(second).to_be_visible()
    start = page.get_by_text("Start with: what do you want to be able to do?")
    expect(start.filter(visible=True)).to_have_count(1)  # the open goal's checker only
    expect(page.get_by_text("Still missing")).to_have_count(0)
    expect(page.get_by_role("textbox", name=f"My goal ({NETWORKING})")).to_be_hidden()
    goal = page.get_by_role("textbox", name=f"My goal ({RESEARCH})")
    goal.fill("Submit my first abstract to the spring meeting")
    goal.press("Tab")
    expect(page.get_by_text("Next: specific.").filter(visible=True)).to_be_visible()
    steps = page.get_by_role("textbox", name=f"Steps ({RESEARCH})")
    steps.fill("Pick the case with Dr Lee\nDraft the abstract\nGet feedback")
    steps.press("Tab")
    expect(page.get_by_text("Next: measurable.").filter(visible=True)).to_be_visible()
    expect(page.get_by_text("✓ Specific").filter(visible=True)).to_be_visible()
    wait_stored(voila, lambda wb: wb.goals and wb.goals[0].steps.startswith("Pick the case"))
    assert_accessible(page, "stage1-laptop")
    full_shot(page, "stage1-path-laptop")

    page.get_by_role("button", name=re.compile(rf"^▸ Goal for {NETWORKING}")).click()
    expect(page.get_by_role("textbox", name=f"My goal ({NETWORKING})")).to_be_visible()
    expect(page.get_by_role("textbox", name=f"My goal ({RESEARCH})")).to_be_hidden()
    folded = page.get_by_role("button", name=f"▸ Goal for {RESEARCH} · next: measurable")
    expect(folded).to_be_visible()

    # reload: every answer is still there
    page.reload()
    wait_for_app(page)
    expect(segment(page, 4, "need at my next step", RESEARCH)).to_be_checked(timeout=30_000)
    expect(segment(page, 1, "support today", RESEARCH)).to_be_checked()
    expect(segment(page, 0, "need at my next step", "Clinical skills")).to_be_checked()
    expect(segment(page, 0, "need at my next step", "Sponsorship")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=f"Top need – {NETWORKING}")).to_be_checked()
    expect(page.get_by_role("textbox", name=f"Steps ({RESEARCH})")).to_have_value(
        "Pick the case with Dr Lee\nDraft the abstract\nGet feedback"
    )
    laptop = first_sight(page)
    assert laptop["height"] <= 2400 and laptop["words"] <= 600, laptop

    # a phone: nothing cut, nothing scrolls sideways, axe clean
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(600)
    assert_fits(page, "stage1-phone", PHONE["width"])
    cut = page.evaluate(CUT_JS)
    assert not cut, f"cut on a phone: {cut}"
    assert_accessible(page, "stage1-phone")
    segment(page, 2, "support today", "Sponsorship").check()
    wait_stored(voila, lambda wb: wb.needs.ratings.get("sponsorship") == DomainRating(support=2))
    full_shot(page, "stage1-path-phone")
