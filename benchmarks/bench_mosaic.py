"""Benchmark: time from clicking "Add to my mosaic" to the new node being drawn.

For 10, 50 and 200 people already in the mosaic, a real Voilà server renders
``notebooks/04_mosaic.ipynb`` in Chromium. Each round the script fills in a name, then inside
the page records ``performance.now()``, clicks Add, and waits for cytoscape.js to add the new
node *and* render a frame after it (``cy.one('add')`` then ``cy.one('render')``). That covers
the whole trip: the click message to the kernel, saving to SQLite, the diffed graph update, the
mosaic view and the downloads being recomputed, and the browser drawing.

A second, kernel-only table times the same Add in Python without a browser.

Usage: ``python benchmarks/bench_mosaic.py [--rounds 7] [--sizes 10 50 200]``
Writes ``benchmarks/results/mosaic-<UTC time>.json`` and ``.md`` (with the machine's
description). Machines are noisy: compare the ratio to the 10-people baseline, not the
milliseconds, across machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CY = "document.querySelector('.mm-graph')._cyreg.cy"


def people(n: int, seed: int = 11) -> list:
    from mentoring_mosaic.content import get_content
    from mentoring_mosaic.model import Person

    domains = [d.id for d in get_content().domains]
    rnd = random.Random(seed)
    return [
        Person(
            name=f"Person {i:03d}",
            role="mentee" if i % 6 == 5 else "mentor",
            status="potential" if i % 4 == 3 else "existing",
            level=rnd.choice(["senior", "peer", "junior"]),
            place=rnd.choice(["division", "institution", "external", "personal"]),
            domains=rnd.sample(domains, rnd.randint(1, 4)),
            tie_strength=rnd.choice([1, 2, 3]),
        )
        for i in range(n)
    ]


def seed_home(home: Path, n: int) -> None:
    from mentoring_mosaic.model import Profile, Workbook
    from mentoring_mosaic.store import DEFAULT_KEY, Store

    store = Store(f"sqlite:///{home / 'workbooks.sqlite3'}")
    try:
        store.save_workbook(DEFAULT_KEY, Workbook(profile=Profile(display_name="Bench"),
                                                  people=people(n)))
    finally:
        store.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "MENTORING_MOSAIC_HOME": str(home),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("MENTORING_MOSAIC_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(ROOT / "notebooks"), f"--port={port}",
         "--no-browser", "--Voila.ip=127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/voila/render/04_mosaic.ipynb"
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("Voilà did not start")


def chromium() -> str:
    for candidate in (os.environ.get("MM_CHROMIUM", ""), "/usr/bin/chromium",
                      shutil.which("chromium") or "", shutil.which("google-chrome") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("Chromium is needed: apt-get install -y chromium")


MEASURE = """async () => {
  const cy = __CY__;
  const before = cy.nodes('.person').length;
  const button = [...document.querySelectorAll('button')]
      .find(b => b.textContent.trim() === 'Add to my mosaic');
  if (!button) return {error: 'no Add button'};
  const drawn = new Promise((resolve) => {
    cy.one('add', 'node.person', () => cy.one('render', () => resolve(performance.now())));
  });
  const t0 = performance.now();
  button.click();
  const t1 = await Promise.race([drawn, new Promise(r => setTimeout(() => r(-1), 30000))]);
  return {ms: t1 < 0 ? null : t1 - t0, before, after: cy.nodes('.person').length};
}""".replace("__CY__", CY)


def browser_round_trips(sizes: list[int], rounds: int) -> tuple[dict, str]:
    from playwright.sync_api import sync_playwright

    out: dict[int, list[float]] = {}
    version = ""
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        version = browser.version
        for n in sizes:
            home = Path(tempfile.mkdtemp(prefix=f"mm-bench-{n}-"))
            seed_home(home, n)
            proc, url = start_voila(home)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url)
                page.wait_for_function(
                    "() => { const el = document.querySelector('.mm-graph');"
                    f" return el && el._cyreg && el._cyreg.cy.nodes('.person').length === {n}; }}",
                    timeout=120_000,
                )
                name = page.get_by_role("textbox", name="Name", exact=True)
                times = []
                for r in range(rounds + 1):  # the first round warms up and is dropped
                    # the add form empties itself after each add: just type the next name
                    name.fill(f"Added {r}")
                    name.press("Tab")
                    page.wait_for_timeout(1000)  # let the name reach the kernel
                    result = page.evaluate(MEASURE)
                    if result.get("ms") is None:
                        said = page.locator(".mm-add-card .mm-status").inner_text()
                        raise RuntimeError(f"no node drawn at n={n}: {result}; page: {said!r}")
                    if r:
                        times.append(result["ms"])
                out[n] = times
                print(f"n={n}: " + ", ".join(f"{t:.0f}" for t in times) + " ms", flush=True)
                page.close()
            finally:
                proc.terminate()
                proc.wait(timeout=20)
                shutil.rmtree(home, ignore_errors=True)
        browser.close()
    return out, version


def kernel_only(sizes: list[int], rounds: int) -> dict[int, list[float]]:
    """The same Add, in Python only (no browser, no websocket)."""
    from mentoring_mosaic.content import get_content
    from mentoring_mosaic.session import Session
    from mentoring_mosaic.store import Store
    from mentoring_mosaic.widgets.stage4_mosaic import MosaicView

    out = {}
    for n in sizes:
        home = Path(tempfile.mkdtemp(prefix=f"mm-kbench-{n}-"))
        seed_home(home, n)
        store = Store(f"sqlite:///{home / 'workbooks.sqlite3'}")
        view = MosaicView(Session(store=store, key="default"), get_content())
        times = []
        for r in range(rounds + 1):
            view.editor.new_person()
            view.editor.add_form.name.value = f"Added {r}"
            t0 = time.perf_counter()
            view.editor.add_button.click()
            if r:
                times.append((time.perf_counter() - t0) * 1000)
        out[n] = times
        store.dispose()
        shutil.rmtree(home, ignore_errors=True)
    return out


def machine() -> dict:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {"platform": platform.platform(), "python": platform.python_version(), "cpu": cpu,
            "cores": os.cpu_count(), "memory": mem,
            "load_average_1m_at_start": round(load[0], 2)}


def summarize(samples: dict[int, list[float]]) -> dict[str, dict]:
    base = statistics.median(samples[min(samples)])
    return {
        str(n): {
            "median_ms": round(statistics.median(t), 1),
            "min_ms": round(min(t), 1),
            "max_ms": round(max(t), 1),
            "ratio_to_baseline": round(statistics.median(t) / base, 2),
            "samples_ms": [round(x, 1) for x in t],
        }
        for n, t in samples.items()
    }


def table(summary: dict[str, dict], base: str) -> str:
    rows = ["| people | median ms | min | max | × baseline |", "|---:|---:|---:|---:|---:|"]
    for n, s in summary.items():
        rows.append(f"| {n} | {s['median_ms']:.0f} | {s['min_ms']:.0f} | {s['max_ms']:.0f} | "
                    f"{s['ratio_to_baseline']:.2f} |")
    return "\n".join(rows) + f"\n\nBaseline: Add at {base} people."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--no-browser", action="store_true", help="kernel-only timings")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("MENTORING_MOSAIC_HOME", tempfile.mkdtemp(prefix="mm-bench-home-"))

    kernel = summarize(kernel_only(args.sizes, args.rounds))
    result: dict = {
        "benchmark": "mosaic: click Add until the new node is drawn",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "rounds": args.rounds,
        "kernel_only": kernel,
    }
    if not args.no_browser:
        samples, version = browser_round_trips(args.sizes, args.rounds)
        result["machine"]["chromium"] = version
        result["browser"] = summarize(samples)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"mosaic-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    m = result["machine"]
    md = [
        "# Mosaic benchmark: click Add → new node drawn",
        "",
        f"{result['when']} · {m['platform']} · {m['cpu']} · {m['cores']} cores · "
        f"{m['memory']} · Python {m['python']} · load {m['load_average_1m_at_start']}"
        + (f" · Chromium {m['chromium']}" if "chromium" in m else ""),
        "",
    ]
    base = str(min(args.sizes))
    if "browser" in result:
        md += ["## In Chromium under Voilà (click → cytoscape.js rendered the new node)", "",
               table(result["browser"], base), ""]
    md += ["## Kernel only (Python: validate, save, diff the graph, redraw the mosaic view)", "",
           table(kernel, base), "",
           f"{args.rounds} timed rounds per size after one warm-up round.", ""]
    (RESULTS / f"mosaic-{stamp}.md").write_text("\n".join(md))
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
