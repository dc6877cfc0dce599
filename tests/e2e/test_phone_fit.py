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
    VoilaServer,
    assert_fits,
    assert_nothing_cut,
    cut_off,
    scrolled_shot,
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
  <select style="width: 120px"><option>Dr Lin Chen (program director) — senior mentor</option>
  </select>
  <select style="width: 200px"><option>Not set</option><option>Dr Lin Chen (program director)
    — senior mentor, existing</option></select>
  <canvas width="600" height="50"></canvas>
</div>
"""


def test_the_cut_check_finds_cut_text_and_fields_only(page: Page) -> None:
    """Four things are cut (an ellipsis, a clipped sentence, a field's edge, a dropdown's chosen
    option); hidden text, screen-reader labels, a sideways-scrolling table, a long option not
    chosen and a canvas are not reported."""
    page.set_viewport_size(PHONE)
    page.set_content(CUT_PAGE)
    cut = cut_off(page)
    assert len(cut) == 4, cut
    assert any("Share my anonymised answers" in c and "…" in c for c in cut), cut
    assert any("A sentence running past" in c for c in cut), cut
    assert any("pokes out" in c and "right edge" in c for c in cut), cut
    assert any(c.startswith('select "Dr Lin Chen') and "chosen option" in c for c in cut), cut
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


def phone_problems(page: Page, name: str) -> list[str]:
    """Everything the phone checks find, with a picture saved first to look at."""
    scrolled_shot(page, name)
    problems = []
    for check in (assert_fits, assert_nothing_cut):
        try:
            check(page, name)
        except AssertionError as exc:
            problems.append(str(exc).splitlines()[0])
    return problems


# Cuts on pages other engineers own, still open when this test was written: stage id ->
# (pattern of the element's report line, reason). Only these turn a failure into an expected
# failure; anything else found on the same page still fails the test.
KNOWN_CUT: dict[str, tuple[str, str]] = {}


def judge(problems: list[str], stages: list[str]) -> None:
    """Fail on any cut not known; mark the test as an expected failure if only known ones."""
    known = [KNOWN_CUT[s] for s in stages if s in KNOWN_CUT]
    unknown = []
    for problem in problems:
        lines = problem.split("; ")
        rest = [ln for ln in lines if not any(re.search(pat, ln) for pat, _ in known)]
        if rest:
            unknown.append(problem)
    assert not unknown, "\n".join(unknown)
    if problems:
        pytest.xfail("; ".join(reason for _, reason in known))


@pytest.mark.parametrize("entry", STAGES, ids=[s.id for s in STAGES])
def test_stage_page_cuts_nothing_on_a_phone(
    page: Page, persona_voila: VoilaServer, entry: Any
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(persona_voila.page(entry.notebook), timeout=120_000)
    wait_for_app(page, ".mm-page .mm-stage")
    settle(page)
    if entry.id == "welcome":  # the persona is really there
        expect(page.get_by_role("textbox", name=re.compile("name", re.I)).first).to_have_value(
            re.compile("Maya Okafor")
        )
    judge(phone_problems(page, f"phone-fit-{Path(entry.notebook).stem}"), [entry.id])


def test_workshop_app_cuts_nothing_on_a_phone(page: Page, persona_voila: VoilaServer) -> None:
    """The app, stage after stage with its own Next button, as a participant on a phone goes."""
    page.set_viewport_size(PHONE)
    page.goto(persona_voila.page("workshop.ipynb"), timeout=120_000)
    wait_for_app(page, ".mm-app .mm-stage")
    problems = []
    for index, entry in enumerate(STAGES):
        expect(page.locator(f".mm-app .mm-stage-{entry.id}")).to_be_visible(timeout=60_000)
        settle(page)
        problems += phone_problems(page, f"phone-fit-app-{index}-{entry.id}")
        if index < len(STAGES) - 1:
            page.locator(".mm-app").get_by_role(
                "button", name=re.compile(r"^Next: .* →$")
            ).last.click()
    judge(problems, [s.id for s in STAGES])
