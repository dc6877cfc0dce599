"""Browser tests: Voilà servers, Debian's Chromium, console-error and axe checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, free_port, wait_for_port

ARTIFACTS = ROOT / "test-artifacts"

# Voilà's lab template asks a CDN for FontAwesome; offline that logs these two errors.
KNOWN_CONSOLE_NOISE = (
    "cdn.jsdelivr.net",
    "ERR_NAME_NOT_RESOLVED",
    "Failed to load resource: net::ERR_NAME_NOT_RESOLVED",
)


def chromium_path() -> str:
    """Debian's Chromium (Playwright cannot download its own browser here)."""
    for candidate in (
        os.environ.get("MM_CHROMIUM", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
        shutil.which("google-chrome") or "",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is not installed: apt-get install -y chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@dataclass
class VoilaServer:
    """A running Voilà (standalone or as a Jupyter server extension)."""

    url: str  # base, ending in "/"
    proc: subprocess.Popen
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    def page(self, notebook: str, query: str = "") -> str:
        """The render URL of a notebook."""
        return f"{self.url}voila/render/{notebook}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        """Stop the server and every kernel it started."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _binder_server_config(home: Path) -> Path:
    """The server config binder/postBuild writes (closed pages free their kernels)."""
    path = home / "jupyter_server_config.py"
    path.write_text("from mentoring_mosaic.voila_launch import configure\n\nconfigure(c)\n")
    return path


def start_voila(
    home: Path,
    *,
    mode: str = "standalone",
    base_url: str = "/",
    extra_env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
) -> VoilaServer:
    """Start Voilà on the notebooks folder with its own data folder."""
    port = free_port()
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(home),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        **(extra_env or {}),
    }
    if "MENTORING_MOSAIC_DB" not in (extra_env or {}):
        env.pop("MENTORING_MOSAIC_DB", None)
    if mode == "standalone":
        cmd = [
            sys.executable,
            "-m",
            "mentoring_mosaic.voila_launch",
            str(ROOT / "notebooks"),
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            "--show_tracebacks=True",
        ]
        cwd = ROOT
    else:  # Binder-like: jupyter server with the Voilà extension under a base URL
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            f"--port={port}",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.base_url={base_url}",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={ROOT}",
            *(["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
            f"--config={_binder_server_config(home)}",
        ]
        cwd = ROOT
    cmd += extra_args or []
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wait_for_port(port, proc=proc)
    prefix = base_url if mode != "standalone" else "/"
    return VoilaServer(f"http://127.0.0.1:{port}{prefix}", proc, home, env)


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """Standalone Voilà on ``notebooks/``, with a data folder of its own."""
    server = start_voila(tmp_path_factory.mktemp("voila-home"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def binder_like(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``jupyter server`` with Voilà as an extension under ``/user/test/``, as on Binder."""
    server = start_voila(
        tmp_path_factory.mktemp("binder-home"), mode="server", base_url="/user/test/"
    )
    yield server
    server.stop()


class ConsoleErrors(list):
    """Console errors and page errors seen during a test, minus the known offline noise."""

    def attach(self, page: Any) -> Any:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.append(f"pageerror: {exc}"))
        return page

    def _on_console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        text = msg.text
        location = (msg.location or {}).get("url", "")
        if any(noise in text or noise in location for noise in KNOWN_CONSOLE_NOISE):
            return
        self.append(f"{text} ({location})" if location else text)


@pytest.fixture
def console_errors(page: Any) -> Iterator[ConsoleErrors]:
    """Fails the test on any console error other than the two offline font requests."""
    errors = ConsoleErrors()
    errors.attach(page)
    yield errors
    assert not errors, f"console errors: {list(errors)}"


def wait_for_app(page: Any, selector: str = ".mm-page", timeout: float = 90_000) -> None:
    """Wait until Voilà has rendered our page (kernel started, widgets drawn)."""
    page.wait_for_selector(selector, timeout=timeout)


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


WIDER_THAN_THEIR_WIDGET = """() => [...document.querySelectorAll('.widget-html-content')]
  .filter(e => e.getBoundingClientRect().width > e.parentElement.getBoundingClientRect().width + 2)
  .map(e => e.innerText.slice(0, 60))"""


def assert_fits(page: Any, name: str, width: int = 390) -> None:
    """Nothing scrolls sideways: not the page, and no block of text inside its box (a block
    wider than its widget is cut off in a scrolling container, which the page check misses)."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 10, f"{name}: the page scrolls sideways ({scroll}px wide)"
    wide = page.evaluate(WIDER_THAN_THEIR_WIDGET)
    assert not wide, f"{name}: blocks wider than their box: {wide}"


def assert_accessible(page: Any, name: str) -> None:
    """Axe-core finds no serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        v
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    if bad:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{name}.txt").write_text(results.generate_report())
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}" for v in bad
    ]
    assert not bad, f"axe violations on {name}: " + "; ".join(summary)


Check = Callable[..., None]
