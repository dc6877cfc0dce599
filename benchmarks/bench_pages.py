"""Time to interactive and kernel memory of every stage page and the workshop app under Voilà.

Run: ``.venv/bin/python benchmarks/bench_pages.py [--samples 5] [--no-imports] [--no-memory-steps]``

One standalone Voilà (``python -m mentoring_mosaic.serve.voila_launch``, as
``mentoring-mosaic start`` runs it) serves the repository; Chromium (Debian's, headless) opens
each page in a fresh browser context, so nothing is cached between samples. The pages are
measured in alternating rounds (bare, welcome, needs, ..., app, bare, welcome, ...), so a noisy
moment hits every page alike, and the ratios are taken against ``benchmarks/bare.ipynb`` — one
``ipywidgets.Button`` — measured in the same run:

- ``tti``: from ``page.goto`` until the page's widgets are drawn: ``.mm-page`` (our page root;
  the bare button carries the same class) and the stage's view inside it (``.mm-stage``), and
  for the mosaic the Cytoscape ``canvas``;
- ``kernel_rss``: the resident memory (psutil) of the page's kernel process, one second after
  the page is interactive;
- ``tti_ratio`` and ``rss_ratio``: medians of the page over medians of the bare notebook.
  The target for both is 1.5 or less.

Afterwards (unless ``--no-imports``), each stage's start-up imports are measured with
``python -X importtime`` in a fresh interpreter that has already imported ipykernel and
ipywidgets (what every kernel, the bare one included, pays anyway): what remains is what
the stage adds, grouped by top-level package.

Before the browser run (unless ``--no-memory-steps``), a plain ipykernel per sample runs what
the welcome and stage 1 pages run at start one step at a time (pydantic, the content, the
workbook model, the store and session, the page parts, the page), and the table says how many
megabytes of kernel memory each step adds: where the ``rss_ratio`` comes from.
``--memory-steps-only`` prints just that (a minute, no browser).

Results: ``benchmarks/results/pages.json`` and ``benchmarks/results/pages.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    fmt,
    machine,
    median,
    table,
    write_results,
)
from mentoring_mosaic.widgets.pages import ALL_PAGES  # noqa: E402

BARE = "benchmarks/bare.ipynb"
APP = "notebooks/workshop.ipynb"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TARGET = 1.5


def pages_to_measure() -> list[tuple[str, str]]:
    """(name, notebook path relative to the repository) for the bare page, stages (the
    review three months on included) and app."""
    out = [("bare", BARE)]
    for entry in ALL_PAGES:
        module = entry.view.split(":")[0]
        if (ROOT / "notebooks" / entry.notebook).exists() and (
            ROOT / "mentoring_mosaic" / "widgets" / f"{module}.py"
        ).exists():
            out.append((entry.id, f"notebooks/{entry.notebook}"))
    out.append(("app", APP))
    return out


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(home),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mentoring_mosaic.serve.voila_launch",
            str(ROOT),
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            "--MappingKernelManager.cull_idle_timeout=60",
            "--MappingKernelManager.cull_interval=10",
            "--MappingKernelManager.cull_connected=False",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/"
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("Voilà did not start")


def kernels(server: psutil.Process) -> dict[int, psutil.Process]:
    """The server's kernel processes (ipykernel_launcher children), by pid."""
    out = {}
    for child in server.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                out[child.pid] = child
        except psutil.Error:
            continue
    return out


def wait_selectors(name: str) -> list[str]:
    if name == "bare":
        return [".mm-page"]
    sel = [".mm-page", ".mm-page .mm-stage"]
    if name == "mosaic":
        sel.append(".mm-page canvas")
    return sel


