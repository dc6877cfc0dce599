"""Stages 6 and 7 in Chromium under Voilà: the timer runs, the pack and notebook copy download."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import (
    DomainRating,
    Goal,
    ManagingUpPlan,
    Needs,
    Person,
    Profile,
    Workbook,
)
from mentoring_mosaic.store import DEFAULT_KEY, Store

from ..conftest import ROOT, free_port, wait_for_port
from .conftest import (
    ARTIFACTS,
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    assert_nothing_cut,
    shot,
    wait_for_app,
)

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=1">'


def seed(server: VoilaServer) -> Workbook:
    """A participant who has done stages 1 to 5, with markup in their answers."""
    today = dt.date.today()
    wb = Workbook(
        profile=Profile(display_name=f"Ana {HOSTILE}", current_role="PGY-3", next_role="Fellow"),
        needs=Needs(ratings={"sponsorship": DomainRating(need=4)}),
        goals=[
            Goal(
                goal=f"Submit an abstract {HOSTILE}",
                steps="Draft the methods",
                deadline=today + dt.timedelta(days=40),
                partner="Sam",
            )
        ],
        people=[
            Person(id="chen", name="Dr Chen", domains=["career_guidance", "research"]),
            Person(
                id="lee",
                name=f"Dr Lee {HOSTILE}",
                status="potential",
                level="peer",
                domains=["sponsorship"],
                next_step="Coffee after grand rounds",
                next_step_date=today + dt.timedelta(days=10),
            ),
            Person(id="stu", name="A student", role="mentee", level="junior"),
        ],
        managing_up={"chen": ManagingUpPlan(one_ask="Read my draft <script>x()</script>")},
    )
    store = Store(f"sqlite:///{server.home / 'workbooks.sqlite3'}")
    try:
        store.save_workbook(DEFAULT_KEY, wb)
    finally:
        store.dispose()
    return wb


def test_scenarios_timer_runs_in_voila(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("06_scenarios.ipynb"))
    wait_for_app(page)
    expect(page.get_by_text("Matches your biggest gap: Sponsorship")).to_be_visible(
        timeout=30_000
    )
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("10:00")
    page.get_by_role("button", name="Start timer").click()
    expect(timer).to_have_text(re.compile(r"09:5\d"), timeout=10_000)
    page.get_by_role("button", name="Pause timer").click()
    expect(page.get_by_role("button", name="Resume timer")).to_be_visible()
    paused = timer.inner_text()
    page.wait_for_timeout(1500)
    assert timer.inner_text() == paused

    card = page.locator(".mm-scenario").first
    card.get_by_text("Ideas to compare, after your talk").click()  # the debrief points' fold
    expect(card.locator("details[open] li").first).to_be_visible()
    strategy = card.get_by_role("textbox")
    strategy.fill("Ask my chief to introduce me <b>today</b>")
    strategy.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    shot(page, "scenarios-laptop")
    assert_accessible(page, "scenarios")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "scenarios-phone")
    assert_fits(page, "scenarios-phone")


CONTENT_HEIGHT = """() => { const r = document.getElementById('rendered_cells');
  return r ? r.scrollHeight : document.documentElement.scrollHeight; }"""
"""Voilà's page scrolls inside #rendered_cells, not the document: its height is the page's."""

VISIBLE_WORDS = """() => {
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
  for (const sel of document.querySelectorAll('select'))
    if (visible(sel) && sel.selectedIndex >= 0) words += count(sel.options[sel.selectedIndex].text);
  return words;
}"""
"""Words a person reads without opening anything (typed answers in fields not counted)."""

def whole_shot(page: Page, name: str) -> Path:
    """The whole page as a person scrolls it (Voilà scrolls inside a box, so a full-page
    screenshot shows one screen): the viewport grows to the content for the picture."""
    size = page.viewport_size
    height = page.evaluate(CONTENT_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(500)
    try:
        return shot(page, name)
    finally:
        page.set_viewport_size(size)


def save(download, folder: Path) -> Path:
    """Keep a download under its suggested name."""
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_wrapup_evaluation_and_consent_reach_every_take_home_file(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    wb = seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("07_wrapup.ipynb"))
    wait_for_app(page)
    evaluation = page.get_by_role("heading", name="2. Evaluation")
    files = page.get_by_role("heading", name="3. Take your work home")
    expect(evaluation).to_be_visible(timeout=30_000)
    plan = page.get_by_role("heading", name="1. My action plan")
    assert plan.bounding_box()["y"] < evaluation.bounding_box()["y"] < files.bounding_box()["y"]
    consent = page.get_by_role("checkbox", name="Share my anonymised answers")
    assert consent.bounding_box()["y"] < files.bounding_box()["y"]

    # at first sight: about 3 laptop screens and about 600 words
    height = page.evaluate(CONTENT_HEIGHT)
    words = page.evaluate(VISIBLE_WORDS)
    print(f"\nwrap-up at first sight: {height}px ({height / 800:.2f} screens), {words} words")
    assert height <= 2400, f"the wrap-up is {height / 800:.1f} laptop screens long"
    assert words <= 600, f"the wrap-up shows {words} words at first sight"
    text = page.locator(".mm-page").inner_text()
    for bad in ("Binder", ".ipynb", "GraphML", "JSON", "(0)", "Prepare my downloads"):
        assert bad not in text, f"{bad!r} on the wrap-up page"

    page.get_by_role("button", name="Add all suggestions to my plan").click()
    expect(page.get_by_text("action(s) to your plan")).to_be_visible(timeout=15_000)
    page.get_by_role("radio", name="Strongly agree").check()
    objective = "I can take the lead in my mentoring relationships"
    page.get_by_role("combobox", name=objective).select_option(label="Agree")
    consent.check()
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    # typed and not yet sent: the click on the download is what takes the box's text away
    comments = page.get_by_role("textbox", name="Any other comments (optional)")
    comments.fill("Typed just before the download")

    with page.expect_download() as info:
        page.get_by_role("button", name="Workbook file").click()
    workbook = json.loads(save(info.value, tmp_path).read_text("utf-8"))
    assert info.value.suggested_filename.endswith("-workbook.json")
    assert workbook["evaluation"]["headline"] == 5
    assert workbook["evaluation"]["objectives_met"] == {"manage_up": 4}
    assert workbook["evaluation"]["comments"] == "Typed just before the download"
    assert workbook["consent"]["share_anonymised"] is True
    assert len(workbook["actions"]) == 3

    with page.expect_download() as info:
        page.get_by_role("button", name="Take-home pack").click()
    pack = save(info.value, tmp_path)
    assert pack.name.endswith("-pack.html")
    html = pack.read_text("utf-8")
    assert "Coffee after grand rounds" in html and "Read my draft" in html
    assert HOSTILE not in html and "&lt;img src=x" in html

    with page.expect_download() as info:
        page.get_by_role("button", name="Notebook copy").click()
    nb = nbformat.read(save(info.value, tmp_path), as_version=4)
    nbformat.validate(nb)
    carried = nb.metadata["mentoring_mosaic"]["workbook"]
    assert carried["profile"]["display_name"] == wb.profile.display_name
    assert carried["consent"]["share_anonymised"] is True and len(carried["actions"]) == 3

    with page.expect_download() as info:
        page.get_by_role("button", name="Calendar reminders").click()
    ics = save(info.value, tmp_path).read_text("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR") and "Coffee after grand rounds" in ics

    # the same workbook file from the bar at the bottom of every page
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my workbook").click()
    assert json.loads(save(info.value, tmp_path).read_text("utf-8"))["consent"][
        "share_anonymised"] is True

    page.get_by_role("button", name="Submit my evaluation").click()
    expect(page.get_by_text("Thank you! Your evaluation was submitted")).to_be_visible(
        timeout=15_000
    )
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    try:
        saved = store.load(DEFAULT_KEY)
    finally:
        store.dispose()
    assert saved.evaluation.headline == 5 and saved.consent.share_anonymised
    whole_shot(page, "wrapup-laptop")
    assert_accessible(page, "wrapup")
    page.get_by_text("What is shared, and what never is").click()
    expect(page.get_by_text("are never shared")).to_be_visible()
    assert_accessible(page, "wrapup-consent-open")

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    assert_fits(page, "wrapup-phone")
    assert_nothing_cut(page, "wrapup-phone")
    label = page.locator(".mm-check-wrap .widget-label-basic span").first
    assert "facilitator" in label.inner_text()
    whole_shot(page, "wrapup-phone")
    assert page.title() != "1", "markup in an answer ran in the page"

    # The pack on its own, in a fresh tab: no request leaves the file, and it prints.
    requests: list[str] = []
    pack_page = console_errors.attach(page.context.new_page())
    pack_page.on("request", lambda r: requests.append(r.url))
    pack_page.set_viewport_size({"width": 1280, "height": 800})
    pack_page.goto(pack.as_uri())
    expect(pack_page.get_by_role("button", name="Print or save as PDF")).to_be_visible()
    expect(pack_page.get_by_role("heading", name="My action plan")).to_be_visible()
    assert pack_page.title() != "1"
    shot(pack_page, "pack-laptop")
    assert_accessible(pack_page, "pack")
    pack_page.set_viewport_size({"width": 390, "height": 844})
    shot(pack_page, "pack-phone")
    width = pack_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the pack scrolls sideways on a phone ({width}px wide)"
    pack_page.emulate_media(media="print")
    pack_page.set_viewport_size({"width": 794, "height": 1123})
    shot(pack_page, "pack-print")
    ARTIFACTS.mkdir(exist_ok=True)
    pack_page.pdf(path=str(ARTIFACTS / "pack.pdf"), format="A4")
    assert (ARTIFACTS / "pack.pdf").stat().st_size > 5000
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not outside, f"the pack made outside requests: {outside}"
    pack_page.close()


def test_a_take_home_file_downloads_once_per_click_in_the_app(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    """The app redraws a stage each time it is shown: a file saved earlier must not come again."""
    seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("workshop.ipynb", "stage=wrapup"))
    wait_for_app(page, ".mm-app .mm-stage-wrapup")
    downloads: list = []
    page.on("download", lambda d: downloads.append(d))
    with page.expect_download() as info:
        page.get_by_role("button", name="Workbook file").click()
    assert json.loads(save(info.value, tmp_path).read_text("utf-8"))["profile"]["display_name"]
    page.locator(".mm-stepper button").first.click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible(timeout=30_000)
    page.locator(".mm-stepper").get_by_role("button", name="7. Wrap-up").click()
    expect(page.get_by_role("heading", name="3. Take your work home")).to_be_visible(
        timeout=30_000
    )
    page.wait_for_timeout(2000)
    assert len(downloads) == 1, f"{len(downloads)} downloads for one click"
    with page.expect_download():
        page.get_by_role("button", name="Workbook file").click()
    assert len(downloads) == 2


def binder_lab_overrides() -> dict:
    """The JupyterLab settings binder/postBuild writes into overrides.json."""
    text = (ROOT / "binder" / "postBuild").read_text("utf-8")
    match = re.search(r"'(\{\"@jupyter-widgets/jupyterlab-manager:plugin\"[^']*)'", text)
    assert match, "binder/postBuild no longer turns on saveState for Jupyter widgets"
    return json.loads(match.group(1))


def test_jupyterlab_saves_widget_state_in_a_stage_notebook(page: Page, tmp_path: Path) -> None:
    """With Binder's JupyterLab setting, saving a stage notebook keeps what the participant sees."""
    overrides = binder_lab_overrides()
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    settings = tmp_path / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(overrides))
    notebook = tmp_path / "mine.ipynb"
    shutil.copy(ROOT / "notebooks" / "06_scenarios.ipynb", notebook)
    port = free_port()
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    cmd = [
        sys.executable, "-m", "jupyterlab", f"--port={port}", "--no-browser",
        "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={tmp_path}", f"--LabApp.app_settings_dir={settings}",
        "--ServerApp.disable_check_xsrf=True",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc=proc)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/lab/tree/mine.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90_000)
        expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=90_000)
        page.get_by_role("menuitem", name="Run").click()
        page.get_by_text("Run All Cells", exact=True).click()
        page.wait_for_selector(".mm-page", timeout=90_000)
        expect(page.get_by_role("timer")).to_have_text("10:00", timeout=30_000)
        page.keyboard.press("Control+s")
        state: dict = {}
        for _ in range(60):
            saved = json.loads(notebook.read_text("utf-8"))
            key = "application/vnd.jupyter.widget-state+json"
            state = saved["metadata"].get("widgets", {}).get(key, {}).get("state", {})
            if state:
                break
            page.wait_for_timeout(500)
        assert len(state) > 50, "the saved notebook carries no widget state"
        values = json.dumps(state)
        assert "Tricky situations" in values or "Small-group timer" in values
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
