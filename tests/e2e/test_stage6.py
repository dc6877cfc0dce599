"""Stage 6 in Chromium under Voilà, by visible labels, at 1280x800 and 390x844.

A small group looks at one scenario together: the page shows one card, the one about the
participant's biggest gap, with the group's timer in it. Choosing another scenario swaps the
card; the notes typed in a card are saved and come back with it (also after a reload). At first
sight the page fits its slot (about 3 laptop screens, about 600 words) with an empty workbook
and with the demo persona pgy3; on a phone nothing scrolls sideways or is cut; axe passes.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic import demo
from mentoring_mosaic.analysis.actions import ordered_scenarios
from mentoring_mosaic.content import load_content
from mentoring_mosaic.model import DomainRating, Needs, ScenarioNote, Workbook

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    assert_nothing_cut,
    scrolled_shot,
    store_workbook,
    wait_for_app,
    wait_stored,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2400  # about 3 laptop screens
MAX_WORDS = 600
PICKER = "Scenario for your group"
NOTES = "My notes: what I would do"
DISCUSSED = "We talked it through in our group"
IDEAS = "Ideas to compare, after your talk"

# What a person sees without opening anything (as in test_stage1 and the stage-size
# benchmark): words of rendered text (not in a closed <details>, not display:none, not a 1-px
# screen-reader-only box) plus the choice each visible dropdown shows, and the page's height
# (Voilà's template scrolls #rendered_cells, not the document).
FIRST_SIGHT = """() => {
  const count = s => (s.match(/[\\p{L}\\p{N}][\\p{L}\\p{N}'’.,:/@&-]*/gu) || []).length;
  const seen = el => {
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 2 && r.height > 2;
  };
  let words = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, textarea, select') || !n.data.trim()) continue;
    if (seen(el)) words += count(n.data);
  }
  for (const s of document.querySelectorAll('select'))
    if (seen(s) && s.selectedIndex >= 0) words += count(s.options[s.selectedIndex].text);
  const rc = document.getElementById('rendered_cells');
  const height = Math.max(document.documentElement.scrollHeight, rc ? rc.scrollHeight : 0);
  const cards = [...document.querySelectorAll('.mm-scenario')].filter(seen).length;
  return {words, height, cards};
}"""

CONTENT = load_content()


def title(scenario_id: str) -> str:
    return CONTENT.scenario(scenario_id).title


def open_stage6(page: Page, server: VoilaServer) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(server.page("06_scenarios.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Tricky situations", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name=PICKER)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("timer")).to_be_visible()
    page.wait_for_timeout(500)  # the last widgets settle


def first_sight(page: Page, name: str) -> dict:
    """At most about 3 laptop screens and 600 words, and exactly one scenario on show."""
    page.wait_for_timeout(400)
    seen = page.evaluate(FIRST_SIGHT)
    assert seen["cards"] == 1, f"{name}: {seen['cards']} scenarios on show"
    assert seen["height"] <= MAX_HEIGHT, f"{name}: {seen['height']}px high at 1280x800"
    assert seen["words"] <= MAX_WORDS, f"{name}: {seen['words']} words at first sight"
    return seen


def check_phone(page: Page, name: str) -> dict:
    """At 390x844: nothing scrolls sideways or is cut; the whole page as a picture."""
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(600)
    assert_fits(page, name, PHONE["width"])
    assert_nothing_cut(page, name)
    seen = page.evaluate(FIRST_SIGHT)
    scrolled_shot(page, f"{name}-phone")
    page.set_viewport_size(LAPTOP)
    page.wait_for_timeout(300)
    return seen


def test_one_scenario_at_a_time_and_notes_kept_by_visible_labels(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    # sponsorship is needed and nobody gives it: the biggest gap
    workbook = Workbook(needs=Needs(ratings={"sponsorship": DomainRating(need=4)}))
    store_workbook(voila, workbook)
    open_stage6(page, voila)
    gap_first = ordered_scenarios(workbook, CONTENT)[0].id
    assert CONTENT.scenario(gap_first).domains[0] == "sponsorship"  # mainly about the gap
    other = "limited_time"
    first_heading = page.get_by_role("heading", name=title(gap_first))
    other_heading = page.get_by_role("heading", name=title(other))

    # one card: the biggest gap's, with the timer in it; the picker names it
    expect(page.get_by_text("Matches your biggest gap: Sponsorship")).to_be_visible()
    expect(first_heading).to_be_visible()
    expect(other_heading).to_be_hidden()
    picker = page.get_by_role("combobox", name=PICKER)
    expect(picker.locator("option:checked")).to_have_text(title(gap_first))
    card = page.locator(".mm-scenario").filter(has=first_heading)
    expect(card.get_by_role("timer")).to_have_text("10:00")
    expect(card.get_by_role("heading", name="Talk it through")).to_be_visible()

    # the explanations, the sources and the ideas wait in closed folds
    point = CONTENT.stage("scenarios").key_points[0]
    expect(page.get_by_text(point)).to_be_hidden()
    page.get_by_text("Why this matters", exact=True).click()
    expect(page.get_by_text(point)).to_be_visible()
    page.get_by_text("Why this matters", exact=True).click()
    idea = CONTENT.scenario(gap_first).debrief[0]
    expect(card.get_by_text(idea)).to_be_hidden()
    card.get_by_text(IDEAS).click()
    expect(card.get_by_text(idea)).to_be_visible()
    page.get_by_text("Sources", exact=True).click()
    expect(page.get_by_text(CONTENT.source("straus_2013").citation[:30])).to_be_visible()
    scrolled_shot(page, "stage6-folds-open-laptop")  # a picture of what the folds hold
    page.get_by_text("Sources", exact=True).click()
    card.get_by_text(IDEAS).click()
    expect(card.get_by_text(idea)).to_be_hidden()

    # notes for the first one, then the group takes another scenario
    card.get_by_role("textbox", name=NOTES).fill("Ask for a standing 15-minute slot")
    card.get_by_role("checkbox", name=DISCUSSED).check()
    picker.select_option(label=title(other))
    expect(other_heading).to_be_visible()
    expect(first_heading).to_be_hidden()
    other_card = page.locator(".mm-scenario").filter(has=other_heading)
    expect(other_card.get_by_role("timer")).to_be_visible()  # the timer came along
    expect(other_card.get_by_role("textbox", name=NOTES)).to_have_value("")
    other_card.get_by_role("textbox", name=NOTES).fill("Send the agenda <b>two days</b> ahead")
    other_card.get_by_role("textbox", name=NOTES).press("Tab")
    wait_stored(
        voila,
        lambda wb: wb.scenarios.get(gap_first)
        == ScenarioNote(strategy="Ask for a standing 15-minute slot", discussed=True)
        and wb.scenarios.get(other)
        == ScenarioNote(strategy="Send the agenda <b>two days</b> ahead", discussed=False),
    )
    # the picker marks both as holding notes
    expect(picker.locator("option", has_text=f"✓ {title(gap_first)}")).to_have_count(1)
    expect(picker.locator("option:checked")).to_have_text(f"✓ {title(other)}")
    expect(page.get_by_text("✓ marks a scenario with your notes.")).to_be_visible()

    assert_accessible(page, "stage6-notes")
    seen = first_sight(page, "stage6-notes")
    print(f"stage 6 with notes: {seen}")
    scrolled_shot(page, "stage6-notes-laptop")
    check_phone(page, "stage6-notes")

    # a reload: the biggest gap's scenario again, both notes where they were written
    page.reload()
    open_stage6(page, voila)
    expect(first_heading).to_be_visible()
    expect(
        page.locator(".mm-scenario").filter(has=first_heading).get_by_role("textbox", name=NOTES)
    ).to_have_value("Ask for a standing 15-minute slot")
    expect(page.get_by_role("checkbox", name=DISCUSSED)).to_be_checked()
    page.get_by_role("combobox", name=PICKER).select_option(label=f"✓ {title(other)}")
    expect(
        page.locator(".mm-scenario").filter(has=other_heading).get_by_role("textbox", name=NOTES)
    ).to_have_value("Send the agenda <b>two days</b> ahead")  # shown as typed, not as markup


@pytest.mark.parametrize("persona", ["empty", "pgy3"])
def test_first_sight_fits_the_slot_on_a_laptop_and_a_phone(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, persona: str
) -> None:
    workbook = Workbook() if persona == "empty" else demo.pgy3()
    store_workbook(voila, workbook)
    open_stage6(page, voila)
    if persona == "pgy3":
        # the persona's gap is networking: its scenario first, with the persona's own notes
        expect(page.get_by_text("Matches your biggest gap: Networking")).to_be_visible()
        note = workbook.scenarios["recruit_new_mentor"].strategy
        expect(page.get_by_role("textbox", name=NOTES)).to_have_value(note)
    else:
        expect(page.get_by_text("Rate your needs (stage 1)")).to_be_visible()
        expect(page.get_by_role("heading", name=title(CONTENT.scenarios[0].id))).to_be_visible()
    laptop = first_sight(page, f"stage6-{persona}")
    assert_accessible(page, f"stage6-{persona}")
    scrolled_shot(page, f"stage6-{persona}-laptop")
    phone = check_phone(page, f"stage6-{persona}")
    print(f"stage 6, {persona}: laptop {laptop}, phone {phone}")
