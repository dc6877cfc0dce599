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

    # the map is the hero: the content's full width, at least 60% of the window's height
    box = page.locator(".mm-graph").bounding_box()
    content = page.locator(".mm-page").bounding_box()
    assert box["width"] >= content["width"] * 0.95, (box, content)
    assert box["height"] >= 0.6 * 800, box

    # a drag keeps the new place
    drawer = page.locator(".mm-drawer")
    expect(drawer).to_be_hidden()
    x, y = node_on_screen(page, "chen")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 40, y + 30, steps=8)
    page.mouse.move(x - 80, y + 60, steps=8)
    page.mouse.up()
    page.wait_for_function(
        f"() => Math.abs({CY}.getElementById('chen').position().x - ({x} - 80)) > 1", timeout=5000
    )
    for _ in range(30):
        moved = store.load(DEFAULT_KEY).person("chen").position
        if moved is not None:
            break
        page.wait_for_timeout(500)
    assert moved is not None, "the dragged place was not saved"

    # clicking a node opens that person in the drawer
    x, y = node_on_screen(page, "chen")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page.get_by_role("heading", name="Change Dr Chen")).to_be_visible(timeout=15_000)
    expect(drawer.get_by_role("textbox", name="Name, for Dr Chen")).to_have_value("Dr Chen")
    expect(page.get_by_role("button", name="Put back in its ring")).to_be_enabled(timeout=15_000)
    page.get_by_role("button", name="Close without saving").click()
    expect(drawer).to_be_hidden()

    # add someone through the form below the map
    add_card = page.locator(".mm-add-card")
    name = add_card.get_by_role("textbox", name="Name", exact=True)
    expect(name).to_have_value("")
    name.fill("New <b>mentor</b>")
    name.press("Tab")
    add_card.get_by_role("checkbox", name="Sponsorship").check()
    add_card.get_by_role("button", name="Add to my mosaic").click()
    wait_for_people(page, 4)
    expect(page.get_by_text("Added New <b>mentor</b> to your mosaic.", exact=False)).to_be_visible()
    expect(name).to_have_value("")
    shot(page, "mosaic-laptop")
    assert_accessible(page, "mosaic")

    # the downloaded picture opens as an image
    with page.expect_download() as info:
        page.get_by_role("button", name="Picture of my mosaic").click()
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
    expect(page.locator(".mm-people").get_by_role("button", name="New <b>mentor</b>",
                                                   exact=False)).to_be_visible()
    assert page.title() != "666", "a name ran as HTML"

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    phone_box = page.locator(".mm-graph").bounding_box()
    assert phone_box["width"] >= 330, phone_box
    shot(page, "mosaic-phone")
    assert_fits(page, "mosaic-phone")
    assert_accessible(page, "mosaic-phone")
    store.dispose()


def test_the_next_name_never_renames_the_person_just_added(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    """Add A, type B, press the primary button: A and B both exist. The same after choosing A,
    typing in its drawer and pressing Close without saving."""
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    store.save_workbook(DEFAULT_KEY, Workbook())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("04_mosaic.ipynb"))
    wait_for_app(page)
    wait_for_people(page, 0)
    add_card = page.locator(".mm-add-card")
    name = add_card.get_by_role("textbox", name="Name", exact=True)
    add = add_card.get_by_role("button", name="Add to my mosaic")
    name.fill("Probe One")
    add.click()
    wait_for_people(page, 1)
    name.fill("Probe Two")
    add.click()
    wait_for_people(page, 2)
    assert sorted(p.name for p in store.load(DEFAULT_KEY).people) == ["Probe One", "Probe Two"]

    page.locator(".mm-people").get_by_role("button", name="Probe One", exact=False).click()
    drawer = page.locator(".mm-drawer")
    expect(drawer.get_by_role("heading", name="Change Probe One")).to_be_visible(timeout=15_000)
    drawer.get_by_role("textbox", name="Name, for Probe One").fill("Probe Three")
    drawer.get_by_role("button", name="Close without saving").click()
    expect(drawer).to_be_hidden()
    name.fill("Probe Three")
    name.press("Enter")  # Enter in the add form adds
    wait_for_people(page, 3)
    assert sorted(p.name for p in store.load(DEFAULT_KEY).people) == [
        "Probe One", "Probe Three", "Probe Two"
    ]
    store.dispose()


LONG_NAMES = [
    "Dr Okafor, research lead", "Ana Ruiz", "Prof. Maximilian Oberhauser-S", "Lee", "Dr Chen",
    "Priya Natarajan", "Tom", "Sister Mary-Clare O'Donnell", "J. Park", "Dr Adebayo Ogunlesi",
]

