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

# Console errors every page may log and a test may ignore. None now: our "mosaic" Voilà
# template serves FontAwesome itself (Voilà's lab template asked a CDN for it, which logged
# ERR_NAME_NOT_RESOLVED offline); tests/e2e/test_offline.py keeps it that way.
KNOWN_CONSOLE_NOISE: tuple[str, ...] = ()


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
    path.write_text("from mentoring_mosaic.serve.voila_launch import configure\n\nconfigure(c)\n")
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
            "mentoring_mosaic.serve.voila_launch",
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
    """Fails the test on any console error."""
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


# -- phone: nothing cut ------------------------------------------------------------------------
# A person reads a label, a tick box's text, a button or a text field only if all of it is on
# screen. This finds, among elements a person can see (rendered, not visibility:hidden, not a
# 1-px screen-reader-only box, not inside a canvas such as the mosaic's Cytoscape graph):
# - text cut by its own box: ``text-overflow: ellipsis`` that truncates, or overflow hidden/clip
#   with the text wider (or taller, by a line) than the box;
# - text running past an ancestor that clips (overflow hidden/clip) or past the screen's edge;
# - a field (text, text box, dropdown, date, number) or button whose right edge lies past the
#   box of its widget's container, a clipping ancestor or the screen.
CUT_OFF = """() => {
  const W = document.documentElement.clientWidth;
  const root = document.querySelector('.mm-page') || document.body;
  const cache = new Map();
  // seen: rendered, not visibility:hidden or transparent, not a 1-px screen-reader-only box,
  // not part of a canvas (the mosaic's graph draws its own labels)
  const seen = el => {
    if (cache.has(el)) return cache.get(el);
    let ok = el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    if (ok) {
      const r = el.getBoundingClientRect();
      ok = r.width > 2 && r.height > 2
        && !el.closest('canvas, .cytoscape-container, .jupyter-widget-Cytoscape');
    }
    cache.set(el, ok);
    return ok;
  };
  // every ancestor up to the page is seen too (a 1-px box hides what is inside it)
  const shown = el => {
    for (let a = el; a && a !== root.parentElement; a = a.parentElement) if (!seen(a)) return false;
    return true;
  };
  // A widget box (ipywidgets' boxes are overflow:auto) that has to scroll sideways by a few
  // pixels cuts what pokes out: nobody scrolls a form sideways to see a field's edge. Only a
  // wrapper made to scroll (a wide table in an HTML block) counts as reachable.
  const widgetBox = el => el.matches('.jupyter-widgets, .lm-Widget, .jp-OutputArea, '
    + '.jp-OutputArea-child, .jp-OutputArea-output');
  const clips = el => {
    const x = getComputedStyle(el).overflowX;
    return x === 'hidden' || x === 'clip' || (widgetBox(el) && (x === 'auto' || x === 'scroll'));
  };
  const scrollsSideways = el => {
    for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
      const scrolls = ['auto', 'scroll'].includes(getComputedStyle(a).overflowX);
      if (scrolls && !widgetBox(a) && a.scrollWidth > a.clientWidth + 1) return true;
    }
    return false;
  };
  const words = el => (el.innerText || el.value || el.getAttribute('aria-label')
    || el.placeholder || '').trim().replace(/\\s+/g, ' ');
  const where = a => `${a.tagName.toLowerCase()}.${[...a.classList].slice(0, 3).join('.')}`;
  // one line per cut thing: the most telling reason wins (by rank), found anywhere inside
  const found = new Map();
  const report = (el, rank, why) => {
    const key = words(el).slice(0, 70) || el;
    const old = found.get(key);
    const line = `${el.tagName.toLowerCase()} "${words(el).slice(0, 70)}": ${why}`;
    if (!old || rank < old.rank) found.set(key, {rank, line});
  };

  // 1. a box that cuts its own text: an ellipsis that truncates, or hidden overflow
  const texty = 'label, button, summary, .widget-label, .widget-label-basic, .jupyter-button, '
    + '.widget-checkbox, .widget-toggle-button, .lm-TabBar-tab, .jupyter-widget-Collapse-header';
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
    if (!(own || el.matches(texty)) || !words(el) || !shown(el)) continue;
    if (el.matches('input, textarea, select, option')) continue;
    const cs = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && (cs.textOverflow === 'ellipsis' || clips(el))) {
      const size = `${el.scrollWidth}px of text in a ${el.clientWidth}px box`;
      if (cs.textOverflow === 'ellipsis') report(el, 0, `ends in "…" (${size})`);
      else report(el, 1, `cut (${size})`);
    }
  }
  // 2. visible text past a box that clips it, or past the screen
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.data.trim() || !el || el.closest('select, textarea, script, style')) continue;
    if (!shown(el) || scrollsSideways(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1) continue;
    const holder = el.closest('label, button, .widget-label, .widget-html-content, p, li, div')
      || el;
    if (r.right > W + 1) {
      report(holder, 3, `text runs past the screen (to ${Math.round(r.right)}px of ${W}px)`);
      continue;
    }
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      if (!clips(a)) continue;
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) {
        report(holder, 2, `text cut by ${where(a)}`);
        break;
      }
    }
  }
  // 3. a dropdown too narrow for the choice it shows, or a list too narrow for its lines
  // (a <select> draws its options itself, so their width is measured with the select's font)
  const pen = document.createElement('canvas').getContext('2d');
  for (const el of root.querySelectorAll('select')) {
    if (!shown(el) || !el.options.length) continue;
    const cs = getComputedStyle(el);
    pen.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const list = el.multiple || el.size > 1;
    // a closed dropdown keeps about 20 px for its arrow
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
      - (list ? 4 : 20);
    const shownOptions = list ? [...el.options]
      : (el.selectedIndex >= 0 ? [el.options[el.selectedIndex]] : []);
    const cutOptions = shownOptions.filter(o => pen.measureText(o.text).width > room + 1);
    if (cutOptions.length) {
      const first = cutOptions[0].text.trim().slice(0, 70);
      found.set(el, {rank: 0, line: `select "${first}": ${list ? `${cutOptions.length} line(s) `
        + 'of the list' : 'the chosen option'} wider than the box (${Math.round(room)}px)`});
    }
  }
  // 4. a field or button whose right edge lies past its container, a clipping box or the screen
  const fields = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, '
    + 'select, button';
  for (const el of root.querySelectorAll(fields)) {
    if (!shown(el) || el.closest('.mm-copy') || scrollsSideways(el)) continue;
    const r = el.getBoundingClientRect();
    const label = `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''}`;
    const named = `${label} "${words(el).slice(0, 50) || (el.labels && el.labels[0]
      ? el.labels[0].innerText.trim().slice(0, 50) : '')}"`;
    if (r.right > W + 1) {
      found.set(el, {rank: 0, line: `${named}: right edge past the screen `
        + `(${Math.round(r.right)}px of ${W}px)`});
      continue;
    }
    // the widget's container: the box holding the widget (the label + field row)
    const widget = el.closest('.jupyter-widgets') || el;
    const box = widget === el ? el.parentElement : widget.parentElement;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const b = a.getBoundingClientRect();
      const edge = b.right - parseFloat(getComputedStyle(a).borderRightWidth || '0');
      if ((a === box || clips(a)) && r.right > edge + 1) {
        found.set(el, {rank: 0, line: `${named}: right edge ${Math.round(r.right - edge)}px `
          + `past its box (${where(a)})`});
        break;
      }
      if (a === box) break;
    }
  }
  return [...found.values()].map(f => f.line);
}"""


