"""HTML and script typed into every text field stay inert in every page, export and dashboard.

A full workbook with every text field set to markup that would run (``<img onerror>``,
``<script>``, ``<svg onload>`` with an ``alert``) is imported with ``mentoring-mosaic import``
into the store of one Voilà server (Binder-like, rooted at the repository, so the participant
notebooks and the facilitator's dashboard are both served). Then every stage page, the app at
every stage, the dashboard (also with the file dropped in under a hostile file name), and the
exports (the HTML pack and the SVG opened from ``file://``, the SVG as an image, the notebook
copy rendered as HTML by nbconvert) are opened, and nothing may have run: ``window.__pwned``
stays undefined and no dialog opens. The text itself must be on the page, shown as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from mentoring_mosaic.content import get_content
from mentoring_mosaic.exports import export
from mentoring_mosaic.model import Workbook
from mentoring_mosaic.serve.cli import main
from mentoring_mosaic.store import DEFAULT_KEY, Store
from mentoring_mosaic.widgets.pages import STAGES

from ..unit.test_cli import HOSTILE, hostile_workbook
from .conftest import ROOT, VoilaServer, shot, start_voila, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# what test_cli's hostile string carries, plus a payload that would open a dialog
ATTACK = HOSTILE + '<svg onload="alert(1)"></svg>'
MARK = "__pwned"  # the attack's text contains this; seeing it as text proves it rendered


def attack_workbook() -> Workbook:
    data = json.loads(json.dumps(hostile_workbook()).replace(json.dumps(HOSTILE)[1:-1],
                                                             json.dumps(ATTACK)[1:-1]))
    data["consent"] = {**data.get("consent", {}), "share_anonymised": True}
    return Workbook.model_validate(data)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    home = tmp_path_factory.mktemp("inert-home")
    path = home / "hostile.json"
    path.write_text(json.dumps(attack_workbook().to_json_dict()))
    import os

    old = os.environ.get("MENTORING_MOSAIC_HOME")
    os.environ["MENTORING_MOSAIC_HOME"] = str(home)
    try:
        assert main(["import", "--force", str(path)]) == 0  # as a participant would resume
    finally:
        if old is None:
            os.environ.pop("MENTORING_MOSAIC_HOME")
        else:
            os.environ["MENTORING_MOSAIC_HOME"] = old
    store = Store(f"sqlite:///{home / 'workbooks.sqlite3'}")
    assert store.load(DEFAULT_KEY).profile.display_name == ATTACK
    store.dispose()
    srv = start_voila(home, mode="server", base_url="/user/inert/")
    yield srv
    srv.stop()


class Watch:
    """Dialogs opened by a page (dismissed at once)."""

    def __init__(self, page: Page) -> None:
        self.dialogs: list[str] = []
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def assert_inert(page: Page, watch: Watch, where: str, *, shown: bool = True) -> None:
    page.wait_for_timeout(300)  # let any onerror/onload fire
    assert page.evaluate("typeof window.__pwned") == "undefined", f"markup ran on {where}"
    assert not watch.dialogs, f"a dialog opened on {where}: {watch.dialogs}"
    if shown:  # the attack is on the page as text (or in a field), so the check can fail
        seen = page.evaluate(
            """(mark) => (document.body ? document.body.innerText
                          : document.documentElement.textContent).includes(mark) ||
                [...document.querySelectorAll('input, textarea')]
                    .some(e => (e.value || '').includes(mark))""",
            MARK,
        )
        assert seen, f"the hostile text is not shown on {where}: the check proves nothing"


def stage_notebooks() -> list[tuple[str, str]]:
    return [
        (s.id, f"notebooks/{s.notebook}")
        for s in STAGES
        if (ROOT / "notebooks" / s.notebook).exists()
    ]


# stages whose page shows no user text of a filled workbook (nothing to render inertly)
# (stage 5 draws the mosaic as SVG images and lists suggestions from the content library;
# stage 6 shows the scenarios of the library and a note only once a scenario is opened)
SHOWS_NO_USER_TEXT: set[str] = {"expand", "scenarios"}


def test_every_stage_page_and_the_app(browser: Browser, server: VoilaServer) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = Watch(page)
    try:
        for stage_id, notebook in stage_notebooks():
            page.goto(server.page(notebook))
            wait_for_app(page)
            page.wait_for_selector(".mm-stage", timeout=60_000)
            assert_inert(page, watch, stage_id, shown=stage_id not in SHOWS_NO_USER_TEXT)
        page.goto(server.page("notebooks/workshop.ipynb"))
        wait_for_app(page, ".mm-app .mm-stage")
        steps = page.locator(".mm-stepper button")
        for i in range(steps.count()):
            steps.nth(i).click()
            page.wait_for_timeout(500)
            expect(page.locator(".mm-app .mm-stage").first).to_be_visible(timeout=60_000)
            assert_inert(page, watch, f"app step {i}", shown=False)
        shot(page, "inert-app-last-stage")
    finally:
        context.close()


def test_the_dashboard(browser: Browser, server: VoilaServer, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = Watch(page)
    try:
        page.goto(server.page("facilitator/dashboard.ipynb"))
        wait_for_app(page, ".mm-dash")
        expect(page.get_by_text("Participants counted").first).to_be_visible(timeout=60_000)
        assert_inert(page, watch, "dashboard", shown=False)  # aggregates only, no free text
        # files dropped in: a good one and a broken one, both under a hostile name
        good = tmp_path / '<img src=x onerror="window.__pwned=3">.json'
        good.write_text(json.dumps(attack_workbook().to_json_dict()))
        bad = tmp_path / '<script>window.__pwned=4<\\script><svg onload="alert(2)">.json'
        bad.write_text("{")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name=re.compile("Add participant files")).click()
        chooser.value.set_files([str(good), str(bad)])
        # files are listed by position and reason, never by name: the hostile names never show
        expect(page.locator(".mm-dash")).to_contain_text("not counted", timeout=30_000)
        assert MARK not in page.locator(".mm-dash").inner_text()
        assert_inert(page, watch, "dashboard with dropped files", shown=False)
        shot(page, "inert-dashboard")
    finally:
        context.close()


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inert-exports")
    wb, content = attack_workbook(), get_content()
    out = {}
    for fmt, name in (("html", "pack.html"), ("svg", "mosaic.svg"), ("ipynb", "copy.ipynb")):
        out[fmt] = folder / name
        out[fmt].write_bytes(export(wb, content, fmt))
    # the notebook copy as a reader sees it: markdown rendered to HTML (nbconvert)
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter().from_filename(str(out["ipynb"]))
    out["ipynb-html"] = folder / "copy.html"
    out["ipynb-html"].write_text(html)
    (folder / "img.html").write_text(
        f'<!doctype html><title>svg</title><img alt="mosaic" src="{out["svg"].name}">'
    )
    out["svg-img"] = folder / "img.html"
    return out


@pytest.mark.parametrize("what", ["html", "svg", "svg-img", "ipynb-html"])
def test_exports_opened_in_the_browser(browser: Browser, exports: dict[str, Path],
                                       what: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = Watch(page)
    try:
        page.goto(exports[what].as_uri())
        page.wait_for_load_state("load")
        shown = what != "svg-img"  # an image's text is not in the DOM
        assert_inert(page, watch, f"the {what} export", shown=shown)
    finally:
        context.close()


def test_the_check_sees_markup_that_runs(page: Page) -> None:
    """The probe itself: unescaped, the same attack is caught."""
    watch = Watch(page)
    page.set_content(f"<p>{ATTACK}</p>")
    with pytest.raises(AssertionError, match=r"ran|dialog"):
        assert_inert(page, watch, "a page that does not escape")
