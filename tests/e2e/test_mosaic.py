"""Stages 4 and 5 in Chromium under Voilà: the canvas draws, a click opens the person, a drag
and an added person survive a reload, and the downloaded SVG opens as an image."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import DomainRating, Needs, Person, Profile, Workbook
from mentoring_mosaic.store import DEFAULT_KEY, Store

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    shot,
    wait_for_app,
)

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=666">'
CY = "document.querySelector('.mm-graph')._cyreg.cy"


def seed(server: VoilaServer) -> Store:
    wb = Workbook(
        profile=Profile(display_name="Sam"),
        needs=Needs(ratings={"sponsorship": DomainRating(need=4)}, top_needs=["sponsorship"]),
        people=[
            Person(id="chen", name="Dr Chen", domains=["career_guidance", "research"],
                   tie_strength=3),
            Person(id="lee", name=f"Dr Lee {HOSTILE}", level="peer", domains=["feedback"]),
            Person(id="stu", name="A student", role="mentee", level="junior"),
        ],
    )
    store = Store(f"sqlite:///{server.home / 'workbooks.sqlite3'}")
    store.save_workbook(DEFAULT_KEY, wb)
    return store


def person_count(page: Page) -> int:
    return page.evaluate(f"{CY}.nodes('.person').length")


def wait_for_people(page: Page, n: int) -> None:
    page.wait_for_function(
        f"() => {{ const el = document.querySelector('.mm-graph');"
        f" return el && el._cyreg && el._cyreg.cy.nodes('.person').length === {n}; }}",
        timeout=60_000,
    )


def node_on_screen(page: Page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page (viewport) pixels."""
    page.locator(".mm-graph").scroll_into_view_if_needed()
    # cytoscape.js caches where its canvas is and refreshes that shortly after a scroll
    page.wait_for_timeout(600)
    return tuple(
        page.evaluate(
            f"""() => {{
              const el = document.querySelector('.mm-graph');
              const rect = el.getBoundingClientRect();
              const p = el._cyreg.cy.getElementById({node_id!r}).renderedPosition();
              return [rect.left + p.x, rect.top + p.y];
            }}"""
        )
    )


def test_mosaic_canvas_click_drag_add_reload_and_svg(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    store = seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("04_mosaic.ipynb"))
    wait_for_app(page)
    wait_for_people(page, 3)

    # the canvas draws: some pixels of cytoscape's layers are neither blank nor white
    page.wait_for_timeout(500)
    painted = page.evaluate(
        """() => {
          let count = 0;
          for (const c of document.querySelectorAll('.mm-graph canvas')) {
            if (!c.width || !c.height) continue;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 16) {
              if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) count++;
            }
          }
          return count;
        }"""
    )
    assert painted > 200, f"the mosaic canvas looks blank ({painted} painted pixels)"

    # clicking a node opens that person in the form
    name = page.get_by_role("textbox", name="Name", exact=True)
    expect(name).to_have_value("")
    x, y = node_on_screen(page, "chen")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(name).to_have_value("Dr Chen", timeout=15_000)
    expect(page.get_by_role("heading", name="Editing: Dr Chen")).to_be_visible()

    # a drag keeps the new place
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.move(x + 80, y + 60, steps=8)
    page.mouse.up()
    expect(page.get_by_role("button", name="Put back in its ring")).to_be_enabled(timeout=15_000)
    moved = store.load(DEFAULT_KEY).person("chen").position
    assert moved is not None

    # add someone through the form
    page.get_by_role("button", name="New person").click()
    expect(name).to_have_value("")
    name.fill("New <b>mentor</b>")
    name.press("Tab")
    page.get_by_role("checkbox", name="Sponsorship").check()
    page.get_by_role("button", name="Add to my mosaic").click()
    wait_for_people(page, 4)
    expect(page.get_by_text("Added New <b>mentor</b> to your mosaic.")).to_be_visible()
    shot(page, "mosaic-laptop")
    assert_accessible(page, "mosaic")

    # the downloaded SVG opens as an image
    page.get_by_role("button", name="Prepare my mosaic files").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Mosaic picture (SVG)").click()
    svg = Path(info.value.path()).read_bytes()
    assert b"New &lt;b&gt;mentor&lt;/b&gt;" in svg and b"<script" not in svg
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    natural = page.evaluate(
        """(src) => new Promise((resolve) => {
             const img = new Image();
             img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
             img.onerror = () => resolve([0, 0]);
             img.src = src;
           })""",
        data_uri,
    )
    assert natural[0] > 0 and natural[1] > 0, "the SVG does not open as an image"

    # a reload keeps everything: the added person, the dragged place
    page.reload()
    wait_for_app(page)
    wait_for_people(page, 4)
    position = page.evaluate(f"{CY}.getElementById('chen').position()")
    assert abs(position["x"] - moved.x) < 1 and abs(position["y"] - moved.y) < 1
    stored = {p.name for p in store.load(DEFAULT_KEY).people}
    assert "New <b>mentor</b>" in stored
    expect(page.get_by_role("listbox", name="People in your mosaic")).to_contain_text(
        "New <b>mentor</b>"
    )
    assert page.title() != "666", "a name ran as HTML"

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    shot(page, "mosaic-phone")
    assert_fits(page, "mosaic-phone")
    assert_accessible(page, "mosaic-phone")
    store.dispose()


def test_expand_adds_a_potential_mentor_in_one_click(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    store = seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("05_expand.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sponsorship")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="+ Add a potential senior mentor").first.click()
    expect(page.get_by_role("button", name="✓ Added as a potential mentor")).to_be_visible(
        timeout=15_000
    )
    potential = [p for p in store.load(DEFAULT_KEY).people if p.status == "potential"]
    assert len(potential) == 1 and potential[0].domains == ["sponsorship"]
    after = page.get_by_role("img", name="Your mosaic with the potential mentors added")
    expect(after).to_be_visible()
    assert after.evaluate("img => img.naturalWidth") > 0
    shot(page, "expand-laptop")
    assert_accessible(page, "expand")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    shot(page, "expand-phone")
    assert_fits(page, "expand-phone")
    store.dispose()


def test_canvas_draws_under_a_binder_like_base_url(
    page: Page, binder_like: VoilaServer, console_errors: ConsoleErrors
) -> None:
    store = seed(binder_like)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(binder_like.page("notebooks/04_mosaic.ipynb"))
    wait_for_app(page)
    wait_for_people(page, 3)
    x, y = node_on_screen(page, "lee")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value(
        f"Dr Lee {HOSTILE}", timeout=15_000
    )
    assert page.title() != "666"
    store.dispose()
