"""How much a first-time participant meets on each stage page: words, screens, controls.

Run: ``.venv/bin/python benchmarks/bench_stage_size.py [--root PATH] [--label NAME]``

Not a timing: the numbers are the same on a fast or a slow machine. One standalone Voilà
(``python -m mentoring_mosaic.serve.voila_launch``, as ``mentoring-mosaic start`` runs it) serves
``--root`` (default: this repository) with ``PYTHONPATH`` set to that root, so its kernels
import that checkout's package (recorded in the results as ``package``). Two data folders:
one empty, one holding the demo persona "pgy3" (``mentoring_mosaic.demo``) stored with the
project's ``Store`` under the default participant, so a page opens with it as if loaded.

Chromium (Debian's, headless) opens each stage page at 1280x800 and waits until the page stops
changing, then measures what a person sees scrolling down without opening anything:

- ``words``: words of visible text (text nodes whose element is rendered: not ``display:none``,
  not ``visibility:hidden``, not inside a closed ``<details>`` or a collapsed accordion, not a
  1-px screen-reader-only box), plus the chosen option shown in each visible dropdown. Typed
  answers in text fields are counted apart (``field_words``): they are the participant's own.
- ``screens``: the document's scroll height / 800 (the laptop viewport's height);
- ``controls``: visible buttons, text fields, text boxes, dropdowns, checkboxes, radio
  buttons, toggle buttons and links; ``questions``: the same, with a row of one-tap choices
  (radio buttons, tick boxes or toggle buttons side by side in one widget box) counted once,
  as a dropdown is;
- ``phone_screens``: the same page resized to 390x844 (media queries and widget layout apply
  on resize), scroll height / 844.

Results: ``benchmarks/results/stage_size[-LABEL].json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH_ROOT))

from benchmarks.common import RESULTS, machine, table, write_results  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STAGE_NOTEBOOKS = (
    ("welcome", "00_welcome.ipynb"),
    ("needs", "01_needs.ipynb"),
    ("managing_up", "02_managing_up.ipynb"),
    ("qualities", "03_qualities.ipynb"),
    ("mosaic", "04_mosaic.ipynb"),
    ("expand", "05_expand.ipynb"),
    ("scenarios", "06_scenarios.ipynb"),
    ("wrapup", "07_wrapup.ipynb"),
    ("review", "08_review.ipynb"),  # three months on (issue 17): not a workshop step
)
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PERSONA = "pgy3"

# What a person sees without opening anything. ``checkVisibility`` is false for elements with
# no box (display:none, inside a closed <details>, a hidden accordion panel) and, with
# visibilityProperty, for visibility:hidden.
MEASURE_JS = """() => {
  const seen = el => {
    if (!el || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 && r.height <= 2) return false;          // screen-reader-only boxes
    if (r.right + scrollX < -50 || r.bottom + scrollY < -50) return false;  // moved away
    return true;
  };
  const count = s => (s.match(/[\\p{L}\\p{N}][\\p{L}\\p{N}'’.,:/@&-]*/gu) || []).length;
  let words = 0, fieldWords = 0;
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'OPTION', 'SELECT', 'TEMPLATE']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const cache = new Map();
  const visible = el => {
    if (!cache.has(el)) cache.set(el, seen(el));
    return cache.get(el);
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip.has(el.tagName) || el.closest('select, textarea, script, style')) continue;
    if (!node.data.trim() || !visible(el)) continue;
    words += count(node.data);
  }
  for (const sel of document.querySelectorAll('select')) {
    if (!sel.multiple && visible(sel) && sel.selectedIndex >= 0)
      words += count(sel.options[sel.selectedIndex].text);
    if (sel.multiple && visible(sel))
      for (const o of sel.options) words += count(o.text);
  }
  for (const f of document.querySelectorAll('textarea, input[type=text], input:not([type])')) {
    if (visible(f)) fieldWords += count(f.value);
  }
  const controlSel = 'button, input:not([type=hidden]), select, textarea, a[href], ' +
    '[role=button], [role=checkbox], [role=radio], [role=switch], [role=tab]';
  const controls = [...document.querySelectorAll(controlSel)]
    .filter(e => !e.closest('.mm-copy') || e.tagName !== 'TEXTAREA')
    // a role=button wrapping a real button counts once
    .filter(e => !(e.matches('[role]') && e.querySelector('button, input')))
    .filter(visible);
  // questions: a row of one-tap choices (radio buttons, tick boxes or toggle buttons side by
  // side in one widget box) is one thing to answer, as one dropdown is
  const group = c => {
    if (c.type === 'radio' && c.name) return 'radio:' + c.name;
    const box = c.closest('.widget-radio-box, .widget-toggle-buttons');
    if (box) return box;
    const tick = c.type === 'checkbox' && c.closest('.widget-checkbox');
    if (tick && tick.parentElement
        && tick.parentElement.querySelectorAll(':scope > .widget-checkbox').length > 1)
      return tick.parentElement;
    return c;
  };
  const questions = new Set(controls.map(group)).size;
  const kinds = {};
  for (const c of controls) {
    const t = c.tagName === 'INPUT' ? 'input:' + (c.type || 'text') : c.tagName.toLowerCase();
    kinds[t] = (kinds[t] || 0) + 1;
  }
  // Voilà's lab template scrolls inside #rendered_cells, not the document: the page's height is
  // the tallest scroll height of the document and of any scrolling box as tall as the viewport.
  let height = Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);
  for (const e of document.querySelectorAll('body *')) {
    if (e.clientHeight < innerHeight * 0.6 || e.scrollHeight <= e.clientHeight) continue;
    if (!['auto', 'scroll'].includes(getComputedStyle(e).overflowY)) continue;
    height = Math.max(height, e.scrollHeight + e.getBoundingClientRect().top + scrollY);
  }
  // For comparison: the words of plain innerText (every dropdown's options, labels only a
  // screen reader gets), which is what a copy of the page's text would hold.
  const innerTextWords = document.body.innerText.split(/\\s+/).filter(Boolean).length;
  return {words, fieldWords, controls: controls.length, questions, kinds, height,
          innerTextWords};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(root: Path, home: Path) -> dict[str, str]:
    """The environment Voilà and its kernels get: ``root``'s package first on the path."""
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(home),
        "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    return env


def package_seen_by_kernels(root: Path, home: Path) -> str:
    """Which ``mentoring_mosaic`` a kernel imports (same interpreter, env and folder)."""
    out = subprocess.run(
        [sys.executable, "-c", "import mentoring_mosaic; print(mentoring_mosaic.__file__)"],
        cwd=root / "notebooks",
        env=server_env(root, home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip() or out.stderr.strip().splitlines()[-1]


def start_voila(root: Path, home: Path) -> tuple[subprocess.Popen, str]:
    """Standalone Voilà on ``root``; returns the process and its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mentoring_mosaic.serve.voila_launch",
            str(root),
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            "--MappingKernelManager.cull_idle_timeout=60",
            "--MappingKernelManager.cull_interval=10",
            "--MappingKernelManager.cull_connected=False",
        ],
        cwd=root,
        env=server_env(root, home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/"
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("Voilà did not start")


def store_persona(root: Path, home: Path) -> str:
    """Store the demo persona as the default participant of ``home`` (with root's package)."""
    code = (
        "import sys\n"
        "from mentoring_mosaic import demo\n"
        "from mentoring_mosaic.store import DEFAULT_KEY, Store\n"
        f"wb = demo.{PERSONA}()\n"
        "s = Store()\n"
        "s.save_workbook(DEFAULT_KEY, wb, reason='benchmark persona')\n"
        "s.dispose()\n"
        "print(wb.profile.name if hasattr(wb.profile, 'name') else '')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=server_env(root, home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode:
        raise RuntimeError(f"could not store the persona: {out.stderr}")
    return out.stdout.strip()


def settle(page: Any, timeout: float = 30.0) -> dict:
    """Measure until two readings a second apart agree (widgets keep arriving for a while)."""
    last = None
    deadline = time.monotonic() + timeout
    while True:
        page.wait_for_timeout(1000)
        now = page.evaluate(MEASURE_JS)
        key = (now["words"], now["controls"], now["height"])
        if key == last or time.monotonic() > deadline:
            return now
        last = key


def full_shot(page: Any, viewport: dict, path: Path) -> None:
    """A picture of the whole page. Voilà scrolls inside ``#rendered_cells``, which
    ``full_page`` cannot capture, and a window as tall as the page would stretch what is sized
    in ``vh`` (the mosaic's map): the box scrolls screen by screen and the pictures are laid one
    under the other in a blank page (as ``scrolled_shot`` in the browser tests)."""
    import base64

    scroll_to = (
        "y => { const s = document.getElementById('rendered_cells');"
        " if (!s) return -1; s.scrollTop = y; return s.scrollTop; }"
    )
    height = page.evaluate("document.getElementById('rendered_cells')?.scrollHeight ?? 0")
    if not height:
        page.screenshot(path=str(path), full_page=True)
        return
    pieces: list[tuple[int, str]] = []
    top = 0
    while top < height:
        actual = page.evaluate(scroll_to, top)
        page.wait_for_timeout(200)
        pieces.append((actual, base64.b64encode(page.screenshot()).decode()))
        top += viewport["height"]
    page.evaluate(scroll_to, 0)
    imgs = "".join(
        f'<img style="position:absolute;left:0;top:{y}px" src="data:image/png;base64,{b64}">'
        for y, b64 in pieces
    )
    sheet = page.context.new_page()
    try:
        sheet.set_viewport_size(viewport)
        total = pieces[-1][0] + viewport["height"]
        sheet.set_content(
            f'<body style="margin:0"><div style="position:relative;height:{total}px">{imgs}</div>'
        )
        sheet.wait_for_timeout(300)
        sheet.screenshot(path=str(path), full_page=True)
    finally:
        sheet.close()


def measure_page(browser: Any, url: str, name: str, shots: Path | None) -> dict:
    """Open one stage page at laptop size, measure, resize to a phone, measure again."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(url, wait_until="commit", timeout=180_000)
        page.wait_for_selector(".mm-page .mm-stage", state="visible", timeout=180_000)
        if name.startswith("mosaic"):
            with contextlib.suppress(Exception):
                page.wait_for_selector(".mm-page canvas", state="visible", timeout=60_000)
        laptop = settle(page)
        if shots:
            full_shot(page, LAPTOP, shots / f"{name}-laptop.png")
        page.set_viewport_size(PHONE)
        phone = settle(page)
        if shots:
            full_shot(page, PHONE, shots / f"{name}-phone.png")
    except Exception as exc:  # recorded; the run goes on
        return {"error": str(exc).splitlines()[0]}
    finally:
        with contextlib.suppress(Exception):
            page.goto("about:blank", timeout=30_000)  # unload beacon frees the kernel
        context.close()
    return {
        "words": laptop["words"],
        "field_words": laptop["fieldWords"],
        "height_px": laptop["height"],
        "screens": round(laptop["height"] / LAPTOP["height"], 1),
        "controls": laptop["controls"],
        "questions": laptop["questions"],
        "control_kinds": laptop["kinds"],
        "phone_height_px": phone["height"],
        "phone_screens": round(phone["height"] / PHONE["height"], 1),
        "phone_words": phone["words"],
        "innertext_words": laptop["innerTextWords"],
        "page_errors": errors,
    }


def run(root: Path, shots: Path | None, only: set[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("MM_CHROMIUM", "/usr/bin/chromium")
    results: dict[str, dict[str, dict]] = {}
    packages: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for workbook in ("empty", "persona"):
                home = Path(tempfile.mkdtemp(prefix=f"mm-stage-size-{workbook}-"))
                if workbook == "persona":
                    store_persona(root, home)
                packages[workbook] = package_seen_by_kernels(root, home)
                proc, base = start_voila(root, home)
                try:
                    for stage, notebook in STAGE_NOTEBOOKS:
                        if only and stage not in only:
                            continue
                        if not (root / "notebooks" / notebook).exists():
                            continue
                        url = f"{base}voila/render/notebooks/{notebook}"
                        row = measure_page(browser, url, f"{stage}-{workbook}", shots)
                        results.setdefault(stage, {})[workbook] = row
                        shown = ("words", "innertext_words", "screens", "phone_screens",
                                 "controls", "questions", "error")
                        print(stage, workbook, {k: row.get(k) for k in shown}, flush=True)
                finally:
                    proc.terminate()
                    try:
                        proc.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        proc.kill()
        finally:
            browser.close()
    return {"stages": results, "package": packages}


def markdown(data: dict, root: Path, label: str) -> str:
    """The table: one row per stage, empty workbook and persona side by side."""
    rows = []
    for stage, _ in STAGE_NOTEBOOKS:
        by = data["stages"].get(stage)
        if not by:
            continue
        cells: list[Any] = [stage]
        for wb in ("empty", "persona"):
            r = by.get(wb, {})
            cells += [r.get("words"), r.get("screens"), r.get("phone_screens"), r.get("controls"),
                      r.get("questions")]
        rows.append(cells)
    headers = [
        "stage",
        "words (empty)", "laptop screens", "phone screens", "controls", "questions",
        "words (persona)", "laptop screens", "phone screens", "controls", "questions",
    ]
    intro = (
        f"Checkout: `{root}`{f' (label: {label})' if label else ''}; kernels imported "
        f"`{data['package'].get('empty')}`.\n\n"
        "What a first-time participant sees on each stage page without opening anything "
        "(closed disclosures and accordions excluded): visible words, screens of scrolling "
        "(page height / 800 px at 1280x800; / 844 px at 390x844) and visible controls "
        "(buttons, fields, dropdowns, tick boxes, toggle buttons, links); \"questions\" counts "
        "a row of one-tap choices (radio buttons, tick boxes or toggle buttons in one box) once, "
        "as one dropdown. \"persona\" is the "
        f"demo persona `{PERSONA}` loaded. Budget per stage: about 3 laptop screens and "
        "600 words. Words typed into fields are not counted; `innertext_words` in the JSON "
        "is the plain `innerText` count (every dropdown's options and screen-reader labels "
        "included), for comparison with counts taken that way.\n"
    )
    errors = [
        f"- {stage} ({wb}): {r['error']}"
        for stage, by in data["stages"].items()
        for wb, r in by.items()
        if r.get("error")
    ]
    body = intro + "\n" + table(headers, rows) + "\n"
    if errors:
        body += "\nErrors:\n" + "\n".join(errors) + "\n"
    return body


def comparison(earlier: dict, later: dict, earlier_label: str, later_label: str) -> str:
    """A before/after table: for each stage and workbook, 'before → after' per number."""
    rows = []
    for stage, _ in STAGE_NOTEBOOKS:
        for wb in ("empty", "persona"):
            a = earlier["stages"].get(stage, {}).get(wb, {})
            b = later["stages"].get(stage, {}).get(wb, {})
            if not a and not b:
                continue
            cells: list[Any] = [stage, wb]
            for key in ("words", "screens", "phone_screens", "controls", "questions"):
                cells.append(f"{a.get(key, '—')} → {b.get(key, '—')}")
            rows.append(cells)
    headers = ["stage", "workbook", "words", "laptop screens", "phone screens", "controls",
               "questions"]
    return (
        f"\n## {earlier_label} → {later_label}\n\n"
        f"`{earlier.get('root')}` ({earlier['machine']['when']}) → `{later.get('root')}`.\n\n"
        + table(headers, rows)
        + "\n"
    )


def main(argv: list[str] | None = None) -> None:
    # a plain ``kill`` still stops Voilà (the ``finally`` blocks run on SystemExit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=BENCH_ROOT,
                        help="the checkout to measure (default: this repository)")
    parser.add_argument("--label", default="", help="results go to stage_size-LABEL.{json,md}")
    parser.add_argument("--shots", type=Path, default=None,
                        help="also save full-page screenshots into this folder")
    parser.add_argument("--stages", default="",
                        help="comma-separated stage ids to measure (default: all)")
    parser.add_argument("--compare", default="", metavar="LABEL",
                        help="add a table of stage_size-LABEL.json's numbers → these")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    info = machine(browser=True)
    data = run(root, args.shots, set(filter(None, args.stages.split(","))) or None)
    data["root"] = str(root)
    data["label"] = args.label
    name = "stage_size" + (f"-{args.label}" if args.label else "")
    md = markdown(data, root, args.label)
    if args.compare:
        earlier_path = RESULTS / f"stage_size-{args.compare}.json"
        earlier = json.loads(earlier_path.read_text())
        md += comparison(earlier, {**data, "machine": info}, args.compare, args.label or "now")
    json_path, md_path = write_results(
        name, data, md, title="Stage size at first sight", info=info
    )
    print(md)
    print(f"wrote {json_path} and {md_path}")


if __name__ == "__main__":
    main()
