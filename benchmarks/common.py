"""Shared parts of the benchmarks: the machine's description, statistics, writing results.

Every benchmark writes ``benchmarks/results/<name>.json`` (numbers + machine) and
``benchmarks/results/<name>.md`` (a markdown table headed by the machine's description).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PACKAGES = (
    "voila",
    "jupyter_server",
    "ipykernel",
    "ipywidgets",
    "ipycytoscape",
    "pandas",
    "pydantic",
    "SQLAlchemy",
    "playwright",
    "mentoring-mosaic",
)


def cpu_model() -> str:
    """The CPU's model name (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_total_mb() -> int | None:
    """Total memory in MB (psutil if present, else /proc/meminfo)."""
    try:
        import psutil

        return int(psutil.virtual_memory().total / 2**20)
    except ImportError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def chromium_version() -> str:
    """The Chromium the browser benchmarks drive."""
    path = os.environ.get("MM_CHROMIUM", "/usr/bin/chromium")
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(*, browser: bool = False) -> dict[str, Any]:
    """What the numbers were measured on."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_mb": memory_total_mb(),
        "python": sys.version.split()[0],
        "packages": versions,
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if browser:
        info["chromium"] = chromium_version()
    return info


def machine_markdown(info: dict[str, Any]) -> str:
    """The machine as a short markdown paragraph."""
    pkgs = ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v)
    lines = [
        f"Measured {info['when']} on {info['platform']}, {info['cpu']}, "
        f"{info['cores']} cores, {info['memory_mb']} MB memory, Python {info['python']}.",
        f"Packages: {pkgs}.",
    ]
    if info.get("chromium"):
        lines.append(f"Browser: {info['chromium']} (headless).")
    if info.get("load_average_at_start"):
        lines.append(f"Load average at start: {info['load_average_at_start']}.")
    return "\n".join(lines)


def median(values: Iterable[float]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile (p50, p95) of the values; None when empty."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    rank = max(1, min(len(vals), round(pct / 100 * len(vals) + 0.4999)))
    return vals[rank - 1]


def fmt(value: Any, digits: int = 2) -> str:
    """A table cell."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(fmt(c) for c in row) + " |")
    return "\n".join(out)


def write_results(
    name: str, data: dict[str, Any], markdown_body: str, *, title: str, info: dict[str, Any]
) -> tuple[Path, Path]:
    """Write ``results/<name>.json`` and ``results/<name>.md``; return both paths."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "machine": info, **data}
    json_path = RESULTS / f"{name}.json"
    json_path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    md_path = RESULTS / f"{name}.md"
    md_path.write_text(
        f"# {title}\n\n{machine_markdown(info)}\n\n{markdown_body.rstrip()}\n"
    )
    return json_path, md_path
