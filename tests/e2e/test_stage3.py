"""Stage 3 in Chromium under Voilà, by visible labels, at 1280x800 and 390x844.

A participant marks what matters, rates two mentors on only those qualities, answers the
self-check with one tap a line, picks one competency to grow and finds it in the wrap-up's
suggestions; everything is in the store and comes back after a reload. The page at first sight
fits the slot (about 3 laptop screens, about 600 words) with an empty workbook and with the
largest demo persona; on a phone nothing scrolls sideways or is cut; axe passes.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic import demo
from mentoring_mosaic.model import Person, Profile, Qualities, Workbook

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    assert_nothing_cut,
    shot,
    store_workbook,
    wait_for_app,
    wait_stored,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2400  # about 3 laptop screens
MAX_WORDS = 600
GROW_TEXT = "Grow as a mentor this year: Aligning expectations"

# What a person sees at first sight: the height of what scrolls (Voilà's lab template scrolls
# inside #rendered_cells, not the document) and the words of the page's visible text
# (innerText leaves out display:none and closed <details>).
FIRST_SIGHT = """() => {
  const rc = document.getElementById('rendered_cells');
  const height = Math.max(document.documentElement.scrollHeight, rc ? rc.scrollHeight : 0);
  const text = document.querySelector('.mm-page').innerText;
  return {height, words: text.split(/\\s+/).filter(Boolean).length};
}"""

# Stage 3's labels, tick-box texts, pills and fields: none ends in "…", is wider than its box,
# or reaches past the screen's right edge.
CUT_IN_STAGE = """() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  const els = document.querySelectorAll('.mm-stage-qualities label, .mm-stage-qualities span, '
    + '.mm-stage-qualities select, .mm-stage-qualities button, .mm-stage-qualities summary, '
    + '.mm-stage-qualities h2, .mm-stage-qualities h3');
  for (const el of els) {
    if (!el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 && r.height <= 2) continue;  // screen-reader-only
    const cs = getComputedStyle(el);
    const cut = el.scrollWidth > el.clientWidth + 1
      && (cs.textOverflow === 'ellipsis' || cs.overflowX === 'hidden');
    if (cut || r.right > W + 1) out.push(`${el.tagName} "${el.textContent.trim().slice(0, 50)}"`
      + ` ${Math.round(r.left)}-${Math.round(r.right)} of ${W}`);
  }
  return out;
}"""


def open_stage3(page: Page, server: VoilaServer) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(server.page("03_qualities.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="What good mentoring looks like")).to_be_visible()
    expect(page.get_by_role("heading", name="1. What matters to me in a mentor")).to_be_visible()
    page.wait_for_timeout(500)  # the last widgets settle


def rating(page: Page, row: str, choice: str) -> Any:
    """The one-tap choice ``choice`` in the rating row named ``row``."""
    return (
        page.locator(".mm-rate-row")
        .filter(has=page.get_by_text(row, exact=True))
        .get_by_role("radio", name=choice, exact=True)
    )


def check_first_sight(page: Page, name: str) -> dict:
    seen = page.evaluate(FIRST_SIGHT)
    assert seen["height"] <= MAX_HEIGHT, f"{name}: {seen['height']}px high at 1280x800"
    assert seen["words"] <= MAX_WORDS, f"{name}: {seen['words']} words at first sight"
    return seen


def check_phone(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(500)
    shot(page, f"{name}-phone")
    assert_fits(page, name, PHONE["width"])
    cut = page.evaluate(CUT_IN_STAGE)
    assert not cut, f"{name}: cut on a phone: {cut}"
    assert_nothing_cut(page, name)  # the whole page: labels, tick boxes, fields
    page.set_viewport_size(LAPTOP)
    page.wait_for_timeout(300)


def test_mark_rate_self_check_and_grow_by_visible_labels(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    lee = Person(id="lee", name="Dr Lee", title="program director")
    kim = Person(id="kim", name="Sam Kim", level="peer")
    store_workbook(
        voila,
        Workbook(
            profile=Profile(mentors_others=True),
            people=[lee, kim],
            # a rating given before (say, in an earlier version): never dropped
            qualities=Qualities(ratings={"lee": {"enthusiasm": 4}}),
        ),
    )
    open_stage3(page, voila)

    # the presented cards and the citations wait in closed folds
    card = page.get_by_role("heading", name="The mentoring mosaic")
    expect(card).to_be_hidden()
    expect(page.get_by_text("Acad Med.").first).to_be_hidden()
    page.get_by_text("Why this matters", exact=True).click()
    expect(card).to_be_visible()
    page.get_by_text("Why this matters", exact=True).click()
    expect(card).to_be_hidden()
    page.get_by_text("Sources", exact=True).click()
    expect(page.get_by_text("Acad Med.").first).to_be_visible()
    page.get_by_text("Sources", exact=True).click()

    # nothing marked yet: nothing to rate
    expect(page.get_by_text("Mark at least one quality in step 1 first")).to_be_visible()
    expect(page.locator(".mm-rate-row").filter(has_text="Honest")).to_be_hidden()

    # 1. mark two qualities (a one-line why next to each)
    expect(page.get_by_text("Someone speaks for you in rooms you are not in.")).to_be_visible()
    page.get_by_role("checkbox", name="Honest", exact=True).check()
    page.get_by_role("checkbox", name="Sponsors you", exact=True).check()
    expect(page.get_by_text("2 of 5 marked.")).to_be_visible()

    # 2. rate only those, one mentor at a time
    picker = page.get_by_role("combobox", name="Mentor to rate")
    expect(picker).to_have_value("Dr Lee (program director)")
    expect(page.locator(".mm-rate-row").filter(has_text="Enthusiastic")).to_be_hidden()
    rating(page, "Honest", "A strength").check()
    rating(page, "Sponsors you", "Rarely").check()
    page.get_by_role("button", name="Next mentor →").click()
    expect(picker).to_have_value("Sam Kim")
    expect(rating(page, "Honest", "A strength")).not_to_be_checked()
    rating(page, "Honest", "Often").check()
    expect(page.get_by_text("Honest: Dr Lee, Sam Kim")).to_be_visible()
    expect(page.get_by_text("none yet: look for it in stage 5")).to_be_visible()

    # 3. the self-check, one tap a line, and one to grow
    rating(page, "Aligning expectations", "Fairly").check()
    rating(page, "Fostering independence", "Very confident").check()
    page.get_by_role("radio", name="Aligning expectations", exact=True).check()
    expect(page.get_by_text("It goes into your action plan at the wrap-up.")).to_be_visible()

    wait_stored(
        voila,
        lambda wb: wb.qualities.priorities == ["honest", "sponsor"]
        and wb.qualities.ratings == {
            "lee": {"enthusiasm": 4, "honest": 4, "sponsor": 1},
            "kim": {"honest": 3},
        }
        and wb.qualities.self_check == {"aligning_expectations": 2, "fostering_independence": 4}
        and wb.qualities.grow == "aligning_expectations",
    )
    assert_accessible(page, "stage3-marked")
    check_first_sight(page, "stage3-marked")
    shot(page, "stage3-marked-laptop")
    check_phone(page, "stage3-marked")

    # a reload finds every answer again
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("checkbox", name="Sponsors you", exact=True)).to_be_checked(
        timeout=30_000
    )
    expect(rating(page, "Honest", "A strength")).to_be_checked()
    expect(rating(page, "Aligning expectations", "Fairly")).to_be_checked()
    expect(page.get_by_role("radio", name="Aligning expectations", exact=True)).to_be_checked()

    # the grow choice reaches the wrap-up's action plan
    page.goto(voila.page("07_wrapup.ipynb"))
    wait_for_app(page)
    expect(page.get_by_text(GROW_TEXT).first).to_be_visible(timeout=30_000)


@pytest.mark.parametrize("persona", ["empty", "junior"])
def test_first_sight_fits_the_slot_on_a_laptop_and_a_phone(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, persona: str
) -> None:
    # "junior" mentors others (the self-check shows) and has the most current mentors
    store_workbook(voila, Workbook() if persona == "empty" else demo.junior())
    open_stage3(page, voila)
    if persona == "junior":
        expect(page.get_by_role("heading", name="3. My mentor self-check")).to_be_visible()
        expect(page.get_by_role("button", name="Next mentor →")).to_be_visible()
    else:
        expect(page.get_by_text("You have not listed any current mentors yet.")).to_be_visible()
    seen = check_first_sight(page, f"stage3-{persona}")
    print(f"stage 3, {persona}: {seen}")
    assert_accessible(page, f"stage3-{persona}")
    shot(page, f"stage3-{persona}-laptop")
    check_phone(page, f"stage3-{persona}")
