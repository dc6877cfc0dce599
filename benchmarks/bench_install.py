"""Time and size of a fresh install of ``binder/requirements.txt`` (what Binder installs).

Run: ``.venv/bin/python benchmarks/bench_install.py [--keep]``

Steps, each timed, in a new virtual environment in a temporary folder:

1. ``python -m venv`` (with pip);
2. ``pip install --no-cache-dir -r binder/requirements.txt`` — the pinned set, no pip cache,
   so every wheel is fetched and unpacked (from whatever index pip is configured with here);
3. ``pip install --no-deps --no-cache-dir .`` — the package itself, as ``binder/postBuild``;
4. a smoke import (``voila``, ``ipycytoscape``, ``mentoring_mosaic.widgets.app``).

Recorded: seconds per step, the environment's size on disk, the number of distributions, and
the largest packages in site-packages. Results: ``benchmarks/results/install.json`` and
``benchmarks/results/install.md``. The environment is deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fmt, machine, table, write_results  # noqa: E402

REQUIREMENTS = ROOT / "binder" / "requirements.txt"


def size_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total / 2**20


def run(cmd: list[str], **kwargs: object) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, timeout=3600, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the environment")
    args = parser.parse_args(argv)
    info = machine()
    base = Path(tempfile.mkdtemp(prefix="mm-bench-install-"))
    venv = base / "venv"
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    steps: dict[str, float] = {}
    try:
        steps["venv"] = run([sys.executable, "-m", "venv", str(venv)], env=env)
        steps["requirements"] = run(
            [str(py), "-m", "pip", "install", "--no-cache-dir", "-r", str(REQUIREMENTS)], env=env
        )
        steps["package"] = run(
            [str(py), "-m", "pip", "install", "--no-deps", "--no-cache-dir", str(ROOT)],
            env=env,
            cwd=base,
        )
        steps["smoke_import"] = run(
            [str(py), "-c", "import voila, ipycytoscape, mentoring_mosaic.widgets.app"],
            env={**env, "MENTORING_MOSAIC_HOME": str(base / "home")},
            cwd=base,
        )
        dists = subprocess.run(
            [str(py), "-m", "pip", "list", "--format=freeze"],
            capture_output=True, text=True, check=True, env=env,
        ).stdout.split()
        site = next(venv.glob("lib/python*/site-packages"))
        by_package = sorted(
            ((p.name, size_mb(p)) for p in site.iterdir() if p.is_dir()
             and not p.name.endswith((".dist-info", "__pycache__"))),
            key=lambda kv: -kv[1],
        )[:10]
        total = size_mb(venv)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    install_s = steps["requirements"] + steps["package"]
    data = {
        "steps_s": steps,
        "install_s": install_s,
        "venv_size_mb": total,
        "site_packages_largest_mb": dict(by_package),
        "distributions": len(dists),
        "requirements": [
            line for line in REQUIREMENTS.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ],
    }
    body = (
        table(
            ["step", "seconds"],
            [(k, v) for k, v in steps.items()] + [("install (requirements + package)", install_s)],
        )
        + f"\n\nEnvironment on disk: {fmt(total, 0)} MB, {len(dists)} distributions "
        f"(from {len(data['requirements'])} pinned requirements).\n\n"
        "Largest packages in site-packages (MB):\n\n"
        + table(["package", "MB"], [(k, fmt(v, 1)) for k, v in by_package])
        + "\n\nThe index here is a local mirror (pip's configured `find-links`/`extra-index-url`),"
        " so download time is close to zero; on Binder or a laptop add the network.\n"
    )
    write_results("install", data, body, title="Fresh install of binder/requirements.txt",
                  info=info)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
