"""Two versions of the pages side by side, at the same moment: time to interactive, kernel
memory and page weight (issue 16: the browser module against the inline handlers before it).

Run: ``.venv/bin/python benchmarks/bench_pages_ab.py --before DIR --after DIR [--samples 5]``

``DIR`` is a copy of the repository (``git archive <commit> | tar -x -C DIR``); each is served by
its own standalone Voilà whose kernels import that copy's package (``PYTHONPATH``). Pages
alternate between the two servers in one Chromium, a fresh context per sample (nothing cached),
so a busy moment hits both alike: on these shared 2-core machines two separate runs of
``bench_pages.py`` differ by more than a small change does. ``--deny-before`` keeps a
labextension off the "before" pages (``anywidget``: its front-end, which the older pages did
not load, is installed in the same environment). Page weight is the sum of the resources'
encoded sizes (``performance.getEntriesByType('resource')``) on the welcome page.

Results: ``benchmarks/results/pages-ab.json`` and ``benchmarks/results/pages-ab.md``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pages import CHROMIUM_ARGS, free_port, measure_once  # noqa: E402
from benchmarks.common import fmt, machine, median, table, write_results  # noqa: E402

PAGES = [
    ("bare", "benchmarks/bare.ipynb"),
    ("welcome", "notebooks/00_welcome.ipynb"),
    ("needs", "notebooks/01_needs.ipynb"),
    ("mosaic", "notebooks/04_mosaic.ipynb"),
    ("wrapup", "notebooks/07_wrapup.ipynb"),
    ("app", "notebooks/workshop.ipynb"),
]
WEIGHT = """() => { const e = performance.getEntriesByType('resource');
  return { requests: e.length,
           kb: e.reduce((a, x) => a + x.encodedBodySize, 0) / 1024 }; }"""


def start(root: Path, extra: list[str]) -> tuple[subprocess.Popen, str]:
    """Standalone Voilà on ``root`` whose kernels import ``root``'s package."""
    port = free_port()
    env = {**os.environ, "MENTORING_MOSAIC_HOME": tempfile.mkdtemp(prefix="mm-bench-ab-"),
           "PYTHONPATH": str(root)}
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentoring_mosaic.serve.voila_launch", str(root),
         f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1", *extra],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/"
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"Voilà did not start on {root}")


def weight(browser: Any, base: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(base + "voila/render/notebooks/00_welcome.ipynb", timeout=120_000)
        page.wait_for_selector(".mm-page .mm-stage", state="visible", timeout=120_000)
        page.wait_for_timeout(1500)
        return page.evaluate(WEIGHT)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--deny-before", default="anywidget",
                        help="labextension kept off the 'before' pages ('' for none)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    info = machine(browser=True)
    deny = [f"--VoilaConfiguration.extension_denylist=['{args.deny_before}']"] \
        if args.deny_before else []
    servers = {"before": start(args.before.resolve(), deny),
               "after": start(args.after.resolve(), [])}
    got: dict[tuple[str, str], list[dict]] = {(v, n): [] for v in servers for n, _ in PAGES}
    weights: dict[str, dict] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("MM_CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            for round_no in range(max(1, min(args.samples, 50)) + 1):  # round 0 warms up
                versions = ("before", "after") if round_no % 2 else ("after", "before")
                order = [(v, n, p) for n, p in PAGES for v in versions]
                for version, name, path in order if round_no % 2 == 0 else order[::-1]:
                    proc, base = servers[version]
                    result = measure_once(browser, base, name, path, psutil.Process(proc.pid))
                    if round_no:
                        got[(version, name)].append(result)
                    print(f"round {round_no} {version:6s} {name:8s} tti {fmt(result['tti'])} s"
                          f"  rss {fmt(result['rss_mb'], 1)} MB", flush=True)
            for version, (_proc, base) in servers.items():
                weights[version] = weight(browser, base)
            browser.close()
    finally:
        for proc, _ in servers.values():
            proc.terminate()
    load_end = [round(x, 2) for x in os.getloadavg()]
    rows, summary = [], {}
    for name, _ in PAGES:
        b, a = got[("before", name)], got[("after", name)]
        s = {f"{v}_{k}": median(r[key] for r in runs) for v, runs in (("before", b), ("after", a))
             for k, key in (("tti_s", "tti"), ("rss_mb", "rss_mb"))}
        s["samples"] = {"before": b, "after": a}
        summary[name] = s
        rows.append((name, s["before_tti_s"], s["after_tti_s"], s["before_rss_mb"],
                     s["after_rss_mb"]))
    body = (
        f"{args.samples} alternating samples per page and version after one warm-up round; "
        "medians.\n\n"
        + table(["page", "TTI before s", "TTI after s", "kernel RSS before MB",
                 "kernel RSS after MB"], rows)
        + "\n\nWelcome page weight (encoded bytes of every resource, nothing cached): before "
        f"{weights['before']['kb']:.0f} kB in {weights['before']['requests']} requests, after "
        f"{weights['after']['kb']:.0f} kB in {weights['after']['requests']} requests. "
        f"Load average at end: {load_end}.\n"
    )
    write_results("pages-ab", {"before": str(args.before), "after": str(args.after),
                               "pages": summary, "weight": weights,
                               "load_average_at_end": load_end}, body,
                  title="Pages before and after, side by side", info=info)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