def measure_once(browser: Any, base: str, name: str, path: str, server: psutil.Process) -> dict:
    """One fresh context: open the page, time it, read the new kernel's RSS, close it."""
    before = set(kernels(server))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    t0 = time.perf_counter()
    try:
        page.goto(base + "voila/render/" + path, wait_until="commit", timeout=120_000)
        for selector in wait_selectors(name):
            page.wait_for_selector(selector, state="visible", timeout=120_000)
        tti = time.perf_counter() - t0
    except Exception as exc:  # recorded, the run goes on
        context.close()
        return {"tti": None, "rss_mb": None, "error": str(exc).splitlines()[0]}
    time.sleep(1.0)
    new = [p for pid, p in kernels(server).items() if pid not in before]
    rss = None
    if len(new) == 1:
        with contextlib.suppress(psutil.Error):
            rss = new[0].memory_info().rss / 2**20
    t_close = time.perf_counter()
    # Leave the page as a person does (another address): that fires ``beforeunload``, whose
    # beacon asks Voilà to shut the kernel down. (Playwright's close() skips beforeunload.)
    with contextlib.suppress(Exception):
        page.goto("about:blank", timeout=30_000)
    context.close()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(p.pid in kernels(server) for p in new):
        time.sleep(0.2)
    still = any(p.pid in kernels(server) for p in new)
    return {
        "tti": tti,
        "rss_mb": rss,
        "kernel_freed_s": None if still or not new else time.perf_counter() - t_close,
        "new_kernels": len(new),
        "error": errors[0] if errors else None,
    }


