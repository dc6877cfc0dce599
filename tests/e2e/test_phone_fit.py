"""On a phone (390x844) nothing is cut off: every stage page and the workshop app, with a demo
persona loaded so every field, tick box and list holds real text (issue 13, item 7).

``assert_fits`` finds what scrolls sideways; ``assert_nothing_cut`` finds what is cut without
scrolling: a tick box's text ending in "…", a label clipped by its box, a text field whose right
edge is hidden. The first test proves the check itself finds exactly those on a made-up page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.widgets.pages import STAGES

from .conftest import (
    ARTIFACTS,
    VoilaServer,
    assert_fits,
    assert_nothing_cut,
    cut_off,
    start_voila,
    wait_for_app,
)

PHONE = {"width": 390, "height": 844}

# A page with one of each kind of cut, each beside a look-alike that is fine or not seen.
CUT_PAGE = """
<style>
  body { margin: 0; font: 16px sans-serif; }
  .box { width: 300px; overflow: auto; }
  .ell { display: block; width: 120px; white-space: nowrap; overflow: hidden;
         text-overflow: ellipsis; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
        white-space: nowrap; }
  .clipper { width: 100px; overflow: hidden; white-space: nowrap; }
</style>
<div class="mm-page">
  <label class="ell"><input type="checkbox">Share my anonymised answers with all</label>
  <label class="ell"><input type="checkbox">Short</label>
  <label class="ell" style="display:none">Hidden and very long text that would be cut</label>
  <details><summary>Closed</summary>
    <label class="ell">Inside a closed fold, very long text that would be cut</label></details>
  <label>Need<span class="sr"> at my next step for Networking and access to opportunities</span>
  </label>
  <div class="clipper"><span>A sentence running past its clipping box</span></div>
  <div class="box jupyter-widgets"><input type="text" style="width: 100%; margin-left: 4px"
       value="pokes out"></div>
  <div class="box jupyter-widgets"><input type="text" style="width: 100%; box-sizing: border-box"
       value="fits"></div>
  <div style="overflow-x: auto; width: 200px"><table><tr><td style="white-space: nowrap">
    a wide table a person can scroll sideways in its own box</td></tr></table></div>
  <canvas width="600" height="50"></canvas>
</div>
"""


def test_the_cut_check_finds_cut_text_and_fields_only(page: Page) -> None:
    """Three things are cut (an ellipsis, a clipped sentence, a field's edge); hidden text,
    screen-reader labels, a sideways-scrolling table and a canvas are not reported."""
    page.set_viewport_size(PHONE)
    page.set_content(CUT_PAGE)
    cut = cut_off(page)
    assert len(cut) == 3, cut
    assert any("Share my anonymised answers" in c and "…" in c for c in cut), cut
    assert any("A sentence running past" in c for c in cut), cut
    assert any("pokes out" in c and "right edge" in c for c in cut), cut
    with pytest.raises(AssertionError, match="cut off"):
        assert_nothing_cut(page, "made-up page")


@pytest.fixture(scope="module")
def persona_voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """Standalone Voilà whose only participant is the demo persona "pgy3" (every stage filled)."""
    from mentoring_mosaic.demo import pgy3
    from mentoring_mosaic.store import DEFAULT_KEY, Store

    home = tmp_path_factory.mktemp("phone-home")
    store = Store(f"sqlite:///{home / 'workbooks.sqlite3'}")
    store.save_workbook(DEFAULT_KEY, pgy3(), reason="phone test persona")
    store.dispose()
    server = start_voila(home)
    yield server
    server.stop()


def settle(page: Page) -> None:
    """Wait until the page stops growing (widgets keep arriving after the first draw)."""
    last = -1
    for _ in range(20):
        page.wait_for_timeout(700)
        height = page.evaluate(
            "document.getElementById('rendered_cells')?.scrollHeight"
            " ?? document.documentElement.scrollHeight"
        )
        if height == last:
            return
        last = height


def phone_shot(page: Page, name: str) -> Path:
    """The whole page as a phone shows it. Voilà scrolls inside ``#rendered_cells``, which
    ``full_page`` cannot capture, so the window is made as tall as the page for the picture."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = page.evaluate("document.getElementById('rendered_cells')?.scrollHeight ?? 844")
    page.set_viewport_size({"width": PHONE["width"], "height": min(max(height, 844), 16000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(500)
    return path


def check_phone(page: Page, name: str) -> None:
    """The phone checks, with a picture saved first so a failure can be looked at."""
    phone_shot(page, name)
    assert_fits(page, name)
    assert_nothing_cut(page, name)


# Cases another engineer's page still fails (marked, not hidden): stage id -> the element.
KNOWN_CUT: dict[str, str] = {}


def stage_params() -> list[Any]:
    out = []
    for entry in STAGES:
        marks = []
        if entry.id in KNOWN_CUT:
            marks.append(pytest.mark.xfail(strict=False, reason=KNOWN_CUT[entry.id]))
        out.append(pytest.param(entry.notebook, id=entry.id, marks=marks))
    return out


@pytest.mark.parametrize("notebook", stage_params())
def test_stage_page_cuts_nothing_on_a_phone(
    page: Page, persona_voila: VoilaServer, notebook: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(persona_voila.page(notebook), timeout=120_000)
    wait_for_app(page, ".mm-page .mm-stage")
    settle(page)
    if notebook.startswith("00_"):  # the persona is really there
        expect(page.get_by_role("textbox", name=re.compile("name", re.I)).first).to_have_value(
            re.compile("Maya Okafor")
        )
    check_phone(page, f"phone-fit-{Path(notebook).stem}")


def test_workshop_app_cuts_nothing_on_a_phone(page: Page, persona_voila: VoilaServer) -> None:
    """The app, stage after stage with its own Next button, as a participant on a phone goes."""
    page.set_viewport_size(PHONE)
    page.goto(persona_voila.page("workshop.ipynb"), timeout=120_000)
    wait_for_app(page, ".mm-app .mm-stage")
    problems = []
    for index, entry in enumerate(STAGES):
        expect(page.locator(f".mm-app .mm-stage-{entry.id}")).to_be_visible(timeout=60_000)
        settle(page)
        try:
            check_phone(page, f"phone-fit-app-{index}-{entry.id}")
        except AssertionError as exc:
            problems.append(str(exc))
        if index < len(STAGES) - 1:
            page.locator(".mm-app").get_by_role(
                "button", name=re.compile(r"^Next: .* →$")
            ).last.click()
    assert not problems, "\n".join(problems)
