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
    card.get_by_role("button", name="Show debrief points").click()
    expect(card.get_by_role("heading", name="Debrief points")).to_be_visible()
    expect(card.get_by_role("button", name="Hide debrief points")).to_be_visible()
    strategy = card.get_by_role("textbox")
    strategy.fill("Ask my chief to introduce me <b>today</b>")
    strategy.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    shot(page, "scenarios-laptop")
    assert_accessible(page, "scenarios")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "scenarios-phone")
    assert_fits(page, "scenarios-phone")


def test_wrapup_downloads_the_pack_and_the_notebook_copy(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    wb = seed(voila)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("07_wrapup.ipynb"))
    wait_for_app(page)
    page.get_by_role("button", name="Add all suggestions to my plan").click()
    expect(page.get_by_text("action(s) to your plan")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Prepare my downloads").click()
    pack_link = page.get_by_role("link", name="Take-home pack (.html)")
    expect(pack_link).to_be_visible(timeout=30_000)

    with page.expect_download() as info:
        pack_link.click()
    pack = tmp_path / info.value.suggested_filename
    info.value.save_as(pack)
    assert pack.name.endswith("-pack.html")
    html = pack.read_text("utf-8")
    assert "Coffee after grand rounds" in html and "Read my draft" in html
    assert HOSTILE not in html and "&lt;img src=x" in html

    with page.expect_download() as info:
        page.get_by_role("link", name="Notebook copy (.ipynb)").click()
    copy = tmp_path / info.value.suggested_filename
    info.value.save_as(copy)
    nb = nbformat.read(copy, as_version=4)
    nbformat.validate(nb)
    carried = nb.metadata["mentoring_mosaic"]["workbook"]
    assert carried["profile"]["display_name"] == wb.profile.display_name
    assert len(carried["actions"]) == 3

    page.get_by_role("radio", name="Strongly agree").check()
    page.get_by_role("checkbox", name="Share my anonymised answers").check()
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
    shot(page, "wrapup-laptop")
    assert_accessible(page, "wrapup")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "wrapup-phone")
    assert_fits(page, "wrapup-phone")
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