def browser_run(samples: int, warmup: bool = True) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright

    pages = pages_to_measure()
    home = Path(tempfile.mkdtemp(prefix="mm-bench-pages-"))
    proc, base = start_voila(home)
    server = psutil.Process(proc.pid)
    samples_by_page: dict[str, list[dict]] = defaultdict(list)
    leftovers = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("MM_CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            if warmup:  # first visits fill the OS file cache and Voilà's template cache
                for name, path in pages:
                    measure_once(browser, base, name, path, server)
            for round_no in range(samples):
                order = pages if round_no % 2 == 0 else list(reversed(pages))
                for name, path in order:
                    result = measure_once(browser, base, name, path, server)
                    samples_by_page[name].append(result)
                    print(
                        f"round {round_no + 1}/{samples} {name:12s} "
                        f"tti {fmt(result['tti'])} s  rss {fmt(result['rss_mb'], 0)} MB"
                        + (f"  ERROR {result['error']}" if result["error"] else ""),
                        flush=True,
                    )
            browser.close()
        time.sleep(3)
        leftovers["kernels_alive_after_all_pages_closed"] = len(kernels(server))
        # TTI suffers when other work shares the 2 cores (memory does not): say how busy it was
        leftovers["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return samples_by_page, leftovers


# -- where a page kernel's memory goes ----------------------------------------------------
MEMORY_STEPS: tuple[tuple[str, str], ...] = (
    ("pydantic imported", "from pydantic import BaseModel, Field, StringConstraints"),
    ("content loaded and checked", "import mentoring_mosaic.content as c; c.get_content()"),
    ("workbook model (model.py)", "import mentoring_mosaic.model"),
    ("store, session, workbook loaded", "import mentoring_mosaic.session as s; s.shared_session()"),
    ("page parts (widgets.common, pages)", "import mentoring_mosaic.widgets.pages"),
    (
        "the page built and shown",
        "from mentoring_mosaic.widgets.pages import stage_page; display(stage_page({stage!r}))",
    ),
)
"""What a stage page's kernel does at start, one step at a time (the order the page does it)."""


def memory_steps(stage: str, samples: int = 3) -> list[dict[str, Any]]:
    """Kernel RSS after each of :data:`MEMORY_STEPS`, medians over fresh kernels.

    A plain ipykernel (jupyter_client, as Voilà starts one) that first shows one button, as
    the bare notebook does: each row then says how many megabytes that step adds.
    """
    from jupyter_client.manager import start_new_kernel

    runs: list[list[float]] = []
    for _ in range(samples):
        env = {
            **os.environ,
            "MENTORING_MOSAIC_HOME": tempfile.mkdtemp(prefix="mm-bench-steps-"),
            "PYTHONPATH": str(ROOT),
        }
        for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
            env.pop(var, None)
        km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
        proc = psutil.Process(km.provisioner.process.pid)

        def run(code: str, kc: Any = kc, proc: psutil.Process = proc) -> float:
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda _msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{code!r}: {reply['content'].get('evalue')}")
            time.sleep(0.5)
            return proc.memory_info().rss / 2**20

        try:
            rss = [run("import ipywidgets as ipw\ndisplay(ipw.Button(description='Ready'))")]
            rss += [run(code.format(stage=stage)) for _name, code in MEMORY_STEPS]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        runs.append(rss)
    names = ["bare: ipywidgets and one button", *(name for name, _code in MEMORY_STEPS)]
    out = []
    for i, name in enumerate(names):
        mb = median(run[i] for run in runs)
        out.append({"step": name, "rss_mb": mb, "adds_mb": mb - out[-1]["rss_mb"] if out else None})
    return out


STEP_PAGES = ("welcome", "needs")
"""The lightest and the heaviest stage page, for :func:`memory_steps`."""


def memory_steps_table(steps: dict[str, list[dict[str, Any]]]) -> str:
    """One row per step, a column of MB (and what the step adds) per page."""
    pages = list(steps)
    rows = []
    for i, first in enumerate(next(iter(steps.values()), [])):
        row: list[Any] = [first["step"]]
        for page in pages:
            got = steps[page][i]
            adds = got["adds_mb"]
            row.append(f"{got['rss_mb']:.1f}" + (f" ({adds:+.1f})" if adds is not None else ""))
        rows.append(tuple(row))
    return table(["step", *(f"{page} MB (adds)" for page in pages)], rows)


# -- imports ------------------------------------------------------------------------------
BASELINE = "import ipykernel.ipkernel, ipywidgets, IPython.display"


def import_profile(stage: str) -> dict[str, Any]:
    """What building one stage imports beyond ipykernel + ipywidgets, by top-level package."""
    if stage == "app":
        build = "from mentoring_mosaic.widgets.app import WorkshopApp; WorkshopApp()"
    else:
        build = f"from mentoring_mosaic.widgets.pages import stage_page; stage_page({stage!r})"
    code = (
        f"{BASELINE}\nimport sys, time\nsys.stderr.write('@@MARK@@\\n'); sys.stderr.flush()\n"
        f"t0 = time.perf_counter()\n{build}\n"
        "sys.stderr.write(f'@@BUILD@@ {time.perf_counter() - t0}\\n')"
    )
    home = tempfile.mkdtemp(prefix="mm-bench-imports-")
    env = {**os.environ, "MENTORING_MOSAIC_HOME": home, "PYTHONPATH": str(ROOT)}
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    lines = out.stderr.splitlines()
    try:
        start = lines.index("@@MARK@@")
    except ValueError:
        return {"error": out.stderr[-500:]}
    by_package: dict[str, float] = defaultdict(float)
    total_us = 0
    build_s = None
    for line in lines[start + 1 :]:
        if line.startswith("@@BUILD@@"):
            build_s = float(line.split()[1])
            continue
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, _cum, name = (part.strip() for part in line.replace(":", "|", 1).split("|"))
        us = int(self_us)
        total_us += us
        by_package[name.split(".")[0]] += us
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:8]
    return {
        "build_s": build_s,
        "extra_import_s": total_us / 1e6,
        "top_packages_s": {k: round(v / 1e6, 3) for k, v in top},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5, help="rounds over every page")
    parser.add_argument("--no-imports", action="store_true", help="skip the import profile")
    parser.add_argument(
        "--no-memory-steps", action="store_true", help="skip the kernel memory step by step"
    )
    parser.add_argument(
        "--memory-steps-only",
        action="store_true",
        help="only the kernel memory step by step (no browser): prints it, writes nothing",
    )
    args = parser.parse_args(argv)
    steps: dict[str, list[dict[str, Any]]] = {}
    if not args.no_memory_steps:
        for stage in STEP_PAGES:
            steps[stage] = memory_steps(stage, max(1, min(args.samples, 5)))
            print(f"memory steps {stage}: {steps[stage]}", flush=True)
    if args.memory_steps_only:
        print(memory_steps_table(steps))
        return 0
    info = machine(browser=True)
    by_page, leftovers = browser_run(max(1, min(args.samples, 50)))
    bare_tti = median(s["tti"] for s in by_page["bare"])
    bare_rss = median(s["rss_mb"] for s in by_page["bare"])
    rows = []
    summary: dict[str, Any] = {}
    for name, _path in pages_to_measure():
        got = by_page[name]
        tti = median(s["tti"] for s in got)
        rss = median(s["rss_mb"] for s in got)
        tti_ratio = tti / bare_tti if tti and bare_tti else None
        rss_ratio = rss / bare_rss if rss and bare_rss else None
        errors = [s["error"] for s in got if s["error"]]
        summary[name] = {
            "tti_s_median": tti,
            "tti_s_samples": [s["tti"] for s in got],
            "kernel_rss_mb_median": rss,
            "kernel_rss_mb_samples": [s["rss_mb"] for s in got],
            "tti_ratio": tti_ratio,
            "rss_ratio": rss_ratio,
            "errors": errors,
            "kernel_freed_s_samples": [s.get("kernel_freed_s") for s in got],
        }
        ok = (
            "baseline"
            if name == "bare"
            else (
                "met"
                if (tti_ratio or 99) <= TARGET and (rss_ratio or 99) <= TARGET
                else "missed"
            )
        )
        rows.append((name, tti, tti_ratio, rss, rss_ratio, len(errors), ok))
    all_samples = [s for got in by_page.values() for s in got]
    freed = sum(1 for s in all_samples if s.get("kernel_freed_s") is not None)
    imports: dict[str, Any] = {}
    if not args.no_imports:
        for name, _path in pages_to_measure():
            if name != "bare":
                imports[name] = import_profile(name)
                print(f"imports {name}: {imports[name]}", flush=True)
    body = (
        f"{len(by_page['bare'])} alternating samples per page after one warm-up round; "
        "medians. Ratios against the bare one-widget notebook measured in the same run; "
        f"target {TARGET} or less for both.\n\n"
        + table(
            ["page", "TTI s", "tti_ratio", "kernel RSS MB", "rss_ratio", "errors", "target"],
            rows,
        )
        + f"\n\nKernels freed by the unload beacon (page left for another address, "
        f"kernel gone within 15 s): {freed}/{len(all_samples)}, median "
        f"{fmt(median(s.get('kernel_freed_s') for s in all_samples))} s "
        "after leaving. Kernels alive 3 s after every page was left: "
        f"{leftovers.get('kernels_alive_after_all_pages_closed')} "
        "(the beacon works because `voila_launch` sets the `_xsrf` cookie). "
        f"Load average at end: {leftovers.get('load_average_at_end')}.\n"
    )
    if imports:
        body += (
            "\n## What each page imports at start (beyond ipykernel + ipywidgets)\n\n"
            + table(
                ["page", "build s (cold)", "extra imports s", "largest packages (s)"],
                [
                    (
                        name,
                        p.get("build_s"),
                        p.get("extra_import_s"),
                        ", ".join(f"{k} {v:.3f}" for k, v in p.get("top_packages_s", {}).items()),
                    )
                    for name, p in imports.items()
                ],
            )
            + "\n"
        )
    if steps:
        body += (
            "\n## Where a page kernel's memory goes (RSS after each start-up step)\n\n"
            "A plain ipykernel started as Voilà starts one, running what the page runs one "
            "step at a time; medians of fresh kernels.\n\n" + memory_steps_table(steps) + "\n"
        )
    write_results(
        "pages",
        {
            "samples": args.samples,
            "pages": summary,
            "imports": imports,
            "memory_steps": steps,
            "kernels_freed_by_beacon": freed,
            "kernel_samples": len(all_samples),
            **leftovers,
        },
        body,
        title="Stage pages under Voilà: time to interactive and kernel memory",
        info=info,
    )
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
