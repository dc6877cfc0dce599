"""Offline: every page is complete with only the server's own address reachable.

Chromium may reach the server under test and nothing else (every other request is aborted and
recorded). Each stage page (``mentoring-mosaic start``), the room's start page, a participant's
workbook, the dashboard and the presenter view (``mentoring-mosaic room``), and the Binder-style
server must load with icons drawn from the server's own FontAwesome, no failed request, no
console error, and ``Referrer-Policy: same-origin`` on the page.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, Request, Route

from ..conftest import ROOT, free_port, wait_for_port
from .conftest import ConsoleErrors, VoilaServer, shot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOKEN = "offline-room-token-0123456789"
FKEY = "offline-facilitator-key-0123"
STAGES = [f"0{i}_{name}.ipynb" for i, name in enumerate(
    ["welcome", "needs", "managing_up", "qualities", "mosaic", "expand", "scenarios", "wrapup"])]

ICONS = """async () => {
  await document.fonts.ready;
  const shown = [...document.querySelectorAll('i.fa')].filter(i => i.checkVisibility());
  const bad = shown.filter(i => {
    const before = getComputedStyle(i, '::before');
    return !getComputedStyle(i).fontFamily.includes('Font Awesome')
      || before.content === 'none' || before.content === 'normal' || before.content === '""'
      || i.getBoundingClientRect().width < 4;
  }).map(i => i.className);
  const faces = [...document.fonts].filter(f => f.family.includes('Font Awesome'))
    .map(f => `${f.family} ${f.weight} ${f.status}`);
  return {shown: shown.length, bad, faces};
}"""
"""Every visible FontAwesome icon has its glyph (font family, ``::before`` content, a width);
every FontAwesome face the page used loaded (``error`` when its file could not be fetched)."""


@dataclass
class Offline:
    """Chromium with only ``origin`` reachable: what was blocked, failed or refused."""

    origin: str
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: ConsoleErrors = field(default_factory=ConsoleErrors)

    def attach(self, page: Page) -> Page:
        def route(r: Route, request: Request) -> None:
            if request.url.startswith(self.origin):
                r.continue_()
            else:
                self.blocked.append(request.url)
                r.abort("internetdisconnected")

        page.route("**/*", route)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
                and self.failed.append(f"{r.url} ({r.status})"))  # a page's own status: below
        self.errors.attach(page)
        return page

    def check(self, page: Page, name: str, *, icons: bool, error_page: bool = False) -> int:
        """Assert the page is whole; returns how many icons it shows. An error page's own
        status is logged as a console error: that one is expected."""
        page.wait_for_load_state("networkidle")
        found = page.evaluate(ICONS)
        shot(page, f"offline-{name}")
        errors = [e for e in self.errors if not (error_page and page.url in e)]
        assert not self.blocked, f"{name}: asked another site for {self.blocked}"
        assert not self.failed, f"{name}: failed requests {self.failed}"
        assert not errors, f"{name}: console errors {errors}"
        assert not found["bad"], f"{name}: icons without their glyph: {found['bad']}"
        assert not [f for f in found["faces"] if f.endswith("error")], found["faces"]
        if icons:
            assert found["shown"] > 0, f"{name}: no icon shown"
            assert any(f.endswith("loaded") for f in found["faces"]), found["faces"]
        return found["shown"]


def open_offline(browser: Browser, origin: str) -> tuple[Page, Offline]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    watch = Offline(origin)
    return watch.attach(context.new_page()), watch


def assert_referrer_policy(response) -> None:  # a Playwright or a requests response
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers.get("referrer-policy") == "same-origin", headers


@dataclass
class Command:
    url: str  # ends in "/"
    proc: subprocess.Popen
    log: Path


@contextlib.contextmanager
def run_command(args: list[str], home: Path, env_extra: dict[str, str]) -> Iterator[Command]:
    """The real ``mentoring-mosaic`` command in its own session, stopped with SIGTERM."""
    port = free_port()
    env = {**os.environ, "MENTORING_MOSAIC_HOME": str(home), **env_extra,
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("MENTORING_MOSAIC_DB", None)
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mentoring_mosaic.serve.cli", *args, "--ip=127.0.0.1",
             f"--port={port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, timeout=90)
        yield Command(f"http://127.0.0.1:{port}/", proc, log)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Command]:
    with run_command(["start"], tmp_path_factory.mktemp("offline-start"), {}) as server:
        yield server


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Command]:
    env = {"MENTORING_MOSAIC_ROOM_TOKEN": TOKEN, "MENTORING_MOSAIC_FACILITATOR_KEY": FKEY}
    with run_command(["room", "--expect=5"], tmp_path_factory.mktemp("offline-room"),
                     env) as server:
        yield server


def test_every_stage_page_is_whole_offline(start: Command, browser: Browser) -> None:
    icons = 0
    for notebook in [*STAGES, "workshop.ipynb"]:
        page, watch = open_offline(browser, start.url)  # a fresh tab: only this page's requests
        response = page.goto(f"{start.url}voila/render/{notebook}")
        assert response.ok, (notebook, response.status)
        assert_referrer_policy(response)
        wait_for_app(page)
        icons += watch.check(page, notebook.removesuffix(".ipynb"), icons=False)
        page.context.close()
    assert icons >= 5, "the stage pages show hardly any icon: is the check looking?"


def test_room_pages_dashboard_and_presenter_are_whole_offline(
    room: Command, browser: Browser
) -> None:
    from mentoring_mosaic.store import Store

    store = Store(f"sqlite:///{Path(room.log).parent / 'workbooks.sqlite3'}")
    key = store.create_participant()
    store.dispose()
    pages = [
        ("room-start", f"?token={TOKEN}", ".mm-room-start"),
        ("room-workbook", f"?token={TOKEN}&key={key}", ".mm-page"),
        ("room-dashboard", f"?token={TOKEN}&fkey={FKEY}", ".mm-dash"),
        ("room-presenter", f"?token={TOKEN}&fkey={FKEY}&view=agenda", ".mm-page"),
    ]
    for name, query, ready in pages:
        page, watch = open_offline(browser, room.url)
        response = page.goto(room.url + query)
        assert response.ok, (name, response.status)
        assert_referrer_policy(response)
        wait_for_app(page, ready)
        watch.check(page, name, icons=name not in {"room-start", "room-workbook"})
        page.context.close()
    # what a wrong link shows (the login page, a missing file) is whole offline too
    for name, path, status in (("room-login", "", 200),
                               ("room-missing", f"voila/files/missing.txt?token={TOKEN}", 403)):
        page, watch = open_offline(browser, room.url)
        response = page.goto(room.url + path)
        assert response.status == status, (name, response.status)
        assert_referrer_policy(response)
        watch.check(page, name, icons=False, error_page=status != 200)
        page.context.close()


def test_assets_and_errors_carry_the_referrer_policy(room: Command) -> None:
    for path in ("voila/templates/mosaic/static/fontawesome/css/all.min.css",
                 "voila/templates/mosaic/static/fontawesome/webfonts/fa-solid-900.woff2",
                 "voila/static/voila.js", "no/such/page", "login"):
        response = requests.get(f"{room.url}{path}?token={TOKEN}", timeout=60,
                                allow_redirects=False)
        assert_referrer_policy(response)
    fa = requests.get(f"{room.url}voila/templates/mosaic/static/fontawesome/webfonts/"
                      f"fa-solid-900.woff2?token={TOKEN}", timeout=60)
    assert fa.status_code == 200 and fa.content[:4] == b"wOF2"


def test_the_binder_server_is_whole_offline(binder_like: VoilaServer, browser: Browser) -> None:
    origin = binder_like.url.split("/user/")[0] + "/"
    page, watch = open_offline(browser, origin)
    response = page.goto(binder_like.page("notebooks/02_managing_up.ipynb"))
    assert response.ok, response.status
    assert_referrer_policy(response)
    wait_for_app(page)
    watch.check(page, "binder-managing-up", icons=True)
    page.context.close()