LABEL_CHECK = """() => {
  const cy = document.querySelector('.mm-graph')._cyreg.cy;
  const z = cy.zoom();
  const opts = {includeNodes: false, includeEdges: false, includeLabels: true,
                includeOverlays: false};
  const labelled = cy.nodes().filter(n => n.visible() && n.data('label'));
  const out = {zoom: z, small: [], overlaps: [], labels: {}};
  const hit = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const items = labelled.map(n => ({id: n.id(), label: n.boundingBox(opts),
    body: n.hasClass('guide') ? null : n.boundingBox({includeLabels: false,
                                                      includeOverlays: false})}));
  labelled.forEach(n => {
    out.labels[n.id()] = n.data('label');
    const px = parseFloat(n.style('font-size')) * z;
    if (px < 12) out.small.push([n.id(), px]);
  });
  for (const a of items) for (const b of items) {
    if (a.id === b.id) continue;
    if (a.id < b.id && hit(a.label, b.label)) out.overlaps.push([a.id, b.id, 'labels']);
    if (b.body && hit(a.label, b.body)) out.overlaps.push([a.id, b.id, 'label on node']);
  }
  return out;
}"""


@pytest.mark.parametrize("n", [10, 30])
def test_every_name_is_readable_and_nothing_overlaps(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, n: int
) -> None:
    levels = ["senior", "peer", "junior"]
    people = [
        Person(id=f"p{i:02d}",
               name=LONG_NAMES[i % 10] if i < 10 else f"{LONG_NAMES[i % 10][:26]} {i}",
               level=levels[i % 3], tie_strength=1 + i % 3,
               role="mentee" if i % 7 == 6 else "mentor",
               status="potential" if i % 4 == 3 else "existing",
               domains=["research", "feedback", "sponsorship"][: 1 + i % 3])
        for i in range(n)
    ]
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    store.save_workbook(DEFAULT_KEY, Workbook(profile=Profile(display_name="Dr Ana Ruiz-Fernandez"),
                                              people=people))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("04_mosaic.ipynb"))
    wait_for_app(page)
    wait_for_people(page, n)
    page.wait_for_timeout(800)
    result = page.evaluate(LABEL_CHECK)
    assert result["zoom"] >= 0.8, result["zoom"]
    assert not result["small"], f"labels under 12 px: {result['small']}"
    assert not result["overlaps"], f"labels that cover another label or node: {result['overlaps']}"
    for person in people:  # whole names: up to 30 characters nothing is cut
        assert result["labels"][person.id] == person.name
        assert len(person.name) <= 30
    assert result["labels"]["__me__"] == "Dr Ana Ruiz-Fernandez"
    shot(page, f"mosaic-names-{n}")
    store.dispose()


def test_expand_adds_a_potential_mentor_in_one_click(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    store = seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("05_expand.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sponsorship")).to_be_visible(timeout=30_000)
    add = "+ Add a potential senior mentor for Sponsorship (idea 1)"
    page.get_by_role("button", name=add).click()
    expect(page.get_by_role(
        "button", name="✓ Added: a potential senior mentor for Sponsorship (idea 1)"
    )).to_be_visible(timeout=15_000)
    potential = [p for p in store.load(DEFAULT_KEY).people if p.status == "potential"]
    assert len(potential) == 1 and potential[0].domains == ["sponsorship"]
    who = potential[0].name
    page.get_by_role("textbox", name=f"Name of {who}").fill("Dr Sponsor")
    page.keyboard.press("Tab")  # the field is renamed after the person as the name saves
    expect(page.get_by_role("textbox", name="First step for Dr Sponsor")).to_be_visible(
        timeout=15_000
    )
    after = page.get_by_role("img", name="Your mosaic with the people you could approach added",
                             exact=False)
    expect(after).to_be_visible()
    assert after.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_text("Dr Sponsor: Sponsorship")).to_be_visible()
    # side by side on a laptop, names in the pictures drawn at a readable size
    before = page.get_by_role("img", name="Your mosaic today", exact=False)
    b1, b2 = before.bounding_box(), after.bounding_box()
    assert abs(b1["y"] - b2["y"]) < 60 and b2["x"] > b1["x"] + b1["width"] - 5, (b1, b2)
    scale = after.evaluate("img => img.getBoundingClientRect().width / img.naturalWidth")
    assert 30 * scale >= 11, f"names in the pictures are {30 * scale:.1f} px"
    shot(page, "expand-laptop")
    assert_accessible(page, "expand")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    b1, b2 = before.bounding_box(), after.bounding_box()
    assert b2["y"] > b1["y"] + b1["height"] - 5, "stacked on a phone"
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
    expect(page.locator(".mm-drawer").get_by_role("textbox", name="Name", exact=False)
           ).to_have_value(f"Dr Lee {HOSTILE}", timeout=15_000)
    assert page.title() != "666"
    store.dispose()
