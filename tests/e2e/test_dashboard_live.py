"""The facilitator dashboard live on a room server, in Chromium: it refreshes by itself, redraws
only what changed, keeps the scroll position, and has a projector mode driven from the keyboard.

One real ``mentoring-mosaic room`` (its own process group) on a store that starts with three
consenting participants; a fourth is saved straight into the store, behind the page's back.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import Consent, DomainRating, Evaluation, Needs, Profile, Workbook
from mentoring_mosaic.widgets.dashboard import REFRESH_SECONDS

from .conftest import (
    SCROLLER,
    ConsoleErrors,
    assert_accessible,
    assert_fits,
    scrolled_shot,
    shot,
    wait_for_app,
)
from .room_server import RoomServer, running_room

pytestmark = pytest.mark.browser

TOKEN = "live-room-token-0123456789"
FKEY = "live-facilitator-key-0123"


def participant(i: int, consent: bool = True) -> Workbook:
    return Workbook(
        profile=Profile(display_name=f"Hidden Person {i}"),
        needs=Needs(ratings={"sponsorship": DomainRating(support=1, need=4)}),
        evaluation=Evaluation(headline={0: 5, 1: 4, 2: 2, 3: 5}.get(i, 4)),
        consent=Consent(share_anonymised=consent),
    )


@pytest.fixture(scope="module")
def live_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServer]:
    with running_room(tmp_path_factory.mktemp("live-room"), "--expect=5",
                      token=TOKEN, fkey=FKEY) as room:
        for i in range(3):
            room.save(f"p{i}", participant(i))
        room.save("no-consent", participant(9, consent=False))
        yield room


# Which parts of the page the browser redrew: every DOM change, traced to its chart card, the
# big numbers or "other" (a MutationObserver, installed after the first drawing).
WATCH_MUTATIONS = """() => {
  window.mmMutated = [];
  const where = n => {
    const e = n.nodeType === 1 ? n : n.parentElement;
    if (!e) return 'other';
    const card = e.closest('.mm-dash-grid > .mm-card');
    if (card) return (e.closest('.mm-chart') ? 'drawing: ' : 'words: ')
      + (card.querySelector('h2') || {}).textContent;
    if (e.closest('.mm-kpis') || e.querySelector('.mm-kpis')) return 'kpis';
    if (e.closest('table')) return 'table';
    return 'other';
  };
  new MutationObserver(ms => ms.forEach(m => window.mmMutated.push(where(m.target))))
    .observe(document.body, {subtree: true, childList: true, characterData: true});
  document.querySelectorAll('.mm-dash-grid svg').forEach(s => { s.mmSeen = true; });
}"""
SAME_DRAWINGS = """() => [...document.querySelectorAll('.mm-dash-grid svg')]
  .map(s => s.mmSeen === true)"""


def test_count_updates_by_itself_without_redrawing_or_scrolling(
    page: Page, live_room: RoomServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_room.link(fkey=FKEY))
    wait_for_app(page, ".mm-dash")
    count = page.locator(".mm-kpi .mm-big").first
    expect(count).to_have_text("3", timeout=30_000)
    expect(page.locator(".mm-kpi").first).to_contain_text("3participants have shared so far")
    expect(page.get_by_role("checkbox", name="Update by itself every 15 seconds")).to_be_checked()
    expect(page.locator(".mm-chart svg")).to_have_count(5)
    expect(page.get_by_text("Hidden Person")).to_have_count(0)
    shot(page, "dashboard-live-laptop-top")

    # The facilitator has scrolled down to the charts of the lower row.
    anchor = page.locator(".mm-dash-grid h2", has_text="Mosaic size")
    scroller = page.locator("#rendered_cells")
    page.evaluate(f"y => {{ {SCROLLER}.scrollTop = y; }}", 700)
    page.wait_for_timeout(300)
    top_before = page.evaluate(f"{SCROLLER}.scrollTop")
    anchor_before = anchor.bounding_box()
    assert top_before > 300 and anchor_before is not None, "the page did not scroll"
    page.evaluate(WATCH_MUTATIONS)

    # A fourth participant shares, behind the page's back; nobody presses anything.
    live_room.save("p3", participant(3))
    saved = time.monotonic()
    expect(count).to_have_text("4", timeout=(REFRESH_SECONDS + 8) * 1000)
    waited = time.monotonic() - saved
    assert waited <= REFRESH_SECONDS + 5, f"the count changed after {waited:.1f} s"
    expect(page.get_by_text("3 of 4 who answered agree or strongly agree")).to_be_visible()
    page.wait_for_timeout(500)

    # Nothing moved, and only what changed was redrawn: the big numbers and each chart's n
    # ("Out of all 4 participants"), not the bars (the same for 4 people as for 3).
    assert page.evaluate(f"{SCROLLER}.scrollTop") == top_before
    anchor_after = anchor.bounding_box()
    assert anchor_after is not None and abs(anchor_after["y"] - anchor_before["y"]) < 1
    mutated = set(page.evaluate("window.mmMutated"))
    assert "kpis" in mutated, mutated
    assert not {m for m in mutated if m.startswith("drawing: ")}, mutated
    assert page.evaluate(SAME_DRAWINGS) == [True] * 5, "a chart was drawn again"
    assert scroller.is_visible()

    # A quiet room: another interval with nothing saved redraws nothing at all.
    page.evaluate("window.mmMutated = []")
    page.wait_for_timeout((REFRESH_SECONDS + 2) * 1000)
    assert page.evaluate("window.mmMutated") == []
    shot(page, "dashboard-live-laptop")
    scrolled_shot(page, "dashboard-live-laptop-page")


def test_projector_mode_from_the_keyboard(
    page: Page, live_room: RoomServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_room.link(fkey=FKEY))
    wait_for_app(page, ".mm-dash")
    expect(page.locator(".mm-kpi .mm-big").first).not_to_have_text("", timeout=30_000)
    page.get_by_role("button", name="Projector mode").click()
    expect(page.get_by_role("button", name="Leave projector mode")).to_be_visible()
    expect(page.get_by_role("heading", name="Tables")).to_be_hidden()
    expect(page.locator(".mm-dash-grid")).to_be_hidden()  # one chart at a time
    expect(page.get_by_role("heading", name="The room at a glance")).to_be_hidden()
    expect(page.locator(".mm-shared")).to_have_text(re.compile(r"^[34] participants have shared"))
    pos = page.locator(".mm-slide-pos")
    expect(pos).to_have_text("Chart 1 of 6, not shown yet")
    expect(page.get_by_role("heading", name="What the room thinks of the workshop")).to_be_visible()
    expect(page.get_by_text("Hidden until the facilitator reveals it")).to_be_visible()
    expect(page.locator(".mm-slide .mm-big")).to_have_count(0)
    shot(page, "dashboard-projector-hidden")

    # Tab to the buttons, press Enter: reveal, then next.
    page.get_by_role("button", name="Leave projector mode").focus()
    page.keyboard.press("Tab")  # Previous
    page.keyboard.press("Tab")  # Reveal
    page.keyboard.press("Enter")
    expect(page.locator(".mm-slide .mm-big")).to_be_visible()
    expect(pos).to_have_text("Chart 1 of 6")
    expect(page.get_by_role("button", name="Hide again")).to_be_focused()
    page.keyboard.press("Tab")  # Next
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Needs by domain")).to_be_visible()
    expect(pos).to_have_text("Chart 2 of 6, not shown yet")
    expect(page.locator(".mm-slide svg")).to_have_count(0)

    # The chart list: the arrow keys move between charts.
    page.keyboard.press("Tab")
    chooser = page.get_by_role("combobox", name="Chart on screen")
    expect(chooser).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Gaps across the room")).to_be_visible()
    expect(pos).to_have_text("Chart 3 of 6, not shown yet")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("heading", name="Needs by domain")).to_be_visible()
    expect(chooser).to_be_focused()
    page.get_by_role("button", name="Reveal").click()
    chart = page.locator(".mm-slide svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 1080, "the chart runs off the screen"
    # large type: a bar label is at least 24 px tall on the projector
    label = page.locator(".mm-slide svg text").first.bounding_box()
    assert label is not None and label["height"] >= 24, label
    shot(page, "dashboard-projector-1920")
    assert_accessible(page, "dashboard-projector")
    assert_fits(page, "projector at 1920", 1920)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_timeout(300)
    shot(page, "dashboard-projector-1280")
    assert_fits(page, "projector at 1280", 1280)

    page.get_by_role("button", name="Leave projector mode").click()
    expect(page.get_by_role("heading", name="Tables")).to_be_visible()
    assert_accessible(page, "dashboard-live")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    assert_fits(page, "dashboard at 390", 390)
    shot(page, "dashboard-live-phone")
