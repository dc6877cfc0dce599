"""A stage page's kernel imports only what its first screen needs (issue 16, item 5).

Every page is its own kernel, one per participant in a room, and each module imported at
start stays in that kernel's memory (``benchmarks/bench_pages.py``: kernel memory per page
against a bare one-button notebook). Each page is built in a fresh interpreter here, so
modules other tests imported cannot hide an import a page should not make.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentoring_mosaic.widgets.pages import ALL_PAGES

ROOT = Path(__file__).resolve().parents[2]

NEVER_AT_START = (
    "sqlalchemy",  # PostgreSQL only (about 11 MB); the embedded store is the standard sqlite3
    "pandas",  # the facilitator's dashboard
    "anywidget",  # browser_actions is an anywidget without importing the package
    "voila",  # only a ready (pooled) room kernel waits for its request
    "mentoring_mosaic.demo",  # the persona loader, on a facilitator's page only
    "mentoring_mosaic.analysis.cohort",
    "mentoring_mosaic.exports.pack",  # made when the participant downloads it
    "mentoring_mosaic.exports.calendar",
    "mentoring_mosaic.exports.notebook",
    "mentoring_mosaic.widgets.dashboard",
    "mentoring_mosaic.widgets.presenter",
)
"""What no participant's page imports while it is built."""

MAP_ONLY = ("ipycytoscape", "mentoring_mosaic.widgets.graph")
"""The mosaic map's library: only the mosaic stage draws it at start."""

BUILD = """
import json, sys
import ipykernel.ipkernel, ipywidgets, IPython.display  # what every kernel has anyway
before = set(sys.modules)
page = sys.argv[1]
if page == "app":
    from mentoring_mosaic.widgets.app import workshop_app
    widget = workshop_app()
else:
    from mentoring_mosaic.widgets.pages import stage_page
    widget = stage_page(page)
classes = [type(widget).__name__, *(type(c).__name__ for c in widget.children)]
print(json.dumps({"modules": sorted(set(sys.modules) - before), "classes": classes}))
"""


def page_imports(page: str, home: Path) -> tuple[set[str], list[str]]:
    """The modules a fresh interpreter imports to build ``page``, and the page's parts."""
    env = {**os.environ, "MENTORING_MOSAIC_HOME": str(home), "PYTHONPATH": str(ROOT)}
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    out = subprocess.run(
        [sys.executable, "-c", BUILD, page],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return set(got["modules"]), got["classes"]


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("page", [entry.id for entry in ALL_PAGES] + ["app"])
def test_a_page_imports_only_what_its_first_screen_needs(page: str, tmp_path: Path) -> None:
    modules, classes = page_imports(page, tmp_path)
    # the page really was built (not the "could not start" message, which imports little)
    assert classes[0] in {"StagePage", "WorkshopApp"}, classes
    assert "mentoring_mosaic.widgets.pages" in modules
    unwanted = [name for name in NEVER_AT_START if _loaded(modules, name)]
    if page != "mosaic":
        unwanted += [name for name in MAP_ONLY if _loaded(modules, name)]
    assert not unwanted, f"the {page} page imports {unwanted} at start"


def test_the_mosaic_page_does_load_the_map(tmp_path: Path) -> None:
    """The check above can fail: the mosaic stage imports the map library it draws."""
    modules, _classes = page_imports("mosaic", tmp_path)
    assert all(_loaded(modules, name) for name in MAP_ONLY)