def cut_off(page: Any) -> list[str]:
    """What is cut off on the page now (see ``CUT_OFF``): one line per element."""
    return page.evaluate(CUT_OFF)


def assert_nothing_cut(page: Any, name: str) -> None:
    """No label, tick box text, button or field is cut off (run it at 390x844): a check the
    page-width test misses, because a cut label makes nothing scroll sideways."""
    cut = cut_off(page)
    assert not cut, f"{name}: cut off at {page.viewport_size}: " + "; ".join(cut)


SCROLLER = "document.getElementById('rendered_cells')"
SCROLL_TO = f"y => {{ const s = {SCROLLER}; s.scrollTop = y; return s.scrollTop; }}"


def scrolled_shot(page: Any, name: str) -> Path:
    """The whole page as its window shows it, into test-artifacts/. Voilà scrolls inside
    ``#rendered_cells``, which ``shot`` (full_page) cannot capture, and a window made as tall
    as the page would stretch whatever is sized in ``vh`` (the mosaic's map): so the window
    scrolls screen by screen and the pictures are laid one under the other in a blank page."""
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    view = page.viewport_size
    height = page.evaluate(f"{SCROLLER}?.scrollHeight ?? 0")
    if not height:
        page.screenshot(path=str(path), full_page=True)
        return path
    pieces: list[tuple[int, str]] = []
    top = 0
    while top < height:
        actual = page.evaluate(SCROLL_TO, top)
        page.wait_for_timeout(200)
        pieces.append((actual, base64.b64encode(page.screenshot()).decode()))
        top += view["height"]
    page.evaluate(f"{SCROLLER}.scrollTop = 0")
    imgs = "".join(
        f'<img style="position:absolute;left:0;top:{y}px" src="data:image/png;base64,{b64}">'
        for y, b64 in pieces
    )
    total = pieces[-1][0] + view["height"]
    sheet = page.context.new_page()
    try:
        sheet.set_viewport_size(view)
        sheet.set_content(
            f'<body style="margin:0"><div style="position:relative;height:{total}px">{imgs}</div>'
        )
        sheet.wait_for_timeout(300)
        sheet.screenshot(path=str(path), full_page=True)
    finally:
        sheet.close()
    return path


# -- the participant's stored workbook, seen from a browser test ---------------------------------
def stored(server: VoilaServer, key: str = "default") -> Any:
    """The participant's workbook as the server's store has it."""
    from mentoring_mosaic.store import Store

    store = Store(f"sqlite:///{server.home / 'workbooks.sqlite3'}")
    try:
        return store.load(key)
    finally:
        store.dispose()


def store_workbook(server: VoilaServer, workbook: Any, key: str = "default",
                   reason: str = "browser test") -> None:
    """Give the page's participant this workbook before the page opens."""
    from mentoring_mosaic.store import Store

    store = Store(f"sqlite:///{server.home / 'workbooks.sqlite3'}")
    try:
        store.save_workbook(key, workbook, reason=reason)
    finally:
        store.dispose()


def wait_stored(server: VoilaServer, check: Callable[[Any], Any], timeout: float = 20) -> None:
    """Poll the store until ``check(workbook)`` is true (the kernel saves asynchronously)."""
    import time

    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            wb = stored(server)
            if check(wb):
                return
            last = wb
        except Exception as exc:  # the store may not exist yet
            last = exc
        time.sleep(0.25)
    raise AssertionError(f"the store never had the expected answer (last seen: {last!r:.300})")
